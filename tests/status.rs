//! End-to-end tests of `rasoat ingest`, `status` and `show` over the real binary: the corpus
//! agreement with `corpus/STATUS.json`, small fixtures for each rule, ingesting twice, and
//! ingesting again after `kill -9`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_rasoat");

fn rasoat(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("RASOAT_RULES")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run rasoat")
}

fn ok(o: &Output) -> &Output {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&ok(o).stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

fn status(data: &Path, doc: &str, as_of: &str) -> Value {
    json(&rasoat(
        data,
        &["status", doc, "--as-of", as_of, "--format", "json"],
    ))
}

fn provision<'a>(s: &'a Value, path: &str) -> &'a Value {
    s["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["provision"] == path)
        .unwrap_or_else(|| panic!("no provision {path} in {s:#}"))
}

/// A district decision in the form every test document takes.
fn decision(number: &str, issued: (u32, u32, u32), title: &str, body: &str) -> String {
    let (d, m, y) = issued;
    format!(
        "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n\
         Số: {number}\n\nTân Phong, ngày {d:02} tháng {m:02} năm {y}\n\nQUYẾT ĐỊNH\n{title}\n\n\
         ỦY BAN NHÂN DÂN HUYỆN TÂN PHONG\n\n\
         Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n\n\
         QUYẾT ĐỊNH:\n\n{body}\n\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\n\
         TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn A\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The fixture folder: a base decision, and later ones that replace, repeal, amend and
/// detail; see each test for what it checks.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    write(
        p,
        "a-base.txt",
        &decision(
            "03/2020/QĐ-UBND",
            (2, 1, 2020),
            "Ban hành quy định về phí vệ sinh",
            "Điều 1. Mức thu phí vệ sinh là 10.000 đồng mỗi hộ mỗi tháng.\n\n\
             Điều 2. Miễn thu phí đối với hộ nghèo.\n\n\
             Điều 3. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2020.\n\n\
             Điều 4. Thời hạn nộp phí\n\n1. Nộp phí hằng tháng.\n\n2. Nộp chậm nhất ngày 10 hằng tháng.",
        ),
    );
    write(
        p,
        "b-repeal-article.txt",
        &decision(
            "09/2023/QĐ-UBND",
            (1, 6, 2023),
            "Bãi bỏ Điều 2 của Quyết định số 03/2020/QĐ-UBND",
            "Điều 1. Bãi bỏ Điều 2 của Quyết định số 03/2020/QĐ-UBND ngày 02 tháng 01 năm 2020 của Ủy ban nhân dân huyện Tân Phong.\n\n\
             Điều 2. Quyết định này có hiệu lực kể từ ngày 12 tháng 6 năm 2023.",
        ),
    );
    write(
        p,
        "c-amend-clause.txt",
        &decision(
            "11/2023/QĐ-UBND",
            (1, 8, 2023),
            "Sửa đổi khoản 2 Điều 4 của Quyết định số 03/2020/QĐ-UBND",
            "Điều 1. Sửa đổi khoản 2 Điều 4 của Quyết định số 03/2020/QĐ-UBND ngày 02 tháng 01 năm 2020 như sau:\n\n\
             “2. Nộp chậm nhất ngày 15 hằng tháng.”\n\n\
             Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 8 năm 2023.",
        ),
    );
    write(
        p,
        "d-old.txt",
        &decision(
            "15/2019/QĐ-UBND",
            (1, 5, 2019),
            "Ban hành quy chế làm việc",
            "Điều 1. Nội dung quy chế.\n\nĐiều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 5 năm 2019.",
        ),
    );
    write(
        p,
        "e-replace.txt",
        &decision(
            "07/2022/QĐ-UBND",
            (20, 3, 2022),
            "Ban hành quy chế làm việc mới",
            "Điều 1. Nội dung quy chế mới.\n\n\
             Điều 2. Quyết định này có hiệu lực kể từ ngày 01 tháng 4 năm 2022 và thay thế Quyết định số 15/2019/QĐ-UBND ngày 01 tháng 5 năm 2019 của Ủy ban nhân dân huyện Tân Phong.",
        ),
    );
    write(
        p,
        "f-repeal-whole.txt",
        &decision(
            "02/2024/QĐ-UBND",
            (2, 1, 2024),
            "Bãi bỏ Quyết định số 07/2022/QĐ-UBND",
            "Điều 1. Bãi bỏ Quyết định số 07/2022/QĐ-UBND ngày 20 tháng 3 năm 2022 của Ủy ban nhân dân huyện Tân Phong.\n\n\
             Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2024.",
        ),
    );
    write(
        p,
        "g-time-limit.txt",
        &decision(
            "05/2021/QĐ-UBND",
            (4, 1, 2021),
            "Về hỗ trợ tạm thời",
            "Điều 1. Hỗ trợ tạm thời.\n\n\
             Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2021 đến hết ngày 31 tháng 12 năm 2023.",
        ),
    );
    dir
}

fn ingested_fixture() -> (tempfile::TempDir, tempfile::TempDir) {
    let src = fixture();
    let data = tempfile::tempdir().unwrap();
    let o = rasoat(data.path(), &["ingest", src.path().to_str().unwrap()]);
    ok(&o);
    (src, data)
}

fn reason_kinds(s: &Value) -> Vec<String> {
    s["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn status_json_has_the_contract_shape() {
    let (_src, data) = ingested_fixture();
    let s = status(data.path(), "03/2020/QĐ-UBND", "2021-01-01");
    for f in [
        "document",
        "as_of",
        "status",
        "since",
        "reasons",
        "provisions",
    ] {
        assert!(s.get(f).is_some(), "field {f} missing: {s:#}");
    }
    assert_eq!(s["document"], "03/2020/QĐ-UBND");
    assert_eq!(s["as_of"], "2021-01-01");
    assert_eq!(s["status"], "in_force");
    assert_eq!(s["since"], "2020-01-15");
    for r in s["reasons"].as_array().unwrap() {
        for f in ["kind", "document", "provision", "effective", "legal_basis"] {
            assert!(r.get(f).is_some(), "reason field {f} missing: {r:#}");
        }
    }
    for p in s["provisions"].as_array().unwrap() {
        for f in ["provision", "status", "since", "reasons"] {
            assert!(p.get(f).is_some(), "provision field {f} missing: {p:#}");
        }
    }
}

#[test]
fn replace_takes_effect_on_the_exact_day() {
    let (_src, data) = ingested_fixture();
    let before = status(data.path(), "15/2019/QĐ-UBND", "2022-03-31");
    assert_eq!(before["status"], "in_force");
    let on = status(data.path(), "15/2019/QĐ-UBND", "2022-04-01");
    assert_eq!(on["status"], "expired", "{on:#}");
    assert_eq!(on["since"], "2022-04-01");
    let r = &on["reasons"][0];
    assert_eq!(r["kind"], "replaced");
    assert_eq!(r["document"], "07/2022/QĐ-UBND");
    assert_eq!(r["effective"], "2022-04-01");
    assert_eq!(
        r["legal_basis"],
        "khoản 2 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
}

#[test]
fn repeal_of_a_whole_document() {
    let (_src, data) = ingested_fixture();
    assert_eq!(
        status(data.path(), "07/2022/QĐ-UBND", "2024-01-14")["status"],
        "in_force"
    );
    let s = status(data.path(), "07/2022/QĐ-UBND", "2024-01-15");
    assert_eq!(s["status"], "expired", "{s:#}");
    assert_eq!(s["reasons"][0]["kind"], "repealed");
    assert_eq!(s["reasons"][0]["document"], "02/2024/QĐ-UBND");
    assert_eq!(
        s["reasons"][0]["legal_basis"],
        "khoản 3 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
}

#[test]
fn repeal_of_one_article() {
    let (_src, data) = ingested_fixture();
    let before = status(data.path(), "03/2020/QĐ-UBND", "2023-06-11");
    assert_eq!(provision(&before, "Điều 2")["status"], "in_force");
    let s = status(data.path(), "03/2020/QĐ-UBND", "2023-06-12");
    assert_eq!(s["status"], "partially_expired", "{s:#}");
    assert_eq!(s["since"], "2023-06-12");
    let p = provision(&s, "Điều 2");
    assert_eq!(p["status"], "expired");
    assert_eq!(p["reasons"][0]["kind"], "repealed");
    assert_eq!(p["reasons"][0]["document"], "09/2023/QĐ-UBND");
    assert_eq!(p["reasons"][0]["provision"], "Điều 1");
    assert_eq!(
        p["reasons"][0]["legal_basis"],
        "khoản 3 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
    assert_eq!(provision(&s, "Điều 1")["status"], "in_force");
}

#[test]
fn amendment_of_one_clause_and_show_as_of() {
    let (_src, data) = ingested_fixture();
    let before = status(data.path(), "03/2020/QĐ-UBND", "2023-08-14");
    assert!(provision(&before, "khoản 2 Điều 4")["reasons"]
        .as_array()
        .unwrap()
        .is_empty());
    let s = status(data.path(), "03/2020/QĐ-UBND", "2023-08-15");
    let p = provision(&s, "khoản 2 Điều 4");
    assert_eq!(p["status"], "in_force");
    assert_eq!(p["since"], "2023-08-15");
    assert_eq!(p["reasons"][0]["kind"], "amended");
    assert_eq!(p["reasons"][0]["document"], "11/2023/QĐ-UBND");
    assert_eq!(
        p["reasons"][0]["legal_basis"],
        "khoản 2 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
    let old = ok(&rasoat(
        data.path(),
        &["show", "03/2020/QĐ-UBND", "--as-of", "2023-08-14"],
    ))
    .stdout
    .clone();
    let old = String::from_utf8(old).unwrap();
    assert!(old.contains("ngày 10 hằng tháng"), "{old}");
    assert!(
        old.contains("HẾT HIỆU LỰC"),
        "Điều 2 was repealed on 2023-06-12: {old}"
    );
    let new = String::from_utf8(
        ok(&rasoat(
            data.path(),
            &["show", "03/2020/QĐ-UBND", "--as-of", "2023-08-15"],
        ))
        .stdout
        .clone(),
    )
    .unwrap();
    assert!(new.contains("ngày 15 hằng tháng"), "{new}");
    assert!(!new.contains("ngày 10 hằng tháng"), "{new}");
}

#[test]
fn time_limit_ends_the_day_after() {
    let (_src, data) = ingested_fixture();
    assert_eq!(
        status(data.path(), "05/2021/QĐ-UBND", "2023-12-31")["status"],
        "in_force"
    );
    let s = status(data.path(), "05/2021/QĐ-UBND", "2024-01-01");
    assert_eq!(s["status"], "expired", "{s:#}");
    assert_eq!(reason_kinds(&s), ["time_limit"]);
    assert_eq!(
        s["reasons"][0]["legal_basis"],
        "khoản 1 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
}

#[test]
fn programme_period_and_expired_basis_on_the_seed() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/xuan-loc-cchc-2021-2030.txt");
    if !seed.exists() {
        eprintln!("skipped: {} not present", seed.display());
        return;
    }
    let data = tempfile::tempdir().unwrap();
    ok(&rasoat(data.path(), &["ingest", seed.to_str().unwrap()]));
    // Programme 2021–2030: in force on 2026-11-29; its basis, the Law on Local Government
    // of 2015, is not (replaced from 2025-03-01), which leaves the programme in force.
    let s = status(data.path(), "13969/QĐ-UBND", "2026-11-29");
    assert_eq!(s["status"], "in_force", "{s:#}");
    let text = String::from_utf8(
        ok(&rasoat(
            data.path(),
            &["status", "13969/QĐ-UBND", "--as-of", "2026-11-29"],
        ))
        .stdout
        .clone(),
    )
    .unwrap();
    assert!(
        text.contains("77/2015/QH13"),
        "the expired basis is listed: {text}"
    );
    assert!(
        text.contains("cấp huyện"),
        "the district level is noted: {text}"
    );
    let s = status(data.path(), "13969/QĐ-UBND", "2031-01-01");
    assert_eq!(s["status"], "expired", "{s:#}");
    assert_eq!(s["since"], "2031-01-01");
    assert_eq!(s["reasons"][0]["kind"], "time_limit");
}

#[test]
fn detailing_document_follows_its_parent_before_2025_04_01() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "child.txt",
        &decision(
            "08/2015/QĐ-UBND",
            (2, 1, 2015),
            "Quy định chi tiết một số điều của Luật Đất đai số 45/2013/QH13 trên địa bàn huyện",
            "Điều 1. Quyết định này quy định chi tiết một số điều của Luật Đất đai số 45/2013/QH13.\n\n\
             Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2015.",
        ),
    );
    let data = tempfile::tempdir().unwrap();
    ok(&rasoat(
        data.path(),
        &["ingest", dir.path().to_str().unwrap()],
    ));
    assert_eq!(
        status(data.path(), "08/2015/QĐ-UBND", "2024-07-31")["status"],
        "in_force"
    );
    let s = status(data.path(), "08/2015/QĐ-UBND", "2024-08-01");
    assert_eq!(s["status"], "expired", "{s:#}");
    assert_eq!(s["reasons"][0]["kind"], "parent_expired");
    assert_eq!(s["reasons"][0]["document"], "45/2013/QH13");
    assert_eq!(
        s["reasons"][0]["legal_basis"],
        "khoản 4 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015; khoản 2 Điều 38 Nghị định 34/2016/NĐ-CP"
    );
    assert_eq!(s["reasons"][1]["kind"], "replaced");
    assert_eq!(s["reasons"][1]["document"], "31/2024/QH15");
}

#[test]
fn history_and_unresolved() {
    let (_src, data) = ingested_fixture();
    let h = json(&rasoat(
        data.path(),
        &["status", "03/2020/QĐ-UBND", "--history", "--format", "json"],
    ));
    let doc: Vec<(&str, &str)> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["provision"].is_null())
        .map(|e| (e["date"].as_str().unwrap(), e["status"].as_str().unwrap()))
        .collect();
    assert!(doc.contains(&("2020-01-15", "in_force")), "{doc:?}");
    assert!(
        doc.contains(&("2023-06-12", "partially_expired")),
        "{doc:?}"
    );
    let u = json(&rasoat(
        data.path(),
        &["status", "--unresolved", "--format", "json"],
    ));
    assert!(u["total"].is_number(), "{u:#}");
    let text = String::from_utf8(
        ok(&rasoat(data.path(), &["status", "--unresolved"]))
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(text.contains("unresolved citations"), "{text}");
}

#[test]
fn user_errors_exit_1_naming_the_place() {
    let (_src, data) = ingested_fixture();
    let o = rasoat(data.path(), &["status", "999/2099/QĐ-UBND"]);
    assert_eq!(o.status.code(), Some(1));
    let empty = tempfile::tempdir().unwrap();
    let o = rasoat(&empty.path().join("none"), &["status", "03/2020/QĐ-UBND"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("store.db"));
    // A broken rules file names file:line:column.
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(
        rules.path().join("registry.toml"),
        "[[document]]\nid = \"x\"\ntype = \n",
    )
    .unwrap();
    let o = rasoat(
        data.path(),
        &[
            "status",
            "03/2020/QĐ-UBND",
            "--rules",
            rules.path().to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("registry.toml:3:"), "{err}");
    // A file that is not UTF-8 fails alone; the others are ingested; exit 1.
    let src = fixture();
    std::fs::write(src.path().join("z-bad.txt"), b"S\xe1 \xff\xfe").unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let o = rasoat(fresh.path(), &["ingest", src.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("z-bad.txt:1:"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        status(fresh.path(), "03/2020/QĐ-UBND", "2021-01-01")["status"],
        "in_force"
    );
}

fn digest(data: &Path) -> (String, i64) {
    let s = rasoat::store::Store::open_existing(data).unwrap();
    assert_eq!(s.integrity_check().unwrap(), "ok");
    (s.content_digest().unwrap(), s.revision().unwrap())
}

fn all_statuses(data: &Path) -> Value {
    json(&rasoat(
        data,
        &["status", "--as-of", "2026-11-29", "--format", "json"],
    ))
}

#[test]
fn ingesting_twice_changes_nothing() {
    let src = fixture();
    let data = tempfile::tempdir().unwrap();
    ok(&rasoat(
        data.path(),
        &["ingest", src.path().to_str().unwrap()],
    ));
    let first = (digest(data.path()), all_statuses(data.path()));
    let o = ok(&rasoat(
        data.path(),
        &["ingest", src.path().to_str().unwrap(), "--format", "json"],
    ))
    .stdout
    .clone();
    let sum: Value = serde_json::from_slice(&o).unwrap();
    assert_eq!(sum["ingested"], 0, "{sum:#}");
    assert_eq!(sum["unchanged"], sum["files"], "{sum:#}");
    let second = (digest(data.path()), all_statuses(data.path()));
    assert_eq!(first, second);
    // A changed file replaces its document.
    let p = src.path().join("g-time-limit.txt");
    let t = std::fs::read_to_string(&p)
        .unwrap()
        .replace("31 tháng 12 năm 2023", "31 tháng 12 năm 2024");
    std::fs::write(&p, t).unwrap();
    ok(&rasoat(
        data.path(),
        &["ingest", src.path().to_str().unwrap()],
    ));
    assert_eq!(
        status(data.path(), "05/2021/QĐ-UBND", "2024-06-01")["status"],
        "in_force"
    );
}

/// Many distinct documents, for the crash test.
fn many_documents(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 1..=n {
        let body = format!(
            "Điều 1. Nội dung số {i}.\n\nĐiều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 01 năm 2021.\n\n{}",
            "Điều 3. Chánh Văn phòng và các cơ quan liên quan chịu trách nhiệm thi hành Quyết định này.\n\n".repeat(3)
        );
        write(
            dir.path(),
            &format!("doc-{i:04}.txt"),
            &decision(
                &format!("{i}/2021/QĐ-UBND"),
                (4, 1, 2021),
                "Về việc thử",
                &body,
            ),
        );
    }
    dir
}

fn pseudo_random_millis(lo: u64, hi: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    lo + nanos % (hi - lo)
}

#[test]
fn kill_9_during_ingest_then_ingest_again_leaves_a_complete_store() {
    let n = 400;
    let src = many_documents(n);
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(BIN)
        .arg("--data")
        .arg(data.path())
        .args(["ingest", src.path().to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let wait = pseudo_random_millis(100, 1500);
    std::thread::sleep(Duration::from_millis(wait));
    child.kill().unwrap(); // SIGKILL on Unix
    let _ = child.wait();
    eprintln!("killed after {wait} ms");
    // The store opens and is sound whatever the moment.
    if data.path().join("store.db").exists() {
        let s = rasoat::store::Store::open_existing(data.path()).unwrap();
        assert_eq!(s.integrity_check().unwrap(), "ok");
        eprintln!(
            "documents before re-ingest: {}",
            s.documents().unwrap().len()
        );
    }
    ok(&rasoat(
        data.path(),
        &["ingest", src.path().to_str().unwrap()],
    ));
    let s = rasoat::store::Store::open_existing(data.path()).unwrap();
    assert_eq!(s.integrity_check().unwrap(), "ok");
    assert_eq!(s.documents().unwrap().len(), n);
    // Same content as a store built without a crash.
    let clean = tempfile::tempdir().unwrap();
    ok(&rasoat(
        clean.path(),
        &["ingest", src.path().to_str().unwrap()],
    ));
    assert_eq!(digest(data.path()).0, digest(clean.path()).0);
    assert_eq!(all_statuses(data.path()), all_statuses(clean.path()));
}

/// What `corpus/STATUS.json` expects of one document.
#[derive(Debug)]
struct Expected {
    document: String,
    status: String,
    since: Option<String>,
    /// Each reason's (kind, document, provision).
    reasons: Vec<(String, Value, Value)>,
    /// Each listed provision's path and its whole expected object (status, since, reasons).
    provisions: Vec<(String, Value)>,
}

fn reason_triples(v: Option<&Value>) -> Vec<(String, Value, Value)> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r["kind"].as_str().unwrap_or("").to_string(),
                        r.get("document").cloned().unwrap_or(Value::Null),
                        r.get("provision").cloned().unwrap_or(Value::Null),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Expected reasons must be the first reasons given, in order (rasoat may add the chain
/// behind them).
fn reasons_agree(expected: &[(String, Value, Value)], got: Option<&Value>) -> bool {
    let got = reason_triples(got);
    expected.len() <= got.len() && expected.iter().zip(&got).all(|(e, g)| e == g)
}

/// Reads the expectations whatever the file's exact layout: a map from id to a status or to
/// an object, or a list of objects with `document`/`id`, possibly under `documents`.
fn expectations(v: &Value) -> (String, Vec<Expected>) {
    let as_of = v
        .get("as_of")
        .and_then(Value::as_str)
        .unwrap_or("2026-11-29")
        .to_string();
    let body = v
        .get("documents")
        .or_else(|| v.get("statuses"))
        .unwrap_or(v);
    let one = |id: &str, x: &Value| -> Option<Expected> {
        match x {
            Value::String(st) => Some(Expected {
                document: id.to_string(),
                status: st.clone(),
                since: None,
                reasons: Vec::new(),
                provisions: Vec::new(),
            }),
            Value::Object(o) => {
                let provisions = match o.get("provisions") {
                    Some(Value::Object(m)) => {
                        m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
                    }
                    Some(Value::Array(a)) => a
                        .iter()
                        .filter_map(|p| {
                            Some((p.get("provision")?.as_str()?.to_string(), p.clone()))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                Some(Expected {
                    document: id.to_string(),
                    status: o.get("status")?.as_str()?.to_string(),
                    since: o.get("since").and_then(Value::as_str).map(String::from),
                    reasons: reason_triples(o.get("reasons")),
                    provisions,
                })
            }
            _ => None,
        }
    };
    let list = match body {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| k.as_str() != "as_of")
            .filter_map(|(k, x)| one(k, x))
            .collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(|x| {
                let id = x.get("document").or_else(|| x.get("id"))?.as_str()?;
                one(id, x)
            })
            .collect(),
        _ => Vec::new(),
    };
    (as_of, list)
}

#[test]
fn corpus_status_agrees_with_status_json() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let expected_file = root.join("corpus/STATUS.json");
    if !expected_file.exists() {
        eprintln!("corpus/STATUS.json is not there yet: nothing to compare");
        return;
    }
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&expected_file).unwrap())
        .expect("corpus/STATUS.json is JSON");
    let (as_of, expected) = expectations(&v);
    assert!(
        !expected.is_empty(),
        "no expectations read from corpus/STATUS.json"
    );
    let data = tempfile::tempdir().unwrap();
    let o = rasoat(
        data.path(),
        &["ingest", root.join("corpus").to_str().unwrap()],
    );
    eprintln!("{}", String::from_utf8_lossy(&o.stderr));
    let got = json(&rasoat(
        data.path(),
        &["status", "--as-of", &as_of, "--format", "json"],
    ));
    let got: Vec<&Value> = got.as_array().unwrap().iter().collect();
    let mut diffs = Vec::new();
    let mut agree = 0;
    for e in &expected {
        let key = rasoat::resolve::number_key(&e.document);
        let found = got
            .iter()
            .find(|s| s["document"] == e.document.as_str())
            .or_else(|| {
                got.iter().find(|s| {
                    rasoat::resolve::number_key(s["document"].as_str().unwrap_or("")) == key
                })
            });
        let Some(s) = found else {
            diffs.push(format!(
                "{}: not in the store (expected {})",
                e.document, e.status
            ));
            continue;
        };
        let mut bad = Vec::new();
        if s["status"] != e.status.as_str() {
            bad.push(format!("status {} (expected {})", s["status"], e.status));
        }
        if let Some(since) = &e.since {
            if s["since"] != since.as_str() {
                bad.push(format!("since {} (expected {since})", s["since"]));
            }
        }
        if !reasons_agree(&e.reasons, s.get("reasons")) {
            bad.push(format!(
                "reasons {:?} (expected {:?} first)",
                reason_triples(s.get("reasons")),
                e.reasons
            ));
        }
        for (p, ep) in &e.provisions {
            let gp = s["provisions"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["provision"] == p.as_str()));
            let Some(gp) = gp else {
                bad.push(format!("{p}: missing (expected {})", ep["status"]));
                continue;
            };
            for f in ["status", "since"] {
                if ep.get(f).is_some() && gp[f] != ep[f] {
                    bad.push(format!("{p}: {f} {} (expected {})", gp[f], ep[f]));
                }
            }
            let er = reason_triples(ep.get("reasons"));
            if !reasons_agree(&er, gp.get("reasons")) {
                bad.push(format!(
                    "{p}: reasons {:?} (expected {er:?} first)",
                    reason_triples(gp.get("reasons"))
                ));
            }
        }
        if bad.is_empty() {
            agree += 1;
        } else {
            let reasons: Vec<String> = s["reasons"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|r| format!("{}:{}", r["kind"], r["document"]))
                        .collect()
                })
                .unwrap_or_default();
            diffs.push(format!(
                "{}: {} [reasons: {}]",
                e.document,
                bad.join("; "),
                reasons.join(", ")
            ));
        }
    }
    let pct = 100.0 * agree as f64 / expected.len() as f64;
    eprintln!(
        "corpus/STATUS.json on {as_of}: {agree}/{} documents agree ({pct:.1}%)",
        expected.len()
    );
    assert!(
        diffs.is_empty(),
        "{} disagreements:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn corpus_and_corpus_real_ingest_together() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let real = root.join("../shared/corpus-real");
    if !real.exists() {
        eprintln!("skipped: ../shared/corpus-real not present");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let o = rasoat(
        data.path(),
        &[
            "ingest",
            root.join("corpus").to_str().unwrap(),
            real.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(
        matches!(o.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let sum: Value = serde_json::from_slice(&o.stdout).expect("a JSON summary");
    eprintln!("{sum}");
    assert!(sum["documents"].as_u64().unwrap() > 200, "{sum:#}");
    let u = json(&rasoat(
        data.path(),
        &["status", "--unresolved", "--format", "json"],
    ));
    eprintln!(
        "unresolved: {} citations of {} targets",
        u["total"], u["targets"]
    );
    assert!(u["total"].as_u64().is_some());
}
