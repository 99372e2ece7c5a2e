//! The reviewers' page served by `rasoat serve` at `/`.
//!
//! - Without a browser: `/` and its assets come with the right content types, a strict
//!   Content-Security-Policy, and name no other host.
//! - In a browser: headless Debian `chromium` driven by `playwright-core` (tests/browser/review.mjs)
//!   against the real binary over `corpus/`; the decisions it takes are then read back through
//!   the API. Screenshots go to `target/page-screenshots/` (test artefacts, not committed).
//!   Needs `node`, `npm` and `/usr/bin/chromium` (`.ci/run` installs chromium when absent); the
//!   test fails, naming the install command, when one is missing.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

mod common;
use common::{dechunk, rasoat, token, Res, Server};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A plain HTTP/1.1 GET.
fn get(addr: &str, path: &str, token: Option<&str>) -> Res {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Res {
        status,
        headers,
        body,
    }
}

#[test]
fn the_page_and_its_assets_are_served_with_their_types_and_name_no_other_host() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Server::start(tmp.path(), &[]);

    let page = get(&s.addr, "/", None);
    assert_eq!(page.status, 200);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    let csp = &page.headers["content-security-policy"];
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe"), "{csp}");
    let html = page.text();
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(
        html.contains("Rà soát văn bản"),
        "Vietnamese with diacritics"
    );
    assert!(html.contains("src=\"/assets/app.js\""));
    assert!(html.contains("href=\"/assets/app.css\""));
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"),
        "the page names no other host"
    );
    // No inline script or style for the CSP to refuse.
    assert!(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style="));

    for (path, ct) in [
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "text/css; charset=utf-8"),
    ] {
        let r = get(&s.addr, path, None);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.headers["content-type"], ct, "{path}");
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert!(r.headers.contains_key("content-security-policy"));
        let body = r.text();
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{path} names no other host"
        );
    }
    assert!(get(&s.addr, "/assets/app.js", None)
        .text()
        .contains("/api/v1"));
    let icon = get(&s.addr, "/assets/favicon.svg", None);
    assert_eq!(icon.headers["content-type"], "image/svg+xml");

    let missing = get(&s.addr, "/assets/nope.js", None);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["code"], "not_found");

    // Who am I: anonymous on loopback, the token's name and role otherwise.
    let me = get(&s.addr, "/api/v1/me", None).json();
    assert_eq!(me["name"], "anonymous");
    assert!(me["role"].is_null());
    let rd = token(tmp.path(), "rd", "reader");
    let me = get(&s.addr, "/api/v1/me", Some(&rd)).json();
    assert_eq!(
        (me["name"].as_str(), me["role"].as_str()),
        (Some("rd"), Some("reader"))
    );
    assert_eq!(get(&s.addr, "/api/v1/me", Some("rs_wrong")).status, 401);
}

/// Where `npm install --no-save playwright-core` goes (installed on first use).
fn playwright_dir() -> PathBuf {
    let dir = root().join("target").join("browser-deps");
    if dir
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        return dir;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let npm = Command::new("npm")
        .args([
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "playwright-core",
        ])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("npm not found ({e}): install it with `apt-get install -y nodejs npm`")
        });
    assert!(
        npm.status.success(),
        "`npm install --no-save playwright-core` in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&npm.stderr)
    );
    dir
}

#[test]
fn a_jurist_reviews_in_headless_chromium_and_the_decisions_are_saved() {
    // The tools, or a clear failure naming how to install them.
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} not found: install it with `apt-get install -y chromium` (.ci/run does)"
    );
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => panic!("node not found: install it with `apt-get install -y nodejs npm`"),
    }
    let pw = playwright_dir();

    // The scenario: the corpus ingested, an admin and a reader, a server on a free port.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = rasoat(&data, &["ingest", root().join("corpus").to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let admin = token(&data, "admin", "admin");
    let reader = token(&data, "rd", "reader");
    let s = Server::start(&data, &[]);
    let base = format!("http://{}", s.addr);

    let shots = root().join("target").join("page-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for e in std::fs::read_dir(&shots).unwrap().flatten() {
        if e.path()
            .extension()
            .is_some_and(|x| x == "png" || x == "xlsx")
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
    let out = Command::new("node")
        .arg(root().join("tests/browser/review.mjs"))
        .args([base.as_str(), admin.as_str()])
        .arg(&shots)
        .arg(&reader)
        .env("PLAYWRIGHT_CORE_DIR", &pw)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    println!("{stdout}");
    assert!(
        out.status.success(),
        "the browser test failed:\n{stdout}\n{stderr}"
    );
    let report: Value = serde_json::from_str(stdout.trim().lines().last().unwrap())
        .unwrap_or_else(|e| panic!("no report line ({e}):\n{stdout}"));
    let run = report["run"].as_i64().unwrap();

    // Both decisions (and the amendment) are saved, as the API tells.
    let last_decision = |finding: &str| -> Value {
        let r = get(
            &s.addr,
            &format!("/api/v1/findings/{finding}/decisions"),
            None,
        );
        assert_eq!(r.status, 200);
        let v = r.json();
        let list = v["decisions"].as_array().unwrap();
        assert_eq!(list.len(), 1, "one decision on {finding}: {v}");
        list[0].clone()
    };
    let confirmed = last_decision(report["confirmed"].as_str().unwrap());
    assert_eq!(confirmed["decision"], "confirmed");
    assert_eq!(confirmed["author"], "admin");
    assert_eq!(confirmed["run"], run);
    let dismissed = last_decision(report["dismissed"].as_str().unwrap());
    assert_eq!(dismissed["decision"], "dismissed");
    assert_eq!(dismissed["note"], "Không phải trường hợp cần xử lý");
    assert_eq!(dismissed["run"], run);
    let amend = last_decision(report["needs_amendment"].as_str().unwrap());
    assert_eq!(amend["decision"], "needs_amendment");
    assert_eq!(amend["proposal"], "replace");
    assert_eq!(amend["body_in_charge"], "Ủy ban nhân dân xã Phú Thạnh");
    assert_eq!(amend["deadline"], "2027-06-30");
    let counts = get(&s.addr, &format!("/api/v1/runs/{run}"), None).json();
    assert_eq!(counts["by_state"]["confirmed"], 1, "{counts}");
    assert_eq!(counts["by_state"]["dismissed"], 1, "{counts}");
    assert_eq!(counts["by_state"]["needs_amendment"], 1, "{counts}");

    // The XLSX the page downloaded is the run's expired list, with the confirmed document.
    use calamine::{Reader, Xlsx};
    let xlsx = PathBuf::from(report["xlsx"].as_str().unwrap());
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).expect("the download is an XLSX");
    let name = wb.sheet_names()[0].clone();
    let rows: Vec<Vec<String>> = wb
        .worksheet_range(&name)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "STT");
    let finding = get(
        &s.addr,
        &format!(
            "/api/v1/findings/{}?run={run}",
            report["confirmed"].as_str().unwrap()
        ),
        None,
    )
    .json();
    assert_eq!(finding["kind"], "expired", "{finding}");
    assert!(
        rows[1..].iter().any(|r| r[1] == finding["document"]),
        "{rows:?}"
    );

    let pngs = std::fs::read_dir(&shots)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert!(pngs >= 10, "{pngs} screenshots in {}", shots.display());
}
