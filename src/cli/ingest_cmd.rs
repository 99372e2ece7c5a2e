//! `rasoat ingest PATH…`: parse files and folders into the store, then rebuild what depends
//! on them (the relation graph). A file that fails is reported and the others go on; the
//! exit code then says that something failed.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::status_cmd::{write_json, RulesArg};
use super::{CliError, Format};
use crate::store::{collect_files, FileOutcome, Store};

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files and folders (folders recursively: `.txt` and `.md`).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RulesArg,
    /// Read plain-text files in this encoding instead of detecting it: utf-8, utf-8-bom,
    /// utf-16le, utf-16be, windows-1258, tcvn3 (ABC, .VnTime), vni (VNI-Times). Without it
    /// each file's encoding is detected, and a file whose encoding is unclear is reported
    /// with the candidates (the others go on).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<crate::import::Encoding>,
    /// Refuse files larger than this many MiB, before reading them.
    #[arg(long, default_value_t = 20)]
    pub max_file_mb: u64,
    /// Print one JSON line to stdout per file as soon as its outcome is final (for an
    /// ingested file: once its transaction is committed), before the summary.
    #[arg(long)]
    pub events: bool,
}

/// The counts printed at the end.
#[derive(Debug, Default, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub ingested: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub duplicates: usize,
    pub documents: usize,
    pub unresolved_citations: usize,
}

/// Progress goes to stderr only for a person watching or a long run.
fn progress(n: usize) -> ProgressBar {
    let tty = std::io::stderr().is_terminal();
    if !tty && n <= 100 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files  {elapsed}  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}

/// One line of `--events`: `{"file", "outcome", "id"?, "error"?}`, flushed at once.
fn print_event(f: &Path, outcome: &Result<FileOutcome, crate::store::IngestError>) {
    let file = f.display().to_string();
    let v = match outcome {
        Ok(FileOutcome::Unchanged) => serde_json::json!({"file": file, "outcome": "unchanged"}),
        Ok(FileOutcome::Ingested { id, .. } | FileOutcome::ReplacedDuplicate { id, .. }) => {
            serde_json::json!({"file": file, "outcome": "ingested", "id": id})
        }
        #[allow(unreachable_patterns)]
        Ok(other) => serde_json::json!({"file": file, "outcome": format!("{other:?}")}),
        Err(e) => serde_json::json!({"file": file, "outcome": "failed", "error": e.to_string()}),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{v}");
    let _ = out.flush();
}

pub fn run(data: &Path, args: &IngestArgs) -> Result<ExitCode, CliError> {
    let rules = args.rules.load()?;
    let mut store = Store::open(data).map_err(|e| CliError::User(e.to_string()))?;
    let (files, walk_errors) = collect_files(&args.paths);
    let mut sum = Summary {
        files: files.len(),
        failed: walk_errors.len(),
        ..Summary::default()
    };
    for e in &walk_errors {
        eprintln!("rasoat: {e}");
    }
    let pb = progress(files.len());
    let plain_progress = !std::io::stderr().is_terminal() && files.len() > 100;
    let mut opts = crate::import::ImportOptions::default();
    opts.limits.max_file_bytes = args.max_file_mb.saturating_mul(1024 * 1024);
    opts.encoding = args.encoding;
    let mut done = 0;
    let started = std::time::Instant::now();
    store
        .ingest_files_with(&files, &opts, |f, outcome| {
            if args.events {
                print_event(f, &outcome);
            }
            if let Ok(
                FileOutcome::Ingested { warnings, .. }
                | FileOutcome::ReplacedDuplicate { warnings, .. },
            ) = &outcome
            {
                for w in warnings {
                    pb.suspend(|| eprintln!("rasoat: {}: {w}", f.display()));
                }
            }
            match outcome {
                Ok(FileOutcome::Unchanged) => sum.unchanged += 1,
                Ok(FileOutcome::Ingested { .. }) => sum.ingested += 1,
                Ok(FileOutcome::Facts { documents }) => {
                    sum.ingested += 1;
                    pb.suspend(|| {
                        eprintln!(
                            "rasoat: {}: validity facts of {} stored (no text)",
                            f.display(),
                            documents.join(", ")
                        )
                    });
                }
                Ok(FileOutcome::ReplacedDuplicate { id, other, .. }) => {
                    sum.ingested += 1;
                    sum.duplicates += 1;
                    pb.suspend(|| {
                        eprintln!(
                            "rasoat: {}: {id} has the same number and issuer as {other}; the later file replaces it",
                            f.display()
                        )
                    });
                }
                Err(e) => {
                    sum.failed += 1;
                    pb.suspend(|| eprintln!("rasoat: {e}"));
                }
            }
            pb.inc(1);
            done += 1;
            if plain_progress && done % 100 == 0 {
                eprintln!("rasoat: {done}/{} files", files.len());
            }
        })
        .map_err(|e| CliError::User(e.to_string()))?;
    pb.finish_and_clear();
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "ingest: files read, parsed and stored"
    );
    let started = std::time::Instant::now();
    // The documents are read once without their provisions' text, for the relations and the
    // index's status engine; the index then reads the full ones back a chunk at a time.
    let mut loaded = None;
    store
        .refresh_relations_keeping(&rules.registry, &rules.registry_text, false, &mut loaded)
        .map_err(|e| CliError::User(e.to_string()))?;
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "ingest: relations"
    );
    let started = std::time::Instant::now();
    // The search index is derived data: a failure here is reported, and the next search or
    // `rasoat reindex` rebuilds it.
    if let Err(e) =
        crate::index::sync_keeping(data, &super::search_cmd::index_rules(&rules), &mut loaded)
    {
        eprintln!("rasoat: the search index was not updated: {e}");
    }
    drop(loaded);
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "ingest: search index"
    );
    sum.documents = store
        .document_count()
        .map_err(|e| CliError::User(e.to_string()))?;
    sum.unresolved_citations = store
        .unresolved_count()
        .map_err(|e| CliError::User(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        write_json(&mut out, &sum)?;
    } else {
        let _ = writeln!(
            out,
            "{} files: {} ingested, {} unchanged, {} failed; {} documents in the store; {} unresolved citations (rasoat status --unresolved)",
            sum.files, sum.ingested, sum.unchanged, sum.failed, sum.documents, sum.unresolved_citations
        );
    }
    Ok(if sum.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
