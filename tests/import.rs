//! Importing files end to end, through the real binary: every format and encoding of one
//! document parses to the same document as its UTF-8 original, and broken or hostile files
//! are refused with an error naming the file while the rest of a folder goes on.
//!
//! Fixtures: `tests/fixtures/import/`, written by `make_fixtures.py` there from
//! `corpus/2021-09-10_27-2021-QD-UBND.txt`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rasoat"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(name)
}

const ORIGINAL: &str = "corpus/2021-09-10_27-2021-QD-UBND.txt";

fn parse(path: &Path, extra: &[&str]) -> Output {
    bin()
        .args(["parse", "--format", "json"])
        .args(extra)
        .arg(path)
        .output()
        .expect("run rasoat")
}

fn parse_json(path: &Path, extra: &[&str]) -> (serde_json::Value, String) {
    let out = parse(path, extra);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{}: {stderr}", path.display());
    (serde_json::from_slice(&out.stdout).expect("JSON"), stderr)
}

/// What must agree between two readings of one document: the header facts and every
/// provision's path, heading and text (after the project's inline normalisation).
fn summary(d: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in [
        "id",
        "doc_type",
        "issuer",
        "issued",
        "title",
        "effective_from",
        "effective_until",
    ] {
        out.push(format!("{key}: {}", d[key]));
    }
    out.push(format!("signer: {}", d["signer"]["name"]));
    out.push(format!(
        "bases: {}",
        d["bases"].as_array().map_or(0, |b| b.len())
    ));
    fn walk(p: &serde_json::Value, out: &mut Vec<String>) {
        let norm = |v: &serde_json::Value| rasoat::text::normalize_inline(v.as_str().unwrap_or(""));
        out.push(format!(
            "{} | {} | {}",
            p["path"].as_str().unwrap_or(""),
            norm(&p["heading"]),
            norm(&p["text"])
        ));
        for c in p["children"].as_array().into_iter().flatten() {
            walk(c, out);
        }
    }
    for p in d["provisions"].as_array().into_iter().flatten() {
        walk(p, &mut out);
    }
    out
}

fn assert_same_document(name: &str, extra: &[&str]) -> String {
    let (want, _) = parse_json(&root().join(ORIGINAL), &[]);
    let (got, stderr) = parse_json(&fixture(name), extra);
    let (want, got) = (summary(&want), summary(&got));
    assert!(
        want.len() > 15,
        "the original has its provisions: {want:#?}"
    );
    for (w, g) in want.iter().zip(&got) {
        assert_eq!(w, g, "{name}");
    }
    assert_eq!(want.len(), got.len(), "{name}: {got:#?}");
    stderr
}

// ---------------------------------------------------------------------------------------------
// Plain text in every encoding and Word files (`.docx`, Unicode and legacy fonts).

#[test]
fn utf16_with_and_without_bom() {
    assert_same_document("qd27-utf16le-bom.txt", &[]);
    let stderr = assert_same_document("qd27-utf16be.txt", &[]);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn windows_1258_is_detected() {
    let stderr = assert_same_document("qd27-cp1258.txt", &[]);
    assert!(
        stderr.contains("read as Windows-1258, confidence"),
        "{stderr}"
    );
}

#[test]
fn tcvn3_text_is_detected() {
    let stderr = assert_same_document("qd27-tcvn3.txt", &[]);
    assert!(
        stderr.contains("qd27-tcvn3.txt: read as TCVN3, confidence"),
        "{stderr}"
    );
}

#[test]
fn vni_text_is_detected() {
    let stderr = assert_same_document("qd27-vni.txt", &[]);
    assert!(stderr.contains("read as VNI, confidence"), "{stderr}");
}

#[test]
fn forced_encoding_reads_without_detection() {
    let stderr = assert_same_document("qd27-vni.txt", &["--encoding", "vni"]);
    assert!(!stderr.contains("read as"), "{stderr}");
}

#[test]
fn docx_with_word_numbering() {
    let stderr = assert_same_document("qd27.docx", &[]);
    assert!(stderr.contains("page headers and footers"), "{stderr}");
    assert!(
        stderr.contains("1 footnotes or endnotes left out"),
        "{stderr}"
    );
    // The footnote and the page header are not in the text.
    let out = bin()
        .args(["parse", "--normalized"])
        .arg(fixture("qd27.docx"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Đã được sửa đổi"), "{text}");
    assert!(!text.contains("CÔNG BÁO"), "{text}");
    assert!(
        text.contains("\n1. Giá tối đa được quy định như sau:\na) Hộ gia đình"),
        "{text}"
    );
    assert!(text.contains("\nĐiều 5. Trách nhiệm thi hành\n"), "{text}");
}

#[test]
fn docx_in_tcvn3_fonts() {
    let stderr = assert_same_document("qd27-vntime.docx", &[]);
    assert!(
        stderr.contains("TCVN3 fonts (.VnTime, .VnTimeH) converted"),
        "{stderr}"
    );
}

#[test]
fn docx_in_vni_fonts() {
    let stderr = assert_same_document("qd27-vni.docx", &[]);
    assert!(
        stderr.contains("VNI fonts (VNI-Times) converted"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// Broken and hostile files.

fn expect_error(path: &Path, needle: &str) {
    let out = parse(path, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{}: should fail", path.display());
    assert!(
        stderr.contains(&path.display().to_string()),
        "names the file: {stderr}"
    );
    assert!(stderr.contains(needle), "{needle:?} in {stderr}");
}

#[test]
fn zip_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.docx");
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("word/document.xml", opts).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..200 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 2 << 20, "compressed to {} bytes", bytes.len());
    std::fs::write(&path, bytes).unwrap();
    expect_error(&path, "zip bomb: word/document.xml inflates past the limit");
}

#[test]
fn truncated_docx_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("qd27.docx")).unwrap();
    let path = dir.path().join("cut.docx");
    std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
    expect_error(&path, "truncated or corrupt .docx");
}

#[test]
fn pdf_named_docx_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.docx");
    std::fs::write(
        &path,
        b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
    )
    .unwrap();
    expect_error(&path, "this is a PDF named .docx");
}

#[test]
fn undetermined_encoding_is_refused_and_can_be_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("short.txt");
    // "Số 5 ngày" in TCVN3: too little text to tell the legacy encodings apart.
    std::fs::write(&path, b"S\xe8 5 ng\xb5y\n").unwrap();
    expect_error(&path, "cannot tell the encoding: ");
    let out = parse(&path, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tcvn3 0."), "{stderr}");
    assert!(
        stderr.contains("force one with --encoding NAME"),
        "{stderr}"
    );
    let out = bin()
        .args(["parse", "--normalized", "--encoding", "tcvn3"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Số 5 ngày");
}

#[test]
fn unknown_encoding_name_is_a_usage_error() {
    let out = bin()
        .args(["parse", "--encoding", "latin-9"])
        .arg(fixture("qd27-vni.txt"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown encoding `latin-9`"), "{stderr}");
}

#[test]
fn forced_encoding_that_cannot_decode_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    std::fs::write(&path, b"Quy \xae\xdenh\nng\xb5y \x81\n").unwrap();
    let out = parse(&path, &["--encoding", "tcvn3"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!(
            "{}:2:6: byte 14 (0x81) cannot be read as tcvn3",
            path.display()
        )),
        "{stderr}"
    );
}

#[test]
fn ingest_of_a_folder_with_a_bad_file_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::copy(fixture("qd27-vntime.docx"), docs.join("a-qd27.docx")).unwrap();
    // Another document, as UTF-16 LE with a BOM.
    let other =
        std::fs::read_to_string(root().join("corpus/2018-06-08_13-2018-QD-UBND.txt")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(other.encode_utf16().flat_map(|u| u.to_le_bytes()));
    std::fs::write(docs.join("b-qd13.txt"), utf16).unwrap();
    std::fs::write(docs.join("c-broken.docx"), b"%PDF-1.4\n%%EOF\n").unwrap();
    let data = dir.path().join("data");
    let out = bin()
        .arg("--data")
        .arg(&data)
        .args(["ingest", "--format", "json"])
        .arg(&docs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("c-broken.docx: this is a PDF named .docx"),
        "{stderr}"
    );
    let sum: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(sum["files"], 3);
    assert_eq!(sum["ingested"], 2);
    assert_eq!(sum["failed"], 1);
    assert_eq!(sum["documents"], 2);
}
