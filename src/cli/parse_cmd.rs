//! `rasoat parse FILE…`: parse without storing; print the documents.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{CliError, Format};
use crate::model::{Document, Provision};

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Files to parse: text or Markdown in any supported encoding, `.docx`, `.doc`, `.pdf`,
    /// `.html`.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// `text` prints the outline a person reads; `json` the contract's document objects.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print the normalised text the parser reads (clean logical lines), not the document.
    #[arg(long)]
    pub normalized: bool,
    /// Read plain-text files in this encoding instead of detecting it: utf-8, utf-8-bom,
    /// utf-16le, utf-16be, windows-1258, tcvn3 (ABC, .VnTime), vni (VNI-Times). Without it
    /// the encoding is detected, and a file whose encoding is unclear is refused with the
    /// candidates.
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<crate::import::Encoding>,
}

/// Imports a file (plain text in any supported encoding, Word, PDF, HTML) as text, naming
/// the file and the place where it cannot be read; the import's warnings, and the validity
/// facts a page states, go to stderr.
pub fn read_text(
    path: &std::path::Path,
    opts: &crate::import::ImportOptions,
) -> Result<String, CliError> {
    read_imported(path, opts).map(|im| im.text)
}

/// [`read_text`], keeping what the importer found besides the text.
fn read_imported(
    path: &std::path::Path,
    opts: &crate::import::ImportOptions,
) -> Result<crate::import::Imported, CliError> {
    let im = crate::import::import_file(path, opts).map_err(|e| CliError::User(e.to_string()))?;
    for w in &im.warnings {
        eprintln!("rasoat: {}: {w}", path.display());
    }
    for f in &im.facts {
        eprintln!("rasoat: {}: {}", path.display(), facts_line(f));
    }
    Ok(im)
}

/// One line for the validity facts a page states.
fn facts_line(f: &crate::import::ValidityFacts) -> String {
    let day = |d: Option<crate::model::Date>| d.map_or("—".to_string(), |d| d.to_string());
    let id = if f.document.is_empty() {
        "(this document)"
    } else {
        f.document.as_str()
    };
    // The database's "Ngày hết hiệu lực" is the first day without effect.
    let ends = f.in_force_until.and_then(|d| d.succ_opt());
    format!(
        "validity facts: {id}: {}; in force from {} (Ngày có hiệu lực); last day in force {} (Ngày hết hiệu lực {}); {} relations",
        f.status.as_deref().unwrap_or("status not stated"),
        day(f.in_force_from),
        day(f.in_force_until),
        day(ends),
        f.relations.len()
    )
}

pub fn run(args: &ParseArgs) -> Result<ExitCode, CliError> {
    let mut docs: Vec<Document> = Vec::new();
    let mut failed = false;
    let opts = crate::import::ImportOptions {
        encoding: args.encoding,
        ..crate::import::ImportOptions::default()
    };
    if args.normalized {
        let mut out = std::io::stdout().lock();
        for f in &args.files {
            let text = read_text(f, &opts)?;
            if writeln!(out, "{}", crate::text::normalize_document(&text).text).is_err() {
                break;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    for f in &args.files {
        match read_imported(f, &opts) {
            // A page that states only validity facts has no document to print.
            Ok(im) if im.text.trim().is_empty() && !im.facts.is_empty() => {}
            Ok(im) => docs.push(crate::parse::parse_document(
                &f.display().to_string(),
                &im.text,
            )),
            Err(e) => {
                eprintln!("rasoat: {e}");
                failed = true;
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        Format::Json => {
            let s = if docs.len() == 1 {
                serde_json::to_string_pretty(&docs[0])
            } else {
                serde_json::to_string_pretty(&docs)
            }
            .map_err(|e| CliError::User(e.to_string()))?;
            writeln!(out, "{s}")
        }
        _ => {
            let mut s = String::new();
            for d in &docs {
                s.push_str(&outline(d));
            }
            write!(out, "{s}")
        }
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(CliError::User(e.to_string()));
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn date(d: Option<crate::model::Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

/// The document as a person reads it: header facts, then the outline tree.
pub fn outline(d: &Document) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "{}  {}\n",
        d.id,
        d.doc_type.as_deref().unwrap_or("?")
    ));
    if let Some(t) = &d.title {
        s.push_str(&format!("  {t}\n"));
    }
    s.push_str(&format!(
        "  cơ quan ban hành: {}\n  ngày ban hành: {}   hiệu lực: {} → {}\n",
        d.issuer.as_deref().unwrap_or("?"),
        date(d.issued),
        date(d.effective_from),
        date(d.effective_until)
    ));
    for b in &d.bases {
        s.push_str(&format!("  căn cứ: {}\n", b.text));
    }
    if let Some(sg) = &d.signer {
        s.push_str(&format!(
            "  người ký: {} {} {}\n",
            sg.capacity.as_deref().unwrap_or(""),
            sg.title.as_deref().unwrap_or(""),
            sg.name
        ));
    }
    fn walk(p: &Provision, depth: usize, s: &mut String) {
        let head = p.heading.as_deref().unwrap_or("");
        let text: String = p
            .text
            .chars()
            .take(70)
            .collect::<String>()
            .replace('\n', " ");
        s.push_str(&format!(
            "{}{}  {}{}\n",
            "  ".repeat(depth + 1),
            p.path,
            head,
            if head.is_empty() { text } else { String::new() }
        ));
        for c in &p.children {
            walk(c, depth + 1, s);
        }
    }
    for p in &d.provisions {
        walk(p, 0, &mut s);
    }
    for c in &d.citations {
        if c.relation != crate::model::Relation::Mentions || !c.internal {
            s.push_str(&format!(
                "  → {:?} {} {}\n",
                c.relation,
                c.target
                    .as_deref()
                    .or(c.target_name.as_deref())
                    .unwrap_or("?"),
                c.provision.as_deref().unwrap_or("")
            ));
        }
    }
    for g in &d.diagnostics {
        s.push_str(&format!(
            "  {}:{}:{}: {:?}: {}\n",
            d.source.as_deref().unwrap_or(""),
            g.line,
            g.column,
            g.severity,
            g.message
        ));
    }
    s.push('\n');
    s
}
