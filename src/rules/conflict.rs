//! Conflicting quantities: two provisions that set a quantity of the same kind and unit for the
//! same matter, with different values.
//!
//! "The same matter" is decided from the words around the quantities:
//! - the words of the two clauses (numbers removed) must largely coincide (overlap
//!   coefficient of their syllable sets), and so must the headings of their articles, since
//!   one regulation often repeats a sentence for different procedures under different
//!   headings;
//! - where both name a procedure (`thủ tục cấp giấy phép xây dựng mới …`), the names must be
//!   equal: `xây dựng mới` and `sửa chữa, cải tạo` are different procedures;
//! - an additional amount (`hỗ trợ thêm`) is not the same matter as the base amount.
//!
//! - the two provisions stand in different documents (different values within one document
//!   are a self-contradiction, or, far more often, different cases listed side by side);
//! - each provision is compared only with its closest match in the other document, so that
//!   two regulations on one subject are aligned clause by clause.
//!
//! Candidates are grouped by kind and unit first, so only clauses that share a unit are ever
//! compared, and within a group only the pairs the rule's issuer relation allows
//! ([`Blocks`]): the work grows with each issuer's corpus, not with the square of all of them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::blocks::Blocks;

use super::eval::Unit;
use super::overlap::syllables;
use super::quantities::{extract, QuantityKind};
use crate::model::ProvisionKind;

/// A conflicting pair of units (indices into the units), with the values as written.
#[derive(Debug, Clone)]
pub struct ConflictPair {
    pub a: usize,
    pub b: usize,
    pub a_value: String,
    pub b_value: String,
    /// What the quantities qualify, in the words of the clause.
    pub matter: String,
}

/// A compared pair: the shared kind and unit, the two units, overlap and Jaccard similarity.
type Scored<'k> = (&'k (QuantityKind, String), usize, usize, f64, f64);

/// Units with more distinct words than this are lists or tables, not one rule.
const MAX_WORDS: usize = 150;

const STOP: &[&str] = &[
    "va", "cua", "cac", "cho", "voi", "theo", "tai", "la", "duoc", "co", "khi", "trong", "tu",
    "den", "nay", "do", "the", "nhung", "mot", "so", "phai", "doi",
];

/// Words of a title that say nothing of its matter.
const TITLE_STOP: &[&str] = &[
    "ban", "hanh", "kem", "quy", "dinh", "quyet", "nghi", "ve", "viec", "tren", "dia", "huyen",
    "tinh", "xa", "thi", "tran", "mot", "muc",
];

/// A kind and unit of quantity.
type Key = (QuantityKind, String);

/// The values a unit sets of one kind and unit: in thousandths (sorted), and as written.
type Values = (Vec<i64>, Vec<String>);

struct Features {
    /// The clause's words (hashed, sorted, distinct): compared for every candidate pair.
    ctx: Vec<u64>,
    /// The article heading's words (hashed, sorted, distinct).
    heading: Vec<u64>,
    /// The heading's words with the document title's, generic words removed (hashed, sorted,
    /// distinct). Held as hashes: at 100k documents the conflict rule keeps 136,000 units'
    /// features, and sets of strings were the largest part of them.
    topic: Vec<u64>,
    procedure: Option<String>,
    additional: bool,
    /// Per kind and unit of quantity, the values (in thousandths, sorted) and the values as
    /// written; sorted by kind and unit. A vector rather than a map: most clauses set one or
    /// two, and a map's node held ten times that for each of the 136,000 units with
    /// quantities at 100k documents.
    values: Vec<(Key, Values)>,
    matter: String,
}

impl Features {
    /// The values of a kind and unit the unit sets (it is grouped under those it sets).
    fn value(&self, key: &Key) -> &Values {
        let at = self
            .values
            .binary_search_by(|(k, _)| k.cmp(key))
            .expect("a unit is grouped by the keys it sets");
        &self.values[at].1
    }
}

fn words(s: &str) -> BTreeSet<String> {
    syllables(s)
        .into_iter()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()) && !STOP.contains(&w.as_str()))
        .collect()
}

/// The words' hashes, sorted and distinct: set operations on them are merges of integers.
fn hashed(words: &BTreeSet<String>) -> Vec<u64> {
    let mut v: Vec<u64> = words
        .iter()
        .map(|w| super::overlap::fnv1a(w.as_bytes()))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The size of the intersection of two sorted sets.
fn common(a: &[u64], b: &[u64]) -> usize {
    super::overlap::common_sorted(a, b)
}

fn overlap_coeff_hashed(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 1.0;
    }
    common(a, b) as f64 / a.len().min(b.len()) as f64
}

fn jaccard_hashed(a: &[u64], b: &[u64]) -> f64 {
    let inter = common(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// The largest index at most `i` that is a character boundary of `s`.
fn floor_char_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    (0..=i).rev().find(|&k| s.is_char_boundary(k)).unwrap_or(0)
}

fn procedure(text: &str) -> Option<String> {
    let syl = syllables(text);
    let pos = syl
        .windows(2)
        .position(|w| w[0] == "thu" && w[1] == "tuc")?;
    // The procedure's name runs to the colon (or to `thoi han`).
    let after: String = {
        let f = crate::text::fold(text);
        let i = f.find("thu tuc")?;
        let rest = &f[i + "thu tuc".len()..];
        // Folding keeps punctuation such as `”` (three bytes): the 80-byte cap is moved back
        // to a character boundary.
        let end = rest
            .find(':')
            .or_else(|| rest.find("thoi han"))
            .unwrap_or_else(|| floor_char_boundary(rest, 80));
        rest[..end].to_string()
    };
    let _ = pos;
    let name: Vec<String> = syllables(&after);
    (!name.is_empty()).then(|| name.join(" "))
}

/// The unit's features, or `None` when it sets no quantity of these kinds (most units: the
/// rest is then not computed).
fn features(u: &Unit<'_>, kinds: &[QuantityKind]) -> Option<Features> {
    let text = u.text();
    let qs: Vec<_> = extract(&text)
        .into_iter()
        .filter(|q| kinds.contains(&q.kind))
        .collect();
    if qs.is_empty() {
        return None;
    }
    let mut values: BTreeMap<Key, Values> = BTreeMap::new();
    for q in &qs {
        let e = values.entry((q.kind, q.unit.clone())).or_default();
        e.0.push((q.value * 1000.0).round() as i64);
        e.1.push(q.raw.clone());
    }
    for v in values.values_mut() {
        v.0.sort_unstable();
    }
    let values: Vec<_> = values.into_iter().collect();
    // The matter: the words before the first quantity, from the start of its sentence part.
    let matter = qs
        .first()
        .map(|q| {
            let before = &text[..q.start];
            let start = before.rfind([';', '\n']).map_or(0, |i| i + 1);
            before[start..]
                .trim()
                .trim_end_matches(':')
                .trim()
                .to_string()
        })
        .unwrap_or_default();
    let folded = crate::text::fold(&text);
    let heading = words(u.heading);
    let issuer = words(u.doc.issuer.as_deref().unwrap_or(""));
    let mut topic: BTreeSet<String> = words(u.doc.title.as_deref().unwrap_or(""))
        .into_iter()
        .filter(|w| !issuer.contains(w) && !TITLE_STOP.contains(&w.as_str()))
        .collect();
    topic.extend(heading.iter().cloned());
    Some(Features {
        ctx: hashed(&words(&text)),
        heading: hashed(&heading),
        topic: hashed(&topic),
        procedure: procedure(&text),
        additional: folded.contains("ho tro them") || folded.contains("cong them"),
        values,
        matter,
    })
}

/// Pairs of units that set different values for the same matter, among the `eligible` units
/// and the pairs `blocks` allows.
pub fn conflicting_pairs(
    units: &[Unit<'_>],
    kinds: &[QuantityKind],
    eligible: &[bool],
    blocks: &Blocks,
) -> Vec<ConflictPair> {
    let idx: Vec<usize> = (0..units.len())
        .filter(|&i| eligible[i])
        .filter(|&i| {
            let u = &units[i];
            match u.kind {
                ProvisionKind::Clause => true,
                // An article speaks through its clauses when it has some.
                ProvisionKind::Article => u
                    .doc
                    .provision(u.path)
                    .is_some_and(|p| !p.children.iter().any(|c| c.kind == ProvisionKind::Clause)),
                _ => false,
            }
        })
        .collect();
    // In unit order (a parallel collect keeps it), found through each unit's slot: a map
    // of 136,000 units' features at 100k documents held a fifth of its room empty.
    let t0 = std::time::Instant::now();
    let feats: Vec<(usize, Features)> = idx
        .par_iter()
        .filter_map(|&i| Some((i, features(&units[i], kinds)?)))
        .collect();
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        read = idx.len(),
        with_quantities = feats.len(),
        "check: conflict features"
    );
    let t0 = std::time::Instant::now();
    let mut slot = vec![u32::MAX; units.len()];
    for (x, (i, _)) in feats.iter().enumerate() {
        slot[*i] = u32::try_from(x).expect("units fit in 32 bits");
    }
    let feat = |i: usize| &feats[slot[i] as usize].1;
    if std::env::var_os("RASOAT_DEBUG_UNITS").is_some() {
        let sorted: BTreeMap<_, _> = feats.iter().map(|(i, f)| (i, f)).collect();
        for (i, f) in sorted {
            eprintln!(
                "unit {} {} {:?}",
                units[*i].doc.id, units[*i].path, f.values
            );
        }
    }
    let mut groups: BTreeMap<&(QuantityKind, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in &feats {
        for (k, _) in &f.values {
            groups.entry(k).or_default().push(*i);
        }
    }
    // Units' documents as small numbers, for the keys of `best`.
    let mut doc_number: HashMap<&str, u64> = HashMap::new();
    let doc_of: HashMap<usize, u64> = feats
        .iter()
        .map(|&(i, _)| {
            let next = doc_number.len() as u64;
            (
                i,
                *doc_number.entry(units[i].doc.id.as_str()).or_insert(next),
            )
        })
        .collect();
    let best_key = |unit: usize, other: usize| ((unit as u64) << 32) | doc_of[&other];
    // Whether a pair can be a conflict on `key`, all but the best-match test: a pair that
    // cannot is forgotten (at 100k documents, keeping every scored pair held more than a
    // gigabyte).
    let may_conflict = |key: &(QuantityKind, String), i: usize, j: usize, ctx: f64| {
        let (fa, fb) = (feat(i), feat(j));
        if ctx < 0.6 || fa.value(key).0 == fb.value(key).0 || fa.additional != fb.additional {
            return false;
        }
        let proc_ok = match (&fa.procedure, &fb.procedure) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        proc_ok
            && (overlap_coeff_hashed(&fa.heading, &fb.heading) >= 0.5
                || overlap_coeff_hashed(&fa.topic, &fb.topic) >= 0.5)
    };
    // Whether a pair is compared at all: a long list or table against one sentence says
    // nothing of one matter.
    let comparable = |i: usize, j: usize| {
        let (ca, cb) = (&feat(i).ctx, &feat(j).ctx);
        let (small, large) = (ca.len().min(cb.len()), ca.len().max(cb.len()));
        large <= MAX_WORDS && (small as f64) >= 0.5 * large as f64
    };
    // First pass: the pairs that can be conflicts, all but the best-match test. The pairs
    // are scored in parallel a slice at a time, as they come, so that a large group's pairs
    // are never all held at once; the pairs kept are sorted at the end.
    let mut scored: Vec<Scored<'_>> = Vec::new();
    for (key, members) in &groups {
        let score = |slice: &[(usize, usize)]| -> Vec<(usize, usize, f64, f64)> {
            slice
                .par_iter()
                .filter_map(|&(i, j)| {
                    if !comparable(i, j) {
                        return None;
                    }
                    let (ca, cb) = (&feat(i).ctx, &feat(j).ctx);
                    let ctx = overlap_coeff_hashed(ca, cb);
                    may_conflict(key, i, j, ctx).then(|| (i, j, ctx, jaccard_hashed(ca, cb)))
                })
                .collect()
        };
        const SLICE: usize = 1 << 16;
        let mut pending: Vec<(usize, usize)> = Vec::with_capacity(SLICE.min(members.len()));
        blocks.for_each_pair(members, None, |i, j| {
            if units[i].doc.id != units[j].doc.id {
                pending.push((i, j));
                if pending.len() == SLICE {
                    scored.extend(
                        score(&pending)
                            .into_iter()
                            .map(|(i, j, c, s)| (*key, i, j, c, s)),
                    );
                    pending.clear();
                }
            }
        });
        scored.extend(
            score(&pending)
                .into_iter()
                .map(|(i, j, c, s)| (*key, i, j, c, s)),
        );
    }
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        pairs_kept = scored.len(),
        "check: conflict pairs scored"
    );
    let t0 = std::time::Instant::now();
    // Second pass: a unit is compared only with its closest match in the other document
    // (clause-by-clause alignment of two regulations on the same subject), ranked by Jaccard
    // similarity, which does not favour the shorter clause as the overlap coefficient does.
    // Only the best matches the kept pairs ask about are computed: at 100k documents the best
    // match of every unit against every other document was nine million entries.
    let mut best: HashMap<u64, f64> = HashMap::new();
    let mut asked = vec![false; units.len()];
    for &(_, i, j, _, _) in &scored {
        best.insert(best_key(i, j), 0.0);
        best.insert(best_key(j, i), 0.0);
        asked[i] = true;
        asked[j] = true;
    }
    if !best.is_empty() {
        for members in groups.values() {
            blocks.for_each_pair(members, None, |i, j| {
                if !(asked[i] || asked[j]) || units[i].doc.id == units[j].doc.id {
                    return;
                }
                let (ij, ji) = (best_key(i, j), best_key(j, i));
                if !(best.contains_key(&ij) || best.contains_key(&ji)) || !comparable(i, j) {
                    return;
                }
                let jac = jaccard_hashed(&feat(i).ctx, &feat(j).ctx);
                for k in [ij, ji] {
                    if let Some(e) = best.get_mut(&k) {
                        if jac > *e {
                            *e = jac;
                        }
                    }
                }
            });
        }
    }
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        best = best.len(),
        "check: conflict best matches"
    );
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (key, i, j, _ctx, jac) in scored {
        let Some(&best_i) = best.get(&best_key(i, j)) else {
            continue;
        };
        let Some(&best_j) = best.get(&best_key(j, i)) else {
            continue;
        };
        if seen.contains(&(i, j)) {
            continue;
        }
        if !(jac >= best_i && jac >= best_j) {
            continue;
        }
        let (fa, fb) = (feat(i), feat(j));
        let (va, vb) = (fa.value(key), fb.value(key));
        seen.insert((i, j));
        out.push(ConflictPair {
            a: i,
            b: j,
            a_value: va.1.join("; "),
            b_value: vb.1.join("; "),
            matter: if fa.matter.is_empty() {
                fb.matter.clone()
            } else {
                fa.matter.clone()
            },
        });
    }
    out.sort_by_key(|c| (c.a, c.b));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_procedure_name_cut_inside_a_quotation_mark_does_not_panic() {
        // Found on a generated 100k corpus: the 80th byte of the folded text after
        // `thủ tục` fell inside a closing quotation mark (three bytes).
        for pad in 70..90 {
            let t = format!("Thủ tục {}” thêm chữ", "b".repeat(pad));
            let name = procedure(&t).expect("a name");
            assert!(name.starts_with("bbbb"), "{name}");
        }
        assert_eq!(floor_char_boundary("a”", 2), 1);
        assert_eq!(floor_char_boundary("a”", 9), 4);
    }
}
