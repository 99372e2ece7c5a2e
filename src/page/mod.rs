//! The reviewers' page: `GET /` and `GET /assets/{file}`, plain HTML, CSS and JavaScript (ES
//! modules, no build step) embedded in the binary and served beside the API by `rasoat serve`.
//!
//! The page is written against `src/api/ROUTES.md`; it keeps the token in `sessionStorage` and
//! sends it as `Authorization: Bearer …`. Every response carries a strict Content-Security-Policy
//! (`default-src 'self'`): no inline script or style, no other host.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The assets, by file name: (name, content type, body).
pub const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("assets/app.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("assets/favicon.svg"),
    ),
];

/// The page itself.
pub const INDEX: &str = include_str!("assets/index.html");

/// The Content-Security-Policy of every page response.
pub const CSP: &str =
    "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The page's routes, to merge into the API's router.
pub fn router() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/assets/{file}", get(asset))
}

fn with_headers(content_type: &'static str, body: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

async fn index() -> Response {
    with_headers("text/html; charset=utf-8", INDEX)
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == file) {
        Some((_, ct, body)) => with_headers(ct, body),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
