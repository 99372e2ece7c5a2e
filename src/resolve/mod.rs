//! Citation resolution (*xác định văn bản được dẫn chiếu*): which stored or registered
//! document, and which of its provisions, a citation points to.
//!
//! Pure: it takes the documents and the registry and returns, per citation, the target id
//! (qualified `NUMBER@issuer-slug` where two issuers share a number) and the provision path,
//! or why it could not be resolved. Unresolved citations are kept: they are exactly what a
//! reviewer must look up by hand.
//!
//! The order of attempts:
//! 1. by *số ký hiệu* (normalised; leading zeros of the serial ignored). When two documents
//!    share the number, by the cited issuer, then the cited date, then the citing document's
//!    own issuer (a district decision citing "Quyết định số 05/2020/QĐ-UBND" without an
//!    issuer usually means its own);
//! 2. by type, name and date for laws cited by name ("Luật Tổ chức chính quyền địa phương
//!    ngày 19/6/2015" → `77/2015/QH13`), comparing accent-folded names;
//! 3. the provision: as named, or inside the target's annex (`khoản 2 Điều 5 Quy định`).

use std::collections::BTreeMap;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Citation, Date, Document, ProvisionKind, Relation};
use crate::timeline::Registry;

/// The *số ký hiệu* as the contract writes ids: NFC, no spaces, `Ð` (U+00D0) folded to `Đ`.
pub fn normalize_number(s: &str) -> String {
    s.nfc()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\u{00D0}' { 'Đ' } else { c })
        .collect()
}

/// The key two spellings of one number share: normalised, upper case, the serial without
/// leading zeros (`05/2020/QĐ-UBND` and `5/2020/qđ-ubnd` are one number). The qualifier after
/// `@` is dropped.
pub fn number_key(s: &str) -> String {
    let plain = plain_number(s);
    let n = normalize_number(plain).to_uppercase();
    let (serial, rest) = n.split_once('/').unwrap_or((n.as_str(), ""));
    let serial = serial.trim_start_matches('0');
    let serial = if serial.is_empty() { "0" } else { serial };
    if rest.is_empty() {
        serial.to_string()
    } else {
        format!("{serial}/{rest}")
    }
}

/// The number without its issuer qualifier: `05/2020/QĐ-UBND@huyen-tan-phong` → `05/2020/QĐ-UBND`.
pub fn plain_number(id: &str) -> &str {
    id.split_once('@').map_or(id, |(n, _)| n)
}

/// Accent- and case-folded text with punctuation turned into single spaces, for comparing
/// names ("Tổ chức chính quyền địa phương" = "to chuc chinh quyen dia phuong").
pub fn fold(s: &str) -> String {
    let folded = crate::text::fold(s).to_string().to_lowercase();
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let c = match c {
            'đ' => 'd',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// The slug that qualifies an id when two issuers share a number: the issuer's locality
/// folded to ASCII, lower case, hyphenated (`huyện Tân Phong` → `huyen-tan-phong`).
pub fn issuer_slug(doc: &Document) -> String {
    let place = doc
        .issuer_detail
        .as_ref()
        .and_then(|i| i.locality.clone())
        .or_else(|| doc.issuer.clone())
        .unwrap_or_else(|| "unknown".to_string());
    let slug = fold(&place).replace(' ', "-");
    if slug.is_empty() {
        "unknown".to_string()
    } else {
        slug
    }
}

/// A name without the filler words that citations drop or add ("của", "về việc").
fn name_key(s: &str) -> String {
    fold(s)
        .split(' ')
        .filter(|w| !matches!(*w, "cua" | "so" | "ve" | "viec"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name a citation without a number cites, and its key as the resolver looks it up:
/// folded, with the document type in front, without a provision cited before it.
fn name_lookup(c: &Citation) -> (String, String) {
    let name = match &c.target_name {
        Some(n) => n.clone(),
        None => {
            // Fall back to the words before the date: "Luật Đất đai ngày 29/11/2013".
            let raw = c.raw.trim();
            let raw = raw.strip_prefix("Căn cứ").unwrap_or(raw).trim();
            raw.split(" ngày ").next().unwrap_or(raw).to_string()
        }
    };
    let mut key = name_key(&name);
    if let Some(t) = &c.target_type {
        let t = fold(t);
        if !key.starts_with(&t) {
            key = format!("{t} {key}");
        }
    }
    // A provision cited before the name ("Điều 5 của Luật Đất đai") is not part of it.
    while let Some(first) = key.split(' ').next() {
        if !matches!(first, "dieu" | "khoan" | "diem") {
            break;
        }
        let mut words = key.split(' ');
        words.next();
        words.next();
        key = words.collect::<Vec<_>>().join(" ");
    }
    (name, key)
}

/// What the resolver looks a citation up by, as the relations table keeps it: `n:` and the
/// number's key ([`number_key`]) for a citation by number, `k:` and the name's key for one by
/// name; `None` for a reference to the citing document itself or to no name. The documents
/// whose resolution one more document may change are found by it
/// ([`Resolver::lookups_touched_by`]).
pub fn lookup_key(c: &Citation) -> Option<String> {
    if c.internal {
        return None;
    }
    if let Some(number) = &c.target {
        return Some(format!("n:{}", number_key(number)));
    }
    let (_, key) = name_lookup(c);
    (!key.is_empty()).then(|| format!("k:{key}"))
}

/// The name keys a stored document is known by to citations by name.
pub fn candidate_names(d: &Document) -> Vec<String> {
    d.title
        .iter()
        .map(|t| name_key(&format!("{} {t}", d.doc_type.clone().unwrap_or_default())))
        .collect()
}

/// The word-boundary prefixes of a name key, shortest first, the key itself excluded.
pub fn word_prefixes(key: &str) -> Vec<&str> {
    key.match_indices(' ').map(|(i, _)| &key[..i]).collect()
}

/// How a citation was resolved, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// A reference to the citing document itself.
    Internal,
    /// By number, the only document with it.
    Number,
    /// By number, told apart from others sharing it by issuer or date.
    NumberAndIssuer,
    /// By the name and date (or year) of a law or decree.
    NameAndDate,
    /// By name alone ("Luật Đất đai"), taking the version in force when the citing document
    /// was issued: good enough to list, too weak to expire a document on.
    Name,
    /// Not resolved; the words say why.
    Unresolved(String),
}

/// One citation of a document with its resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedCitation {
    /// Index into the citing document's `citations`.
    pub index: usize,
    pub raw: String,
    pub relation: Relation,
    /// The target's id as the store knows it (qualified where needed); `None` if unresolved.
    pub target: Option<String>,
    /// The target provision's path in the target document, normalised to the target's own
    /// paths (annex suffix added) when it could be found there.
    pub provision: Option<String>,
    /// False when a provision was named but the target does not have it (or is a registry
    /// entry without provisions).
    pub provision_found: bool,
    pub via: Via,
}

impl ResolvedCitation {
    pub fn is_resolved(&self) -> bool {
        self.target.is_some()
    }
}

/// What the resolver knows of a possible target.
#[derive(Debug, Clone)]
struct Candidate<'a> {
    id: String,
    issuer_key: String,
    issued: Option<Date>,
    in_force_from: Option<Date>,
    doc: Option<&'a Document>,
    names: Vec<String>,
}

/// An index of the store's documents and the registry, built once per run.
pub struct Resolver<'a> {
    by_number: BTreeMap<String, Vec<Candidate<'a>>>,
    by_name: Vec<Candidate<'a>>,
    /// Every name key of `by_name`, to the positions of the candidates that bear it: a
    /// citation by name is a few lookups, not a pass over every document.
    names: BTreeMap<String, Vec<usize>>,
}

impl<'a> Resolver<'a> {
    /// Indexes the documents (ids already qualified) and the registry. A registry entry whose
    /// number is also a stored document is shadowed by the stored one.
    pub fn new(docs: &'a [Document], registry: &Registry) -> Self {
        use rayon::prelude::*;
        let mut by_number: BTreeMap<String, Vec<Candidate<'a>>> = BTreeMap::new();
        let mut by_name = Vec::new();
        // The folded keys of each document on every core; the maps are filled in order.
        let candidates: Vec<(String, Candidate<'a>)> = docs
            .par_iter()
            .map(|d| {
                let c = Candidate {
                    id: d.id.clone(),
                    issuer_key: d.issuer.as_deref().map(fold).unwrap_or_default(),
                    issued: d.issued,
                    in_force_from: d.effective_from,
                    doc: Some(d),
                    names: candidate_names(d),
                };
                (number_key(&d.id), c)
            })
            .collect();
        for (key, c) in candidates {
            by_number.entry(key).or_default().push(c.clone());
            by_name.push(c);
        }
        for e in &registry.entries {
            let key = number_key(&e.id);
            if by_number.contains_key(&key) {
                continue;
            }
            let mut names = vec![name_key(&e.name)];
            names.extend(e.aliases.iter().map(|a| name_key(a)));
            let c = Candidate {
                id: e.id.clone(),
                issuer_key: fold(&e.issuer),
                issued: e.issued.value,
                in_force_from: e.in_force_from.value,
                doc: None,
                names,
            };
            by_number.entry(key).or_default().push(c.clone());
            by_name.push(c);
        }
        let mut names: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, c) in by_name.iter().enumerate() {
            for n in &c.names {
                let v = names.entry(n.clone()).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        Resolver {
            by_number,
            by_name,
            names,
        }
    }

    /// The candidates bearing the name key `key`, in index order.
    fn named(&self, key: &str) -> Vec<&Candidate<'a>> {
        self.names
            .get(key)
            .map(|v| v.iter().map(|&i| &self.by_name[i]).collect())
            .unwrap_or_default()
    }

    /// The candidates bearing a name that runs on from `key` ("luat pho bien" for "luat pho
    /// bien giao duc phap luat"), in index order.
    fn named_from(&self, key: &str) -> Vec<&Candidate<'a>> {
        let prefix = format!("{key} ");
        let mut at: Vec<usize> = self
            .names
            .range(prefix.clone()..)
            .take_while(|(n, _)| n.starts_with(&prefix))
            .flat_map(|(_, v)| v.iter().copied())
            .collect();
        at.sort_unstable();
        at.dedup();
        at.into_iter().map(|i| &self.by_name[i]).collect()
    }

    /// The longest known name that `key` starts with, followed by more words.
    fn longest_name_in(&self, key: &str) -> Option<String> {
        key.match_indices(' ')
            .map(|(i, _)| &key[..i])
            .filter(|n| self.names.contains_key(*n))
            .max_by_key(|n| n.len())
            .map(str::to_string)
    }

    /// Resolves every citation of `doc`, in the document's order.
    pub fn resolve_document(&self, doc: &Document) -> Vec<ResolvedCitation> {
        doc.citations
            .iter()
            .enumerate()
            .map(|(i, c)| self.resolve(doc, i, c))
            .collect()
    }

    /// Resolves one citation of `citing`.
    pub fn resolve(&self, citing: &Document, index: usize, c: &Citation) -> ResolvedCitation {
        let mut out = ResolvedCitation {
            index,
            raw: c.raw.clone(),
            relation: c.relation,
            target: None,
            provision: c.provision.clone(),
            provision_found: false,
            via: Via::Unresolved(String::new()),
        };
        let target: Result<(&Candidate, Via), String> = if c.internal {
            out.target = Some(citing.id.clone());
            out.via = Via::Internal;
            out.provision_found = c
                .provision
                .as_deref()
                .is_some_and(|p| citing.provision(p).is_some());
            return out;
        } else if let Some(number) = &c.target {
            self.by_number(citing, number, c)
        } else {
            self.by_name(citing, c)
        };
        match target {
            Ok((cand, via)) => {
                out.target = Some(cand.id.clone());
                out.via = via;
                if let (Some(p), Some(doc)) = (&c.provision, cand.doc) {
                    if let Some(found) = find_provision(doc, p, &c.raw) {
                        out.provision = Some(found);
                        out.provision_found = true;
                    }
                }
            }
            Err(why) => out.via = Via::Unresolved(why),
        }
        out
    }

    fn by_number(
        &self,
        citing: &Document,
        number: &str,
        c: &Citation,
    ) -> Result<(&Candidate<'a>, Via), String> {
        let cands = self.by_number.get(&number_key(number)).ok_or_else(|| {
            format!(
                "{} is neither in the store nor in the registry",
                normalize_number(number)
            )
        })?;
        if cands.len() == 1 {
            return Ok((&cands[0], Via::Number));
        }
        let narrow = |pred: &dyn Fn(&Candidate) -> bool| -> Option<&Candidate<'a>> {
            let m: Vec<_> = cands.iter().filter(|x| pred(x)).collect();
            (m.len() == 1).then(|| m[0])
        };
        if let Some(issuer) = c.target_issuer.as_deref().map(fold) {
            if let Some(x) = narrow(&|x| {
                !x.issuer_key.is_empty()
                    && (x.issuer_key.contains(&issuer) || issuer.contains(&x.issuer_key))
            }) {
                return Ok((x, Via::NumberAndIssuer));
            }
        }
        if let Some(date) = c.date {
            if let Some(x) = narrow(&|x| x.issued == Some(date)) {
                return Ok((x, Via::NumberAndIssuer));
            }
        }
        if let Some(own) = citing.issuer.as_deref().map(fold) {
            if let Some(x) = narrow(&|x| x.issuer_key == own) {
                return Ok((x, Via::NumberAndIssuer));
            }
        }
        Err(format!(
            "{} is shared by {} documents ({}) and the citation does not tell which",
            normalize_number(number),
            cands.len(),
            cands
                .iter()
                .map(|x| x.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }

    fn by_name(&self, citing: &Document, c: &Citation) -> Result<(&Candidate<'a>, Via), String> {
        let (name, key) = name_lookup(c);
        if key.is_empty() {
            return Err("the citation names no document".to_string());
        }
        let year_of = |x: &Candidate| {
            x.issued
                .or(x.in_force_from)
                .map(|d| chrono::Datelike::year(&d))
        };
        // The name as cited, then a name the citation cut short ("Luật Phổ biến" for "Luật
        // Phổ biến, giáo dục pháp luật"), then the longest name the citation runs on from
        // ("Luật Đất đai năm 2013 về bồi thường"). A year right after the name picks the
        // version ("Luật Đất đai năm 2024").
        let exact: Vec<&Candidate> = self.named(&key);
        let truncated: Vec<&Candidate> = self.named_from(&key);
        let (matching, year) = if !exact.is_empty() {
            (exact, None)
        } else if !truncated.is_empty() {
            (truncated, None)
        } else {
            let longest = self.longest_name_in(&key);
            match longest {
                Some(n) => {
                    let rest = key[n.len()..].trim_start();
                    let rest = rest.strip_prefix("nam ").unwrap_or(rest);
                    let year = rest
                        .split(' ')
                        .next()
                        .filter(|w| w.len() == 4)
                        .and_then(|w| w.parse::<i32>().ok());
                    (self.named(&n), year)
                }
                None => (Vec::new(), None),
            }
        };
        let matching: Vec<&Candidate> = matching
            .into_iter()
            .filter(|x| year.is_none() || year_of(x) == year)
            .collect();
        if matching.is_empty() {
            return Err(format!(
                "no document named \"{name}\" in the store or the registry"
            ));
        }
        if let Some(date) = c.date {
            let m: Vec<_> = matching.iter().filter(|x| x.issued == Some(date)).collect();
            return match m.len() {
                1 => Ok((m[0], Via::NameAndDate)),
                0 => Err(format!("no document named \"{name}\" dated {date}")),
                _ => Err(format!("several documents named \"{name}\" dated {date}")),
            };
        }
        let via = if year.is_some() {
            Via::NameAndDate
        } else {
            Via::Name
        };
        if matching.len() == 1 {
            return Ok((matching[0], via));
        }
        // Without a date, the version in force when the citing document was issued.
        if let Some(issued) = citing.issued {
            let best = matching
                .iter()
                .filter(|x| x.in_force_from.is_some_and(|f| f <= issued))
                .max_by_key(|x| x.in_force_from);
            if let Some(x) = best {
                return Ok((x, via));
            }
        }
        Err(format!(
            "several documents are named \"{name}\" and the citation gives no date"
        ))
    }
}

/// The path of `wanted` in `doc`: as written, or inside an annex. "khoản 2 Điều 5 của Quy
/// định ban hành kèm theo Quyết định số X" targets `khoản 2 Điều 5 Quy định`; an article X
/// lacks but its single article-structured annex has resolves to the annex's.
pub fn find_provision(doc: &Document, wanted: &str, raw: &str) -> Option<String> {
    let wanted = wanted.trim();
    let all = doc.all_provisions();
    let exists = |p: &str| all.iter().any(|x| x.path == p);
    let annexes: Vec<_> = all
        .iter()
        .filter(|p| p.kind == ProvisionKind::Annex)
        .collect();
    let raw_f = fold(raw);
    // An annex named in the citation's words comes first.
    for a in &annexes {
        if raw_f.contains(&fold(&a.label)) {
            for cand in [
                format!("{wanted} {}", a.label),
                format!("{wanted} {}", a.path),
            ] {
                if exists(&cand) {
                    return Some(cand);
                }
            }
        }
    }
    if exists(wanted) {
        return Some(wanted.to_string());
    }
    let structured: Vec<_> = annexes
        .iter()
        .filter(|a| a.walk().iter().any(|p| p.kind == ProvisionKind::Article))
        .collect();
    if structured.len() == 1 {
        let a = structured[0];
        for cand in [
            format!("{wanted} {}", a.label),
            format!("{wanted} {}", a.path),
        ] {
            if exists(&cand) {
                return Some(cand);
            }
        }
    }
    None
}

/// Resolves every citation of every document; the outer order is the documents' order.
pub fn resolve_all(docs: &[Document], registry: &Registry) -> Vec<Vec<ResolvedCitation>> {
    use rayon::prelude::*;
    let t0 = std::time::Instant::now();
    let r = Resolver::new(docs, registry);
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        "resolver: names indexed"
    );
    // Each document's citations alone, on every core, in the documents' order.
    docs.par_iter().map(|d| r.resolve_document(d)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EffectRule, Provision};

    pub(crate) fn doc(id: &str, issuer: &str, issued: &str) -> Document {
        Document {
            id: id.to_string(),
            number: None,
            doc_type: Some("Quyết định".into()),
            issuer: Some(issuer.into()),
            issuer_detail: None,
            place: None,
            issued: Some(issued.parse().unwrap()),
            title: None,
            effective_from: Some(issued.parse().unwrap()),
            effective_until: None,
            effect_rule: EffectRule::OnSigning,
            period: None,
            bases: vec![],
            proposal: None,
            enacting_formula: None,
            citations: vec![],
            provisions: vec![],
            recipients: vec![],
            signer: None,
            diagnostics: vec![],
            source: None,
            packed_text: None,
        }
    }

    fn cite(target: Option<&str>, relation: Relation) -> Citation {
        Citation {
            raw: target.unwrap_or("").to_string(),
            target: target.map(String::from),
            target_type: None,
            target_name: None,
            target_issuer: None,
            date: None,
            provision: None,
            relation,
            scope: None,
            new_text: None,
            internal: false,
            source: None,
            line: 1,
            column: 1,
        }
    }

    fn prov(kind: ProvisionKind, label: &str, path: &str, children: Vec<Provision>) -> Provision {
        Provision {
            kind,
            label: label.into(),
            path: path.into(),
            heading: None,
            text: String::new(),
            children,
            line: 1,
            start: 0,
            end: 0,
        }
    }

    #[test]
    fn numbers_normalise() {
        assert_eq!(normalize_number("13969 /QĐ-UBND"), "13969/QĐ-UBND");
        assert_eq!(
            normalize_number("15/2019/Q\u{00D0}-UBND"),
            "15/2019/QĐ-UBND"
        );
        assert_eq!(
            number_key("05/2020/QĐ-UBND@huyen-x"),
            number_key("5/2020/qđ-ubnd")
        );
    }

    #[test]
    fn shared_number_resolves_by_issuer_then_own_issuer() {
        let docs = vec![
            doc(
                "05/2020/QĐ-UBND@huyen-tan-phong",
                "Ủy ban nhân dân huyện Tân Phong",
                "2020-03-01",
            ),
            doc(
                "05/2020/QĐ-UBND@tinh-ha-lam",
                "Ủy ban nhân dân tỉnh Hà Lâm",
                "2020-02-01",
            ),
        ];
        let reg = Registry::default();
        let r = Resolver::new(&docs, &reg);
        let mut c = cite(Some("05/2020/QĐ-UBND"), Relation::Basis);
        c.target_issuer = Some("Ủy ban nhân dân tỉnh Hà Lâm".into());
        let citing = doc(
            "1/2021/QĐ-UBND",
            "Ủy ban nhân dân huyện Tân Phong",
            "2021-01-01",
        );
        assert_eq!(
            r.resolve(&citing, 0, &c).target.as_deref(),
            Some("05/2020/QĐ-UBND@tinh-ha-lam")
        );
        c.target_issuer = None;
        assert_eq!(
            r.resolve(&citing, 0, &c).target.as_deref(),
            Some("05/2020/QĐ-UBND@huyen-tan-phong")
        );
        c.date = Some("2020-02-01".parse().unwrap());
        assert_eq!(
            r.resolve(&citing, 0, &c).target.as_deref(),
            Some("05/2020/QĐ-UBND@tinh-ha-lam")
        );
    }

    #[test]
    fn law_by_name_and_date() {
        let reg = Registry::builtin();
        let docs = vec![];
        let r = Resolver::new(&docs, &reg);
        let citing = doc(
            "13969/QĐ-UBND",
            "Ủy ban nhân dân huyện Xuân Lộc",
            "2021-12-15",
        );
        let mut c = cite(None, Relation::Basis);
        c.raw = "Luật Tổ chức chính quyền địa phương ngày 19/6/2015".into();
        c.target_name = Some("Luật Tổ chức chính quyền địa phương".into());
        c.date = Some("2015-06-19".parse().unwrap());
        assert_eq!(
            r.resolve(&citing, 0, &c).target.as_deref(),
            Some("77/2015/QH13")
        );
        // Without the date: the version in force when the citing document was issued.
        c.date = None;
        assert_eq!(
            r.resolve(&citing, 0, &c).target.as_deref(),
            Some("77/2015/QH13")
        );
        // The amending law cited without "của", and only in the raw words.
        let mut c = cite(None, Relation::Basis);
        c.raw = "Luật sửa đổi, bổ sung một số điều Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22/11/2019".into();
        c.date = Some("2019-11-22".parse().unwrap());
        assert_eq!(
            r.resolve(&citing, 0, &c).target.as_deref(),
            Some("47/2019/QH14")
        );
    }

    #[test]
    fn unknown_number_is_kept_with_a_reason() {
        let reg = Registry::builtin();
        let docs = vec![];
        let r = Resolver::new(&docs, &reg);
        let citing = doc("1/2021/QĐ-UBND", "x", "2021-01-01");
        let rc = r.resolve(&citing, 0, &cite(Some("170/KH-UBND"), Relation::Mentions));
        assert!(!rc.is_resolved());
        assert!(matches!(rc.via, Via::Unresolved(ref w) if w.contains("170/KH-UBND")));
        let rc = r.resolve(&citing, 0, &cite(Some("76/NQ-CP"), Relation::Basis));
        assert_eq!(rc.target.as_deref(), Some("76/NQ-CP"));
    }

    #[test]
    fn provision_in_annex() {
        let mut target = doc("7/2019/QĐ-UBND", "x", "2019-01-01");
        target.provisions = vec![
            prov(ProvisionKind::Article, "1", "Điều 1", vec![]),
            prov(
                ProvisionKind::Annex,
                "Quy định",
                "Quy định",
                vec![prov(
                    ProvisionKind::Article,
                    "5",
                    "Điều 5 Quy định",
                    vec![prov(
                        ProvisionKind::Clause,
                        "2",
                        "khoản 2 Điều 5 Quy định",
                        vec![],
                    )],
                )],
            ),
        ];
        assert_eq!(
            find_provision(
                &target,
                "khoản 2 Điều 5",
                "khoản 2 Điều 5 của Quy định ban hành kèm theo Quyết định số 7/2019/QĐ-UBND"
            )
            .as_deref(),
            Some("khoản 2 Điều 5 Quy định")
        );
        // The decision lacks Điều 5; its single structured annex has it.
        assert_eq!(
            find_provision(&target, "Điều 5", "Điều 5").as_deref(),
            Some("Điều 5 Quy định")
        );
        assert_eq!(
            find_provision(&target, "Điều 1", "Điều 1").as_deref(),
            Some("Điều 1")
        );
        assert_eq!(find_provision(&target, "Điều 9", "Điều 9"), None);
    }

    #[test]
    fn slug_of_locality() {
        let mut d = doc("1", "Ủy ban nhân dân huyện Tân Phong", "2020-01-01");
        assert_eq!(issuer_slug(&d), "uy-ban-nhan-dan-huyen-tan-phong");
        d.issuer_detail = Some(crate::model::Issuer {
            name: "Ủy ban nhân dân huyện Tân Phong".into(),
            parent: None,
            level: crate::model::IssuerLevel::District,
            body: None,
            locality: Some("huyện Tân Phong".into()),
        });
        assert_eq!(issuer_slug(&d), "huyen-tan-phong");
    }
}
