//! Review runs: start one as of a date (runs the rules over the store and stores the
//! findings), list them, one run with its counts, its findings (filtered, paginated), and the
//! difference between two runs.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::json;

use super::auth::Identity;
use super::error::run_id;
use super::{ApiError, AppState, Body, Params, Route};
use crate::kept;
use crate::model::{Date, FindingKind, Severity};
use crate::review::FindingFilter;

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, "/api/v1/runs", "Every review run, newest first", get(list)),
        Route::new(
            Method::POST,
            "/api/v1/runs",
            "Start a review run as of a date: runs the rules, stores the findings (admin)",
            post(start),
        ),
        Route::new(
            Method::GET,
            "/api/v1/runs/{run}",
            "One run with its counts by kind and decision state",
            get(one),
        ),
        Route::new(
            Method::GET,
            "/api/v1/runs/{run}/findings",
            "A run's findings with the decision in effect (filters: kind, severity, document, state; offset, limit)",
            get(findings),
        ),
        Route::new(
            Method::GET,
            "/api/v1/runs/{run}/diff",
            "New, resolved and unchanged findings against another run (against, default the previous run)",
            get(diff),
        ),
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StartRun {
    as_of: Date,
}

async fn start(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Body(b): Body<StartRun>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    state
        .blocking(move |s| {
            // As `rasoat check` does: the findings kept for the groups that did not change,
            // the rules run on the others. Through a connection of its own, so that the
            // other requests go on with the shared one meanwhile.
            let mut store =
                crate::store::Store::open_existing(&s.config.data).map_err(ApiError::internal)?;
            let e = &s.engine;
            let config =
                kept::config_digest(&store, &e.rules, &e.registry_text, &e.periods, b.as_of)
                    .map_err(ApiError::internal)?;
            // Findings the last check or run under the same configuration kept for the store
            // as it is are taken as they are, without the status engine; after documents were
            // only added, the groups they join are checked alone.
            let now = store.revision().map_err(ApiError::internal)?;
            let taken = match kept::complete(&store, &config, now).map_err(ApiError::internal)? {
                Some(f) => Some(f),
                None => kept::local::run(
                    &mut store,
                    &config,
                    now,
                    &e.registry,
                    &e.registry_text,
                    &e.periods,
                    b.as_of,
                    &e.rules,
                )
                .map_err(ApiError::internal)?,
            };
            let (rev, findings) = match taken {
                Some(f) => (now, f),
                None => {
                    let (rev, t) = s.timeline()?;
                    let f = kept::run(
                        &mut store,
                        kept::Holding::Whole(&t, rev),
                        &e.periods,
                        b.as_of,
                        &e.rules,
                        &config,
                    )
                    .map_err(ApiError::internal)?;
                    (rev, f)
                }
            };
            drop(store);
            let run = s.review().create_run(b.as_of, rev, &findings, &who.name)?;
            Ok((StatusCode::CREATED, Json(json!({ "run": run }))))
        })
        .await
}

async fn list(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(|s| {
            let runs = s.review().runs()?;
            Ok(Json(json!({ "total": runs.len(), "runs": runs })))
        })
        .await
}

async fn one(
    State(state): State<AppState>,
    Path(run): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let run = run_id(&run)?;
    state
        .blocking(move |s| {
            let db = s.review();
            let r = db.run(run)?;
            let all = db.run_findings(run, &FindingFilter::default())?;
            let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
            let mut by_state: BTreeMap<String, usize> = BTreeMap::new();
            for f in &all {
                *by_kind.entry(name(&f.finding.kind)).or_default() += 1;
                *by_state.entry(f.state.clone()).or_default() += 1;
            }
            Ok(Json(
                json!({ "run": r, "by_kind": by_kind, "by_state": by_state }),
            ))
        })
        .await
}

fn name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingsQuery {
    kind: Option<FindingKind>,
    severity: Option<Severity>,
    document: Option<String>,
    state: Option<String>,
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

async fn findings(
    State(state): State<AppState>,
    Path(run): Path<String>,
    Params(p): Params<FindingsQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let run = run_id(&run)?;
    if let Some(st) = &p.state {
        if !["pending", "confirmed", "dismissed", "needs_amendment"].contains(&st.as_str()) {
            return Err(ApiError::BadRequest(format!(
                "unknown state `{st}`: pending, confirmed, dismissed, needs_amendment"
            )));
        }
    }
    state
        .blocking(move |s| {
            let filter = FindingFilter {
                kind: p.kind,
                severity: p.severity,
                document: p.document.map(|d| crate::resolve::normalize_number(&d)),
                state: p.state,
            };
            let all = s.review().run_findings(run, &filter)?;
            let total = all.len();
            let limit = p.limit.unwrap_or(50).clamp(1, 500);
            let page: Vec<_> = all.into_iter().skip(p.offset).take(limit).collect();
            Ok(Json(json!({
                "run": run, "total": total, "offset": p.offset, "limit": limit, "findings": page
            })))
        })
        .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffQuery {
    against: Option<i64>,
}

async fn diff(
    State(state): State<AppState>,
    Path(run): Path<String>,
    Params(p): Params<DiffQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let run = run_id(&run)?;
    state
        .blocking(move |s| {
            let db = s.review();
            db.run(run)?;
            let against = match p.against {
                Some(a) => a,
                None => db
                    .runs()?
                    .into_iter()
                    .map(|r| r.id)
                    .filter(|id| *id < run)
                    .max()
                    .ok_or_else(|| {
                        ApiError::NotFound(format!("no run before run {run} to compare with"))
                    })?,
            };
            let d = db.diff(against, run)?;
            Ok(Json(json!({
                "from": d.from, "to": d.to,
                "counts": { "new": d.new.len(), "resolved": d.resolved.len(), "unchanged": d.unchanged.len(), "carried": d.carried },
                "new": d.new, "resolved": d.resolved, "unchanged": d.unchanged,
            })))
        })
        .await
}
