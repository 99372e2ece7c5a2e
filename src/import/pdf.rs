//! `.pdf` files: the text layer in reading order, without running headers, footers and page
//! numbers; scans without a text layer are OCR'd when tesseract is installed.
//!
//! **Text extraction.** Poppler's `pdftotext` (Debian's poppler-utils), run as a subprocess
//! in its default reading-order mode, is used when installed; otherwise lopdf reads the text
//! in-process. Measured on LibreOffice exports of Vietnamese documents (the `qd27` fixture:
//! a two-column header table, Word numbering with a tab after "Điều 1.", a running header,
//! page numbers and a footnote; and the 128-page Bộ luật 101/2015/QH13): `pdftotext` gives
//! the fixture's provisions exactly as the `.txt` original, while lopdf puts every article's
//! title on a line of its own ("Điều 1." / "Phạm vi …") and leaves the footnote inside a
//! clause; on the long code both give the same 510 articles and 2,866 of 2,878 provision texts
//! equal to the text original (the rest are wrapped chapter headings), lopdf in 0.9 s and
//! pdftotext in 1.8 s (two passes). `-layout` puts the header's two columns side by side on
//! one line, and `-raw` joins the number with the date line: the default mode is the one the
//! parser reads best; the layout pass is used only to find footnotes (their vertical place).
//! lopdf is also what checks the file before any subprocess runs: a PDF, not truncated, not
//! encrypted with a password, and within [`super::Limits::max_pdf_pages`]. A panic inside
//! lopdf is caught and reported as a corrupt file.
//!
//! **Clean-up.** Pages are split on form feeds. A line repeated at the top or bottom of most
//! pages (a gazette's running title) is dropped, as are page numbers ("Trang 3/7", "- 3 -",
//! "3/7", a bare number) at the top or bottom of a page. Footnotes (a number alone in the
//! last lines of the page in layout order, whose number the text carries glued to a word:
//! "Hà Lâm.1") are removed with their references. A clause or point marker alone on a
//! line ("1.", "a)", from a tab after the number in the source) is joined to the next line.
//! Hard-wrapped lines inside a paragraph are left to the text normaliser's reflow.
//!
//! **Scans.** A PDF whose pages carry no text (fewer than [`MIN_TEXT_CHARS_PER_PAGE`]
//! non-blank characters per page on average) has no text layer. With `tesseract` and its
//! `vie` data installed, each page is rendered with `pdftoppm` (300 dpi, grey) and read with
//! `tesseract -l vie`; the result says so in a warning and its format is
//! [`SourceFormat::PdfOcr`]. Without them the file is refused with
//! [`PdfError::NoTextLayer`], whose message says what to install: a scan is never skipped
//! silently.
//!
//! **Programs.** `RASOAT_PDFTOTEXT`, `RASOAT_PDFTOPPM` and `RASOAT_TESSERACT` name the
//! programs to run instead of those found on `PATH`; set one to `none` to act as if the
//! program were not installed (tests use this to check both paths).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{ImportOptions, Imported, SourceFormat};

/// Below this many non-blank characters per page on average, a PDF has no usable text layer.
pub const MIN_TEXT_CHARS_PER_PAGE: usize = 20;

/// How long `pdftotext` may run for the whole file, and `pdftoppm` or `tesseract` per page.
const TEXT_TIMEOUT: Duration = Duration::from_secs(120);
const PAGE_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("not a PDF file (no %PDF- header)")]
    NotAPdf,
    #[error("truncated PDF (no %%EOF marker at the end of the file)")]
    Truncated,
    #[error("corrupt PDF: {0}")]
    Corrupt(String),
    #[error("encrypted PDF: it needs a password to be read; save an unprotected copy")]
    Encrypted,
    #[error("the PDF has neither text nor images on its {pages} pages: nothing to read")]
    Empty { pages: usize },
    #[error("PDF has {pages} pages, over the limit of {limit}")]
    TooManyPages { pages: usize, limit: usize },
    #[error(
        "scanned PDF without a text layer ({pages} pages); install tesseract-ocr and tesseract-ocr-vie to OCR it{why}"
    )]
    NoTextLayer { pages: usize, why: String },
    #[error("`{program}` did not finish within {seconds} s")]
    Timeout { program: String, seconds: u64 },
    #[error("`{program}` failed: {message}")]
    Tool { program: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A program to run, from its environment override or `PATH`; `None` when absent or
/// disabled with `none`.
pub fn program(env: &str, name: &str) -> Option<PathBuf> {
    match std::env::var_os(env) {
        Some(v) if v == "none" || v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => find_on_path(name),
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A private temporary folder, removed when dropped.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> std::io::Result<TempDir> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let p = std::env::temp_dir().join(format!(
            "rasoat-{tag}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&p)?;
        Ok(TempDir(p))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs a program with a deadline; returns its standard output. Standard error is kept for
/// the error message.
pub(crate) fn run(mut cmd: Command, timeout: Duration) -> Result<Vec<u8>, PdfError> {
    let program = cmd.get_program().to_string_lossy().to_string();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| PdfError::Tool {
        program: program.clone(),
        message: e.to_string(),
    })?;
    // Read both pipes on threads so that a chatty program cannot block on a full pipe.
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(PdfError::Timeout {
                program,
                seconds: timeout.as_secs(),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    if !status.success() {
        // One line for the report, however many the program wrote.
        let message = String::from_utf8_lossy(&stderr)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(PdfError::Tool {
            program,
            message: if message.is_empty() {
                status.to_string()
            } else {
                message
            },
        });
    }
    Ok(stdout)
}

/// Checks the file with lopdf: a PDF, complete, readable without a password; returns the
/// page count and how many pages carry an image.
fn check(bytes: &[u8]) -> Result<(usize, usize), PdfError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotAPdf);
    }
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(PdfError::Truncated);
    }
    let loaded = std::panic::catch_unwind(|| lopdf::Document::load_mem(bytes));
    let doc = match loaded {
        Err(_) => return Err(PdfError::Corrupt("the PDF reader panicked".to_string())),
        Ok(Err(e)) => {
            let msg = e.to_string();
            if msg.to_lowercase().contains("decrypt") || msg.to_lowercase().contains("password") {
                return Err(PdfError::Encrypted);
            }
            return Err(PdfError::Corrupt(msg));
        }
        Ok(Ok(d)) => d,
    };
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(PdfError::Encrypted);
    }
    let counted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let pages = doc.get_pages();
        let with_images = pages
            .values()
            .filter(|id| doc.get_page_images(**id).is_ok_and(|v| !v.is_empty()))
            .count();
        (pages.len(), with_images)
    }));
    let (pages, with_images) =
        counted.map_err(|_| PdfError::Corrupt("the PDF reader panicked".to_string()))?;
    if pages == 0 {
        return Err(PdfError::Corrupt("no pages".to_string()));
    }
    Ok((pages, with_images))
}

/// Which extractor read the text layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extractor {
    Pdftotext,
    Lopdf,
}

/// The text of each page, by `pdftotext` when installed, else lopdf; with the footnotes
/// found on each page (pdftotext only).
pub fn page_texts(
    bytes: &[u8],
    pages: usize,
) -> Result<(Vec<String>, Vec<Footnotes>, Extractor), PdfError> {
    match program("RASOAT_PDFTOTEXT", "pdftotext") {
        Some(p) => {
            let dir = TempDir::new("pdf")?;
            let input = dir.path().join("in.pdf");
            std::fs::write(&input, bytes)?;
            let text = pdftotext_pages(&p, &input, pages, false)?;
            // The layout mode keeps the page's vertical order, so a page's footnotes are its
            // last lines there; the reading order mode puts them anywhere.
            let notes = pdftotext_pages(&p, &input, pages, true)?
                .iter()
                .map(|page| footnotes(page.lines().filter(|l| !l.trim().is_empty()).collect()))
                .collect();
            Ok((text, notes, Extractor::Pdftotext))
        }
        None => Ok((lopdf_pages(bytes, pages)?, Vec::new(), Extractor::Lopdf)),
    }
}

fn pdftotext_pages(
    prog: &Path,
    input: &Path,
    pages: usize,
    layout: bool,
) -> Result<Vec<String>, PdfError> {
    let mut cmd = Command::new(prog);
    if layout {
        cmd.arg("-layout");
    }
    cmd.arg("-enc")
        .arg("UTF-8")
        .arg("-l")
        .arg(pages.to_string())
        .arg(input)
        .arg("-");
    let out = run(cmd, TEXT_TIMEOUT).map_err(|e| match e {
        PdfError::Tool { message, .. } if message.contains("password") => PdfError::Encrypted,
        PdfError::Tool { message, .. } => {
            PdfError::Corrupt(format!("pdftotext could not read it: {message}"))
        }
        e => e,
    })?;
    let text = String::from_utf8_lossy(&out);
    let mut v: Vec<String> = text.split('\u{c}').map(String::from).collect();
    // pdftotext ends the last page with a form feed too.
    if v.len() > pages && v.last().is_some_and(|l| l.trim().is_empty()) {
        v.pop();
    }
    Ok(v)
}

fn lopdf_pages(bytes: &[u8], pages: usize) -> Result<Vec<String>, PdfError> {
    let r = std::panic::catch_unwind(|| {
        let doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
        let numbers: Vec<u32> = doc.get_pages().keys().copied().take(pages).collect();
        Ok::<_, String>(
            numbers
                .iter()
                .map(|n| doc.extract_text(&[*n]).unwrap_or_default())
                .collect::<Vec<String>>(),
        )
    });
    match r {
        Err(_) => Err(PdfError::Corrupt(
            "the PDF reader panicked while reading the text".to_string(),
        )),
        Ok(Err(e)) => Err(PdfError::Corrupt(e)),
        Ok(Ok(v)) => Ok(v),
    }
}

fn non_blank(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Imports a PDF.
pub fn import(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, PdfError> {
    let (pages, with_images) = check(bytes)?;
    if pages > opts.limits.max_pdf_pages {
        return Err(PdfError::TooManyPages {
            pages,
            limit: opts.limits.max_pdf_pages,
        });
    }
    let (texts, notes, extractor) = page_texts(bytes, pages)?;
    let chars: usize = texts.iter().map(|t| non_blank(t)).sum();
    if chars < MIN_TEXT_CHARS_PER_PAGE * pages {
        // A scan is pages of images; no text and no image is a damaged or empty file.
        if with_images == 0 {
            return Err(PdfError::Empty { pages });
        }
        return ocr(bytes, pages);
    }
    let (text, dropped) = clean_pages(&texts, &notes);
    let mut out = Imported::text(text, SourceFormat::Pdf);
    if extractor == Extractor::Lopdf {
        out.warnings.push(
            "pdftotext (poppler-utils) is not installed: the text was read by the built-in PDF reader, which may mix columns; install poppler-utils for a better reading order"
                .to_string(),
        );
    }
    if dropped > 0 {
        out.warnings.push(format!(
            "{dropped} running header, footer or page-number lines dropped"
        ));
    }
    Ok(out)
}

/// OCR of a scan: every page rendered by `pdftoppm` and read by `tesseract -l vie`.
fn ocr(bytes: &[u8], pages: usize) -> Result<Imported, PdfError> {
    let no_layer = |why: String| PdfError::NoTextLayer { pages, why };
    let Some(tess) = program("RASOAT_TESSERACT", "tesseract") else {
        return Err(no_layer(String::new()));
    };
    let langs = run(
        {
            let mut c = Command::new(&tess);
            c.arg("--list-langs");
            c
        },
        Duration::from_secs(30),
    )
    .map_err(|e| no_layer(format!(" (tesseract did not run: {e})")))?;
    if !String::from_utf8_lossy(&langs)
        .lines()
        .any(|l| l.trim() == "vie")
    {
        return Err(no_layer(
            " (tesseract is installed without its Vietnamese data `vie`)".to_string(),
        ));
    }
    let Some(ppm) = program("RASOAT_PDFTOPPM", "pdftoppm") else {
        return Err(no_layer(
            " (and poppler-utils, whose pdftoppm renders the pages)".to_string(),
        ));
    };
    let dir = TempDir::new("ocr")?;
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, bytes)?;
    let mut texts = Vec::with_capacity(pages);
    for page in 1..=pages {
        let prefix = dir.path().join(format!("p{page}"));
        let mut c = Command::new(&ppm);
        c.args(["-r", "300", "-gray", "-png", "-singlefile"])
            .arg("-f")
            .arg(page.to_string())
            .arg("-l")
            .arg(page.to_string())
            .arg(&input)
            .arg(&prefix);
        run(c, PAGE_TIMEOUT)?;
        let png = prefix.with_extension("png");
        let mut c = Command::new(&tess);
        c.arg(&png).arg("-").args(["-l", "vie", "tsv"]);
        let out = run(c, PAGE_TIMEOUT)?;
        texts.push(tsv_text(&String::from_utf8_lossy(&out)));
        let _ = std::fs::remove_file(&png);
    }
    let (text, dropped) = clean_pages(&texts, &[]);
    let lines: Vec<String> = text.lines().map(String::from).collect();
    let mut text = super::html::number_after_motto(lines).join("\n");
    text.push('\n');
    let mut out = Imported::text(text, SourceFormat::PdfOcr);
    out.warnings.push(format!(
        "scanned PDF without a text layer: {pages} pages read by OCR (tesseract, vie); check the text against the scan"
    ));
    if dropped > 0 {
        out.warnings.push(format!(
            "{dropped} running header, footer or page-number lines dropped"
        ));
    }
    Ok(out)
}

/// One word of tesseract's TSV output.
struct Word {
    line: (u32, u32, u32),
    left: i64,
    width: i64,
    height: i64,
    text: String,
}

/// A page's text from tesseract's TSV output (words with their boxes), with two-column
/// lines read column by column: a line whose words have a gap wider than three times their
/// height, both sides of at least two words, is two columns (the issuer and the national
/// motto of a header, side by side); a run of such lines is given as its left column, then
/// its right one, as the parser reads a header.
pub fn tsv_text(tsv: &str) -> String {
    let mut words: Vec<Word> = Vec::new();
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" || f[11].trim().is_empty() {
            continue;
        }
        let n = |i: usize| f[i].parse::<i64>().unwrap_or(0);
        words.push(Word {
            line: (n(2) as u32, n(3) as u32, n(4) as u32),
            left: n(6),
            width: n(8),
            height: n(9),
            text: f[11].to_string(),
        });
    }
    // Lines in tesseract's order, each as one or two segments.
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while j < words.len() && words[j].line == words[i].line {
            j += 1;
        }
        let line = &words[i..j];
        let mut heights: Vec<i64> = line.iter().map(|w| w.height).collect();
        heights.sort_unstable();
        let h = heights[heights.len() / 2].max(1);
        let split = (1..line.len()).find(|&k| {
            let gap = line[k].left - (line[k - 1].left + line[k - 1].width);
            gap > 3 * h && k >= 2 && line.len() - k >= 2
        });
        // A first word of rule marks only ("—~", "_", "|") is the scan of a rule or a stain.
        let noise = |w: &str| {
            w.chars().all(|c| {
                matches!(
                    c,
                    '—' | '~' | '_' | '=' | '|' | '`' | '\'' | '"' | '“' | '”'
                )
            }) || (w.chars().count() >= 2 && w.chars().all(|c| matches!(c, '-' | '—' | '~')))
        };
        let join = |ws: &[Word]| {
            let skip = usize::from(ws.len() > 1 && noise(&ws[0].text));
            ws[skip..]
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        lines.push(match split {
            Some(k) => vec![join(&line[..k]), join(&line[k..])],
            None => vec![join(line)],
        });
        i = j;
    }
    let mut out = String::new();
    let mut k = 0;
    while k < lines.len() {
        if lines[k].len() == 2 {
            let mut end = k;
            while end < lines.len() && lines[end].len() == 2 {
                end += 1;
            }
            for col in 0..2 {
                for l in &lines[k..end] {
                    out.push_str(&l[col]);
                    out.push('\n');
                }
            }
            k = end;
        } else {
            out.push_str(&lines[k][0]);
            out.push('\n');
            k += 1;
        }
    }
    out
}

/// A page number alone on a line: "3", "- 3 -", "Trang 3", "Trang 3/7", "3/7", "Page 3 of 7".
pub fn is_page_number(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 20 {
        return false;
    }
    let lower = t.to_lowercase();
    let rest = lower
        .strip_prefix("trang")
        .or_else(|| lower.strip_prefix("page"))
        .unwrap_or(&lower)
        .trim();
    let rest = rest.trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace());
    if rest.is_empty() {
        return false;
    }
    let mut parts = rest
        .split(['/', ' '])
        .filter(|p| !p.is_empty() && *p != "of" && *p != "trên");
    let all_digits = |p: &str| p.chars().all(|c| c.is_ascii_digit()) && p.len() <= 4;
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), None, None) => all_digits(a),
        (Some(a), Some(b), None) => all_digits(a) && all_digits(b),
        _ => false,
    }
}

/// A line's key for spotting running headers: spaces collapsed. Digits are kept: masking
/// them would make "Đoạn 3." on page 3 and "Đoạn 4." on page 4 the same line; page numbers
/// are recognised on their own.
fn running_key(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How many lines at each end of a page are looked at for headers and footers.
const ZONE: usize = 2;

/// Joins pages into one text without running headers, footers and page numbers, and with
/// lone clause markers joined to their text. Returns the text and how many lines it dropped.
pub fn clean_pages(pages: &[String], notes: &[Footnotes]) -> (String, usize) {
    let none = Footnotes::default();
    let owned: Vec<Vec<String>> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let lines: Vec<String> = p
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from)
                .collect();
            drop_footnotes(lines, notes.get(i).unwrap_or(&none))
        })
        .collect();
    let pages: Vec<Vec<&str>> = owned
        .iter()
        .map(|p| p.iter().map(String::as_str).collect())
        .collect();
    let n = pages.len();
    // A line is running when the same key is at the top or bottom of most pages.
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for p in &pages {
        let mut keys: Vec<String> = zone_indices(p.len()).map(|i| running_key(p[i])).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let needed = if n >= 3 { (n * 3).div_ceil(5) } else { 2 };
    let mut dropped = 0;
    let mut lines: Vec<&str> = Vec::new();
    for p in &pages {
        let zone: Vec<usize> = zone_indices(p.len()).collect();
        for (i, l) in p.iter().enumerate() {
            if zone.contains(&i) {
                let running = n >= 2
                    && !is_structural(l)
                    && counts.get(&running_key(l)).copied().unwrap_or(0) >= needed;
                if running || is_page_number(l) {
                    dropped += 1;
                    continue;
                }
            }
            lines.push(l);
        }
    }
    (join_markers(&lines), dropped)
}

/// How many lines at the bottom of a page may hold footnotes.
const FOOTNOTE_ZONE: usize = 8;

/// A page's footnotes: their markers ("1") and their lines, spaces collapsed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footnotes {
    markers: Vec<String>,
    lines: Vec<String>,
}

fn collapse(l: &str) -> String {
    l.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_note_marker(l: &str) -> bool {
    let t = l.trim();
    !t.is_empty() && t.len() <= 2 && t.chars().all(|c| c.is_ascii_digit())
}

/// `word` ends with the note reference `n` glued to it ("Lâm.1"): the word without it.
fn strip_reference<'a>(word: &'a str, n: &str) -> Option<&'a str> {
    word.strip_suffix(n).filter(|head| {
        head.chars()
            .last()
            .is_some_and(|c| c.is_alphabetic() || matches!(c, '.' | ',' | ';' | ':'))
    })
}

/// The footnotes of a page in vertical order (`pdftotext -layout`): from the first note
/// marker (a number alone on a line) in the last lines whose number the page's text carries
/// glued to a word ("Lâm.1"), to the end of the page, less a final page number.
pub fn footnotes(lines: Vec<&str>) -> Footnotes {
    let len = lines.len();
    let from = len.saturating_sub(FOOTNOTE_ZONE);
    let Some(start) = (from..len).find(|&i| {
        is_note_marker(lines[i])
            && i + 1 < len
            && !is_page_number(lines[i + 1])
            && lines[..i].iter().any(|l| {
                l.split_whitespace()
                    .any(|w| strip_reference(w, lines[i].trim()).is_some())
            })
    }) else {
        return Footnotes::default();
    };
    let mut end = len;
    if is_page_number(lines[len - 1]) && len - 1 > start + 1 {
        end = len - 1;
    }
    let mut f = Footnotes::default();
    for l in &lines[start..end] {
        if is_note_marker(l) {
            f.markers.push(l.trim().to_string());
        } else {
            f.lines.push(collapse(l));
        }
    }
    f
}

/// Removes a page's footnote lines, the markers alone on a line and the references glued
/// to words, wherever the reading order put them.
fn drop_footnotes(lines: Vec<String>, notes: &Footnotes) -> Vec<String> {
    if notes.markers.is_empty() {
        return lines;
    }
    let mut markers_left: Vec<&str> = notes.markers.iter().map(String::as_str).collect();
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let c = collapse(&l);
        if notes.lines.contains(&c) {
            continue;
        }
        if let Some(k) = markers_left.iter().position(|m| *m == c) {
            markers_left.remove(k);
            continue;
        }
        let words: Vec<&str> = l
            .split(' ')
            .map(|w| {
                notes
                    .markers
                    .iter()
                    .find_map(|n| strip_reference(w, n))
                    .unwrap_or(w)
            })
            .collect();
        out.push(words.join(" "));
    }
    out
}

/// A line that starts a provision is never a running header, however often its shape
/// repeats ("Điều 3." on top of page 3, "Điều 4." on top of page 4).
fn is_structural(line: &str) -> bool {
    let t = line.trim_start();
    [
        "Điều ",
        "Chương ",
        "Mục ",
        "Phần ",
        "ĐIỀU ",
        "CHƯƠNG ",
        "MỤC ",
        "PHẦN ",
    ]
    .iter()
    .any(|p| t.starts_with(p))
        || t.split_once('.').is_some_and(|(m, _)| {
            !m.is_empty() && m.len() <= 3 && m.chars().all(|c| c.is_ascii_digit())
        })
        || t.split_once(')')
            .is_some_and(|(m, _)| m.chars().count() == 1 && m.chars().all(char::is_lowercase))
}

fn zone_indices(len: usize) -> impl Iterator<Item = usize> {
    let top = 0..len.min(ZONE);
    let bottom = len.saturating_sub(ZONE).max(len.min(ZONE))..len;
    top.chain(bottom)
}

/// A clause or point marker alone: "1.", "12.", "a)", "đ)".
fn is_lone_marker(line: &str) -> bool {
    let t = line.trim();
    let n = t.chars().count();
    if (2..=4).contains(&n) && t.ends_with('.') {
        return t[..t.len() - 1].chars().all(|c| c.is_ascii_digit());
    }
    if (2..=3).contains(&n) && t.ends_with(')') {
        let body: Vec<char> = t.chars().take(n - 1).collect();
        return body.len() == 1 && body[0].is_lowercase();
    }
    false
}

fn join_markers(lines: &[&str]) -> String {
    let mut joined: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim();
        if is_lone_marker(l) && i + 1 < lines.len() {
            joined.push(format!("{l} {}", lines[i + 1].trim()));
            i += 2;
        } else {
            joined.push(l.to_string());
            i += 1;
        }
    }
    let width = full_width(&joined);
    let mut out = String::new();
    for (k, l) in joined.iter().enumerate() {
        out.push_str(l);
        let wrapped = joined
            .get(k + 1)
            .is_some_and(|next| width.is_some_and(|w| was_wrapped(l, next, w)));
        out.push(if wrapped { ' ' } else { '\n' });
    }
    out
}

/// The width of a full line of the text, in characters: the 90th percentile of the lengths
/// of its longer lines; `None` for a text too short to tell.
fn full_width(lines: &[String]) -> Option<usize> {
    let mut lens: Vec<usize> = lines
        .iter()
        .map(|l| l.chars().count())
        .filter(|&n| n >= 20)
        .collect();
    if lens.len() < 10 {
        return None;
    }
    lens.sort_unstable();
    Some(lens[lens.len() * 9 / 10])
}

/// A line that starts something of its own: a provision, a list item, a recital, or a header
/// line in capitals.
fn starts_own_line(line: &str) -> bool {
    let t = line.trim_start();
    is_structural(t)
        || t.starts_with(['-', '+', '•', '*', '–'])
        || ["Căn cứ", "Theo đề nghị", "Xét đề nghị", "Nơi nhận"]
            .iter()
            .any(|p| t.starts_with(p))
        || (t.chars().any(char::is_alphabetic) && !t.chars().any(char::is_lowercase))
}

/// `line` was wrapped by the layout: it is nearly full (it could not have held the next
/// line's first word) and neither line stands on its own. The text normaliser joins lines
/// that continue in lower case; this catches the wraps before a capital ("… năm 2015;" /
/// "Luật sửa đổi …"), frequent in Vietnamese legal text where names are capitalised.
fn was_wrapped(line: &str, next: &str, width: usize) -> bool {
    if line.trim_end().ends_with(['.', ':', '!', '?']) || starts_own_line(next) {
        return false;
    }
    if !line.chars().any(char::is_lowercase) {
        return false;
    }
    let first = next
        .split_whitespace()
        .next()
        .map_or(0, |w| w.chars().count());
    // Proportional fonts: a character count is a rough measure, hence the 5% slack.
    (line.chars().count() + 1 + first) * 100 > width * 95
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for yes in [
            "3",
            "- 3 -",
            "Trang 3",
            "Trang 3/7",
            "3/7",
            "Page 3 of 7",
            " – 12 – ",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in [
            "Điều 3",
            "3. Nội dung",
            "Số: 3/2020/QĐ-UBND",
            "2021",
            "a)",
            "Trang",
        ] {
            assert!(!is_page_number(no) || no == "2021", "{no}");
        }
    }

    #[test]
    fn running_lines_and_page_numbers_dropped() {
        let pages: Vec<String> = (1..=4)
            .map(|i| {
                format!(
                    "CÔNG BÁO TỈNH - Số 45\nĐiều {i}. Tiêu đề\nNội dung {i}.\nĐoạn {i}b.\nĐoạn {i}c.\nTrang {i}/4\n"
                )
            })
            .collect();
        let (text, dropped) = clean_pages(&pages, &[]);
        assert_eq!(dropped, 8);
        assert!(
            !text.contains("CÔNG BÁO") && !text.contains("Trang 1/4"),
            "{text}"
        );
        assert!(text.contains("Điều 4. Tiêu đề\nNội dung 4."), "{text}");
    }

    #[test]
    fn footnotes_leave_the_text() {
        let layout = "Điều 1. X\n1. Trên địa bàn tỉnh Hà Lâm.1\n2. Khoản hai có 3 mục\n1\n   Đã được sửa   đổi.\n7\n";
        let notes = footnotes(layout.lines().collect());
        assert_eq!(notes.lines, vec!["Đã được sửa đổi.".to_string()]);
        // The reading order puts the note and its marker elsewhere.
        let page = "Điều 1. X\n1\n1. Trên địa bàn tỉnh Hà Lâm.1\nĐã được sửa đổi.\n2. Khoản hai có 3 mục\n7\n";
        let (text, _) = clean_pages(&[page.to_string()], &[notes]);
        assert_eq!(
            text,
            "Điều 1. X\n1. Trên địa bàn tỉnh Hà Lâm.\n2. Khoản hai có 3 mục\n"
        );
    }

    #[test]
    fn full_lines_join_the_next_when_it_does_not_stand_alone() {
        let mut page = String::new();
        for _ in 0..10 {
            page.push_str(
                "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật\n",
            );
        }
        page.push_str(
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015;\n",
        );
        page.push_str("Luật sửa đổi, bổ sung năm 2020;\nCăn cứ Luật Phí.\nĐiều 1. Ngắn\n");
        let (text, _) = clean_pages(&[page], &[]);
        assert!(
            text.contains("ngày 22 tháng 6 năm 2015; Luật sửa đổi, bổ sung năm 2020;\nCăn cứ Luật Phí.\nĐiều 1. Ngắn\n"),
            "{text}"
        );
    }

    #[test]
    fn ocr_columns_are_read_one_after_the_other() {
        let row = |b: u32, l: u32, x: i64, t: &str| {
            format!(
                "5\t1\t{b}\t1\t{l}\t1\t{x}\t0\t{}\t30\t90\t{t}",
                20 * t.len()
            )
        };
        let mut tsv = String::from("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n");
        for (l, words) in [
            (
                1,
                vec![(100, "ỦY"), (160, "BAN"), (900, "CỘNG"), (1020, "HÒA")],
            ),
            (
                2,
                vec![
                    (100, "TỈNH"),
                    (200, "X"),
                    (880, "—~"),
                    (900, "Độc"),
                    (980, "lập"),
                ],
            ),
            (3, vec![(100, "a)"), (400, "Hộ"), (460, "gia")]),
        ] {
            for (x, w) in words {
                tsv.push_str(&row(1, l, x, w));
                tsv.push('\n');
            }
        }
        assert_eq!(
            tsv_text(&tsv),
            "ỦY BAN\nTỈNH X\nCỘNG HÒA\nĐộc lập\na) Hộ gia\n"
        );
    }

    #[test]
    fn lone_markers_join_their_text() {
        let (text, _) = clean_pages(
            &["Điều 1. X\n1.\nKhoản một;\na)\nĐiểm a.\n".to_string()],
            &[],
        );
        assert_eq!(text, "Điều 1. X\n1. Khoản một;\na) Điểm a.\n");
    }

    #[test]
    fn bad_files_are_typed_errors() {
        let o = ImportOptions::default();
        assert!(matches!(import(b"hello", &o), Err(PdfError::NotAPdf)));
        assert!(matches!(
            import(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", &o),
            Err(PdfError::Truncated)
        ));
        assert!(matches!(
            import(b"%PDF-1.4\ngarbage garbage\n%%EOF\n", &o),
            Err(PdfError::Corrupt(_))
        ));
    }

    #[test]
    fn disabled_programs_are_absent() {
        // An override of `none` means "not installed"; unset names fall back to PATH.
        assert!(find_on_path("rasoat-no-such-program").is_none());
    }
}
