//! The examples the rule files carry (`example: flags "…" with "…"`) hold on the sample
//! corpus, and every rule file of `rules/` is built in and reads without error.

use std::path::{Path, PathBuf};

use rasoat::model::Finding;
use rasoat::rules::{eval, RuleSet};
use rasoat::store::Store;
use rasoat::timeline::{LawPeriods, Registry, Timeline};

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The rule files of `rules/`, in name order.
fn shipped() -> RuleSet {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rule"))
        .collect();
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            (
                format!("rules/{}", p.file_name().unwrap().to_string_lossy()),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    RuleSet::parse(&texts)
}

/// `"DOC"` or `"DOC, provision"`.
fn split(s: &str) -> (&str, Option<&str>) {
    match s.split_once(", ") {
        Some((d, p)) => (d.trim(), Some(p.trim())),
        None => (s.trim(), None),
    }
}

fn hits(f: &Finding, subject: &str, with: Option<&str>) -> bool {
    let (d, p) = split(subject);
    let side_ok = |doc: &str, prov: Option<&str>, other: Option<(&str, Option<&str>)>| {
        f.document == doc
            && (prov.is_none() && f.provision.is_none() || prov == f.provision.as_deref())
            && other.is_none_or(|(od, op)| {
                f.related
                    .iter()
                    .any(|r| r.document == od && (op.is_none() || op == r.provision.as_deref()))
            })
    };
    let w = with.map(split);
    if side_ok(d, p, w) {
        return true;
    }
    // A pair in either order.
    match w {
        Some((wd, wp)) => side_ok(wd, wp, Some((d, p))),
        None => false,
    }
}

#[test]
fn every_rule_file_is_built_in_and_reads() {
    let set = shipped();
    assert!(
        set.errors.is_empty(),
        "{}",
        set.errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    let builtin = RuleSet::builtin();
    assert!(builtin.errors.is_empty());
    let mut a: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
    let mut b: Vec<&str> = builtin.rules.iter().map(|r| r.id.as_str()).collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(
        a, b,
        "rules/*.rule and the built-in pack differ: add the file to rules::BUILTIN"
    );
    let mut ids = a.clone();
    ids.dedup();
    assert_eq!(ids.len(), a.len(), "rule ids are unique");
}

#[test]
fn rule_examples_hold_on_the_sample_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for f in &files {
        store.ingest_file(f).unwrap();
    }
    let docs = store.documents().unwrap();
    let periods = LawPeriods::builtin();
    let t = Timeline::build(&docs, &Registry::builtin(), &periods);
    let as_of = "2026-11-29".parse().unwrap();
    let cx = eval::Context::new(&t, &periods, as_of);
    let set = shipped();
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in &set.rules {
        if rule.examples.is_empty() {
            continue;
        }
        let found = eval::run_rule(&cx, rule);
        for ex in &rule.examples {
            count += 1;
            let got = found
                .iter()
                .any(|f| hits(f, &ex.subject, ex.with.as_deref()));
            if got != ex.flags {
                failures.push(format!(
                    "{}:{}: rule {}: example {} \"{}\"{} does not hold",
                    rule.file,
                    ex.line,
                    rule.id,
                    if ex.flags { "flags" } else { "does not flag" },
                    ex.subject,
                    ex.with
                        .as_deref()
                        .map(|w| format!(" with \"{w}\""))
                        .unwrap_or_default()
                ));
            }
        }
    }
    assert!(count >= 10, "only {count} examples");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
