//! Tests of the service without a socket (`oneshot`); the end-to-end tests with the real
//! binary are in `tests/api.rs`.

use axum::body::Body as AxBody;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use super::*;

fn state(dir: &std::path::Path, f: impl FnOnce(&mut Config)) -> AppState {
    let mut cfg = Config::new(dir.to_path_buf());
    f(&mut cfg);
    AppState::open(cfg, Engine::builtin()).unwrap()
}

async fn call(app: Router, req: Request<AxBody>) -> (StatusCode, serde_json::Value) {
    let res = app.oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    )
}

fn get(uri: &str) -> Request<AxBody> {
    Request::get(uri).body(AxBody::empty()).unwrap()
}

#[test]
fn every_route_has_a_policy_and_an_openapi_entry() {
    let doc = openapi::document();
    for (m, p) in route_list() {
        assert!(auth::policy(&m, p).is_some(), "{m} {p} has no policy");
        assert!(
            doc["paths"][p][m.as_str().to_lowercase()].is_object(),
            "{m} {p} missing from openapi.json"
        );
    }
    // And every policy names a route (no stale entries).
    for (m, p, _) in auth::POLICIES {
        assert!(
            route_list()
                .iter()
                .any(|(rm, rp)| rm.as_str() == *m && rp == p),
            "policy for {m} {p} names no route"
        );
    }
}

#[tokio::test]
async fn past_the_concurrency_limit_the_answer_is_503_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(state(dir.path(), |c| c.concurrency = 0));
    let (status, body) = call(app, get("/api/v1/health")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "overloaded");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path(), |_| {});
    let (status, body) = call(app(st.clone()), get("/api/v1/nothing")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let req = Request::delete("/api/v1/runs")
        .body(AxBody::empty())
        .unwrap();
    let (status, body) = call(app(st), req).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn panics_and_slow_requests_answer_json_errors_without_internals() {
    // The layers of `app`, over routes that panic or take too long.
    let test_routes: Router = Router::new()
        .route(
            "/boom",
            axum::routing::get(|| async {
                if std::hint::black_box(true) {
                    panic!("secret internals /etc/passwd");
                }
                ""
            }),
        )
        .route(
            "/slow",
            axum::routing::get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                ""
            }),
        );
    let full = with_layers(test_routes, Duration::from_millis(50), 4, 1024);
    let (status, body) = call(full.clone(), get("/boom")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"]["code"], "internal");
    assert!(!body.to_string().contains("passwd"));
    let (status, body) = call(full, get("/slow")).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(body["error"]["code"], "timeout");
}
