//! Independent groups of documents: a partition of the store such that the findings about the
//! documents of one group depend on that group's documents alone (with the registry, the law
//! periods, the rules and the review date, which every group shares).
//!
//! Two stored documents are in one group when
//! - one cites the other (whatever the relation: the target's status, or the citing
//!   document's basis, depends on it);
//! - a later text names both in a chain of reasons (an effect on one that the other causes);
//! - both cite an outside document (of the registry) whose status a stored document changes
//!   (replaces, repeals, amends, suspends or promulgates it, or the registry names a stored
//!   document as what ended it): what one stored text does to it changes every citer's basis;
//! - a pair rule may compare their provisions (the rule's issuer relation over
//!   [`Blocks`] classes, computed once for the whole store): the documents of a class that
//!   pairs within itself or with another class are in one group, with those of the classes
//!   it pairs with.
//!
//! A document's findings, and the pairs a pair rule finds between two documents, then only
//! change when a document of its group changes. [`Groups::digest`] names a group by what its
//! findings are computed from, so findings kept under that name can be used again as they
//! are; a test runs the rules group by group and compares with one run over the store.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use super::blocks::{Blocks, Places};
use super::lang::{Cond, Rule, Scope};
use crate::model::{Document, Relation};
use crate::timeline::Timeline;

/// Union–find over node numbers, by size, with path halving.
struct Union {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Union {
    fn new(n: usize) -> Union {
        Union {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = p;
            x = p;
        }
        x
    }

    fn join(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }
}

/// The partition of the stored documents into independent groups.
#[derive(Debug)]
pub struct Groups {
    /// Each group's document ids, sorted; groups in the order of their first id.
    pub members: Vec<Vec<String>>,
    /// Document id → its group.
    pub group_of: HashMap<String, usize>,
    /// Per group, what the pair rules' issuer relation says about its classes
    /// (`rule: class | class` links and `rule: class` for classes paired within), sorted: part
    /// of its digest, since the relation is computed over the whole store.
    relation: Vec<Vec<String>>,
    /// Each outside document whose status a stored one changes, with the group of the
    /// documents citing it (joined in one).
    pub outside_changed: BTreeMap<String, usize>,
    /// The classes of the pair rules' issuer relation over the documents partitioned, in
    /// their order, when an enabled pair rule relates issuers.
    pub classes: Option<Blocks>,
}

/// Relations by which a stored document changes the status of what it cites.
pub fn changes_target(r: Relation) -> bool {
    !matches!(r, Relation::Basis | Relation::Details)
}

/// The issuer relation of pair rules: same issuer, or the lower issuer within the territory
/// of the higher one.
pub fn issuer_relation<'p>(places: &'p Places) -> impl Fn(&Document, &Document) -> bool + 'p {
    use super::eval::force_rank;
    move |x, y| {
        let (lower, upper) = if force_rank(x) >= force_rank(y) {
            (x, y)
        } else {
            (y, x)
        };
        super::eval::same_issuer(x, y)
            || (force_rank(lower) > force_rank(upper) && places.within(lower, upper))
    }
}

impl Groups {
    /// Partitions the stored documents of `timeline` (`docs`, in any order) for `rules`.
    /// `places` must be built from all of `docs`.
    pub fn partition(
        timeline: &Timeline,
        docs: &[&Document],
        places: &Places,
        rules: &[&Rule],
    ) -> Groups {
        let index: HashMap<&str, u32> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i as u32))
            .collect();
        // Outside documents get node numbers after the stored ones.
        let mut outside: HashMap<String, u32> = HashMap::new();
        let mut edges: Vec<(u32, u32)> = Vec::new();
        let mut citers: HashMap<u32, Vec<u32>> = HashMap::new();
        let mut changed_outside: BTreeSet<u32> = BTreeSet::new();
        let node_of = |id: &str, outside: &mut HashMap<String, u32>| -> u32 {
            if let Some(&i) = index.get(id) {
                return i;
            }
            let next = docs.len() as u32 + outside.len() as u32;
            *outside.entry(id.to_string()).or_insert(next)
        };
        for (i, d) in docs.iter().enumerate() {
            let i = i as u32;
            for rc in timeline.resolutions(&d.id) {
                let Some(t) = rc.target.as_deref() else {
                    continue;
                };
                let n = node_of(t, &mut outside);
                if (n as usize) < docs.len() {
                    edges.push((i, n));
                } else {
                    citers.entry(n).or_default().push(i);
                    if changes_target(rc.relation) {
                        changed_outside.insert(n);
                        edges.push((i, n));
                    }
                }
            }
        }
        // Every effect joins its target with the documents its reasons name.
        for m in timeline.effects() {
            let target = node_of(&m.target, &mut outside);
            for r in &m.chain {
                let Some(by) = r.document.as_deref() else {
                    continue;
                };
                let Some(&s) = index.get(by) else { continue };
                edges.push((target, s));
                if target as usize >= docs.len() {
                    changed_outside.insert(target);
                }
            }
        }
        let mut uf = Union::new(docs.len() + outside.len());
        for (a, b) in edges {
            uf.join(a, b);
        }
        for n in &changed_outside {
            for &c in citers.get(n).map_or(&[][..], Vec::as_slice) {
                uf.join(*n, c);
            }
        }
        // Pair rules: documents of one class that pairs within itself, and of linked classes.
        let mut relation_lines: Vec<(u32, String)> = Vec::new();
        // The same classes for every rule that relates issuers: made once.
        let mut classes: Option<Blocks> = None;
        for (r, rule) in rules.iter().enumerate() {
            if rule.scope != Scope::Pair || !rule.enabled {
                continue;
            }
            if !rule.conditions.contains(&Cond::SameOrLower) {
                for i in 1..docs.len() as u32 {
                    uf.join(0, i);
                }
                continue;
            }
            let blocks: &Blocks =
                classes.get_or_insert_with(|| Blocks::by_relation(docs, issuer_relation(places)));
            let mut first: Vec<Option<u32>> = vec![None; blocks.classes()];
            for i in 0..docs.len() as u32 {
                let g = blocks.class_of(i as usize) as usize;
                // A class that pairs with another joins all its documents with that class's,
                // even when they do not pair among themselves (documents whose issuer was
                // not read): any of them may pair with any of the other's.
                match first[g] {
                    Some(f) if blocks.pairs_within(g) || !blocks.linked(g).is_empty() => {
                        uf.join(f, i)
                    }
                    Some(_) => {}
                    None => first[g] = Some(i),
                }
            }
            for g in 0..blocks.classes() {
                let Some(fg) = first[g] else { continue };
                let key_g = format!("{:?}", Blocks::class_key(docs[fg as usize]));
                if blocks.pairs_within(g) {
                    relation_lines.push((fg, format!("{r}: {key_g}")));
                }
                for &h in blocks.linked(g) {
                    let Some(fh) = first[h as usize] else {
                        continue;
                    };
                    uf.join(fg, fh);
                    if (h as usize) > g {
                        let key_h = format!("{:?}", Blocks::class_key(docs[fh as usize]));
                        relation_lines.push((fg, format!("{r}: {key_g} | {key_h}")));
                    }
                }
            }
        }
        // Groups numbered in the order of their first id.
        let mut order: Vec<u32> = (0..docs.len() as u32).collect();
        order.sort_by(|&a, &b| docs[a as usize].id.cmp(&docs[b as usize].id));
        let mut number: HashMap<u32, usize> = HashMap::new();
        let mut members: Vec<Vec<String>> = Vec::new();
        let mut group_of = HashMap::with_capacity(docs.len());
        for i in order {
            let root = uf.find(i);
            let g = *number.entry(root).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[g].push(docs[i as usize].id.clone());
            group_of.insert(docs[i as usize].id.clone(), g);
        }
        let mut outside_changed = BTreeMap::new();
        for (id, &node) in &outside {
            if changed_outside.contains(&node) {
                if let Some(&g) = number.get(&uf.find(node)) {
                    outside_changed.insert(id.clone(), g);
                }
            }
        }
        let mut relation: Vec<Vec<String>> = vec![Vec::new(); members.len()];
        for (node, line) in relation_lines {
            relation[number[&uf.find(node)]].push(line);
        }
        for r in &mut relation {
            r.sort();
        }
        Groups {
            members,
            group_of,
            relation,
            outside_changed,
            classes,
        }
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when the store has no document.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// A name for what group `g`'s findings are computed from: each member's id and
    /// `version` (what the store says of the stored text: its row and revision), the
    /// citations as resolved, and the issuer relation among its classes. With the same
    /// registry, periods, rules and date, the same name means the same findings.
    pub fn digest(
        &self,
        g: usize,
        timeline: &Timeline,
        version: impl Fn(&str) -> String,
    ) -> String {
        let mut h = Sha256::new();
        for id in &self.members[g] {
            h.update(id.as_bytes());
            h.update([0]);
            h.update(version(id).as_bytes());
            h.update([0]);
            for rc in timeline.resolutions(id) {
                h.update(
                    format!(
                        "{}\u{1}{:?}\u{1}{:?}\u{1}{:?}\u{1}{}\u{2}",
                        rc.index, rc.relation, rc.target, rc.provision, rc.provision_found
                    )
                    .as_bytes(),
                );
            }
            h.update([3]);
        }
        for line in &self.relation[g] {
            h.update(line.as_bytes());
            h.update([4]);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Finding};
    use crate::rules::{run, run_in, Context, RuleSet};
    use crate::timeline::{LawPeriods, Registry};

    /// The rules run group by group, each over its group alone, against one run over all.
    fn group_by_group_matches_one_run(t: &Timeline, dates: &[&str]) -> usize {
        let periods = LawPeriods::builtin();
        let rules = RuleSet::builtin().rules;
        let all: Vec<&Rule> = rules.iter().collect();
        let docs: Vec<&Document> = t.stored_documents();
        let places = Places::build(&docs);
        let groups = Groups::partition(t, &docs, &places, &all);
        assert_eq!(
            groups.members.iter().map(Vec::len).sum::<usize>(),
            docs.len(),
            "every document in one group"
        );
        for as_of in dates {
            let as_of: Date = as_of.parse().unwrap();
            let whole = run(t, &periods, as_of, &rules);
            assert!(whole.len() > 10, "{as_of}: {} findings", whole.len());
            let mut parts: Vec<Finding> = Vec::new();
            for g in 0..groups.len() {
                let mut cx = Context::over(t, &periods, as_of, |d| groups.group_of[&d.id] == g);
                cx.set_places(places.clone());
                let found = run_in(cx, &rules);
                for f in &found {
                    assert_eq!(groups.group_of.get(&f.document), Some(&g), "{}", f.id);
                    for r in &f.related {
                        if !t.is_external(&r.document) {
                            assert_eq!(groups.group_of.get(&r.document), Some(&g), "{}", f.id);
                        }
                    }
                }
                parts.extend(found);
            }
            crate::rules::sort_findings(&mut parts);
            assert_eq!(
                serde_json::to_string(&parts).unwrap(),
                serde_json::to_string(&whole).unwrap(),
                "{as_of}"
            );
        }
        groups.len()
    }

    /// A document with `issuer` and its `locality` (none: a document whose issuer was not
    /// read), naming `names` in its bases.
    fn hand_doc(id: &str, issuer: Option<(&str, &str)>, names: &str) -> Document {
        use crate::model::{Basis, Issuer, IssuerLevel};
        let mut d = crate::parse::parse_document(
            "thu.txt",
            "QUYẾT ĐỊNH\nVề việc thử\n\nĐiều 1. Thử.\n\nĐiều 2. Hiệu lực kể từ ngày ký.\n",
        );
        d.id = id.into();
        d.issued = Some("2020-01-01".parse().unwrap());
        d.issuer = issuer.map(|(i, _)| i.into());
        d.issuer_detail = issuer.map(|(i, l)| Issuer {
            name: i.into(),
            parent: None,
            level: IssuerLevel::District,
            body: Some("Ủy ban nhân dân".into()),
            locality: Some(l.into()),
        });
        d.bases = vec![Basis {
            text: names.into(),
            citations: vec![],
            line: 1,
        }];
        d
    }

    #[test]
    fn documents_a_pair_rule_may_compare_are_in_one_group() {
        // Two documents whose issuer was not read, naming the district: their class does not
        // pair within itself, but pairs with the district's committee.
        let docs = vec![
            hand_doc(
                "1/2020/QĐ-UBND",
                Some(("Ủy ban nhân dân huyện Tân Phong", "huyện Tân Phong")),
                "",
            ),
            hand_doc("2/2020/QĐ", None, "trên địa bàn huyện Tân Phong"),
            hand_doc("3/2020/QĐ", None, "trên địa bàn huyện Tân Phong"),
            hand_doc(
                "4/2020/QĐ-UBND",
                Some(("Ủy ban nhân dân huyện Hòa Bình", "huyện Hòa Bình")),
                "",
            ),
        ];
        let t = Timeline::build(&docs, &Registry::builtin(), &LawPeriods::builtin());
        let refs: Vec<&Document> = t.stored_documents();
        let places = Places::build(&refs);
        let rules = RuleSet::builtin().rules;
        let all: Vec<&Rule> = rules.iter().collect();
        let groups = Groups::partition(&t, &refs, &places, &all);
        let blocks = Blocks::by_relation(&refs, issuer_relation(&places));
        let mut pairs = 0;
        for i in 0..refs.len() {
            for j in i + 1..refs.len() {
                if blocks.allows(i, j) {
                    pairs += 1;
                    assert_eq!(
                        groups.group_of[&refs[i].id], groups.group_of[&refs[j].id],
                        "{} and {} may pair",
                        refs[i].id, refs[j].id
                    );
                }
            }
        }
        assert_eq!(
            pairs, 2,
            "each unread issuer's document with the district's"
        );
        assert_eq!(groups.len(), 2);
    }

    #[test]
    fn findings_group_by_group_are_those_of_one_run_over_generated_districts() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = crate::store::Store::open(dir.path()).unwrap();
        let (files, _) = crate::corpusgen::generate(700, 5);
        for f in &files {
            let d = crate::parse::parse_document(&f.path, &f.text);
            store.put_document(&f.path, &f.path, &d).unwrap();
        }
        let docs = store.documents().unwrap();
        let t = Timeline::from_documents(docs, &Registry::builtin(), &LawPeriods::builtin());
        let n = group_by_group_matches_one_run(&t, &["2024-12-31", "2025-06-30"]);
        eprintln!("{n} groups");
        assert!(n >= 3, "{n} groups");
    }
}
