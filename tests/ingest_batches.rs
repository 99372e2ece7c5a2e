//! Batched, parallel ingest (`Store::ingest_files_with`, what `rasoat ingest` runs) gives the
//! outcomes, in the same order, and the store that ingesting the files one at a time
//! (`Store::ingest_file_with`) gives: the same documents, row keys and revisions, the same
//! duplicates replaced by the later file, the same failures and unchanged files, across
//! batch boundaries.

use std::path::{Path, PathBuf};

use rasoat::import::ImportOptions;
use rasoat::store::{collect_files, FileOutcome, IngestError, Store};

/// Enough files for several batches.
const FILES: usize = 300;

fn decision(number: &str, word: &str) -> String {
    format!(
        "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\n\nSố: {number}\n\
         Tân Phong, ngày 05 tháng 3 năm 2021\n\nQUYẾT ĐỊNH\nVề việc {word}\n\n\
         Căn cứ Quyết định số 1/2021/QĐ-UBND ngày 05 tháng 3 năm 2021;\n\n\
         QUYẾT ĐỊNH:\n\nĐiều 1. Quy định về {word}.\n\n\
         Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 3 năm 2021.\n\n\
         TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn A\n"
    )
}

/// File `i` of `round`: every seventh file repeats the number of the file before it (a
/// duplicate copy, which the later file replaces), every thirteenth is empty (refused),
/// every eleventh is not a legal document; in round 1 only every third file changes.
fn write_corpus(dir: &Path, round: usize) {
    for i in 1..=FILES {
        if round > 0 && i % 3 != 0 {
            continue;
        }
        let n = if i % 7 == 0 { i - 1 } else { i };
        let text = if i % 13 == 0 {
            String::new()
        } else if i % 11 == 0 {
            format!("Ghi chú số {i}, vòng {round}.\n")
        } else {
            decision(
                &format!("{n}/2021/QĐ-UBND"),
                &format!("việc {i} vòng {round}"),
            )
        };
        std::fs::write(dir.join(format!("doc-{i:03}.txt")), text).unwrap();
    }
}

fn show(o: &Result<FileOutcome, IngestError>) -> String {
    match o {
        Ok(o) => format!("{o:?}"),
        Err(e) => format!("error: {e}"),
    }
}

/// Every row of the store's tables, in key order.
fn rows(s: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for q in [
        "SELECT key, number, number_key, issuer_slug, source, hash, json, revision FROM documents ORDER BY key",
        "SELECT path, hash, revision FROM files ORDER BY path",
        "SELECT key, value FROM meta ORDER BY key",
    ] {
        let c = s.connection();
        let mut stmt = c.prepare(q).unwrap();
        let n = stmt.column_count();
        let r: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.extend(r);
    }
    out
}

#[test]
fn batched_ingest_equals_one_file_at_a_time() {
    let src = tempfile::tempdir().unwrap();
    let one = tempfile::tempdir().unwrap();
    let batched = tempfile::tempdir().unwrap();
    let opts = ImportOptions::default();
    let mut a = Store::open(one.path()).unwrap();
    let mut b = Store::open(batched.path()).unwrap();
    for round in 0..2 {
        write_corpus(src.path(), round);
        let (files, errors) = collect_files(&[src.path().to_path_buf()]);
        assert!(errors.is_empty());
        assert_eq!(files.len(), FILES);
        let seq: Vec<(PathBuf, String)> = files
            .iter()
            .map(|f| (f.clone(), show(&a.ingest_file_with(f, &opts))))
            .collect();
        let mut par: Vec<(PathBuf, String)> = Vec::new();
        b.ingest_files_with(&files, &opts, |f, o| par.push((f.to_path_buf(), show(&o))))
            .unwrap();
        assert_eq!(seq, par, "round {round}: outcomes differ");
        let count = |k: &str| seq.iter().filter(|(_, o)| o.starts_with(k)).count();
        let duplicates = if round == 0 { 10 } else { 1 };
        assert!(count("ReplacedDuplicate") > duplicates, "round {round}");
        assert!(count("error") > 10, "round {round}");
        if round == 1 {
            assert!(count("Unchanged") > 100);
        }
        assert_eq!(rows(&a), rows(&b), "round {round}: stores differ");
        assert_eq!(a.content_digest().unwrap(), b.content_digest().unwrap());
    }
}
