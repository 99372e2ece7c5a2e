//! `rasoat gen-corpus --docs N --seed S OUT/`: write a generated corpus of N documents (one
//! folder per district) and `OUT/EXPECTED.json`, the findings planted in it (review date
//! `corpusgen::AS_OF`). Same N and seed → same bytes. For scale runs and benchmarks.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::CliError;
use crate::corpusgen;

#[derive(Debug, Args)]
pub struct GenCorpusArgs {
    /// Number of documents.
    #[arg(long, default_value_t = 1000)]
    pub docs: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder (created; existing generated files are overwritten).
    pub out: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CliError + '_ {
    move |source| CliError::Io {
        path: path.display().to_string(),
        source,
    }
}

pub fn run(args: &GenCorpusArgs) -> Result<ExitCode, CliError> {
    if args.docs == 0 {
        return Err(CliError::User("--docs must be at least 1".into()));
    }
    let (files, manifest) = corpusgen::generate(args.docs, args.seed);
    let mut bytes = 0usize;
    for f in &files {
        let path = args.out.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&path, &f.text).map_err(io(&path))?;
        bytes += f.text.len();
    }
    let expected = args.out.join("EXPECTED.json");
    let json =
        serde_json::to_string_pretty(&manifest).map_err(|e| CliError::User(e.to_string()))?;
    std::fs::write(&expected, json + "\n").map_err(io(&expected))?;
    eprintln!(
        "{} documents ({:.1} MB) in {} districts, {} planted findings → {}",
        files.len(),
        bytes as f64 / 1e6,
        manifest.districts,
        manifest.findings.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
