//! Findings and the reviewers' decisions on them.

use axum::extract::{Path, State};
use axum::http::{Method, StatusCode};
use axum::routing::{get, post};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::json;

use super::auth::Identity;
use super::{ApiError, AppState, Body, Params, Route};
use crate::review::{DecisionRecord, NewDecision};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::GET,
            "/api/v1/findings/{finding}",
            "One finding as seen in a run (run, default the latest that has it), with the decision in effect",
            get(one),
        ),
        Route::new(
            Method::GET,
            "/api/v1/findings/{finding}/decisions",
            "Every decision on a finding, oldest first, across runs",
            get(history),
        ),
        Route::new(
            Method::POST,
            "/api/v1/findings/{finding}/decisions",
            "Record a decision: confirmed, dismissed, or needs_amendment with proposal, body_in_charge, deadline (reviewer)",
            post(decide),
        ),
        Route::new(
            Method::GET,
            "/api/v1/audit",
            "The audit log, oldest first (after, limit) (admin)",
            get(audit),
        ),
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunQuery {
    run: Option<i64>,
}

async fn one(
    State(state): State<AppState>,
    Path(finding): Path<String>,
    Params(p): Params<RunQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(move |s| Ok(Json(json!(s.review().finding(&finding, p.run)?))))
        .await
}

async fn history(
    State(state): State<AppState>,
    Path(finding): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(move |s| {
            let db = s.review();
            // 404 for a finding no run has.
            db.finding(&finding, None)?;
            let ds = db.decisions(&finding)?;
            Ok(Json(json!({ "finding": finding, "decisions": ds })))
        })
        .await
}

async fn decide(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
    Path(finding): Path<String>,
    Body(d): Body<NewDecision>,
) -> Result<(StatusCode, Json<DecisionRecord>), ApiError> {
    state
        .blocking(move |s| {
            let rec = s.review().decide(&finding, &d, &who.name)?;
            Ok((StatusCode::CREATED, Json(rec)))
        })
        .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    #[serde(default)]
    after: i64,
    limit: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    Params(p): Params<AuditQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(move |s| {
            let rows = s
                .review()
                .audit_log(p.after, p.limit.unwrap_or(500).clamp(1, 5000))?;
            Ok(Json(json!({ "audit": rows })))
        })
        .await
}
