//! Bearer tokens and roles.
//!
//! A client sends `Authorization: Bearer SECRET`. The server hashes the secret (SHA-256) and
//! compares it with every stored hash in constant time (`subtle`), so neither the secrets
//! (never stored) nor the timing of a comparison tell anything about a valid token.
//!
//! Each route has a [`Policy`] in [`POLICIES`]; a route missing from that table is refused
//! (fail closed), and the route × role test fails on it.
//!
//! Failed authentications are counted per client address ([`FailureLimiter`]): past
//! [`FAILURE_LIMIT`] within [`FAILURE_WINDOW`], every request from that address that presents
//! a token is answered 429 with `Retry-After` until the window ends, without looking at the
//! token, so guessing costs the guesser time. Requests without a token are not affected.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::{ApiError, AppState};
use crate::review::{hash_token, Role};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Anyone (health, the API description).
    Public,
    /// A reader's token, or no token when reads are open (loopback by default).
    Read,
    /// A reviewer's (or admin's) token: writes.
    Write,
    /// An admin's token: starting review runs, the audit log.
    Admin,
}

/// The policy of each route, by method and path.
pub const POLICIES: &[(&str, &str, Policy)] = &[
    ("GET", "/api/v1/health", Policy::Public),
    ("GET", "/api/v1/openapi.json", Policy::Public),
    ("GET", "/api/v1/documents", Policy::Read),
    ("GET", "/api/v1/documents/{id}", Policy::Read),
    ("GET", "/api/v1/documents/{id}/text", Policy::Read),
    ("GET", "/api/v1/documents/{id}/relations", Policy::Read),
    ("GET", "/api/v1/documents/{id}/history", Policy::Read),
    ("GET", "/api/v1/search", Policy::Read),
    ("GET", "/api/v1/runs", Policy::Read),
    ("POST", "/api/v1/runs", Policy::Admin),
    ("GET", "/api/v1/runs/{run}", Policy::Read),
    ("GET", "/api/v1/runs/{run}/findings", Policy::Read),
    ("GET", "/api/v1/runs/{run}/diff", Policy::Read),
    ("GET", "/api/v1/runs/{run}/lists/{list}", Policy::Read),
    ("GET", "/api/v1/findings/{finding}", Policy::Read),
    ("GET", "/api/v1/findings/{finding}/decisions", Policy::Read),
    (
        "POST",
        "/api/v1/findings/{finding}/decisions",
        Policy::Write,
    ),
    ("GET", "/api/v1/audit", Policy::Admin),
    ("GET", "/api/v1/rules", Policy::Read),
    ("GET", "/api/v1/me", Policy::Read),
];

/// The policy of a route, if it has one (HEAD is GET's).
pub fn policy(method: &Method, path: &str) -> Option<Policy> {
    let m = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    POLICIES
        .iter()
        .find(|(pm, pp, _)| *pm == m && *pp == path)
        .map(|(_, _, p)| *p)
}

/// Whether the API declares a route for this method and path.
fn declared(method: &Method, path: &str) -> bool {
    static ROUTES: std::sync::OnceLock<Vec<(Method, &'static str)>> = std::sync::OnceLock::new();
    let m = if method == Method::HEAD {
        Method::GET
    } else {
        method.clone()
    };
    ROUTES
        .get_or_init(super::route_list)
        .iter()
        .any(|(rm, rp)| *rm == m && *rp == path)
}

/// Failed authentications a client may make within [`FAILURE_WINDOW`].
pub const FAILURE_LIMIT: u32 = 10;
/// The window failed authentications are counted in.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Most client addresses remembered at once (expired ones are forgotten first).
const MAX_CLIENTS: usize = 10_000;

/// Failed authentications per client address, in fixed windows. `None` stands for requests
/// that came without a socket (in-process tests).
pub struct FailureLimiter {
    limit: u32,
    window: Duration,
    clients: Mutex<HashMap<Option<IpAddr>, (Instant, u32)>>,
}

impl Default for FailureLimiter {
    fn default() -> Self {
        FailureLimiter::new(FAILURE_LIMIT, FAILURE_WINDOW)
    }
}

impl FailureLimiter {
    pub fn new(limit: u32, window: Duration) -> FailureLimiter {
        FailureLimiter {
            limit,
            window,
            clients: Mutex::new(HashMap::new()),
        }
    }

    fn clients(&self) -> std::sync::MutexGuard<'_, HashMap<Option<IpAddr>, (Instant, u32)>> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Seconds until `client` may try again (at least 1), if it is over the limit now.
    pub fn blocked(&self, client: Option<IpAddr>) -> Option<u64> {
        let now = Instant::now();
        let clients = self.clients();
        let (start, count) = clients.get(&client)?;
        let end = *start + self.window;
        (*count >= self.limit && end > now)
            .then(|| (end - now).as_secs_f64().ceil().max(1.0) as u64)
    }

    /// Counts one failed authentication of `client`.
    pub fn record_failure(&self, client: Option<IpAddr>) {
        let now = Instant::now();
        let window = self.window;
        let mut clients = self.clients();
        if clients.len() >= MAX_CLIENTS && !clients.contains_key(&client) {
            clients.retain(|_, (start, _)| *start + window > now);
            if clients.len() >= MAX_CLIENTS {
                if let Some(oldest) = clients.iter().min_by_key(|(_, v)| v.0).map(|(k, _)| *k) {
                    clients.remove(&oldest);
                }
            }
        }
        let e = clients.entry(client).or_insert((now, 0));
        if e.0 + window <= now {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(1);
    }
}

/// The caller, as the audit log names them.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The token's name, or `anonymous`.
    pub name: String,
    pub role: Option<Role>,
}

fn bearer(req: &Request) -> Result<Option<String>, ApiError> {
    let Some(v) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let v = v
        .to_str()
        .map_err(|_| ApiError::Unauthorized("malformed Authorization header".into()))?;
    let (scheme, token) = v
        .split_once(' ')
        .ok_or_else(|| ApiError::Unauthorized("expected `Authorization: Bearer TOKEN`".into()))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized(
            "expected `Authorization: Bearer TOKEN`".into(),
        ));
    }
    Ok(Some(token.trim().to_string()))
}

/// The middleware: authenticates the caller and checks the route's policy.
pub async fn require(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // Take what the check needs before awaiting: a request body is not `Sync`, so the
    // request must not be borrowed across an await.
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let method = req.method().clone();
    let presented = bearer(&req);
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    match check(&state, method, path, presented, client).await {
        Ok(id) => {
            req.extensions_mut().insert(id);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

async fn check(
    state: &AppState,
    method: Method,
    path: String,
    presented: Result<Option<String>, ApiError>,
    client: Option<IpAddr>,
) -> Result<Identity, ApiError> {
    let Some(policy) = policy(&method, &path) else {
        if !declared(&method, &path) {
            // No such method on this path: the router answers 405 without running anything.
            return Ok(Identity {
                name: "anonymous".into(),
                role: None,
            });
        }
        tracing::error!("route {method} {path} has no policy: refused");
        return Err(ApiError::Forbidden(
            "this route has no access policy".into(),
        ));
    };
    let limiter = &state.inner().auth_failures;
    if !matches!(presented, Ok(None)) {
        if let Some(retry_after) = limiter.blocked(client) {
            return Err(ApiError::TooManyRequests { retry_after });
        }
    }
    let presented = presented.inspect_err(|_| limiter.record_failure(client))?;
    let identity = match presented {
        Some(secret) => {
            let hash = hash_token(&secret);
            let found = state
                .blocking(move |s| {
                    let tokens = s.review().tokens()?;
                    // Compare with every token, without stopping at a match.
                    let mut found = None;
                    for t in tokens {
                        if bool::from(t.hash.ct_eq(&hash)) {
                            found = Some((t.name, t.role));
                        }
                    }
                    Ok(found)
                })
                .await?;
            match found {
                Some((name, role)) => Identity {
                    name,
                    role: Some(role),
                },
                None => {
                    limiter.record_failure(client);
                    return Err(ApiError::Unauthorized("unknown token".into()));
                }
            }
        }
        None => Identity {
            name: "anonymous".into(),
            role: None,
        },
    };
    let needed = match policy {
        Policy::Public => return Ok(identity),
        Policy::Read if identity.role.is_none() && state.inner().config.reads_open => {
            return Ok(identity)
        }
        Policy::Read => Role::Reader,
        Policy::Write => Role::Reviewer,
        Policy::Admin => Role::Admin,
    };
    match identity.role {
        None => Err(ApiError::Unauthorized(
            "a bearer token is required (Authorization: Bearer TOKEN)".into(),
        )),
        Some(r) if r >= needed => Ok(identity),
        Some(r) => Err(ApiError::Forbidden(format!(
            "a {} token may not do this; it needs {}",
            r.name(),
            needed.name()
        ))),
    }
}
