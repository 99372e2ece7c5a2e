//! Annexes promulgated by a decision (*Quy định*, *Quy chế*, *Chương trình*, *Kế hoạch*,
//! *Phụ lục* … "ban hành kèm theo Quyết định số …"): where each starts, its heading, and the
//! check that its heading cites the decision's own number and date.

use super::casing::{doc_type_of_line, is_upper_line};
use super::citations::{scan_text, ScanContext};
use super::grammar::{try_parse, Rule};
use super::{structure, Diagnostics, Line};
use crate::model::{Citation, Date, DiagnosticSeverity, Provision, ProvisionKind, Relation};

/// Where an annex starts and what its heading says.
#[derive(Debug, Clone)]
pub struct AnnexStart {
    /// Line index of the annex's type line (`QUY ĐỊNH`, `PHỤ LỤC I`).
    pub start: usize,
    /// The annex's name: its type word in normal case, with its number for *Phụ lục*.
    pub name: String,
    /// Line index of the `(Ban hành kèm theo …)` line, if any.
    pub reference: Option<usize>,
}

const ANNEX_TYPES: &[&str] = &[
    "Quy định",
    "Quy chế",
    "Chương trình",
    "Kế hoạch",
    "Phụ lục",
    "Danh mục",
    "Đề án",
    "Hướng dẫn",
    "Điều lệ",
];

fn annex_type(line: &str) -> Option<String> {
    if !is_upper_line(line) {
        return None;
    }
    if let Some(t) = doc_type_of_line(line) {
        return ANNEX_TYPES.contains(&t).then(|| t.to_string());
    }
    // `PHỤ LỤC I`, `PHỤ LỤC 01`, `PHỤ LỤC SỐ 2`.
    let rest = line.strip_prefix("PHỤ LỤC ")?;
    let label = rest.trim_start_matches("SỐ ").trim();
    if !label.is_empty()
        && label.len() <= 6
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
    {
        return Some(format!("Phụ lục {label}"));
    }
    None
}

fn is_reference(line: &str) -> bool {
    try_parse(Rule::annex_ref_line, line).is_some()
}

/// Finds the annexes after the decision's body. An annex starts at an upper-case annex type
/// line followed within a few lines by its `(Ban hành kèm theo …)` reference line.
pub fn find_annexes(lines: &[Line], from: usize) -> Vec<AnnexStart> {
    let mut out: Vec<AnnexStart> = Vec::new();
    let mut i = from;
    while i < lines.len() {
        if let Some(name) = annex_type(lines[i].text) {
            let reference = (i + 1..lines.len().min(i + 7)).find(|&k| is_reference(lines[k].text));
            let is_phu_luc = name.starts_with("Phụ lục");
            if reference.is_some() || (is_phu_luc && !out.is_empty()) {
                out.push(AnnexStart {
                    start: i,
                    name,
                    reference,
                });
                i = reference.map(|r| r + 1).unwrap_or(i + 1);
                continue;
            }
        }
        i += 1;
    }
    // Two annexes of one kind are told apart by their order.
    let mut seen: Vec<String> = Vec::new();
    for a in out.iter_mut() {
        let n = seen.iter().filter(|s| **s == a.name).count();
        seen.push(a.name.clone());
        if n > 0 {
            a.name = format!("{} {}", a.name, n + 1);
        }
    }
    out
}

/// Builds the annex's node, and returns the citation of its heading. Checks that the heading
/// cites the promulgating decision (its number and date).
pub fn build_annex(
    lines: &[Line],
    annex: &AnnexStart,
    end: usize,
    _earlier: &[AnnexStart],
    own_id: &str,
    issued: Option<Date>,
    diags: &mut Diagnostics,
) -> (Provision, Vec<Citation>) {
    let start = annex.start;
    let body_from = annex.reference.map(|r| r + 1).unwrap_or(start + 1);
    let title_lines: Vec<&str> = lines[start + 1..annex.reference.unwrap_or(start + 1).min(end)]
        .iter()
        .map(|l| l.text)
        .collect();
    let heading = (!title_lines.is_empty()).then(|| title_lines.join(" "));
    let mut cites = Vec::new();
    let mut text = String::new();
    if let Some(r) = annex.reference {
        let line = lines[r];
        text = line.text.to_string();
        let ctx = ScanContext {
            relation_hint: Some(Relation::Promulgates),
            source: Some(annex.name.clone()),
            ..ScanContext::default()
        };
        let found = scan_text(line.text, &|| line.offset, &ctx, diags);
        for mut c in found {
            if c.relation == Relation::Promulgates {
                c.internal = c.target.as_deref() == Some(own_id);
                check_reference(&c, own_id, issued, line.offset, &annex.name, diags);
            }
            cites.push(c);
        }
    }
    let end = end.max(body_from);
    let suffix = annex.name.clone();
    let children = if annex.name.starts_with("Phụ lục") {
        // Appendices are tables and forms: kept as text, not read as structure.
        text.push('\n');
        text.push_str(
            &lines[body_from.min(end)..end]
                .iter()
                .map(|l| l.text)
                .collect::<Vec<_>>()
                .join("\n"),
        );
        Vec::new()
    } else {
        structure::build(&lines[body_from.min(end)..end], &suffix, diags)
    };
    let line_no = diags.line_of(lines[start].offset);
    let end_off = lines
        .get(end.saturating_sub(1))
        .map(|l| l.offset + l.text.len())
        .unwrap_or(lines[start].offset);
    (
        Provision {
            kind: ProvisionKind::Annex,
            label: annex.name.clone(),
            path: annex.name.clone(),
            heading,
            text,
            children,
            line: line_no,
            start: lines[start].offset,
            end: end_off,
        },
        cites,
    )
}

fn check_reference(
    c: &Citation,
    own_id: &str,
    issued: Option<Date>,
    offset: usize,
    name: &str,
    diags: &mut Diagnostics,
) {
    if let Some(t) = &c.target {
        if t != own_id {
            diags.push(
                DiagnosticSeverity::Warning,
                "annex_number_mismatch",
                offset,
                format!(
                    "{name} ghi ban hành kèm theo văn bản số {t}, khác số của văn bản là {own_id} (annex heading cites {t}, the document is {own_id})."
                ),
            );
        }
    }
    if let (Some(d), Some(issued)) = (c.date, issued) {
        if d != issued {
            diags.push(
                DiagnosticSeverity::Warning,
                "annex_date_mismatch",
                offset,
                format!(
                    "{name} ghi ban hành kèm theo văn bản ngày {}, khác ngày ban hành {} (annex heading date differs from the document's date).",
                    d.format("%d/%m/%Y"),
                    issued.format("%d/%m/%Y")
                ),
            );
        }
    }
}
