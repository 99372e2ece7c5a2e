//! Bearer tokens and roles.
//!
//! A client sends `Authorization: Bearer SECRET`. The server hashes the secret (SHA-256) and
//! compares it with every stored hash in constant time (`subtle`), so neither the secrets
//! (never stored) nor the timing of a comparison tell anything about a valid token.
//!
//! Each route has a [`Policy`] in [`POLICIES`]; a route missing from that table is refused
//! (fail closed), and the route × role test fails on it.

use axum::extract::{MatchedPath, Request, State};
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
    match check(&state, method, path, presented).await {
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
    let presented = presented?;
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
                None => return Err(ApiError::Unauthorized("unknown token".into())),
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
