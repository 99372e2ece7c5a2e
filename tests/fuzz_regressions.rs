//! Every input a fuzz target (`fuzz/`) found failing, kept as a regression test: the files
//! under `tests/fuzz-regressions/TARGET/` are checked against the same properties the target
//! asserts, plus small hand-made cases of each bug.

use std::path::{Path, PathBuf};

use rasoat::parse::parse_document;
use rasoat::rules::lang::parse_file;
use rasoat::text::{normalize_document, normalize_inline};
use serde_json::Value;
use unicode_normalization::is_nfc;

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)] // the fuzz targets' helpers: not every one is used here
mod props;
use props::{check_rule_file, editor_lines, inside};

fn inputs(target: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            // The targets take `&str`, which libfuzzer-sys makes (through `arbitrary`) from
            // the longest valid UTF-8 prefix of the input.
            let valid = match std::str::from_utf8(&bytes) {
                Ok(s) => s,
                Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap(),
            };
            (p, valid.to_string())
        })
        .collect();
    out.sort();
    out
}

/// The properties of `fuzz/fuzz_targets/normalize.rs`.
fn check_normalize(src: &str) {
    let once = normalize_document(src);
    assert!(is_nfc(&once.text), "not NFC: {:?}", once.text);
    assert_eq!(normalize_document(&once.text).text, once.text);
    let lines = editor_lines(src);
    let mut off = 0;
    for line in once.text.split('\n') {
        let (l, c) = once.line_col(off);
        assert!(inside(&lines, l, c), "{l}:{c} outside the source");
        off += line.len() + 1;
    }
    let inline = normalize_inline(src);
    assert!(is_nfc(&inline));
    assert_eq!(normalize_inline(&inline), inline);
}

fn unplaced(d: &rasoat::model::Document) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("line");
                m.remove("column");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(d).unwrap();
    strip(&mut v);
    v
}

/// The properties of `fuzz/fuzz_targets/parse_document.rs`.
fn check_parse(src: &str) {
    let doc = parse_document("fuzz.txt", src);
    let lines = editor_lines(src);
    for d in &doc.diagnostics {
        assert!(
            inside(&lines, d.line, d.column),
            "{} at {}:{}",
            d.code,
            d.line,
            d.column
        );
    }
    let again = parse_document("fuzz.txt", &normalize_document(src).text);
    assert_eq!(unplaced(&again), unplaced(&doc));
}

#[test]
fn normalize_regressions() {
    for (p, src) in inputs("normalize") {
        eprintln!("{}", p.display());
        check_normalize(&src);
    }
    // Markup between a letter and a combining mark: once the `*` goes, they compose.
    check_normalize("quản l*\u{301}, khai thác");
    // A run of backslashes: escaped backslashes stay, so a second pass changes nothing.
    check_normalize("Quy \\\\\\\\định");
    assert_eq!(normalize_document("quản l*\u{301}").text, "quản \u{13A}");
    // Markup between a letter and a syllable: once it goes, `qỦY` is one syllable whose tone
    // belongs on the `Y`.
    check_normalize("chính q**ỦY BAN NHÂN DÂN**");
    assert_eq!(normalize_document("q**ỦY").text, "qUỶ");
    // A lone dash and a line of two pluses would join into a rule, which a second pass drops.
    check_normalize("!\n-\n++");
    // A page number or a signature placeholder made by joining two lines.
    check_normalize("kinh tế\n-\n3 -\nxã hội");
    check_normalize("Nơi nhận (đã\nký) hết");
    // The banner beyond the first 40 lines, until the reflow shortens the text above it.
    let mut src: String = (0..30)
        .map(|k| format!("dòng {k} của\nvăn bản {k}.\n"))
        .collect();
    src.push_str("Bản dịch này thuộc quyền sở hữu của\nĐiều 3. Thi hành.\n");
    check_normalize(&src);
    assert!(!normalize_document(&src).text.contains("Bản dịch"));
    // Escaped backslashes before a dash stay in the output; counted as pandoc escapes, they
    // made a second pass take the output for pandoc Markdown and join its lines.
    check_normalize("/\n\n/\n\nx \\\\\\- a \\\\\\- b \\\\\\- c");
}

#[test]
fn parse_document_regressions() {
    for (p, src) in inputs("parse_document") {
        eprintln!("{}", p.display());
        check_parse(&src);
    }
    // A place-and-date line whose last four bytes end inside a letter.
    check_parse("Tân Phong, ngày 14 tháng 5 năm 20levelUYẾT ĐỊNH\n");
    // A lone dash line, or an article ending in a dash, joined to a line that reads like a
    // page caption: document text, not a caption, in the file and in its normalised text.
    check_parse(
        "Điều 1. Phạm vi.\n\nĐiều 2. -\n\nNghị định 60/QĐ-nwn 1D do địa phương phát động.\n",
    );
    check_parse("-\n\nNghị định 60/QĐ-nwn 1D do địa phương phát động.\n\nĐiều 3. Trách nhiệm\n");
    // A caption-like line whose issuer (" do …") is after a lone carriage return, which ends
    // the line.
    check_parse("Nghị định 50/QĐ-x 11 arc\rĐộc lập - Tự do - Hạnh phúc\n");
    // Re-toning after markup removal: the re-parsed text reads the same syllable.
    check_parse("Căn cứ Luật Tổ chức chính q**ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG**\n");
}

#[test]
fn rule_file_regressions() {
    for (p, src) in inputs("rule_file") {
        eprintln!("{}", p.display());
        check_rule_file(&src);
    }
    // `for each` followed by no word the rule language reads: the error names that line.
    let src = "rule a.b — kind format, severity low\n  for each 2026-01\n  say \"x\"\n";
    check_rule_file(src);
    let (_, errors) = parse_file("fuzz.rule", src);
    assert!(errors.iter().any(|e| e.span.line == 2), "{errors:?}");
}
