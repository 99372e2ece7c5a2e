//! `rasoat search QUERY [--as-of D] [--in-force] [--limit N] [--exact-total]`: full-text search
//! over the provisions, accent-insensitive. The index is brought up to the store first; a missing or
//! damaged index is rebuilt.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::status_cmd::{today, write_json, Rules, RulesArg};
use super::{CliError, Format};
use crate::index::{self, IndexError, IndexRules, SearchOptions, TotalCount};
use crate::model::Date;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "phrases" and filters (type:, issuer:, year:, cites:); several arguments are
    /// joined with spaces.
    #[arg(required = true)]
    pub query: Vec<String>,
    /// The date statuses are given for (YYYY-MM-DD) [default: today].
    #[arg(long)]
    pub as_of: Option<Date>,
    /// Keep only provisions in force on the as-of date.
    #[arg(long)]
    pub in_force: bool,
    /// How many hits to print.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Count every match for the total, however many (by default counting stops past
    /// 10,000 and the total reads "more than 10000").
    #[arg(long)]
    pub exact_total: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RulesArg,
}

/// The rules as the index wants them.
pub fn index_rules(rules: &Rules) -> IndexRules<'_> {
    IndexRules {
        registry: &rules.registry,
        registry_text: &rules.registry_text,
        periods: &rules.periods,
        digest: index::rules_digest_of(&rules.registry_text, &rules.periods),
    }
}

fn user(e: impl std::fmt::Display) -> CliError {
    CliError::User(e.to_string())
}

pub fn run(data: &Path, args: &SearchArgs) -> Result<ExitCode, CliError> {
    let q = args.query.join(" ");
    // Check the query before any work, so a typo is answered at once.
    index::parse(&q).map_err(|e| CliError::User(format!("search: {e}")))?;
    let rules = args.rules.load()?;
    match index::sync(data, &index_rules(&rules)) {
        Ok(r) if r.rebuilt => eprintln!(
            "rasoat: {}: the index was missing or damaged and was rebuilt from the store",
            data.join(index::INDEX_DIR).display()
        ),
        Ok(_) => {}
        // Another process is updating the index: search what is committed.
        Err(e @ IndexError::Busy { .. }) => eprintln!("rasoat: {e}; searching the last commit"),
        Err(e) => return Err(user(e)),
    }
    let idx = index::open(data).map_err(user)?;
    let opts = SearchOptions {
        as_of: args.as_of.unwrap_or_else(today),
        in_force: args.in_force,
        limit: args.limit,
        snippets: true,
        count: if args.exact_total {
            TotalCount::Exact
        } else {
            TotalCount::UpTo(index::TOTAL_COUNTED_UP_TO)
        },
    };
    let res = idx.search(&q, &opts).map_err(|e| match e {
        IndexError::Query(q) => CliError::User(format!("search: query: {q}")),
        e => user(e),
    })?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        write_json(&mut out, &res)?;
        return Ok(ExitCode::SUCCESS);
    }
    let _ = writeln!(
        out,
        "{}{} hits for «{}» on {}{}",
        if res.total_exact { "" } else { "more than " },
        res.total,
        res.query,
        res.as_of,
        if args.in_force { ", in force" } else { "" }
    );
    for (i, h) in res.hits.iter().enumerate() {
        let status = h
            .status
            .and_then(|s| serde_json::to_value(s).ok())
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_else(|| "unknown".into());
        let _ = writeln!(
            out,
            "{:>3}. {} — {}  [{status}]  {:.2}\n     {}",
            i + 1,
            h.document,
            h.provision.as_deref().unwrap_or("(whole document)"),
            h.score,
            h.snippet.replace('\n', " ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
