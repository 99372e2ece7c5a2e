//! `rasoat review PATH…`: the whole job in one command — ingest the documents, run the
//! review rules as of a date, record the run for the reviewers, print a summary, and serve
//! the API and the reviewers' page on loopback.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::check_cmd::{kind_name, load_rules};
use super::ingest_cmd::{self, IngestArgs};
use super::serve_cmd::{self, ServeArgs};
use super::status_cmd::{today, RulesArg};
use super::{CliError, Format};
use crate::model::{Date, Finding};
use crate::review::ReviewDb;

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Files and folders to review (folders recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The review date [default: today].
    #[arg(long)]
    pub as_of: Option<Date>,
    /// Where to serve the API and the page.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Stop after the summary instead of serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Read plain-text files in this encoding instead of detecting it: utf-8, utf-8-bom,
    /// utf-16le, utf-16be, windows-1258, tcvn3 (ABC, .VnTime), vni (VNI-Times).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<crate::import::Encoding>,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// Counts of findings by kind and severity, for the summary.
fn summary(findings: &[Finding]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut m: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for f in findings {
        let sev = format!("{:?}", f.severity).to_lowercase();
        *m.entry(kind_name(f.kind))
            .or_default()
            .entry(sev)
            .or_default() += 1;
    }
    m
}

pub fn run(data: &Path, args: &ReviewArgs) -> Result<ExitCode, CliError> {
    let as_of = args.as_of.unwrap_or_else(today);
    let ingest = IngestArgs {
        paths: args.paths.clone(),
        format: Format::Text,
        rules: args.rules.clone(),
        max_file_mb: 20,
        events: false,
        encoding: args.encoding,
    };
    let ingest_code = ingest_cmd::run(data, &ingest)?;

    let set = load_rules(args.rules.rules.as_deref())?;
    for e in &set.errors {
        eprintln!("{e}\n");
    }
    // As `check` does: the findings of the groups the ingest did not touch are those the last
    // review or check kept.
    let (store, timeline, findings) =
        super::kept_check::check_keeping(data, &args.rules, &set.rules, as_of)?;
    if let Some(t) = timeline {
        super::free_aside(t);
    }
    let revision = store
        .revision()
        .map_err(|e| CliError::User(e.to_string()))?;
    let mut db = ReviewDb::open(data).map_err(|e| CliError::User(e.to_string()))?;
    let run = db
        .create_run(as_of, revision, &findings, "rasoat review")
        .map_err(|e| CliError::User(e.to_string()))?;

    let mut out = std::io::stdout().lock();
    let w = |source| CliError::Io {
        path: "stdout".into(),
        source,
    };
    writeln!(
        out,
        "\nRà soát ngày {as_of} (đợt rà soát số {}): {} phát hiện",
        run.id,
        findings.len()
    )
    .map_err(w)?;
    for (kind, by_sev) in summary(&findings) {
        let total: usize = by_sev.values().sum();
        let parts: Vec<String> = by_sev.iter().map(|(s, n)| format!("{s} {n}")).collect();
        writeln!(out, "  {kind:<18} {total:>4}   ({})", parts.join(", ")).map_err(w)?;
    }
    writeln!(
        out,
        "Chi tiết: rasoat check --as-of {as_of}; danh mục: /api/v1/runs/{}/lists/expired.xlsx",
        run.id
    )
    .map_err(w)?;
    drop(out);

    if args.no_serve {
        return Ok(if set.errors.is_empty() {
            ingest_code
        } else {
            ExitCode::from(1)
        });
    }
    let serve = ServeArgs {
        addr: args.addr,
        token_for_reads: false,
        open_reads: false,
        body_limit: 1 << 20,
        timeout: 120,
        concurrency: 64,
        auth_failures: crate::api::auth::FAILURE_LIMIT,
        rules: args.rules.clone(),
    };
    serve_cmd::run(data, &serve)
}
