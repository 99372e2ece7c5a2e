//! The store's own tests, with hand-built documents so that they do not depend on the parser.

use super::*;
use crate::model::{Citation, EffectRule, Issuer, IssuerLevel};

fn doc(id: &str, issuer: &str, locality: &str, issued: &str) -> Document {
    Document {
        id: id.into(),
        number: None,
        doc_type: Some("Quyết định".into()),
        issuer: Some(issuer.into()),
        issuer_detail: Some(Issuer {
            name: issuer.into(),
            parent: None,
            level: IssuerLevel::District,
            body: None,
            locality: Some(locality.into()),
        }),
        place: None,
        issued: Some(issued.parse().unwrap()),
        title: None,
        effective_from: Some(issued.parse().unwrap()),
        effective_until: None,
        effect_rule: EffectRule::OnSigning,
        period: None,
        bases: vec![],
        proposal: None,
        enacting_formula: None,
        citations: vec![],
        provisions: vec![],
        recipients: vec![],
        signer: None,
        diagnostics: vec![],
        source: None,
        packed_text: None,
    }
}

/// A decision of the district committee of Tân Phong.
fn tan_phong(id: &str, issued: &str) -> Document {
    doc(
        id,
        "Ủy ban nhân dân huyện Tân Phong",
        "huyện Tân Phong",
        issued,
    )
}

fn cite(target: &str) -> Citation {
    Citation {
        raw: format!("Quyết định số {target}"),
        target: Some(target.into()),
        target_type: None,
        target_name: None,
        target_issuer: None,
        date: None,
        provision: None,
        relation: Relation::Basis,
        scope: None,
        new_text: None,
        internal: false,
        source: None,
        line: 3,
        column: 1,
    }
}

/// A store holding one decision of `T` (returned) from `a.txt`, citing a decision not yet
/// stored, a resolution of the registry and a number nobody has.
fn store_citing(dir: &std::path::Path) -> (Store, Document, &'static str) {
    let mut s = Store::open(dir).unwrap();
    let t = "Ủy ban nhân dân huyện Tân Phong";
    let mut a = doc("2/2021/QĐ-UBND", t, "huyện Tân Phong", "2021-01-01");
    a.citations = vec![
        cite("1/2020/QĐ-UBND"),
        cite("76/NQ-CP"),
        cite("999/QĐ-UBND"),
    ];
    s.put_document("a.txt", "h1", &a).unwrap();
    (s, a, t)
}

#[test]
fn shared_numbers_are_qualified_by_issuer_locality() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.put_document("a.txt", "h1", &tan_phong("05/2020/QĐ-UBND", "2020-01-01"))
        .unwrap();
    assert_eq!(s.documents().unwrap()[0].id, "05/2020/QĐ-UBND");
    s.put_document(
        "b.txt",
        "h2",
        &doc(
            "05/2020/QĐ-UBND",
            "Ủy ban nhân dân tỉnh Hà Lâm",
            "tỉnh Hà Lâm",
            "2020-02-01",
        ),
    )
    .unwrap();
    let ids: Vec<String> = s.documents().unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(
        ids,
        [
            "05/2020/QĐ-UBND@huyen-tan-phong",
            "05/2020/QĐ-UBND@tinh-ha-lam"
        ]
    );
    assert_eq!(s.revision().unwrap(), 2);
}

#[test]
fn same_number_and_issuer_from_another_file_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let d = tan_phong("1/2020/QĐ-UBND", "2020-01-01");
    assert_eq!(s.put_document("a.txt", "h", &d).unwrap(), None);
    assert_eq!(
        s.put_document("b.txt", "h", &d).unwrap(),
        Some("a.txt".into())
    );
    assert_eq!(s.documents().unwrap().len(), 1);
}

#[test]
fn a_changed_file_replaces_its_document_even_under_a_new_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let t = "Ủy ban nhân dân huyện Tân Phong";
    s.put_document(
        "a.txt",
        "h1",
        &doc("1/2020/QĐ-UBND", t, "huyện Tân Phong", "2020-01-01"),
    )
    .unwrap();
    s.put_document(
        "a.txt",
        "h2",
        &doc("2/2020/QĐ-UBND", t, "huyện Tân Phong", "2020-01-01"),
    )
    .unwrap();
    let ids: Vec<String> = s.documents().unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(ids, ["2/2020/QĐ-UBND"]);
}

#[test]
fn relations_are_rebuilt_only_when_something_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _, t) = store_citing(dir.path());
    let reg = Registry::builtin();
    let text = crate::timeline::DEFAULT_REGISTRY;
    assert!(s.refresh_relations(&reg, text, false).unwrap());
    assert!(!s.refresh_relations(&reg, text, false).unwrap());
    let un = s.unresolved().unwrap();
    assert_eq!(un.len(), 2);
    assert_eq!(un[0].document, "2/2021/QĐ-UBND");
    assert_eq!(un[0].target.as_deref(), Some("1/2020/QĐ-UBND"));
    let digest = s.content_digest().unwrap();
    // The cited document arrives: the citation resolves.
    s.put_document(
        "b.txt",
        "h2",
        &doc("1/2020/QĐ-UBND", t, "huyện Tân Phong", "2020-01-01"),
    )
    .unwrap();
    assert!(s.refresh_relations(&reg, text, false).unwrap());
    assert_eq!(s.unresolved().unwrap().len(), 1);
    assert_ne!(s.content_digest().unwrap(), digest);
    // A changed registry rebuilds too.
    assert!(s.refresh_relations(&reg, "changed", false).unwrap());
}

#[test]
fn reopening_keeps_everything_and_schema_is_versioned() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = Store::open(dir.path()).unwrap();
        s.put_document(
            "a.txt",
            "h1",
            &doc("1/2020/QĐ-UBND", "x", "huyện X", "2020-01-01"),
        )
        .unwrap();
    }
    let s = Store::open_existing(dir.path()).unwrap();
    assert_eq!(s.documents().unwrap().len(), 1);
    assert_eq!(s.integrity_check().unwrap(), "ok");
    let v: i64 = s
        .connection()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema::MIGRATIONS.len() as i64);
    let mode: String = s
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_missing_store_is_a_user_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::open_existing(&dir.path().join("nope"))
        .err()
        .unwrap();
    assert!(e.to_string().contains("store.db"), "{e}");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path()).unwrap();
        s.connection()
            .pragma_update(None, "user_version", 99)
            .unwrap();
    }
    let e = Store::open(dir.path()).err().unwrap();
    assert!(matches!(e, StoreError::TooNew { found: 99, .. }), "{e}");
}

#[test]
fn documents_read_by_key_are_those_of_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut a = tan_phong("05/2020/QĐ-UBND", "2020-01-01");
    a.citations.push(cite("61/2018/NĐ-CP"));
    a.recipients.push("Như Điều 3;".into());
    s.put_document("a.txt", "h1", &a).unwrap();
    s.put_document(
        "b.txt",
        "h2",
        &doc(
            "05/2020/QĐ-UBND",
            "Ủy ban nhân dân tỉnh Hà Lâm",
            "tỉnh Hà Lâm",
            "2020-02-01",
        ),
    )
    .unwrap();
    s.put_document("c.txt", "h3", &tan_phong("7/2021/QĐ-UBND", "2021-03-01"))
        .unwrap();
    let all = s.load().unwrap();
    assert_eq!(all.docs.len(), 3);
    // In any order, a chunk at a time, ids qualified as `load` qualifies them.
    let mut keys = all.keys.clone();
    keys.reverse();
    let mut read = Vec::new();
    for chunk in keys.chunks(2) {
        read.extend(s.documents_by_keys(chunk).unwrap());
    }
    read.reverse();
    assert_eq!(read, all.docs);
    assert_eq!(read[0].id, "05/2020/QĐ-UBND@huyen-tan-phong");
    assert!(s.documents_by_keys(&[i64::MAX]).is_err());
    // A trimmed load: the same rows and ids, what the trim dropped left out.
    let trimmed = s.load_with(&crate::timeline::without_text).unwrap();
    assert_eq!(trimmed.keys, all.keys);
    assert_eq!(trimmed.revision, all.revision);
    let ids = |l: &Loaded| l.docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&trimmed), ids(&all));
    assert!(trimmed.docs.iter().all(|d| d.recipients.is_empty()));
    assert_eq!(trimmed.docs[0].citations, all.docs[0].citations);
    // Read from the skeletons kept beside the rows: the same documents as trimmed whole.
    let bare = s.load_without_text().unwrap();
    assert_eq!(bare.keys, trimmed.keys);
    assert_eq!(bare.docs, trimmed.docs);
    // A row without a skeleton (written before they were kept) is read whole, then trimmed.
    s.connection()
        .execute("DELETE FROM skeletons WHERE key = ?1", [all.keys[1]])
        .unwrap();
    assert_eq!(s.load_without_text().unwrap().docs, trimmed.docs);
    let skeletons: i64 = s
        .connection()
        .query_row("SELECT COUNT(*) FROM skeletons", [], |r| r.get(0))
        .unwrap();
    assert_eq!(skeletons, 2);
}

#[test]
fn relations_written_row_by_row_are_those_of_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, mut a, t) = store_citing(dir.path());
    let reg = Registry::builtin();
    let text = crate::timeline::DEFAULT_REGISTRY;
    s.refresh_relations(&reg, text, false).unwrap();
    let rebuilt = |s: &mut Store| {
        let kept = s.content_digest().unwrap();
        s.connection().execute("DELETE FROM citations", []).unwrap();
        s.refresh_relations(&reg, text, true).unwrap();
        (kept, s.content_digest().unwrap())
    };
    // The cited document arrives (a row changes); then `a` cites one document fewer (a row
    // goes) and another one (a row comes).
    s.put_document(
        "b.txt",
        "h2",
        &doc("1/2020/QĐ-UBND", t, "huyện Tân Phong", "2020-01-01"),
    )
    .unwrap();
    s.refresh_relations(&reg, text, false).unwrap();
    let (kept, fresh) = rebuilt(&mut s);
    assert_eq!(kept, fresh);
    a.citations = vec![cite("1/2020/QĐ-UBND"), cite("5/2019/QĐ-UBND")];
    s.put_document("a.txt", "h3", &a).unwrap();
    s.refresh_relations(&reg, text, false).unwrap();
    let rows: i64 = s
        .connection()
        .query_row("SELECT COUNT(*) FROM citations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 2);
    // Each document's rows under their digest, which decides what the next build rewrites.
    let digests: i64 = s
        .connection()
        .query_row("SELECT COUNT(*) FROM citation_digests", [], |r| r.get(0))
        .unwrap();
    assert_eq!(digests, 2);
    let (kept, fresh) = rebuilt(&mut s);
    assert_eq!(kept, fresh);
    assert_eq!(
        s.unresolved().unwrap()[0].target.as_deref(),
        Some("5/2019/QĐ-UBND")
    );
}

#[test]
fn a_stored_row_that_is_not_utf8_is_reported_with_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let t = "Ủy ban nhân dân huyện Tân Phong";
    let d = doc("2/2021/QĐ-UBND", t, "huyện Tân Phong", "2021-01-01");
    s.put_document("a.txt", "h1", &d).unwrap();
    s.connection()
        .execute("UPDATE documents SET json = CAST(X'7B2269FF' AS TEXT)", [])
        .unwrap();
    let e = s.documents().err().unwrap();
    assert!(matches!(e, StoreError::NotUtf8 { at: 3, .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("store.db") && msg.contains("2/2021/QĐ-UBND (row 1)"),
        "{msg}"
    );
}

#[test]
fn rows_read_over_many_batches_come_in_id_order_and_the_first_bad_row_is_named() {
    // More rows than the reader's batches (512) times the batches it reads ahead (4): the
    // batches are parsed out of order on other cores and put back in order.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let t = "Ủy ban nhân dân huyện Tân Phong";
    let n = 2_600;
    // One fsync per row is not what this test is about.
    s.connection()
        .pragma_update(None, "synchronous", "OFF")
        .unwrap();
    for i in (0..n).rev() {
        let d = doc(
            &format!("{i}/2021/QĐ-UBND"),
            t,
            "huyện Tân Phong",
            "2021-01-01",
        );
        s.put_document(&format!("{i}.txt"), &format!("h{i}"), &d)
            .unwrap();
    }
    let docs = s.documents().unwrap();
    let mut want: Vec<String> = (0..n).map(|i| format!("{i}/2021/QĐ-UBND")).collect();
    want.sort();
    assert_eq!(docs.iter().map(|d| d.id.clone()).collect::<Vec<_>>(), want);
    let loaded = s.load().unwrap();
    assert_eq!(loaded.keys.len(), n);
    // Two bad rows far apart: the error names the first in reading order.
    for (key, json) in [(1_700, "{\"id\": 1"), (2_400, "[]")] {
        s.connection()
            .execute(
                "UPDATE documents SET json = ?1 WHERE key = ?2",
                rusqlite::params![json, key],
            )
            .unwrap();
    }
    let e = s.documents().err().unwrap();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("(row 1700)"), "{e}");
}

#[test]
fn findings_of_the_last_configurations_written_are_kept() {
    use std::collections::HashSet;
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let keep = |s: &mut Store, config: &str, groups: &[&str]| {
        let current: HashSet<&str> = groups.iter().copied().collect();
        let mut rows = groups.iter().map(|g| (g.to_string(), format!("[\"{g}\"]")));
        s.keep_findings(config, &mut rows, &current).unwrap();
    };
    let kept = |s: &Store, config: &str| -> Vec<String> {
        let wanted: HashSet<&str> = ["g1", "g2", "g3"].into_iter().collect();
        let mut v: Vec<String> = s
            .kept_findings(config, &wanted)
            .unwrap()
            .into_keys()
            .collect();
        v.sort();
        v
    };
    keep(&mut s, "a", &["g1", "g2"]);
    keep(&mut s, "b", &["g1"]);
    keep(&mut s, "c", &["g3"]);
    assert_eq!(kept(&s, "a"), ["g1", "g2"]);
    assert_eq!(s.kept_group_count("b").unwrap(), 1);
    // Written again, `a` is the most recent: the next one drops `b`, the oldest.
    keep(&mut s, "a", &["g2"]);
    keep(&mut s, "d", &["g1"]);
    assert_eq!(kept(&s, "b"), Vec::<String>::new());
    assert_eq!(kept(&s, "c"), ["g3"]);
    assert_eq!(kept(&s, "d"), ["g1"]);
    // A configuration's groups that are no longer current go when it writes.
    assert_eq!(kept(&s, "a"), ["g2"]);
    let configs: i64 = s
        .connection()
        .query_row("SELECT COUNT(DISTINCT config) FROM check_groups", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(configs as usize, super::check_cache::KEPT_CONFIGS);
}

#[test]
fn kept_findings_are_complete_only_for_the_revision_they_were_marked_at() {
    use std::collections::HashSet;
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let set =
        |groups: &[&'static str]| -> HashSet<&'static str> { groups.iter().copied().collect() };
    let keep = |s: &mut Store, config: &str, groups: &[&str]| {
        let current: HashSet<&str> = groups.iter().copied().collect();
        let mut rows = groups.iter().map(|g| (g.to_string(), format!("[\"{g}\"]")));
        s.keep_findings(config, &mut rows, &current).unwrap();
    };
    let complete = |s: &Store, config: &str| -> Option<Vec<String>> {
        let now = s.revision().unwrap();
        s.complete_findings(config, now).unwrap().map(|mut v| {
            v.sort();
            v
        })
    };
    let d = tan_phong("1/2020/QĐ-UBND", "2020-01-01");
    s.put_document("a.txt", "h1", &d).unwrap();
    let rev = s.revision().unwrap();
    keep(&mut s, "a", &["g1", "g2"]);
    // Kept but not yet marked: not complete.
    assert_eq!(complete(&s, "a"), None);
    // Marked at another revision, or with a group that has no row: nothing recorded.
    assert!(!s
        .mark_complete("a", rev + 1, &set(&["g1", "g2"]), None)
        .unwrap());
    assert!(!s
        .mark_complete("a", rev, &set(&["g1", "g2", "g9"]), None)
        .unwrap());
    assert_eq!(complete(&s, "a"), None);
    assert!(s
        .mark_complete("a", rev, &set(&["g1", "g2"]), None)
        .unwrap());
    assert_eq!(
        complete(&s, "a"),
        Some(vec!["[\"g1\"]".to_string(), "[\"g2\"]".to_string()])
    );
    // A group no longer current is dropped when marking.
    keep(&mut s, "b", &["g1", "g2"]);
    assert!(s.mark_complete("b", rev, &set(&["g2"]), None).unwrap());
    assert_eq!(complete(&s, "b"), Some(vec!["[\"g2\"]".to_string()]));
    assert_eq!(
        complete(&s, "a").map(|v| v.len()),
        Some(2),
        "a is untouched"
    );
    // Written again, a configuration is complete only once marked again.
    keep(&mut s, "b", &["g3"]);
    assert_eq!(complete(&s, "b"), None);
    assert!(s.mark_complete("b", rev, &set(&["g3"]), None).unwrap());
    // A document written moves the revision: nothing is complete any more.
    s.put_document("b.txt", "h2", &tan_phong("2/2020/QĐ-UBND", "2020-02-01"))
        .unwrap();
    assert_eq!(complete(&s, "a"), None);
    assert_eq!(complete(&s, "b"), None);
    assert_eq!(s.complete_findings("b", rev).unwrap(), None);
    let rev2 = s.revision().unwrap();
    assert!(rev2 > rev);
    assert!(s
        .mark_complete("a", rev2, &set(&["g1", "g2"]), None)
        .unwrap());
    assert!(complete(&s, "a").is_some());
    // A configuration dropped from the kept ones is no longer complete.
    keep(&mut s, "c", &["g1"]);
    keep(&mut s, "d", &["g1"]);
    keep(&mut s, "e", &["g1"]);
    assert_eq!(complete(&s, "a"), None);
    assert_eq!(s.kept_group_count("a").unwrap(), 0);
}

#[test]
fn a_write_waits_for_another_connections_write_instead_of_failing() {
    use std::collections::HashSet;
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open(dir.path()).unwrap();
    let mut b = a.reopen().unwrap();
    let (started, wait) = std::sync::mpsc::channel();
    let other = std::thread::spawn(move || {
        b.in_transaction(|tx| {
            tx.execute("INSERT INTO meta (key, value) VALUES ('other', '1')", [])?;
            started.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(300));
            Ok(())
        })
        .unwrap();
    });
    wait.recv().unwrap();
    // A transaction that read before the other committed could not write after it (SQLite
    // answers "busy" at once); one that takes the write lock first waits for it.
    let current: HashSet<&str> = ["g1"].into_iter().collect();
    let mut rows = std::iter::once(("g1".to_string(), "[]".to_string()));
    a.keep_findings("c", &mut rows, &current).unwrap();
    other.join().unwrap();
    assert_eq!(a.kept_group_count("c").unwrap(), 1);
}

#[test]
fn resolutions_read_back_from_the_relations_are_those_of_the_resolver() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let (files, _) = crate::corpusgen::generate(300, 3);
    for (n, d) in crate::parse::bundled_corpus().into_iter().enumerate() {
        let source = d.source.clone().unwrap_or_else(|| format!("b{n}.txt"));
        s.put_document(&source, &format!("hb{n}"), &d).unwrap();
    }
    for f in &files {
        let d = crate::parse::parse_document(&f.path, &f.text);
        s.put_document(&f.path, &f.path, &d).unwrap();
    }
    let reg = Registry::builtin();
    let text = crate::timeline::DEFAULT_REGISTRY;
    assert!(!s.relations_current(text).unwrap());
    s.refresh_relations(&reg, text, false).unwrap();
    assert!(s.relations_current(text).unwrap());
    assert!(!s.relations_current("another registry").unwrap());
    let loaded = s.load_without_text().unwrap();
    let expected = crate::resolve::resolve_all(&loaded.docs, &reg);
    let back = s.resolutions_by_keys(&loaded.keys).unwrap().unwrap();
    let (mut unresolved, mut provisions, mut all) = (0, 0, 0);
    for ((d, key), want) in loaded.docs.iter().zip(&loaded.keys).zip(&expected) {
        assert_eq!(&back[key], want, "{}", d.id);
        unresolved += want.iter().filter(|rc| !rc.is_resolved()).count();
        provisions += want.iter().filter(|rc| rc.provision_found).count();
        all += want.len();
    }
    // The cases the rows keep in other words: unresolved targets, found provisions.
    assert!(
        all > 1000 && unresolved > 0 && provisions > 0,
        "{all} {unresolved} {provisions}"
    );
    // Who cites whom, as the rows say.
    let cited = expected
        .iter()
        .flatten()
        .find_map(|rc| {
            rc.target
                .clone()
                .filter(|t| loaded.docs.iter().any(|d| &d.id == t))
        })
        .expect("a stored document cited");
    let (citers, _) = s.citers_of(&cited).unwrap();
    let want: Vec<i64> = {
        let mut v: Vec<i64> = loaded
            .keys
            .iter()
            .zip(&expected)
            .filter(|(_, rcs)| rcs.iter().any(|rc| rc.target.as_deref() == Some(&cited)))
            .map(|(k, _)| *k)
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(citers, want);
    // Rows written at this revision; none after it.
    let rev = s.revision().unwrap();
    assert_eq!(s.citations_written_after(rev).unwrap(), Vec::<i64>::new());
    assert!(!s.citations_written_after(rev - 1).unwrap().is_empty());
}

#[test]
fn a_kept_partition_holds_while_its_findings_are_complete() {
    use std::collections::HashSet;
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let d = tan_phong("1/2020/QĐ-UBND", "2020-01-01");
    s.put_document("a.txt", "h1", &d).unwrap();
    let rev = s.revision().unwrap();
    let current: HashSet<&str> = ["g1"].into_iter().collect();
    let keep = |s: &mut Store, config: &str| {
        let mut rows = std::iter::once(("g1".to_string(), "[]".to_string()));
        s.keep_findings(config, &mut rows, &current).unwrap();
    };
    keep(&mut s, "a");
    assert_eq!(s.kept_partition("a").unwrap(), None);
    assert!(s.mark_complete("a", rev, &current, Some("P1")).unwrap());
    assert_eq!(
        s.kept_partition("a").unwrap(),
        Some((rev, "P1".to_string()))
    );
    // A document written: the partition still names the revision it holds for.
    s.put_document("b.txt", "h2", &tan_phong("2/2020/QĐ-UBND", "2020-02-01"))
        .unwrap();
    assert_eq!(
        s.kept_partition("a").unwrap(),
        Some((rev, "P1".to_string()))
    );
    // Rows written again under the configuration: no partition until marked again.
    keep(&mut s, "a");
    assert_eq!(s.kept_partition("a").unwrap(), None);
    let rev2 = s.revision().unwrap();
    assert!(s.mark_complete("a", rev2, &current, Some("P2")).unwrap());
    assert_eq!(
        s.kept_partition("a").unwrap(),
        Some((rev2, "P2".to_string()))
    );
    // Marked without one, none; a configuration dropped from the kept ones loses its own.
    assert!(s.mark_complete("a", rev2, &current, None).unwrap());
    assert_eq!(s.kept_partition("a").unwrap(), None);
    assert!(s.mark_complete("a", rev2, &current, Some("P3")).unwrap());
    for c in ["b", "c", "d"] {
        keep(&mut s, c);
    }
    assert_eq!(s.kept_partition("a").unwrap(), None);
    let partitions: i64 = s
        .connection()
        .query_row("SELECT COUNT(*) FROM check_partitions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(partitions, 0);
}

#[test]
fn relations_built_for_new_documents_alone_are_those_of_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let reg = Registry::builtin();
    let text = crate::timeline::DEFAULT_REGISTRY;
    let hash = super::ingest::hash_hex(text.as_bytes());
    let (files, _) = crate::corpusgen::generate(600, 4);
    // Documents held back, cited by others stored before them.
    let (held, first): (Vec<_>, Vec<_>) = files.iter().enumerate().partition(|(i, _)| i % 40 == 7);
    for (_, f) in &first {
        let d = crate::parse::parse_document(&f.path, &f.text);
        s.put_document(&f.path, &f.path, &d).unwrap();
    }
    s.refresh_relations(&reg, text, false).unwrap();
    let snapshot = |s: &Store| -> (Vec<String>, Vec<String>, Vec<String>) {
        let rows = |sql: &str| -> Vec<String> {
            let mut stmt = s.connection().prepare(sql).unwrap();
            let n = stmt.column_count();
            stmt.query_map([], |r| {
                let mut line = String::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push_str(&format!("{v:?}|"));
                }
                Ok(line)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        (
            rows("SELECT document_key, idx, raw, relation, target, provision, provision_found, via, lookup FROM citations ORDER BY document_key, idx"),
            rows("SELECT document_key, digest FROM citation_digests ORDER BY document_key"),
            rows("SELECT name, key FROM document_names ORDER BY name, key"),
        )
    };
    let mut others_changed = 0;
    let steps: Vec<Vec<&crate::corpusgen::GenFile>> = {
        let mut v: Vec<Vec<_>> = held.iter().map(|(_, f)| vec![*f]).collect();
        let last = v.pop().unwrap();
        v.last_mut().unwrap().extend(last);
        v
    };
    assert!(steps.len() >= 10, "{} steps", steps.len());
    for step in &steps {
        for f in step {
            let d = crate::parse::parse_document(&f.path, &f.text);
            s.put_document(&f.path, &f.path, &d).unwrap();
        }
        let rev = s.revision().unwrap();
        let stamp = format!("{rev}:{hash}");
        let written = s
            .refresh_relations_local(&reg, &hash, rev, &stamp)
            .unwrap()
            .unwrap_or_else(|| panic!("{:?} not resolved alone", step[0].path));
        others_changed += usize::from(written > step.len());
        assert!(s.relations_current(text).unwrap());
        let local = snapshot(&s);
        // Forced, every document's rows are written in bulk (the indexes dropped, then built
        // again).
        s.refresh_relations(&reg, text, true).unwrap();
        assert_eq!(snapshot(&s), local, "after {:?}", step[0].path);
    }
    let indexes: Vec<String> = s
        .connection()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'citations' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        indexes,
        [
            "citations_lookup",
            "citations_target",
            "sqlite_autoindex_citations_1"
        ]
    );
    assert!(
        others_changed > 0,
        "no stored document's citations resolved otherwise"
    );
    // A document changed in place is not a new one: the whole store is resolved.
    let (_, f) = first[3];
    let mut d = crate::parse::parse_document(&f.path, &f.text);
    d.title = Some(format!("{} (sửa đổi)", d.title.clone().unwrap_or_default()));
    s.put_document(&f.path, "changed", &d).unwrap();
    let rev = s.revision().unwrap();
    let stamp = format!("{rev}:{hash}");
    assert_eq!(
        s.refresh_relations_local(&reg, &hash, rev, &stamp).unwrap(),
        None
    );
}

#[test]
fn versions_by_id_name_each_row_as_the_documents_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    for (i, (number, issuer, place)) in [
        (
            "1/2020/QĐ-UBND",
            "Ủy ban nhân dân huyện Tân Phong",
            "huyện Tân Phong",
        ),
        (
            "1/2020/QĐ-UBND",
            "Ủy ban nhân dân huyện Hòa Bình",
            "huyện Hòa Bình",
        ),
        (
            "01/2020/QĐ-UBND",
            "Ủy ban nhân dân huyện Lạc Sơn",
            "huyện Lạc Sơn",
        ),
        (
            "2/2020/QĐ-UBND",
            "Ủy ban nhân dân huyện Tân Phong",
            "huyện Tân Phong",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let d = doc(number, issuer, place, "2020-01-01");
        s.put_document(&format!("{i}.txt"), &format!("h{i}"), &d)
            .unwrap();
    }
    let versions = s.row_versions().unwrap();
    let want: std::collections::HashMap<String, String> = s
        .ids()
        .unwrap()
        .into_iter()
        .map(|(key, id)| {
            let v = &versions[&key];
            (id, format!("{}:{}:{}", v.key, v.revision, v.file_hash))
        })
        .collect();
    assert_eq!(s.versions_by_id().unwrap(), want);
    assert_eq!(want.len(), 4);
    assert_eq!(want.keys().filter(|id| id.contains('@')).count(), 3);
}

#[test]
fn the_latest_partition_is_of_the_highest_revision_then_the_last_configuration_written() {
    use std::collections::HashSet;
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.put_document("a.txt", "h1", &tan_phong("1/2020/QĐ-UBND", "2020-01-01"))
        .unwrap();
    let rev = s.revision().unwrap();
    let current: HashSet<&str> = ["g1"].into_iter().collect();
    let mark = |s: &mut Store, config: &str, json: &str| {
        let mut rows = std::iter::once(("g1".to_string(), "[]".to_string()));
        s.keep_findings(config, &mut rows, &current).unwrap();
        assert!(s.mark_complete(config, rev, &current, Some(json)).unwrap());
    };
    mark(&mut s, "b", "B");
    mark(&mut s, "a", "A");
    assert_eq!(s.latest_partition(rev).unwrap(), Some((rev, "A".into())));
    mark(&mut s, "b", "B2");
    assert_eq!(s.latest_partition(rev).unwrap(), Some((rev, "B2".into())));
    assert_eq!(s.latest_partition(rev - 1).unwrap(), None);
}
