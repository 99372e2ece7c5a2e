//! Documents: the list with filters, one document with its structure and status on a date,
//! its text on a date, its relations (both directions) and its history.
//!
//! Ids contain `/` (`15/2019/QĐ-UBND`): clients percent-encode them in the path
//! (`15%2F2019%2FQ%C4%90-UBND`), and the path segment is decoded before use.

use axum::extract::{Path, State};
use axum::http::Method;
use axum::routing::get;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::search::today;
use super::{ApiError, AppState, Params, Route};
use crate::model::{Date, Status};
use crate::timeline::{entry_into_force, Lookup, Timeline};

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            Method::GET,
            "/api/v1/documents",
            "Stored documents with their status on as_of (filters: status, type, issuer, year, q; offset, limit)",
            get(list),
        ),
        Route::new(
            Method::GET,
            "/api/v1/documents/{id}",
            "One document: its structure and its status on as_of",
            get(one),
        ),
        Route::new(
            Method::GET,
            "/api/v1/documents/{id}/text",
            "The document as it read on as_of: statuses and wording in force per provision",
            get(text),
        ),
        Route::new(
            Method::GET,
            "/api/v1/documents/{id}/relations",
            "Citations from the document and to it",
            get(relations),
        ),
        Route::new(
            Method::GET,
            "/api/v1/documents/{id}/history",
            "Every change of status of the document and its provisions",
            get(history),
        ),
    ]
}

/// Finds the document a client named: its id exactly, or its number when only one document
/// has it.
pub fn find(t: &Timeline, wanted: &str) -> Result<String, ApiError> {
    t.find(wanted).map_err(|e| match e {
        Lookup::NotFound => ApiError::NotFound(format!("no document {wanted}")),
        Lookup::Ambiguous(many) => ApiError::Conflict(format!(
            "{wanted} is shared by several documents; name one of: {}",
            many.join(", ")
        )),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    as_of: Option<Date>,
    status: Option<Status>,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    issuer: Option<String>,
    year: Option<i32>,
    q: Option<String>,
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

#[derive(Serialize)]
pub struct Summary {
    pub id: String,
    pub doc_type: Option<String>,
    pub issuer: Option<String>,
    pub issued: Option<Date>,
    pub title: Option<String>,
    pub effective_from: Option<Date>,
    pub status: Status,
    pub since: Option<Date>,
}

fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(&needle.to_lowercase())
}

async fn list(
    State(state): State<AppState>,
    Params(p): Params<ListQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(move |s| {
            let (_, t) = s.timeline()?;
            let as_of = p.as_of.unwrap_or_else(today);
            let mut out = Vec::new();
            for id in t.documents().filter(|id| !t.is_external(id)) {
                let (Some(d), Some(st)) = (t.document(id), t.status(id, as_of)) else {
                    continue;
                };
                let type_differs = p.doc_type.as_ref().is_some_and(|x| {
                    d.doc_type
                        .as_deref()
                        .is_none_or(|y| y.to_lowercase() != x.to_lowercase())
                });
                let issuer_differs = p
                    .issuer
                    .as_ref()
                    .is_some_and(|x| d.issuer.as_deref().is_none_or(|y| !contains_ci(y, x)));
                let year_differs = p
                    .year
                    .is_some_and(|y| d.issued.map(|i| chrono::Datelike::year(&i)) != Some(y));
                let text_differs = p.q.as_ref().is_some_and(|q| {
                    !contains_ci(id, q) && d.title.as_deref().is_none_or(|x| !contains_ci(x, q))
                });
                if p.status.is_some_and(|x| x != st.status)
                    || type_differs
                    || issuer_differs
                    || year_differs
                    || text_differs
                {
                    continue;
                }
                out.push(Summary {
                    id: id.to_string(),
                    doc_type: d.doc_type.clone(),
                    issuer: d.issuer.clone(),
                    issued: d.issued,
                    title: d.title.clone(),
                    effective_from: entry_into_force(d),
                    status: st.status,
                    since: st.since,
                });
            }
            let total = out.len();
            let limit = p.limit.unwrap_or(100).min(1000);
            let page: Vec<Summary> = out.into_iter().skip(p.offset).take(limit).collect();
            Ok(Json(json!({
                "as_of": as_of, "total": total, "offset": p.offset, "limit": limit, "documents": page
            })))
        })
        .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AsOf {
    as_of: Option<Date>,
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(p): Params<AsOf>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(move |s| {
            let (_, t) = s.timeline()?;
            let id = find(&t, &id)?;
            let as_of = p.as_of.unwrap_or_else(today);
            let doc = t.document(&id).ok_or(ApiError::Internal)?;
            let status = t.status(&id, as_of);
            Ok(Json(json!({
                "id": id,
                "as_of": as_of,
                "external": t.is_external(&id),
                "issued_by_district": t.issued_by_district(&id),
                "document": doc,
                "status": status,
                "review_candidates": t.review_candidates(&id, as_of),
            })))
        })
        .await
}

async fn text(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(p): Params<AsOf>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(move |s| {
            let (_, t) = s.timeline()?;
            let id = find(&t, &id)?;
            let as_of = p.as_of.unwrap_or_else(today);
            let doc = t.document(&id).ok_or(ApiError::Internal)?;
            let st = t.status(&id, as_of).ok_or(ApiError::Internal)?;
            let shown = t.text_on(&id, &st, as_of);
            Ok(Json(json!({
                "document": id, "as_of": as_of, "status": st.status, "since": st.since,
                "title": doc.title, "provisions": shown
            })))
        })
        .await
}

async fn relations(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(move |s| {
            let (_, t) = s.timeline()?;
            let id = find(&t, &id)?;
            let outgoing: Vec<_> = t
                .resolutions(&id)
                .iter()
                .map(|r| {
                    json!({
                        "document": r.target, "provision": r.provision, "relation": r.relation,
                        "raw": r.raw, "resolved": r.is_resolved(),
                    })
                })
                .collect();
            let mut incoming = Vec::new();
            for (from, rs) in t.all_resolutions() {
                for r in rs.iter().filter(|r| r.target.as_deref() == Some(id.as_str())) {
                    incoming.push(json!({
                        "document": from, "provision": r.provision, "relation": r.relation, "raw": r.raw,
                    }));
                }
            }
            Ok(Json(json!({ "document": id, "outgoing": outgoing, "incoming": incoming })))
        })
        .await
}

async fn history(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(move |s| {
            let (_, t) = s.timeline()?;
            let id = find(&t, &id)?;
            Ok(Json(json!({ "document": id, "history": t.history(&id) })))
        })
        .await
}
