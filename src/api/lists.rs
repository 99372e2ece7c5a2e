//! The official lists of a run, built from the reviewers' decisions (DOMAIN.md, "What a
//! review produces"), as JSON, CSV (UTF-8 with a BOM, so Excel reads the diacritics) or XLSX:
//!
//! * `expired`: documents expired wholly or partly (*Danh mục văn bản hết hiệu lực toàn bộ
//!   hoặc một phần*), from the run's `expired` and `partially_expired` findings a reviewer
//!   confirmed, with the reason and the date;
//! * `to_amend`: documents to suspend, amend, replace, repeal or issue anew (*cần đình chỉ
//!   thi hành, ngưng hiệu lực, sửa đổi, bổ sung, thay thế, bãi bỏ hoặc ban hành mới*), from
//!   the findings decided `needs_amendment`, with the proposal, its reason, the body in
//!   charge and the deadline;
//! * `in_force`: documents in force on the run's date (*Danh mục văn bản còn hiệu lực*):
//!   stored documents in force or partly in force, less those confirmed expired.
//!
//! The decision in effect is the one for the run (see `review`): a later decision does not
//! change an earlier run's lists. Statuses and titles come from the store as it is now.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Json;
use serde::Serialize;

use super::error::run_id;
use super::{attachment, ApiError, AppState, Route};
use crate::model::{Date, Document, FindingKind, Status};
use crate::review::{FindingFilter, RunFinding, Verdict};
use crate::timeline::{entry_into_force, Timeline};

pub fn routes() -> Vec<Route> {
    vec![Route::new(
        Method::GET,
        "/api/v1/runs/{run}/lists/{list}",
        "An official list of the run: expired, to_amend or in_force, as .json (default), .csv or .xlsx",
        get(list),
    )]
}

/// The lists a run publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Expired,
    ToAmend,
    InForce,
}

impl ListKind {
    fn parse(s: &str) -> Option<ListKind> {
        match s {
            "expired" => Some(ListKind::Expired),
            "to_amend" => Some(ListKind::ToAmend),
            "in_force" => Some(ListKind::InForce),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ListKind::Expired => "expired",
            ListKind::ToAmend => "to_amend",
            ListKind::InForce => "in_force",
        }
    }

    fn title(self) -> &'static str {
        match self {
            ListKind::Expired => "Danh mục văn bản hết hiệu lực toàn bộ hoặc một phần",
            ListKind::ToAmend => "Danh mục văn bản cần đình chỉ thi hành, ngưng hiệu lực, sửa đổi, bổ sung, thay thế, bãi bỏ hoặc ban hành mới",
            ListKind::InForce => "Danh mục văn bản còn hiệu lực",
        }
    }

    /// The columns, as the published lists name them.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ListKind::Expired => &[
                "STT",
                "Số, ký hiệu",
                "Ngày, tháng, năm ban hành",
                "Tên gọi của văn bản",
                "Lý do hết hiệu lực",
                "Ngày hết hiệu lực",
                "Nội dung, quy định hết hiệu lực",
            ],
            ListKind::ToAmend => &[
                "STT",
                "Số, ký hiệu",
                "Ngày, tháng, năm ban hành",
                "Tên gọi của văn bản",
                "Nội dung cần xử lý",
                "Kiến nghị",
                "Lý do kiến nghị",
                "Cơ quan chủ trì soạn thảo",
                "Thời hạn xử lý",
            ],
            ListKind::InForce => &[
                "STT",
                "Số, ký hiệu",
                "Ngày, tháng, năm ban hành",
                "Tên gọi của văn bản",
                "Ngày có hiệu lực",
                "Ghi chú",
            ],
        }
    }
}

/// One line of a list; the fields that a list does not use are `null`.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow {
    pub stt: usize,
    pub document: String,
    pub issued: Option<Date>,
    pub title: String,
    /// expired: `whole` or `partial`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'static str>,
    /// expired: the reason as a sentence, and its kind as the status engine names it
    /// (`replaced`, `repealed`, `time_limit`, `parent_expired`, `provisions_expired`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_kind: Option<String>,
    /// expired: since when; in_force: since when in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// expired (partial) and to_amend: the provisions concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_in_charge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The findings the line rests on.
    pub findings: Vec<String>,
}

impl ListRow {
    fn new(stt: usize, id: &str, doc: Option<&Document>) -> ListRow {
        let title = doc
            .map(|d| {
                format!(
                    "{} {}",
                    d.doc_type.clone().unwrap_or_default(),
                    d.title.clone().unwrap_or_default()
                )
                .trim()
                .to_string()
            })
            .unwrap_or_default();
        ListRow {
            stt,
            document: id.to_string(),
            issued: doc.and_then(|d| d.issued),
            title,
            scope: None,
            reason: None,
            reason_kind: None,
            date: None,
            content: None,
            proposal: None,
            body_in_charge: None,
            deadline: None,
            note: None,
            findings: Vec::new(),
        }
    }

    fn cells(&self, kind: ListKind) -> Vec<String> {
        let d = |x: Option<Date>| x.map(|d| d.to_string()).unwrap_or_default();
        let s = |x: &Option<String>| x.clone().unwrap_or_default();
        match kind {
            ListKind::Expired => vec![
                self.stt.to_string(),
                self.document.clone(),
                d(self.issued),
                self.title.clone(),
                s(&self.reason),
                d(self.date),
                s(&self.content),
            ],
            ListKind::ToAmend => vec![
                self.stt.to_string(),
                self.document.clone(),
                d(self.issued),
                self.title.clone(),
                s(&self.content),
                s(&self.proposal),
                s(&self.note),
                s(&self.body_in_charge),
                d(self.deadline),
            ],
            ListKind::InForce => vec![
                self.stt.to_string(),
                self.document.clone(),
                d(self.issued),
                self.title.clone(),
                d(self.date),
                s(&self.note),
            ],
        }
    }
}

fn reason_kind_name(k: crate::model::ReasonKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The lines of a list for a run, from its findings with their decisions in effect.
pub fn build(kind: ListKind, as_of: Date, findings: &[RunFinding], t: &Timeline) -> Vec<ListRow> {
    let confirmed = |f: &&RunFinding| {
        f.decision
            .as_ref()
            .is_some_and(|d| d.decision == Verdict::Confirmed)
    };
    let expiry = |f: &&RunFinding| {
        matches!(
            f.finding.kind,
            FindingKind::Expired | FindingKind::PartiallyExpired
        )
    };
    let mut rows = Vec::new();
    match kind {
        ListKind::Expired => {
            let mut by_doc: BTreeMap<&str, Vec<&RunFinding>> = BTreeMap::new();
            for f in findings.iter().filter(confirmed).filter(expiry) {
                by_doc.entry(&f.finding.document).or_default().push(f);
            }
            for (doc, fs) in by_doc {
                let whole = fs.iter().any(|f| f.finding.kind == FindingKind::Expired);
                let mut row = ListRow::new(rows.len() + 1, doc, t.document(doc));
                let st = t.status(doc, as_of);
                let used: Vec<&&RunFinding> = fs
                    .iter()
                    .filter(|f| !whole || f.finding.kind == FindingKind::Expired)
                    .collect();
                row.scope = Some(if whole { "whole" } else { "partial" });
                row.reason = Some(
                    used.iter()
                        .map(|f| f.finding.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                );
                row.reason_kind = st
                    .as_ref()
                    .and_then(|s| s.reasons.first())
                    .map(|r| reason_kind_name(r.kind));
                row.date = st
                    .as_ref()
                    .filter(|s| matches!(s.status, Status::Expired | Status::PartiallyExpired))
                    .and_then(|s| s.since)
                    .or_else(|| used.iter().filter_map(|f| f.finding.since).max());
                row.content = Some(if whole {
                    "Toàn bộ văn bản".to_string()
                } else {
                    used.iter()
                        .filter_map(|f| f.finding.provision.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                });
                row.findings = used.iter().map(|f| f.finding.id.clone()).collect();
                rows.push(row);
            }
        }
        ListKind::ToAmend => {
            let mut list: Vec<&RunFinding> = findings
                .iter()
                .filter(|f| {
                    f.decision
                        .as_ref()
                        .is_some_and(|d| d.decision == Verdict::NeedsAmendment)
                })
                .collect();
            list.sort_by(|a, b| {
                (&a.finding.document, &a.finding.provision)
                    .cmp(&(&b.finding.document, &b.finding.provision))
            });
            for f in list {
                let d = f.decision.as_ref().expect("filtered on a decision");
                let mut row = ListRow::new(
                    rows.len() + 1,
                    &f.finding.document,
                    t.document(&f.finding.document),
                );
                row.content = Some(format!(
                    "{}: {}",
                    f.finding
                        .provision
                        .clone()
                        .unwrap_or_else(|| "Toàn bộ văn bản".into()),
                    f.finding.message
                ));
                row.proposal = d.proposal.map(|p| p.vietnamese().to_string());
                row.note = Some(if d.note.is_empty() {
                    f.finding.legal_basis.clone()
                } else {
                    d.note.clone()
                });
                row.body_in_charge = d.body_in_charge.clone();
                row.deadline = d.deadline;
                row.findings = vec![f.finding.id.clone()];
                rows.push(row);
            }
        }
        ListKind::InForce => {
            let expired: BTreeSet<&str> = findings
                .iter()
                .filter(confirmed)
                .filter(|f| f.finding.kind == FindingKind::Expired)
                .map(|f| f.finding.document.as_str())
                .collect();
            let partial: BTreeMap<&str, Vec<&RunFinding>> = findings
                .iter()
                .filter(confirmed)
                .filter(|f| f.finding.kind == FindingKind::PartiallyExpired)
                .fold(BTreeMap::new(), |mut m, f| {
                    m.entry(f.finding.document.as_str()).or_default().push(f);
                    m
                });
            for id in t.documents().filter(|id| !t.is_external(id)) {
                let Some(st) = t.status(id, as_of) else {
                    continue;
                };
                if !matches!(st.status, Status::InForce | Status::PartiallyExpired)
                    || expired.contains(id)
                {
                    continue;
                }
                let doc = t.document(id);
                let mut row = ListRow::new(rows.len() + 1, id, doc);
                row.date = doc.and_then(entry_into_force);
                if let Some(fs) = partial.get(id) {
                    row.note = Some(format!(
                        "Hết hiệu lực một phần: {}",
                        fs.iter()
                            .filter_map(|f| f.finding.provision.clone())
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                    row.findings = fs.iter().map(|f| f.finding.id.clone()).collect();
                }
                rows.push(row);
            }
        }
    }
    rows
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV for Excel: a UTF-8 BOM, CRLF line ends, fields quoted where needed.
pub fn to_csv(kind: ListKind, rows: &[ListRow]) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    let head: Vec<String> = kind.columns().iter().map(|c| csv_field(c)).collect();
    s.push_str(&head.join(","));
    s.push_str("\r\n");
    for r in rows {
        let cells: Vec<String> = r.cells(kind).iter().map(|c| csv_field(c)).collect();
        s.push_str(&cells.join(","));
        s.push_str("\r\n");
    }
    s.into_bytes()
}

/// An XLSX workbook with one sheet: the column names on the first row, one line per row.
pub fn to_xlsx(kind: ListKind, rows: &[ListRow]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name(kind.name())?;
    for (c, name) in kind.columns().iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &bold)?;
        let width = match *name {
            "STT" => 6.0,
            "Tên gọi của văn bản" | "Lý do hết hiệu lực" | "Nội dung cần xử lý" => {
                50.0
            }
            _ => 20.0,
        };
        ws.set_column_width(c as u16, width)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        for (c, v) in r.cells(kind).iter().enumerate() {
            if c == 0 {
                ws.write_number(row, 0, r.stt as f64)?;
            } else {
                ws.write_string_with_format(row, c as u16, v, &wrap)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

async fn list(
    State(state): State<AppState>,
    Path((run, list)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let run = run_id(&run)?;
    let (stem, ext) = match list.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), e.to_string()),
        None => (list.clone(), "json".to_string()),
    };
    let kind = ListKind::parse(&stem).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no list `{stem}`: expired, to_amend, in_force (with .json, .csv or .xlsx)"
        ))
    })?;
    if !["json", "csv", "xlsx"].contains(&ext.as_str()) {
        return Err(ApiError::NotFound(format!(
            "no format `.{ext}`: .json, .csv or .xlsx"
        )));
    }
    state
        .blocking(move |s| {
            let (r, findings) = {
                let db = s.review();
                let r = db.run(run)?;
                let f = db.run_findings(run, &FindingFilter::default())?;
                (r, f)
            };
            let (_, t) = s.timeline()?;
            let rows = build(kind, r.as_of, &findings, &t);
            let file = format!("run-{run}-{}", kind.name());
            Ok(match ext.as_str() {
                "csv" => attachment(
                    "text/csv; charset=utf-8",
                    &format!("{file}.csv"),
                    to_csv(kind, &rows),
                ),
                "xlsx" => attachment(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &format!("{file}.xlsx"),
                    to_xlsx(kind, &rows).map_err(ApiError::internal)?,
                ),
                _ => Json(serde_json::json!({
                    "run": run,
                    "as_of": r.as_of,
                    "list": kind.name(),
                    "title": kind.title(),
                    "columns": kind.columns(),
                    "total": rows.len(),
                    "rows": rows,
                }))
                .into_response(),
            })
        })
        .await
}
