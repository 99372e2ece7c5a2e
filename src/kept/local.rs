//! A check of part of the store: after documents were added to a store whose findings a
//! check kept complete, only the groups the new documents join are read and checked.
//!
//! The last complete check keeps its partition ([`Partition`]: each group's digest and
//! members, the issuers' classes, the localities each issuer's documents name). A later check
//! under the same configuration, of the store with new documents only (none removed, none
//! changed), finds the groups they join without reading the store:
//! - the groups of the documents the new ones cite and of those citing them, and of those
//!   whose citations resolve otherwise since (their rows were written again), from the
//!   citations table;
//! - when a new document cites an outside document whose status a stored one changes, the
//!   groups of every document citing it;
//! - the groups of the new documents' issuer classes and of the classes these may pair with
//!   (a new document must add no class and name no locality its issuer's documents did not).
//!
//! It reads those groups' documents whole and their citations as the relations table resolved
//! them, builds the status engine over them alone and partitions them again; the rules run on
//! the new groups whose findings were not kept, and every other group keeps its findings.
//! Anything else (a document removed or changed, imported validity facts, relations not
//! rebuilt since, a new district, or a status engine whose links leave the part read) is left
//! to the check of the whole store ([`super::run`]). The test that makes it safe compares every
//! such check with `check --full`, document after document (`tests/kept_check.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{mark_complete, KeptError};
use crate::model::{Date, Document, Finding};
use crate::rules::blocks::{issuer_key, Blocks, Places};
use crate::rules::groups::{changes_target, Groups};
use crate::rules::lang::{Cond, Scope};
use crate::rules::{self, Context, Rule};
use crate::store::Store;
use crate::timeline::{LawPeriods, Registry, Timeline};

/// At most this many new documents are checked in part; more go to the whole check.
const MAX_NEW: usize = 256;

/// The partition a complete check kept beside its findings.
#[derive(Debug, Serialize, Deserialize)]
pub struct Partition {
    /// Each group's digest and member ids.
    groups: Vec<(String, Vec<String>)>,
    /// The issuers' classes, when an enabled pair rule compares the documents of related
    /// issuers only ([`Cond::SameOrLower`]).
    classes: Option<Vec<Class>>,
    /// The localities looked for, in order ([`Places::to_parts`]).
    patterns: Vec<String>,
    /// The localities each issuer's documents name.
    named: BTreeMap<String, Vec<String>>,
    /// Each outside document whose status a stored one changes, with the group of the
    /// documents citing it ([`Groups::outside_changed`]).
    #[serde(default)]
    outside_changed: Option<BTreeMap<String, u32>>,
}

/// One class of the pair rules' issuer relation ([`Blocks::class_key`]).
#[derive(Debug, Serialize, Deserialize)]
struct Class {
    key: String,
    /// The groups holding documents of the class, sorted.
    groups: Vec<u32>,
    /// The other classes it may pair with (indices into the classes).
    linked: Vec<u32>,
}

/// True when some enabled pair rule relates only documents of related issuers: the classes
/// then join groups ([`Groups::partition`]).
fn classes_join(rules: &[&Rule]) -> bool {
    rules
        .iter()
        .any(|r| r.enabled && r.scope == Scope::Pair && r.conditions.contains(&Cond::SameOrLower))
}

fn class_key(d: &Document) -> String {
    format!("{:?}", Blocks::class_key(d))
}

/// [`Partition`] as it is written, borrowing the groups' members.
#[derive(Serialize)]
struct PartitionRef<'a> {
    groups: Vec<(&'a String, &'a Vec<String>)>,
    classes: Option<Vec<Class>>,
    patterns: Vec<String>,
    named: BTreeMap<String, Vec<String>>,
    outside_changed: Option<BTreeMap<&'a String, u32>>,
}

impl Partition {
    /// The JSON of the partition of `docs` (every stored document, in the order
    /// [`Groups::partition`] was given them) into `groups`, named by `digests`.
    pub fn json_of(
        groups: &Groups,
        digests: &[String],
        docs: &[&Document],
        places: &Places,
        rules: &[&Rule],
    ) -> String {
        let classes = match (&groups.classes, classes_join(rules)) {
            (Some(blocks), true) => {
                let mut out: Vec<Class> = (0..blocks.classes())
                    .map(|c| Class {
                        key: String::new(),
                        groups: Vec::new(),
                        linked: blocks.linked(c).to_vec(),
                    })
                    .collect();
                for (i, d) in docs.iter().enumerate() {
                    let c = &mut out[blocks.class_of(i) as usize];
                    if c.key.is_empty() {
                        c.key = class_key(d);
                    }
                    if let Some(&g) = groups.group_of.get(&d.id) {
                        if c.groups.last() != Some(&(g as u32)) {
                            c.groups.push(g as u32);
                        }
                    }
                }
                for c in &mut out {
                    c.groups.sort_unstable();
                    c.groups.dedup();
                }
                Some(out)
            }
            _ => None,
        };
        let (patterns, named) = places.to_parts();
        let view = PartitionRef {
            groups: digests.iter().zip(&groups.members).collect(),
            classes,
            patterns,
            named,
            outside_changed: Some(
                groups
                    .outside_changed
                    .iter()
                    .map(|(t, &g)| (t, g as u32))
                    .collect(),
            ),
        };
        serde_json::to_string(&view).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The part of the store new documents join ([`find_part`]).
pub struct Found {
    /// Each stored document's version, by id ([`Store::versions_by_id`]).
    pub versions: HashMap<String, String>,
    /// The groups of the partition the part covers.
    pub affected: BTreeSet<u32>,
    /// The part's documents: those groups' and the new ones.
    pub ids: BTreeSet<String>,
    /// The documents added since the partition.
    pub added: Vec<String>,
    /// The status engine over the part alone.
    pub timeline: Timeline,
    /// The localities each issuer's documents name, over the whole store.
    pub places: Places,
}

/// Why a check of part of the store was not possible: the whole is checked instead.
fn whole(why: &str) -> Result<Option<Vec<Finding>>, KeptError> {
    tracing::info!(why, "check: the whole store is checked");
    Ok(None)
}

/// The findings on `as_of` of the store at `revision`, computed over the groups the documents
/// added since the last complete check under `config` join, the others' kept as they are; the
/// new findings and partition are kept for the next check. `None` when the store changed in
/// another way (see the module's documentation): the caller checks the whole store.
#[allow(clippy::too_many_arguments)]
pub fn run(
    store: &mut Store,
    config: &str,
    revision: i64,
    registry: &Registry,
    registry_text: &str,
    periods: &LawPeriods,
    as_of: Date,
    rules: &[Rule],
) -> Result<Option<Vec<Finding>>, KeptError> {
    let t_all = std::time::Instant::now();
    // Everything is read in one transaction, of the store at `revision`.
    let snapshot = store
        .connection()
        .unchecked_transaction()
        .map_err(|source| crate::store::StoreError::Sqlite {
            path: store.path().to_path_buf(),
            source,
        })?;
    if store.revision()? != revision {
        return whole("the store was written since the check began");
    }
    let Some((since, json)) = store.kept_partition(config)? else {
        return whole("no partition kept under this configuration");
    };
    if since >= revision {
        return whole("the kept partition is of this revision");
    }
    if !store.validity_facts()?.is_empty() {
        return whole("validity facts were imported");
    }
    if !store.relations_current(registry_text)? {
        return whole("the relations were not rebuilt since the last write");
    }
    let Ok(part) = serde_json::from_str::<Partition>(&json) else {
        return whole("the kept partition cannot be read");
    };
    drop(json);
    let found = match find_part(store, &part, since, registry, periods)? {
        Ok(f) => f,
        Err(why) => return whole(why),
    };
    let Found {
        versions,
        affected,
        ids: part_ids,
        added,
        timeline,
        places,
    } = found;

    // The part partitioned again; the rules run on its new groups.
    let t0 = std::time::Instant::now();
    let enabled: Vec<&Rule> = rules.iter().filter(|r| r.enabled).collect();
    let docs = timeline.stored_documents();
    let groups = Groups::partition(&timeline, &docs, &places, &enabled);
    let digests: Vec<String> = (0..groups.len())
        .map(|g| {
            groups.digest(g, &timeline, |id| {
                versions.get(id).cloned().unwrap_or_default()
            })
        })
        .collect();
    let unaffected: Vec<usize> = (0..part.groups.len())
        .filter(|g| !affected.contains(&(*g as u32)))
        .collect();
    let current: HashSet<&str> = unaffected
        .iter()
        .map(|&g| part.groups[g].0.as_str())
        .chain(digests.iter().map(String::as_str))
        .collect();
    let kept = store.kept_findings(config, &current).unwrap_or_default();
    if unaffected
        .iter()
        .any(|&g| !kept.contains_key(&part.groups[g].0))
    {
        return whole("a kept group's findings are missing");
    }
    let dirty: HashSet<usize> = (0..groups.len())
        .filter(|&g| !kept.contains_key(&digests[g]))
        .collect();
    let mut cx = Context::over(&timeline, periods, as_of, |d| {
        groups
            .group_of
            .get(&d.id)
            .is_some_and(|g| dirty.contains(g))
    });
    cx.set_places(places.clone());
    let fresh = rules::run_in(cx, rules);
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        groups = dirty.len(),
        "check: rules on the new groups"
    );

    // Every group's findings: kept or fresh.
    let t0 = std::time::Instant::now();
    let (by_group, keep) = super::by_group(&fresh, &groups, &dirty);
    let rows: Vec<&String> = current.iter().filter_map(|d| kept.get(*d)).collect();
    let parsed: Result<Vec<Vec<Finding>>, _> = rows
        .par_iter()
        .map(|json| serde_json::from_str::<Vec<Finding>>(json))
        .collect();
    let Ok(parsed) = parsed else {
        return whole("a kept group's findings cannot be read");
    };
    let mut findings: Vec<Finding> = parsed.into_iter().flatten().collect();
    drop(kept);
    drop(snapshot);
    if keep {
        let mut fresh_rows: Vec<(String, String)> = by_group
            .iter()
            .map(|(g, v)| {
                let json = serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
                (digests[*g].clone(), json)
            })
            .collect();
        fresh_rows.sort_unstable();
        let next = next_partition(&part, &unaffected, &groups, &digests, &docs);
        match store.keep_findings(config, &mut fresh_rows.into_iter(), &current) {
            Ok(()) => mark_complete(store, config, revision, &current, Some(&next.to_json())),
            Err(e) => eprintln!("rasoat: the findings were not kept for the next check: {e}"),
        }
    }
    findings.extend(fresh);
    rules::sort_findings(&mut findings);
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        "check: findings of the part kept"
    );
    tracing::info!(
        seconds = t_all.elapsed().as_secs_f64(),
        added = added.len(),
        groups = affected.len(),
        documents = part_ids.len(),
        "check: the groups the new documents join, the others kept"
    );
    Ok(Some(findings))
}

/// The part of the store the documents added since the partition `part` (of the store at
/// revision `since`) join, with its status engine: `Err(why)` when the store changed in
/// another way, or the part is not a union of groups.
pub fn find_part(
    store: &Store,
    part: &Partition,
    since: i64,
    registry: &Registry,
    periods: &LawPeriods,
) -> Result<Result<Found, &'static str>, KeptError> {
    let t0 = std::time::Instant::now();
    let mut group_of: HashMap<&str, u32> = HashMap::new();
    for (g, (_, members)) in part.groups.iter().enumerate() {
        for id in members {
            group_of.insert(id.as_str(), g as u32);
        }
    }
    // Only documents added: the rows written since are new ones, and every other row is one
    // of the partition's members, unchanged.
    let mut added_keys = store.keys_revised_after(since)?;
    if added_keys.is_empty() || added_keys.len() > MAX_NEW {
        return Ok(Err("no document added, or many"));
    }
    let count = store.document_count()?;
    if count != group_of.len() + added_keys.len() {
        return Ok(Err("a document was removed or changed"));
    }
    added_keys.sort_unstable();
    let mut added_docs = store.documents_by_keys(&added_keys)?;
    added_docs.par_iter_mut().for_each(Document::shed_for_rules);
    let added_ids: Vec<String> = added_docs.iter().map(|d| d.id.clone()).collect();
    for d in &added_docs {
        if group_of.contains_key(d.id.as_str()) {
            return Ok(Err("a stored document changed"));
        }
        if d.id.contains('@') {
            return Ok(Err("a new document shares its number with another"));
        }
    }
    let added: Vec<&str> = added_ids.iter().map(String::as_str).collect();
    let added_set: HashSet<&str> = added.iter().copied().collect();
    let rewritten_keys = store.citations_written_after(since)?;
    if rewritten_keys.len() > MAX_NEW * 4 {
        return Ok(Err("many documents' citations resolve otherwise"));
    }
    let rewritten_ids = store.ids_of_keys(&rewritten_keys)?;
    let rewritten: Vec<&str> = rewritten_ids.values().map(String::as_str).collect();
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        added = added.len(),
        rewritten = rewritten.len(),
        "check: documents added since the last check"
    );

    // The new documents: no new class, no locality their issuers' documents did not name.
    let t0 = std::time::Instant::now();
    let places = Places::from_parts(part.patterns.clone(), &part.named);
    let patterns: HashSet<&str> = part.patterns.iter().map(String::as_str).collect();
    let hits = Places::scan(&part.patterns, &added_docs.iter().collect::<Vec<_>>());
    let mut affected: BTreeSet<u32> = BTreeSet::new();
    let class_index: HashMap<&str, usize> = part
        .classes
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, c)| (c.key.as_str(), i))
        .collect();
    for (d, names) in added_docs.iter().zip(&hits) {
        if registry.numberless_entry(&d.id).is_some()
            || registry.entries.iter().any(|e| e.id == d.id)
        {
            return Ok(Err("a new document is a registry entry's text"));
        }
        let locality = d
            .issuer_detail
            .as_ref()
            .and_then(|i| i.locality.as_deref())
            .map(crate::text::fold)
            .filter(|l| !l.is_empty());
        if locality.is_some_and(|l| !patterns.contains(l.as_str())) {
            return Ok(Err(
                "a new document's issuer has a locality no document had",
            ));
        }
        let named = part.named.get(&issuer_key(d));
        if !names
            .iter()
            .all(|n| named.is_some_and(|set| set.binary_search(n).is_ok()))
        {
            return Ok(Err(
                "a new document names a locality its issuer's documents did not",
            ));
        }
        if let Some(classes) = &part.classes {
            let Some(&c) = class_index.get(class_key(d).as_str()) else {
                return Ok(Err("a new document's issuer is of a new class"));
            };
            affected.extend(&classes[c].groups);
            for &l in &classes[c].linked {
                affected.extend(&classes[l as usize].groups);
            }
        }
    }

    // The groups the new documents, and those whose citations resolve otherwise, join.
    let stored = |id: &str| group_of.contains_key(id) || added_set.contains(id);
    let ended_by = |by: &str| {
        registry.entries.iter().any(|e| {
            [&e.replaced_by, &e.repealed_by]
                .into_iter()
                .flatten()
                .any(|f| f.value.as_deref() == Some(by))
        })
    };
    let seed_keys: HashMap<&str, i64> = added
        .iter()
        .copied()
        .zip(added_keys.iter().copied())
        .chain(rewritten_ids.iter().map(|(k, id)| (id.as_str(), *k)))
        .collect();
    let mut seeds: Vec<&str> = added.iter().chain(&rewritten).copied().collect();
    seeds.sort_unstable();
    seeds.dedup();
    let mut outside_seen: HashSet<String> = HashSet::new();
    let mut joined: Vec<i64> = Vec::new();
    for id in &seeds {
        if ended_by(id) {
            return Ok(Err(
                "the registry names a changed document as ending an entry",
            ));
        }
        if let Some(&g) = group_of.get(id) {
            affected.insert(g);
        }
        let Some(&key) = seed_keys.get(id) else {
            continue;
        };
        for link in store.citation_links(key)? {
            let Some(t) = link.target else { continue };
            if stored(&t) {
                if let Some(&g) = group_of.get(t.as_str()) {
                    affected.insert(g);
                }
                continue;
            }
            if !outside_seen.insert(t.clone()) {
                continue;
            }
            let ended = registry.get(&t).is_some_and(|e| {
                [&e.replaced_by, &e.repealed_by]
                    .into_iter()
                    .flatten()
                    .any(|f| f.value.as_deref().is_some_and(stored))
            });
            if ended {
                return Ok(Err(
                    "a new document cites an entry the registry says a stored one ended",
                ));
            }
            // An outside document a stored one changed joins its citers in one group, known
            // from the partition; one the new text changes joins them now.
            match part.outside_changed.as_ref().and_then(|m| m.get(&t)) {
                Some(&g) => {
                    affected.insert(g);
                }
                None if part.outside_changed.is_some() && !changes_target(link.relation) => {}
                None => {
                    let (citers, changed) = store.citers_of(&t)?;
                    if changed {
                        joined.extend(citers);
                    }
                }
            }
        }
        joined.extend(store.citers_of(id)?.0);
    }
    joined.sort_unstable();
    joined.dedup();
    if joined.len() > count / 4 {
        return Ok(Err("the new documents join a large part of the store"));
    }
    for id in store.ids_of_keys(&joined)?.values() {
        if let Some(&g) = group_of.get(id.as_str()) {
            affected.insert(g);
        }
    }
    let part_ids: BTreeSet<&str> = affected
        .iter()
        .flat_map(|&g| part.groups[g as usize].1.iter().map(String::as_str))
        .chain(added.iter().copied())
        .collect();
    if part_ids.len() * 4 > count.max(4096) {
        return Ok(Err("the new documents join a large part of the store"));
    }
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        groups = affected.len(),
        documents = part_ids.len(),
        "check: groups the new documents join"
    );

    // Those groups' documents whole, their citations as the relations resolved them.
    let t0 = std::time::Instant::now();
    let versions = store.versions_of(part_ids.iter().copied())?;
    if versions.len() != part_ids.len() {
        return Ok(Err("a document of the part has no row"));
    }
    let key_of = |id: &str| -> Option<i64> { versions.get(id)?.split(':').next()?.parse().ok() };
    let mut keys: Vec<i64> = part_ids
        .iter()
        .filter(|id| !added_set.contains(*id))
        .filter_map(|id| key_of(id))
        .collect();
    keys.sort_unstable();
    let mut docs = store.documents_by_keys(&keys)?;
    docs.par_iter_mut().for_each(Document::shed_for_rules);
    docs.extend(added_docs);
    let all_keys: Vec<i64> = keys.iter().copied().chain(added_keys).collect();
    let Some(mut by_key) = store.resolutions_by_keys(&all_keys)? else {
        return Ok(Err("a citation row cannot be read back"));
    };
    let resolved: Vec<_> = all_keys
        .iter()
        .map(|k| by_key.remove(k).unwrap_or_default())
        .collect();
    if docs.len() != resolved.len() {
        return Ok(Err("a document was written while the check read it"));
    }
    let timeline = Timeline::from_resolved(docs, resolved, registry, periods);
    if let Some(why) = leaves_part(store, &timeline, &stored, &part_ids)? {
        return Ok(Err(why));
    }
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        documents = part_ids.len(),
        "check: status engine of the part"
    );

    let ids: BTreeSet<String> = part_ids.iter().map(|s| s.to_string()).collect();
    let added: Vec<String> = added.iter().map(|s| s.to_string()).collect();
    drop(part_ids);
    drop(group_of);
    Ok(Ok(Found {
        versions,
        affected,
        ids,
        added,
        timeline,
        places,
    }))
}

/// Why the status engine of the part reaches outside it, if it does: a citation resolved to
/// a stored document not in it, an effect on or by one, or an outside document that a text
/// of the part changes and a stored document not in it cites. The part is then not a union
/// of groups, and the whole store is checked.
fn leaves_part(
    store: &Store,
    timeline: &Timeline,
    stored: &dyn Fn(&str) -> bool,
    part: &BTreeSet<&str>,
) -> Result<Option<&'static str>, KeptError> {
    let outside_part = |id: &str| stored(id) && !part.contains(id);
    for rcs in timeline.all_resolutions().values() {
        for rc in rcs {
            if rc.target.as_deref().is_some_and(outside_part) {
                return Ok(Some(
                    "a citation in the part resolves to a document outside it",
                ));
            }
        }
    }
    let mut changed_outside: BTreeSet<&str> = BTreeSet::new();
    for m in timeline.effects() {
        if outside_part(&m.target) {
            return Ok(Some("an effect in the part is on a document outside it"));
        }
        for r in &m.chain {
            if r.document.as_deref().is_some_and(outside_part) {
                return Ok(Some("an effect in the part names a document outside it"));
            }
        }
        if !stored(&m.target)
            && m.chain
                .iter()
                .any(|r| r.document.as_deref().is_some_and(stored))
        {
            changed_outside.insert(m.target.as_str());
        }
    }
    for rcs in timeline.all_resolutions().values() {
        for rc in rcs {
            if let Some(t) = rc.target.as_deref() {
                if !stored(t) && changes_target(rc.relation) {
                    changed_outside.insert(t);
                }
            }
        }
    }
    for t in changed_outside {
        let (citers, _) = store.citers_of(t)?;
        if citers.len() > part.len() {
            return Ok(Some(
                "an outside document changed in the part is cited outside it",
            ));
        }
        let ids = store.ids_of_keys(&citers)?;
        if citers.len() != ids.len() || ids.values().any(|id| !part.contains(id.as_str())) {
            return Ok(Some(
                "an outside document changed in the part is cited outside it",
            ));
        }
    }
    Ok(None)
}

/// The partition after a check of part of the store: the groups left alone, then the part's.
fn next_partition(
    old: &Partition,
    unaffected: &[usize],
    groups: &Groups,
    digests: &[String],
    part_docs: &[&Document],
) -> Partition {
    let mut number: HashMap<u32, u32> = HashMap::new();
    let mut out_groups: Vec<(String, Vec<String>)> = Vec::with_capacity(unaffected.len());
    for &g in unaffected {
        number.insert(g as u32, out_groups.len() as u32);
        out_groups.push(old.groups[g].clone());
    }
    let base = out_groups.len() as u32;
    out_groups.extend(digests.iter().cloned().zip(groups.members.iter().cloned()));
    let classes = old.classes.as_ref().map(|classes| {
        let index: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.as_str(), i))
            .collect();
        let mut out: Vec<Class> = classes
            .iter()
            .map(|c| Class {
                key: c.key.clone(),
                groups: c
                    .groups
                    .iter()
                    .filter_map(|g| number.get(g).copied())
                    .collect(),
                linked: c.linked.clone(),
            })
            .collect();
        for d in part_docs {
            if let (Some(&c), Some(&g)) =
                (index.get(class_key(d).as_str()), groups.group_of.get(&d.id))
            {
                out[c].groups.push(base + g as u32);
            }
        }
        for c in &mut out {
            c.groups.sort_unstable();
            c.groups.dedup();
        }
        out
    });
    let outside_changed = old.outside_changed.as_ref().map(|old_changed| {
        let mut out: BTreeMap<String, u32> = old_changed
            .iter()
            .filter_map(|(t, g)| Some((t.clone(), *number.get(g)?)))
            .collect();
        out.extend(
            groups
                .outside_changed
                .iter()
                .map(|(t, &g)| (t.clone(), base + g as u32)),
        );
        out
    });
    Partition {
        groups: out_groups,
        classes,
        patterns: old.patterns.clone(),
        named: old.named.clone(),
        outside_changed,
    }
}
