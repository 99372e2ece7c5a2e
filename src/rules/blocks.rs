//! Which units a pair rule may compare: the issuer relation, computed once per class of
//! documents instead of once per pair of provisions.
//!
//! A pair rule that asks "A and B have the same issuer, or A's issuer is below B's" can only
//! ever pair provisions of related issuers. Documents fall into classes that behave alike for
//! that question — same issuer, same force rank, same locality — and a province's corpus has a
//! few hundred classes whatever its size. The relation is computed between classes once; the
//! pair producers ([`super::conflict`], [`super::overlap`]) then compare units within a class
//! and with the classes related to it. Comparing every unit with every other grows with the
//! square of the corpus; this grows with the number of issuers times the square of one
//! issuer's corpus, which does not grow with the province.
//!
//! "Below" is decided as the rules always have: the lower issuer's documents name the higher
//! issuer's locality somewhere (issuer, bases, citations, text) — [`Places`] finds every known
//! locality in every document in one pass (Aho–Corasick over the folded text), instead of
//! searching each issuer's text for each locality.

use std::collections::{BTreeMap, HashMap, HashSet};

use aho_corasick::AhoCorasick;
use rayon::prelude::*;

use crate::model::{Document, IssuerLevel};
use crate::text::fold;

/// The localities each issuer's documents name.
#[derive(Debug, Default, Clone)]
pub struct Places {
    /// Folded locality → its number.
    ids: HashMap<String, u32>,
    /// Folded issuer (empty for documents without one) → the localities its documents name.
    named: HashMap<String, HashSet<u32>>,
}

/// The folded issuer key of a document: its issuer, or empty.
pub fn issuer_key(d: &Document) -> String {
    d.issuer.as_deref().map(fold).unwrap_or_default()
}

/// The folded words of a document: issuer, bases, citations, provisions.
pub fn document_text(a: &Document) -> String {
    let mut text = String::new();
    if let Some(ia) = &a.issuer_detail {
        text.push_str(&ia.name);
        text.push_str(ia.parent.as_deref().unwrap_or(""));
    }
    for bs in &a.bases {
        text.push_str(&bs.text);
    }
    for c in &a.citations {
        text.push_str(&c.raw);
    }
    let all = a.all_provisions();
    a.with_texts_at(0, all.len(), |texts| {
        for t in texts {
            text.push_str(t);
        }
    });
    fold(&text)
}

impl Places {
    /// Scans every document once for every locality some document's issuer has.
    pub fn build(docs: &[&Document]) -> Places {
        let patterns = Places::patterns(docs);
        let hits = Places::scan(&patterns, docs);
        Places::from_hits(
            patterns,
            docs.iter().copied().zip(hits.iter().map(Vec::as_slice)),
        )
    }

    /// The localities looked for: every stored document's issuer's, folded, without
    /// repeats, in the order of the documents.
    pub fn patterns(docs: &[&Document]) -> Vec<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut patterns = Vec::new();
        for d in docs {
            let Some(loc) = d.issuer_detail.as_ref().and_then(|i| i.locality.as_deref()) else {
                continue;
            };
            let loc = fold(loc);
            if !loc.is_empty() && seen.insert(loc.clone()) {
                patterns.push(loc);
            }
        }
        patterns
    }

    /// Which of `patterns` each document's words ([`document_text`]) name, sorted: what a
    /// document adds to [`Places`], kept with the store so that a later check scans only
    /// the documents that changed.
    pub fn scan(patterns: &[String], docs: &[&Document]) -> Vec<Vec<String>> {
        if patterns.is_empty() {
            return vec![Vec::new(); docs.len()];
        }
        let ac = AhoCorasick::new(patterns).expect("plain literal patterns always build");
        docs.par_iter()
            .map(|d| {
                let text = document_text(d);
                let mut hits: Vec<u32> = ac
                    .find_overlapping_iter(&text)
                    .map(|m| m.pattern().as_u32())
                    .collect();
                hits.sort_unstable();
                hits.dedup();
                let mut names: Vec<String> =
                    hits.iter().map(|&i| patterns[i as usize].clone()).collect();
                names.sort_unstable();
                names
            })
            .collect()
    }

    /// The localities each issuer's documents name, from what [`Places::scan`] found in each
    /// document (names outside `patterns` are ignored).
    pub fn from_hits<'d, 'h>(
        patterns: Vec<String>,
        hits: impl Iterator<Item = (&'d Document, &'h [String])>,
    ) -> Places {
        let ids: HashMap<String, u32> = patterns
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, i as u32))
            .collect();
        let mut named: HashMap<String, HashSet<u32>> = HashMap::new();
        if ids.is_empty() {
            return Places { ids, named };
        }
        for (d, names) in hits {
            let set = named.entry(issuer_key(d)).or_default();
            set.extend(names.iter().filter_map(|n| ids.get(n).copied()));
        }
        Places { ids, named }
    }

    /// The localities looked for, in their order, and those each issuer's documents name:
    /// what [`Places::from_parts`] makes the same places from.
    pub fn to_parts(&self) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
        let mut patterns: Vec<(u32, &String)> = self.ids.iter().map(|(p, &i)| (i, p)).collect();
        patterns.sort_unstable();
        let patterns: Vec<String> = patterns.into_iter().map(|(_, p)| p.clone()).collect();
        let named = self
            .named
            .iter()
            .map(|(issuer, set)| {
                let mut names: Vec<String> =
                    set.iter().map(|&i| patterns[i as usize].clone()).collect();
                names.sort_unstable();
                (issuer.clone(), names)
            })
            .collect();
        (patterns, named)
    }

    /// The places [`Places::to_parts`] gave the parts of.
    pub fn from_parts(patterns: Vec<String>, named: &BTreeMap<String, Vec<String>>) -> Places {
        let ids: HashMap<String, u32> = patterns
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, i as u32))
            .collect();
        let named = named
            .iter()
            .map(|(issuer, names)| {
                let set = names.iter().filter_map(|n| ids.get(n).copied()).collect();
                (issuer.clone(), set)
            })
            .collect();
        Places { ids, named }
    }

    /// True when documents of the issuer `key` name the (folded) locality `loc`.
    fn names(&self, key: &str, loc: &str) -> bool {
        if loc.is_empty() {
            return true;
        }
        match (self.ids.get(loc), self.named.get(key)) {
            (Some(id), Some(set)) => set.contains(id),
            _ => false,
        }
    }

    /// True when the lower document `a` belongs to the territory of the local body that issued
    /// `b` (a commune's decision under its district, a district's under its province): some
    /// document of `a`'s issuer names `b`'s locality. Central bodies cover everything.
    pub fn within(&self, a: &Document, b: &Document) -> bool {
        let Some(ib) = &b.issuer_detail else {
            return false;
        };
        if ib.level == IssuerLevel::Central {
            return true;
        }
        let Some(loc) = ib.locality.as_deref().map(fold) else {
            return false;
        };
        self.names(&issuer_key(a), &loc)
    }
}

/// Units grouped in classes, and which classes may pair.
#[derive(Debug)]
pub struct Blocks {
    /// The class of each unit.
    of: Vec<u32>,
    /// Whether two units of one class may pair.
    inner: Vec<bool>,
    /// The other classes each class may pair with, sorted.
    linked: Vec<Vec<u32>>,
    /// The same links as `(lower class, higher class)`.
    links: HashSet<(u32, u32)>,
}

impl Blocks {
    /// No restriction: `n` units in one class that pairs with itself.
    pub fn all(n: usize) -> Blocks {
        Blocks {
            of: vec![0; n],
            inner: vec![true],
            linked: vec![Vec::new()],
            links: HashSet::new(),
        }
    }

    /// Classes of the units' documents (`doc_of[i]` is unit `i`'s document) under the relation
    /// `related(a, b)`, which must depend only on [`Blocks::class_key`] of `a` and `b` and be
    /// symmetric.
    pub fn by_relation<'d>(
        doc_of: &[&'d Document],
        related: impl Fn(&Document, &Document) -> bool,
    ) -> Blocks {
        let mut class_ids: HashMap<ClassKey, u32> = HashMap::new();
        let mut reps: Vec<&'d Document> = Vec::new();
        let of: Vec<u32> = doc_of
            .iter()
            .map(|d| {
                *class_ids.entry(Self::class_key(d)).or_insert_with(|| {
                    reps.push(d);
                    (reps.len() - 1) as u32
                })
            })
            .collect();
        let n = reps.len();
        let inner: Vec<bool> = reps.iter().map(|d| related(d, d)).collect();
        let mut linked: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut links = HashSet::new();
        for g in 0..n {
            for h in g + 1..n {
                if related(reps[g], reps[h]) {
                    linked[g].push(h as u32);
                    linked[h].push(g as u32);
                    links.insert((g as u32, h as u32));
                }
            }
        }
        Blocks {
            of,
            inner,
            linked,
            links,
        }
    }

    /// What the issuer relation of pair rules reads of a document: the folded issuer, the
    /// force rank, and the level and folded locality of the issuing body.
    pub fn class_key(d: &Document) -> ClassKey {
        ClassKey {
            issuer: d.issuer.as_deref().map(fold),
            rank: super::eval::force_rank(d),
            body: d.issuer_detail.as_ref().map(|i| {
                (
                    i.level == IssuerLevel::Central,
                    i.locality.as_deref().map(fold),
                )
            }),
        }
    }

    /// The number of classes.
    pub fn classes(&self) -> usize {
        self.inner.len()
    }

    /// The class of unit `i`.
    pub fn class_of(&self, i: usize) -> u32 {
        self.of[i]
    }

    /// True when two units of class `g` may pair.
    pub fn pairs_within(&self, g: usize) -> bool {
        self.inner[g]
    }

    /// The other classes class `g` may pair with, sorted.
    pub fn linked(&self, g: usize) -> &[u32] {
        &self.linked[g]
    }

    /// True when units `i` and `j` may pair.
    pub fn allows(&self, i: usize, j: usize) -> bool {
        let (g, h) = (self.of[i], self.of[j]);
        if g == h {
            self.inner[g as usize]
        } else {
            self.links.contains(&(g.min(h), g.max(h)))
        }
    }

    /// Calls `f(i, j)` with `i < j` for every pair of `members` (unit indices, distinct) that
    /// may pair. With `cap`, a class holding more than `cap` of the members yields no pairs
    /// within itself, and two classes holding together more than `cap` none between them:
    /// text that many related documents share is boilerplate.
    pub fn for_each_pair(
        &self,
        members: &[usize],
        cap: Option<usize>,
        mut f: impl FnMut(usize, usize),
    ) {
        let cap = cap.unwrap_or(usize::MAX);
        let mut sorted: Vec<(u32, usize)> = members.iter().map(|&i| (self.of[i], i)).collect();
        sorted.sort_unstable();
        // Runs of one class: (class, start, end) in `sorted`.
        let mut runs: Vec<(u32, usize, usize)> = Vec::new();
        for (k, &(g, _)) in sorted.iter().enumerate() {
            match runs.last_mut() {
                Some(r) if r.0 == g => r.2 = k + 1,
                _ => runs.push((g, k, k + 1)),
            }
        }
        let emit = |a: usize, b: usize, f: &mut dyn FnMut(usize, usize)| f(a.min(b), a.max(b));
        let position: HashMap<u32, usize> = if runs.len() > 1 {
            runs.iter().enumerate().map(|(r, run)| (run.0, r)).collect()
        } else {
            HashMap::new()
        };
        for (r, &(g, s, e)) in runs.iter().enumerate() {
            if self.inner[g as usize] && e - s <= cap {
                for x in s..e {
                    for y in x + 1..e {
                        emit(sorted[x].1, sorted[y].1, &mut f);
                    }
                }
            }
            if runs.len() == 1 {
                continue;
            }
            let cross = |r2: usize, f: &mut dyn FnMut(usize, usize)| {
                let (_, s2, e2) = runs[r2];
                if (e - s) + (e2 - s2) > cap {
                    return;
                }
                for x in s..e {
                    for y in s2..e2 {
                        emit(sorted[x].1, sorted[y].1, f);
                    }
                }
            };
            let later = runs.len() - r - 1;
            if self.linked[g as usize].len() < later {
                for h in &self.linked[g as usize] {
                    if *h > g {
                        if let Some(&r2) = position.get(h) {
                            cross(r2, &mut f);
                        }
                    }
                }
            } else {
                for (r2, run) in runs.iter().enumerate().skip(r + 1) {
                    if self.links.contains(&(g, run.0)) {
                        cross(r2, &mut f);
                    }
                }
            }
        }
    }
}

/// See [`Blocks::class_key`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClassKey {
    issuer: Option<String>,
    rank: u8,
    body: Option<(bool, Option<String>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_made_again_from_their_parts_relate_the_same_documents() {
        let (files, _) = crate::corpusgen::generate(400, 7);
        let docs: Vec<Document> = files
            .iter()
            .map(|f| crate::parse::parse_document(&f.path, &f.text))
            .collect();
        let refs: Vec<&Document> = docs.iter().collect();
        let places = Places::build(&refs);
        let (patterns, named) = places.to_parts();
        assert_eq!(patterns, Places::patterns(&refs));
        assert!(named.values().any(|n| !n.is_empty()));
        let again = Places::from_parts(patterns.clone(), &named);
        assert_eq!(again.to_parts(), (patterns, named));
        // One document of each class against every other.
        let blocks = Blocks::by_relation(&refs, |a, b| places.within(a, b));
        let mut reps: Vec<&Document> = Vec::new();
        let mut seen = HashSet::new();
        for (i, d) in refs.iter().enumerate() {
            if seen.insert(blocks.class_of(i)) {
                reps.push(d);
            }
        }
        let mut within = 0;
        for a in &reps {
            for b in &reps {
                assert_eq!(places.within(a, b), again.within(a, b));
                within += usize::from(places.within(a, b));
            }
        }
        assert!(within > 0 && reps.len() > 2, "{within} of {}", reps.len());
    }

    fn brute(b: &Blocks, members: &[usize], cap: Option<usize>) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let cap = cap.unwrap_or(usize::MAX);
        let count = |g: u32| members.iter().filter(|&&i| b.of[i] == g).count();
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if !b.allows(i, j) {
                    continue;
                }
                let (g, h) = (b.of[i], b.of[j]);
                let size = if g == h {
                    count(g)
                } else {
                    count(g) + count(h)
                };
                if size <= cap {
                    out.push((i.min(j), i.max(j)));
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn blocks(of: Vec<u32>, inner: Vec<bool>, links: &[(u32, u32)]) -> Blocks {
        let mut linked = vec![Vec::new(); inner.len()];
        for &(g, h) in links {
            linked[g as usize].push(h);
            linked[h as usize].push(g);
        }
        for l in &mut linked {
            l.sort_unstable();
        }
        Blocks {
            of,
            inner,
            linked,
            links: links.iter().map(|&(g, h)| (g.min(h), g.max(h))).collect(),
        }
    }

    #[test]
    fn pairs_are_those_the_relation_allows_with_or_without_a_cap() {
        // Class 0 a province linked to 1 and 2 (districts); 3 has no issuer: no inner pairs.
        let b = blocks(
            vec![0, 1, 1, 2, 2, 2, 3, 3, 0, 1],
            vec![true, true, true, false],
            &[(0, 1), (0, 2), (2, 3)],
        );
        let members: Vec<usize> = (0..10).collect();
        for cap in [None, Some(2), Some(3), Some(5), Some(100)] {
            let mut got = Vec::new();
            b.for_each_pair(&members, cap, |i, j| got.push((i, j)));
            got.sort_unstable();
            assert_eq!(got, brute(&b, &members, cap), "cap {cap:?}");
        }
        let mut got = Vec::new();
        b.for_each_pair(&[6, 7], None, |i, j| got.push((i, j)));
        assert!(got.is_empty(), "no issuer, same rank: never paired");
    }

    #[test]
    fn one_class_is_every_pair() {
        let b = Blocks::all(5);
        let mut got = Vec::new();
        b.for_each_pair(&[4, 0, 2], None, |i, j| got.push((i, j)));
        got.sort_unstable();
        assert_eq!(got, vec![(0, 2), (0, 4), (2, 4)]);
        let mut none = Vec::new();
        b.for_each_pair(&[4, 0, 2], Some(2), |i, j| none.push((i, j)));
        assert!(none.is_empty(), "a bucket over the cap yields nothing");
    }
}
