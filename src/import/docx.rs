//! `.docx` files (Word 2007 and later): the body text, in reading order, one paragraph a line.
//!
//! Pure Rust over the bytes: `zip` opens the package, `quick-xml` streams the parts. What is
//! kept and how:
//!
//! * the body of `word/document.xml`, paragraph by paragraph, separated by a blank line; a
//!   line break inside a paragraph (`w:br`, `w:cr`) is a new line, a tab (`w:tab`) a tab;
//! * Word's automatic numbering, rendered from `word/numbering.xml` as Word shows it:
//!   `w:numPr` on the paragraph or on its style (`styles.xml`), each level's `lvlText` (`%1.`,
//!   `%2)`, `Điều %1.`), `numFmt` (decimal, decimalZero, lower/upperLetter, lower/upperRoman,
//!   bullet, none), `start`, `startOverride`, `lvlRestart`, `isLgl`; counters are kept per
//!   abstract list, so lists that share one continue, as in Word;
//! * tables, row by row: a row of one-paragraph cells becomes a pipe row (`| a | b |`, which
//!   the text normaliser splits into cells), a row with longer cells gives each cell's
//!   paragraphs in turn (the two-column header block of a decision reads issuer, then motto);
//! * runs typed in a legacy font (`w:rFonts` on the run, its character style, the paragraph
//!   style or the document defaults: `.VnTime` → TCVN3, `.VnTimeH` → TCVN3 capitals,
//!   `VNI-Times` → VNI) are converted to Unicode one run at a time, so a document may mix
//!   Unicode and legacy runs; a run in a legacy font that already holds Unicode Vietnamese
//!   letters is left as it is; `w:caps` upper-cases a run, hidden runs (`w:vanish`) are dropped;
//! * `w:sym` in a legacy font is converted; other symbol-font characters are left out.
//!
//! Left out of the text, with a warning: page headers and footers, footnotes and endnotes
//! (their reference marks too), drawings and text boxes. Formatting (bold, italic, sizes) is
//! dropped. Deleted revisions are dropped, insertions kept.
//!
//! Bounded by [`Limits`](super::Limits): the number of zip entries, the total inflated size of
//! the parts read (counted while inflating, never trusted from the headers), and the XML
//! nesting depth.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::legacy_fonts::{legacy_font, LegacyFont};
use super::{Encoding, ImportOptions, Imported, Limits, SourceFormat};

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("this is a PDF named .docx; rename it to .pdf")]
    PdfNamedDocx,
    #[error("this is a Word 97-2003 .doc named .docx; rename it to .doc")]
    DocNamedDocx,
    #[error("not a .docx file (not a zip archive)")]
    NotZip,
    #[error("truncated or corrupt .docx (zip archive): {0}")]
    Corrupt(String),
    #[error("not a Word document: the archive has no word/document.xml")]
    MissingDocument,
    #[error("the archive lists {count} entries, over the limit of {limit}")]
    TooManyEntries { count: usize, limit: usize },
    #[error(
        "zip bomb: {entry} inflates past the limit of {limit} bytes for all parts read; not read"
    )]
    ZipBomb { entry: String, limit: u64 },
    #[error("{entry}: XML nested deeper than {limit} elements at line {line}, column {column}")]
    TooDeep {
        entry: String,
        limit: usize,
        line: usize,
        column: usize,
    },
    #[error("{entry}: bad XML at line {line}, column {column}: {message}")]
    Xml {
        entry: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Reads a `.docx` file's body text.
pub fn import(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, DocxError> {
    if bytes.starts_with(b"%PDF") {
        return Err(DocxError::PdfNamedDocx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(DocxError::DocNamedDocx);
    }
    if !bytes.starts_with(b"PK") {
        return Err(DocxError::NotZip);
    }
    let limits = &opts.limits;
    // The entry count of the end-of-central-directory record, checked before the zip reader
    // parses (and allocates for) the whole directory.
    if let Some(count) = eocd_entries(bytes) {
        if count > limits.max_zip_entries {
            return Err(DocxError::TooManyEntries {
                count,
                limit: limits.max_zip_entries,
            });
        }
    }
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Corrupt(e.to_string()))?;
    if zip.len() > limits.max_zip_entries {
        return Err(DocxError::TooManyEntries {
            count: zip.len(),
            limit: limits.max_zip_entries,
        });
    }
    let mut budget = limits.max_inflated_bytes;
    let document = read_entry(&mut zip, "word/document.xml", &mut budget, limits)?
        .ok_or(DocxError::MissingDocument)?;
    let styles = match read_entry(&mut zip, "word/styles.xml", &mut budget, limits)? {
        Some(x) => Styles::parse(&x, limits)?,
        None => Styles::default(),
    };
    let numbering = match read_entry(&mut zip, "word/numbering.xml", &mut budget, limits)? {
        Some(x) => Numbering::parse(&x, limits)?,
        None => Numbering::default(),
    };
    let headers = zip
        .file_names()
        .filter(|n| {
            let n = n.to_ascii_lowercase();
            (n.starts_with("word/header") || n.starts_with("word/footer")) && n.ends_with(".xml")
        })
        .count();
    let mut body = Body::new(&styles, numbering);
    walk("word/document.xml", &document, limits, |ev| body.event(ev))?;
    let mut im = Imported::text(body.finish(), SourceFormat::Docx);
    im.warnings = body.warnings(headers);
    Ok(im)
}

/// The total entry count an end-of-central-directory record states (`None` when there is no
/// record or the count is in a Zip64 record).
fn eocd_entries(bytes: &[u8]) -> Option<usize> {
    // The record is 22 bytes plus a comment of at most 65535 bytes, at the end.
    let from = bytes.len().saturating_sub(22 + 65535);
    let tail = &bytes[from..];
    let at = tail
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .filter(|&i| i + 22 <= tail.len())?;
    let count = u16::from_le_bytes([tail[at + 10], tail[at + 11]]);
    (count != 0xFFFF).then_some(count as usize)
}

/// Reads one entry, counting its inflated bytes against the budget while inflating.
fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
    limits: &Limits,
) -> Result<Option<String>, DocxError> {
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::Corrupt(format!("{name}: {e}"))),
    };
    let mut buf = Vec::new();
    let n = (&mut f)
        .take(*budget + 1)
        .read_to_end(&mut buf)
        .map_err(|e| DocxError::Corrupt(format!("{name}: {e}")))?;
    if n as u64 > *budget {
        return Err(DocxError::ZipBomb {
            entry: name.to_string(),
            limit: limits.max_inflated_bytes,
        });
    }
    *budget -= n as u64;
    let text = match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let (line, column) = line_col(e.as_bytes(), at);
            return Err(DocxError::Xml {
                entry: name.to_string(),
                line,
                column,
                message: "not UTF-8".into(),
            });
        }
    };
    Ok(Some(text))
}

fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let prefix = &bytes[..at.min(bytes.len())];
    let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
    let column = prefix.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

// ---------------------------------------------------------------------------------------------
// XML events

/// What the walkers see: an element opening (empty elements give `Start` then `End`), an
/// element closing, or text (entities resolved).
enum Ev<'a, 'b> {
    Start(&'b BytesStart<'a>),
    End(&'b [u8]),
    Text(Cow<'b, str>),
}

/// The local name (without prefix) of a qualified name.
fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|b| *b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// An attribute's value by local name (`w:val` → `val`).
fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        if local(a.key.as_ref()) != name {
            return None;
        }
        let raw = std::str::from_utf8(&a.value).ok()?;
        quick_xml::escape::unescape(raw)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// A toggle property (`<w:caps/>`, `<w:caps w:val="false"/>`).
fn toggle(e: &BytesStart) -> bool {
    !matches!(
        attr(e, b"val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

/// Streams an XML part, bounding its depth; errors name the part and place.
fn walk(
    entry: &str,
    xml: &str,
    limits: &Limits,
    mut f: impl FnMut(Ev<'_, '_>),
) -> Result<(), DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let err = |reader: &Reader<&[u8]>, message: String| {
        let (line, column) = line_col(xml.as_bytes(), reader.error_position() as usize);
        DocxError::Xml {
            entry: entry.to_string(),
            line,
            column,
            message,
        }
    };
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| err(&reader, e.to_string()))?;
        match ev {
            Event::Start(ref s) => {
                depth += 1;
                if depth > limits.max_xml_depth {
                    let (line, column) =
                        line_col(xml.as_bytes(), reader.buffer_position() as usize);
                    return Err(DocxError::TooDeep {
                        entry: entry.to_string(),
                        limit: limits.max_xml_depth,
                        line,
                        column,
                    });
                }
                f(Ev::Start(s));
            }
            Event::Empty(ref s) => {
                f(Ev::Start(s));
                f(Ev::End(local(s.name().as_ref())));
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                f(Ev::End(local(e.name().as_ref())));
            }
            Event::Text(ref t) => {
                let s = t.decode().map_err(|e| err(&reader, e.to_string()))?;
                f(Ev::Text(s));
            }
            Event::CData(ref t) => {
                let s = t.decode().map_err(|e| err(&reader, e.to_string()))?;
                f(Ev::Text(s));
            }
            Event::GeneralRef(ref r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = r.decode().map_err(|e| err(&reader, e.to_string()))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(v) => v.to_string(),
                            None => return Err(err(&reader, format!("unknown entity &{name};"))),
                        }
                    }
                    Err(e) => return Err(err(&reader, e.to_string())),
                };
                f(Ev::Text(Cow::Owned(s)));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(err(&reader, "the document ends inside an element".into()));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Styles

/// Run properties that matter for the text.
#[derive(Debug, Clone, Default)]
struct RunProps {
    /// The font for Latin-1 characters (`w:hAnsi`, else `w:ascii`); `Some("")` for a theme
    /// font (never a legacy one).
    font: Option<String>,
    caps: Option<bool>,
    vanish: Option<bool>,
}

impl RunProps {
    /// Fills what is unset from a lower-priority source.
    fn or(mut self, other: &RunProps) -> RunProps {
        if self.font.is_none() {
            self.font.clone_from(&other.font);
        }
        self.caps = self.caps.or(other.caps);
        self.vanish = self.vanish.or(other.vanish);
        self
    }

    fn set_fonts(&mut self, e: &BytesStart) {
        let theme = attr(e, b"hAnsiTheme").or_else(|| attr(e, b"asciiTheme"));
        let font = attr(e, b"hAnsi").or_else(|| attr(e, b"ascii"));
        if let Some(f) = font {
            self.font = Some(f);
        } else if theme.is_some() {
            self.font = Some(String::new());
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    run: RunProps,
    num_id: Option<String>,
    ilvl: Option<usize>,
}

#[derive(Debug, Default)]
struct Styles {
    styles: HashMap<String, Style>,
    default_paragraph: Option<String>,
    defaults: RunProps,
}

impl Styles {
    fn parse(xml: &str, limits: &Limits) -> Result<Styles, DocxError> {
        let mut out = Styles::default();
        let mut current: Option<(String, Style)> = None;
        let mut in_defaults = false;
        let mut in_ppr = false;
        let mut in_rpr = false;
        walk("word/styles.xml", xml, limits, |ev| match ev {
            Ev::Start(e) => match local(e.name().as_ref()) {
                b"rPrDefault" => in_defaults = true,
                b"style" => {
                    let id = attr(e, b"styleId").unwrap_or_default();
                    if attr(e, b"type").as_deref() == Some("paragraph")
                        && attr(e, b"default")
                            .as_deref()
                            .is_some_and(|d| d == "1" || d == "true")
                    {
                        out.default_paragraph = Some(id.clone());
                    }
                    current = Some((id, Style::default()));
                }
                b"pPr" => in_ppr = true,
                b"rPr" => in_rpr = true,
                b"basedOn" => {
                    if let Some((_, s)) = current.as_mut() {
                        s.based_on = attr(e, b"val");
                    }
                }
                b"numId" if in_ppr => {
                    if let Some((_, s)) = current.as_mut() {
                        s.num_id = attr(e, b"val");
                    }
                }
                b"ilvl" if in_ppr => {
                    if let Some((_, s)) = current.as_mut() {
                        s.ilvl = attr(e, b"val").and_then(|v| v.parse().ok());
                    }
                }
                name if in_rpr => {
                    let target = if let Some((_, s)) = current.as_mut() {
                        Some(&mut s.run)
                    } else if in_defaults {
                        Some(&mut out.defaults)
                    } else {
                        None
                    };
                    if let Some(r) = target {
                        match name {
                            b"rFonts" => r.set_fonts(e),
                            b"caps" => r.caps = Some(toggle(e)),
                            b"vanish" => r.vanish = Some(toggle(e)),
                            _ => {}
                        }
                    }
                }
                _ => {}
            },
            Ev::End(name) => match name {
                b"rPrDefault" => in_defaults = false,
                b"style" => {
                    if let Some((id, s)) = current.take() {
                        out.styles.insert(id, s);
                    }
                }
                b"pPr" => in_ppr = false,
                b"rPr" => in_rpr = false,
                _ => {}
            },
            Ev::Text(_) => {}
        })?;
        Ok(out)
    }

    /// The style and its ancestors (`basedOn`), nearest first, without cycles.
    fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = &'s Style> + 's {
        let mut next = id;
        let mut n = 0;
        std::iter::from_fn(move || {
            n += 1;
            if n > 32 {
                return None;
            }
            let s = self.styles.get(next?)?;
            next = s.based_on.as_deref();
            Some(s)
        })
    }

    /// Run properties a paragraph style gives (the default paragraph style when none).
    fn paragraph_run(&self, pstyle: Option<&str>) -> RunProps {
        let id = pstyle.or(self.default_paragraph.as_deref());
        let mut r = RunProps::default();
        for s in self.chain(id) {
            r = r.or(&s.run);
        }
        r.or(&self.defaults)
    }

    fn character_run(&self, rstyle: Option<&str>) -> RunProps {
        let mut r = RunProps::default();
        for s in self.chain(rstyle) {
            r = r.or(&s.run);
        }
        r
    }

    /// The numbering a paragraph style gives: (numId, ilvl).
    fn numbering(&self, pstyle: Option<&str>) -> (Option<String>, Option<usize>) {
        let id = pstyle.or(self.default_paragraph.as_deref());
        let mut num = None;
        let mut ilvl = None;
        for s in self.chain(id) {
            num = num.or_else(|| s.num_id.clone());
            ilvl = ilvl.or(s.ilvl);
        }
        (num, ilvl)
    }
}

// ---------------------------------------------------------------------------------------------
// Numbering

#[derive(Debug, Clone, Default)]
struct Level {
    start: i64,
    fmt: String,
    text: String,
    /// `lvlRestart`: restart after a level above this 1-based index appears; 0 never.
    restart: Option<usize>,
    /// What follows the number: `tab` (default), `space` or `nothing`.
    suffix: String,
    legal: bool,
    font: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    start_overrides: HashMap<usize, i64>,
    level_overrides: HashMap<usize, Level>,
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<usize, Level>>,
    nums: HashMap<String, Num>,
    /// Current value per abstract list and level (`None`: not used since its last restart).
    counters: HashMap<String, [Option<i64>; 9]>,
    /// Lists whose start overrides have been applied.
    started: BTreeSet<String>,
}

impl Numbering {
    fn parse(xml: &str, limits: &Limits) -> Result<Numbering, DocxError> {
        let mut out = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut levels: HashMap<usize, Level> = HashMap::new();
        let mut num: Option<(String, Num)> = None;
        let mut override_lvl: Option<usize> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut in_rpr = false;
        walk("word/numbering.xml", xml, limits, |ev| match ev {
            Ev::Start(e) => {
                let val = || attr(e, b"val");
                match local(e.name().as_ref()) {
                    b"abstractNum" => {
                        abstract_id = attr(e, b"abstractNumId");
                        levels = HashMap::new();
                    }
                    b"num" => {
                        num = attr(e, b"numId").map(|id| (id, Num::default()));
                    }
                    b"abstractNumId" => {
                        if let Some((_, n)) = num.as_mut() {
                            n.abstract_id = val().unwrap_or_default();
                        }
                    }
                    b"lvlOverride" => override_lvl = attr(e, b"ilvl").and_then(|v| v.parse().ok()),
                    b"startOverride" => {
                        if let (Some((_, n)), Some(l)) = (num.as_mut(), override_lvl) {
                            if let Some(v) = val().and_then(|v| v.parse().ok()) {
                                n.start_overrides.insert(l, v);
                            }
                        }
                    }
                    b"lvl" => {
                        let ilvl = attr(e, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        level = Some((
                            ilvl,
                            Level {
                                start: 1,
                                fmt: "decimal".into(),
                                suffix: "tab".into(),
                                ..Level::default()
                            },
                        ));
                    }
                    b"rPr" => in_rpr = true,
                    name => {
                        if let Some((_, l)) = level.as_mut() {
                            match name {
                                b"start" => {
                                    l.start = val().and_then(|v| v.parse().ok()).unwrap_or(1)
                                }
                                b"numFmt" => l.fmt = val().unwrap_or_default(),
                                b"lvlText" => l.text = val().unwrap_or_default(),
                                b"lvlRestart" => l.restart = val().and_then(|v| v.parse().ok()),
                                b"suff" => l.suffix = val().unwrap_or_default(),
                                b"isLgl" => l.legal = toggle(e),
                                b"rFonts" if in_rpr => {
                                    l.font = attr(e, b"hAnsi").or_else(|| attr(e, b"ascii"))
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            Ev::End(name) => match name {
                b"lvl" => {
                    if let Some((ilvl, l)) = level.take() {
                        match (num.as_mut(), override_lvl) {
                            (Some((_, n)), Some(o)) => {
                                n.level_overrides.insert(o, l);
                            }
                            _ => {
                                levels.insert(ilvl, l);
                            }
                        }
                    }
                }
                b"lvlOverride" => override_lvl = None,
                b"rPr" => in_rpr = false,
                b"abstractNum" => {
                    if let Some(id) = abstract_id.take() {
                        out.abstracts.insert(id, std::mem::take(&mut levels));
                    }
                }
                b"num" => {
                    if let Some((id, n)) = num.take() {
                        out.nums.insert(id, n);
                    }
                }
                _ => {}
            },
            Ev::Text(_) => {}
        })?;
        Ok(out)
    }

    /// The label of a numbered paragraph (advancing the counters) and the font its level
    /// names, if any. `None` when the list or level is not defined.
    fn label(&mut self, num_id: &str, ilvl: usize) -> Option<(String, Option<String>)> {
        let ilvl = ilvl.min(8);
        let num = self.nums.get(num_id)?.clone();
        let abs = self.abstracts.get(&num.abstract_id)?;
        let level_of = |k: usize| -> Option<Level> {
            num.level_overrides
                .get(&k)
                .cloned()
                .or_else(|| abs.get(&k).cloned())
        };
        let lvl = level_of(ilvl)?;
        let counters = self.counters.entry(num.abstract_id.clone()).or_default();
        if self.started.insert(num_id.to_string()) {
            for &k in num.start_overrides.keys() {
                if k < 9 {
                    counters[k] = None;
                }
            }
        }
        let start_of =
            |k: usize, l: &Level| num.start_overrides.get(&k).copied().unwrap_or(l.start);
        let value = match counters[ilvl] {
            Some(v) => v.saturating_add(1),
            None => start_of(ilvl, &lvl),
        };
        counters[ilvl] = Some(value);
        for (k, c) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = level_of(k).and_then(|l| l.restart).unwrap_or(k);
            if restart != 0 && ilvl < restart {
                *c = None;
            }
        }
        let counters = *counters;
        if lvl.fmt == "bullet" {
            return Some((bullet(&lvl.text), lvl.font.clone()));
        }
        if lvl.fmt == "none" && !lvl.text.contains('%') {
            return Some((lvl.text.clone(), lvl.font.clone()));
        }
        let mut out = String::new();
        let mut chars = lvl.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let k = (d as usize).saturating_sub(1);
                    let l = level_of(k).unwrap_or_default();
                    let v = counters[k].unwrap_or_else(|| start_of(k, &l));
                    let fmt = if lvl.legal { "decimal" } else { l.fmt.as_str() };
                    out.push_str(&format_number(v, fmt));
                    continue;
                }
            }
            out.push(c);
        }
        let suffix = match lvl.suffix.as_str() {
            "nothing" => "",
            _ => " ",
        };
        if !out.is_empty() {
            out.push_str(suffix);
        }
        Some((out, lvl.font.clone()))
    }
}

/// A bullet's text: symbol-font characters (U+F0xx) become `•`.
fn bullet(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| {
            if ('\u{F000}'..='\u{F0FF}').contains(&c) {
                '•'
            } else {
                c
            }
        })
        .collect();
    if t.is_empty() {
        t
    } else {
        t + " "
    }
}

/// A counter value in a Word number format.
fn format_number(v: i64, fmt: &str) -> String {
    match fmt {
        "decimalZero" if (0..10).contains(&v) => format!("0{v}"),
        // Word stops repeating letters at 780 (zz…z, 30 times); beyond, digits.
        "lowerLetter" | "upperLetter" if (1..=780).contains(&v) => {
            // Word: a…z, then aa…zz, aaa…
            let letter = (b'a' + ((v - 1) % 26) as u8) as char;
            let s: String = std::iter::repeat_n(letter, ((v - 1) / 26 + 1) as usize).collect();
            if fmt == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" if (1..4000).contains(&v) => {
            let r = roman(v);
            if fmt == "lowerRoman" {
                r.to_lowercase()
            } else {
                r
            }
        }
        "none" => String::new(),
        _ => v.to_string(),
    }
}

fn roman(mut v: i64) -> String {
    const T: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (n, r) in T {
        while v >= n {
            s.push_str(r);
            v -= n;
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// The body

/// A paragraph being read.
#[derive(Default)]
struct Para {
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
    /// The paragraph mark's run properties (`w:pPr/w:rPr`): the number's font.
    mark: RunProps,
    text: String,
}

/// A run being read.
#[derive(Default)]
struct Run {
    direct: RunProps,
    style: Option<String>,
    text: String,
    /// Line breaks and tabs, kept apart from conversion: (byte offset in `text`, char).
    breaks: Vec<(usize, char)>,
}

/// One table being read: rows of cells of paragraph texts.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<String>>>,
}

struct Body<'s> {
    styles: &'s Styles,
    numbering: Numbering,
    blocks: Vec<String>,
    tables: Vec<Table>,
    para: Option<Para>,
    run: Option<Run>,
    in_ppr: bool,
    in_rpr: bool,
    in_t: bool,
    /// Depth inside an element whose text is left out (drawings, deleted/moved text, notes).
    skip: usize,
    skipped_text: bool,
    notes: usize,
    converted: HashMap<Encoding, BTreeSet<String>>,
    already_unicode: usize,
    symbols_dropped: usize,
}

/// Elements whose content is not body text.
fn skipped(name: &[u8]) -> bool {
    matches!(
        name,
        b"drawing" | b"pict" | b"object" | b"Fallback" | b"moveFrom" | b"del" | b"instrText"
    )
}

impl<'s> Body<'s> {
    fn new(styles: &'s Styles, numbering: Numbering) -> Self {
        Body {
            styles,
            numbering,
            blocks: Vec::new(),
            tables: Vec::new(),
            para: None,
            run: None,
            in_ppr: false,
            in_rpr: false,
            in_t: false,
            skip: 0,
            skipped_text: false,
            notes: 0,
            converted: HashMap::new(),
            already_unicode: 0,
            symbols_dropped: 0,
        }
    }

    fn event(&mut self, ev: Ev<'_, '_>) {
        match ev {
            Ev::Start(e) => {
                let name = e.name();
                let name = local(name.as_ref());
                if self.skip > 0 || skipped(name) {
                    self.skip += 1;
                    if name == b"t" {
                        self.skipped_text = true;
                    }
                    return;
                }
                self.start(name, e);
            }
            Ev::End(name) => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return;
                }
                self.end(name);
            }
            Ev::Text(t) => {
                if self.in_t && self.skip == 0 {
                    if let Some(r) = self.run.as_mut() {
                        r.text.push_str(&t);
                    }
                }
            }
        }
    }

    fn start(&mut self, name: &[u8], e: &BytesStart) {
        match name {
            b"p" => self.para = Some(Para::default()),
            b"pPr" => self.in_ppr = true,
            b"rPr" => self.in_rpr = true,
            b"r" => self.run = Some(Run::default()),
            b"t" => self.in_t = true,
            b"tbl" => self.tables.push(Table::default()),
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(Vec::new());
                }
            }
            b"tc" => {
                if let Some(row) = self.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            b"footnoteReference" | b"endnoteReference" => self.notes += 1,
            b"tab" if self.run.is_some() && !self.in_ppr => self.push_break('\t'),
            b"br" | b"cr" if self.run.is_some() => self.push_break('\n'),
            b"noBreakHyphen" => {
                if let Some(r) = self.run.as_mut() {
                    r.text.push('-');
                }
            }
            b"sym" => self.symbol(e),
            b"pStyle" if self.in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.style = attr(e, b"val");
                }
            }
            b"numId" if self.in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.num_id = attr(e, b"val");
                }
            }
            b"ilvl" if self.in_ppr => {
                if let Some(p) = self.para.as_mut() {
                    p.ilvl = attr(e, b"val").and_then(|v| v.parse().ok());
                }
            }
            b"rStyle" if self.in_rpr => {
                if let Some(r) = self.run.as_mut() {
                    r.style = attr(e, b"val");
                }
            }
            b"rFonts" | b"caps" | b"vanish" if self.in_rpr => {
                let target = if self.in_ppr {
                    self.para.as_mut().map(|p| &mut p.mark)
                } else {
                    self.run.as_mut().map(|r| &mut r.direct)
                };
                if let Some(t) = target {
                    match name {
                        b"rFonts" => t.set_fonts(e),
                        b"caps" => t.caps = Some(toggle(e)),
                        _ => t.vanish = Some(toggle(e)),
                    }
                }
            }
            _ => {}
        }
    }

    fn push_break(&mut self, c: char) {
        if let Some(r) = self.run.as_mut() {
            r.breaks.push((r.text.len(), c));
        }
    }

    /// `w:sym`: a character of a symbol font, or of a legacy font (converted).
    fn symbol(&mut self, e: &BytesStart) {
        let Some(r) = self.run.as_mut() else { return };
        let font = attr(e, b"font").unwrap_or_default();
        let code = attr(e, b"char").and_then(|c| u32::from_str_radix(&c, 16).ok());
        let Some(code) = code else { return };
        let code = if code >= 0xF000 { code - 0xF000 } else { code };
        match (legacy_font(&font), char::from_u32(code)) {
            (Some(lf), Some(c)) => r.text.push_str(&lf.to_unicode(&c.to_string())),
            _ => self.symbols_dropped += 1,
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"pPr" => self.in_ppr = false,
            b"rPr" => self.in_rpr = false,
            b"t" => self.in_t = false,
            b"r" => self.end_run(),
            b"p" => self.end_paragraph(),
            b"tbl" => {
                if let Some(t) = self.tables.pop() {
                    for line in flatten(t) {
                        self.push_block(line);
                    }
                }
            }
            _ => {}
        }
    }

    fn end_run(&mut self) {
        let Some(run) = self.run.take() else { return };
        let Some(mut para) = self.para.take() else {
            return;
        };
        self.add_run(&mut para, run);
        self.para = Some(para);
    }

    fn add_run(&mut self, para: &mut Para, run: Run) {
        let props = run
            .direct
            .clone()
            .or(&self.styles.character_run(run.style.as_deref()))
            .or(&self.styles.paragraph_run(para.style.as_deref()));
        if props.vanish == Some(true) {
            return;
        }
        let font = props.font.as_deref().and_then(legacy_font);
        // Cut the run at its breaks, convert the pieces, put the breaks back.
        let mut pieces = Vec::new();
        let mut from = 0;
        for &(at, c) in &run.breaks {
            pieces.push((&run.text[from..at], Some(c)));
            from = at;
        }
        pieces.push((&run.text[from..], None));
        for (piece, brk) in pieces {
            let mut s = match font {
                Some(lf) if !piece.is_empty() => self.convert(lf, props.font.as_deref(), piece),
                _ => piece.to_string(),
            };
            if props.caps == Some(true) {
                s = s.to_uppercase();
            }
            para.text.push_str(&s);
            if let Some(c) = brk {
                para.text.push(c);
            }
        }
    }

    /// Converts a legacy-font piece of text, unless it already holds Unicode Vietnamese
    /// letters (a converted document that kept its old font).
    fn convert(&mut self, lf: LegacyFont, font: Option<&str>, s: &str) -> String {
        let unicode = s
            .chars()
            .any(|c| matches!(c as u32, 0x102..=0x1B0 | 0x1EA0..=0x1EF9));
        if unicode {
            self.already_unicode += 1;
            return s.to_string();
        }
        self.converted
            .entry(lf.encoding)
            .or_default()
            .insert(font.unwrap_or_default().to_string());
        lf.to_unicode(s)
    }

    fn end_paragraph(&mut self) {
        let Some(para) = self.para.take() else { return };
        let (style_num, style_ilvl) = self.styles.numbering(para.style.as_deref());
        let num_id = para.num_id.clone().or(style_num);
        let ilvl = para.ilvl.or(style_ilvl).unwrap_or(0);
        let mut label = String::new();
        if let Some(id) = num_id.filter(|id| id != "0") {
            if let Some((l, font)) = self.numbering.label(&id, ilvl) {
                let font = font
                    .or_else(|| para.mark.font.clone())
                    .or_else(|| self.styles.paragraph_run(para.style.as_deref()).font);
                label = match font.as_deref().and_then(legacy_font) {
                    Some(lf) => self.convert(lf, font.as_deref(), &l),
                    None => l,
                };
            }
        }
        let text = format!("{label}{}", para.text);
        if text.trim().is_empty() {
            return;
        }
        self.push_block(text);
    }

    /// A finished paragraph goes to the innermost table cell, or to the body.
    fn push_block(&mut self, text: String) {
        if let Some(cell) = self
            .tables
            .last_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|r| r.last_mut())
        {
            cell.push(text);
        } else {
            self.blocks.push(text);
        }
    }

    fn finish(&mut self) -> String {
        // An unclosed table (a broken document) still gives its text.
        while let Some(t) = self.tables.pop() {
            for line in flatten(t) {
                self.push_block(line);
            }
        }
        let mut s = self.blocks.join("\n\n");
        s.push('\n');
        s
    }

    fn warnings(&self, header_parts: usize) -> Vec<String> {
        let mut w = Vec::new();
        for (enc, fonts) in &self.converted {
            let fonts: Vec<&str> = fonts.iter().map(|s| s.as_str()).collect();
            w.push(format!(
                "text in {} fonts ({}) converted to Unicode",
                match enc {
                    Encoding::Tcvn3 => "TCVN3",
                    _ => "VNI",
                },
                fonts.join(", ")
            ));
        }
        w.sort();
        if self.already_unicode > 0 {
            w.push(format!(
                "{} runs in a legacy font already held Unicode text and were kept as they are",
                self.already_unicode
            ));
        }
        if header_parts > 0 {
            w.push(format!(
                "page headers and footers ({header_parts} parts) left out of the text"
            ));
        }
        if self.notes > 0 {
            w.push(format!(
                "{} footnotes or endnotes left out of the text",
                self.notes
            ));
        }
        if self.skipped_text {
            w.push("text in drawings or text boxes left out".into());
        }
        if self.symbols_dropped > 0 {
            w.push(format!(
                "{} symbol-font characters left out",
                self.symbols_dropped
            ));
        }
        w
    }
}

/// A table's text, row by row (see the module doc).
fn flatten(t: Table) -> Vec<String> {
    let mut out = Vec::new();
    for row in t.rows {
        let filled: Vec<&Vec<String>> = row.iter().filter(|c| !c.is_empty()).collect();
        if filled.is_empty() {
            continue;
        }
        if filled.len() >= 2 && filled.iter().all(|c| c.len() == 1 && !c[0].contains('\n')) {
            let cells: Vec<String> = row
                .iter()
                .map(|c| c.first().map(|s| s.replace('|', "/")).unwrap_or_default())
                .collect();
            out.push(format!("| {} |", cells.join(" | ")));
        } else {
            for cell in filled {
                out.extend(cell.iter().cloned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            z.start_file(*name, opts).unwrap();
            z.write_all(data.as_bytes()).unwrap();
        }
        z.finish().unwrap();
        buf.into_inner()
    }

    fn body(xml: &str) -> String {
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{xml}</w:body></w:document>"#)
    }

    fn text_of(parts: &[(&str, &str)]) -> String {
        import(&docx(parts), &ImportOptions::default())
            .unwrap()
            .text
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
        <w:abstractNum w:abstractNumId="1">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
          <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1.%3"/><w:suff w:val="nothing"/></w:lvl>
        </w:abstractNum>
        <w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>
        <w:num w:numId="6"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
        <w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>
      </w:numbering>"#;

    fn p(num: &str, ilvl: u8, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    #[test]
    fn numbering_levels_restart_and_overrides() {
        let xml = [
            p("5", 0, "Một"),
            p("5", 1, "điểm"),
            p("5", 1, "điểm"),
            p("5", 0, "Hai"),
            p("5", 1, "điểm"),
            p("5", 2, "mục"),
            // Another list over the same abstract list continues it…
            p("7", 0, "Ba"),
            // …unless it overrides the start.
            p("6", 0, "Lại một"),
            p("6", 0, "Lại hai"),
        ]
        .concat();
        let t = text_of(&[
            ("word/document.xml", &body(&xml)),
            ("word/numbering.xml", NUMBERING),
        ]);
        assert_eq!(
            t,
            "1. Một\n\na) điểm\n\nb) điểm\n\n2. Hai\n\na) điểm\n\n2.Imục\n\n3. Ba\n\n1. Lại một\n\n2. Lại hai\n"
        );
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(5, "lowerLetter"), "e");
        assert_eq!(format_number(27, "lowerLetter"), "aa");
        assert_eq!(format_number(28, "upperLetter"), "BB");
        assert_eq!(format_number(14, "lowerRoman"), "xiv");
        assert_eq!(format_number(1999, "upperRoman"), "MCMXCIX");
        assert_eq!(format_number(7, "decimalZero"), "07");
        assert_eq!(format_number(12, "decimal"), "12");
        assert_eq!(format_number(3, "none"), "");
        assert_eq!(bullet("\u{F0B7}"), "• ");
    }

    #[test]
    fn hostile_numbering_values_stay_bounded() {
        assert_eq!(format_number(i64::MAX, "lowerLetter"), i64::MAX.to_string());
        assert_eq!(format_number(-3, "upperRoman"), "-3");
        let numbering = r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="9223372036854775807"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1%9)"/></w:lvl>
            </w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let xml = body(&[p("1", 0, "x"), p("1", 0, "y"), p("1", 12, "z")].concat());
        let t = text_of(&[
            ("word/document.xml", &xml),
            ("word/numbering.xml", numbering),
        ]);
        assert_eq!(
            t,
            "92233720368547758070) x\n\n92233720368547758070) y\n\nz\n"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any damage to a valid package gives text or an error, never a panic.
        #[test]
        fn damaged_packages_never_panic(
            edits in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 1..8),
            cut in 0usize..4096,
        ) {
            let mut bytes = docx(&[
                ("word/document.xml", &body(&[p("5", 0, "Một"), p("5", 1, "điểm")].concat())),
                ("word/numbering.xml", NUMBERING),
            ]);
            for (at, b) in edits {
                let n = bytes.len();
                bytes[at % n] = b;
            }
            bytes.truncate(bytes.len() - cut % bytes.len());
            let _ = import(&bytes, &ImportOptions::default());
        }
    }

    #[test]
    fn style_linked_numbering_and_legacy_fonts_by_style() {
        let styles = format!(
            r#"<w:styles {W}>
            <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/></w:rPr></w:rPrDefault></w:docDefaults>
            <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:style>
            <w:style w:type="paragraph" w:styleId="Dieu"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Title"><w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/></w:rPr></w:style>
            </w:styles>"#
        );
        let numbering = r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="§iÒu %1."/><w:suff w:val="space"/></w:lvl>
            </w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let xml = body(concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>quyÕt ®Þnh</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:pStyle w:val="Dieu"/></w:pPr><w:r><w:t>Ph¹m vi</w:t></w:r></w:p>"#,
            r#"<w:p><w:pPr><w:pStyle w:val="Dieu"/></w:pPr><w:r><w:t>HiÖu lùc</w:t></w:r></w:p>"#,
            // Unicode run in a Unicode font next to a TCVN3 run.
            r#"<w:p><w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr><w:t>Nơi nhận: </w:t></w:r><w:r><w:t>Bé T­ ph¸p</w:t></w:r></w:p>"#,
            // VNI run, with a break and a tab.
            r#"<w:p><w:r><w:rPr><w:rFonts w:hAnsi="VNI-Times"/></w:rPr><w:t>TM. UÛY BAN</w:t><w:br/><w:t>CHUÛ TÒCH</w:t><w:tab/><w:t>x</w:t></w:r></w:p>"#,
            // A legacy font that already holds Unicode.
            r#"<w:p><w:r><w:t>Điều chỉnh</w:t></w:r></w:p>"#,
        ));
        let im = import(
            &docx(&[
                ("word/document.xml", &xml),
                ("word/styles.xml", &styles),
                ("word/numbering.xml", numbering),
            ]),
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(
            im.text,
            "QUYẾT ĐỊNH\n\nĐiều 1. Phạm vi\n\nĐiều 2. Hiệu lực\n\nNơi nhận: Bộ Tư pháp\n\nTM. ỦY BAN\nCHỦ TỊCH\tx\n\nĐiều chỉnh\n"
        );
        assert!(
            im.warnings
                .iter()
                .any(|w| w.contains("TCVN3 fonts (.VnTime, .VnTimeH)")),
            "{:?}",
            im.warnings
        );
        assert!(im
            .warnings
            .iter()
            .any(|w| w.contains("VNI fonts (VNI-Times)")));
        assert!(im
            .warnings
            .iter()
            .any(|w| w.starts_with("1 runs in a legacy font")));
    }

    #[test]
    fn tables_notes_hidden_and_deleted_text() {
        let xml = body(concat!(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>ỦY BAN NHÂN DÂN</w:t></w:r></w:p><w:p><w:r><w:t>TỈNH X</w:t></w:r></w:p></w:tc>"#,
            r#"<w:tc><w:p><w:r><w:t>CỘNG HÒA</w:t></w:r></w:p></w:tc></w:tr>"#,
            r#"<w:tr><w:tc><w:p><w:r><w:t>Số: 1/2020/QĐ-UBND</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>X, ngày 1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:p><w:r><w:t xml:space="preserve">Có </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r>"#,
            r#"<w:del><w:r><w:delText>xoá</w:delText></w:r></w:del><w:ins><w:r><w:t>thêm</w:t></w:r></w:ins>"#,
            r#"<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>&amp; &#7873;</w:t></w:r>"#,
            r#"<w:r><w:drawing><w:t>hình</w:t></w:drawing></w:r><w:r><w:rPr><w:caps/></w:rPr><w:t>hoa</w:t></w:r></w:p>"#,
        ));
        let im = import(
            &docx(&[("word/document.xml", &xml), ("word/header1.xml", "<x/>")]),
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(
            im.text,
            "ỦY BAN NHÂN DÂN\n\nTỈNH X\n\nCỘNG HÒA\n\n| Số: 1/2020/QĐ-UBND | X, ngày 1 |\n\nCó thêm& ềHOA\n"
        );
        assert!(im.warnings.iter().any(|w| w.contains("1 footnotes")));
        assert!(im
            .warnings
            .iter()
            .any(|w| w.contains("headers and footers (1 parts)")));
        assert!(im.warnings.iter().any(|w| w.contains("drawings")));
    }

    #[test]
    fn errors() {
        let opts = ImportOptions::default();
        assert!(matches!(
            import(b"%PDF-1.7 ...", &opts),
            Err(DocxError::PdfNamedDocx)
        ));
        assert!(matches!(import(b"hello", &opts), Err(DocxError::NotZip)));
        let good = docx(&[("word/document.xml", &body(""))]);
        assert!(matches!(
            import(&good[..good.len() / 2], &opts),
            Err(DocxError::Corrupt(_))
        ));
        let other = docx(&[("content.xml", "<x/>")]);
        assert!(matches!(
            import(&other, &opts),
            Err(DocxError::MissingDocument)
        ));
        let deep = body(&"<w:sdt>".repeat(300));
        match import(&docx(&[("word/document.xml", &deep)]), &opts) {
            Err(e @ DocxError::TooDeep { .. }) => {
                assert!(e
                    .to_string()
                    .starts_with("word/document.xml: XML nested deeper than 256"))
            }
            other => panic!("{other:?}"),
        }
        let bad = body("<w:p><w:r><w:t>x</w:r></w:p>");
        match import(&docx(&[("word/document.xml", &bad)]), &opts) {
            Err(e @ DocxError::Xml { .. }) => {
                assert!(
                    e.to_string()
                        .starts_with("word/document.xml: bad XML at line 1"),
                    "{e}"
                )
            }
            other => panic!("{other:?}"),
        }
        let small = ImportOptions {
            limits: Limits {
                max_inflated_bytes: 1000,
                ..Limits::default()
            },
            ..ImportOptions::default()
        };
        let big = body(&"<w:p/>".repeat(1000));
        assert!(matches!(
            import(&docx(&[("word/document.xml", &big)]), &small),
            Err(DocxError::ZipBomb { .. })
        ));
        let few = ImportOptions {
            limits: Limits {
                max_zip_entries: 1,
                ..Limits::default()
            },
            ..ImportOptions::default()
        };
        let two = docx(&[("word/document.xml", &body("")), ("a", "b")]);
        assert_eq!(eocd_entries(&two), Some(2));
        assert!(matches!(
            import(&two, &few),
            Err(DocxError::TooManyEntries { count: 2, .. })
        ));
    }
}
