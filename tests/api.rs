//! End-to-end tests of `rasoat serve`: the real binary on a free loopback port, over the
//! bundled corpus, with a small HTTP/1.1 client on `std::net::TcpStream`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rasoat::api::auth::{policy, Policy};
use rasoat::review::ReviewDb;
use serde_json::{json, Value};

mod common;
use common::{check_logged, dechunk, rasoat, token, Res, Server};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A data directory with the corpus ingested and three tokens.
struct Data {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    admin: String,
    reviewer: String,
    reader: String,
}

fn data() -> Data {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let out = rasoat(&dir, &["ingest", corpus().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Data {
        admin: token(&dir, "admin", "admin"),
        reviewer: token(&dir, "ana", "reviewer"),
        reader: token(&dir, "rd", "reader"),
        dir,
        _tmp: tmp,
    }
}

/// One HTTP/1.1 request; `Err` when the connection fails (server gone).
fn try_request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, &[u8])>,
) -> std::io::Result<Res> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    if let Some((ct, b)) = body {
        head.push_str(&format!(
            "Content-Type: {ct}\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes())?;
    if let Some((_, b)) = body {
        s.write_all(b)?;
    }
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("bad status line"))?;
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
    Ok(Res {
        status,
        headers,
        body,
    })
}

fn get(addr: &str, path: &str, token: Option<&str>) -> Res {
    try_request(addr, "GET", path, token, None).unwrap()
}

fn post(addr: &str, path: &str, token: Option<&str>, body: &Value) -> Res {
    let b = body.to_string();
    try_request(
        addr,
        "POST",
        path,
        token,
        Some(("application/json", b.as_bytes())),
    )
    .unwrap()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn start_run(addr: &str, admin: &str, as_of: &str) -> i64 {
    let r = post(
        addr,
        "/api/v1/runs",
        Some(admin),
        &json!({ "as_of": as_of }),
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    r.json()["run"]["id"].as_i64().unwrap()
}

fn all_findings(addr: &str, run: i64, filter: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let r = get(
            addr,
            &format!("/api/v1/runs/{run}/findings?limit=40&offset={offset}{filter}"),
            None,
        );
        assert_eq!(r.status, 200);
        let v = r.json();
        let page = v["findings"].as_array().unwrap().clone();
        let total = v["total"].as_u64().unwrap() as usize;
        offset += page.len();
        out.extend(page);
        if offset >= total {
            return out;
        }
    }
}

fn decide(addr: &str, tok: &str, finding: &str, body: Value) -> Value {
    let r = post(
        addr,
        &format!("/api/v1/findings/{finding}/decisions"),
        Some(tok),
        &body,
    );
    assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

fn audit_decisions(db: &ReviewDb) -> i64 {
    db.connection()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'decision.create'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn decisions_and_audit_rows_survive_a_restart_and_a_backup() {
    let d = data();
    let mut s = Server::start(&d.dir, &[]);
    let run = start_run(&s.addr, &d.admin, "2026-11-29");
    let fs = all_findings(&s.addr, run, "");
    assert!(
        fs.len() > 50,
        "the corpus gives many findings: {}",
        fs.len()
    );
    let mut recorded: BTreeMap<String, Value> = BTreeMap::new();
    for (i, f) in fs.iter().take(30).enumerate() {
        let id = f["id"].as_str().unwrap();
        let body = match i % 3 {
            0 => json!({ "decision": "confirmed", "note": format!("đã kiểm tra {i}") }),
            1 => json!({ "decision": "dismissed", "note": "không đúng" }),
            _ => json!({ "decision": "needs_amendment", "note": "cần xử lý", "proposal": "repeal",
                         "body_in_charge": "Ủy ban nhân dân xã Phú Thạnh", "deadline": "2027-03-01" }),
        };
        recorded.insert(id.to_string(), decide(&s.addr, &d.reviewer, id, body));
    }
    let audit_before = get(&s.addr, "/api/v1/audit?limit=5000", Some(&d.admin)).json();
    s.kill();

    let s = Server::start(&d.dir, &[]);
    for (id, rec) in &recorded {
        let h = get(&s.addr, &format!("/api/v1/findings/{id}/decisions"), None).json();
        assert_eq!(h["decisions"], json!([rec]), "decision on {id}");
        let f = get(&s.addr, &format!("/api/v1/findings/{id}?run={run}"), None).json();
        assert_eq!(f["state"], rec["decision"]);
    }
    let audit_after = get(&s.addr, "/api/v1/audit?limit=5000", Some(&d.admin)).json();
    assert_eq!(audit_before, audit_after, "the audit log is intact");
    let rows = audit_after["audit"].as_array().unwrap();
    let decision_rows: Vec<&Value> = rows
        .iter()
        .filter(|r| r["action"] == "decision.create")
        .collect();
    assert_eq!(decision_rows.len(), recorded.len());
    for r in &decision_rows {
        assert_eq!(r["actor"], "ana");
        assert!(r["after"]["decision"].is_string() && r["at"].is_string());
    }
    let state = get(
        &s.addr,
        &format!("/api/v1/runs/{run}/findings?state=dismissed"),
        None,
    )
    .json();
    assert_eq!(state["total"], 10);

    // A backup through SQLite's backup API, taken while the server runs, has them all.
    let dest = d.dir.parent().unwrap().join("backup");
    let out = rasoat(&d.dir, &["backup", dest.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b = ReviewDb::open(&dest).unwrap();
    assert_eq!(b.integrity_check().unwrap(), "ok");
    assert_eq!(b.all_decisions().unwrap().len(), recorded.len());
    assert_eq!(audit_decisions(&b), recorded.len() as i64);
}

#[test]
fn a_run_a_year_later_shows_the_diff_with_decisions_carried() {
    let d = data();
    let s = Server::start(&d.dir, &[]);
    let r1 = start_run(&s.addr, &d.admin, "2025-11-29");
    let f1 = all_findings(&s.addr, r1, "");
    for f in &f1 {
        decide(
            &s.addr,
            &d.reviewer,
            f["id"].as_str().unwrap(),
            json!({ "decision": "confirmed", "run": r1 }),
        );
    }
    let r2 = start_run(&s.addr, &d.admin, "2026-11-29");
    let diff = get(&s.addr, &format!("/api/v1/runs/{r2}/diff"), None).json();
    assert_eq!(diff["from"], r1);
    let ids = |k: &str| -> BTreeSet<String> {
        diff[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (new, resolved, unchanged) = (ids("new"), ids("resolved"), ids("unchanged"));
    let f2: BTreeSet<String> = all_findings(&s.addr, r2, "")
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    let f1: BTreeSet<String> = f1
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(&new | &unchanged, f2);
    assert_eq!(&resolved | &unchanged, f1);
    // Expiries of 2026 are new a year later: the plan 112/KH-UBND and 27/2021/QĐ-UBND ended
    // on 2026-01-01.
    let new_docs: BTreeSet<&str> = diff["new"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "expired")
        .map(|f| f["document"].as_str().unwrap())
        .collect();
    assert!(
        new_docs.contains("112/KH-UBND") && new_docs.contains("27/2021/QĐ-UBND"),
        "{new_docs:?}"
    );
    assert!(!unchanged.is_empty());
    for f in diff["unchanged"].as_array().unwrap() {
        assert_eq!(f["state"], "confirmed", "carried to {}", f["id"]);
        assert_eq!(f["carried_from"], r1);
    }
    assert_eq!(diff["counts"]["carried"], unchanged.len());
    for f in diff["new"].as_array().unwrap() {
        assert_eq!(f["state"], "pending");
    }
    // Dismissing in run 2 leaves run 1 as it was decided.
    let one = diff["unchanged"][0]["id"].as_str().unwrap().to_string();
    decide(
        &s.addr,
        &d.reviewer,
        &one,
        json!({ "decision": "dismissed" }),
    );
    let in1 = get(&s.addr, &format!("/api/v1/findings/{one}?run={r1}"), None).json();
    let in2 = get(&s.addr, &format!("/api/v1/findings/{one}?run={r2}"), None).json();
    assert_eq!(
        (in1["state"].as_str(), in2["state"].as_str()),
        (Some("confirmed"), Some("dismissed"))
    );
}

#[test]
fn the_expired_list_of_a_run_over_the_corpus_is_the_expected_one() {
    let d = data();
    let s = Server::start(&d.dir, &[]);
    let run = start_run(&s.addr, &d.admin, "2026-11-29");
    // Nothing is confirmed yet: the list is empty.
    let empty = get(
        &s.addr,
        &format!("/api/v1/runs/{run}/lists/expired.json"),
        None,
    )
    .json();
    assert_eq!(empty["total"], 0);
    let mut amend = None;
    for kind in ["expired", "partially_expired"] {
        for f in all_findings(&s.addr, run, &format!("&kind={kind}")) {
            decide(
                &s.addr,
                &d.reviewer,
                f["id"].as_str().unwrap(),
                json!({ "decision": "confirmed" }),
            );
        }
    }
    for f in all_findings(&s.addr, run, "&kind=authority")
        .into_iter()
        .take(1)
    {
        decide(
            &s.addr,
            &d.reviewer,
            f["id"].as_str().unwrap(),
            json!({ "decision": "needs_amendment", "proposal": "replace", "note": "cơ quan kế thừa ban hành thay thế",
                    "body_in_charge": "Ủy ban nhân dân xã Phú Thạnh", "deadline": "2027-06-30" }),
        );
        amend = Some(f["document"].as_str().unwrap().to_string());
    }

    let status: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("STATUS.json")).unwrap())
            .unwrap();
    let expected: BTreeMap<String, (String, String, String)> = status["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "expired" || d["status"] == "partially_expired")
        .map(|d| {
            (
                d["document"].as_str().unwrap().to_string(),
                (
                    d["status"].as_str().unwrap().to_string(),
                    d["since"].as_str().unwrap().to_string(),
                    d["reasons"][0]["kind"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    assert!(expected.len() >= 15);
    let list = get(&s.addr, &format!("/api/v1/runs/{run}/lists/expired"), None).json();
    let got: BTreeMap<String, (String, String, String)> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert!(
                !r["reason"].as_str().unwrap().is_empty(),
                "a reason for {}",
                r["document"]
            );
            let scope = if r["scope"] == "whole" {
                "expired"
            } else {
                "partially_expired"
            };
            (
                r["document"].as_str().unwrap().to_string(),
                (
                    scope.to_string(),
                    r["date"].as_str().unwrap().to_string(),
                    r["reason_kind"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(got, expected);

    // CSV: UTF-8 with a BOM, the columns of DOMAIN.md, one line per document.
    let csv = get(
        &s.addr,
        &format!("/api/v1/runs/{run}/lists/expired.csv"),
        None,
    );
    assert_eq!(csv.status, 200);
    assert!(csv.headers["content-type"].starts_with("text/csv"));
    assert!(csv.body.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(csv.body[3..].to_vec()).unwrap();
    assert!(text.starts_with("STT,\"Số, ký hiệu\",\"Ngày, tháng, năm ban hành\",Tên gọi của văn bản,Lý do hết hiệu lực,Ngày hết hiệu lực,"));
    assert_eq!(text.lines().count(), expected.len() + 1);

    // XLSX, read back.
    let columns = list["columns"].as_array().unwrap().clone();
    let read_xlsx = |path: &str| -> Vec<Vec<String>> {
        use calamine::{Reader, Xlsx};
        let r = get(&s.addr, path, None);
        assert_eq!(r.status, 200);
        assert!(r.headers["content-type"].contains("spreadsheetml"));
        let mut wb: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(r.body)).unwrap();
        let name = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&name).unwrap();
        range
            .rows()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let rows = read_xlsx(&format!("/api/v1/runs/{run}/lists/expired.xlsx"));
    let header: Vec<String> = columns
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(rows[0], header);
    assert_eq!(rows.len(), expected.len() + 1);
    let docs: BTreeSet<String> = rows[1..].iter().map(|r| r[1].clone()).collect();
    assert_eq!(docs, expected.keys().cloned().collect());
    for r in &rows[1..] {
        assert_eq!(r[5], expected[&r[1]].1, "date of {}", r[1]);
        assert!(!r[4].is_empty());
    }

    // The list of documents to act on has the proposal, the body in charge and the deadline.
    let amend = amend.expect("the corpus has authority findings");
    let rows = read_xlsx(&format!("/api/v1/runs/{run}/lists/to_amend.xlsx"));
    assert_eq!(rows[0][5], "Kiến nghị");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][1], amend);
    assert_eq!(rows[1][5], "Thay thế");
    assert_eq!(rows[1][7], "Ủy ban nhân dân xã Phú Thạnh");
    assert_eq!(rows[1][8], "2027-06-30");

    // Documents in force: none of the expired ones.
    let in_force = get(
        &s.addr,
        &format!("/api/v1/runs/{run}/lists/in_force.json"),
        None,
    )
    .json();
    for r in in_force["rows"].as_array().unwrap() {
        let id = r["document"].as_str().unwrap();
        assert!(
            expected.get(id).is_none_or(|e| e.0 == "partially_expired"),
            "{id}"
        );
    }
    assert!(in_force["total"].as_u64().unwrap() > 20);
}

#[test]
fn every_write_route_answers_401_without_a_token_and_403_to_a_reader() {
    let d = data();
    // One wrong token per route: more failed authentications than the default limit allows
    // one address (tests/auth_limit.rs tests the limit itself).
    let s = Server::start(&d.dir, &["--auth-failures", "1000"]);
    let routes = rasoat::api::route_list();
    assert!(routes.len() >= 15);
    let mut writes = 0;
    for (method, path) in &routes {
        let p =
            policy(method, path).unwrap_or_else(|| panic!("{method} {path} has no access policy"));
        let concrete = path
            .replace("{id}", "15%2F2019%2FQ%C4%90-UBND")
            .replace("{run}", "1")
            .replace("{finding}", "0000000000000000")
            .replace("{list}", "expired.csv");
        let call = |tok: Option<&str>| {
            let body = json!({}).to_string();
            let body = (method.as_str() == "POST").then_some(("application/json", body.as_bytes()));
            try_request(&s.addr, method.as_str(), &concrete, tok, body)
                .unwrap()
                .status
        };
        match p {
            Policy::Write | Policy::Admin => {
                writes += 1;
                assert_eq!(call(None), 401, "{method} {path} without a token");
                assert_eq!(
                    call(Some(&d.reader)),
                    403,
                    "{method} {path} with a reader's token"
                );
                if p == Policy::Admin {
                    assert_eq!(
                        call(Some(&d.reviewer)),
                        403,
                        "{method} {path} with a reviewer's token"
                    );
                }
            }
            Policy::Read | Policy::Public => {
                assert_ne!(
                    call(None),
                    401,
                    "{method} {path}: reads are open on loopback"
                );
                assert_ne!(
                    call(Some(&d.reader)),
                    403,
                    "{method} {path} with a reader's token"
                );
            }
        }
        assert_eq!(
            call(Some("rs_not_a_token")),
            401,
            "{method} {path} with a wrong token"
        );
    }
    assert!(writes >= 2);

    // With --token-for-reads, reads need a token too; public routes stay public.
    let s2 = Server::start(&d.dir, &["--token-for-reads"]);
    assert_eq!(get(&s2.addr, "/api/v1/documents", None).status, 401);
    assert_eq!(
        get(&s2.addr, "/api/v1/documents", Some(&d.reader)).status,
        200
    );
    assert_eq!(get(&s2.addr, "/api/v1/health", None).status, 200);

    // A revoked token is refused at once, without a restart.
    let out = rasoat(&d.dir, &["token", "revoke", "--name", "rd"]);
    assert!(out.status.success());
    assert_eq!(
        get(&s2.addr, "/api/v1/documents", Some(&d.reader)).status,
        401
    );
}

#[test]
fn no_tokens_no_listening_beyond_loopback() {
    let tmp = tempfile::tempdir().unwrap();
    let out = rasoat(tmp.path(), &["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no tokens"));
}

#[test]
fn malformed_and_unknown_inputs_get_clear_json_errors() {
    let d = data();
    let s = Server::start(&d.dir, &["--body-limit", "2048"]);
    let run = start_run(&s.addr, &d.admin, "2026-11-29");
    let f = all_findings(&s.addr, run, "&kind=expired");
    let path = format!(
        "/api/v1/findings/{}/decisions",
        f[0]["id"].as_str().unwrap()
    );
    let tok = Some(d.reviewer.as_str());
    let send =
        |ct: &str, body: &[u8]| try_request(&s.addr, "POST", &path, tok, Some((ct, body))).unwrap();
    let check = |r: &Res, status: u16, code: &str| {
        assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
        let v = r.json();
        assert_eq!(v["error"]["code"], code);
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(!msg.is_empty());
        for leak in ["sqlite", "SELECT", "/tmp", "panicked", "src/"] {
            assert!(!msg.contains(leak), "{msg}");
        }
    };
    check(
        &send("application/json", b"{\"decision\": "),
        400,
        "invalid_json",
    );
    check(&send("application/json", b"[1, 2"), 400, "invalid_json");
    let r = send(
        "application/json",
        br#"{"decision": "confirmed", "colour": "red"}"#,
    );
    check(&r, 422, "invalid_body");
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("colour"));
    check(
        &send("application/json", br#"{"decision": "maybe"}"#),
        422,
        "invalid_body",
    );
    check(
        &send("application/json", br#"{"decision": "needs_amendment"}"#),
        422,
        "invalid_body",
    );
    check(
        &send("text/plain", br#"{"decision": "confirmed"}"#),
        415,
        "unsupported_media_type",
    );
    let big = format!(
        r#"{{"decision": "confirmed", "note": "{}"}}"#,
        "x".repeat(4096)
    );
    check(
        &send("application/json", big.as_bytes()),
        413,
        "payload_too_large",
    );
    let r = post(
        &s.addr,
        "/api/v1/findings/ffffffffffffffff/decisions",
        tok,
        &json!({ "decision": "confirmed" }),
    );
    check(&r, 404, "not_found");
    check(
        &get(&s.addr, "/api/v1/runs/999/findings", None),
        404,
        "not_found",
    );
    check(&get(&s.addr, "/api/v1/runs/abc", None), 404, "not_found");
    check(
        &get(&s.addr, "/api/v1/runs/1/lists/nothing.csv", None),
        404,
        "not_found",
    );
    check(
        &get(&s.addr, "/api/v1/runs/1/lists/expired.pdf", None),
        404,
        "not_found",
    );
    check(
        &get(
            &s.addr,
            &format!("/api/v1/documents/{}", enc("99/2099/QĐ-UBND")),
            None,
        ),
        404,
        "not_found",
    );
    check(
        &get(&s.addr, "/api/v1/documents?as_of=yesterday", None),
        400,
        "bad_request",
    );
    check(
        &get(&s.addr, "/api/v1/documents?colour=red", None),
        400,
        "bad_request",
    );
    check(
        &get(&s.addr, "/api/v1/runs/1/findings?state=maybe", None),
        400,
        "bad_request",
    );
    check(
        &get(&s.addr, "/api/v1/search?q=%22unclosed", None),
        400,
        "bad_request",
    );
    check(&get(&s.addr, "/api/v1/nowhere", None), 404, "not_found");
    let r = post(
        &s.addr,
        "/api/v1/runs",
        Some(&d.admin),
        &json!({ "as_of": "29/11/2026" }),
    );
    check(&r, 422, "invalid_body");

    // And the happy paths of the read routes, once each.
    let id = enc("15/2019/QĐ-UBND");
    let doc = get(
        &s.addr,
        &format!("/api/v1/documents/{id}?as_of=2026-11-29"),
        None,
    )
    .json();
    assert_eq!(doc["id"], "15/2019/QĐ-UBND");
    assert_eq!(doc["status"]["status"], "in_force");
    let text = get(
        &s.addr,
        &format!("/api/v1/documents/{id}/text?as_of=2026-11-29"),
        None,
    )
    .json();
    assert!(text["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["amended_by"].is_string()));
    let rel = get(&s.addr, &format!("/api/v1/documents/{id}/relations"), None).json();
    assert!(rel["outgoing"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["document"] == "04/2016/QĐ-UBND"));
    let old = get(
        &s.addr,
        &format!("/api/v1/documents/{}/relations", enc("04/2016/QĐ-UBND")),
        None,
    )
    .json();
    assert!(old["incoming"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["document"] == "15/2019/QĐ-UBND"));
    let h = get(
        &s.addr,
        &format!("/api/v1/documents/{}/history", enc("04/2016/QĐ-UBND")),
        None,
    )
    .json();
    assert!(h["history"].as_array().unwrap().len() >= 2);
    let list = get(
        &s.addr,
        "/api/v1/documents?status=expired&as_of=2026-11-29",
        None,
    )
    .json();
    assert_eq!(list["total"], 15);
    let hits = get(&s.addr, "/api/v1/search?q=quyet%20dinh&limit=3", None).json();
    assert!(hits["total"].as_u64().unwrap() > 0);
    assert_eq!(hits["total_exact"], true);
    let exact = get(
        &s.addr,
        "/api/v1/search?q=quyet%20dinh&limit=3&exact_total=true",
        None,
    )
    .json();
    assert_eq!(
        (&exact["total"], &exact["hits"]),
        (&hits["total"], &hits["hits"])
    );
    let api = get(&s.addr, "/api/v1/openapi.json", None).json();
    assert!(api["paths"]["/api/v1/findings/{finding}/decisions"]["post"].is_object());
    let rules = get(&s.addr, "/api/v1/rules", None).json();
    assert!(rules["rules"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("rule "));
    let health = get(&s.addr, "/api/v1/health", None).json();
    assert_eq!(health["status"], "ok");
}

#[test]
fn kill_9_while_posting_decisions_loses_no_acknowledged_decision() {
    let d = data();
    let ids: Vec<String> = {
        let s = Server::start(&d.dir, &[]);
        let run = start_run(&s.addr, &d.admin, "2026-11-29");
        all_findings(&s.addr, run, "")
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut acknowledged: Vec<i64> = Vec::new();
    let started = Instant::now();
    for round in 0..20u64 {
        let mut s = Server::start(&d.dir, &[]);
        let addr = s.addr.clone();
        let tok = d.reviewer.clone();
        let ids = ids.clone();
        let client = std::thread::spawn(move || {
            let mut acked = Vec::new();
            for i in 0.. {
                let id = &ids[(i * 7 + round as usize) % ids.len()];
                let body = json!({ "decision": if i % 2 == 0 { "confirmed" } else { "dismissed" }, "note": format!("round {round} #{i}") })
                    .to_string();
                match try_request(
                    &addr,
                    "POST",
                    &format!("/api/v1/findings/{id}/decisions"),
                    Some(&tok),
                    Some(("application/json", body.as_bytes())),
                ) {
                    Ok(r) if r.status == 201 => acked.push(r.json()["id"].as_i64().unwrap()),
                    Ok(r) => panic!(
                        "unexpected {}: {}",
                        r.status,
                        String::from_utf8_lossy(&r.body)
                    ),
                    Err(_) => return acked,
                }
            }
            acked
        });
        std::thread::sleep(Duration::from_millis(40 + (round * 37) % 160));
        s.kill();
        acknowledged.extend(client.join().unwrap());
    }
    assert!(
        acknowledged.len() >= 20,
        "the client got through: {}",
        acknowledged.len()
    );
    let db = ReviewDb::open(&d.dir).unwrap();
    assert_eq!(db.integrity_check().unwrap(), "ok");
    let stored: BTreeSet<i64> = db.all_decisions().unwrap().iter().map(|r| r.id).collect();
    for id in &acknowledged {
        assert!(stored.contains(id), "acknowledged decision {id} was lost");
    }
    assert_eq!(
        audit_decisions(&db),
        stored.len() as i64,
        "one audit row per decision"
    );
    // And each audit row records its own decision.
    let mut stmt = db
        .connection()
        .prepare("SELECT json_extract(after, '$.id') FROM audit WHERE action = 'decision.create'")
        .unwrap();
    let audited: BTreeSet<i64> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(audited, stored);
    eprintln!(
        "kill -9 × 20: {} acknowledged, {} stored, {:?}",
        acknowledged.len(),
        stored.len(),
        started.elapsed()
    );
}

#[test]
fn a_run_keeps_its_findings_for_the_next_check_and_run() {
    let d = data();
    let s = Server::start(&d.dir, &[]);
    let run = start_run(&s.addr, &d.admin, "2024-12-31");
    let mut from_run: Vec<String> = all_findings(&s.addr, run, "")
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    from_run.sort();
    assert!(!from_run.is_empty());
    // The check on the same date takes every group's findings as the run kept them.
    let check = check_logged(&d.dir, "2024-12-31");
    assert!(check.status.success());
    let log = String::from_utf8_lossy(&check.stderr);
    assert!(log.contains("check: independent groups"), "{log}");
    assert!(
        !log.contains("check: statuses and units"),
        "the check ran rules the run had kept: {log}"
    );
    let v: Value = serde_json::from_slice(&check.stdout).unwrap();
    let mut from_check: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    from_check.sort();
    assert_eq!(from_check, from_run);
    // A second run on the same date has the same findings.
    let again = start_run(&s.addr, &d.admin, "2024-12-31");
    assert_eq!(
        all_findings(&s.addr, again, "").len(),
        from_run.len(),
        "run {again}"
    );
    // A document added while the server runs: the next run has the findings of a full check
    // of the store as it now is.
    let text = std::fs::read_to_string(corpus().join("2020-08-17_11-2020-QD-UBND.txt")).unwrap();
    assert!(text.contains("11/2020/QĐ-UBND"));
    let added = d
        .dir
        .parent()
        .unwrap()
        .join("2020-08-18_91-2020-QD-UBND.txt");
    std::fs::write(&added, text.replace("11/2020/QĐ-UBND", "91/2020/QĐ-UBND")).unwrap();
    let out = rasoat(&d.dir, &["ingest", added.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let third = start_run(&s.addr, &d.admin, "2024-12-31");
    let mut from_third: Vec<String> = all_findings(&s.addr, third, "")
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    from_third.sort();
    let full = rasoat(
        &d.dir,
        &[
            "check",
            "--as-of",
            "2024-12-31",
            "--format",
            "json",
            "--full",
        ],
    );
    let v: Value = serde_json::from_slice(&full.stdout).unwrap();
    let mut from_full: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    from_full.sort();
    assert_eq!(from_third, from_full);
    assert!(
        from_third.len() > from_run.len(),
        "the new document has findings"
    );
}
