//! `GET /api/v1/rules`: the review rules the server runs, with their text.

use axum::extract::State;
use axum::http::Method;
use axum::routing::get;
use axum::Json;
use serde::Serialize;

use super::{AppState, Route};
use crate::model::{Date, FindingKind, Severity};

pub fn routes() -> Vec<Route> {
    vec![Route::new(
        Method::GET,
        "/api/v1/rules",
        "The review rules, with their text",
        get(list),
    )]
}

#[derive(Serialize)]
struct RuleOut {
    id: String,
    kind: FindingKind,
    severity: Severity,
    enabled: bool,
    file: String,
    line: usize,
    message: String,
    legal_basis: String,
    deadline: Option<Date>,
    /// The rule as written in its file.
    text: String,
}

/// The lines of a rule: from its first line to the line before the next rule of the file
/// (trailing blank and comment lines dropped).
fn rule_text(file_text: &str, line: usize, next: Option<usize>) -> String {
    let lines: Vec<&str> = file_text.lines().collect();
    let start = line.saturating_sub(1).min(lines.len());
    let end = next
        .map(|n| n.saturating_sub(1))
        .unwrap_or(lines.len())
        .clamp(start, lines.len());
    let mut part: Vec<&str> = lines[start..end].to_vec();
    while part
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        part.pop();
    }
    part.join("\n")
}

async fn list(State(state): State<AppState>) -> Json<serde_json::Value> {
    let e = &state.inner().engine;
    let rules: Vec<RuleOut> = e
        .rules
        .iter()
        .map(|r| {
            let next = e
                .rules
                .iter()
                .filter(|o| o.file == r.file && o.line > r.line)
                .map(|o| o.line)
                .min();
            let text = e
                .rule_files
                .iter()
                .find(|(n, _)| *n == r.file)
                .map(|(_, t)| rule_text(t, r.line, next))
                .unwrap_or_default();
            RuleOut {
                id: r.id.clone(),
                kind: r.kind,
                severity: r.severity,
                enabled: r.enabled,
                file: r.file.clone(),
                line: r.line,
                message: r.say.clone(),
                legal_basis: r.law.clone(),
                deadline: r.deadline.as_ref().map(|d| d.0),
                text,
            }
        })
        .collect();
    Json(serde_json::json!({ "total": rules.len(), "rules": rules }))
}
