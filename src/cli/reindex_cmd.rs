//! `rasoat reindex`: rebuild the search index from the store (it is derived data).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::Args;

use super::search_cmd::index_rules;
use super::status_cmd::{write_json, RulesArg};
use super::{CliError, Format};
use crate::index;

#[derive(Debug, Args)]
pub struct ReindexArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub rules: RulesArg,
}

pub fn run(data: &Path, args: &ReindexArgs) -> Result<ExitCode, CliError> {
    let rules = args.rules.load()?;
    let r =
        index::reindex(data, &index_rules(&rules)).map_err(|e| CliError::User(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        write_json(&mut out, &r)?;
    } else {
        let _ = writeln!(
            out,
            "{}: index rebuilt: {} documents",
            data.join(index::INDEX_DIR).display(),
            r.documents
        );
    }
    Ok(ExitCode::SUCCESS)
}
