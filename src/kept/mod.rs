//! Findings kept between checks: the store is split into independent groups of documents
//! ([`Groups`]); a group whose digest (its documents' versions, their citations as resolved,
//! the issuer relation among its classes) has findings kept under the same configuration
//! takes them as they are, and the rules run on the other groups only. After one more
//! document, that is the group it joins. `rasoat check` and `review` (`crate::cli`) and the
//! API's review runs (`crate::api`) get their findings here.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::model::{Date, Document, Finding};
use crate::rules::blocks::Places;
use crate::rules::groups::Groups;
use crate::rules::{self, Context, Rule};
use crate::store::{Store, StoreError};
use crate::timeline::{LawPeriods, Timeline};

pub mod local;

/// Why kept findings could not be used or made.
#[derive(Debug, thiserror::Error)]
pub enum KeptError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: document {id} has no row in the store; run the check again")]
    NoRow { path: PathBuf, id: String },
    #[error("{path}: document {id} changed while it was read; run the check again")]
    Changed { path: PathBuf, id: String },
    #[error("{path}: the store was written while the check read it; run the check again")]
    Written { path: PathBuf },
}

/// This binary: its version, size and modification time (a rebuilt one never reads what an
/// earlier build kept).
fn binary_identity() -> String {
    let mut id = env!("CARGO_PKG_VERSION").to_string();
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        id.push_str(&format!(":{}:{modified}", m.len()));
    }
    id
}

/// What every group's findings also depend on: this binary (its size and modification time,
/// so that a rebuilt one never reads what an earlier build kept), the rules, the registry
/// text, the law periods, the validity facts of imported pages and the review date.
pub fn config_digest(
    store: &Store,
    rules: &[Rule],
    registry_text: &str,
    periods: &LawPeriods,
    as_of: Date,
) -> Result<String, KeptError> {
    let mut h = Sha256::new();
    h.update(binary_identity().as_bytes());
    for part in [
        format!("{rules:?}"),
        registry_text.to_string(),
        format!("{periods:?}"),
        format!("{:?}", store.validity_facts()?),
        as_of.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Documents read whole at a time: a few megabytes of JSON.
const WHOLE_CHUNK: usize = 1024;

/// The row key of a document's version ([`Store::versions_by_id`]: `key:revision:hash`).
fn row_key(versions: &HashMap<String, String>, id: &str) -> Option<i64> {
    versions.get(id)?.split(':').next()?.parse().ok()
}

/// What the timeline given to [`run`] holds of each stored document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Each document as a run of the rules reads it ([`Document::shed_for_rules`]).
    Whole,
    /// Each document without its provisions' text ([`crate::timeline::without_text`]):
    /// those whose findings are computed are read whole when they are known.
    WithoutText,
}

/// The status engine a check runs over, as it holds the stored documents, with the store's
/// revision when its documents were read (or earlier).
pub enum Holding<'t> {
    /// Each document whole, as a run of the rules reads it.
    Whole(&'t Timeline, i64),
    /// Each document without its provisions' text: those whose findings are computed (and
    /// those scanned for localities) are read whole into it.
    WithoutText(&'t mut Timeline, i64),
}

impl<'t> Holding<'t> {
    fn timeline(&self) -> &Timeline {
        match self {
            Holding::Whole(t, _) => t,
            Holding::WithoutText(t, _) => t,
        }
    }

    fn held(&self) -> Held {
        match self {
            Holding::Whole(..) => Held::Whole,
            Holding::WithoutText(..) => Held::WithoutText,
        }
    }

    fn revision(&self) -> i64 {
        match self {
            Holding::Whole(_, r) | Holding::WithoutText(_, r) => *r,
        }
    }

    fn into_timeline(self) -> &'t Timeline {
        match self {
            Holding::Whole(t, _) => t,
            Holding::WithoutText(t, _) => t,
        }
    }
}

/// How the timeline of a check that keeps its findings should hold the documents: without
/// their text when findings are kept under this configuration and the localities of nine in
/// ten documents are kept (the check then reads whole only the groups it runs the rules on),
/// whole otherwise (a first check, or one on another date or with other rules, reads them
/// all anyway, faster in one pass than row by row).
pub fn held_for(store: &Store, config: &str) -> Held {
    let counts = (
        store.place_hits_count(),
        store.document_count(),
        store.kept_group_count(config),
    );
    match counts {
        (Ok(places), Ok(all), Ok(groups)) if groups > 0 && places * 10 >= all * 9 => {
            Held::WithoutText
        }
        _ => Held::Whole,
    }
}

/// Reads whole (as a run of the rules holds them: [`Document::shed_for_rules`]) the stored
/// documents of these ids, a chunk at a time, and puts them in the timeline in place of
/// their skeletons; `each` sees every chunk first.
fn read_whole(
    store: &Store,
    timeline: &mut Timeline,
    versions: &HashMap<String, String>,
    ids: &[String],
    mut each: impl FnMut(&[Document]),
) -> Result<(), KeptError> {
    let mut keys: Vec<i64> = Vec::with_capacity(ids.len());
    for id in ids {
        match row_key(versions, id) {
            Some(k) => keys.push(k),
            None => {
                return Err(KeptError::NoRow {
                    path: store.path().to_path_buf(),
                    id: id.clone(),
                })
            }
        }
    }
    // In row order: the rows are then read from the database in the order they lie in it.
    keys.sort_unstable();
    for chunk in keys.chunks(WHOLE_CHUNK) {
        let mut docs = store.documents_by_keys(chunk)?;
        docs.par_iter_mut().for_each(Document::shed_for_rules);
        each(&docs);
        let left = timeline.put_documents(docs);
        if let Some(d) = left.first() {
            return Err(KeptError::Changed {
                path: store.path().to_path_buf(),
                id: d.id.clone(),
            });
        }
    }
    Ok(())
}

/// The localities each issuer's documents name ([`Places`]), from those the last check kept
/// for every document whose version is unchanged; the others are scanned (read whole first
/// if the timeline holds them without text, and so put in it) and kept for the next check.
/// Returns the ids of the documents the timeline now holds whole, and the write of the
/// scanned ones' localities, under way.
fn kept_places(
    store: &mut Store,
    holding: &mut Holding<'_>,
    versions: &HashMap<String, String>,
) -> Result<(Places, HashSet<String>, Writing), KeptError> {
    let held = holding.held();
    let patterns = Places::patterns(&holding.timeline().stored_documents());
    // Under the localities looked for and the binary that looked (which folds the text).
    let digest: String = {
        let mut h = Sha256::new();
        h.update(binary_identity().as_bytes());
        h.update([0]);
        for p in &patterns {
            h.update(p.as_bytes());
            h.update([0]);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    };
    let t0 = std::time::Instant::now();
    let stored = store.place_hits(&digest).unwrap_or_else(|e| {
        eprintln!("rasoat: the localities kept by the last check were not read: {e}");
        HashMap::new()
    });
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        rows = stored.len(),
        "check: kept localities read"
    );
    let kept_names = |id: &str| -> Option<&[String]> {
        let version = versions.get(id)?;
        match stored.get(&row_key(versions, id)?) {
            Some((v, names)) if v == version => Some(names.as_slice()),
            _ => None,
        }
    };
    let stale: Vec<String> = holding
        .timeline()
        .stored_documents()
        .into_iter()
        .filter(|d| kept_names(&d.id).is_none())
        .map(|d| d.id.clone())
        .collect();
    let t0 = std::time::Instant::now();
    let mut fresh: HashMap<String, Vec<String>> = HashMap::new();
    let mut scan = |docs: &[&Document]| {
        for (d, names) in docs.iter().zip(Places::scan(&patterns, docs)) {
            fresh.insert(d.id.clone(), names);
        }
    };
    match holding {
        Holding::WithoutText(timeline, _) => {
            read_whole(store, timeline, versions, &stale, |docs| {
                scan(&docs.iter().collect::<Vec<_>>())
            })?
        }
        Holding::Whole(timeline, _) => {
            let wanted: HashSet<&str> = stale.iter().map(String::as_str).collect();
            let docs: Vec<&Document> = timeline
                .stored_documents()
                .into_iter()
                .filter(|d| wanted.contains(d.id.as_str()))
                .collect();
            scan(&docs);
        }
    }
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        scanned = fresh.len(),
        "check: documents scanned for localities"
    );
    let t0 = std::time::Instant::now();
    let docs = holding.timeline().stored_documents();
    let places = Places::from_hits(
        patterns.clone(),
        docs.iter().map(|d| {
            let names = fresh
                .get(&d.id)
                .map(Vec::as_slice)
                .or_else(|| kept_names(&d.id))
                .unwrap_or_default();
            (*d, names)
        }),
    );
    drop(stored);
    tracing::debug!(
        seconds = t0.elapsed().as_secs_f64(),
        "check: localities by issuer"
    );
    let writing = if fresh.is_empty() {
        Writing(None)
    } else {
        let rows: Vec<(i64, String, Vec<String>)> = fresh
            .into_iter()
            .filter_map(|(id, names)| {
                Some((row_key(versions, &id)?, versions.get(&id)?.clone(), names))
            })
            .collect();
        Writing::keep_places(store, digest, rows)
    };
    let whole: HashSet<String> = match held {
        Held::Whole => docs.iter().map(|d| d.id.clone()).collect(),
        Held::WithoutText => stale.into_iter().collect(),
    };
    Ok((places, whole, writing))
}

/// Localities being kept for the next check, on a connection and a thread of their own, while
/// the rules run (a first check of 100k documents writes 100k rows: a second or so). Dropping
/// it waits for the write; a failed write only costs the next check a scan.
struct Writing(Option<std::thread::JoinHandle<()>>);

impl Writing {
    fn keep_places(
        store: &Store,
        digest: String,
        rows: Vec<(i64, String, Vec<String>)>,
    ) -> Writing {
        let other = store.reopen();
        Writing(Some(std::thread::spawn(move || {
            let t0 = std::time::Instant::now();
            if let Err(e) = other.and_then(|mut s| s.keep_place_hits(&digest, &rows)) {
                eprintln!("rasoat: the localities were not kept for the next check: {e}");
            }
            tracing::debug!(
                seconds = t0.elapsed().as_secs_f64(),
                rows = rows.len(),
                "check: localities kept"
            );
        })))
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            // A panic there was the writer's alone: the findings stand.
            let _ = h.join();
        }
    }
}

/// The findings of the groups `dirty`, by group; false when one is about a document of no
/// such group (then nothing is to be kept).
fn by_group<'f>(
    fresh: &'f [Finding],
    groups: &Groups,
    dirty: &HashSet<usize>,
) -> (HashMap<usize, Vec<&'f Finding>>, bool) {
    let mut out: HashMap<usize, Vec<&Finding>> = dirty.iter().map(|&g| (g, Vec::new())).collect();
    let mut all = true;
    for f in fresh {
        match groups
            .group_of
            .get(&f.document)
            .and_then(|g| out.get_mut(g))
        {
            Some(v) => v.push(f),
            None => all = false,
        }
    }
    (out, all)
}

/// Records that the findings kept under `config` are all those of the store at `revision`
/// ([`Store::mark_complete`]); a failure only costs the next check its reading.
fn mark_complete(
    store: &mut Store,
    config: &str,
    revision: i64,
    current: &HashSet<&str>,
    partition: Option<&str>,
) {
    match store.mark_complete(config, revision, current, partition) {
        Ok(marked) => tracing::debug!(marked, "check: kept findings complete"),
        Err(e) => eprintln!("rasoat: the kept findings were not marked complete: {e}"),
    }
}

/// The findings a check under `config` gives, when the store is still at `revision` and those
/// kept are all its findings (the last check under `config` saw the store as it is): taken
/// without reading a document or building the status engine. `None` otherwise, or if a kept
/// row cannot be read.
pub fn complete(
    store: &Store,
    config: &str,
    revision: i64,
) -> Result<Option<Vec<Finding>>, KeptError> {
    let t0 = std::time::Instant::now();
    let Some(rows) = store.complete_findings(config, revision)? else {
        return Ok(None);
    };
    let groups = rows.len();
    let parsed: Result<Vec<Vec<Finding>>, _> = rows
        .par_iter()
        .map(|json| serde_json::from_str::<Vec<Finding>>(json))
        .collect();
    drop(rows);
    let Ok(parsed) = parsed else {
        return Ok(None);
    };
    let mut findings: Vec<Finding> = parsed.into_iter().flatten().collect();
    rules::sort_findings(&mut findings);
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        groups,
        kept = groups,
        "check: independent groups, all kept for this store revision"
    );
    Ok(Some(findings))
}

/// The findings on `as_of`, as [`rules::run`] makes them, computed only for the groups whose
/// findings were not kept; the new ones are kept for the next check. The documents of those
/// groups are read whole into the timeline if it holds them without their text.
pub fn run(
    store: &mut Store,
    mut holding: Holding<'_>,
    periods: &LawPeriods,
    as_of: Date,
    rules: &[Rule],
    config: &str,
) -> Result<Vec<Finding>, KeptError> {
    let t0 = std::time::Instant::now();
    let versions = store.versions_by_id()?;
    // The versions must be those of the documents the timeline holds: a store written since
    // they were read would have findings kept under versions they were not made from.
    if store.revision()? != holding.revision() {
        return match holding {
            Holding::Whole(timeline, _) => Ok(rules::run(timeline, periods, as_of, rules)),
            Holding::WithoutText(..) => Err(KeptError::Written {
                path: store.path().to_path_buf(),
            }),
        };
    }
    let (places, whole, writing) = kept_places(store, &mut holding, &versions)?;
    let timeline = holding.timeline();
    tracing::info!(seconds = t0.elapsed().as_secs_f64(), "check: localities");
    let t0 = std::time::Instant::now();
    let enabled: Vec<&Rule> = rules.iter().filter(|r| r.enabled).collect();
    let groups = Groups::partition(timeline, &timeline.stored_documents(), &places, &enabled);
    let digests: Vec<String> = (0..groups.len())
        .into_par_iter()
        .map(|g| {
            groups.digest(g, timeline, |id| {
                versions.get(id).cloned().unwrap_or_default()
            })
        })
        .collect();
    let current: HashSet<&str> = digests.iter().map(String::as_str).collect();
    // Kept beside complete findings, for a later check of the groups new documents join.
    let t1 = std::time::Instant::now();
    let partition = local::Partition::json_of(
        &groups,
        &digests,
        &timeline.stored_documents(),
        &places,
        &enabled,
    );
    tracing::debug!(
        seconds = t1.elapsed().as_secs_f64(),
        bytes = partition.len(),
        "check: partition made"
    );
    let kept = store.kept_findings(config, &current).unwrap_or_else(|e| {
        eprintln!("rasoat: the findings kept by the last check were not read: {e}");
        HashMap::new()
    });
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        groups = groups.len(),
        kept = kept.len(),
        "check: independent groups"
    );
    let mut findings: Vec<Finding> = Vec::new();
    let mut dirty: HashSet<usize> = HashSet::new();
    for (g, d) in digests.iter().enumerate() {
        match kept.get(d) {
            Some(json) => match serde_json::from_str::<Vec<Finding>>(json) {
                Ok(v) => findings.extend(v),
                Err(_) => {
                    dirty.insert(g);
                }
            },
            None => {
                dirty.insert(g);
            }
        }
    }
    drop(kept);
    if dirty.is_empty() {
        drop(writing);
        mark_complete(
            store,
            config,
            holding.revision(),
            &current,
            Some(&partition),
        );
        rules::sort_findings(&mut findings);
        return Ok(findings);
    }
    let t0 = std::time::Instant::now();
    let revision = holding.revision();
    let unread: Vec<String> = groups
        .members
        .iter()
        .enumerate()
        .filter(|(g, _)| dirty.contains(g))
        .flat_map(|(_, m)| m.iter())
        .filter(|id| !whole.contains(id.as_str()))
        .cloned()
        .collect();
    if let Holding::WithoutText(timeline, _) = &mut holding {
        read_whole(store, timeline, &versions, &unread, |_| {})?;
    }
    let timeline = holding.into_timeline();
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        read = unread.len(),
        "check: documents of the groups to run read whole"
    );
    let t0 = std::time::Instant::now();
    let mut cx = if dirty.len() == groups.len() {
        Context::new(timeline, periods, as_of)
    } else {
        Context::over(timeline, periods, as_of, |d| {
            groups
                .group_of
                .get(&d.id)
                .is_some_and(|g| dirty.contains(g))
        })
    };
    cx.set_places(places);
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        groups = dirty.len(),
        "check: statuses and units"
    );
    let fresh = rules::run_in(cx, rules);
    // Each group's new findings, kept under its digest; a finding about a document of no
    // group (none is expected) keeps nothing, and the next check runs everything again.
    let (by_group, whole) = by_group(&fresh, &groups, &dirty);
    // The localities first: one writer at a time.
    drop(writing);
    if whole {
        let t0 = std::time::Instant::now();
        let mut groups_fresh: Vec<(usize, Vec<&Finding>)> = by_group.into_iter().collect();
        groups_fresh.sort_unstable_by_key(|(g, _)| *g);
        let written = groups_fresh.len();
        // Serialised a few groups at a time, on every core, as they are written: the JSON of
        // a province's findings is hundreds of megabytes, never held whole.
        let mut rows = groups_fresh.chunks(16).flat_map(|chunk| {
            chunk
                .par_iter()
                .map(|(g, v)| {
                    let json = serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
                    (digests[*g].clone(), json)
                })
                .collect::<Vec<_>>()
        });
        // Kept findings only save time: a store that cannot be written still gets its check.
        match store.keep_findings(config, &mut rows, &current) {
            Ok(()) => mark_complete(store, config, revision, &current, Some(&partition)),
            Err(e) => eprintln!("rasoat: the findings were not kept for the next check: {e}"),
        }
        tracing::info!(
            seconds = t0.elapsed().as_secs_f64(),
            groups = written,
            "check: findings kept"
        );
    }
    findings.extend(fresh);
    rules::sort_findings(&mut findings);
    Ok(findings)
}
