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

// ---------------------------------------------------------------------------------------------
// Measurements: detection over real texts, `.docx` throughput.

/// Real texts (the first 50 files of `../shared/corpus-real/tvpl-2025`, sorted by name),
/// each converted in memory to five encodings and detected. Prints the counts; a wrong
/// detection fails the test (a refusal does not: it asks the reviewer for `--encoding`).
#[test]
fn detection_on_real_texts() {
    use rasoat::import::encoding::{detect, Encoding};
    use rasoat::import::legacy_fonts::{unicode_to_tcvn3, unicode_to_vni, unicode_to_windows_1258};
    let dir = root().join("../shared/corpus-real/tvpl-2025");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} not found", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.truncate(50);
    // Characters the legacy encodings cannot write become '?', as a conversion tool does.
    let encodable = |s: &str, f: &dyn Fn(&str) -> bool| -> String {
        let mut known = std::collections::HashMap::new();
        s.chars()
            .map(|c| {
                if *known.entry(c).or_insert_with(|| f(&c.to_string())) {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    };
    let mut right = std::collections::BTreeMap::<&str, usize>::new();
    let mut refused = std::collections::BTreeMap::<&str, usize>::new();
    let mut wrong = Vec::new();
    let mut confidences: Vec<(Encoding, f32)> = Vec::new();
    let mut timing = std::collections::BTreeMap::<&str, f64>::new();
    let mut sizes = std::collections::BTreeMap::<&str, usize>::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let cases: Vec<(Encoding, Vec<u8>)> = vec![
            (
                Encoding::Tcvn3,
                unicode_to_tcvn3(
                    &encodable(&text, &|c| unicode_to_tcvn3(c, true).is_ok()),
                    true,
                )
                .unwrap(),
            ),
            (
                Encoding::Vni,
                unicode_to_vni(&encodable(&text, &|c| unicode_to_vni(c).is_ok())).unwrap(),
            ),
            (
                Encoding::Windows1258,
                unicode_to_windows_1258(&encodable(&text, &|c| unicode_to_windows_1258(c).is_ok()))
                    .unwrap(),
            ),
            (
                Encoding::Utf16le,
                text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
            ),
            (
                Encoding::Utf16be,
                text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect(),
            ),
        ];
        for (enc, bytes) in cases {
            let t = std::time::Instant::now();
            let result = detect(&bytes);
            *timing.entry(enc.name()).or_default() += t.elapsed().as_secs_f64();
            *sizes.entry(enc.name()).or_default() += bytes.len();
            match result {
                Ok(d) if d.encoding == enc => {
                    *right.entry(enc.name()).or_default() += 1;
                    confidences.push((enc, d.confidence));
                }
                Ok(d) => wrong.push(format!("{}: {enc} read as {}", f.display(), d.encoding)),
                Err(e) => {
                    *refused.entry(enc.name()).or_default() += 1;
                    eprintln!("refused {} as {enc}: {e}", f.display());
                }
            }
        }
    }
    for enc in ["tcvn3", "vni", "windows-1258", "utf-16le", "utf-16be"] {
        let c: Vec<f32> = confidences
            .iter()
            .filter(|(e, _)| e.name() == enc)
            .map(|(_, c)| *c)
            .collect();
        let min = c.iter().copied().fold(f32::INFINITY, f32::min);
        let mean = c.iter().sum::<f32>() / c.len().max(1) as f32;
        eprintln!(
            "{enc}: {} files, {} right, {} refused, confidence min {min:.3} mean {mean:.3}; \
             detection {:.1} MB/s",
            files.len(),
            right.get(enc).copied().unwrap_or(0),
            refused.get(enc).copied().unwrap_or(0),
            sizes.get(enc).copied().unwrap_or(0) as f64
                / timing.get(enc).copied().unwrap_or(1.0)
                / 1e6,
        );
    }
    // Short snippets (the first 80 and 300 characters, from the first line with a Vietnamese
    // letter): refusals are expected, wrong readings are not.
    for len in [80, 300] {
        let (mut s_right, mut s_refused) = (0, 0);
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            let start = text
                .char_indices()
                .find(|(_, c)| !c.is_ascii())
                .map_or(0, |(i, _)| text[..i].rfind('\n').map_or(0, |n| n + 1));
            let snippet: String = text[start..].chars().take(len).collect();
            let snippet: String = snippet
                .chars()
                .map(|c| {
                    if unicode_to_vni(&c.to_string()).is_ok()
                        && unicode_to_tcvn3(&c.to_string(), true).is_ok()
                        && unicode_to_windows_1258(&c.to_string()).is_ok()
                    {
                        c
                    } else {
                        '?'
                    }
                })
                .collect();
            for (enc, bytes) in [
                (Encoding::Tcvn3, unicode_to_tcvn3(&snippet, true).unwrap()),
                (Encoding::Vni, unicode_to_vni(&snippet).unwrap()),
                (
                    Encoding::Windows1258,
                    unicode_to_windows_1258(&snippet).unwrap(),
                ),
            ] {
                match detect(&bytes) {
                    Ok(d) if d.encoding == enc => s_right += 1,
                    Ok(d) => wrong.push(format!(
                        "{} (300 chars): {enc} read as {}",
                        f.display(),
                        d.encoding
                    )),
                    Err(_) => s_refused += 1,
                }
            }
        }
        eprintln!(
        "{len}-character snippets: {} × 3 legacy encodings: {s_right} right, {s_refused} refused",
        files.len()
    );
    }
    assert!(wrong.is_empty(), "wrong detections: {wrong:#?}");
    assert!(files.len() >= 50, "{} files", files.len());
}

/// `.docx` import speed: the fixture as it is, and its body repeated to about 5 MB of XML.
/// Run in release: `cargo test --release --test import -- --ignored --nocapture docx_speed`.
#[test]
#[ignore = "a measurement; run in release"]
fn docx_speed() {
    use rasoat::import::{import_bytes, ImportOptions};
    let opts = ImportOptions::default();
    for name in ["qd27.docx", "qd27-vntime.docx"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let n = 2000;
        let t = std::time::Instant::now();
        for _ in 0..n {
            import_bytes(Path::new(name), &bytes, &opts).unwrap();
        }
        let s = t.elapsed().as_secs_f64();
        eprintln!(
            "{name}: {} bytes, {n} imports in {s:.3} s: {:.0} files/s, {:.1} MB/s of .docx",
            bytes.len(),
            n as f64 / s,
            (bytes.len() * n) as f64 / s / 1e6
        );
        // One large document: the fixture's body repeated.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut parts = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap();
            parts.push((f.name().to_string(), s));
        }
        let (_, doc) = parts
            .iter_mut()
            .find(|(n, _)| n == "word/document.xml")
            .unwrap();
        let start = doc.find("<w:body>").unwrap() + "<w:body>".len();
        let end = doc.find("<w:sectPr").unwrap();
        let body = doc[start..end].to_string();
        let times = 5_000_000 / body.len();
        doc.replace_range(start..end, &body.repeat(times));
        let xml_len = doc.len();
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (n, s) in &parts {
                z.start_file(n.as_str(), o).unwrap();
                z.write_all(s.as_bytes()).unwrap();
            }
            z.finish().unwrap();
        }
        let big = buf.into_inner();
        let t = std::time::Instant::now();
        let im = import_bytes(Path::new("big.docx"), &big, &opts).unwrap();
        let s = t.elapsed().as_secs_f64();
        eprintln!(
            "{name} x{times}: {} bytes .docx, {xml_len} bytes document.xml, {} chars of text in {s:.3} s: {:.1} MB/s of .docx, {:.1} MB/s of XML",
            big.len(),
            im.text.chars().count(),
            big.len() as f64 / s / 1e6,
            xml_len as f64 / s / 1e6
        );
    }
}

#[test]
fn ingest_and_review_take_an_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = bin()
        .arg("--data")
        .arg(&data)
        .args(["ingest", "--format", "json", "--encoding", "tcvn3"])
        .arg(fixture("qd27-tcvn3.txt"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let sum: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sum["ingested"], 1);
    for cmd in ["parse", "ingest", "review"] {
        let out = bin().args([cmd, "--help"]).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("--encoding <NAME>"), "{cmd}: {help}");
        assert!(help.contains("tcvn3"), "{cmd}: {help}");
    }
}
