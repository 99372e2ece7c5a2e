//! The command line: a thin layer that parses arguments, calls the library and maps the
//! outcome to the contract's exit codes (0 success, 1 user error, 2 usage error).

mod backup_cmd;
mod check_cmd;
mod gen_corpus_cmd;
mod ingest_cmd;
mod kept_check;
mod parse_cmd;
mod reindex_cmd;
mod review_cmd;
mod search_cmd;
mod serve_cmd;
mod show_cmd;
mod status_cmd;
mod token_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Output format of commands that print data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// For programs (the contract's shapes).
    Json,
    /// A table for people (where the command supports it).
    Table,
    /// Comma-separated values (where the command supports it).
    Csv,
}

#[derive(Debug, Parser)]
#[command(
    name = "rasoat",
    version,
    about = "Rà soát văn bản quy phạm pháp luật: review Vietnamese legal documents"
)]
pub struct Cli {
    /// Data directory holding the store and the index.
    #[arg(
        long,
        global = true,
        env = "RASOAT_DATA",
        default_value = "./rasoat-data"
    )]
    pub data: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse files without storing them; print the structured documents.
    Parse(parse_cmd::ParseArgs),
    /// Parse files and folders into the store (re-ingesting a file updates it).
    Ingest(ingest_cmd::IngestArgs),
    /// Status of a document and its provisions on a date, with the reasons.
    Status(status_cmd::StatusArgs),
    /// A document as it read on a date: repealed provisions marked, amended ones reworded.
    Show(show_cmd::ShowArgs),
    /// Run the review rules over the whole store and print the findings.
    Check(check_cmd::CheckArgs),
    /// Full-text search over provisions, with or without diacritics.
    Search(search_cmd::SearchArgs),
    /// Rebuild the search index from the store.
    Reindex(reindex_cmd::ReindexArgs),
    /// The reviewers' HTTP API (JSON under /api/v1).
    Serve(serve_cmd::ServeArgs),
    /// The whole job: ingest, run the review rules, record the run, print a summary, and
    /// serve the API and the reviewers' page on loopback.
    Review(review_cmd::ReviewArgs),
    /// Bearer tokens for the API (`token create --name N --role reader|reviewer|admin`).
    Token(token_cmd::TokenArgs),
    /// Copy the reviewer database and the store into a folder (SQLite backup API).
    Backup(backup_cmd::BackupArgs),
    /// Write a generated corpus of N documents and the findings planted in it (EXPECTED.json).
    GenCorpus(gen_corpus_cmd::GenCorpusArgs),
}

/// Log lines on stderr when `RASOAT_LOG` is set, as a `tracing` filter (`RASOAT_LOG=info`
/// gives each stage of `ingest` and `check` with its time); nothing otherwise, so that the
/// output of a command is only what the contract says.
fn init_logging() {
    let Ok(spec) = std::env::var("RASOAT_LOG") else {
        return;
    };
    match tracing_subscriber::EnvFilter::try_new(&spec) {
        Ok(filter) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_target(false)
            .init(),
        Err(e) => eprintln!("rasoat: RASOAT_LOG={spec}: {e}; logging stays off"),
    }
}

/// Hands a large structure (the status engine of a whole store) to a thread that frees it:
/// freeing its millions of small allocations takes a noticeable part of a second, which a
/// command need not wait for before its output or its exit.
pub(crate) fn free_aside<T: Send + 'static>(x: T) {
    std::thread::spawn(move || drop(x));
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    init_logging();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let outcome = match cli.command {
        Command::Parse(args) => parse_cmd::run(&args),
        Command::Ingest(args) => ingest_cmd::run(&cli.data, &args),
        Command::Status(args) => status_cmd::run(&cli.data, &args),
        Command::Show(args) => show_cmd::run(&cli.data, &args),
        Command::Check(args) => status_cmd::quiet_broken_pipe(check_cmd::run(&cli.data, &args)),
        Command::Search(args) => status_cmd::quiet_broken_pipe(search_cmd::run(&cli.data, &args)),
        Command::Reindex(args) => reindex_cmd::run(&cli.data, &args),
        Command::Serve(args) => serve_cmd::run(&cli.data, &args),
        Command::Review(args) => review_cmd::run(&cli.data, &args),
        Command::Token(args) => token_cmd::run(&cli.data, &args),
        Command::Backup(args) => backup_cmd::run(&cli.data, &args),
        Command::GenCorpus(args) => gen_corpus_cmd::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("rasoat: {e}");
            ExitCode::from(1)
        }
    }
}

/// An error reported at the edge: the message names the file and place where there is one.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    User(String),
}
