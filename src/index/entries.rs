//! What the index holds for a document: one entry for the whole document and one per
//! provision, each with the status segments the timeline gives it.
//!
//! Pure: built from the stored documents and the timeline, no IO.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Date, Document, Provision, Status};
use crate::resolve;
use crate::store::RowVersion;
use crate::timeline::{entry_into_force, Timeline};

/// From `from` on (from the beginning for `None`), until the next segment, the entry has
/// `status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub from: Option<Date>,
    pub status: Status,
}

/// One index entry: a provision, or a whole document (`provision: None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub document: String,
    pub provision: Option<String>,
    /// `document`, or the provision's kind in snake case (`article`, `clause`, …).
    pub kind: String,
    /// Type keys (see [`type_key`]).
    pub types: Vec<String>,
    /// The issuer's name and number code, as written.
    pub issuer: String,
    pub year: Option<i32>,
    pub segments: Vec<Segment>,
    /// Keys (see [`cite_key`]) of the documents it cites.
    pub cites: Vec<String>,
    pub text: String,
}

/// The key of a type filter: folded, letters and digits only (`Quyết định` → `quyetdinh`,
/// `QĐ` → `qd`).
pub fn type_key(s: &str) -> String {
    crate::text::fold(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The key of a cited number: the store's number key, folded (`61/2018/NĐ-CP` →
/// `61/2018/nd-cp`; `05/2020/QĐ-UBND@x` → `5/2020/qd-ubnd`).
pub fn cite_key(s: &str) -> String {
    crate::text::fold(&resolve::number_key(s))
}

/// True for the statuses under which a text applies (a document some of whose provisions
/// ended still applies in the rest).
pub fn applies(s: Status) -> bool {
    matches!(s, Status::InForce | Status::PartiallyExpired)
}

/// The status on `as_of` according to `segments`.
pub fn status_on(segments: &[Segment], as_of: Date) -> Option<Status> {
    segments
        .iter()
        .rev()
        .find(|s| s.from.is_none_or(|f| f <= as_of))
        .map(|s| s.status)
}

/// A compact form of the segments for the per-hit fast column, read back without parsing
/// JSON: `2019-05-20:i;2022-06-27:e`, with `-` for an open start and one letter per status.
pub fn encode_segments(segments: &[Segment]) -> String {
    let mut s = String::with_capacity(segments.len() * 13);
    for (i, seg) in segments.iter().enumerate() {
        if i > 0 {
            s.push(';');
        }
        match seg.from {
            Some(d) => s.push_str(&d.format("%Y-%m-%d").to_string()),
            None => s.push('-'),
        }
        s.push(':');
        s.push(match seg.status {
            Status::NotYetInForce => 'n',
            Status::InForce => 'i',
            Status::PartiallyExpired => 'p',
            Status::Expired => 'e',
            Status::Suspended => 's',
        });
    }
    s
}

/// The status on `as_of` read straight from [`encode_segments`]' form.
pub fn status_on_encoded(encoded: &str, as_of: Date) -> Option<Status> {
    let mut found = None;
    for part in encoded.split(';') {
        let (from, code) = part.rsplit_once(':')?;
        if from != "-" {
            let b = from.as_bytes();
            let num = |r: std::ops::Range<usize>| -> Option<u32> { from.get(r)?.parse().ok() };
            if b.len() != 10 {
                return None;
            }
            let d = Date::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
            if d > as_of {
                continue;
            }
        }
        found = Some(match code {
            "n" => Status::NotYetInForce,
            "i" => Status::InForce,
            "p" => Status::PartiallyExpired,
            "e" => Status::Expired,
            "s" => Status::Suspended,
            _ => return None,
        });
    }
    found
}

/// Days since 1970-01-01.
pub fn day_number(d: Date) -> i64 {
    let epoch = Date::from_ymd_opt(1970, 1, 1).expect("a valid date");
    (d - epoch).num_days()
}

/// The hull of the days in force, as `[from, until)` day numbers; `(MAX, MIN)` when never.
pub fn in_force_hull(segments: &[Segment]) -> (i64, i64) {
    let mut from = None;
    let mut until = None;
    for (i, s) in segments.iter().enumerate() {
        if !applies(s.status) {
            continue;
        }
        if from.is_none() {
            from = Some(s.from.map_or(i64::MIN, day_number));
        }
        until = Some(
            segments
                .get(i + 1)
                .and_then(|n| n.from)
                .map_or(i64::MAX, day_number),
        );
    }
    match (from, until) {
        (Some(f), Some(u)) => (f, u),
        _ => (i64::MAX, i64::MIN),
    }
}

/// The days on which something changes for each document: issue, entry into force, and every
/// modification's date.
pub fn change_dates(t: &Timeline) -> BTreeMap<String, BTreeSet<Date>> {
    let mut out: BTreeMap<String, BTreeSet<Date>> = BTreeMap::new();
    for m in t.effects() {
        out.entry(m.target.clone()).or_default().insert(m.date);
    }
    out
}

fn kind_name(p: &Provision) -> String {
    serde_json::to_value(p.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn push_segment(v: &mut Vec<Segment>, from: Option<Date>, status: Status) {
    if v.last().is_none_or(|l| l.status != status) {
        v.push(Segment { from, status });
    }
}

/// The status segments of a document (key `None`) and of each of its provisions.
fn segments(
    doc: &Document,
    t: &Timeline,
    dates: Option<&BTreeSet<Date>>,
) -> BTreeMap<Option<String>, Vec<Segment>> {
    let mut all: BTreeSet<Date> = dates.cloned().unwrap_or_default();
    all.extend(doc.issued);
    all.extend(entry_into_force(doc));
    let first = all
        .iter()
        .next()
        .copied()
        .unwrap_or_else(|| Date::from_ymd_opt(2000, 1, 1).expect("a valid date"));
    let before = first.pred_opt().unwrap_or(first);
    let mut out: BTreeMap<Option<String>, Vec<Segment>> = BTreeMap::new();
    let mut probe = |from: Option<Date>, day: Date| {
        let Some(s) = t.status(&doc.id, day) else {
            return;
        };
        push_segment(out.entry(None).or_default(), from, s.status);
        for p in s.provisions {
            push_segment(out.entry(Some(p.provision)).or_default(), from, p.status);
        }
    };
    probe(None, before);
    for d in all {
        probe(Some(d), d);
    }
    out
}

/// The entries of one stored document.
pub fn entries_of(doc: &Document, t: &Timeline, dates: Option<&BTreeSet<Date>>) -> Vec<Entry> {
    let segs = segments(doc, t, dates);
    let doc_segs = segs.get(&None).cloned().unwrap_or_default();
    let mut types = Vec::new();
    if let Some(ty) = &doc.doc_type {
        types.push(type_key(ty));
    }
    if let Some(code) = doc.number.as_ref().and_then(|n| n.type_code.as_ref()) {
        types.push(type_key(code));
    }
    types.sort();
    types.dedup();
    let mut issuer = doc.issuer.clone().unwrap_or_default();
    if let Some(code) = doc.number.as_ref().and_then(|n| n.issuer_code.as_ref()) {
        issuer.push(' ');
        issuer.push_str(code);
    }
    let year = doc
        .issued
        .map(|d| chrono::Datelike::year(&d))
        .or_else(|| doc.number.as_ref().and_then(|n| n.year));
    // What each citation points to: the resolver's answer, else the number as written.
    let resolved: BTreeMap<usize, String> = t
        .resolutions(&doc.id)
        .iter()
        .filter_map(|rc| rc.target.clone().map(|x| (rc.index, x)))
        .collect();
    let cites_of = |source: Option<&str>| -> Vec<String> {
        let mut v: Vec<String> = doc
            .citations
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.internal)
            .filter(|(_, c)| source.is_none() || c.source.as_deref() == source)
            .filter_map(|(i, c)| resolved.get(&i).or(c.target.as_ref()))
            .map(|x| cite_key(x))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let entry = |provision: Option<String>, kind: String, text: String, segments| Entry {
        document: doc.id.clone(),
        cites: cites_of(provision.as_deref()),
        provision,
        kind,
        types: types.clone(),
        issuer: issuer.clone(),
        year,
        segments,
        text,
    };
    let mut head = String::new();
    for part in [doc.doc_type.as_deref(), doc.title.as_deref()]
        .into_iter()
        .flatten()
    {
        head.push_str(part);
        head.push('\n');
    }
    for b in &doc.bases {
        head.push_str(&b.text);
        head.push('\n');
    }
    if let Some(p) = &doc.proposal {
        head.push_str(p);
        head.push('\n');
    }
    for p in &doc.provisions {
        head.push_str(&p.full_text());
        head.push('\n');
    }
    let mut out = vec![entry(
        None,
        "document".to_string(),
        head.trim_end().to_string(),
        doc_segs.clone(),
    )];
    for p in doc.all_provisions() {
        let mut text = String::new();
        if let Some(h) = &p.heading {
            text.push_str(h);
            text.push('\n');
        }
        text.push_str(&p.text);
        let text = text.trim().to_string();
        if text.is_empty() {
            continue;
        }
        let s = segs
            .get(&Some(p.path.clone()))
            .cloned()
            .unwrap_or_else(|| doc_segs.clone());
        out.push(entry(Some(p.path.clone()), kind_name(p), text, s));
    }
    out
}

/// Bumped whenever [`entries_of`] makes other entries from the same document and timeline,
/// so that [`input_digest`]s change and every document is indexed again.
pub const ENTRIES_VERSION: u32 = 1;

/// A digest of everything [`entries_of`] reads: the stored row (by its [`RowVersion`]), the
/// document's id (qualified or not), the status segments of the document and of each of its
/// provisions, and what each of its citations resolves to. Equal digests, equal entries, so
/// a sync reads again with its text only a document whose digest changed.
///
/// `doc` may be the timeline's copy without the provisions' text
/// ([`crate::timeline::without_text`]): the segments read only the structure and dates.
pub fn input_digest(
    doc: &Document,
    t: &Timeline,
    dates: Option<&BTreeSet<Date>>,
    row: &RowVersion,
) -> String {
    let mut h = Sha256::new();
    let mut put = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    put(&format!(
        "entries {ENTRIES_VERSION}, schema {}",
        super::schema::SCHEMA_VERSION
    ));
    put(&doc.id);
    put(&format!("{} {}", row.key, row.revision));
    put(&row.file_hash);
    for (path, segs) in segments(doc, t, dates) {
        match path {
            Some(p) => put(&format!("p{p}")),
            None => put("d"),
        }
        put(&encode_segments(&segs));
    }
    for rc in t.resolutions(&doc.id) {
        match &rc.target {
            Some(x) => put(&format!("{} {x}", rc.index)),
            None => put(&format!("{} -", rc.index)),
        }
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("in:{hex}")
}

/// A digest of a document's entries: equal digests, nothing to re-index.
pub fn digest(entries: &[Entry]) -> String {
    let json = serde_json::to_string(entries).unwrap_or_default();
    Sha256::digest(json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn status_and_hull_follow_the_segments() {
        let segs = vec![
            Segment {
                from: None,
                status: Status::NotYetInForce,
            },
            Segment {
                from: Some(d("2020-01-10")),
                status: Status::InForce,
            },
            Segment {
                from: Some(d("2022-03-01")),
                status: Status::Expired,
            },
        ];
        assert_eq!(
            status_on(&segs, d("2019-01-01")),
            Some(Status::NotYetInForce)
        );
        assert_eq!(status_on(&segs, d("2020-01-10")), Some(Status::InForce));
        assert_eq!(status_on(&segs, d("2022-02-28")), Some(Status::InForce));
        assert_eq!(status_on(&segs, d("2022-03-01")), Some(Status::Expired));
        let (f, u) = in_force_hull(&segs);
        assert_eq!(f, day_number(d("2020-01-10")));
        assert_eq!(u, day_number(d("2022-03-01")));
        assert_eq!(in_force_hull(&segs[..1]), (i64::MAX, i64::MIN));
    }

    #[test]
    fn keys_are_folded() {
        assert_eq!(type_key("Quyết định"), "quyetdinh");
        assert_eq!(type_key("QĐ"), "qd");
        assert_eq!(cite_key("61/2018/NĐ-CP"), cite_key("61/2018/nd-cp"));
        assert_eq!(cite_key("05/2020/QĐ-UBND@huyen-x"), "5/2020/qd-ubnd");
    }
}

#[cfg(test)]
mod encoding_tests {
    use super::*;

    #[test]
    fn encoded_segments_give_the_same_status_as_the_segments() {
        let d = |y, m, dd| Date::from_ymd_opt(y, m, dd).unwrap();
        let segs = vec![
            Segment {
                from: None,
                status: Status::NotYetInForce,
            },
            Segment {
                from: Some(d(2019, 5, 20)),
                status: Status::InForce,
            },
            Segment {
                from: Some(d(2022, 6, 27)),
                status: Status::PartiallyExpired,
            },
            Segment {
                from: Some(d(2025, 3, 1)),
                status: Status::Expired,
            },
        ];
        let enc = encode_segments(&segs);
        assert_eq!(enc, "-:n;2019-05-20:i;2022-06-27:p;2025-03-01:e");
        for day in [
            d(2000, 1, 1),
            d(2019, 5, 19),
            d(2019, 5, 20),
            d(2023, 1, 1),
            d(2025, 3, 1),
            d(2030, 1, 1),
        ] {
            assert_eq!(status_on_encoded(&enc, day), status_on(&segs, day), "{day}");
        }
        assert_eq!(status_on_encoded("", d(2020, 1, 1)), None);
    }
}
