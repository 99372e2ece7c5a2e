//! `rasoat parse` end to end, over the real seed decision and the bundled corpus.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rasoat"))
}

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

fn parse_json(path: &Path) -> serde_json::Value {
    let out = bin()
        .args(["parse", "--format", "json"])
        .arg(path)
        .output()
        .expect("run rasoat");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn seed_decision_is_read_in_full() {
    let seed = shared("seeds/xuan-loc-cchc-2021-2030.txt");
    if !seed.exists() {
        eprintln!("skipped: {} not found", seed.display());
        return;
    }
    let d = parse_json(&seed);
    assert_eq!(d["id"], "13969/QĐ-UBND");
    assert_eq!(d["doc_type"], "Quyết định");
    assert_eq!(d["issuer"], "Ủy ban nhân dân huyện Xuân Lộc");
    assert_eq!(d["issued"], "2021-12-15");
    assert_eq!(d["effective_from"], "2021-12-15");
    assert_eq!(d["effective_until"], serde_json::Value::Null);
    assert_eq!(d["signer"]["name"], "Nguyễn Thị Cát Tiên");
    assert!(d["title"]
        .as_str()
        .unwrap()
        .starts_with("Ban hành Chương trình cải cách hành chính"));

    let provisions = d["provisions"].as_array().unwrap();
    let articles: Vec<&str> = provisions
        .iter()
        .filter(|p| p["kind"] == "article")
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(articles, ["Điều 1", "Điều 2", "Điều 3"]);

    let bases = d["bases"].as_array().unwrap();
    assert_eq!(bases.len(), 3);
    let targets: Vec<String> = bases
        .iter()
        .flat_map(|b| b["citations"].as_array().unwrap().clone())
        .map(|c| {
            c["target"]
                .as_str()
                .map(|s| s.to_string())
                .unwrap_or_else(|| {
                    format!(
                        "{} {}",
                        c["target_name"].as_str().unwrap_or(""),
                        c["date"].as_str().unwrap_or("")
                    )
                })
        })
        .collect();
    assert!(targets.contains(&"76/NQ-CP".to_string()), "{targets:?}");
    assert!(targets.contains(&"3183/QĐ-UBND".to_string()), "{targets:?}");
    assert!(
        targets
            .iter()
            .any(|t| t.starts_with("Luật Tổ chức chính quyền địa phương 2015-06-19")),
        "{targets:?}"
    );
    assert!(
        targets.iter().any(
            |t| t.starts_with("Luật sửa đổi, bổ sung một số điều") && t.ends_with("2019-11-22")
        ),
        "{targets:?}"
    );

    let annex = provisions
        .iter()
        .find(|p| p["kind"] == "annex")
        .expect("annexed programme");
    assert_eq!(annex["label"], "Chương trình");
    let parts: Vec<&str> = annex["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(parts, ["mục I", "mục II", "mục IV", "mục V", "mục VI"]);
    let ii = &annex["children"][1];
    assert!(
        ii["children"].as_array().unwrap().len() >= 2,
        "mục II has its parts"
    );
    assert_eq!(ii["children"][0]["path"], "mục II.1");

    let diags = d["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|g| g["code"] == "annex_number_mismatch"
            && g["message"].as_str().unwrap().contains("15969/QĐ-UBND")),
        "{diags:?}"
    );
    assert!(
        diags
            .iter()
            .any(|g| g["code"] == "numbering_gap"
                && g["message"].as_str().unwrap().contains("mục III")),
        "{diags:?}"
    );
    assert!(diags.iter().all(|g| g["severity"] != "error"), "{diags:?}");
    for c in d["citations"].as_array().unwrap() {
        for f in ["raw", "target", "date", "provision", "relation"] {
            assert!(c.get(f).is_some(), "citation field {f}");
        }
    }
}

#[test]
fn text_format_prints_the_outline() {
    let seed = shared("seeds/xuan-loc-cchc-2021-2030.txt");
    if !seed.exists() {
        return;
    }
    let out = bin().arg("parse").arg(&seed).output().unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("13969/QĐ-UBND"));
    assert!(s.contains("mục II.1"));
}

#[test]
fn several_files_give_an_array_and_a_bad_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("a.txt");
    std::fs::write(&good, "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\nSố: 1/2020/QĐ-UBND\nTân Phong, ngày 01 tháng 6 năm 2020\nQUYẾT ĐỊNH\nVề việc thử\nQUYẾT ĐỊNH:\nĐiều 1. Nội dung.\n").unwrap();
    let bad = dir.path().join("b.txt");
    std::fs::write(&bad, b"abc\n\xff\xfe def").unwrap();
    let out = bin()
        .args(["parse", "--format", "json"])
        .arg(&good)
        .arg(&good)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let out = bin()
        .args(["parse", "--format", "json"])
        .arg(&bad)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("b.txt:2:1"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], "1/2020/QĐ-UBND");
}

#[test]
fn usage_errors_exit_2() {
    let out = bin().args(["parse"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_corpus_document_parses_without_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "corpus/ holds {} documents", files.len());
    let mut bad = Vec::new();
    for f in &files {
        let d = parse_json(f);
        for g in d["diagnostics"].as_array().unwrap() {
            if g["severity"] == "error" {
                bad.push(format!(
                    "{}:{}:{}: {}",
                    f.display(),
                    g["line"],
                    g["column"],
                    g["message"]
                ));
            }
        }
    }
    assert!(bad.is_empty(), "error diagnostics:\n{}", bad.join("\n"));
}
