//! `rasoat status DOC [--as-of D] [--history] [--unresolved]`: is it in force, since when,
//! and because of what; per provision, with the chain of reasons.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{CliError, Format};
use crate::model::{Date, DocStatus, Reason, Status};
use crate::store::{Store, UnresolvedCitation};
use crate::timeline::{
    LawPeriods, Lookup, Registry, Timeline, DEFAULT_LAW_PERIODS, DEFAULT_REGISTRY,
};

/// Where the jurist's data files come from.
#[derive(Debug, Clone, Args)]
pub struct RulesArg {
    /// Folder with `registry.toml` and `law-periods.toml` [default: ./rules when it has them,
    /// else the copies built into rasoat].
    #[arg(long, env = "RASOAT_RULES")]
    pub rules: Option<PathBuf>,
}

/// The registry and law periods, with the registry's text (its hash stamps the relations).
pub struct Rules {
    pub registry: Registry,
    pub registry_text: String,
    pub periods: LawPeriods,
}

fn read_or_builtin(
    dir: Option<&Path>,
    name: &str,
    builtin: &str,
) -> Result<(String, String), CliError> {
    match dir {
        Some(d) => {
            let p = d.join(name);
            if !p.exists() {
                return Ok((format!("(built-in) rules/{name}"), builtin.to_string()));
            }
            let text = std::fs::read_to_string(&p).map_err(|source| CliError::Io {
                path: p.display().to_string(),
                source,
            })?;
            Ok((p.display().to_string(), text))
        }
        None => Ok((format!("rules/{name}"), builtin.to_string())),
    }
}

impl RulesArg {
    /// Loads the rule data; a broken file is a user error naming file:line:column.
    pub fn load(&self) -> Result<Rules, CliError> {
        let dir = self.rules.clone().or_else(|| {
            let local = PathBuf::from("rules");
            local.join("registry.toml").exists().then_some(local)
        });
        let (reg_name, registry_text) =
            read_or_builtin(dir.as_deref(), "registry.toml", DEFAULT_REGISTRY)?;
        let (per_name, periods_text) =
            read_or_builtin(dir.as_deref(), "law-periods.toml", DEFAULT_LAW_PERIODS)?;
        let registry = Registry::parse(&reg_name, &registry_text)
            .map_err(|e| CliError::User(e.to_string()))?;
        let periods = LawPeriods::parse(&per_name, &periods_text)
            .map_err(|e| CliError::User(e.to_string()))?;
        Ok(Rules {
            registry,
            registry_text,
            periods,
        })
    }
}

fn user(e: impl std::fmt::Display) -> CliError {
    CliError::User(e.to_string())
}

/// [`load_timeline`] for a run of the rules: each document as it is read is made what the
/// rules read of it ([`crate::model::Document::shed_for_rules`]).
pub fn load_timeline_for_rules(
    data: &Path,
    rules: &RulesArg,
) -> Result<(Store, Timeline), CliError> {
    // The provisions' text is held packed, as each document is read: at 100k documents,
    // 0.45 GB held at half that.
    load_timeline_timed(data, rules, "check: documents read", |store| {
        store.documents_shedding(crate::model::Document::shed_for_rules)
    })
}

/// [`load_timeline_for_rules`] with every document read without its provisions' text
/// ([`Store::load_without_text`]): for a check that reads whole only the documents whose
/// findings it computes ([`Timeline::put_documents`]).
pub fn load_timeline_without_text(
    data: &Path,
    rules: &RulesArg,
) -> Result<(Store, Timeline), CliError> {
    load_timeline_timed(data, rules, "check: documents read without text", |store| {
        Ok(store.load_without_text()?.docs)
    })
}

/// Opens the store, reads its documents with `read` and builds the timeline, logging the
/// time of each (the reading under `what`).
fn load_timeline_timed(
    data: &Path,
    rules: &RulesArg,
    what: &'static str,
    read: impl FnOnce(&Store) -> Result<Vec<crate::model::Document>, crate::store::StoreError>,
) -> Result<(Store, Timeline), CliError> {
    let rules = rules.load()?;
    let store = Store::open_existing(data).map_err(user)?;
    let t0 = std::time::Instant::now();
    let docs = read(&store).map_err(user)?;
    tracing::info!(seconds = t0.elapsed().as_secs_f64(), "{what}");
    let t0 = std::time::Instant::now();
    let out = timeline_of(store, docs, &rules);
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        "check: status engine built"
    );
    out
}

pub(super) fn timeline_of(
    store: Store,
    docs: Vec<crate::model::Document>,
    rules: &Rules,
) -> Result<(Store, Timeline), CliError> {
    // Facts stated by imported pages complete the registry (the registry wins).
    let registry = rules
        .registry
        .with_imported(&store.validity_facts().map_err(user)?);
    let t = Timeline::from_documents(docs, &registry, &rules.periods);
    Ok((store, t))
}

/// Finds the document a user named: its id exactly, or its number when only one document
/// (stored or registered) has it.
pub fn find_document(t: &Timeline, data: &Path, wanted: &str) -> Result<String, CliError> {
    t.find(wanted).map_err(|e| match e {
        Lookup::NotFound => CliError::User(format!(
            "{}: no document {wanted} in the store or the registry",
            data.join(crate::store::DB_FILE).display()
        )),
        Lookup::Ambiguous(many) => CliError::User(format!(
            "{wanted} is shared by several documents; name one of: {}",
            many.join(", ")
        )),
    })
}

/// Today, the default of `--as-of`.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The document (số ký hiệu, e.g. `15/2019/QĐ-UBND`); without it, every stored document.
    pub document: Option<String>,
    /// The date to answer for (YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub as_of: Option<Date>,
    /// List every change of status over time instead.
    #[arg(long)]
    pub history: bool,
    /// List the citations no document of the store or registry matched, with counts.
    #[arg(long)]
    pub unresolved: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RulesArg,
}

pub fn run(data: &Path, args: &StatusArgs) -> Result<ExitCode, CliError> {
    quiet_broken_pipe(run_inner(data, args))
}

/// A reader who closed the pipe (`rasoat status … | head`) is not an error.
pub fn quiet_broken_pipe(r: Result<ExitCode, CliError>) -> Result<ExitCode, CliError> {
    match r {
        Err(CliError::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            Ok(ExitCode::SUCCESS)
        }
        other => other,
    }
}

fn run_inner(data: &Path, args: &StatusArgs) -> Result<ExitCode, CliError> {
    // Statuses need no provision text: the documents are read from their skeletons, at less
    // than half the reading and memory (`rasoat show`, which prints the text, reads them
    // whole).
    let (store, t) = load_timeline_timed(data, &args.rules, "status: documents read", |store| {
        Ok(store.load_without_text()?.docs)
    })?;
    let as_of = args.as_of.unwrap_or_else(today);
    let mut out = std::io::stdout().lock();
    let json = args.format == Format::Json;
    if args.unresolved {
        let mut list = store.unresolved().map_err(user)?;
        if let Some(d) = &args.document {
            let id = find_document(&t, data, d)?;
            list.retain(|u| u.document == id);
        }
        print_unresolved(&mut out, &list, json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(doc) = &args.document else {
        // Every stored document, one line each.
        let all: Vec<DocStatus> = t
            .documents()
            .filter(|id| !t.is_external(id))
            .filter_map(|id| t.status(id, as_of))
            .collect();
        if json {
            write_json(&mut out, &all)?;
        } else {
            for s in &all {
                let district = if t.issued_by_district(&s.document) {
                    "\tcấp huyện"
                } else {
                    ""
                };
                let line = format!(
                    "{}\t{}\t{}{district}",
                    s.document,
                    status_word(s.status),
                    s.since.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
                );
                writeln!(out, "{line}").map_err(io)?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let id = find_document(&t, data, doc)?;
    if args.history {
        let h = t.history(&id);
        if json {
            write_json(
                &mut out,
                &serde_json::json!({ "document": id, "history": h }),
            )?;
        } else {
            writeln!(out, "{id}: lịch sử hiệu lực (history)").map_err(io)?;
            for e in h {
                let what = e.provision.clone().unwrap_or_else(|| "(văn bản)".into());
                writeln!(out, "{}  {:<28} {}", e.date, what, status_word(e.status)).map_err(io)?;
                for r in &e.reasons {
                    writeln!(out, "            {}", reason_line(r)).map_err(io)?;
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let s = t.status(&id, as_of).expect("a found document has a status");
    if json {
        write_json(&mut out, &s)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_text(&mut out, &t, &s)?;
    Ok(ExitCode::SUCCESS)
}

fn io(e: std::io::Error) -> CliError {
    CliError::Io {
        path: "<stdout>".into(),
        source: e,
    }
}

pub fn write_json<T: serde::Serialize>(out: &mut impl Write, v: &T) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, v).map_err(|e| match e.io_error_kind() {
        Some(kind) => io(std::io::Error::from(kind)),
        None => user(e),
    })?;
    writeln!(out).map_err(io)
}

/// The status as the contract names it, with the Vietnamese words a reviewer uses.
pub fn status_word(s: Status) -> &'static str {
    match s {
        Status::NotYetInForce => "not_yet_in_force (chưa có hiệu lực)",
        Status::InForce => "in_force (còn hiệu lực)",
        Status::PartiallyExpired => "partially_expired (hết hiệu lực một phần)",
        Status::Expired => "expired (hết hiệu lực toàn bộ)",
        Status::Suspended => "suspended (ngưng hiệu lực)",
    }
}

/// One reason as a person reads it: what, by which document and provision, from when,
/// under which rule of law.
pub fn reason_line(r: &Reason) -> String {
    let kind = serde_json::to_value(r.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let mut s = format!("[{kind}] {}", r.note);
    if !r.legal_basis.is_empty() {
        s.push_str(&format!(" — căn cứ: {}", r.legal_basis));
    }
    s
}

fn print_text(out: &mut impl Write, t: &Timeline, s: &DocStatus) -> Result<(), CliError> {
    let d = t.document(&s.document);
    let title = d
        .map(|d| {
            format!(
                "{} {}",
                d.doc_type.clone().unwrap_or_default(),
                d.title.clone().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    writeln!(out, "{} — {}", s.document, title.trim()).map_err(io)?;
    if let Some(i) = d.and_then(|d| d.issuer.clone()) {
        writeln!(out, "Cơ quan ban hành: {i}").map_err(io)?;
    }
    let since = s.since.map(|d| format!(" since {d}")).unwrap_or_default();
    writeln!(
        out,
        "Status on {}: {}{since}",
        s.as_of,
        status_word(s.status)
    )
    .map_err(io)?;
    for r in &s.reasons {
        writeln!(out, "  - {}", reason_line(r)).map_err(io)?;
    }
    if t.is_external(&s.document) {
        // The registry, or the imported page that stated the document's facts.
        let origin = d
            .and_then(|d| d.source.clone())
            .unwrap_or_else(|| crate::timeline::REGISTRY_ORIGIN.to_string());
        writeln!(out, "  (from {origin}: a document outside the store)").map_err(io)?;
    }
    if t.issued_by_district(&s.document) {
        let (ended, basis) = t.district_level_end();
        writeln!(
            out,
            "Note: issued by a district-level body (cấp huyện), which ended on {ended} ({basis}); the successor body must keep, replace or repeal it."
        )
        .map_err(io)?;
    }
    let bases = t.expired_bases(&s.document, s.as_of);
    if !bases.is_empty() {
        writeln!(out, "Căn cứ no longer in force (needs review):").map_err(io)?;
        for (b, bs) in bases {
            let since = bs.since.map(|d| d.to_string()).unwrap_or_default();
            writeln!(out, "  - {b}: {} since {since}", status_word(bs.status)).map_err(io)?;
            for r in bs.reasons.iter().take(2) {
                writeln!(out, "      {}", reason_line(r)).map_err(io)?;
            }
        }
    }
    for r in t.review_candidates(&s.document, s.as_of) {
        writeln!(out, "Review: {}", reason_line(&r)).map_err(io)?;
    }
    if !s.provisions.is_empty() {
        writeln!(out, "Provisions:").map_err(io)?;
        for p in &s.provisions {
            let since = p.since.map(|d| format!(" since {d}")).unwrap_or_default();
            writeln!(
                out,
                "  {:<32} {}{since}",
                p.provision,
                status_word(p.status)
            )
            .map_err(io)?;
            // Reasons shared with the document were printed above.
            if p.reasons != s.reasons {
                for r in &p.reasons {
                    writeln!(out, "      {}", reason_line(r)).map_err(io)?;
                }
            }
        }
    }
    Ok(())
}

/// Unresolved citations grouped by what they cite, most cited first.
fn print_unresolved(
    out: &mut impl Write,
    list: &[UnresolvedCitation],
    json: bool,
) -> Result<(), CliError> {
    let mut groups: BTreeMap<String, Vec<&UnresolvedCitation>> = BTreeMap::new();
    for u in list {
        let key = u.target.clone().unwrap_or_else(|| u.raw.clone());
        groups.entry(key).or_default().push(u);
    }
    let mut groups: Vec<(String, Vec<&UnresolvedCitation>)> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    if json {
        let v: Vec<_> = groups
            .iter()
            .map(|(k, us)| {
                let mut docs: Vec<&str> = us.iter().map(|u| u.document.as_str()).collect();
                docs.dedup();
                serde_json::json!({ "target": k, "count": us.len(), "documents": docs, "why": us[0].why, "examples": us.iter().take(3).map(|u| &u.raw).collect::<Vec<_>>() })
            })
            .collect();
        return write_json(
            out,
            &serde_json::json!({ "total": list.len(), "targets": groups.len(), "unresolved": v }),
        );
    }
    writeln!(
        out,
        "{} unresolved citations of {} distinct targets",
        list.len(),
        groups.len()
    )
    .map_err(io)?;
    for (k, us) in &groups {
        let mut docs: Vec<&str> = us.iter().map(|u| u.document.as_str()).collect();
        docs.dedup();
        writeln!(out, "{:>5}  {k}", us.len()).map_err(io)?;
        let more = docs.len().saturating_sub(10);
        let shown = docs[..docs.len().min(10)].join(", ");
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        writeln!(out, "       cited by: {shown}{tail}").map_err(io)?;
        writeln!(out, "       why: {}", us[0].why).map_err(io)?;
    }
    Ok(())
}
