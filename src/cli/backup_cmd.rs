//! `rasoat backup DIR`: copies the reviewer database (and the store) into DIR with SQLite's
//! online backup API, which is safe while a server writes to them (never copy the files).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::CliError;
use crate::review::{backup_file, ReviewDb, REVIEW_FILE};
use crate::store::{Store, DB_FILE};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The folder to write `review.db` and `store.db` into (created; must not hold them yet).
    pub dest: PathBuf,
}

pub fn run(data: &Path, args: &BackupArgs) -> Result<ExitCode, CliError> {
    let user = |e: String| CliError::User(e);
    std::fs::create_dir_all(&args.dest).map_err(|source| CliError::Io {
        path: args.dest.display().to_string(),
        source,
    })?;
    for name in [REVIEW_FILE, DB_FILE] {
        let p = args.dest.join(name);
        if p.exists() {
            return Err(user(format!(
                "{}: exists already; back up into an empty folder",
                p.display()
            )));
        }
    }
    let review = ReviewDb::open(data).map_err(|e| user(e.to_string()))?;
    let dest = args.dest.join(REVIEW_FILE);
    review
        .backup_to(&dest)
        .map_err(|e| user(format!("{}: {e}", dest.display())))?;
    let check = ReviewDb::open(&args.dest)
        .and_then(|b| b.integrity_check())
        .map_err(|e| user(e.to_string()))?;
    if check != "ok" {
        return Err(user(format!(
            "{}: integrity check: {check}",
            dest.display()
        )));
    }
    let mut copied = vec![dest.display().to_string()];
    if data.join(DB_FILE).exists() {
        let store = Store::open_existing(data).map_err(|e| user(e.to_string()))?;
        let dest = args.dest.join(DB_FILE);
        backup_file(store.connection(), &dest)
            .map_err(|e| user(format!("{}: {e}", dest.display())))?;
        copied.push(dest.display().to_string());
    }
    println!("{}", copied.join("\n"));
    Ok(ExitCode::SUCCESS)
}
