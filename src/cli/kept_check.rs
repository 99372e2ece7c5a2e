//! `check` reusing the findings the last check kept: the store is split into independent
//! groups of documents ([`Groups`]); a group whose digest (its documents' versions, their
//! citations as resolved, the issuer relation among its classes) has findings kept under the
//! same configuration takes them as they are, and the rules run on the other groups only.
//! After one more document, that is the group it joins.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::CliError;
use crate::model::{Date, Document, Finding};
use crate::rules::blocks::Places;
use crate::rules::groups::Groups;
use crate::rules::{self, Context, Rule};
use crate::store::Store;
use crate::timeline::{LawPeriods, Timeline};

/// What every group's findings also depend on: this binary (its size and modification time,
/// so that a rebuilt one never reads what an earlier build kept), the rules, the registry
/// text, the law periods, the validity facts of imported pages and the review date.
pub fn config_digest(
    store: &Store,
    rules: &[Rule],
    registry_text: &str,
    periods: &LawPeriods,
    as_of: Date,
) -> Result<String, CliError> {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    if let Some(m) = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
    {
        let modified = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        h.update(format!("{}:{modified}", m.len()).as_bytes());
    }
    for part in [
        format!("{rules:?}"),
        registry_text.to_string(),
        format!("{periods:?}"),
        format!(
            "{:?}",
            store
                .validity_facts()
                .map_err(|e| CliError::User(e.to_string()))?
        ),
        as_of.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The findings on `as_of`, as [`rules::run`] makes them, computed only for the groups whose
/// findings were not kept; the new ones are kept for the next check.
pub fn run(
    store: &mut Store,
    timeline: &Timeline,
    periods: &LawPeriods,
    as_of: Date,
    rules: &[Rule],
    config: &str,
) -> Result<Vec<Finding>, CliError> {
    let user = |e: crate::store::StoreError| CliError::User(e.to_string());
    let t0 = std::time::Instant::now();
    let docs: Vec<&Document> = timeline.stored_documents();
    let places = Places::build(&docs);
    let enabled: Vec<&Rule> = rules.iter().filter(|r| r.enabled).collect();
    let groups = Groups::partition(timeline, &docs, &places, &enabled);
    let versions = store.versions_by_id().map_err(user)?;
    let digests: Vec<String> = (0..groups.len())
        .into_par_iter()
        .map(|g| {
            groups.digest(g, timeline, |id| {
                versions.get(id).cloned().unwrap_or_default()
            })
        })
        .collect();
    let current: HashSet<&str> = digests.iter().map(String::as_str).collect();
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
        rules::sort_findings(&mut findings);
        return Ok(findings);
    }
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
    let mut by_group: HashMap<usize, Vec<&Finding>> =
        dirty.iter().map(|&g| (g, Vec::new())).collect();
    let mut whole = true;
    for f in &fresh {
        match groups
            .group_of
            .get(&f.document)
            .and_then(|g| by_group.get_mut(g))
        {
            Some(v) => v.push(f),
            None => whole = false,
        }
    }
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
        if let Err(e) = store.keep_findings(config, &mut rows, &current) {
            eprintln!("rasoat: the findings were not kept for the next check: {e}");
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
