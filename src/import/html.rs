//! `.html` pages saved from legal libraries and from the national legal database.
//!
//! Two kinds of page carry something rasoat can use:
//!
//! - **Full texts**: a legal library's document page, or the national database's *toàn văn*
//!   page. The main text is found (the database's `#toanvancontent` and the header beside
//!   it; a library's known content containers; else the element holding the most paragraph
//!   text), navigation, menus, scripts, styles and chrome are dropped, block elements become
//!   lines, table rows become `| cell | cell |` lines (which the text normaliser reads like a
//!   Markdown table) when their cells hold only inline content, and entities are decoded by
//!   the HTML parser. The database's status bar above the text (*Hiệu lực*, *Ngày có hiệu
//!   lực*, *Ngày hết hiệu lực*) is kept as [`ValidityFacts`] too.
//! - **Attribute and diagram pages** of the national database (*thuộc tính*, *lược đồ*): no
//!   text, only the validity facts they state (status, first and last day in force,
//!   relations), each with its source "vbpl thuộc tính page: FILE". A document without a
//!   number ("Số ký hiệu: Không số") is named as the parser names its text, by type and date
//!   of issue (`Hiến-pháp-28/11/2013`, see [`crate::parse::number::numberless_id`]).
//!
//! Search results and "related documents" listings are not documents: they are refused with
//! [`HtmlError::NotADocumentPage`], so that ingest reports them by name instead of storing a
//! list of titles as if it were a text. Their only fact, the subject's status bar, is the one
//! its attribute page states in full.
//!
//! **End dates.** The database's *Ngày hết hiệu lực* is the day the document stops having
//! effect — for the 1992 Constitution as amended in 2001 it shows 01/01/2014, the day the 2013
//! Constitution took effect. rasoat's `in_force_until` (as in `rules/registry.toml`) is the
//! LAST day in force, so the importer stores the day before (2013-12-31).
//!
//! Parsing uses html5ever (through `scraper`): broken markup is repaired the way browsers do;
//! the tree is walked with an explicit stack and its depth is checked against
//! [`super::Limits::max_xml_depth`].

use std::path::Path;

use chrono::NaiveDate;
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::{ImportOptions, Imported, SourceFormat, ValidityFacts};

#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("HTML elements nested {depth} deep, over the limit of {limit}")]
    TooDeep { depth: usize, limit: usize },
    #[error("not a document page: {kind} ({why})")]
    NotADocumentPage { kind: &'static str, why: String },
    #[error("no document text found in the page")]
    NoText,
}

/// What a page of the national database (or a library) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// *Toàn văn*: the text, with a status bar.
    FullText,
    /// *Thuộc tính*: the attribute table.
    Attributes,
    /// *Lược đồ*: the relation diagram.
    Diagram,
    /// The consolidation diagram of a *văn bản hợp nhất*.
    ConsolidationDiagram,
    /// *VB liên quan*: a list of related documents.
    Related,
    /// A list of search results.
    Search,
    /// Any other page: a legal library's document page, or a page saved from elsewhere.
    Library,
}

impl PageKind {
    /// How the source of a fact names the page.
    pub fn label(self) -> &'static str {
        match self {
            PageKind::FullText => "vbpl toàn văn page",
            PageKind::Attributes => "vbpl thuộc tính page",
            PageKind::Diagram => "vbpl lược đồ page",
            PageKind::ConsolidationDiagram => "vbpl lược đồ hợp nhất page",
            PageKind::Related => "vbpl VB liên quan page",
            PageKind::Search => "vbpl search page",
            PageKind::Library => "HTML page",
        }
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a valid built-in selector")
}

/// Collapses runs of white space (including no-break spaces) to one space, trimmed.
fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn text_of(e: ElementRef<'_>) -> String {
    collapse(&e.text().collect::<String>())
}

/// Reads `dd/mm/yyyy` (the database's format).
pub fn parse_vn_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let mut it = s.split('/').map(|p| p.trim().parse::<u32>().ok());
    let (d, m, y) = (it.next()??, it.next()??, it.next()??);
    if it.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// The database's "Ngày hết hiệu lực" (first day without effect) as rasoat's last day in force.
fn last_day_from_end(s: &str) -> Option<NaiveDate> {
    parse_vn_date(s).and_then(|d| d.pred_opt())
}

/// A *số ký hiệu* among the words of a title ("Nghị quyết 42/2017/QH14 Về …" → 42/2017/QH14).
fn number_in(s: &str) -> Option<String> {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | '(' | ')' | '.' | ':')))
        .find(|w| w.contains('/') && w.starts_with(|c: char| c.is_ascii_digit()))
        .map(String::from)
}

fn max_depth(doc: &Html) -> usize {
    let mut depth = 0usize;
    let mut max = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(n) if n.has_children() => {
                depth += 1;
                max = max.max(depth);
            }
            Edge::Close(n) if n.has_children() => depth -= 1,
            _ => {}
        }
    }
    max
}

/// Imports one page; `path` names the file in the facts' sources.
pub fn import(path: &Path, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, HtmlError> {
    let mut warnings = Vec::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let source = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            warnings.push("the page is not valid UTF-8: invalid bytes were replaced".to_string());
            String::from_utf8_lossy(bytes)
        }
    };
    let doc = Html::parse_document(&source);
    let depth = max_depth(&doc);
    if depth > opts.limits.max_xml_depth {
        return Err(HtmlError::TooDeep {
            depth,
            limit: opts.limits.max_xml_depth,
        });
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string());
    let kind = classify(&doc);
    let subject = Subject::of(&doc);
    let src = format!("{}: {file}", kind.label());
    let mut out = Imported::text(String::new(), SourceFormat::Html);
    out.warnings = warnings;
    match kind {
        PageKind::Search => {
            let n = match doc.select(&sel(".listLaw .item")).count() {
                0 => doc.select(&sel(".listLaw > li")).count(),
                n => n,
            };
            return Err(HtmlError::NotADocumentPage {
                kind: "search results",
                why: format!("{n} results listed, no text and no facts of one document"),
            });
        }
        PageKind::Related => {
            return Err(HtmlError::NotADocumentPage {
                kind: "related documents list",
                why: format!(
                    "the list of documents related to {}; import its thuộc tính or lược đồ page for its facts",
                    subject.display()
                ),
            });
        }
        PageKind::Attributes => {
            let mut f = status_bar(&doc, &subject, &src);
            attributes(&doc, &mut f);
            out.facts.push(f);
        }
        PageKind::Diagram | PageKind::ConsolidationDiagram => {
            let mut f = status_bar(&doc, &subject, &src);
            diagram(&doc, kind, &mut f);
            out.facts.push(f);
        }
        PageKind::FullText => {
            let content = doc
                .select(&sel("#toanvancontent, .toanvancontent"))
                .next()
                .expect("classified by this element");
            // The header (issuer, number, motto, place and date) sits in a sibling before the
            // text: take their common parent.
            let container = content
                .parent()
                .and_then(ElementRef::wrap)
                .unwrap_or(content);
            out.text = render(container);
            let f = status_bar(&doc, &subject, &src);
            if f.status.is_some() || f.in_force_from.is_some() || f.in_force_until.is_some() {
                out.facts.push(f);
            }
        }
        PageKind::Library => {
            let container = library_container(&doc).ok_or(HtmlError::NoText)?;
            out.text = render(container);
        }
    }
    if out.text.trim().is_empty() && out.facts.is_empty() {
        return Err(HtmlError::NoText);
    }
    Ok(out)
}

fn classify(doc: &Html) -> PageKind {
    let has = |s: &str| doc.select(&sel(s)).next().is_some();
    if has(".vbProperties") {
        PageKind::Attributes
    } else if has(".vbLuocDo, .vbLuocdo") {
        PageKind::Diagram
    } else if has("#toanvancontent, .toanvancontent") {
        PageKind::FullText
    } else if has(".listLaw") {
        PageKind::Search
    } else if has(".vbLienQuan .listVB, .listVB") {
        PageKind::Related
    } else if has(".vbHopNhat, .box-map") && hopnhat_blocks(doc).is_some() {
        PageKind::ConsolidationDiagram
    } else {
        PageKind::Library
    }
}

/// The document a database page is about, from its breadcrumb ("Bộ luật 101/2015/QH13").
#[derive(Debug, Default)]
struct Subject {
    number: Option<String>,
    title: String,
}

impl Subject {
    fn of(doc: &Html) -> Subject {
        let Some(last) = doc.select(&sel(".box-map li")).next_back() else {
            return Subject::default();
        };
        let title = text_of(last);
        let number = number_in(&title);
        Subject { number, title }
    }

    fn display(&self) -> String {
        if self.title.is_empty() {
            "the page's document".to_string()
        } else {
            self.title.clone()
        }
    }
}

/// The status bar above every tab of a database page (`.vbInfo`): status, first day in
/// force, end. The document is the breadcrumb's number, empty for "Không số" (ingest binds
/// it to the parsed document when the page has a text).
fn status_bar(doc: &Html, subject: &Subject, source: &str) -> ValidityFacts {
    let mut f = ValidityFacts {
        document: subject.number.clone().unwrap_or_default(),
        status: None,
        in_force_from: None,
        in_force_until: None,
        relations: Vec::new(),
        source: source.to_string(),
    };
    for li in doc.select(&sel(".vbInfo li")) {
        let all = text_of(li);
        let Some((label, value)) = all.split_once(':') else {
            continue;
        };
        set_fact(&mut f, label, value);
    }
    f
}

/// Sets the fact a label names; unknown labels are ignored.
fn set_fact(f: &mut ValidityFacts, label: &str, value: &str) {
    let label = collapse(label).to_lowercase();
    let value = collapse(value);
    if value.is_empty() {
        return;
    }
    match label.as_str() {
        "hiệu lực" | "tình trạng hiệu lực" => f.status = Some(value),
        "ngày có hiệu lực" => {
            if let Some(d) = parse_vn_date(&value) {
                f.in_force_from = Some(d);
            }
        }
        "ngày hết hiệu lực" => {
            if let Some(d) = last_day_from_end(&value) {
                f.in_force_until = Some(d);
            }
        }
        "số ký hiệu" => {
            if let Some(n) = number_in(&value) {
                f.document = n;
            }
        }
        _ => {}
    }
}

/// The attribute table (`.vbProperties`): label cells followed by value cells, and the
/// "Tình trạng hiệu lực: …" row. Rows whose label names documents ("Văn bản bị thay thế",
/// "Văn bản được hướng dẫn" …) are relations.
fn attributes(doc: &Html, f: &mut ValidityFacts) {
    let Some(table) = doc.select(&sel(".vbProperties")).next() else {
        return;
    };
    // A document without a number ("Số ký hiệu: Không số") is named by its type and date of
    // issue, as the parser names its text (`Hiến-pháp-28/11/2013`).
    let (mut numberless, mut issued, mut doc_type) = (false, None, None);
    for tr in table.select(&sel("tr")) {
        let cells: Vec<ElementRef> = tr.select(&sel("td, th")).collect();
        let mut i = 0;
        while i < cells.len() {
            let c = cells[i];
            let text = text_of(c);
            let is_label = c.value().classes().any(|k| k == "label");
            if is_label {
                let value = cells.get(i + 1).map(|v| text_of(*v)).unwrap_or_default();
                if text.to_lowercase().starts_with("văn bản") {
                    for n in value.split([',', ';']).filter_map(number_in) {
                        f.relations.push((text.clone(), n));
                    }
                } else {
                    match collapse(&text).to_lowercase().as_str() {
                        "số ký hiệu" => {
                            numberless = crate::parse::number::is_no_number(&value)
                        }
                        "ngày ban hành" => issued = parse_vn_date(&value),
                        "loại văn bản" => doc_type = Some(collapse(&value)),
                        _ => {}
                    }
                    set_fact(f, &text, &value);
                }
                i += 2;
            } else {
                if let Some((label, value)) = text.split_once(':') {
                    if collapse(label).eq_ignore_ascii_case("Tình trạng hiệu lực") {
                        set_fact(f, label, value);
                    }
                }
                i += 1;
            }
        }
    }
    if f.document.trim().is_empty() && numberless {
        if let Some(id) = crate::parse::number::numberless_id(doc_type.as_deref(), issued) {
            f.document = id;
        }
    }
}

/// The relation diagram (`.vbLuocDo`): one block per relation, titled ("Văn bản được hướng
/// dẫn (3)"), listing documents ("Nghị quyết 42/2017/QH14 Về …").
fn diagram(doc: &Html, kind: PageKind, f: &mut ValidityFacts) {
    if kind == PageKind::ConsolidationDiagram {
        if let Some(blocks) = hopnhat_blocks(doc) {
            for (relation, number) in blocks {
                f.relations.push((relation, number));
            }
        }
        return;
    }
    for block in doc.select(&sel(".luocdo")) {
        let Some(title) = block.select(&sel(".title, .titleht")).next() else {
            continue;
        };
        let title = text_of(title);
        let relation = title
            .trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '(' | ')' | ' '))
            .trim()
            .to_string();
        let current = relation.eq_ignore_ascii_case("Văn bản hiện thời");
        for li in block.select(&sel(".content li")) {
            let label = li
                .select(&sel("a"))
                .next()
                .map(text_of)
                .unwrap_or_else(|| text_of(li));
            let Some(n) = number_in(&label) else {
                continue;
            };
            if current {
                if f.document.is_empty() {
                    f.document = n;
                }
            } else {
                f.relations.push((relation.clone(), n));
            }
        }
    }
}

/// A consolidation diagram: the boxes of the texts consolidated (the original and its
/// amendments) and of the consolidating text (*văn bản hợp nhất*, the page's subject), as
/// ("Văn bản được hợp nhất", number) pairs; `None` when the page has no such boxes.
fn hopnhat_blocks(doc: &Html) -> Option<Vec<(String, String)>> {
    let root = doc.root_element();
    if !root.text().any(|t| t.contains("VĂN BẢN ĐƯỢC HỢP NHẤT")) {
        return None;
    }
    let subject = Subject::of(doc).number;
    let mut out: Vec<(String, String)> = Vec::new();
    for a in doc.select(&sel(".w a")) {
        if let Some(n) = number_in(&text_of(a)) {
            let known = out.iter().any(|(_, m)| *m == n);
            if Some(&n) != subject.as_ref() && !known {
                out.push(("Văn bản được hợp nhất".to_string(), n));
            }
        }
    }
    Some(out)
}

/// A legal library's content container: known ids and classes first, else the element with
/// the most paragraph text directly inside it.
fn library_container(doc: &Html) -> Option<ElementRef<'_>> {
    for s in [
        "#divContentDoc",
        ".content1",
        "#ctl00_Content_ThongTinVB_pnlDocContent",
        ".noidungtracuu",
        ".doc-content",
        "article",
        "main",
        "[role=main]",
    ] {
        if let Some(e) = doc.select(&sel(s)).next() {
            if text_of(e).chars().count() >= 200 {
                return Some(e);
            }
        }
    }
    let mut best: Option<(usize, ElementRef)> = None;
    for e in doc.select(&sel("div, td, section, body")) {
        if skipped(e) {
            continue;
        }
        let mut score = 0usize;
        for c in e.children() {
            match c.value() {
                Node::Text(t) => score += collapse(t).chars().count(),
                Node::Element(x) if matches!(x.name(), "p" | "h1" | "h2" | "h3" | "h4" | "li") => {
                    if let Some(ce) = ElementRef::wrap(c) {
                        score += text_of(ce).chars().count();
                    }
                }
                _ => {}
            }
        }
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, e));
        }
    }
    best.filter(|(s, _)| *s >= 200).map(|(_, e)| e)
}

const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg",
    "canvas", "button", "select", "option", "input", "textarea", "nav", "aside", "footer", "map",
    "area", "audio", "video",
];

/// Class or id words of page chrome (menus, breadcrumbs, tool bars, the database's status
/// bar, attachments and "related documents" boxes under the text, comment forms).
const CHROME_WORDS: &[&str] = &[
    "menu",
    "navbar",
    "breadcrumb",
    "box-map",
    "footer",
    "banner",
    "share",
    "social",
    "advert",
    "vbinfo",
    "vbfile",
    "vblienquan",
    "csscomment",
    "header-top",
    "aspnethidden",
];

fn skipped(e: ElementRef<'_>) -> bool {
    let v = e.value();
    if SKIP_TAGS.contains(&v.name()) {
        return true;
    }
    let words = v
        .classes()
        .map(|c| c.to_ascii_lowercase())
        .chain(v.id().map(|i| i.to_ascii_lowercase()));
    for w in words {
        if CHROME_WORDS.iter().any(|c| w == *c || w.contains("menu")) {
            return true;
        }
    }
    v.attr("style").is_some_and(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        s.to_ascii_lowercase().contains("display:none")
    })
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "section",
    "article",
    "main",
    "header",
    "blockquote",
    "pre",
    "center",
    "dl",
    "dt",
    "dd",
    "form",
    "fieldset",
    "address",
    "hr",
    "figure",
    "figcaption",
    "caption",
    "body",
    "html",
];

fn is_block(name: &str) -> bool {
    BLOCK_TAGS.contains(&name)
}

/// Lines being built: the current line's words, and the finished lines.
#[derive(Default)]
struct Lines {
    done: Vec<String>,
    cur: String,
}

impl Lines {
    fn push(&mut self, text: &str) {
        let mut first = true;
        for w in text.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
            if w.is_empty() {
                first = false;
                continue;
            }
            // A space before the word when the text had one, or between words.
            let spaced = !first
                || text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_whitespace() || c == '\u{a0}');
            if spaced && !self.cur.is_empty() && !self.cur.ends_with(' ') {
                self.cur.push(' ');
            }
            self.cur.push_str(w);
            first = false;
        }
        if text
            .chars()
            .last()
            .is_some_and(|c| c.is_whitespace() || c == '\u{a0}')
            && !self.cur.is_empty()
            && !self.cur.ends_with(' ')
        {
            self.cur.push(' ');
        }
    }

    fn line(&mut self, l: String) {
        self.end();
        self.done.push(l);
    }

    fn end(&mut self) {
        let l = self.cur.trim();
        if !l.is_empty() {
            self.done.push(l.to_string());
        }
        self.cur.clear();
    }
}

/// A table row whose cells hold only inline content, as one `| a | b |` line; `None` when a
/// cell holds blocks (a layout table: its blocks become lines of their own).
fn inline_row(tr: ElementRef<'_>) -> Option<String> {
    let cells: Vec<ElementRef> = tr
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "td" | "th"))
        .collect();
    if cells.is_empty() {
        return None;
    }
    let mut texts = Vec::new();
    for c in &cells {
        if c.descendent_elements()
            .skip(1)
            .any(|d| is_block(d.value().name()) && d.value().name() != "br")
        {
            return None;
        }
        let mut l = Lines::default();
        walk(*c, &mut l);
        l.end();
        texts.push(l.done.join(" "));
    }
    let filled: Vec<&String> = texts.iter().filter(|t| !t.is_empty()).collect();
    Some(match filled.len() {
        0 => String::new(),
        1 => filled[0].clone(),
        _ => format!("| {} |", texts.join(" | ")),
    })
}

fn walk(root: ElementRef<'_>, out: &mut Lines) {
    // Explicit stack: (node, entering?) so that depth costs no native stack.
    let mut stack: Vec<(NodeRef<'_, Node>, bool)> = vec![(*root, true)];
    let root_id = root.id();
    while let Some((node, enter)) = stack.pop() {
        match node.value() {
            Node::Text(t) if enter => out.push(t),
            Node::Element(e) => {
                let name = e.name();
                if !enter {
                    if is_block(name) {
                        out.end();
                    }
                    continue;
                }
                if node.id() != root_id {
                    if let Some(er) = ElementRef::wrap(node) {
                        if skipped(er) {
                            continue;
                        }
                        if name == "tr" {
                            if let Some(row) = inline_row(er) {
                                if !row.is_empty() {
                                    out.line(row);
                                }
                                continue;
                            }
                        }
                    }
                }
                if name == "br" {
                    out.end();
                    continue;
                }
                if is_block(name) {
                    out.end();
                }
                stack.push((node, false));
                let children: Vec<NodeRef<'_, Node>> = node.children().collect();
                for c in children.into_iter().rev() {
                    stack.push((c, true));
                }
            }
            _ => {}
        }
    }
}

/// The element's text as lines: blocks and `<br>` end lines, inline runs join with single
/// spaces.
fn render(root: ElementRef<'_>) -> String {
    let mut l = Lines::default();
    walk(root, &mut l);
    l.end();
    let mut s = number_after_motto(l.done).join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// A two-column header read column by column gives the issuer, its number ("Số: …"), then
/// the national motto and the place and date; the parser reads the number after the motto
/// (as a text file lays the header out row by row). Moves a number line found between the
/// issuer and the motto to just after the motto's tagline.
pub(crate) fn number_after_motto(mut lines: Vec<String>) -> Vec<String> {
    let is_motto = |l: &str| {
        let u = l.to_uppercase();
        u.starts_with("CỘNG HÒA XÃ HỘI CHỦ NGHĨA") || u.starts_with("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA")
    };
    let is_number = |l: &str| {
        let t = l.trim_start();
        t.starts_with("Số:") || t.starts_with("Số ") || t.starts_with("SỐ:")
    };
    let Some(m) = lines.iter().take(60).position(|l| is_motto(l)) else {
        return lines;
    };
    let Some(k) = (m.saturating_sub(6)..m).find(|&k| is_number(&lines[k])) else {
        return lines;
    };
    // "Số:" alone with the number on the next line moves as a pair.
    let count = if lines[k].trim().trim_end_matches(':') == "Số" && k + 1 < m {
        2
    } else {
        1
    };
    let moved: Vec<String> = lines.drain(k..k + count).collect();
    let m = m - count;
    let mut at = m + 1;
    while at < lines.len() && at <= m + 2 && lines[at].to_lowercase().starts_with("độc lập") {
        at += 1;
    }
    for (i, l) in moved.into_iter().enumerate() {
        lines.insert(at + i, l);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imp(name: &str, html: &str) -> Result<Imported, HtmlError> {
        import(Path::new(name), html.as_bytes(), &ImportOptions::default())
    }

    #[test]
    fn blocks_become_lines_and_inline_runs_join() {
        let h = "<html><head><style>p{}</style><script>var x='Điều 9';</script></head><body>\
                 <nav><a>Trang chủ</a></nav><div id='main'><p>Điều 1.  <b>Phạm vi</b>\n điều chỉnh</p>\
                 <p>1. Khoản&nbsp;một&amp;hai<br>dòng sau</p>\
                 <table><tr><td>STT</td><td>Tên</td></tr><tr><td>1</td><td>Phí &lt;A&gt;</td></tr></table>\
                 <p>Một đoạn đủ dài để trang này có nội dung chính: Ủy ban nhân dân huyện quy định việc quản lý, \
                 sử dụng và bảo vệ các công trình thủy lợi trên địa bàn; các cơ quan, đơn vị có trách nhiệm thi hành \
                 Quyết định này kể từ ngày ký ban hành.</p></div><footer>Bản quyền</footer></body></html>";
        let t = imp("x.html", h).unwrap().text;
        assert_eq!(
            t.lines().take(5).collect::<Vec<_>>(),
            [
                "Điều 1. Phạm vi điều chỉnh",
                "1. Khoản một&hai",
                "dòng sau",
                "| STT | Tên |",
                "| 1 | Phí <A> |"
            ]
        );
        assert!(!t.contains("Trang chủ") && !t.contains("Bản quyền") && !t.contains("Điều 9"));
    }

    #[test]
    fn layout_tables_give_their_blocks_as_lines() {
        let h = "<body><div class='content1'><table><tr><td><p>ỦY BAN NHÂN DÂN</p><p>Số: 12/2020/QĐ-UBND</p></td>\
                 <td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p></td></tr></table>\
                 <p>QUYẾT ĐỊNH</p><p>Về việc ban hành quy chế phối hợp giữa các cơ quan chuyên môn thuộc Ủy ban nhân dân \
                 huyện trong công tác quản lý nhà nước về đất đai trên địa bàn huyện, để các cơ quan cùng thực hiện.</p></div></body>";
        let t = imp("x.html", h).unwrap().text;
        // Column by column, then the number moved after the motto as the parser reads it.
        assert!(
            t.starts_with(
                "ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/2020/QĐ-UBND\nQUYẾT ĐỊNH"
            ),
            "{t}"
        );
    }

    #[test]
    fn attribute_page_facts_and_end_date_as_last_day() {
        let h = "<div class='box-map'><ul><li><a>CSDL</a></li><li><a> Nghị quyết 51/2001/QH10</a></li></ul></div>\
                 <div class='fulltext'><div class='vbInfo'><ul><li><span>Hiệu lực: </span>Hết hiệu lực toàn bộ</li>\
                 <li><span>Ngày có hiệu lực: </span>07/01/2002</li><li><span>Ngày hết hiệu lực: </span>01/01/2014</li></ul></div>\
                 <div class='vbProperties'><table><tr><td class='label'>Số ký hiệu</td><td>51/2001/QH10</td>\
                 <td class='label'>Ngày ban hành</td><td>25/12/2001</td></tr>\
                 <tr><td class='label'>Văn bản bị thay thế</td><td>Hiến pháp Không số</td>\
                 <td class='label'>Văn bản được hướng dẫn</td><td>Luật 12/2003/QH11, Nghị định 5/2004/NĐ-CP</td></tr>\
                 <tr><td colspan='4' class='title'>Tình trạng hiệu lực: Hết hiệu lực toàn bộ</td></tr></table></div></div>";
        let imp = imp("tt.html", h).unwrap();
        assert!(imp.text.is_empty());
        let f = &imp.facts[0];
        assert_eq!(f.document, "51/2001/QH10");
        assert_eq!(f.status.as_deref(), Some("Hết hiệu lực toàn bộ"));
        assert_eq!(f.in_force_from, NaiveDate::from_ymd_opt(2002, 1, 7));
        assert_eq!(f.in_force_until, NaiveDate::from_ymd_opt(2013, 12, 31));
        assert_eq!(f.source, "vbpl thuộc tính page: tt.html");
        assert_eq!(
            f.relations,
            vec![
                (
                    "Văn bản được hướng dẫn".to_string(),
                    "12/2003/QH11".to_string()
                ),
                (
                    "Văn bản được hướng dẫn".to_string(),
                    "5/2004/NĐ-CP".to_string()
                )
            ]
        );
    }

    #[test]
    fn a_numberless_attribute_page_names_its_document_by_type_and_date() {
        let page = |number: &str| {
            format!(
                "<div class='box-map'><ul><li><a>CSDL</a></li><li><a> Hiến pháp Không số</a></li></ul></div>\
                 <div class='vbProperties'><table><tr><td class='label'>Số ký hiệu</td><td>{number}</td>\
                 <td class='label'>Ngày ban hành</td><td>28/11/2013</td></tr>\
                 <tr><td class='label'>Loại văn bản</td><td>Hiến pháp</td>\
                 <td class='label'>Ngày có hiệu lực</td><td>01/01/2014</td></tr></table></div>"
            )
        };
        let f = &imp("tt.html", &page("Không số")).unwrap().facts[0];
        assert_eq!(f.document, "Hiến-pháp-28/11/2013");
        assert_eq!(f.in_force_from, NaiveDate::from_ymd_opt(2014, 1, 1));
        // The same id the parser gives the text of the same document.
        assert_eq!(
            Some(f.document.clone()),
            crate::parse::number::numberless_id(
                Some("Hiến pháp"),
                NaiveDate::from_ymd_opt(2013, 11, 28)
            )
        );
        // A number, when there is one, names the document.
        let f = &imp("tt.html", &page("01/2013/QH13")).unwrap().facts[0];
        assert_eq!(f.document, "01/2013/QH13");
    }

    #[test]
    fn diagram_relations() {
        let h = "<div class='box-map'><ul><li><a>Luật 10/2012/QH13</a></li></ul></div><div class='vbLuocDo'>\
                 <div class='luocdo'><div class='title'><a>Văn bản được sửa đổi</a> (1)</div>\
                 <div class='content'><ul><li><a class='jTips'>Luật 20/2015/QH13 Sửa đổi</a><p>[Thuộc tính]</p></li></ul></div></div>\
                 <div class='luocdo'><div class='titleht'><a>Văn bản hiện thời</a></div>\
                 <div class='content'><ul><li><a>Luật 10/2012/QH13 Lao động</a></li></ul></div></div></div>";
        let f = imp("ld.html", h).unwrap().facts.remove(0);
        assert_eq!(f.document, "10/2012/QH13");
        assert_eq!(
            f.relations,
            vec![(
                "Văn bản được sửa đổi".to_string(),
                "20/2015/QH13".to_string()
            )]
        );
        assert_eq!(f.source, "vbpl lược đồ page: ld.html");
    }

    #[test]
    fn search_pages_are_refused_by_kind() {
        let h = "<ul class='listLaw'><li>Luật 1/2020/QH14</li><li>Luật 2/2020/QH14</li></ul>";
        let e = imp("s.html", h).unwrap_err();
        assert!(
            matches!(
                e,
                HtmlError::NotADocumentPage {
                    kind: "search results",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn nesting_over_the_limit_is_an_error_not_a_crash() {
        let h = format!("{}x{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let e = imp("d.html", &h).unwrap_err();
        assert!(matches!(e, HtmlError::TooDeep { limit: 256, .. }), "{e}");
    }

    #[test]
    fn number_moves_after_the_motto() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            number_after_motto(v(&[
                "QUỐC HỘI",
                "Số: 1/2015/QH13",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Hà Nội, ngày 1 tháng 1 năm 2015"
            ])),
            v(&[
                "QUỐC HỘI",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số: 1/2015/QH13",
                "Hà Nội, ngày 1 tháng 1 năm 2015"
            ])
        );
        let kept = v(&["UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 2/QĐ"]);
        assert_eq!(number_after_motto(kept.clone()), kept);
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_vn_date("07/01/2002"),
            NaiveDate::from_ymd_opt(2002, 1, 7)
        );
        assert_eq!(parse_vn_date("31/02/2002"), None);
        assert_eq!(parse_vn_date("1/2/3/4"), None);
        assert_eq!(
            number_in("Nghị quyết 42/2017/QH14 Về thí điểm"),
            Some("42/2017/QH14".into())
        );
        assert_eq!(number_in("Hiến pháp Không số"), None);
    }
}
