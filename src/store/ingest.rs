//! Reading files into the store: one transaction per file, or per batch of files parsed in
//! parallel ([`Store::ingest_files_with`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use super::{IngestError, Store, StoreError};
use crate::import::{ImportOptions, ValidityFacts};
use crate::model::{DiagnosticSeverity, Document};
use crate::resolve;

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// Parsed and stored (new or changed), under this plain id. `warnings` are the
    /// importer's (an encoding detected, a font converted, parts of a Word file left out).
    Ingested {
        id: String,
        errors: usize,
        warnings: Vec<String>,
    },
    /// Same content as the last time: nothing to do.
    Unchanged,
    /// Parsed and stored, replacing a document with the same number and issuer read from
    /// another file (a duplicate copy): the later file wins.
    ReplacedDuplicate {
        id: String,
        other: String,
        warnings: Vec<String>,
    },
    /// A page that states only validity facts (an attribute or diagram page of the national
    /// database): the facts were stored for these documents.
    Facts { documents: Vec<String> },
}

/// The SHA-256 of some bytes, in hex: the content hash that makes re-ingest a no-op.
pub fn hash_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Files that are part of a folder but not documents (`README.md`, `LICENSE.md`, …).
fn is_housekeeping(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_uppercase())
        .unwrap_or_default();
    [
        "README",
        "LICENSE",
        "LICENCE",
        "CHANGELOG",
        "CONTRIBUTING",
        "NOTICE",
    ]
    .iter()
    .any(|h| name.starts_with(h))
}

fn wanted(p: &Path) -> bool {
    crate::import::is_importable(p) && !is_housekeeping(p)
}

/// The importable files (`.txt`, `.md`, `.docx`, `.doc`, `.pdf`, `.html`) under the given
/// paths (folders recursively), sorted, without duplicates. A path that cannot be read is
/// reported and the others go on. A file named explicitly is taken whatever its extension.
///
/// Every path is resolved (`..`, symlinks) to its canonical form, which keys the file in the
/// store: `corpus/sub/../a.txt` and `corpus/a.txt` are one file. Inside a folder, a symbolic
/// link that leads out of the folder is refused ([`IngestError::OutsideFolder`]) and a link
/// to a folder inside it is not followed (its files are found under their own path; a link to
/// `.` or `..` would otherwise be walked forever).
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<IngestError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let resolved = std::fs::canonicalize(p).and_then(|c| std::fs::metadata(&c).map(|m| (c, m)));
        match resolved {
            Ok((c, m)) if m.is_dir() => walk(&c, &c, &mut files, &mut errors),
            Ok((c, _)) => files.push(c),
            Err(source) => errors.push(IngestError::Io {
                path: p.clone(),
                source,
            }),
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

/// Walks `dir`, a canonical folder inside the canonical `root`.
fn walk(root: &Path, dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<IngestError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(source) => {
            errors.push(IngestError::Io {
                path: dir.to_path_buf(),
                source,
            });
            return;
        }
    };
    let mut children: Vec<(PathBuf, std::fs::FileType)> = entries
        .filter_map(|e| e.ok().and_then(|e| Some((e.path(), e.file_type().ok()?))))
        .collect();
    children.sort_by(|a, b| a.0.cmp(&b.0));
    for (c, kind) in children {
        if kind.is_dir() {
            walk(root, &c, files, errors);
        } else if kind.is_symlink() {
            let target = match std::fs::canonicalize(&c) {
                Ok(t) => t,
                Err(source) if wanted(&c) => {
                    errors.push(IngestError::Io { path: c, source });
                    continue;
                }
                Err(_) => continue,
            };
            let is_dir = target.is_dir();
            if !target.starts_with(root) {
                if is_dir || wanted(&c) {
                    errors.push(IngestError::OutsideFolder {
                        path: c,
                        target,
                        folder: root.to_path_buf(),
                    });
                }
            } else if !is_dir && wanted(&c) {
                files.push(target);
            }
        } else if wanted(&c) {
            files.push(c);
        }
    }
}

/// Why a parsed text is not something to store, if it is not.
fn not_a_document(doc: &Document, text: &str) -> Option<(usize, usize, String)> {
    if text.trim().is_empty() {
        return Some((1, 1, "empty file".to_string()));
    }
    if doc.number.is_none() && doc.provisions.is_empty() && doc.issued.is_none() {
        let first = doc
            .diagnostics
            .iter()
            .find(|d| d.severity == DiagnosticSeverity::Error);
        return Some(match first {
            Some(d) => (
                d.line,
                d.column,
                format!("not a legal document: {}", d.message),
            ),
            None => (
                1,
                1,
                "not a legal document: no số ký hiệu, no date and no provisions found".to_string(),
            ),
        });
    }
    // A header (or a skeleton of headings) and nothing under it: a truncated or half-written
    // file. A legal library's caption page is read from its caption and stays.
    let contentless = doc
        .all_provisions()
        .iter()
        .all(|p| p.text.trim().is_empty())
        && doc.bases.is_empty()
        && doc.enacting_formula.is_none()
        && doc.signer.is_none()
        && !doc
            .diagnostics
            .iter()
            .any(|d| d.code == "header_from_caption");
    if contentless {
        let why = if doc.provisions.is_empty() {
            "only a header: no Căn cứ, no provision and no signer (a truncated file?)"
        } else {
            "only headings: no provision has text, and there is no Căn cứ and no signer"
        };
        return Some((1, 1, format!("not a legal document: {why}")));
    }
    None
}

/// A file read, imported and parsed: all of an ingest that needs no store, so it can run in
/// parallel with other files'.
enum Prepared {
    /// The stored hash of the file is its content's.
    Unchanged,
    /// A page stating only validity facts.
    Facts {
        key: String,
        hash: String,
        facts: Vec<ValidityFacts>,
    },
    /// A document, serialised, with the validity facts its file states beside it.
    Document {
        key: String,
        hash: String,
        row: Box<DocRow>,
        facts: Vec<ValidityFacts>,
        errors: usize,
        warnings: Vec<String>,
    },
}

/// The columns of one `documents` row.
struct DocRow {
    id: String,
    number: String,
    number_key: String,
    slug: String,
    issuer: Option<String>,
    level: Option<String>,
    issued: Option<String>,
    json: String,
    /// The document without its provisions' text ([`crate::timeline::without_text`]).
    skeleton: String,
}

impl DocRow {
    fn of(doc: &Document) -> DocRow {
        let number = resolve::plain_number(&doc.id).to_string();
        DocRow {
            id: doc.id.clone(),
            number_key: resolve::number_key(&number),
            number,
            slug: resolve::issuer_slug(doc),
            issuer: doc.issuer.clone(),
            level: doc
                .issuer_detail
                .as_ref()
                .and_then(|i| serde_json::to_value(i.level).ok())
                .and_then(|v| v.as_str().map(String::from)),
            issued: doc.issued.map(|d| d.to_string()),
            json: serde_json::to_string(doc).expect("a document serialises"),
            skeleton: {
                let mut bare = doc.clone();
                crate::timeline::without_text(&mut bare);
                serde_json::to_string(&bare).expect("a document serialises")
            },
        }
    }
}

/// Files written in one transaction by [`Store::ingest_files_with`]: one commit (one `fsync`)
/// per batch instead of one per file, and the batch's files parsed in parallel.
const BATCH_FILES: usize = 128;

/// Reads, hashes, imports and parses one file; `known` is the hash stored for it, if any.
fn prepare(
    path: &Path,
    known: Option<&str>,
    opts: &ImportOptions,
) -> Result<Prepared, IngestError> {
    let size = std::fs::metadata(path)
        .map_err(|source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    if size > opts.limits.max_file_bytes {
        return Err(IngestError::Import(crate::import::ImportError {
            path: path.to_path_buf(),
            kind: crate::import::ImportErrorKind::TooLarge {
                size,
                limit: opts.limits.max_file_bytes,
            },
        }));
    }
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let hash = hash_hex(&bytes);
    let key = path.to_string_lossy().to_string();
    if known == Some(hash.as_str()) {
        return Ok(Prepared::Unchanged);
    }
    let imported = crate::import::import_bytes(path, &bytes, opts)?;
    drop(bytes);
    let text = imported.text.as_str();
    if text.trim().is_empty() && !imported.facts.is_empty() {
        let facts: Vec<ValidityFacts> = imported
            .facts
            .iter()
            .filter(|f| !f.document.trim().is_empty())
            .cloned()
            .collect();
        if facts.is_empty() {
            return Err(IngestError::NotADocument {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                why: "the page states validity facts but not the số ký hiệu of their document"
                    .to_string(),
            });
        }
        return Ok(Prepared::Facts { key, hash, facts });
    }
    let doc = crate::parse::parse_document(&key, text);
    if let Some((line, column, why)) = not_a_document(&doc, text) {
        return Err(IngestError::NotADocument {
            path: path.to_path_buf(),
            line,
            column,
            why,
        });
    }
    let errors = doc
        .diagnostics
        .iter()
        .filter(|d| d.severity == DiagnosticSeverity::Error)
        .count();
    // Facts stated beside a text (the database's status bar over a full text) are about
    // that text: those without a number take the parsed document's.
    let facts: Vec<ValidityFacts> = imported
        .facts
        .iter()
        .cloned()
        .map(|mut f| {
            if f.document.trim().is_empty() {
                f.document = doc.id.clone();
            }
            f
        })
        .collect();
    Ok(Prepared::Document {
        key,
        hash,
        row: Box::new(DocRow::of(&doc)),
        facts,
        errors,
        warnings: imported.warnings,
    })
}

/// Writes a prepared file inside an open transaction; its outcome once that commits.
fn write_prepared(
    tx: &rusqlite::Transaction<'_>,
    prepared: &Prepared,
) -> rusqlite::Result<FileOutcome> {
    match prepared {
        Prepared::Unchanged => Ok(FileOutcome::Unchanged),
        Prepared::Facts { key, hash, facts } => {
            write_facts_file(tx, key, hash, facts)?;
            let mut documents: Vec<String> = facts.iter().map(|f| f.document.clone()).collect();
            documents.dedup();
            Ok(FileOutcome::Facts { documents })
        }
        Prepared::Document {
            key,
            hash,
            row,
            facts,
            errors,
            warnings,
        } => Ok(match write_document(tx, key, hash, row, facts)? {
            Some(other) => FileOutcome::ReplacedDuplicate {
                id: row.id.clone(),
                other,
                warnings: warnings.clone(),
            },
            None => FileOutcome::Ingested {
                id: row.id.clone(),
                errors: *errors,
                warnings: warnings.clone(),
            },
        }),
    }
}

/// The store's next revision, inside a transaction.
fn next_revision(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<i64> {
    tx.prepare_cached("SELECT CAST(value AS INTEGER) + 1 FROM meta WHERE key = 'ingest_revision'")?
        .query_row([], |r| r.get(0))
}

/// Records file `key` with content `hash` at `revision`, and the store at `revision`.
fn write_file_row(
    tx: &rusqlite::Transaction<'_>,
    key: &str,
    hash: &str,
    revision: i64,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO files (path, hash, revision) VALUES (?1, ?2, ?3)
         ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, revision = excluded.revision",
    )?
    .execute(params![key, hash, revision])?;
    tx.prepare_cached("UPDATE meta SET value = ?1 WHERE key = 'ingest_revision'")?
        .execute([revision.to_string()])?;
    Ok(())
}

/// The writes of [`Store::put_facts`], inside a transaction.
fn write_facts_file(
    tx: &rusqlite::Transaction<'_>,
    key: &str,
    hash: &str,
    facts: &[ValidityFacts],
) -> rusqlite::Result<()> {
    let revision = next_revision(tx)?;
    tx.prepare_cached("DELETE FROM documents WHERE source = ?1")?
        .execute([key])?;
    write_facts(tx, key, facts, revision)?;
    write_file_row(tx, key, hash, revision)
}

/// The writes of [`Store::put_document_with_facts`], inside a transaction; the other file
/// whose document of the same number and issuer this one replaced, if any.
fn write_document(
    tx: &rusqlite::Transaction<'_>,
    key: &str,
    hash: &str,
    row: &DocRow,
    facts: &[ValidityFacts],
) -> rusqlite::Result<Option<String>> {
    let revision = next_revision(tx)?;
    // The file's previous document goes (its number may have changed).
    tx.prepare_cached("DELETE FROM documents WHERE source = ?1")?
        .execute([key])?;
    let other: Option<String> = tx
        .prepare_cached("SELECT source FROM documents WHERE number_key = ?1 AND issuer_slug = ?2")?
        .query_row(params![row.number_key, row.slug], |r| r.get(0))
        .optional()?;
    tx.prepare_cached(
        "INSERT INTO documents (number, number_key, issuer_slug, issuer, issuer_level, issued, source, hash, json, revision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (number_key, issuer_slug) DO UPDATE SET
             number = excluded.number, issuer = excluded.issuer,
             issuer_level = excluded.issuer_level, issued = excluded.issued,
             source = excluded.source, hash = excluded.hash, json = excluded.json,
             revision = excluded.revision",
    )?
    .execute(params![
        row.number,
        row.number_key,
        row.slug,
        row.issuer,
        row.level,
        row.issued,
        key,
        hash,
        row.json,
        revision
    ])?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO skeletons (key, json)
         SELECT key, ?3 FROM documents WHERE number_key = ?1 AND issuer_slug = ?2",
    )?
    .execute(params![row.number_key, row.slug, row.skeleton])?;
    write_facts(tx, key, facts, revision)?;
    write_file_row(tx, key, hash, revision)?;
    fail::fail_point!(
        "store::put_document",
        |_| Err(crate::failpoint::sqlite_io())
    );
    Ok(other.filter(|o| o != key))
}

impl Store {
    /// Parses and stores one file in one transaction. The same content as last time is a
    /// no-op; changed content replaces the file's document.
    pub fn ingest_file(&mut self, path: &Path) -> Result<FileOutcome, IngestError> {
        self.ingest_file_with(path, &ImportOptions::default())
    }

    /// [`Store::ingest_file`] with import options (a forced encoding, other limits).
    pub fn ingest_file_with(
        &mut self,
        path: &Path,
        opts: &ImportOptions,
    ) -> Result<FileOutcome, IngestError> {
        let key = path.to_string_lossy().to_string();
        let known: Option<String> = self
            .conn
            .query_row("SELECT hash FROM files WHERE path = ?1", [&key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))?;
        let prepared = prepare(path, known.as_deref(), opts)?;
        Ok(self.write_one(&prepared)?)
    }

    /// Writes one prepared file in its own transaction.
    fn write_one(&mut self, prepared: &Prepared) -> Result<FileOutcome, StoreError> {
        if let Prepared::Unchanged = prepared {
            return Ok(FileOutcome::Unchanged);
        }
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let outcome = write_prepared(&tx, prepared).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(outcome)
    }

    /// The hash stored for every file, by path.
    fn known_hashes(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, hash FROM files")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Writes a batch of prepared files in one transaction, in order; if any write or the
    /// commit fails, the batch is rolled back and written again one transaction per file,
    /// so each file's outcome is what [`Store::ingest_file_with`] would have given.
    fn write_batch(
        &mut self,
        batch: Vec<Result<Prepared, IngestError>>,
    ) -> Vec<Result<FileOutcome, IngestError>> {
        let together = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut outcomes = Vec::with_capacity(batch.len());
            for p in &batch {
                outcomes.push(match p {
                    Ok(p) => Some(write_prepared(&tx, p)?),
                    Err(_) => None,
                });
            }
            fail::fail_point!(
                "store::commit_batch",
                |_| Err(crate::failpoint::sqlite_io())
            );
            tx.commit()?;
            Ok::<_, rusqlite::Error>(outcomes)
        })();
        match together {
            Ok(outcomes) => batch
                .into_iter()
                .zip(outcomes)
                .map(|(p, o)| match (p, o) {
                    (Err(e), _) => Err(e),
                    (Ok(_), Some(o)) => Ok(o),
                    (Ok(_), None) => unreachable!("every prepared file has an outcome"),
                })
                .collect(),
            Err(_) => batch
                .into_iter()
                .map(|p| Ok(self.write_one(&p?)?))
                .collect(),
        }
    }

    /// Ingests `files` in order, with the outcome of each the one [`Store::ingest_file_with`]
    /// called on each in turn would give (the same documents, duplicates and revisions), and
    /// `report` called with it in the same order. Files are read and parsed in parallel,
    /// a batch at a time, while the previous batch is written; a batch is written in one
    /// transaction, and `report` hears of its files only once that committed.
    pub fn ingest_files_with(
        &mut self,
        files: &[PathBuf],
        opts: &ImportOptions,
        mut report: impl FnMut(&Path, Result<FileOutcome, IngestError>),
    ) -> Result<(), StoreError> {
        use rayon::prelude::*;
        let known = self.known_hashes()?;
        let (send, receive) = std::sync::mpsc::sync_channel(1);
        std::thread::scope(|s| {
            let known = &known;
            s.spawn(move || {
                for chunk in files.chunks(BATCH_FILES) {
                    let prepared: Vec<Result<Prepared, IngestError>> = chunk
                        .par_iter()
                        .map(|f| {
                            let key = f.to_string_lossy();
                            prepare(f, known.get(key.as_ref()).map(String::as_str), opts)
                        })
                        .collect();
                    if send.send((chunk, prepared)).is_err() {
                        break;
                    }
                }
            });
            for (chunk, prepared) in receive {
                for (f, outcome) in chunk.iter().zip(self.write_batch(prepared)) {
                    report(f, outcome);
                }
            }
        });
        Ok(())
    }

    /// Writes one parsed document read from file `key` with content hash `hash`, in one
    /// transaction; returns the other file whose document of the same number and issuer it
    /// replaced, if any.
    pub fn put_document(
        &mut self,
        key: &str,
        hash: &str,
        doc: &Document,
    ) -> Result<Option<String>, StoreError> {
        self.put_document_with_facts(key, hash, doc, &[])
    }

    /// Stores the validity facts a page states, replacing those read before from the same
    /// file (and any document it held), in one transaction.
    pub fn put_facts(
        &mut self,
        key: &str,
        hash: &str,
        facts: &[ValidityFacts],
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| write_facts_file(tx, key, hash, facts))
    }

    /// [`Store::put_document`] with the validity facts the same file states.
    pub fn put_document_with_facts(
        &mut self,
        key: &str,
        hash: &str,
        doc: &Document,
        facts: &[ValidityFacts],
    ) -> Result<Option<String>, StoreError> {
        let row = DocRow::of(doc);
        self.in_transaction(|tx| write_document(tx, key, hash, &row, facts))
    }
}

/// Replaces the facts read from file `key` by `facts`, keyed by (document, source).
fn write_facts(
    tx: &rusqlite::Transaction<'_>,
    key: &str,
    facts: &[ValidityFacts],
    revision: i64,
) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM validity_facts WHERE file = ?1")?
        .execute([key])?;
    for f in facts {
        let document = resolve::normalize_number(&f.document);
        let json = serde_json::to_string(f).expect("facts serialise");
        tx.execute(
            "INSERT INTO validity_facts (document, source, file, json, revision)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (document, source) DO UPDATE SET
                 file = excluded.file, json = excluded.json, revision = excluded.revision",
            params![document, f.source, key, json, revision],
        )?;
    }
    Ok(())
}
