//! Importers: turn the files an office holds into the UTF-8 text the parser reads.
//!
//! One entry point, [`import_file`], chooses the importer by the file's extension and
//! content (a PDF renamed `.docx` is told apart by its magic bytes), enforces [`Limits`], and
//! returns an [`Imported`]: the text, how it was read (format, encoding and its confidence),
//! warnings for the reviewer, and, for the national database's attribute pages, the validity
//! facts the page states (*thuộc tính văn bản*: status, in force from/until, relations).
//!
//! Every importer is pure over bytes except the two that need an outside program (`.doc`
//! through LibreOffice, OCR through tesseract); those say clearly when the program is absent.

pub mod doc;
pub mod docx;
pub mod encoding;
pub mod html;
pub mod legacy_fonts;
pub mod pdf;

use std::path::{Path, PathBuf};

pub use encoding::Encoding;

/// Bounds every importer enforces, so that a hostile or broken file costs bounded time and
/// memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read at all (checked from the file's metadata before reading).
    pub max_file_bytes: u64,
    /// Largest total inflated size of the entries read from a zip (`.docx`).
    pub max_inflated_bytes: u64,
    /// Most entries a zip may list.
    pub max_zip_entries: usize,
    /// Deepest XML/HTML element nesting.
    pub max_xml_depth: usize,
    /// Most PDF pages read.
    pub max_pdf_pages: usize,
    /// Longest line of the imported text, in bytes: no document has a line of megabytes,
    /// and a file that does is a conversion gone wrong (or an attack on the parser's time).
    pub max_line_bytes: usize,
    /// Most list or quote markers opening one line (`- - - …`, `> > …`): legal structure
    /// nests a handful of levels, never thousands.
    pub max_nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_inflated_bytes: 100 * 1024 * 1024,
            max_zip_entries: 10_000,
            max_xml_depth: 256,
            max_pdf_pages: 2_000,
            max_line_bytes: 1024 * 1024,
            max_nesting: 64,
        }
    }
}

/// What the caller may force.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Read plain-text files in this encoding instead of detecting it (`--encoding`).
    pub encoding: Option<Encoding>,
    pub limits: Limits,
}

/// How the text was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Text,
    Markdown,
    Docx,
    /// Word 97 converted to `.docx` through LibreOffice.
    Doc,
    Pdf,
    /// A PDF without a text layer, read by OCR.
    PdfOcr,
    Html,
}

/// A validity fact stated by a page of the national database (*thuộc tính* / *lược đồ*),
/// kept with its source so that a reviewer can weigh it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ValidityFacts {
    /// The document the page is about (*số ký hiệu*).
    pub document: String,
    /// The status as the page words it (*Hết hiệu lực toàn bộ*, *Còn hiệu lực* …).
    pub status: Option<String>,
    pub in_force_from: Option<chrono::NaiveDate>,
    /// The last day in force, if the page gives one.
    pub in_force_until: Option<chrono::NaiveDate>,
    /// Relations the page lists: (relation as worded, other document's *số ký hiệu*).
    pub relations: Vec<(String, String)>,
    /// Where the facts come from (file and page kind).
    pub source: String,
}

/// The result of importing one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The document's text, UTF-8 (NFC is the parser's job). Empty for a page that only
    /// states validity facts.
    pub text: String,
    pub format: SourceFormat,
    /// For plain text: the encoding read and the detector's confidence in 0..=1 (1 when
    /// forced or certain).
    pub encoding: Option<(Encoding, f32)>,
    /// Things a reviewer should know (a font converted, a page OCR'd, headers dropped).
    pub warnings: Vec<String>,
    /// Validity facts the file states (attribute pages of the national database).
    pub facts: Vec<ValidityFacts>,
}

impl Imported {
    pub fn text(text: String, format: SourceFormat) -> Self {
        Imported {
            text,
            format,
            encoding: None,
            warnings: Vec::new(),
            facts: Vec::new(),
        }
    }
}

/// Why a file could not be imported; the path is named at the edge.
#[derive(Debug, thiserror::Error)]
pub enum ImportErrorKind {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("not a file rasoat can import (extension `{0}`)")]
    UnsupportedExtension(String),
    #[error("{0}")]
    Encoding(#[from] encoding::EncodingError),
    #[error("{0}")]
    Docx(#[from] docx::DocxError),
    #[error("{0}")]
    Doc(#[from] doc::DocError),
    #[error("{0}")]
    Pdf(#[from] pdf::PdfError),
    #[error("{0}")]
    Html(#[from] html::HtmlError),
    #[error("line {line} is {bytes} bytes long, over the limit of {limit} bytes (a file converted without line breaks?)")]
    LineTooLong {
        line: usize,
        bytes: usize,
        limit: usize,
    },
    #[error("line {line} opens more than {limit} nested list or quote levels")]
    TooDeeplyNested { line: usize, limit: usize },
}

/// An import error naming the file, and the line and column when the error has a place.
#[derive(Debug, thiserror::Error)]
pub struct ImportError {
    pub path: PathBuf,
    #[source]
    pub kind: ImportErrorKind,
}

impl ImportErrorKind {
    /// 1-based line and column of the error in the file, when it has one.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            ImportErrorKind::Encoding(e) => e.location(),
            ImportErrorKind::LineTooLong { line, .. }
            | ImportErrorKind::TooDeeplyNested { line, .. } => Some((*line, 1)),
            _ => None,
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind.location() {
            Some((line, column)) => {
                write!(f, "{}:{line}:{column}: {}", self.path.display(), self.kind)
            }
            None => write!(f, "{}: {}", self.path.display(), self.kind),
        }
    }
}

/// The extensions [`import_file`] takes when walking a folder.
pub const EXTENSIONS: &[&str] = &["txt", "md", "docx", "doc", "pdf", "html", "htm"];

/// True for a file a folder walk should import (by extension).
pub fn is_importable(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

/// Reads and imports one file, by its extension and content.
pub fn import_file(path: &Path, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let err = |kind: ImportErrorKind| ImportError {
        path: path.to_path_buf(),
        kind,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(e.into()))?;
    if meta.len() > opts.limits.max_file_bytes {
        return Err(err(ImportErrorKind::TooLarge {
            size: meta.len(),
            limit: opts.limits.max_file_bytes,
        }));
    }
    let bytes = std::fs::read(path).map_err(|e| err(e.into()))?;
    import_bytes(path, &bytes, opts)
}

/// Imports bytes already read, named by `path` (its extension chooses the importer).
pub fn import_bytes(
    path: &Path,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Imported, ImportError> {
    let err = |kind: ImportErrorKind| ImportError {
        path: path.to_path_buf(),
        kind,
    };
    if bytes.len() as u64 > opts.limits.max_file_bytes {
        return Err(err(ImportErrorKind::TooLarge {
            size: bytes.len() as u64,
            limit: opts.limits.max_file_bytes,
        }));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let result: Result<Imported, ImportErrorKind> = match ext.as_str() {
        "docx" => docx::import(bytes, opts).map_err(Into::into),
        "doc" => doc::import(path, bytes, opts).map_err(Into::into),
        "pdf" => pdf::import(bytes, opts).map_err(Into::into),
        "html" | "htm" => html::import(path, bytes, opts).map_err(Into::into),
        "md" => encoding::import_text(bytes, opts, SourceFormat::Markdown).map_err(Into::into),
        _ => encoding::import_text(bytes, opts, SourceFormat::Text).map_err(Into::into),
    };
    let imported = result.map_err(err)?;
    check_shape(&imported.text, &opts.limits).map_err(err)?;
    Ok(imported)
}

/// Refuses a text with a line longer than [`Limits::max_line_bytes`] or a line opening more
/// than [`Limits::max_nesting`] list or quote levels. One pass over the bytes, no allocation.
pub fn check_shape(text: &str, limits: &Limits) -> Result<(), ImportErrorKind> {
    let b = text.as_bytes();
    let (mut line, mut start) = (1, 0);
    while start <= b.len() {
        // Lines as an editor counts them: `\n`, `\r\n` or a lone `\r` ends one.
        let end = b[start..]
            .iter()
            .position(|c| *c == b'\n' || *c == b'\r')
            .map_or(b.len(), |p| start + p);
        if end - start > limits.max_line_bytes {
            return Err(ImportErrorKind::LineTooLong {
                line,
                bytes: end - start,
                limit: limits.max_line_bytes,
            });
        }
        if nesting(&b[start..end], limits.max_nesting) > limits.max_nesting {
            return Err(ImportErrorKind::TooDeeplyNested {
                line,
                limit: limits.max_nesting,
            });
        }
        let brk = if b.get(end) == Some(&b'\r') && b.get(end + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        start = end + brk;
        line += 1;
    }
    Ok(())
}

/// How many list or quote markers open `line` (`-`, `*`, `+`, `>`, `1.`, `1)` each followed
/// by a space, or `>` alone), counting no further than `cap + 1`.
fn nesting(b: &[u8], cap: usize) -> usize {
    let mut i = 0;
    let mut depth = 0;
    while depth <= cap {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        let start = i;
        match b.get(i) {
            Some(b'>') => i += 1,
            Some(b'-' | b'*' | b'+') => i += 1,
            Some(c) if c.is_ascii_digit() => {
                while i < b.len() && b[i].is_ascii_digit() && i - start < 9 {
                    i += 1;
                }
                if !matches!(b.get(i), Some(b'.' | b')')) {
                    return depth;
                }
                i += 1;
            }
            _ => return depth,
        }
        // A marker counts when a space or another marker follows it (`>` needs neither).
        let quote = b[start] == b'>';
        if !quote && !matches!(b.get(i), Some(b' ' | b'\t')) {
            return depth;
        }
        depth += 1;
    }
    depth
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    fn limits(line: usize, nest: usize) -> Limits {
        Limits {
            max_line_bytes: line,
            max_nesting: nest,
            ..Limits::default()
        }
    }

    #[test]
    fn long_line_is_named_by_its_editor_line() {
        let text = format!("a\r\nb\rc\n{}\nd", "x".repeat(11));
        match check_shape(&text, &limits(10, 8)) {
            Err(ImportErrorKind::LineTooLong { line, bytes, limit }) => {
                assert_eq!((line, bytes, limit), (4, 11, 10));
            }
            other => panic!("{other:?}"),
        }
        assert!(check_shape(&"x".repeat(10), &limits(10, 8)).is_ok());
    }

    #[test]
    fn nesting_counts_list_and_quote_markers() {
        assert_eq!(nesting(b"- - - x", 8), 3);
        assert_eq!(nesting(b">>> x", 8), 3);
        assert_eq!(nesting(b"1. a) x", 8), 1);
        assert_eq!(nesting(b"1. 2) - > x", 8), 4);
        assert_eq!(nesting(b"---------", 8), 0);
        assert_eq!(nesting("Điều 1. Phạm vi".as_bytes(), 8), 0);
        assert_eq!(nesting(b"2021.", 8), 0);
        let deep = "- ".repeat(100_000);
        assert_eq!(nesting(deep.as_bytes(), 64), 65);
        match check_shape(&format!("Điều 1.\n{deep}x"), &limits(1 << 20, 64)) {
            Err(ImportErrorKind::TooDeeplyNested { line: 2, limit: 64 }) => {}
            other => panic!("{other:?}"),
        }
    }
}
