//! `rasoat check` reusing the findings the last check kept per independent group of
//! documents, end to end over the real binary: on a generated corpus of three districts,
//! documents are ingested one at a time (new ones, and one changed file), and after each the
//! check prints byte for byte what `check --full` prints, on two review dates, while the
//! groups the new document did not touch are taken as kept.

mod common;

use std::path::{Path, PathBuf};

use common::{check_logged, rasoat, BIN};

fn gen(out: &Path) {
    gen_seeded(out, "700", "5");
}

fn gen_seeded(out: &Path, docs: &str, seed: &str) {
    let o = std::process::Command::new(BIN)
        .args(["gen-corpus", "--docs", docs, "--seed", seed])
        .arg(out)
        .output()
        .expect("run rasoat gen-corpus");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The `.txt` files of each district folder, sorted by name (date first).
fn districts(corpus: &Path) -> Vec<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        out.push(files);
    }
    out
}

/// `check` on `as_of`, reusing kept findings, and `check --full`: the same bytes. Returns
/// how many groups the first took as kept, from its log.
fn same_as_full(data: &Path, as_of: &str) -> usize {
    same_as_full_read(data, as_of).0
}

/// [`same_as_full`], and whether the check read the documents without their text (the
/// localities of nine in ten kept), reading whole only those of the groups it ran.
fn same_as_full_read(data: &Path, as_of: &str) -> (usize, bool) {
    let log = same_as_full_log(data, as_of);
    let line = log
        .lines()
        .find(|l| l.contains("check: independent groups"))
        .unwrap_or_else(|| panic!("no groups logged: {log}"));
    let kept_groups = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("kept="))
        .and_then(|n| n.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
        .unwrap_or_else(|| panic!("no kept= in {line}"));
    (
        kept_groups,
        log.contains("check: documents read without text"),
    )
}

/// `check` on `as_of` and `check --full`: the same bytes. Returns the first one's log.
fn same_as_full_log(data: &Path, as_of: &str) -> String {
    let kept = check_logged(data, as_of);
    assert!(
        kept.status.success(),
        "{}",
        String::from_utf8_lossy(&kept.stderr)
    );
    let full = rasoat(
        data,
        &["check", "--as-of", as_of, "--format", "json", "--full"],
    );
    assert!(
        full.status.success(),
        "{}",
        String::from_utf8_lossy(&full.stderr)
    );
    assert!(
        full.stdout.len() > 1000,
        "{}",
        String::from_utf8_lossy(&full.stdout)
    );
    assert!(
        kept.stdout == full.stdout,
        "{as_of}: the check with kept findings differs from the full check"
    );
    String::from_utf8_lossy(&kept.stderr).into_owned()
}

/// From a check's log: how many documents it read when it checked only the groups the new
/// documents join, or `None` if it checked the whole store.
fn part_read(log: &str) -> Option<usize> {
    let line = log
        .lines()
        .find(|l| l.contains("check: the groups the new documents join, the others kept"))?;
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("documents="))
        .and_then(|n| n.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok())
}

fn ingest(data: &Path, files: &[&Path]) {
    let mut args: Vec<&str> = vec!["ingest"];
    args.extend(files.iter().map(|p| p.to_str().unwrap()));
    let o = rasoat(data, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn findings_after_each_new_or_changed_document_are_those_of_a_full_check() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let data = dir.path().join("data");
    gen(&corpus);
    let ds = districts(&corpus);
    assert!(ds.len() >= 3, "{} districts", ds.len());
    // The latest documents of two districts (amending, repealing and replacing ones among
    // them) are held back and come one at a time.
    let mut later: Vec<&Path> = Vec::new();
    let mut first: Vec<&Path> = Vec::new();
    for (k, files) in ds.iter().enumerate() {
        let hold = if k < 2 { 3 } else { 0 };
        let cut = files.len() - hold;
        first.extend(files[..cut].iter().map(PathBuf::as_path));
        later.extend(files[cut..].iter().map(PathBuf::as_path));
    }
    ingest(&data, &first);
    let dates = ["2024-12-31", "2025-06-30"];
    // Nothing kept yet for the first date; everything for it the second time.
    assert_eq!(same_as_full(&data, dates[0]), 0);
    let all = same_as_full(&data, dates[0]);
    assert!(all >= 3, "{all} groups kept");
    // Nothing written since: the findings kept are all those of the store as it is, taken
    // without reading a document (and the same bytes as the full check, above).
    let again = check_logged(&data, dates[0]);
    let log = String::from_utf8_lossy(&again.stderr);
    assert!(log.contains("all kept for this store revision"), "{log}");
    assert!(!log.contains("check: documents read"), "{log}");
    assert!(!log.contains("status engine"), "{log}");
    let stored = first.len();
    for (n, f) in later.iter().enumerate() {
        ingest(&data, &[f]);
        // One document added: only the groups it joins are read and checked, without reading
        // the rest of the store.
        let log = same_as_full_log(&data, dates[0]);
        let read = part_read(&log).unwrap_or_else(|| panic!("after {f:?}, all checked: {log}"));
        assert!(
            read >= 1 && 2 * read < stored + n + 1,
            "{read} documents read after {f:?}"
        );
        assert!(!log.contains("check: documents read"), "{log}");
    }
    // Two documents added at once, after checks on another date in between, whose findings
    // are kept apart: a part again.
    let two = dir.path().join("two");
    gen_seeded(&two, "700", "5");
    let extra: Vec<PathBuf> = districts(&two)
        .iter()
        .map(|files| files[files.len() - 1].clone())
        .collect();
    let mut renamed: Vec<PathBuf> = Vec::new();
    for (i, p) in extra.iter().take(2).enumerate() {
        // The same text under a new number: a new document of a known district.
        let text = std::fs::read_to_string(p).unwrap();
        let number = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Số: "))
            .expect("a number line")
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        let (seq, rest) = number.split_once('/').unwrap();
        let new_number = format!("{}{i}/{rest}", seq.parse::<u32>().unwrap() + 900);
        let q = dir.path().join(format!("extra-{i}.txt"));
        std::fs::write(&q, text.replace(&number, &new_number)).unwrap();
        renamed.push(q);
    }
    assert_eq!(same_as_full(&data, dates[1]), 0);
    ingest(
        &data,
        &renamed.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    );
    let log = same_as_full_log(&data, dates[0]);
    assert!(part_read(&log).is_some(), "{log}");
    // The other date's partition is of an older revision: its check reads a part too.
    let log = same_as_full_log(&data, dates[1]);
    assert!(part_read(&log).is_some(), "{log}");
    // Another date keeps its own findings, and those of the first date stay kept beside them.
    assert!(same_as_full(&data, dates[1]) >= 3);
    let both = same_as_full(&data, dates[0]);
    assert!(
        both >= 3,
        "{both} groups kept for the first date after the second"
    );
    // A changed file: one of the third district's documents with a deadline changed.
    let changed = ds[2]
        .iter()
        .find(|p| {
            let t = std::fs::read_to_string(p).unwrap();
            t.contains(" ngày làm việc")
        })
        .expect("a document with a deadline");
    let text = std::fs::read_to_string(changed).unwrap();
    let at = text.find(" ngày làm việc").unwrap();
    let start = text[..at]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let days: u32 = text[start..at].parse().unwrap_or(10);
    let edited = format!("{}{}{}", &text[..start], days + 7, &text[at..]);
    assert_ne!(edited, text);
    std::fs::write(changed, edited).unwrap();
    ingest(&data, &[changed]);
    // A changed document is not a new one: the whole store is checked, the groups it did not
    // touch taken as kept.
    let kept = same_as_full(&data, dates[1]);
    assert!(kept >= 1, "{kept} groups kept after a changed file");
    // A document of another district: a locality no document named before, so the
    // localities kept for every document were looked for among other ones and are found
    // again.
    let other = dir.path().join("other");
    gen_seeded(&other, "300", "6");
    let newcomer = districts(&other)[0][0].clone();
    let locality = newcomer.parent().unwrap().file_name().unwrap().to_owned();
    assert!(
        ds.iter()
            .all(|files| files[0].parent().unwrap().file_name().unwrap() != locality),
        "{locality:?} is a district of the first corpus"
    );
    ingest(&data, &[&newcomer]);
    // Its issuer is of a new class, with a locality no document had: the whole store.
    let (kept, without_text) = same_as_full_read(&data, dates[1]);
    assert!(without_text);
    assert!(kept >= 1, "{kept} groups kept after a new district");
}

#[test]
fn review_keeps_the_findings_a_later_check_reuses() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let review = || {
        let o = rasoat(
            &data,
            &[
                "review",
                corpus.to_str().unwrap(),
                "--as-of",
                "2024-12-31",
                "--no-serve",
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let first = review();
    // The second review ingests nothing new and takes every group's findings as kept: its
    // run has the same findings.
    let second = review();
    let count = |s: &str| {
        s.lines()
            .find(|l| l.contains("phát hiện"))
            .map(|l| l.rsplit(':').next().unwrap_or("").trim().to_string())
            .unwrap_or_else(|| panic!("no summary line in {s}"))
    };
    assert_eq!(count(&first), count(&second));
    let (kept, _) = same_as_full_read(&data, "2024-12-31");
    assert!(
        kept >= 1,
        "the check after a review took {kept} groups as kept"
    );
    let again = check_logged(&data, "2024-12-31");
    let log = String::from_utf8_lossy(&again.stderr);
    assert!(
        !log.contains("check: statuses and units"),
        "the rules ran again after a review and a check on the same store: {log}"
    );
}
