//! From clean text to the document model.
//!
//! Parsing never fails: [`parse_document`] always returns a [`Document`], with diagnostics
//! (located by line and column in the original file) for whatever it could not read or found
//! wrong. The steps, each in its own module:
//!
//! 1. [`crate::text::normalize_document`] turns the file into clean logical lines;
//! 2. [`header`] reads the issuer, number, place and date, type and title, *Căn cứ* lines and
//!    the enacting formula;
//! 3. [`signer`] finds where the body ends: *Nơi nhận* and the signer block;
//! 4. [`annex`] finds the annexes the decision promulgates (*ban hành kèm theo*);
//! 5. [`structure`] builds the tree of each part from its classified lines ([`lines`]);
//! 6. [`citations`] finds every reference and what it does; [`effect`] the dates of force.
//!
//! The grammar of lines and phrases is `grammar/document.pest` ([`grammar`]).

pub mod annex;
pub mod casing;
pub mod citations;
pub mod dates;
pub mod effect;
pub mod grammar;
pub mod header;
pub mod lines;
pub mod number;
pub mod signer;
pub mod structure;

use crate::model::{Diagnostic, DiagnosticSeverity, Document, EffectRule, Provision};
use crate::text::{normalize_document, Normalized};

/// One clean logical line and where it starts in the normalised text.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub text: &'a str,
    pub offset: usize,
}

/// Collects diagnostics, locating offsets of the normalised text in the source.
pub struct Diagnostics<'a> {
    norm: &'a Normalized,
    pub items: Vec<Diagnostic>,
}

impl<'a> Diagnostics<'a> {
    fn new(norm: &'a Normalized) -> Self {
        Diagnostics {
            norm,
            items: Vec::new(),
        }
    }

    /// Records a diagnostic at a byte offset of the normalised text.
    pub fn push(
        &mut self,
        severity: DiagnosticSeverity,
        code: &str,
        offset: usize,
        message: String,
    ) {
        let (line, column) = self.norm.line_col(offset);
        self.items.push(Diagnostic {
            severity,
            code: code.to_string(),
            message,
            line,
            column,
        });
    }

    /// The 1-based source line of an offset of the normalised text.
    pub fn line_of(&self, offset: usize) -> usize {
        self.norm.source_line(offset)
    }

    /// The 1-based source line and column of an offset of the normalised text.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.norm.line_col(offset)
    }

    /// The offset in the normalised text where `text`'s first line stands, searching from
    /// `from` (a provision's start) a short way on.
    pub fn locate(&self, text: &str, from: usize) -> usize {
        let all = &self.norm.text;
        let from = from.min(all.len());
        let first = text.split('\n').next().unwrap_or("");
        let mut end = (from + first.len() + 600).min(all.len());
        while !all.is_char_boundary(end) {
            end -= 1;
        }
        match all[from..end].find(first) {
            Some(p) => from + p,
            None => from,
        }
    }
}

/// Splits normalised text into its lines with their offsets.
pub fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::with_capacity(text.len() / 60 + 1);
    let mut offset = 0;
    for l in text.split('\n') {
        if !l.is_empty() {
            out.push(Line { text: l, offset });
        }
        offset += l.len() + 1;
    }
    out
}

/// Parses the text of one document. `source_name` is the file it came from (its stem names
/// a document that has no number).
pub fn parse_document(source_name: &str, text: &str) -> Document {
    let norm = normalize_document(text);
    parse_with_raw(source_name, &norm, Some(text))
}

/// The bundled sample corpus (`corpus/*.txt`), parsed in the order of its directory listing:
/// for tests.
#[cfg(test)]
pub(crate) fn bundled_corpus() -> Vec<crate::model::Document> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut docs = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(&p).unwrap();
            docs.push(parse_document(&p.display().to_string(), &text));
        }
    }
    docs
}

/// Parses an already normalised document.
pub fn parse_normalized(source_name: &str, norm: &Normalized) -> Document {
    parse_with_raw(source_name, norm, None)
}

fn parse_with_raw(source_name: &str, norm: &Normalized, raw: Option<&str>) -> Document {
    let lines = split_lines(&norm.text);
    let mut diags = Diagnostics::new(norm);

    let head = header::read_header(&lines, raw, &mut diags);
    let annexes = annex::find_annexes(&lines, head.body_start);
    let tail_end = annexes.first().map(|a| a.start).unwrap_or(lines.len());
    let body_end = signer::body_end(&lines[..tail_end], head.body_start);
    let tail = signer::read_tail(&lines[body_end..tail_end], &mut diags);

    let id = match &head.number {
        Some(n) => n.id.clone(),
        // "Số: Không số": type and date of issue name it.
        None if head.numberless => number::numberless_id(head.doc_type.as_deref(), head.issued)
            .unwrap_or_else(|| file_stem(source_name)),
        None => match head.raw_number.as_deref() {
            Some(raw) if !raw.is_empty() => number::normalise_number(raw),
            _ => file_stem(source_name),
        },
    };

    let mut provisions: Vec<Provision> = structure::build(
        &lines[head.body_start.min(body_end)..body_end],
        "",
        &mut diags,
    );
    let mut annex_citations = Vec::new();
    for (i, a) in annexes.iter().enumerate() {
        let next = annexes.get(i + 1).map(|n| n.start).unwrap_or(lines.len());
        let (node, cites) =
            annex::build_annex(&lines, a, next, &annexes[..i], &id, head.issued, &mut diags);
        provisions.push(node);
        annex_citations.extend(cites);
    }

    let mut doc = Document {
        id,
        number: head.number,
        doc_type: head.doc_type,
        issuer: head.issuer.as_ref().map(|i| i.name.clone()),
        issuer_detail: head.issuer,
        place: head.place,
        issued: head.issued,
        title: head.title,
        effective_from: None,
        effective_until: None,
        effect_rule: EffectRule::Unstated,
        period: None,
        bases: head.bases,
        proposal: head.proposal,
        enacting_formula: head.formula,
        citations: Vec::new(),
        provisions,
        recipients: tail.recipients,
        signer: tail.signer,
        diagnostics: Vec::new(),
        source: Some(source_name.to_string()),
        packed_text: None,
    };

    let mut cites = Vec::new();
    for b in &doc.bases {
        cites.extend(b.citations.iter().cloned());
    }
    cites.extend(citations::provision_citations(&doc, &diags));
    cites.extend(annex_citations);
    // The title usually repeats what the articles do ("Về việc bãi bỏ Quyết định số …"):
    // keep a title citation only when the body does not already carry it.
    for c in citations::title_citations(&doc, head.title_offset, &diags) {
        let dup = cites.iter().any(|b| {
            b.target == c.target && b.target_name == c.target_name && b.relation == c.relation
        });
        if !dup {
            cites.push(c);
        }
    }
    doc.citations = cites;

    effect::apply(&mut doc, &mut diags);
    header::check_form(&doc, head.number_offset, &mut diags);

    doc.diagnostics = diags.items;
    doc.diagnostics
        .sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
    doc
}

/// The stem of a file name: `a/b/c.txt` → `c`.
pub fn file_stem(source_name: &str) -> String {
    let base = source_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(source_name);
    match base.rfind('.') {
        Some(i) if i > 0 => base[..i].to_string(),
        _ => base.to_string(),
    }
}
