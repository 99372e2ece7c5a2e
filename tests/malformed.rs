//! The malformed-input catalogue: one row per kind of bad file a Justice Office holds. Each
//! row expects a typed error naming the file and the reason, within 1 s (the library call)
//! and bounded memory (the peak resident size of `rasoat parse FILE`, measured with `wait4`);
//! and `rasoat ingest BAD GOOD` reports the bad file and still ingests the good one.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rasoat::import::{ImportErrorKind, ImportOptions};
use rasoat::store::{collect_files, IngestError, Store};

const BIN: &str = env!("CARGO_BIN_EXE_rasoat");

/// A well-formed decision: the file that must get through beside the bad one.
fn good_decision() -> String {
    "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\n\nSố: 7/2021/QĐ-UBND\n\
     Tân Phong, ngày 05 tháng 3 năm 2021\n\nQUYẾT ĐỊNH\nVề việc thử\n\n\
     QUYẾT ĐỊNH:\n\nĐiều 1. Quy định về chợ.\n\n\
     Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 3 năm 2021.\n\n\
     TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn A\n"
        .to_string()
}

/// What a run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident set size, in KiB.
    max_rss_kib: i64,
}

/// Runs the binary and measures its own peak memory with `wait4` (not its siblings'). The
/// child is reaped by `wait4`, which `Child` does not know of.
#[allow(clippy::zombie_processes)]
fn run_measured(args: &[&std::ffi::OsStr]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("RASOAT_RULES")
        .env("RASOAT_REPORT_PEAK_RSS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rasoat runs");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).unwrap();
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).unwrap();
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: plain FFI calls with valid pointers to locals; the child is ours and is reaped
    // here, never through `Child::wait`.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    let elapsed = start.elapsed();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        panic!("rasoat ended by a signal (status {status}): a crash");
    };
    let stderr = t_err.join().unwrap();
    // The child's own high-water mark, as it reports it: the `ru_maxrss` of `wait4` starts
    // from this test process's peak at the spawn (Linux), which other tests of this binary
    // raise by building large inputs.
    let max_rss_kib = stderr
        .lines()
        .find_map(|l| l.strip_prefix("rasoat: peak RSS "))
        .and_then(|v| v.strip_suffix(" KiB"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(usage.ru_maxrss);
    Run {
        code,
        stdout: t_out.join().unwrap(),
        stderr,
        elapsed,
        max_rss_kib,
    }
}

/// How a row's file is made.
enum Input {
    Bytes(Vec<u8>),
    /// A sparse file of this many bytes (no disk written).
    Sparse(u64),
}

/// One row of the catalogue.
struct Row {
    name: &'static str,
    file: &'static str,
    input: Input,
    /// The typed error expected, checked on the library's error.
    expect: fn(&IngestError) -> bool,
    /// Words the message must contain (beside the file's path).
    reason: &'static str,
    /// Peak memory `rasoat parse FILE` may use beyond what it uses to parse a small good
    /// file, in MiB. Measured against that baseline because the binary's own resident pages
    /// (at start-up a debug build relocates and touches tens of MiB of itself) grow with the
    /// code, not with the input.
    max_extra_rss_mib: i64,
}

fn import_kind(e: &IngestError) -> Option<&ImportErrorKind> {
    match e {
        IngestError::Import(i) => Some(&i.kind),
        _ => None,
    }
}

fn write_input(dir: &Path, row: &Row) -> PathBuf {
    let p = dir.join(row.file);
    match &row.input {
        Input::Bytes(b) => std::fs::write(&p, b).unwrap(),
        Input::Sparse(n) => {
            let f = std::fs::File::create(&p).unwrap();
            f.set_len(*n).unwrap();
        }
    }
    p
}

/// Peak memory of `rasoat parse` on a small good decision, measured once.
fn baseline_rss_kib() -> i64 {
    static BASELINE: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *BASELINE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.txt");
        std::fs::write(&good, good_decision()).unwrap();
        let run = run_measured(&["parse".as_ref(), good.as_os_str()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.max_rss_kib
    })
}

/// Checks one row: the library's typed error and time, then the binary's message, memory and
/// that a good file beside it is still ingested.
fn check_row(row: &Row) {
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let bad = write_input(src.path(), row);
    let good = src.path().join("good.txt");
    std::fs::write(&good, good_decision()).unwrap();

    let mut store = Store::open(data.path()).unwrap();
    let t = Instant::now();
    let err = store
        .ingest_file_with(&bad, &ImportOptions::default())
        .expect_err(row.name);
    let took = t.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "{}: {took:?} to refuse",
        row.name
    );
    assert!((row.expect)(&err), "{}: unexpected error {err:?}", row.name);
    let msg = err.to_string();
    assert!(
        msg.starts_with(&bad.display().to_string()),
        "{}: {msg}",
        row.name
    );
    assert!(msg.contains(row.reason), "{}: {msg}", row.name);
    assert!(!msg.contains('\u{FFFD}'), "{}: {msg}", row.name);
    drop(store);

    // The binary, on the bad file alone: its peak memory.
    // (`parse` shows what it can read: a file the importer refuses fails, a file that reads
    // but is not a document to store is shown with its diagnostics.)
    let parse = run_measured(&["parse".as_ref(), bad.as_os_str()]);
    if import_kind(&err).is_some() {
        assert_eq!(parse.code, 1, "{}: {}", row.name, parse.stderr);
        assert!(
            parse.stderr.contains(row.reason),
            "{}: {}",
            row.name,
            parse.stderr
        );
    } else {
        assert_eq!(parse.code, 0, "{}: {}", row.name, parse.stderr);
    }
    let baseline = baseline_rss_kib();
    assert!(
        parse.max_rss_kib < baseline + row.max_extra_rss_mib * 1024,
        "{}: rasoat parse peaked at {} KiB ({} KiB on a small good file)",
        row.name,
        parse.max_rss_kib,
        baseline
    );
    // The bad file beside a good one: reported, and the good one stored.
    let data2 = tempfile::tempdir().unwrap();
    let ingest = run_measured(&[
        "--data".as_ref(),
        data2.path().as_os_str(),
        "ingest".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        bad.as_os_str(),
        good.as_os_str(),
    ]);
    assert_eq!(ingest.code, 1, "{}: {}", row.name, ingest.stderr);
    assert!(
        ingest.stderr.contains(&bad.display().to_string()) && ingest.stderr.contains(row.reason),
        "{}: {}",
        row.name,
        ingest.stderr
    );
    let sum: serde_json::Value = serde_json::from_str(&ingest.stdout).unwrap();
    assert_eq!(sum["ingested"], 1, "{}: {sum}", row.name);
    assert_eq!(sum["failed"], 1, "{}: {sum}", row.name);
    eprintln!(
        "{:<28} library {:>8.1?}  parse {:>8.1?} {:>7} KiB  ingest {:>8.1?} {:>7} KiB",
        row.name, took, parse.elapsed, parse.max_rss_kib, ingest.elapsed, ingest.max_rss_kib
    );
}

fn rows() -> Vec<Row> {
    let mut invalid = good_decision().into_bytes();
    // A UTF-8 sequence cut short on line 4 ("Số" losing its last byte).
    let at = invalid
        .windows(3)
        .position(|w| w == "ố".as_bytes())
        .unwrap();
    invalid.remove(at + 2);
    let fixture = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/import")
                .join(name),
        )
        .unwrap()
    };
    let mut garbage = Vec::with_capacity(4096);
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    while garbage.len() < 4096 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        garbage.extend_from_slice(&x.to_le_bytes());
    }
    vec![
        Row {
            name: "binary garbage",
            file: "garbage.txt",
            input: Input::Bytes(garbage),
            expect: |e| matches!(import_kind(e), Some(ImportErrorKind::Encoding(_))),
            reason: "not like any Vietnamese encoding",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "TCVN3 bytes, too few to tell",
            file: "tcvn3-short.txt",
            input: Input::Bytes(fixture("qd27-tcvn3.txt")[..20].to_vec()),
            expect: |e| matches!(import_kind(e), Some(ImportErrorKind::Encoding(_))),
            reason: "cannot tell the encoding: tcvn3",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "Windows-1258 bytes, too few",
            file: "cp1258-short.txt",
            input: Input::Bytes(fixture("qd27-cp1258.txt")[..20].to_vec()),
            expect: |e| matches!(import_kind(e), Some(ImportErrorKind::Encoding(_))),
            reason: "cannot tell the encoding: windows-1258",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "invalid UTF-8",
            file: "invalid.txt",
            input: Input::Bytes(invalid),
            expect: |e| {
                matches!(import_kind(e), Some(ImportErrorKind::Encoding(_)))
                    && import_kind(e).and_then(|k| k.location()).map(|l| l.0) == Some(4)
            },
            reason: "UTF-8",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "empty file",
            file: "empty.txt",
            input: Input::Bytes(Vec::new()),
            expect: |e| matches!(e, IngestError::NotADocument { .. }),
            reason: "empty file",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "blank file",
            file: "blank.txt",
            input: Input::Bytes(b" \n\r\n\t\n".to_vec()),
            expect: |e| matches!(e, IngestError::NotADocument { .. }),
            reason: "empty file",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "50 MB file",
            file: "huge.txt",
            input: Input::Sparse(50 * 1024 * 1024),
            expect: |e| {
                matches!(
                    import_kind(e),
                    Some(ImportErrorKind::TooLarge {
                        size: 52_428_800,
                        ..
                    })
                )
            },
            reason: "over the limit",
            // Refused from its metadata: far less than the file's size is ever resident.
            max_extra_rss_mib: 16,
        },
        Row {
            name: "100,000 nested list levels",
            file: "nested.md",
            input: Input::Bytes(
                format!("{}\n{}Điều 1.\n", good_decision(), "- ".repeat(100_000)).into_bytes(),
            ),
            expect: |e| {
                matches!(
                    import_kind(e),
                    Some(ImportErrorKind::TooDeeplyNested { line: 21, .. })
                )
            },
            reason: "nested",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "100,000 nested quotes",
            file: "quotes.md",
            input: Input::Bytes(format!("{}Điều 1.\n", ">".repeat(100_000)).into_bytes()),
            expect: |e| {
                matches!(
                    import_kind(e),
                    Some(ImportErrorKind::TooDeeplyNested { line: 1, .. })
                )
            },
            reason: "nested",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "a line of 10 MB",
            file: "longline.txt",
            input: Input::Bytes(
                format!(
                    "{}{}\n",
                    good_decision(),
                    "Quy định về chợ. ".repeat(560_000)
                )
                .into_bytes(),
            ),
            expect: |e| {
                matches!(
                    import_kind(e),
                    Some(ImportErrorKind::LineTooLong { line: 20, .. })
                )
            },
            reason: "over the limit",
            max_extra_rss_mib: 56,
        },
        Row {
            name: "only a header",
            file: "header.txt",
            input: Input::Bytes(
                "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
                 Độc lập - Tự do - Hạnh phúc\n\nSố: 12/2021/QĐ-UBND\n\
                 Tân Phong, ngày 05 tháng 3 năm 2021\n\nQUYẾT ĐỊNH\nVề việc thử\n"
                    .as_bytes()
                    .to_vec(),
            ),
            expect: |e| matches!(e, IngestError::NotADocument { .. }),
            reason: "only a header",
            max_extra_rss_mib: 24,
        },
        Row {
            name: "only headings",
            file: "headings.md",
            input: Input::Bytes(
                "# Chương I\n## Mục 1\n### Điều 1. Phạm vi\n### Điều 2. Đối tượng\n"
                    .as_bytes()
                    .to_vec(),
            ),
            expect: |e| matches!(e, IngestError::NotADocument { .. }),
            reason: "only headings",
            max_extra_rss_mib: 24,
        },
    ]
}

#[test]
fn every_row_is_refused_with_a_typed_error_naming_the_file_and_the_reason() {
    for row in rows() {
        check_row(&row);
    }
}

/// Legacy encodings and UTF-16, detected with confidence: decoded, the encoding reported, and
/// nothing replaced by U+FFFD.
#[test]
fn confidently_detected_encodings_are_decoded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source =
        std::fs::read_to_string(root.join("corpus/2021-09-10_27-2021-QD-UBND.txt")).unwrap();
    let want = rasoat::text::normalize_document(&source).text;
    for (file, exact) in [
        ("qd27-utf16le-bom.txt", true),
        ("qd27-utf16be.txt", true),
        ("qd27-cp1258.txt", true),
        // TCVN3 has no capital letters with a tone mark: those come back in lower case.
        ("qd27-tcvn3.txt", false),
    ] {
        let path = root.join("tests/fixtures/import").join(file);
        let t = Instant::now();
        let im = rasoat::import::import_file(&path, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(t.elapsed() < Duration::from_secs(1), "{file}");
        let (enc, confidence) = im.encoding.expect("the encoding is reported");
        assert!(confidence >= 0.9, "{file}: {enc:?} at {confidence}");
        assert!(
            !im.text.contains('\u{FFFD}'),
            "{file}: a replacement character"
        );
        let doc = rasoat::parse::parse_document(file, &im.text);
        assert_eq!(doc.id, "27/2021/QĐ-UBND", "{file}");
        if exact {
            assert_eq!(
                rasoat::text::normalize_document(&im.text).text,
                want,
                "{file}"
            );
        }
        eprintln!("{file}: {enc:?}, confidence {confidence:.2}");
    }
}

#[test]
fn a_bad_file_never_stops_the_rest_of_a_corpus() {
    let src = tempfile::tempdir().unwrap();
    let mut bad = Vec::new();
    for row in rows() {
        bad.push(write_input(src.path(), &row).display().to_string());
    }
    for i in 1..=3 {
        let text = good_decision().replace("7/2021", &format!("{i}/2022"));
        std::fs::write(src.path().join(format!("good-{i}.txt")), text).unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    let run = run_measured(&[
        "--data".as_ref(),
        data.path().as_os_str(),
        "ingest".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        src.path().as_os_str(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sum: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sum["ingested"], 3, "{sum}\n{}", run.stderr);
    assert_eq!(sum["failed"], bad.len(), "{sum}\n{}", run.stderr);
    assert_eq!(sum["documents"], 3);
    for b in &bad {
        assert!(run.stderr.contains(b.as_str()), "{b} not reported");
    }
}

/// Walks and checks the typed errors of the folder walk (links and `..`).
#[cfg(unix)]
mod links {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_link_out_of_the_ingested_folder_is_refused_and_not_read() {
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        std::fs::write(&secret, good_decision()).unwrap();
        let corpus = tempfile::tempdir().unwrap();
        std::fs::write(corpus.path().join("good.txt"), good_decision()).unwrap();
        symlink(&secret, corpus.path().join("link.txt")).unwrap();
        // A relative link climbing out with `..`.
        std::fs::create_dir(corpus.path().join("sub")).unwrap();
        let rel = PathBuf::from("../..").join(
            secret
                .strip_prefix(outside.path().parent().unwrap())
                .unwrap(),
        );
        symlink(&rel, corpus.path().join("sub/up.txt")).unwrap();
        // A link to a folder outside.
        symlink(outside.path(), corpus.path().join("elsewhere")).unwrap();

        let t = Instant::now();
        let (files, errors) = collect_files(&[corpus.path().to_path_buf()]);
        assert!(t.elapsed() < Duration::from_secs(1));
        let canon = std::fs::canonicalize(corpus.path()).unwrap();
        assert_eq!(files, vec![canon.join("good.txt")]);
        assert_eq!(errors.len(), 3, "{errors:?}");
        for e in &errors {
            match e {
                IngestError::OutsideFolder { folder, .. } => assert_eq!(folder, &canon),
                other => panic!("{other:?}"),
            }
            assert!(e.to_string().contains("outside the ingested folder"), "{e}");
        }

        let data = tempfile::tempdir().unwrap();
        let run = run_measured(&[
            "--data".as_ref(),
            data.path().as_os_str(),
            "ingest".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            corpus.path().as_os_str(),
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let sum: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(sum["ingested"], 1);
        assert_eq!(sum["failed"], 3);
        assert!(run.stderr.contains("link.txt: a link to"), "{}", run.stderr);
        assert!(run.stderr.contains("up.txt: a link to"), "{}", run.stderr);
    }

    #[test]
    fn links_to_dot_dot_and_paths_with_dot_dot_neither_loop_nor_duplicate() {
        let root = tempfile::tempdir().unwrap();
        let corpus = root.path().join("corpus");
        std::fs::create_dir_all(corpus.join("sub")).unwrap();
        std::fs::write(corpus.join("a.txt"), good_decision()).unwrap();
        // `sub/back -> ..` is the corpus itself: inside, not followed (it would loop).
        symlink("..", corpus.join("sub/back")).unwrap();
        // `sub/top -> ../..` leaves the corpus: refused.
        symlink("../..", corpus.join("sub/top")).unwrap();
        let t = Instant::now();
        let (files, errors) = collect_files(&[corpus.clone(), corpus.join("sub/../a.txt")]);
        assert!(t.elapsed() < Duration::from_secs(1));
        let canon = std::fs::canonicalize(&corpus).unwrap();
        // `corpus/sub/../a.txt` is `corpus/a.txt`: one file, keyed by its canonical path.
        assert_eq!(files, vec![canon.join("a.txt")]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            matches!(&errors[0], IngestError::OutsideFolder { path, .. } if path.ends_with("sub/top")),
            "{errors:?}"
        );
        // A `..` path to nothing: an error naming the path as given.
        let (files, errors) = collect_files(&[corpus.join("sub/../../nowhere/x.txt")]);
        assert!(files.is_empty());
        assert!(
            matches!(&errors[0], IngestError::Io { path, .. } if path.ends_with("nowhere/x.txt")),
            "{errors:?}"
        );
        assert!(errors[0].to_string().contains("sub/../../nowhere/x.txt"));
    }
}

#[test]
fn a_rule_file_with_every_kind_of_error() {
    use rasoat::rules::lang::{parse_file, ErrorKind};
    let text = "\
# One rule per kind of error.
rule broken.syntax — kind expired
  for each document
  say \"x

rule unknown.field — kind expired, severity high
  for each document
  where its status on the review date is expired
  say \"{document} {colour}\"
  law \"y\"

rule unknown.condition — kind expired, severity high
  for each document
  where it is painted blue
  say \"{document}\"
  law \"y\"

rule type.error — kind expired, severity high
  for each document
  where its status on the review date is purple
  say \"{document}\"
  law \"y\"

rule missing.say — kind expired, severity high
  for each document
  where its status on the review date is expired
  law \"y\"
";
    let t = Instant::now();
    let (rules, errors) = parse_file("rules/broken.rule", text);
    assert!(t.elapsed() < Duration::from_secs(1));
    let kinds: Vec<ErrorKind> = errors.iter().map(|e| e.kind).collect();
    for k in [
        ErrorKind::Syntax,
        ErrorKind::UnknownField,
        ErrorKind::UnknownCondition,
        ErrorKind::TypeError,
        ErrorKind::Missing,
    ] {
        assert!(kinds.contains(&k), "no {k:?} among {errors:#?}");
    }
    assert!(rules.is_empty(), "{rules:?}");
    let lines: Vec<&str> = text.lines().collect();
    for e in &errors {
        assert_eq!(e.file, "rules/broken.rule");
        let l = lines[e.span.line - 1];
        assert!(
            e.span.column >= 1 && e.span.column <= l.chars().count() + 1,
            "{e}"
        );
        assert!(
            e.to_string().contains(&format!(
                "rules/broken.rule:{}:{}",
                e.span.line, e.span.column
            )),
            "{e}"
        );
    }

    // The binary: every error reported with file:line:column, exit 1, nothing served.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.rule"), text).unwrap();
    let data = tempfile::tempdir().unwrap();
    let run = run_measured(&[
        "--data".as_ref(),
        data.path().as_os_str(),
        "check".as_ref(),
        "--rules".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.elapsed < Duration::from_secs(5));
    for e in &errors {
        assert!(
            run.stderr
                .contains(&format!(":{}:{}", e.span.line, e.span.column)),
            "{}",
            run.stderr
        );
    }
}
