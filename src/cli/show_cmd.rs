//! `rasoat show DOC [--as-of D]`: the document as it read on D — repealed provisions marked,
//! amended provisions with the wording in force that day.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::status_cmd::{
    find_document, quiet_broken_pipe, status_word, timeline_of, today, write_json, RulesArg,
};
use super::{CliError, Format};
use crate::model::{Date, DocStatus, Provision, ProvisionKind, Status};
use crate::timeline::Timeline;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The document (số ký hiệu).
    pub document: String,
    /// The date (YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub as_of: Option<Date>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// One provision as it read on the date.
pub fn run(data: &Path, args: &ShowArgs) -> Result<ExitCode, CliError> {
    quiet_broken_pipe(run_inner(data, args))
}

fn run_inner(data: &Path, args: &ShowArgs) -> Result<ExitCode, CliError> {
    let (t, id) = load_showing(data, &args.rules, &args.document)?;
    let as_of = args.as_of.unwrap_or_else(today);
    let s = t.status(&id, as_of).expect("found");
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        let shown = t.text_on(&id, &s, as_of);
        write_json(
            &mut out,
            &serde_json::json!({ "document": id, "as_of": as_of, "status": s.status, "since": s.since, "provisions": shown }),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    render(&mut out, &t, &s, as_of).map_err(|e| CliError::Io {
        path: "<stdout>".into(),
        source: e,
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The status engine built from the documents without their provisions' text (statuses and
/// amended wordings read none), the shown document put in it whole; and that document's id.
fn load_showing(
    data: &Path,
    rules: &RulesArg,
    wanted: &str,
) -> Result<(Timeline, String), CliError> {
    let user = |e: crate::store::StoreError| CliError::User(e.to_string());
    let rules = rules.load()?;
    let store = crate::store::Store::open_existing(data).map_err(user)?;
    let loaded = store.load_without_text().map_err(user)?;
    let key_of: std::collections::HashMap<String, i64> = loaded
        .docs
        .iter()
        .map(|d| d.id.clone())
        .zip(loaded.keys.iter().copied())
        .collect();
    let (store, mut t) = timeline_of(store, loaded.docs, &rules)?;
    let id = find_document(&t, data, wanted)?;
    if let Some(&key) = key_of.get(&id) {
        let whole = store.documents_by_keys(&[key]).map_err(user)?;
        t.put_documents(whole);
    }
    Ok((t, id))
}

fn render(out: &mut impl Write, t: &Timeline, s: &DocStatus, as_of: Date) -> std::io::Result<()> {
    let doc = t.document(&s.document).expect("found");
    writeln!(out, "{}", s.document)?;
    if let Some(i) = &doc.issuer {
        writeln!(out, "{i}")?;
    }
    if let Some(title) = &doc.title {
        writeln!(out, "{} {title}", doc.doc_type.clone().unwrap_or_default())?;
    }
    let since = s.since.map(|d| format!(" since {d}")).unwrap_or_default();
    writeln!(out, "[as of {as_of}: {}{since}]", status_word(s.status))?;
    writeln!(out)?;
    for p in &doc.provisions {
        render_provision(out, t, s, as_of, p, 0)?;
    }
    Ok(())
}

fn label(p: &Provision) -> String {
    match p.kind {
        ProvisionKind::Part => format!("Phần {}", p.label),
        ProvisionKind::Chapter => format!("Chương {}", p.label),
        ProvisionKind::Section => format!("Mục {}", p.label),
        ProvisionKind::Subsection => format!("Tiểu mục {}", p.label),
        ProvisionKind::Article => format!("Điều {}.", p.label),
        ProvisionKind::Clause => format!("{}.", p.label),
        ProvisionKind::Point => format!("{})", p.label),
        ProvisionKind::Item => {
            if p.label == "-" || p.label == "+" {
                p.label.clone()
            } else {
                format!("{}.", p.label)
            }
        }
        ProvisionKind::Annex => p.label.to_uppercase(),
    }
}

fn render_provision(
    out: &mut impl Write,
    t: &Timeline,
    s: &DocStatus,
    as_of: Date,
    p: &Provision,
    depth: usize,
) -> std::io::Result<()> {
    let pad = "  ".repeat(depth);
    let ps = s.provisions.iter().find(|x| x.provision == p.path);
    let status = ps.map_or(s.status, |x| x.status);
    let head = match &p.heading {
        Some(h) => format!("{} {h}", label(p)),
        None => label(p),
    };
    if status == Status::Expired && s.status != Status::Expired {
        // Marked, not hidden: a reviewer needs to see what was there.
        let why = ps
            .and_then(|x| x.reasons.first())
            .map(|r| r.note.clone())
            .unwrap_or_default();
        writeln!(out, "{pad}[HẾT HIỆU LỰC — {}: {why}]", p.path)?;
        writeln!(out, "{pad}~~ {head} {} ~~", p.text.replace('\n', " "))?;
        return Ok(());
    }
    if let Some(w) = t
        .wording_on(&s.document, &p.path, as_of)
        .filter(|w| w.amended_by.is_some())
    {
        writeln!(
            out,
            "{pad}[SỬA ĐỔI — {}: nội dung theo {} từ ngày {}]",
            p.path,
            w.amended_by.clone().unwrap_or_default(),
            w.from.map(|d| d.to_string()).unwrap_or_default()
        )?;
        for line in w.text.lines() {
            writeln!(out, "{pad}{line}")?;
        }
        // The new wording replaces the provision with its children.
        return Ok(());
    }
    if p.text.is_empty() {
        writeln!(out, "{pad}{head}")?;
    } else if p.kind == ProvisionKind::Article
        || p.kind == ProvisionKind::Chapter
        || p.kind == ProvisionKind::Annex
    {
        writeln!(out, "{pad}{head}")?;
        for line in p.text.lines() {
            writeln!(out, "{pad}{line}")?;
        }
    } else {
        let mut lines = p.text.lines();
        writeln!(out, "{pad}{head} {}", lines.next().unwrap_or(""))?;
        for line in lines {
            writeln!(out, "{pad}{line}")?;
        }
    }
    for c in &p.children {
        render_provision(out, t, s, as_of, c, depth + 1)?;
    }
    Ok(())
}
