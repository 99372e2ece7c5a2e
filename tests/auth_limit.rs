//! Failed authentications are rate-limited per client address: past the limit, requests that
//! present a token get 429 with `Retry-After`, even with a valid token, while requests without
//! a token (open reads on loopback) are still served.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use rasoat::api::auth::FAILURE_LIMIT;

mod common;
use common::{rasoat, token, Server};

/// Status and headers (lower-case names) of one GET.
fn get(addr: &str, path: &str, bearer: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = bearer {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text.to_lowercase())
}

#[test]
fn failed_authentications_get_429_with_retry_after() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let out = rasoat(&data, &["ingest", corpus.to_str().unwrap()]);
    assert!(out.status.success());
    let good = token(&data, "rd", "reader");
    let server = Server::start(&data, &[]);
    let addr = server.addr.as_str();

    // A valid token works before anything went wrong.
    assert_eq!(get(addr, "/api/v1/me", Some(&good)).0, 200);
    for i in 0..FAILURE_LIMIT {
        let (status, _) = get(addr, "/api/v1/me", Some(&format!("guess-{i}")));
        assert_eq!(status, 401, "attempt {i}");
    }
    // Over the limit: refused before the token is looked at, valid or not.
    let (status, text) = get(addr, "/api/v1/me", Some("guess-again"));
    assert_eq!(status, 429, "{text}");
    let retry: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("retry-after:"))
        .map(|v| v.trim().parse().unwrap())
        .expect("a Retry-After header");
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    assert!(text.contains("too_many_requests"), "{text}");
    assert_eq!(get(addr, "/api/v1/me", Some(&good)).0, 429);
    // A malformed Authorization header counts too, and is refused the same way.
    let (status, _) = get(addr, "/api/v1/documents", Some(""));
    assert_eq!(status, 429);
    // Reads without a token are not affected.
    assert_eq!(get(addr, "/api/v1/documents", None).0, 200);
    assert_eq!(get(addr, "/api/v1/health", None).0, 200);
}

#[test]
fn the_limiter_forgets_after_its_window() {
    use rasoat::api::auth::FailureLimiter;
    let l = FailureLimiter::new(2, Duration::from_millis(200));
    let a = Some("127.0.0.1".parse().unwrap());
    let b = Some("127.0.0.2".parse().unwrap());
    l.record_failure(a);
    assert_eq!(l.blocked(a), None);
    l.record_failure(a);
    assert_eq!(l.blocked(a), Some(1));
    assert_eq!(l.blocked(b), None, "counted per address");
    std::thread::sleep(Duration::from_millis(250));
    assert_eq!(l.blocked(a), None);
    l.record_failure(a);
    assert_eq!(l.blocked(a), None, "a new window starts from zero");
}
