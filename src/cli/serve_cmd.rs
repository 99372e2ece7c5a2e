//! `rasoat serve [--addr 127.0.0.1:8080]`: the reviewers' HTTP API.
//!
//! Reads are open without a token on a loopback address (unless `--token-for-reads`), and
//! need one elsewhere (unless `--open-reads`); writes always need a token. The server refuses
//! to listen on a non-loopback address when no token exists. It prints
//! `rasoat: listening on http://ADDR` once it listens (with `--addr 127.0.0.1:0`, ADDR has
//! the port the system chose).

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::status_cmd::RulesArg;
use super::CliError;
use crate::api::{self, AppState, Config, Engine};
use crate::review::ReviewDb;
use crate::rules::{RuleSet, BUILTIN};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Require a token for reads, even on loopback.
    #[arg(long)]
    pub token_for_reads: bool,
    /// Allow reads without a token on a non-loopback address.
    #[arg(long, conflicts_with = "token_for_reads")]
    pub open_reads: bool,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub body_limit: usize,
    /// Longest time a request may take, in seconds (408 past it).
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    /// Requests handled at once (503 past it).
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Failed authentications one client address may make within a minute; past it, its
    /// requests that present a token are answered 429 with `Retry-After`.
    #[arg(long, default_value_t = crate::api::auth::FAILURE_LIMIT)]
    pub auth_failures: u32,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// The rule files: `*.rule` of `--rules DIR` (or `./rules` when it has some), else built in.
fn rule_files(dir: Option<&Path>) -> Result<Vec<(String, String)>, CliError> {
    let has_rules = |d: &Path| {
        std::fs::read_dir(d).ok().is_some_and(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "rule"))
        })
    };
    let dir: Option<PathBuf> = match dir {
        Some(d) if has_rules(d) => Some(d.to_path_buf()),
        Some(_) => None,
        None => Some(PathBuf::from("rules")).filter(|d| has_rules(d)),
    };
    let Some(dir) = dir else {
        return Ok(BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect());
    };
    let io = |p: &Path| {
        let path = p.display().to_string();
        move |source| CliError::Io { path, source }
    };
    let mut files = Vec::new();
    for e in std::fs::read_dir(&dir).map_err(io(&dir))? {
        let p = e.map_err(io(&dir))?.path();
        if p.extension().is_some_and(|x| x == "rule") {
            files.push(p);
        }
    }
    files.sort();
    let mut out = Vec::new();
    for p in files {
        let text = std::fs::read_to_string(&p).map_err(io(&p))?;
        out.push((p.display().to_string(), text));
    }
    Ok(out)
}

pub fn run(data: &Path, args: &ServeArgs) -> Result<ExitCode, CliError> {
    let rules = args.rules.load()?;
    let files = rule_files(args.rules.rules.as_deref())?;
    let set = RuleSet::parse(&files);
    if !set.errors.is_empty() {
        for e in &set.errors {
            eprintln!("{e}\n");
        }
        return Err(CliError::User(
            "the rule files have errors; fix them before serving".into(),
        ));
    }
    let loopback = args.addr.ip().is_loopback();
    let tokens = ReviewDb::open(data)
        .and_then(|db| db.tokens())
        .map_err(|e| CliError::User(e.to_string()))?;
    if !loopback && tokens.is_empty() {
        return Err(CliError::User(format!(
            "refusing to listen on {} (not loopback) with no tokens: create one with `rasoat token create --name NAME --role admin`",
            args.addr
        )));
    }
    let mut config = Config::new(data.to_path_buf());
    config.reads_open = if loopback {
        !args.token_for_reads
    } else {
        args.open_reads
    };
    config.body_limit = args.body_limit;
    config.timeout = Duration::from_secs(args.timeout.max(1));
    config.concurrency = args.concurrency.max(1);
    config.auth_failure_limit = args.auth_failures.max(1);
    let engine = Engine {
        registry: rules.registry,
        registry_text: rules.registry_text,
        periods: rules.periods,
        rules: set.rules,
        rule_files: files,
    };
    let state = AppState::open(config, engine).map_err(|e| CliError::User(e.message()))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| CliError::Io {
            path: "tokio runtime".into(),
            source,
        })?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|source| CliError::Io {
                path: args.addr.to_string(),
                source,
            })?;
        let local = listener.local_addr().map_err(|source| CliError::Io {
            path: args.addr.to_string(),
            source,
        })?;
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "rasoat: listening on http://{local}");
            let _ = out.flush();
        }
        api::serve(listener, state)
            .await
            .map_err(|source| CliError::Io {
                path: local.to_string(),
                source,
            })
    })?;
    Ok(ExitCode::SUCCESS)
}
