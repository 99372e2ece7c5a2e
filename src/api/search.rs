//! `GET /api/v1/search?q=`: the search index, with the CLI's query language.

use axum::extract::State;
use axum::http::Method;
use axum::routing::get;
use axum::Json;
use serde::Deserialize;

use super::{ApiError, AppState, Params, Route};
use crate::index::{self, IndexError, IndexRules, SearchOptions, SearchResults, TotalCount};
use crate::model::Date;

pub fn routes() -> Vec<Route> {
    vec![Route::new(
        Method::GET,
        "/api/v1/search",
        "Full-text search over provisions (q, as_of, in_force, limit, exact_total)",
        get(search),
    )]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    q: String,
    as_of: Option<Date>,
    #[serde(default)]
    in_force: bool,
    limit: Option<usize>,
    /// Count every match for `total`; by default counting stops past
    /// [`index::TOTAL_COUNTED_UP_TO`] and `total_exact` is false.
    #[serde(default)]
    exact_total: bool,
}

async fn search(
    State(state): State<AppState>,
    Params(p): Params<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    index::parse(&p.q).map_err(|e| ApiError::BadRequest(format!("query: {e}")))?;
    state
        .blocking(move |s| {
            let e = &s.engine;
            let rules = IndexRules {
                registry: &e.registry,
                registry_text: &e.registry_text,
                periods: &e.periods,
                digest: index::rules_digest_of(&e.registry_text, &e.periods),
            };
            {
                let _one = super::lock(&s.index);
                match index::sync(&s.config.data, &rules) {
                    Ok(_) => {}
                    // Another process is updating the index: search its last commit.
                    Err(IndexError::Busy { .. }) => {}
                    Err(e) => return Err(ApiError::internal(e)),
                }
            }
            let idx = index::open(&s.config.data).map_err(ApiError::internal)?;
            let opts = SearchOptions {
                as_of: p.as_of.unwrap_or_else(today),
                in_force: p.in_force,
                limit: p.limit.unwrap_or(20).min(200),
                snippets: true,
                count: if p.exact_total {
                    TotalCount::Exact
                } else {
                    TotalCount::UpTo(index::TOTAL_COUNTED_UP_TO)
                },
            };
            idx.search(&p.q, &opts).map(Json).map_err(|e| match e {
                IndexError::Query(q) => ApiError::BadRequest(format!("query: {q}")),
                e => ApiError::internal(e),
            })
        })
        .await
}

/// Today, the default of `as_of`.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}
