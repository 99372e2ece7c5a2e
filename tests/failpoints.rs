//! Failpoints on every write path: an error injected just before a commit (or before a backup
//! is moved into place) leaves the previous state intact, and the next attempt succeeds.
//!
//! Built only with `--features failpoints` (see `Cargo.toml`); each test holds the `fail`
//! crate's scenario lock, so they run one at a time.

use std::path::Path;

use rasoat::index;
use rasoat::model::{Finding, FindingKind, Severity};
use rasoat::review::{NewDecision, ReviewDb, Verdict};
use rasoat::store::Store;
use rasoat::timeline::Registry;

fn decision(number: &str, word: &str) -> String {
    format!(
        "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\n\nSố: {number}\n\
         Tân Phong, ngày 05 tháng 3 năm 2021\n\nQUYẾT ĐỊNH\nVề việc {word}\n\n\
         QUYẾT ĐỊNH:\n\nĐiều 1. Quy định về {word}.\n\n\
         Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 3 năm 2021.\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Everything a store holds that an injected error must not change.
fn snapshot(s: &Store) -> (String, i64, usize) {
    (
        s.content_digest().unwrap(),
        s.revision().unwrap(),
        s.documents().unwrap().len(),
    )
}

#[test]
fn store_put_document_error_keeps_the_previous_store() {
    let scenario = fail::FailScenario::setup();
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let a = write(src.path(), "a.txt", &decision("1/2021/QĐ-UBND", "chợ"));
    let b = write(src.path(), "b.txt", &decision("2/2021/QĐ-UBND", "đường"));
    let mut store = Store::open(data.path()).unwrap();
    store.ingest_file(&a).unwrap();
    let before = snapshot(&store);

    fail::cfg("store::put_document", "return").unwrap();
    // A new file, and a changed one: both fail, neither leaves a trace.
    let e = store.ingest_file(&b).unwrap_err();
    assert!(e.to_string().contains("injected"), "{e}");
    write(src.path(), "a.txt", &decision("1/2021/QĐ-UBND", "trường"));
    assert!(store.ingest_file(&a).is_err());
    assert_eq!(snapshot(&store), before);
    drop(store);
    // Reopened from disk: the same.
    let store = Store::open_existing(data.path()).unwrap();
    assert_eq!(snapshot(&store), before);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);

    fail::remove("store::put_document");
    let mut store = Store::open_existing(data.path()).unwrap();
    store.ingest_file(&a).unwrap();
    store.ingest_file(&b).unwrap();
    assert_eq!(store.documents().unwrap().len(), 2);
    assert_eq!(store.revision().unwrap(), before.1 + 2);
    scenario.teardown();
}

#[test]
fn store_batch_errors_report_no_file_done_that_is_not_stored() {
    let scenario = fail::FailScenario::setup();
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let files: Vec<_> = (1..=5)
        .map(|i| {
            write(
                src.path(),
                &format!("{i}.txt"),
                &decision(&format!("{i}/2021/QĐ-UBND"), "chợ"),
            )
        })
        .collect();
    let opts = rasoat::import::ImportOptions::default();
    let mut store = Store::open(data.path()).unwrap();
    store.ingest_file(&files[0]).unwrap();
    let before = snapshot(&store);

    // Every file's write fails: each is reported failed, and the store is as it was.
    fail::cfg("store::put_document", "return").unwrap();
    let mut outcomes = Vec::new();
    store
        .ingest_files_with(&files[1..], &opts, |f, o| {
            outcomes.push((f.to_path_buf(), o))
        })
        .unwrap();
    assert_eq!(outcomes.len(), 4);
    assert!(outcomes.iter().all(|(_, o)| o
        .as_ref()
        .is_err_and(|e| e.to_string().contains("injected"))));
    assert_eq!(snapshot(&store), before);
    fail::remove("store::put_document");

    // The batch's commit fails: its files are written again one transaction each, and every
    // file reported done is stored.
    fail::cfg("store::commit_batch", "return").unwrap();
    let mut outcomes = Vec::new();
    store
        .ingest_files_with(&files, &opts, |f, o| outcomes.push((f.to_path_buf(), o)))
        .unwrap();
    fail::remove("store::commit_batch");
    let got: Vec<_> = outcomes
        .iter()
        .map(|(f, o)| (f.clone(), o.is_ok()))
        .collect();
    let want: Vec<_> = files.iter().map(|f| (f.clone(), true)).collect();
    assert_eq!(got, want);
    drop(store);
    let store = Store::open_existing(data.path()).unwrap();
    assert_eq!(store.documents().unwrap().len(), 5);
    assert_eq!(store.revision().unwrap(), before.1 + 4);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    scenario.teardown();
}

#[test]
fn store_relations_error_keeps_the_previous_relations() {
    let scenario = fail::FailScenario::setup();
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let a = write(src.path(), "a.txt", &decision("1/2021/QĐ-UBND", "chợ"));
    let mut store = Store::open(data.path()).unwrap();
    store.ingest_file(&a).unwrap();
    let registry = Registry::builtin();
    let text = rasoat::timeline::DEFAULT_REGISTRY;
    store.refresh_relations(&registry, text, false).unwrap();
    let before = snapshot(&store);

    fail::cfg("store::relations", "return").unwrap();
    assert!(store.refresh_relations(&registry, text, true).is_err());
    assert_eq!(snapshot(&store), before);

    fail::remove("store::relations");
    assert!(store.refresh_relations(&registry, text, true).unwrap());
    assert_eq!(snapshot(&store), before);
    scenario.teardown();
}

#[test]
fn index_commit_error_keeps_the_previous_index() {
    let scenario = fail::FailScenario::setup();
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let a = write(src.path(), "a.txt", &decision("1/2021/QĐ-UBND", "chợ"));
    let b = write(src.path(), "b.txt", &decision("2/2021/QĐ-UBND", "đường"));
    let mut store = Store::open(data.path()).unwrap();
    store.ingest_file(&a).unwrap();
    index::sync_with_store(data.path()).unwrap();
    let idx = index::open(data.path()).unwrap();
    let (stamp, ids) = (idx.stamp(), idx.document_ids().unwrap());
    assert_eq!(ids, vec!["1/2021/QĐ-UBND".to_string()]);
    drop(idx);

    store.ingest_file(&b).unwrap();
    fail::cfg("index::commit", "return").unwrap();
    let e = index::sync_with_store(data.path()).unwrap_err();
    assert!(e.to_string().contains("injected"), "{e}");
    let idx = index::open(data.path()).unwrap();
    assert_eq!(idx.stamp(), stamp);
    assert_eq!(idx.document_ids().unwrap(), ids);
    drop(idx);

    fail::remove("index::commit");
    let r = index::sync_with_store(data.path()).unwrap();
    assert!(
        !r.rebuilt,
        "the previous index was kept and brought up to date"
    );
    let idx = index::open(data.path()).unwrap();
    assert_eq!(
        idx.document_ids().unwrap(),
        vec!["1/2021/QĐ-UBND".to_string(), "2/2021/QĐ-UBND".to_string()]
    );
    assert_eq!(
        idx.stamp().unwrap().store_revision,
        store.revision().unwrap()
    );
    scenario.teardown();
}

fn finding(id: &str) -> Finding {
    Finding {
        id: id.into(),
        rule: "expired.whole".into(),
        kind: FindingKind::Expired,
        severity: Severity::High,
        document: "1/2021/QĐ-UBND".into(),
        provision: None,
        related: vec![],
        since: None,
        message: "m".into(),
        evidence: vec![],
        legal_basis: "l".into(),
    }
}

fn verdict(v: Verdict, note: &str) -> NewDecision {
    NewDecision {
        decision: v,
        note: note.into(),
        proposal: None,
        body_in_charge: None,
        deadline: None,
        run: None,
    }
}

#[test]
fn review_decision_error_keeps_the_decision_in_effect_and_the_audit_log() {
    let scenario = fail::FailScenario::setup();
    let data = tempfile::tempdir().unwrap();
    let mut db = ReviewDb::open(data.path()).unwrap();
    let as_of = "2025-01-01".parse().unwrap();
    db.create_run(as_of, 1, &[finding("f1")], "admin").unwrap();
    db.decide("f1", &verdict(Verdict::Confirmed, "first"), "rev")
        .unwrap();
    let audit = db.audit_log(0, 1000).unwrap().len();

    fail::cfg("review::decide", "return").unwrap();
    assert!(db
        .decide("f1", &verdict(Verdict::Dismissed, "second"), "rev")
        .is_err());
    let check = |db: &ReviewDb| {
        assert_eq!(db.finding("f1", None).unwrap().state, "confirmed");
        assert_eq!(db.decisions("f1").unwrap().len(), 1);
        assert_eq!(db.audit_log(0, 1000).unwrap().len(), audit);
        assert_eq!(db.integrity_check().unwrap(), "ok");
    };
    check(&db);
    drop(db);
    check(&ReviewDb::open(data.path()).unwrap());

    fail::remove("review::decide");
    let mut db = ReviewDb::open(data.path()).unwrap();
    db.decide("f1", &verdict(Verdict::Dismissed, "second"), "rev")
        .unwrap();
    assert_eq!(db.finding("f1", None).unwrap().state, "dismissed");
    assert_eq!(db.audit_log(0, 1000).unwrap().len(), audit + 1);
    scenario.teardown();
}

#[test]
fn backup_error_leaves_no_partial_copy_and_the_source_intact() {
    let scenario = fail::FailScenario::setup();
    let data = tempfile::tempdir().unwrap();
    let dest = tempfile::tempdir().unwrap();
    let mut db = ReviewDb::open(data.path()).unwrap();
    let as_of = "2025-01-01".parse().unwrap();
    db.create_run(as_of, 1, &[finding("f1")], "admin").unwrap();
    db.decide("f1", &verdict(Verdict::Confirmed, "kept"), "rev")
        .unwrap();
    let target = dest.path().join(rasoat::review::REVIEW_FILE);

    fail::cfg("backup::copy", "return").unwrap();
    assert!(db.backup_to(&target).is_err());
    let left: Vec<_> = std::fs::read_dir(dest.path()).unwrap().collect();
    assert!(left.is_empty(), "a failed backup left {left:?}");
    assert_eq!(db.integrity_check().unwrap(), "ok");
    assert_eq!(db.decisions("f1").unwrap().len(), 1);

    fail::remove("backup::copy");
    db.backup_to(&target).unwrap();
    let copy = ReviewDb::open(dest.path()).unwrap();
    assert_eq!(copy.integrity_check().unwrap(), "ok");
    assert_eq!(copy.decisions("f1").unwrap()[0].note, "kept");
    scenario.teardown();
}
