//! End-to-end tests of `rasoat search` and `rasoat reindex` over the real binary: the seed and
//! `corpus/` ingested into temp data directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_rasoat");
const SEED_ID: &str = "13969/QĐ-UBND";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed() -> PathBuf {
    root().join("../shared/seeds/xuan-loc-cchc-2021-2030.txt")
}

fn rasoat(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("RASOAT_RULES")
        .current_dir(root())
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

fn ingest(paths: &[&Path]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["ingest".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&rasoat(dir.path(), &args));
    dir
}

fn search(data: &Path, q: &str, extra: &[&str]) -> Value {
    let mut args = vec!["search", q, "--format", "json", "--limit", "50"];
    args.extend_from_slice(extra);
    let o = rasoat(data, &args);
    serde_json::from_slice(&ok(&o).stdout).expect("JSON")
}

/// (document, provision) of every hit.
fn hits(v: &Value) -> Vec<(String, Option<String>)> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["document"].as_str().unwrap().to_string(),
                h["provision"].as_str().map(String::from),
            )
        })
        .collect()
}

#[test]
fn one_stop_shop_with_and_without_diacritics() {
    let d = ingest(&[&seed()]);
    let mut seen = Vec::new();
    for q in [
        "mot cua lien thong",
        "một cửa liên thông",
        "MỘT CỬA LIÊN THÔNG",
    ] {
        let v = search(d.path(), q, &[]);
        let h = hits(&v);
        let provisions: Vec<_> = h
            .iter()
            .filter(|(doc, p)| doc == SEED_ID && p.is_some())
            .collect();
        assert!(provisions.len() >= 3, "{q}: {h:?}");
        // Provisions ranked before the whole document.
        assert!(h[0].1.is_some(), "{q}: {h:?}");
        assert!(
            v["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"),
            "{v:#}"
        );
        seen.push(h.into_iter().collect::<std::collections::BTreeSet<_>>());
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[1], seen[2]);
}

#[test]
fn quyet_dinh_468_finds_the_citation() {
    let d = ingest(&[&seed()]);
    let v = search(d.path(), "quyet dinh 468", &[]);
    let first = &v["hits"][0];
    assert_eq!(first["document"], SEED_ID);
    assert!(first["provision"].is_string(), "{v:#}");
    let snippet = first["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>468</mark>/QĐ-TTg"), "{snippet}");
    // The contract's shape.
    for k in ["query", "as_of", "total", "hits"] {
        assert!(v.get(k).is_some(), "{k} missing: {v:#}");
    }
    for k in ["document", "provision", "score", "status", "snippet"] {
        assert!(first.get(k).is_some(), "{k} missing: {first:#}");
    }
    assert_eq!(first["status"], "in_force");
    // Few matches: counted exactly, with or without --exact-total.
    assert_eq!(v["total_exact"], true, "{v:#}");
    let exact = search(d.path(), "quyet dinh 468", &["--exact-total"]);
    assert_eq!(exact["total"], v["total"]);
    assert_eq!(exact["hits"], v["hits"]);
}

#[test]
fn old_and_new_tone_placement_find_each_other() {
    // 05/2013/QĐ-UBND is written with the old placement (`thuỷ lợi`, `hoá chất`).
    let d = ingest(&[&root().join("corpus")]);
    for q in ["thuỷ lợi", "thủy lợi", "thuy loi", "hoá chất", "hóa chất"] {
        let h = hits(&search(d.path(), q, &[]));
        assert!(
            h.contains(&("05/2013/QĐ-UBND".into(), Some("Điều 4 Quy định".into()))),
            "{q}: {h:?}"
        );
    }
}

#[test]
fn in_force_on_the_day_before_and_after_a_repeal() {
    // Điều 7 of the Quy định of 10/2018/QĐ-UBND is repealed by Điều 2 of 06/2021/QĐ-UBND
    // from 2021-04-25 (corpus/README.md).
    let d = ingest(&[&root().join("corpus")]);
    let target = (
        "10/2018/QĐ-UBND".to_string(),
        Some("điểm b khoản 1 Điều 7 Quy định".to_string()),
    );
    let q = "sap trong nha long cho";
    let before = search(d.path(), q, &["--in-force", "--as-of", "2021-04-24"]);
    assert!(hits(&before).contains(&target), "{before:#}");
    let after = search(d.path(), q, &["--in-force", "--as-of", "2021-04-25"]);
    assert!(!hits(&after).contains(&target), "{after:#}");
    // Without --in-force it is listed, with its status on the date.
    let all = search(d.path(), q, &["--as-of", "2021-04-25"]);
    let h = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["provision"] == "điểm b khoản 1 Điều 7 Quy định")
        .expect("listed");
    assert_eq!(h["status"], "expired");
    // Before the decision took effect (2018-05-01) it is not in force either.
    let early = search(d.path(), q, &["--in-force", "--as-of", "2018-04-30"]);
    assert!(!hits(&early).contains(&target), "{early:#}");
}

#[test]
fn filters_narrow_the_hits() {
    let d = ingest(&[&root().join("corpus"), &seed()]);
    let h = hits(&search(d.path(), "cites:468/QĐ-TTg", &[]));
    assert!(h.iter().any(|(doc, _)| doc == SEED_ID), "{h:?}");
    let h = hits(&search(d.path(), "cho type:nq", &[]));
    assert!(
        !h.is_empty() && h.iter().all(|(doc, _)| doc.contains("/NQ-")),
        "{h:?}"
    );
    let of_2018 = [
        "07/QĐ-UBND/2018",
        "10/2018/QĐ-UBND",
        "13/2018/QĐ-UBND",
        "1234/QĐ-UBND",
        "05/2018/NQ-HĐND",
    ];
    let h = hits(&search(d.path(), "cho year:2018", &[]));
    assert!(
        !h.is_empty() && h.iter().all(|(doc, _)| of_2018.contains(&doc.as_str())),
        "{h:?}"
    );
}

#[test]
fn bad_queries_are_user_errors_with_a_column() {
    let d = ingest(&[&seed()]);
    for (q, want) in [
        ("mot cua lang:vi", "column 9"),
        ("\"mot cua", "unclosed quote"),
        ("year:abc", "column 6"),
        ("   ", "empty query"),
    ] {
        let o = rasoat(d.path(), &["search", q]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{q}: {err}");
        assert!(err.contains(want), "{q}: {err}");
        assert!(!err.contains("panicked"), "{q}: {err}");
    }
}

#[test]
fn reingest_updates_and_a_damaged_index_is_rebuilt() {
    let src = tempfile::tempdir().unwrap();
    let file = src.path().join("doc.txt");
    let text = std::fs::read_to_string(seed()).unwrap();
    std::fs::write(&file, &text).unwrap();
    let d = ingest(&[&file]);
    assert!(hits(&search(d.path(), "chợ đêm hoa sen", &[])).is_empty());
    std::fs::write(
        &file,
        text.replace(
            "Điều 3. Chánh Văn phòng",
            "Điều 3. Chợ đêm hoa sen. Chánh Văn phòng",
        ),
    )
    .unwrap();
    ok(&rasoat(d.path(), &["ingest", &file.display().to_string()]));
    let h = hits(&search(d.path(), "cho dem hoa sen", &[]));
    assert!(
        h.contains(&(SEED_ID.into(), Some("Điều 3".into()))),
        "{h:?}"
    );

    // Damaged: the index's meta file overwritten.
    std::fs::write(d.path().join("index/meta.json"), "garbage").unwrap();
    let o = rasoat(d.path(), &["search", "cho dem hoa sen", "--format", "json"]);
    ok(&o);
    assert!(String::from_utf8_lossy(&o.stderr).contains("rebuilt"));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(hits(&v).contains(&(SEED_ID.into(), Some("Điều 3".into()))));
    // Missing: removed entirely; `reindex` also rebuilds.
    std::fs::remove_dir_all(d.path().join("index")).unwrap();
    assert!(!hits(&search(d.path(), "cho dem hoa sen", &[])).is_empty());
    ok(&rasoat(d.path(), &["reindex"]));
    assert!(!hits(&search(d.path(), "cho dem hoa sen", &[])).is_empty());
}

#[test]
fn a_reader_that_stops_early_ends_the_search_quietly() {
    let corpus = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .args(["gen-corpus", "--docs", "150", "--seed", "3"])
        .arg(corpus.path())
        .output()
        .unwrap();
    ok(&o);
    let data = ingest(&[corpus.path()]);
    let args = [
        "search",
        "quy định",
        "--format",
        "json",
        "--limit",
        "100000",
    ];
    // More than a pipe holds, so that the writes after the reader left fail.
    let whole = ok(&rasoat(data.path(), &args)).stdout.len();
    assert!(whole > 256 * 1024, "{whole} bytes");
    let mut child = Command::new(BIN)
        .arg("--data")
        .arg(data.path())
        .args(args)
        .env_remove("RASOAT_RULES")
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "exit {:?}", o.status.code());
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// An index `rasoat ingest` built with the bundled rules is the one the library's
/// `sync_with_store` (the same rules built in) expects: nothing to do, no restamp; and the
/// other way round.
#[test]
fn ingest_and_the_library_agree_on_the_rules_stamp() {
    let data = ingest(&[&root().join("corpus")]);
    let r = rasoat::index::sync_with_store(data.path()).unwrap();
    assert!(r.up_to_date, "{r:?}");
    assert_eq!((r.updated, r.removed), (0, 0), "{r:?}");
    let stamp = rasoat::index::open(data.path()).unwrap().stamp();
    let v = search(data.path(), "chợ", &[]);
    assert!(!hits(&v).is_empty());
    assert_eq!(
        rasoat::index::open(data.path()).unwrap().stamp(),
        stamp,
        "the CLI's search restamped the index"
    );
}
