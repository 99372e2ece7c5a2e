//! `GET /api/v1/me`: who the caller is (the token's name and role), so the reviewers' page
//! can hide what the role may not do. Without a token (reads open on loopback) the answer is
//! `{name: "anonymous", role: null}`.

use axum::extract::State;
use axum::http::Method;
use axum::routing::get;
use axum::{Extension, Json};

use super::auth::Identity;
use super::{ApiError, AppState, Route};

pub fn routes() -> Vec<Route> {
    vec![Route::new(
        Method::GET,
        "/api/v1/me",
        "The caller: the token's name and role (null without a token)",
        get(me),
    )]
}

async fn me(
    State(state): State<AppState>,
    Extension(who): Extension<Identity>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(serde_json::json!({
        "name": who.name,
        "role": who.role.map(|r| r.name()),
        "reads_open": state.inner().config.reads_open,
    })))
}
