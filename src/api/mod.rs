//! The reviewers' HTTP API (`rasoat serve`): JSON under `/api/v1`, see `ROUTES.md` beside this
//! file for every route, its role and its shapes.
//!
//! Shape (after the axum examples and crates.io): [`app`] builds the whole service from one
//! `routes()` per resource, so tests drive it without a socket and a later `page` module can
//! be merged in with `Router::merge`. Every route is declared once, in a [`Route`] list;
//! [`route_list`] gives that list to tests and to the OpenAPI description, and
//! [`auth::policy`] must know each of them (a route without a policy is refused at run time
//! and fails the route × role test).
//!
//! Cross-cutting layers, outermost first: JSON error bodies for every error the stack makes
//! (body limit, timeout, overload, panics, unknown routes), panic catching (500), a request
//! timeout (408), load shedding past a concurrency limit (503), a body size limit (413), then
//! authentication per route.
//!
//! Blocking work (SQLite, the timeline, tantivy) runs on tokio's blocking pool; the reviewer
//! database and the store are each behind one mutex, which serialises writes (decisions are
//! human-rate, ~2 ms each with `synchronous=FULL`).

pub mod auth;
mod documents;
mod error;
mod findings;
mod health;
mod lists;
mod me;
mod openapi;
mod rules;
mod runs;
mod search;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::error_handling::HandleErrorLayer;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use error::{ApiError, Body, Params};

use crate::review::ReviewDb;
use crate::rules::Rule;
use crate::store::Store;
use crate::timeline::{LawPeriods, Registry, Timeline};

/// The rule data and rules the server computes statuses and findings with.
pub struct Engine {
    pub registry: Registry,
    /// The registry's text (its digest stamps the search index).
    pub registry_text: String,
    pub periods: LawPeriods,
    pub rules: Vec<Rule>,
    /// The rule files as read: (file name, text).
    pub rule_files: Vec<(String, String)>,
}

impl Engine {
    /// The rule data and rules built into rasoat.
    pub fn builtin() -> Engine {
        let rule_files: Vec<(String, String)> = crate::rules::BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Engine {
            registry: Registry::builtin(),
            registry_text: crate::timeline::DEFAULT_REGISTRY.to_string(),
            periods: LawPeriods::builtin(),
            rules: crate::rules::RuleSet::parse(&rule_files).rules,
            rule_files,
        }
    }
}

/// How the server runs.
pub struct Config {
    pub data: PathBuf,
    /// Reads without a token (true by default on a loopback address only).
    pub reads_open: bool,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Longest time a request may take.
    pub timeout: Duration,
    /// Requests handled at once; past it the server answers 503.
    pub concurrency: usize,
    /// Failed authentications a client address may make per window before it is answered
    /// 429 (see [`auth::FailureLimiter`]).
    pub auth_failure_limit: u32,
}

impl Config {
    /// Defaults for a data directory: reads open (loopback), 1 MiB bodies, 120 s, 64 at once.
    pub fn new(data: PathBuf) -> Config {
        Config {
            data,
            reads_open: true,
            body_limit: 1 << 20,
            timeout: Duration::from_secs(120),
            concurrency: 64,
            auth_failure_limit: auth::FAILURE_LIMIT,
        }
    }
}

/// The state shared by every handler.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub engine: Engine,
    review: Mutex<ReviewDb>,
    store: Mutex<Store>,
    timeline: Mutex<Option<(i64, Arc<Timeline>)>>,
    /// One index sync at a time within this process.
    index: Mutex<()>,
    /// Failed authentications per client address (429 past the limit).
    pub auth_failures: auth::FailureLimiter,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves SQLite in a consistent state (transactions roll
    // back on drop), so the poison flag carries no meaning here.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl AppState {
    /// Opens the store and the reviewer database of `config.data`.
    pub fn open(config: Config, engine: Engine) -> Result<AppState, ApiError> {
        let store = Store::open(&config.data).map_err(ApiError::internal)?;
        let review = ReviewDb::open(&config.data).map_err(ApiError::internal)?;
        Ok(AppState(Arc::new(Inner {
            engine,
            review: Mutex::new(review),
            store: Mutex::new(store),
            timeline: Mutex::new(None),
            index: Mutex::new(()),
            auth_failures: auth::FailureLimiter::new(
                config.auth_failure_limit.max(1),
                auth::FAILURE_WINDOW,
            ),
            config,
        })))
    }

    pub fn inner(&self) -> &Inner {
        &self.0
    }

    /// Runs blocking work on the blocking pool; a panic there is a 500.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Inner) -> Result<T, ApiError> + Send + 'static,
    {
        let s = self.0.clone();
        tokio::task::spawn_blocking(move || f(&s))
            .await
            .map_err(|e| ApiError::internal(format!("blocking task: {e}")))?
    }
}

impl Inner {
    pub fn review(&self) -> MutexGuard<'_, ReviewDb> {
        lock(&self.review)
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// The timeline over the store as it is now (rebuilt when an ingest changed the store).
    pub fn timeline(&self) -> Result<(i64, Arc<Timeline>), ApiError> {
        let store = self.store();
        let rev = store.revision().map_err(ApiError::internal)?;
        let mut cache = lock(&self.timeline);
        if let Some((r, t)) = cache.as_ref() {
            if *r == rev {
                return Ok((rev, t.clone()));
            }
        }
        let docs = store.documents().map_err(ApiError::internal)?;
        let facts = store.validity_facts().map_err(ApiError::internal)?;
        drop(store);
        // Facts stated by imported pages complete the registry (the registry wins).
        let registry = self.engine.registry.with_imported(&facts);
        let t = Arc::new(Timeline::from_documents(
            docs,
            &registry,
            &self.engine.periods,
        ));
        *cache = Some((rev, t.clone()));
        Ok((rev, t))
    }
}

/// One route: method, path (axum syntax), handler and a one-line summary for the OpenAPI
/// description.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub summary: &'static str,
    pub handler: MethodRouter<AppState>,
}

impl Route {
    fn new(
        method: Method,
        path: &'static str,
        summary: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Route {
        Route {
            method,
            path,
            summary,
            handler,
        }
    }
}

fn all_routes() -> Vec<Route> {
    let mut v = Vec::new();
    v.extend(health::routes());
    v.extend(openapi::routes());
    v.extend(documents::routes());
    v.extend(search::routes());
    v.extend(runs::routes());
    v.extend(findings::routes());
    v.extend(lists::routes());
    v.extend(rules::routes());
    v.extend(me::routes());
    v
}

/// Every route of the API as (method, path), in the order they are declared: the list the
/// router is built from.
pub fn route_list() -> Vec<(Method, &'static str)> {
    all_routes()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect()
}

/// The API's router without the cross-cutting layers (for merging into a bigger app).
pub fn api_router(state: AppState) -> Router {
    let mut r: Router<AppState> = Router::new();
    for route in all_routes() {
        r = r.route(route.path, route.handler);
    }
    r.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        auth::require,
    ))
    .fallback(not_found)
    .with_state(state)
}

/// The whole service: the API with its layers.
pub fn app(state: AppState) -> Router {
    let cfg = &state.inner().config;
    let (timeout, concurrency, body_limit) = (cfg.timeout, cfg.concurrency, cfg.body_limit);
    with_layers(
        api_router(state).merge(crate::page::router()),
        timeout,
        concurrency,
        body_limit,
    )
}

/// The cross-cutting layers, over any router (the API's, and later the page's).
pub fn with_layers(
    router: Router,
    timeout: Duration,
    concurrency: usize,
    body_limit: usize,
) -> Router {
    router.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::map_response(json_errors))
            .layer(CatchPanicLayer::custom(on_panic))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                timeout,
            ))
            .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
                ApiError::Overloaded
            }))
            .load_shed()
            .concurrency_limit(concurrency)
            .layer(RequestBodyLimitLayer::new(body_limit)),
    )
}

fn on_panic(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    ApiError::internal("panic").into_response()
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}

/// Gives every error response a JSON body `{"error": {"code", "message"}}`, whatever layer
/// made it (body limit, timeout, method not allowed…).
async fn json_errors<B>(res: axum::http::Response<B>) -> Response
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let res = res.map(axum::body::Body::new);
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return res;
    }
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "the request is malformed"),
        StatusCode::UNAUTHORIZED => ("unauthorized", "a valid bearer token is required"),
        StatusCode::FORBIDDEN => ("forbidden", "this token's role may not do this"),
        StatusCode::NOT_FOUND => ("not_found", "no such route"),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "this route does not take this method")
        }
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "send JSON with Content-Type: application/json",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "invalid_body",
            "the request body does not have the expected fields",
        ),
        StatusCode::SERVICE_UNAVAILABLE => ("overloaded", "the server is busy; try again"),
        s if s.is_server_error() => ("internal", "internal error"),
        _ => ("error", "the request failed"),
    };
    let mut out = error::error_body(status, code, message);
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

/// A response with a content type and a download name.
fn attachment(content_type: &'static str, name: &str, body: Vec<u8>) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Runs the server on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // The client's address reaches the handlers (failed authentications are counted per
    // address).
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests;
