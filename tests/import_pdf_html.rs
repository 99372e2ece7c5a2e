//! PDF, HTML and Word 97 `.doc` import end to end, through the real binary, and the validity
//! facts of the national database's pages through ingest and `rasoat status`.
//!
//! Fixtures: `tests/fixtures/import/qd27.pdf`, `qd27-scan.pdf` and `qd27.doc`, written by
//! `make_pdf.sh` there from `qd27.docx`; `vbpl_thuoctinh_51-2001-QH10.html`, an attribute page
//! reduced to the parts rasoat reads. The nine real pages of the national database are read
//! from `../shared/corpus-real/vbpl-html/` (skipped with a note when that folder is absent).
//!
//! Tests that need an outside program (pdftotext, tesseract, soffice) check the real result
//! when it is installed, and the clear error when it is hidden (`RASOAT_PDFTOTEXT`,
//! `RASOAT_TESSERACT`, `RASOAT_SOFFICE` set to `none`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rasoat::import::{import_file, ImportOptions, SourceFormat};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rasoat"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/import").join(name)
}

fn vbpl(name: &str) -> Option<PathBuf> {
    let p = root().join("../shared/corpus-real/vbpl-html").join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} is not here", p.display());
        None
    }
}

fn installed(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(program).is_file()))
}

fn tesseract_vie() -> bool {
    installed("tesseract")
        && Command::new("tesseract")
            .arg("--list-langs")
            .output()
            .is_ok_and(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l.trim() == "vie")
            })
}

const ORIGINAL: &str = "corpus/2021-09-10_27-2021-QD-UBND.txt";

fn parse(path: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = bin();
    c.args(["parse", "--format", "json"]).arg(path);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run rasoat")
}

fn parse_json(path: &Path, env: &[(&str, &str)]) -> (serde_json::Value, String) {
    let out = parse(path, env);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{}: {stderr}", path.display());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let v = match v {
        serde_json::Value::Array(mut a) => a.remove(0),
        v => v,
    };
    (v, stderr)
}

/// Every provision as "path | heading | text", texts through the project's inline
/// normalisation.
fn provisions(d: &serde_json::Value) -> Vec<String> {
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
    let mut out = Vec::new();
    for p in d["provisions"].as_array().into_iter().flatten() {
        walk(p, &mut out);
    }
    out
}

fn articles(d: &serde_json::Value) -> usize {
    fn walk(p: &serde_json::Value) -> usize {
        usize::from(p["kind"] == "article")
            + p["children"]
                .as_array()
                .into_iter()
                .flatten()
                .map(walk)
                .sum::<usize>()
    }
    d["provisions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(walk)
        .sum()
}

// ---------------------------------------------------------------------------------------------
// PDF

#[test]
fn pdf_parses_to_the_same_document_as_the_text_original() {
    let (want, _) = parse_json(&root().join(ORIGINAL), &[]);
    let (got, stderr) = parse_json(&fixture("qd27.pdf"), &[]);
    for key in ["id", "doc_type", "issuer", "issued", "effective_from"] {
        assert_eq!(want[key], got[key], "{key}");
    }
    let (w, g) = (provisions(&want), provisions(&got));
    assert!(w.len() > 15, "the original has its provisions: {w:#?}");
    if installed("pdftotext") {
        // The running header, the page numbers and the footnote are gone.
        assert_eq!(w, g);
        assert!(
            stderr.contains("running header, footer or page-number lines dropped"),
            "{stderr}"
        );
    } else {
        // The built-in reader: the same document, and a warning saying how to do better.
        assert_eq!(got["id"], "27/2021/QĐ-UBND");
        assert!(stderr.contains("install poppler-utils"), "{stderr}");
    }
}

#[test]
fn pdf_without_pdftotext_reads_in_process() {
    let (got, stderr) = parse_json(&fixture("qd27.pdf"), &[("RASOAT_PDFTOTEXT", "none")]);
    assert_eq!(got["id"], "27/2021/QĐ-UBND");
    assert_eq!(articles(&got), 5);
    assert!(
        stderr.contains("pdftotext (poppler-utils) is not installed"),
        "{stderr}"
    );
}

#[test]
fn scan_without_tesseract_is_a_clear_error() {
    let out = parse(&fixture("qd27-scan.pdf"), &[("RASOAT_TESSERACT", "none")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("qd27-scan.pdf: scanned PDF without a text layer (2 pages); install tesseract-ocr and tesseract-ocr-vie to OCR it"),
        "{stderr}"
    );
}

#[test]
fn scan_is_ocrd_when_tesseract_is_installed() {
    if !(tesseract_vie() && installed("pdftoppm")) {
        // Without them, the same file must give the clear error (nothing skipped silently).
        let out = parse(&fixture("qd27-scan.pdf"), &[]);
        assert!(String::from_utf8_lossy(&out.stderr).contains("install tesseract-ocr"));
        return;
    }
    let (want, _) = parse_json(&root().join(ORIGINAL), &[]);
    let (got, stderr) = parse_json(&fixture("qd27-scan.pdf"), &[]);
    assert!(
        stderr.contains("2 pages read by OCR (tesseract, vie)"),
        "{stderr}"
    );
    let imported = import_file(&fixture("qd27-scan.pdf"), &ImportOptions::default()).unwrap();
    assert_eq!(imported.format, SourceFormat::PdfOcr);
    // OCR is not exact: every provision must be found by its path, and most texts must be
    // recovered exactly (measured: see the project's notes).
    let paths = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|l| l.split(" | ").next().unwrap_or("").to_string())
            .collect()
    };
    for key in [
        "id",
        "doc_type",
        "issuer",
        "issued",
        "effective_from",
        "effective_until",
    ] {
        assert_eq!(want[key], got[key], "{key}");
    }
    let (w, g) = (provisions(&want), provisions(&got));
    assert_eq!(paths(&w), paths(&g));
    let exact = w.iter().filter(|l| g.contains(l)).count();
    eprintln!("OCR: {exact} of {} provisions exact", w.len());
    assert!(
        exact * 2 >= w.len(),
        "{exact} of {} provisions exact",
        w.len()
    );
}

#[test]
fn broken_pdfs_are_typed_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(fixture("qd27.pdf")).unwrap();
    let truncated = dir.path().join("truncated.pdf");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let not_pdf = dir.path().join("letter.pdf");
    std::fs::write(&not_pdf, "Kính gửi: Ủy ban nhân dân huyện").unwrap();
    for (p, want) in [
        (&truncated, "truncated.pdf: truncated PDF"),
        (&not_pdf, "letter.pdf: not a PDF file"),
    ] {
        let out = parse(p, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(want), "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------------
// Word 97

#[test]
fn doc_is_converted_by_libreoffice_or_refused_clearly() {
    let out = parse(&fixture("qd27.doc"), &[("RASOAT_SOFFICE", "none")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("install LibreOffice (soffice) to import .doc, or save the file as .docx"),
        "{stderr}"
    );
    if !installed("soffice") {
        return;
    }
    let (want, _) = parse_json(&root().join(ORIGINAL), &[]);
    let (got, stderr) = parse_json(&fixture("qd27.doc"), &[]);
    assert!(
        stderr.contains("converted to .docx by LibreOffice"),
        "{stderr}"
    );
    for key in ["id", "doc_type", "issuer", "issued"] {
        assert_eq!(want[key], got[key], "{key}");
    }
    assert_eq!(articles(&got), articles(&want));
}

// ---------------------------------------------------------------------------------------------
// HTML: the national database's pages

#[test]
fn vbpl_full_texts_parse() {
    // (page, id, type, issued, articles). The two constitutions are "Số: Không số": their
    // ids are made of their type and date of issue.
    let cases = [
        (
            "vbpl_v3.html",
            "101/2015/QH13",
            "Bộ luật",
            "2015-11-27",
            510,
        ),
        (
            "vbpl_v2.html",
            "Hiến-pháp-28/11/2013",
            "Hiến pháp",
            "2013-11-28",
            120,
        ),
        (
            "vbpl_v1.html",
            "Hiến-pháp-25/12/2001",
            "Hiến pháp",
            "2001-12-25",
            147,
        ),
    ];
    for (page, id, doc_type, issued, n) in cases {
        let Some(p) = vbpl(page) else { return };
        let (d, _) = parse_json(&p, &[]);
        assert_eq!(d["id"], id, "{page}");
        assert_eq!(d["doc_type"], doc_type, "{page}");
        let errors: Vec<&serde_json::Value> = d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{page}: {errors:?}");
        assert_eq!(d["issuer"], "Quốc hội", "{page}");
        assert_eq!(d["issued"], issued, "{page}");
        assert_eq!(articles(&d), n, "{page}");
        let text = import_file(&p, &ImportOptions::default()).unwrap().text;
        for chrome in [
            "Trang chủ",
            "Đăng nhập",
            "Tìm kiếm",
            "CSDL Trung ương",
            "Gửi phản hồi",
        ] {
            assert!(!text.contains(chrome), "{page}: {chrome}");
        }
    }
}

#[test]
fn vbpl_status_bar_over_a_full_text_is_kept_as_facts() {
    let Some(p) = vbpl("vbpl_v1.html") else {
        return;
    };
    let imported = import_file(&p, &ImportOptions::default()).unwrap();
    let f = &imported.facts[0];
    assert_eq!(f.status.as_deref(), Some("Hết hiệu lực toàn bộ"));
    assert_eq!(
        f.in_force_from.map(|d| d.to_string()).as_deref(),
        Some("2002-01-07")
    );
    // The page's "Ngày hết hiệu lực: 01/01/2014" is the first day without effect.
    assert_eq!(
        f.in_force_until.map(|d| d.to_string()).as_deref(),
        Some("2013-12-31")
    );
    assert_eq!(f.source, "vbpl toàn văn page: vbpl_v1.html");
}

#[test]
fn vbpl_attribute_and_diagram_pages_give_facts_only() {
    let Some(p) = vbpl("vbpl_thuoctinh.html") else {
        return;
    };
    let i = import_file(&p, &ImportOptions::default()).unwrap();
    assert!(i.text.is_empty());
    let f = &i.facts[0];
    assert_eq!(f.document, "101/2015/QH13");
    assert_eq!(f.status.as_deref(), Some("Còn hiệu lực"));
    assert_eq!(
        f.in_force_from.map(|d| d.to_string()).as_deref(),
        Some("2018-01-01")
    );
    assert_eq!(f.in_force_until, None);
    assert_eq!(f.source, "vbpl thuộc tính page: vbpl_thuoctinh.html");

    // The 2013 Constitution's attribute page: "Số ký hiệu: Không số", so its facts are filed
    // under the id the parser gives its text (vbpl_v2.html), from type and date of issue.
    let Some(p) = vbpl("vbpl_thuoctinh_2.html") else {
        return;
    };
    let f = import_file(&p, &ImportOptions::default())
        .unwrap()
        .facts
        .remove(0);
    assert_eq!(f.document, "Hiến-pháp-28/11/2013");
    assert_eq!(
        f.in_force_from.map(|d| d.to_string()).as_deref(),
        Some("2014-01-01")
    );
    if let Some(v2) = vbpl("vbpl_v2.html") {
        let (d, _) = parse_json(&v2, &[]);
        assert_eq!(d["id"], f.document.as_str());
    }

    let Some(p) = vbpl("vbpl_luocdo_phaply.html") else {
        return;
    };
    let i = import_file(&p, &ImportOptions::default()).unwrap();
    let f = &i.facts[0];
    assert!(i.text.is_empty());
    // "Hiến pháp Không số" and no date of issue: nothing to file the facts under.
    assert_eq!(f.document, "");
    assert_eq!(f.source, "vbpl lược đồ page: vbpl_luocdo_phaply.html");
    let detailing: Vec<&str> = f
        .relations
        .iter()
        .filter(|(r, _)| r == "Văn bản HD, QĐ chi tiết")
        .map(|(_, n)| n.as_str())
        .collect();
    assert!(detailing.contains(&"42/2017/QH14"), "{:?}", f.relations);
    assert!(detailing.contains(&"18/2013/L-CTN"), "{:?}", f.relations);

    let Some(p) = vbpl("vbpl_luocdo_hopnhat.html") else {
        return;
    };
    let f = import_file(&p, &ImportOptions::default())
        .unwrap()
        .facts
        .remove(0);
    let consolidated: Vec<&str> = f.relations.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        consolidated,
        ["15/2012/QH13", "54/2014/QH13", "18/2017/QH14"]
    );
}

#[test]
fn vbpl_listings_are_not_documents() {
    for (page, kind) in [
        ("vbpl_search.html", "not a document page: search results"),
        (
            "vbpl_related_doc.html",
            "not a document page: related documents list",
        ),
    ] {
        let Some(p) = vbpl(page) else { return };
        let out = parse(&p, &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(&format!("{page}: {kind}")), "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------------
// Facts through the store and the timeline

fn run(data: &Path, args: &[&str]) -> (bool, String, String) {
    let out = bin()
        .arg("--data")
        .arg(data)
        .args(args)
        .current_dir(data)
        .output()
        .expect("run rasoat");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn attribute_page_facts_give_the_status_with_the_page_as_reason() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let page = data.join("vbpl_thuoctinh_51-2001-QH10.html");
    std::fs::copy(fixture("vbpl_thuoctinh_51-2001-QH10.html"), &page).unwrap();
    let (ok, _, err) = run(data, &["ingest", page.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        err.contains("validity facts of 51/2001/QH10 stored"),
        "{err}"
    );

    let (ok, out, err) = run(data, &["status", "51/2001/QH10", "--as-of", "2010-01-01"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("in_force (còn hiệu lực) since 2002-01-07"),
        "{out}"
    );
    let (ok, out, err) = run(data, &["status", "51/2001/QH10", "--as-of", "2015-01-01"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("expired (hết hiệu lực toàn bộ) since 2014-01-01"),
        "{out}"
    );
    assert!(
        out.contains("căn cứ: vbpl thuộc tính page: vbpl_thuoctinh_51-2001-QH10.html"),
        "{out}"
    );
    // The last day in force is the day before the page's "Ngày hết hiệu lực".
    let (_, out, _) = run(data, &["status", "51/2001/QH10", "--as-of", "2013-12-31"]);
    assert!(out.contains("in_force"), "{out}");

    // Ingesting the page again after a change replaces its facts.
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("01/01/2014", "01/07/2016");
    std::fs::write(&page, text).unwrap();
    let (ok, _, err) = run(data, &["ingest", page.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (_, out, _) = run(data, &["status", "51/2001/QH10", "--as-of", "2015-01-01"]);
    assert!(out.contains("in_force"), "{out}");
}

#[test]
fn the_registry_wins_over_an_imported_fact() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let page = data.join("vbpl_thuoctinh_51-2001-QH10.html");
    std::fs::copy(fixture("vbpl_thuoctinh_51-2001-QH10.html"), &page).unwrap();
    let rules = data.join("rules");
    std::fs::create_dir(&rules).unwrap();
    // The jurist knows the end (a different one, to tell them apart), not the start.
    let registry = "[[document]]\nid = \"51/2001/QH10\"\ntype = \"Nghị quyết\"\nname = \"Sửa đổi Hiến pháp 1992\"\n\
         issuer = \"Quốc hội\"\nissued = { value = \"2001-12-25\", source = \"jurist\" }\n\
         in_force_from = { value = \"unknown\", source = \"jurist\" }\n\
         in_force_until = { value = \"2012-12-31\", source = \"jurist's check\" }\n";
    std::fs::write(rules.join("registry.toml"), registry).unwrap();
    let rules_arg = rules.to_str().unwrap().to_string();
    let (ok, _, err) = run(data, &["ingest", page.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(
        data,
        &[
            "status",
            "51/2001/QH10",
            "--as-of",
            "2013-06-01",
            "--rules",
            &rules_arg,
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("since 2013-01-01"),
        "the registry's end: {out}"
    );
    assert!(
        out.contains("rules/registry.toml (jurist's check)"),
        "{out}"
    );
    // The start the registry leaves unknown comes from the page.
    let (_, out, _) = run(
        data,
        &[
            "status",
            "51/2001/QH10",
            "--as-of",
            "2005-01-01",
            "--rules",
            &rules_arg,
        ],
    );
    assert!(
        out.contains("in_force (còn hiệu lực) since 2002-01-07"),
        "{out}"
    );
}

#[test]
fn the_end_a_full_text_page_states_applies_to_the_stored_text() {
    let Some(p) = vbpl("vbpl_v1.html") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let (ok, _, err) = run(data, &["ingest", p.to_str().unwrap()]);
    assert!(ok, "{err}");
    // The 1992 Constitution as amended in 2001: "Số: Không số", named by type and date.
    let id = "Hiến-pháp-25/12/2001";
    let (ok, out, err) = run(data, &["status", id, "--as-of", "2013-12-31"]);
    assert!(ok, "{err}");
    assert!(out.contains("in_force"), "{out}");
    let (ok, out, err) = run(data, &["status", id, "--as-of", "2015-01-01"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("expired (hết hiệu lực toàn bộ) since 2014-01-01"),
        "{out}"
    );
    assert!(
        out.contains("căn cứ: vbpl toàn văn page: vbpl_v1.html"),
        "{out}"
    );
}

#[test]
fn a_numberless_constitution_is_the_registry_entry_that_names_it() {
    let (Some(v1), Some(v2)) = (vbpl("vbpl_v1.html"), vbpl("vbpl_v2.html")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let status = |as_of: &str| {
        let (ok, out, err) = run(data, &["status", "51/2001/QH10", "--as-of", as_of]);
        assert!(ok, "{err}");
        out
    };
    // Before the page: the registry names the document but leaves its days in force unknown.
    let (ok, _, err) = run(data, &["ingest", v2.to_str().unwrap()]);
    assert!(ok, "{err}");
    let out = status("2010-01-01");
    assert!(
        out.contains("in_force (còn hiệu lực)") && !out.contains("since 2002-01-07"),
        "{out}"
    );

    // The two "Không số" Constitutions are two documents, not one replacing the other.
    let (ok, out, err) = run(data, &["ingest", v1.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("2 documents in the store"), "{out}");
    assert!(
        !err.contains("replac") && !out.contains("replac"),
        "{out}{err}"
    );
    let (ok, out, err) = run(data, &["status", "--as-of", "2015-01-01"]);
    assert!(ok, "{err}");
    let ids: Vec<&str> = out.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(
        ids,
        ["Hiến-pháp-25/12/2001", "Hiến-pháp-28/11/2013"],
        "{out}"
    );
    // The stored 2001 text takes the days its page states, through the registry entry.
    assert!(
        out.contains("Hiến-pháp-25/12/2001\texpired (hết hiệu lực toàn bộ)\t2014-01-01"),
        "{out}"
    );

    // The page's status bar, stated over a text without a number, reaches 51/2001/QH10.
    let out = status("2010-01-01");
    assert!(
        out.contains("in_force (còn hiệu lực) since 2002-01-07"),
        "{out}"
    );
    let out = status("2015-01-01");
    assert!(
        out.contains("expired (hết hiệu lực toàn bộ) since 2014-01-01"),
        "{out}"
    );
    assert!(
        out.contains("căn cứ: vbpl toàn văn page: vbpl_v1.html"),
        "{out}"
    );

    // Ingesting both again changes nothing: same ids, same answers.
    let (ok, out, err) = run(
        data,
        &["ingest", v1.to_str().unwrap(), v2.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert!(out.contains("0 ingested, 2 unchanged"), "{out}");
    assert!(status("2015-01-01").contains("since 2014-01-01"));
}

#[test]
fn pdf_page_limit_is_enforced() {
    let mut opts = ImportOptions::default();
    opts.limits.max_pdf_pages = 1;
    let e = import_file(&fixture("qd27.pdf"), &opts).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("qd27.pdf: PDF has 2 pages, over the limit of 1"),
        "{e}"
    );
}
