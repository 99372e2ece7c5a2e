//! The store: parsed documents and their relations in SQLite at `DATA/store.db`.
//!
//! Why SQLite: one file, transactions, and a journal that survives `kill -9`. The database
//! runs in WAL mode with `synchronous=FULL`, and each file's ingest is part of one committed
//! transaction (a file's own, or a batch's in [`Store::ingest_files_with`], reported done only
//! once committed), so a crash leaves the previous complete state and the next ingest carries
//! on. The schema is
//! versioned by `PRAGMA user_version`; later stages (review runs, reviewer decisions, the
//! audit log) add their tables as further entries of [`schema::MIGRATIONS`].
//!
//! Identity (see README, "Document identity in the store"): a document is its normalised
//! *số ký hiệu*. Two documents of different issuers that share a number are both kept, and
//! their ids are then qualified `NUMBER@issuer-slug` (`05/2020/QĐ-UBND@huyen-tan-phong`).
//! The qualification is derived when reading, so it appears or disappears with the second
//! document and nothing else has to be rewritten.
//!
//! The relations table (resolved citations) is derived data: it is rebuilt after every ingest
//! that changed something, or when the registry changed, and records which revision it
//! reflects so a crash between a document and its relations is repaired by the next ingest.

mod check_cache;
mod error;
mod ingest;
mod partition;
mod relations_local;
mod schema;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

pub use error::{IngestError, StoreError};
pub use ingest::{collect_files, FileOutcome};

use crate::model::{Document, Relation};
use crate::resolve::{self, Via};
use crate::timeline::Registry;

/// The SQLite file's name inside the data directory.
pub const DB_FILE: &str = "store.db";

/// The indexes on the citation rows' keys that come in no order, by name and as created
/// (the same as the schema's): dropped while the rows of a bulk write go in, then built
/// again.
const CITATION_INDEXES: [(&str, &str); 2] = [
    (
        "citations_target",
        "CREATE INDEX citations_target ON citations (target)",
    ),
    (
        "citations_lookup",
        "CREATE INDEX citations_lookup ON citations (lookup)",
    ),
];

/// How many documents' citation rows, and at least half of the store's, make a bulk write.
const BULK_RELATIONS: usize = 500;

/// The store of one data directory.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// One stored citation that no document of the store or registry matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnresolvedCitation {
    pub document: String,
    pub raw: String,
    pub relation: Relation,
    pub target: Option<String>,
    pub why: String,
}

/// Every stored document as read at one revision of the store, sorted by id, with its row key.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub revision: i64,
    pub keys: Vec<i64>,
    pub docs: Vec<Document>,
    /// The documents' citations as the relations resolved them, with the registry they were
    /// resolved against: the status engine built next over the same documents and registry
    /// takes them instead of resolving again.
    pub resolved: Option<Resolutions>,
}

/// Every document's citations resolved against `registry` ([`resolve::resolve_all`]), one
/// list per document of a [`Loaded`], in its order.
#[derive(Debug, Clone)]
pub struct Resolutions {
    pub registry: Registry,
    pub lists: Vec<Vec<resolve::ResolvedCitation>>,
}

/// Which text of a `documents` row [`Store::rows_with`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowText {
    /// The document's JSON.
    Whole,
    /// Its skeleton (without the provisions' text), or its JSON where it has none.
    Skeleton,
    /// None: the row's key and number only.
    Nothing,
}

/// One row per stored document, for listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: String,
    pub source: String,
}

/// Opens a SQLite database the way every rasoat database is opened: WAL with
/// `synchronous=FULL` (a committed transaction survives power loss), foreign keys on, and a
/// 30 s wait for a lock held by another process.
pub fn open_durable(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// What identifies a stored row's JSON: its row key, the store revision that wrote it (a row
/// is only ever rewritten with a new revision) and the hash of the file it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowVersion {
    pub key: i64,
    pub revision: i64,
    pub file_hash: String,
}

/// One row of the `citations` table, as [`Store::refresh_relations`] writes it.
#[derive(Debug, PartialEq, Eq)]
struct CitationRow {
    raw: String,
    relation: String,
    target: Option<String>,
    provision: Option<String>,
    found: bool,
    via: String,
    /// What the resolver looked it up by ([`resolve::lookup_key`]).
    lookup: Option<String>,
}

/// One document's citation rows as the relations write them, with their digest and the
/// names the document is cited by.
struct ChangedRows {
    key: i64,
    digest: String,
    rows: Vec<(usize, CitationRow)>,
    names: Vec<String>,
}

impl ChangedRows {
    fn of(key: i64, d: &Document, rcs: &[resolve::ResolvedCitation]) -> ChangedRows {
        let rows: Vec<(usize, CitationRow)> = rcs
            .iter()
            .map(|rc| (rc.index, CitationRow::of(d, rc)))
            .collect();
        let names = resolve::candidate_names(d);
        ChangedRows {
            key,
            digest: CitationRow::digest(&rows, &names),
            rows,
            names,
        }
    }
}

impl CitationRow {
    /// A digest of one document's rows, by their index, and of the names it is cited by:
    /// equal digests, nothing to write.
    fn digest(rows: &[(usize, CitationRow)], names: &[String]) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut put = |s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        // Rows of the layout before lookups differ from every row of this one.
        put("rows with lookups");
        for (idx, r) in rows {
            put(&idx.to_string());
            put(&r.raw);
            put(&r.relation);
            put(r.target.as_deref().unwrap_or("\u{0}"));
            put(r.provision.as_deref().unwrap_or("\u{0}"));
            put(if r.found { "1" } else { "0" });
            put(&r.via);
            put(r.lookup.as_deref().unwrap_or("\u{0}"));
        }
        put("names");
        for n in names {
            put(n);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    fn of(d: &Document, rc: &resolve::ResolvedCitation) -> CitationRow {
        let name = |v: serde_json::Result<serde_json::Value>| {
            v.ok()
                .and_then(|x| x.as_str().map(String::from))
                .unwrap_or_default()
        };
        CitationRow {
            raw: rc.raw.clone(),
            relation: name(serde_json::to_value(rc.relation)),
            target: rc
                .target
                .clone()
                .or_else(|| d.citations[rc.index].target.clone()),
            provision: rc.provision.clone(),
            found: rc.is_resolved() && (rc.provision.is_none() || rc.provision_found),
            via: match &rc.via {
                Via::Unresolved(why) => format!("unresolved: {why}"),
                v => name(serde_json::to_value(v)),
            },
            lookup: d.citations.get(rc.index).and_then(resolve::lookup_key),
        }
    }
}

/// One row's JSON read back as its document (the id still unqualified).
fn parse_row(path: &Path, key: i64, number: &str, json: &str) -> Result<Document, StoreError> {
    let mut d = serde_json::from_str::<Document>(json).map_err(|source| StoreError::Corrupt {
        path: path.to_path_buf(),
        key: format!("{number} (row {key})"),
        source,
    })?;
    d.shrink_to_fit();
    Ok(d)
}

impl Store {
    /// Opens the store of `dir`, creating the directory and the database if needed, and
    /// brings the schema up to date.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        Self::open_file(&dir.join(DB_FILE))
    }

    /// Opens an existing store; a missing one is a user error naming the directory.
    pub fn open_existing(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join(DB_FILE);
        if !path.exists() {
            return Err(StoreError::Missing { path });
        }
        Self::open_file(&path)
    }

    fn open_file(path: &Path) -> Result<Store, StoreError> {
        let sql = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let conn = open_durable(path).map_err(sql)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        schema::migrate(&mut store.conn, path)?;
        Ok(store)
    }

    /// Another connection to the same database, for work on another thread.
    pub fn reopen(&self) -> Result<Store, StoreError> {
        Self::open_file(&self.path)
    }

    /// Runs `write` in one transaction, committed if it succeeds; an error names the
    /// database.
    pub(crate) fn in_transaction<T>(
        &mut self,
        write: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite { path, source };
        let run = |conn: &mut Connection| -> rusqlite::Result<T> {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let out = write(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run(&mut self.conn).map_err(sql)
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite connection, for later stages' modules that add their own tables.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// How many ingests changed the store so far.
    pub fn revision(&self) -> Result<i64, StoreError> {
        self.meta_int("ingest_revision")
    }

    fn meta_int(&self, key: &str) -> Result<i64, StoreError> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(v.and_then(|s| s.parse().ok()).unwrap_or(0))
    }

    /// The stored rows' keys and qualified ids, sorted by id, without reading their JSON.
    fn ids(&self) -> Result<Vec<(i64, String)>, StoreError> {
        Ok(self
            .rows_with(RowText::Nothing, |_, _, _| Ok(()))?
            .into_iter()
            .map(|(k, id, ())| (k, id))
            .collect())
    }

    /// The stored rows as (row key, qualified id, `read(key, number, json)`), sorted by id.
    /// The rows are read a batch at a time and each batch's JSON checked as UTF-8 and given
    /// to `read` on another core while this thread reads the next batches from SQLite, so
    /// that the JSON of every row is never held at once (at most [`IN_FLIGHT`] batches are)
    /// and reading the database overlaps the parsing. Without `json`, `read` is given an
    /// empty text.
    fn rows_with<T: Send>(
        &self,
        json: RowText,
        read: impl Fn(i64, &str, &str) -> Result<T, StoreError> + Sync,
    ) -> Result<Vec<(i64, String, T)>, StoreError> {
        /// Rows per batch: a few MB of JSON.
        const BATCH: usize = 512;
        /// Batches read ahead of the parsing: enough to keep every core busy, few enough
        /// that the raw JSON held stays a few tens of megabytes.
        const IN_FLIGHT: usize = 4;
        let sql = match json {
            RowText::Whole => "SELECT key, number, number_key, issuer_slug, json FROM documents",
            // COALESCE reads the document's own column only for a row without a skeleton.
            RowText::Skeleton => {
                "SELECT d.key, d.number, d.number_key, d.issuer_slug, COALESCE(s.json, d.json)
                 FROM documents d LEFT JOIN skeletons s ON s.key = d.key"
            }
            RowText::Nothing => "SELECT key, number, number_key, issuer_slug, '' FROM documents",
        };
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        type Raw = (i64, String, String, String, Vec<u8>);
        type Parsed<T> = Vec<Result<(i64, String, String, String, T), StoreError>>;
        let path = self.path.as_path();
        let read = &read;
        let parse = move |batch: Vec<Raw>| -> Parsed<T> {
            batch
                .into_iter()
                .map(|(key, number, nk, slug, bytes)| {
                    let text =
                        simdutf8::compat::from_utf8(&bytes).map_err(|e| StoreError::NotUtf8 {
                            path: path.to_path_buf(),
                            key: format!("{number} (row {key})"),
                            at: e.valid_up_to(),
                        })?;
                    let value = read(key, &number, text)?;
                    Ok((key, number, nk, slug, value))
                })
                .collect()
        };
        // Parsed batches by their number, put back in reading order at the end.
        let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, Parsed<T>)>();
        let mut parsed: BTreeMap<usize, Parsed<T>> = BTreeMap::new();
        let mut read_error = None;
        rayon::in_place_scope(|scope| {
            let mut sent = 0usize;
            let mut send = |batch: Vec<Raw>, parsed: &mut BTreeMap<usize, Parsed<T>>| {
                while sent - parsed.len() >= IN_FLIGHT {
                    match done_rx.recv() {
                        Ok((n, p)) => {
                            parsed.insert(n, p);
                        }
                        Err(_) => break,
                    }
                }
                let tx = done_tx.clone();
                let n = sent;
                scope.spawn(move |_| {
                    // The receiver outlives the scope.
                    let _ = tx.send((n, parse(batch)));
                });
                sent += 1;
            };
            let mut batch: Vec<Raw> = Vec::with_capacity(BATCH);
            loop {
                let r = match rows.next() {
                    Ok(Some(r)) => r,
                    Ok(None) => break,
                    Err(e) => {
                        read_error = Some(self.err(e));
                        break;
                    }
                };
                let row = (|| -> Result<Raw, StoreError> {
                    let get =
                        |i| -> Result<String, StoreError> { r.get(i).map_err(|e| self.err(e)) };
                    let key: i64 = r.get(0).map_err(|e| self.err(e))?;
                    // The JSON as bytes: checked as UTF-8 with the parsing, not here.
                    let bytes = r
                        .get_ref(4)
                        .and_then(|v| {
                            v.as_bytes().map_err(|e| {
                                rusqlite::Error::FromSqlConversionFailure(
                                    4,
                                    v.data_type(),
                                    Box::new(e),
                                )
                            })
                        })
                        .map_err(|e| self.err(e))?
                        .to_vec();
                    Ok((key, get(1)?, get(2)?, get(3)?, bytes))
                })();
                match row {
                    Ok(row) => batch.push(row),
                    Err(e) => {
                        read_error = Some(e);
                        break;
                    }
                }
                if batch.len() == BATCH {
                    send(
                        std::mem::replace(&mut batch, Vec::with_capacity(BATCH)),
                        &mut parsed,
                    );
                }
            }
            if !batch.is_empty() {
                send(batch, &mut parsed);
            }
        });
        drop(done_tx);
        parsed.extend(done_rx);
        if let Some(e) = read_error {
            return Err(e);
        }
        let mut read_rows = Vec::new();
        for d in parsed.into_values().flatten() {
            read_rows.push(d?);
        }
        let mut per_number: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, _, nk, _, _) in &read_rows {
            *per_number.entry(nk.as_str()).or_default() += 1;
        }
        let qualified: Vec<bool> = read_rows
            .iter()
            .map(|(_, _, nk, _, _)| per_number[nk.as_str()] > 1)
            .collect();
        let mut out: Vec<(i64, String, T)> = read_rows
            .into_iter()
            .zip(qualified)
            .map(|((key, number, _, slug, value), q)| {
                let id = if q {
                    format!("{number}@{slug}")
                } else {
                    number
                };
                (key, id, value)
            })
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }

    /// Every stored document, ids qualified where two issuers share a number, sorted by id.
    pub fn documents(&self) -> Result<Vec<Document>, StoreError> {
        self.documents_shedding(|_| {})
    }

    /// [`Store::documents`], each passed through `shed` as soon as it is read: for a caller
    /// that drops parts it never reads, so that the whole corpus is never held with them.
    pub fn documents_shedding(
        &self,
        shed: impl Fn(&mut Document) + Sync,
    ) -> Result<Vec<Document>, StoreError> {
        Ok(self
            .keyed_documents_with(RowText::Whole, &shed)?
            .into_iter()
            .map(|(_, d)| d)
            .collect())
    }

    /// The stored documents with their row keys, sorted by id, each given to `trim` as soon
    /// as it is read.
    fn keyed_documents_with(
        &self,
        text: RowText,
        trim: &(dyn Fn(&mut Document) + Sync),
    ) -> Result<Vec<(i64, Document)>, StoreError> {
        let path = self.path.as_path();
        Ok(self
            .rows_with(text, |key, number, json| {
                let mut d = parse_row(path, key, number, json)?;
                trim(&mut d);
                d.shrink_to_fit();
                Ok(d)
            })?
            .into_iter()
            .map(|(key, id, mut d)| {
                d.id = id;
                (key, d)
            })
            .collect())
    }

    /// Every stored document with the store's revision (one read transaction).
    pub fn load(&self) -> Result<Loaded, StoreError> {
        self.load_with(&|_| {})
    }

    /// [`Store::load`], each document given to `trim` as soon as it is read, so that only
    /// what is left of it is held: with [`crate::timeline::without_text`], what the
    /// relations and the status engine read, without the provisions' text.
    /// Inside a transaction the caller opened on [`Store::connection`], it reads in that one.
    pub fn load_with(&self, trim: &(dyn Fn(&mut Document) + Sync)) -> Result<Loaded, StoreError> {
        self.load_rows(RowText::Whole, trim)
    }

    /// [`Store::load_with`] [`crate::timeline::without_text`], read from each document's
    /// skeleton (its JSON without the provisions' text, kept beside it): what the relations,
    /// the status engine and a check's groups read, at less than half the parsing.
    pub fn load_without_text(&self) -> Result<Loaded, StoreError> {
        self.load_rows(RowText::Skeleton, &crate::timeline::without_text)
    }

    fn load_rows(
        &self,
        text: RowText,
        trim: &(dyn Fn(&mut Document) + Sync),
    ) -> Result<Loaded, StoreError> {
        let tx = if self.conn.is_autocommit() {
            Some(self.conn.unchecked_transaction().map_err(|e| self.err(e))?)
        } else {
            None
        };
        let revision = self.revision()?;
        let (keys, docs) = self.keyed_documents_with(text, trim)?.into_iter().unzip();
        if let Some(tx) = tx {
            tx.finish().map_err(|e| self.err(e))?;
        }
        Ok(Loaded {
            revision,
            keys,
            docs,
            resolved: None,
        })
    }

    /// The stored documents of the given row keys, in that order, each as [`Store::load`]
    /// gives it (id qualified where two issuers share a number). A key no row has is an
    /// error. For reading a corpus a chunk at a time (inside one read transaction for a
    /// consistent view: see [`Store::connection`]).
    pub fn documents_by_keys(&self, keys: &[i64]) -> Result<Vec<Document>, StoreError> {
        use rayon::prelude::*;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.number, d.issuer_slug, d.json,
                        (SELECT COUNT(*) FROM documents x WHERE x.number_key = d.number_key)
                 FROM documents d WHERE d.key = ?1",
            )
            .map_err(|e| self.err(e))?;
        let mut rows: Vec<(i64, String, String, String, i64)> = Vec::with_capacity(keys.len());
        for &key in keys {
            let row = stmt
                .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .map_err(|e| self.err(e))?;
            rows.push((key, row.0, row.1, row.2, row.3));
        }
        let path = self.path.as_path();
        rows.into_par_iter()
            .map(|(key, number, slug, json, same_number)| {
                let mut d = parse_row(path, key, &number, &json)?;
                d.id = if same_number > 1 {
                    format!("{number}@{slug}")
                } else {
                    number
                };
                Ok(d)
            })
            .collect()
    }

    /// Each row's version, by row key, without
    /// reading the JSON.
    pub fn row_versions(&self) -> Result<std::collections::HashMap<i64, RowVersion>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, revision, hash FROM documents")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(RowVersion {
                    key: r.get(0)?,
                    revision: r.get(1)?,
                    file_hash: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.map(|r| r.map(|v| (v.key, v)))
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))
    }

    /// How many documents the store holds.
    pub fn document_count(&self) -> Result<usize, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// How many citations the last relations build could not resolve: the length of
    /// [`Store::unresolved`], without reading the documents.
    pub fn unresolved_count(&self) -> Result<usize, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM citations WHERE via LIKE 'unresolved:%'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// Stored documents' ids and source files, sorted by id.
    pub fn list(&self) -> Result<Vec<DocumentRow>, StoreError> {
        Ok(self
            .documents()?
            .into_iter()
            .map(|d| DocumentRow {
                id: d.id,
                source: d.source.unwrap_or_default(),
            })
            .collect())
    }

    /// Rebuilds the relations table when the documents or the registry changed since it was
    /// last built (or `force`). Returns whether it rebuilt.
    pub fn refresh_relations(
        &mut self,
        registry: &Registry,
        registry_text: &str,
        force: bool,
    ) -> Result<bool, StoreError> {
        self.refresh_relations_keeping(registry, registry_text, force, &mut None)
    }

    /// [`Store::refresh_relations`], which leaves the documents it read in `loaded` for the
    /// caller's next step (the index's status engine), or takes them from there if they were
    /// read at the store's revision: the documents are then read from the database once.
    /// Documents it reads are trimmed by [`crate::timeline::without_text`] (the resolver
    /// reads no provision text), and so are those it leaves in `loaded`.
    pub fn refresh_relations_keeping(
        &mut self,
        registry: &Registry,
        registry_text: &str,
        force: bool,
        loaded: &mut Option<Loaded>,
    ) -> Result<bool, StoreError> {
        let revision = self.revision()?;
        let reg_hash = ingest::hash_hex(registry_text.as_bytes());
        let built: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'relations_built'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let stamp = format!("{revision}:{reg_hash}");
        if !force && built.as_deref() == Some(stamp.as_str()) {
            return Ok(false);
        }
        // Documents only added since: their citations and those they may change, alone.
        if !force
            && loaded.is_none()
            && self
                .refresh_relations_local(registry, &reg_hash, revision, &stamp)?
                .is_some()
        {
            return Ok(true);
        }
        if loaded.as_ref().is_none_or(|l| l.revision != revision) {
            let t0 = std::time::Instant::now();
            *loaded = Some(self.load_without_text()?);
            tracing::info!(
                seconds = t0.elapsed().as_secs_f64(),
                "relations: documents read without text"
            );
        }
        let Loaded { keys, docs, .. } = loaded.as_ref().expect("loaded above");
        let t0 = std::time::Instant::now();
        let resolved = resolve::resolve_all(docs, registry);
        tracing::info!(
            seconds = t0.elapsed().as_secs_f64(),
            "relations: citations resolved"
        );
        let t0 = std::time::Instant::now();
        // Only the documents whose rows changed are written: adding one document to a large
        // store rewrites its citations and those of the few whose resolution it changed, not
        // all of them. Each document's rows are compared by their digest, kept beside them.
        let mut stored: HashMap<i64, String> = HashMap::new();
        // Forced, every document's rows are written again.
        if !force {
            let mut stmt = self
                .conn
                .prepare("SELECT document_key, digest FROM citation_digests")
                .map_err(|e| self.err(e))?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .map_err(|e| self.err(e))?;
            for row in rows {
                let (k, v) = row.map_err(|e| self.err(e))?;
                stored.insert(k, v);
            }
        }
        let changed: Vec<ChangedRows> = {
            use rayon::prelude::*;
            docs.par_iter()
                .zip(&resolved)
                .zip(keys)
                .filter_map(|((d, rcs), &key)| {
                    let rows = ChangedRows::of(key, d, rcs);
                    (stored.get(&key) != Some(&rows.digest)).then_some(rows)
                })
                .collect()
        };
        drop(stored);
        self.write_relations(&changed, revision, &stamp, docs.len())?;
        tracing::info!(seconds = t0.elapsed().as_secs_f64(), "relations: written");
        if let Some(l) = loaded.as_mut() {
            l.resolved = Some(Resolutions {
                registry: registry.clone(),
                lists: resolved,
            });
        }
        Ok(true)
    }

    /// Writes the citation rows, digests and names of the documents whose rows changed, in one
    /// transaction, and records that the relations reflect the store at `stamp` with
    /// `documents` documents.
    fn write_relations(
        &mut self,
        changed: &[ChangedRows],
        revision: i64,
        stamp: &str,
        documents: usize,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| StoreError::Sqlite {
                path: self.path.clone(),
                source: e,
            })?;
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let mut written = 0usize;
        // Rows written for most of the store go in faster without the indexes on what they
        // cite and were looked up by (their keys come in no order), which are then built
        // again once, by sorting.
        let bulk = changed.len() >= BULK_RELATIONS && changed.len() * 2 >= documents;
        if bulk {
            for (name, _) in CITATION_INDEXES {
                tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))
                    .map_err(sql)?;
            }
        }
        {
            let mut del = tx
                .prepare_cached("DELETE FROM citations WHERE document_key = ?1")
                .map_err(sql)?;
            let mut put = tx
                .prepare(
                    "INSERT INTO citations (document_key, idx, raw, relation, target, provision, provision_found, via, lookup)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(sql)?;
            let mut put_digest = tx
                .prepare(
                    "INSERT OR REPLACE INTO citation_digests (document_key, digest, written)
                     VALUES (?1, ?2, ?3)",
                )
                .map_err(sql)?;
            let mut del_names = tx
                .prepare_cached("DELETE FROM document_names WHERE key = ?1")
                .map_err(sql)?;
            let mut put_name = tx
                .prepare_cached("INSERT OR IGNORE INTO document_names (name, key) VALUES (?1, ?2)")
                .map_err(sql)?;
            let mut names: Vec<(&str, i64)> = Vec::new();
            for c in changed {
                del.execute([c.key]).map_err(sql)?;
                for (idx, row) in &c.rows {
                    put.execute(params![
                        c.key,
                        *idx as i64,
                        row.raw,
                        row.relation,
                        row.target,
                        row.provision,
                        row.found,
                        row.via,
                        row.lookup
                    ])
                    .map_err(sql)?;
                    written += 1;
                }
                put_digest
                    .execute(params![c.key, c.digest, revision])
                    .map_err(sql)?;
                del_names.execute([c.key]).map_err(sql)?;
                names.extend(c.names.iter().map(|n| (n.as_str(), c.key)));
            }
            // In the table's order: a bulk write appends instead of inserting all over it.
            names.sort_unstable();
            for (n, key) in names {
                put_name.execute(params![n, key]).map_err(sql)?;
            }
        }
        if bulk {
            for (_, create) in CITATION_INDEXES {
                tx.execute_batch(create).map_err(sql)?;
            }
        }
        tracing::info!(
            documents = changed.len(),
            rows = written,
            kept = documents - changed.len().min(documents),
            bulk,
            "relations: citation rows written"
        );
        for (key, value) in [
            ("relations_built", stamp.to_string()),
            ("relations_documents", documents.to_string()),
        ] {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map_err(sql)?;
        }
        fail::fail_point!("store::relations", |_| Err(sql(
            crate::failpoint::sqlite_io()
        )));
        tx.commit().map_err(sql)?;
        Ok(())
    }

    /// Citations the last relations build could not resolve, by citing document then order.
    pub fn unresolved(&self) -> Result<Vec<UnresolvedCitation>, StoreError> {
        let id_of: BTreeMap<i64, String> = self.ids()?.into_iter().collect();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT document_key, raw, relation, target, via FROM citations
                 WHERE via LIKE 'unresolved:%' ORDER BY document_key, idx",
            )
            .map_err(|e| self.err(e))?;
        let rows: Vec<(i64, String, String, Option<String>, String)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let mut out: Vec<UnresolvedCitation> = rows
            .into_iter()
            .map(|(k, raw, relation, target, via)| UnresolvedCitation {
                document: id_of.get(&k).cloned().unwrap_or_default(),
                raw,
                relation: serde_json::from_value(serde_json::Value::String(relation))
                    .unwrap_or(Relation::Mentions),
                target,
                why: via.trim_start_matches("unresolved: ").to_string(),
            })
            .collect();
        out.sort_by(|a, b| (&a.document, &a.raw).cmp(&(&b.document, &b.raw)));
        Ok(out)
    }

    /// A digest of the store's content (documents and relations, by id, not by row number),
    /// equal for equal content: used to check that ingesting twice, or again after a crash,
    /// gives the same store.
    pub fn content_digest(&self) -> Result<String, StoreError> {
        let mut h = String::new();
        for d in self.documents()? {
            h.push_str(&serde_json::to_string(&d).unwrap_or_default());
            h.push('\n');
        }
        let id_of: BTreeMap<i64, String> = self.ids()?.into_iter().collect();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT document_key, idx, raw, relation, target, provision, provision_found, via
                 FROM citations",
            )
            .map_err(|e| self.err(e))?;
        let mut rows: Vec<(String, i64, String)> = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    format!(
                        "{}|{}|{:?}|{:?}|{}|{}",
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, bool>(6)?,
                        r.get::<_, String>(7)?
                    ),
                ))
            })
            .map_err(|e| self.err(e))?
            .map(|r| r.map(|(k, i, s)| (id_of.get(&k).cloned().unwrap_or_default(), i, s)))
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        rows.sort();
        for (id, i, r) in rows {
            h.push_str(&format!("{id}|{i}|{r}\n"));
        }
        Ok(ingest::hash_hex(h.as_bytes()))
    }

    /// The validity facts imported pages stated, by document then source.
    pub fn validity_facts(&self) -> Result<Vec<crate::import::ValidityFacts>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT document, source, json FROM validity_facts ORDER BY document, source")
            .map_err(|e| self.err(e))?;
        let rows: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(document, source, json)| {
                let mut f: crate::import::ValidityFacts =
                    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                        path: self.path.clone(),
                        key: format!("validity facts of {document} ({source})"),
                        source: e,
                    })?;
                f.document = document;
                Ok(f)
            })
            .collect()
    }

    /// Runs SQLite's own consistency check; `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests;
