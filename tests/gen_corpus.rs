//! `rasoat gen-corpus` end to end, over the real binary: the same seed gives the same bytes,
//! every generated document parses without an error diagnostic, and `rasoat check` on the
//! generated corpus finds exactly the findings planted in its `EXPECTED.json`, no more.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rasoat"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn gen(out: &Path, docs: usize, seed: u64) {
    let o = bin()
        .args([
            "gen-corpus",
            "--docs",
            &docs.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .arg(out)
        .output()
        .expect("run rasoat gen-corpus");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Every file under a folder, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// What identifies a finding: kind, document and provision; for a pair, both provisions in
/// order; for an expired basis, the basis.
fn key(f: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let kind = s(&f["kind"]);
    let me = format!("{} | {}", s(&f["document"]), s(&f["provision"]));
    let related: Vec<String> = f["related"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| format!("{} | {}", s(&r["document"]), s(&r["provision"])))
                .collect()
        })
        .unwrap_or_default();
    match kind.as_str() {
        "conflict" | "overlap" => {
            let mut two = [me, related.first().cloned().unwrap_or_default()];
            two.sort();
            format!("{kind}: {} ~ {}", two[0], two[1])
        }
        "basis_expired" => {
            let docs: Vec<&str> = related
                .iter()
                .map(|r| r.split(" | ").next().unwrap_or(""))
                .collect();
            format!("{kind}: {me} ← {}", docs.join(", "))
        }
        _ => format!("{kind}: {me}"),
    }
}

fn keys(findings: &Value) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for f in findings.as_array().expect("findings") {
        *m.entry(key(f)).or_insert(0) += 1;
    }
    m
}

#[test]
fn same_seed_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    gen(&a, 150, 42);
    gen(&b, 150, 42);
    gen(&c, 150, 43);
    let (ta, tb, tc) = (tree(&a), tree(&b), tree(&c));
    assert_eq!(ta.len(), 151, "150 documents and EXPECTED.json");
    assert!(ta == tb, "two runs with one seed differ");
    assert!(ta != tc, "another seed gives the same corpus");
}

#[test]
fn generated_corpus_parses_cleanly_and_check_finds_exactly_what_was_planted() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let data = tmp.path().join("data");
    gen(&corpus, 250, 7);
    let files: Vec<PathBuf> = tree(&corpus)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| corpus.join(p))
        .collect();
    assert_eq!(files.len(), 250);

    let o = bin()
        .args(["parse", "--format", "json"])
        .args(&files)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let docs: Value = serde_json::from_slice(&o.stdout).unwrap();
    let docs = docs.as_array().expect("an array of documents");
    assert_eq!(docs.len(), 250);
    for d in docs {
        let errors: Vec<&Value> = d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", d["id"]);
    }

    let o = bin()
        .arg("--data")
        .arg(&data)
        .args(["ingest", "--format", "json"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["documents"], 250);
    assert_eq!(summary["failed"], 0);
    assert_eq!(summary["unresolved_citations"], 0);

    let expected: Value =
        serde_json::from_slice(&std::fs::read(corpus.join("EXPECTED.json")).unwrap()).unwrap();
    let as_of = expected["as_of"].as_str().unwrap();
    let o = bin()
        .arg("--data")
        .arg(&data)
        .args(["check", "--as-of", as_of, "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: Value = serde_json::from_slice(&o.stdout).unwrap();

    let (want, have) = (keys(&expected["findings"]), keys(&got["findings"]));
    // The corpus must plant something of every kind for this test to mean anything.
    for kind in [
        "expired",
        "partially_expired",
        "amended",
        "conflict",
        "overlap",
    ] {
        assert!(
            want.keys().any(|k| k.starts_with(&format!("{kind}:"))),
            "nothing of kind {kind} planted in 250 documents"
        );
    }
    let missing: Vec<&String> = want.keys().filter(|k| !have.contains_key(*k)).collect();
    let extra: Vec<&String> = have.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:#?}\nextra {extra:#?}"
    );
    assert_eq!(want, have);
}
