//! `GET /api/v1/health`: liveness and a few counts.

use axum::extract::State;
use axum::http::Method;
use axum::routing::get;
use axum::Json;

use super::{ApiError, AppState, Route};

pub fn routes() -> Vec<Route> {
    vec![Route::new(
        Method::GET,
        "/api/v1/health",
        "Liveness, version and counts",
        get(health),
    )]
}

async fn health(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .blocking(|s| {
            let documents: i64 = s
                .store()
                .connection()
                .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
                .map_err(ApiError::internal)?;
            let (runs, decisions, audit) = s.review().counts()?;
            Ok(Json(serde_json::json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "documents": documents,
                "runs": runs,
                "decisions": decisions,
                "audit_rows": audit,
            })))
        })
        .await
}
