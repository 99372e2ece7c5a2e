//! `rasoat check [--as-of D] [--rules DIR] [--kind K] [--format json|table|csv|text]`: run the
//! review rules over the whole store and print the findings.
//!
//! A broken rule file is reported on stderr (file:line:column, the line, a caret, a hint);
//! the other rules still run, and the exit code is then 1.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::status_cmd::{load_timeline_for_rules, today, write_json, RulesArg};
use super::{CliError, Format};
use crate::model::{Date, Finding, FindingKind};
use crate::rules::{self, RuleSet};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The review date [default: today].
    #[arg(long)]
    pub as_of: Option<Date>,
    #[command(flatten)]
    pub rules: RulesArg,
    /// Only findings of this kind (repeatable).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Vec<FindingKind>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Run every rule over every document, without reusing the findings the last check
    /// kept for the groups of documents that did not change since (nor keeping new ones).
    #[arg(long)]
    pub full: bool,
}

fn parse_kind(s: &str) -> Result<FindingKind, String> {
    serde_json::from_value(serde_json::Value::String(s.replace('-', "_"))).map_err(|_| {
        format!("unknown kind `{s}`: expired, partially_expired, amended, basis_expired, conflict, overlap, inconsistency, format, authority")
    })
}

/// The rule files: `*.rule` of `--rules DIR` (or `./rules` when it has some), else the built-in pack.
pub fn load_rules(dir: Option<&Path>) -> Result<RuleSet, CliError> {
    let dir: Option<PathBuf> = dir.map(Path::to_path_buf).or_else(|| {
        let local = PathBuf::from("rules");
        std::fs::read_dir(&local)
            .ok()?
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "rule"))
            .then_some(local)
    });
    match dir {
        Some(d) => load_dir(&d),
        None => Ok(RuleSet::builtin()),
    }
}

/// Reads every `*.rule` file of a folder, in name order.
pub fn load_dir(dir: &Path) -> Result<RuleSet, CliError> {
    let io = |p: &Path| {
        let path = p.display().to_string();
        move |source| CliError::Io { path, source }
    };
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io(dir))? {
        let p = e.map_err(io(dir))?.path();
        if p.extension().is_some_and(|x| x == "rule") {
            files.push(p);
        }
    }
    files.sort();
    let mut texts = Vec::new();
    for p in files {
        let text = std::fs::read_to_string(&p).map_err(io(&p))?;
        texts.push((p.display().to_string(), text));
    }
    Ok(RuleSet::parse(&texts))
}

#[derive(serde::Serialize)]
struct Output<'a> {
    as_of: Date,
    findings: &'a [Finding],
}

pub fn kind_name(k: FindingKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn run(data: &Path, args: &CheckArgs) -> Result<ExitCode, CliError> {
    let as_of = args.as_of.unwrap_or_else(today);
    let set = load_rules(args.rules.rules.as_deref())?;
    for e in &set.errors {
        eprintln!("{e}\n");
    }
    let loaded = args.rules.load()?;
    let (mut findings, timeline) = if args.full {
        let (_, timeline) = load_timeline_for_rules(data, &args.rules)?;
        let findings = rules::run(&timeline, &loaded.periods, as_of, &set.rules);
        (findings, Some(timeline))
    } else {
        let (_, timeline, findings) =
            super::kept_check::check_keeping(data, &args.rules, &set.rules, as_of)?;
        (findings, timeline)
    };
    if let Some(t) = timeline {
        super::free_aside(t);
    }
    if !args.kind.is_empty() {
        findings.retain(|f| args.kind.contains(&f.kind));
    }
    // Buffered: stdout is line-buffered, and the JSON of a province's findings is hundreds
    // of megabytes; it is written as it is serialised, never held whole in memory.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let w = |e: std::io::Error| CliError::Io {
        path: "stdout".into(),
        source: e,
    };
    match args.format {
        Format::Json => write_json(
            &mut out,
            &Output {
                as_of,
                findings: &findings,
            },
        )?,
        Format::Csv => {
            writeln!(
                out,
                "id,rule,kind,severity,document,provision,related,since,message,legal_basis"
            )
            .map_err(w)?;
            for f in &findings {
                let related = f
                    .related
                    .iter()
                    .map(|r| match &r.provision {
                        Some(p) => format!("{} {p}", r.document),
                        None => r.document.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let row = [
                    f.id.clone(),
                    f.rule.clone(),
                    kind_name(f.kind),
                    format!("{:?}", f.severity).to_lowercase(),
                    f.document.clone(),
                    f.provision.clone().unwrap_or_default(),
                    related,
                    f.since.map(|d| d.to_string()).unwrap_or_default(),
                    f.message.clone(),
                    f.legal_basis.clone(),
                ];
                let row: Vec<String> = row.iter().map(|s| csv_field(s)).collect();
                writeln!(out, "{}", row.join(",")).map_err(w)?;
            }
        }
        Format::Table | Format::Text => {
            writeln!(out, "Rà soát ngày {as_of}: {} phát hiện", findings.len()).map_err(w)?;
            for f in &findings {
                writeln!(
                    out,
                    "{:<16} {:<18} {:<7} {} {}\n    {}\n    ({})",
                    f.id,
                    kind_name(f.kind),
                    format!("{:?}", f.severity).to_lowercase(),
                    f.document,
                    f.provision.clone().unwrap_or_default(),
                    f.message,
                    f.legal_basis
                )
                .map_err(w)?;
            }
        }
    }
    out.flush().map_err(w)?;
    Ok(if set.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
