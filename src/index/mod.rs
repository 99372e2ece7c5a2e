//! Full-text search over provisions: a tantivy index in `DATA/index`, derived from the store.
//!
//! # What it holds
//! One entry per provision (article, clause, point, outline item, annex, chapter) and one per
//! document, with the document id, provision path, type, issuer, year, the status segments
//! the timeline gives it (so a query can ask "in force on D"), the ids it cites, and its text
//! (see [`entries`]). A provision's entry has its heading and its own text; the document's
//! entry has the title, the *Căn cứ* lines and the whole body.
//!
//! # The Vietnamese analyzer
//! Three fields are made from the text ([`analyzer`]): exact syllables (NFC, one tone
//! placement, lower case), folded syllables (no diacritics, `đ` → `d`), and pairs of
//! neighbouring folded syllables. Every word must match on the folded field, so
//! `quyet dinh` finds `Quyết định`; a word typed with diacritics also scores on the exact
//! field, so exact matches rank first. Phrases are matched on the bigram field: a
//! two-syllable phrase is one term, which keeps phrases of common syllables fast; their
//! syllables typed with diacritics score on the exact field as words do. (Exact pairs as a
//! fourth field, for exact phrases, made the ingest of 10,000 generated documents a fifth
//! slower, 8.4 s against 6.8 s, for a ranking the exact syllables give as well on the
//! benchmark's queries.)
//!
//! # Ranking and counting
//! The top k is ranked by BM25 summed over the query's clauses; blocks and entries whose
//! score bound cannot enter it are skipped ([`topk`]), so a phrase found in most entries does
//! not have every match checked and scored. `total` is then counted apart, on the clauses
//! every match must satisfy, without scores, and by default only up to
//! [`TOTAL_COUNTED_UP_TO`] ([`count`]); a query with few matches counts them exactly as it
//! ranks them, in one pass.
//!
//! # Invariants
//! * The index is derived data. Its commit payload records the store revision and rules it
//!   reflects ([`Stamp`]); [`sync`] brings it up to the store by re-indexing the documents
//!   whose entries changed and removing those no longer stored. A crash before a commit
//!   leaves the previous commit, which the next sync reconciles.
//! * A missing, damaged or outdated index is rebuilt from the store, never fatal.
//! * Tokenizers are registered after every open ([`analyzer::register`]).
//!
//! # Limits
//! * `total` counts the matches whose in-force hull contains the date; an entry in force in
//!   two separate intervals (suspended, then restored) may be counted though not listed.
//! * Statuses come from the timeline at the last sync: a change of the rules files is picked
//!   up at the next `ingest`, `search` or `reindex` that loads them.

pub mod analyzer;
mod count;
pub mod entries;
mod hits;
pub mod merges;
pub mod query;
pub mod schema;
mod stats;
pub mod topk;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::directory::error::LockError;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::model::{Date, Document, Status};
use crate::store::{Loaded, Store, StoreError};
use crate::timeline::{LawPeriods, Registry, Timeline};
use count::{count_up_to, Counted};
pub use entries::Entry;
pub use query::{parse, ParsedQuery, QueryError};
use schema::Fields;

/// The index's folder inside the data directory.
pub const INDEX_DIR: &str = "index";

/// Memory of a writer with one indexing thread (it flushes a segment when it is full).
const WRITER_MEMORY: usize = 100_000_000;

/// Memory of a bulk writer, shared by its indexing threads, whatever their number: each
/// flushes a segment when its share is full, and a bulk write's segments are not merged
/// ([`merges`]), so larger shares mean fewer segments for every query to visit. At 100k
/// documents on two cores: 12 segments instead of 28 with 100 MB a thread, ranked p50 0.71
/// instead of 1.15–1.34 ms, ingest peak 1.75 instead of 1.53 GiB.
const BULK_WRITER_MEMORY: usize = 400_000_000;

/// From this many documents new to the index, [`SearchIndex::apply`] indexes on every core.
pub const BULK_DOCUMENTS: usize = 2000;

/// An optional ranking clause whose term is in more than this many entries, and more than
/// one in twenty, is left out of the query (see [`ParsedQuery::to_query`]).
const COMMON_MIN: u64 = 200;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;

/// An error of the index or of a query.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("query: {0}")]
    Query(#[from] QueryError),
    #[error("{path}: {source}")]
    Tantivy {
        path: PathBuf,
        #[source]
        source: TantivyError,
    },
    #[error("{path}: the index is being updated by another rasoat process")]
    Busy { path: PathBuf },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("store row {key} holds {found}, not {wanted}: the store changed while it was read")]
    Moved {
        key: i64,
        wanted: String,
        found: String,
    },
}

/// What the index reflects, recorded in its commit payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub schema: u32,
    pub store_revision: i64,
    /// A hash of the rule data (registry and law periods) the statuses were computed with.
    pub rules: String,
}

/// The rule data the statuses are computed with.
pub struct IndexRules<'a> {
    pub registry: &'a Registry,
    /// The registry's text: the relations resolved against the same one are read back when
    /// only the part of the store new documents join is synced.
    pub registry_text: &'a str,
    pub periods: &'a LawPeriods,
    /// A digest of the rule files' text: a change re-checks every document.
    pub digest: String,
}

/// What a sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// The index was missing, damaged or of another schema, and was rebuilt.
    pub rebuilt: bool,
    /// Documents compared with the store (0 when the stamp showed nothing to do).
    pub documents: usize,
    pub updated: usize,
    pub removed: usize,
    pub up_to_date: bool,
}

/// Options of a search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub as_of: Date,
    /// Keep only entries in force (or partially expired) on `as_of`.
    pub in_force: bool,
    pub limit: usize,
    /// Make snippets (off for timing the ranking alone).
    pub snippets: bool,
    /// How `total` is counted: the count visits the matches, the ranking alone need not.
    pub count: TotalCount,
}

/// How [`SearchResults::total`] is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalCount {
    /// Not counted: `total` is the number of hits returned.
    Hits,
    /// Every match counted up to this many; past it `total` is this number and
    /// [`SearchResults::total_exact`] is false (there are more). A phrase common to most
    /// entries is then answered after a few thousand of them, not all.
    UpTo(usize),
    /// Every match counted, however many.
    Exact,
}

/// How far `rasoat search` and the API count matches by default, as most search engines
/// do: a reviewer reads "more than 10,000", not the exact figure, and counting a phrase
/// found in nearly every entry of a 100k-document store exactly costs 100 ms or more.
pub const TOTAL_COUNTED_UP_TO: usize = 10_000;

/// One hit, as the contract's `search` JSON shapes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub document: String,
    /// `None` for a whole-document hit.
    pub provision: Option<String>,
    pub kind: String,
    pub score: f32,
    /// On the as-of date; `None` when the index does not know.
    pub status: Option<Status>,
    /// The text around the matched words, which are marked `<mark>…</mark>` (the rest of the
    /// text has `&`, `<`, `>` escaped as in HTML).
    pub snippet: String,
}

/// The answer of a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub as_of: Date,
    pub total: usize,
    /// False when `total` is a lower bound: counting stopped there
    /// ([`TotalCount::UpTo`]), or did not count ([`TotalCount::Hits`]).
    pub total_exact: bool,
    pub hits: Vec<Hit>,
}

/// How many documents' entries [`SearchIndex::apply`] makes at a time (in parallel), and
/// how many [`SearchIndex::apply_stored`] reads from the store at a time.
const APPLY_CHUNK: usize = 256;

/// An [`SearchIndex::apply`] under way.
struct ApplyRun {
    writer: IndexWriter<TantivyDocument>,
    /// The digest of each indexed document's entries, by id, before the run.
    indexed: BTreeMap<String, String>,
    dates: BTreeMap<String, BTreeSet<Date>>,
    removed: usize,
    updated: usize,
}

/// The index of one data directory.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// The hit columns of the live segments, decoded once per segment.
    hit_cache: hits::HitCache,
}

fn days(d: Date) -> i64 {
    entries::day_number(d)
}

impl SearchIndex {
    fn err(&self, source: TantivyError) -> IndexError {
        IndexError::Tantivy {
            path: self.dir.clone(),
            source,
        }
    }

    fn try_open(dir: &Path) -> tantivy::Result<SearchIndex> {
        let index = Index::open_in_dir(dir)?;
        analyzer::register(&index);
        let fields = schema::fields_of(&index.schema()).ok_or_else(|| {
            TantivyError::SchemaError("not the schema of this rasoat".to_string())
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let s = SearchIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            hit_cache: hits::HitCache::default(),
        };
        // Read every segment's stored fields once, and open every indexed field's terms,
        // postings and positions: a missing or truncated file shows here, not at the first
        // query. (tantivy takes a segment without its positions file for one of fields
        // without positions, and fails only when a phrase query reads them.)
        let searcher = s.reader.searcher();
        let schema = s.index.schema();
        for seg in searcher.segment_readers() {
            seg.get_store_reader(0)?;
            for (field, entry) in schema.fields() {
                if entry.is_indexed() {
                    seg.inverted_index(field)?;
                }
            }
        }
        Ok(s)
    }

    /// Creates an empty index in `dir`, removing whatever was there.
    pub fn create(dir: &Path) -> Result<SearchIndex, IndexError> {
        let terr = |source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        if dir.exists() {
            // `meta.json` first: a removal cut short (a kill) then leaves files no index
            // names, which the next open replaces, never a `meta.json` naming segments whose
            // files are partly gone.
            let io = |e| terr(TantivyError::IoError(std::sync::Arc::new(e)));
            match std::fs::remove_file(dir.join("meta.json")) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
                _ => {}
            }
            std::fs::remove_dir_all(dir).map_err(io)?;
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| terr(TantivyError::IoError(std::sync::Arc::new(e))))?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(dir, schema).map_err(terr)?;
        analyzer::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(terr)?;
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            hit_cache: hits::HitCache::default(),
        })
    }

    /// Opens the index in `dir`; a missing, damaged or foreign one is replaced by an empty
    /// index (the second value is then true) for [`sync`] to fill.
    pub fn open(dir: &Path) -> Result<(SearchIndex, bool), IndexError> {
        if dir.join("meta.json").exists() {
            match Self::try_open(dir) {
                Ok(s)
                    if s.stamp()
                        .is_some_and(|st| st.schema == schema::SCHEMA_VERSION) =>
                {
                    return Ok((s, false))
                }
                Ok(_) => tracing::info!("{}: index of another version, rebuilding", dir.display()),
                Err(e) => tracing::warn!("{}: damaged index ({e}), rebuilding", dir.display()),
            }
        }
        Ok((Self::create(dir)?, true))
    }

    /// What the last commit reflects.
    pub fn stamp(&self) -> Option<Stamp> {
        let meta = self.index.load_metas().ok()?;
        serde_json::from_str(meta.payload.as_deref()?).ok()
    }

    /// The ids of the documents the index holds (from their whole-document entries), sorted:
    /// what a check compares with the store's documents.
    pub fn document_ids(&self) -> Result<Vec<String>, IndexError> {
        Ok(self.indexed_digests()?.into_keys().collect())
    }

    /// The digest of each indexed document's entries, by document id.
    /// The digest stored with each indexed document, by id: read from the fast columns of
    /// the whole-document entries, without opening their stored text.
    fn indexed_digests(&self) -> Result<BTreeMap<String, String>, IndexError> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.kind, "document"),
            IndexRecordOption::Basic,
        );
        let addrs = searcher
            .search(&q, &DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut by_segment: BTreeMap<u32, Vec<tantivy::DocId>> = BTreeMap::new();
        for a in addrs {
            by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
        }
        let mut out = BTreeMap::new();
        for (ord, docs) in by_segment {
            let seg = searcher.segment_reader(ord);
            let column = |name| hits::Decoded::load(seg, name).map_err(|e| self.err(e));
            let (ids, digests) = (column(hits::DOC_COLUMN)?, column(hits::HASH_COLUMN)?);
            for d in docs {
                out.insert(ids.get(d).to_string(), digests.get(d).to_string());
            }
        }
        Ok(out)
    }

    /// [`SearchIndex::indexed_digests`] of the documents `ids` only, each found by its id
    /// (no column is decoded whole: a part of a large store is a few hundred lookups).
    fn indexed_digests_of(&self, ids: &[&str]) -> Result<BTreeMap<String, String>, IndexError> {
        use tantivy::query::{BooleanQuery, Occur, Query};
        let searcher = self.reader.searcher();
        let mut columns = BTreeMap::new();
        let mut out = BTreeMap::new();
        let mut bytes = Vec::new();
        for id in ids {
            let q = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.doc_id, id),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                ),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.kind, "document"),
                        IndexRecordOption::Basic,
                    )),
                ),
            ]);
            for a in searcher
                .search(&q, &DocSetCollector)
                .map_err(|e| self.err(e))?
            {
                let col = match columns.entry(a.segment_ord) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => e.insert(
                        searcher
                            .segment_reader(a.segment_ord)
                            .fast_fields()
                            .str(hits::HASH_COLUMN)
                            .map_err(|e| self.err(e))?
                            .ok_or_else(|| {
                                self.err(TantivyError::SchemaError(format!(
                                    "{} is not a fast text field",
                                    hits::HASH_COLUMN
                                )))
                            })?,
                    ),
                };
                bytes.clear();
                if let Some(ord) = col.term_ords(a.doc_id).next() {
                    col.ord_to_bytes(ord, &mut bytes)
                        .map_err(|e| self.err(TantivyError::from(e)))?;
                }
                out.insert(id.to_string(), String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        Ok(out)
    }

    fn to_doc(&self, e: &Entry, hash: Option<&str>) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.doc_id, &e.document);
        d.add_text(f.path, e.provision.as_deref().unwrap_or(""));
        d.add_text(f.kind, &e.kind);
        for t in &e.types {
            d.add_text(f.doc_type, t);
        }
        d.add_text(f.issuer, &e.issuer);
        if let Some(y) = e.year {
            d.add_i64(f.year, i64::from(y));
        }
        let (from, until) = entries::in_force_hull(&e.segments);
        d.add_i64(f.from_day, from);
        d.add_i64(f.until_day, until);
        let segments = serde_json::to_string(&e.segments).unwrap_or_default();
        d.add_text(f.hit_segments, entries::encode_segments(&e.segments));
        d.add_text(f.segments, segments);
        for c in &e.cites {
            d.add_text(f.cites, c);
        }
        d.add_text(f.text, &e.text);
        d.add_text(f.snippet_text, snippet_source(e));
        d.add_text(f.folded, &e.text);
        d.add_text(f.bi_folded, &e.text);
        if let Some(h) = hash {
            d.add_text(f.hash, h);
        }
        d
    }

    /// An index writer with `threads` indexing threads ([`WRITER_MEMORY`] for one,
    /// [`BULK_WRITER_MEMORY`] shared by more), after the files no commit names are removed.
    fn writer(&self, threads: usize) -> Result<IndexWriter<TantivyDocument>, IndexError> {
        let memory = if threads > 1 {
            BULK_WRITER_MEMORY
        } else {
            WRITER_MEMORY
        };
        let writer = self
            .index
            .writer_with_num_threads::<TantivyDocument>(threads, memory)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => IndexError::Busy {
                    path: self.dir.clone(),
                },
                e => self.err(e),
            })?;
        // A crash (`kill -9`) between writing a commit's files and its `meta.json` leaves
        // files no commit names; this writer would choose the same names for its own and fail
        // ("FileAlreadyExists"). Remove them first.
        writer
            .garbage_collect_files()
            .wait()
            .map_err(|e| self.err(e))?;
        // No merges while writing: those `merges::plan` picks run after the commit.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        Ok(writer)
    }

    /// Adds one document's entries (its old ones deleted first).
    fn add_entries(
        &self,
        writer: &IndexWriter<TantivyDocument>,
        id: &str,
        entries: &[Entry],
        hash: &str,
    ) -> Result<(), IndexError> {
        writer.delete_term(Term::from_field_text(self.fields.doc_id, id));
        for e in entries {
            let h = e.provision.is_none().then_some(hash);
            writer
                .add_document(self.to_doc(e, h))
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Commits with `stamp`, then merges the segments [`merges::plan`] picks.
    fn finish(
        &mut self,
        mut writer: IndexWriter<TantivyDocument>,
        stamp: &Stamp,
    ) -> Result<(), IndexError> {
        let mut prepared = writer.prepare_commit().map_err(|e| self.err(e))?;
        prepared.set_payload(&serde_json::to_string(stamp).unwrap_or_default());
        fail::fail_point!("index::commit", |_| Err(self.err(TantivyError::IoError(
            std::sync::Arc::new(crate::failpoint::io())
        ))));
        prepared.commit().map_err(|e| self.err(e))?;
        // (A merge keeps the commit's payload.)
        let segments = self
            .index
            .searchable_segment_metas()
            .map_err(|e| self.err(e))?;
        for merge in merges::plan(&segments) {
            tracing::debug!(segments = merge.0.len(), "index: merging segments");
            writer.merge(&merge.0).wait().map_err(|e| self.err(e))?;
        }
        writer.wait_merging_threads().map_err(|e| self.err(e))?;
        self.reader.reload().map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Replaces the entries of the given documents, removes the documents named in
    /// `removed`, and commits with `stamp`, in one commit.
    pub fn write(
        &mut self,
        docs: &[(String, Vec<Entry>)],
        removed: &[String],
        stamp: &Stamp,
    ) -> Result<(), IndexError> {
        let writer = self.writer(1)?;
        for id in removed {
            writer.delete_term(Term::from_field_text(self.fields.doc_id, id));
        }
        for (id, entries) in docs {
            self.add_entries(&writer, id, entries, &entries::digest(entries))?;
        }
        self.finish(writer, stamp)
    }

    /// Brings the index to `docs` as the timeline sees them: documents whose entries changed
    /// are re-indexed, documents no longer given are removed, in one commit.
    ///
    /// Entries are made and compared in parallel, a chunk of documents at a time, and handed
    /// to the writer in the order of `docs`. The writer has one indexing thread, so that the
    /// same input gives the same index (equal scores come out in the same order), unless
    /// [`BULK_DOCUMENTS`] or more documents are new to the index: then one per core (the
    /// order of equal scores may then differ from one build to the next, as it may whenever
    /// an index has more than one segment).
    pub fn apply<D: std::borrow::Borrow<Document> + Sync>(
        &mut self,
        docs: &[D],
        timeline: &Timeline,
        stamp: &Stamp,
    ) -> Result<SyncReport, IndexError> {
        let ids: Vec<&str> = docs
            .iter()
            .map(|d| String::as_str(&d.borrow().id))
            .collect();
        let mut run = self.begin(&ids, timeline, true)?;
        for chunk in docs.chunks(APPLY_CHUNK) {
            let chunk: Vec<&Document> = chunk.iter().map(|d| d.borrow()).collect();
            self.apply_chunk(&mut run, &chunk, timeline)?;
        }
        self.end(run, docs.len(), stamp)
    }

    /// [`SearchIndex::apply`] for the stored documents of `docs` (id and row key, in the
    /// order to index them), read from `store` a chunk at a time as their entries are made:
    /// the corpus is never held whole with its text. `timeline` may be built from documents
    /// without their text ([`crate::timeline::without_text`]): the entries take the text from
    /// the documents read here and only the statuses and resolutions from the timeline. The
    /// timeline is dropped once the entries are made, before the commit and the merges it
    /// leads to ([`merges::plan`]).
    ///
    /// Whether a document changed is decided by [`entries::input_digest`], made from the
    /// timeline and the row's version without reading the row: adding one document to a
    /// large store reads again only it and those whose statuses or citations it changed.
    /// (The digest [`SearchIndex::apply`] and [`SearchIndex::write`] store is of the entries
    /// themselves; a document indexed by one and synced by the other is indexed again.)
    pub fn apply_stored(
        &mut self,
        store: &Store,
        docs: &[(String, i64)],
        timeline: Timeline,
        stamp: &Stamp,
    ) -> Result<SyncReport, IndexError> {
        self.apply_stored_to(store, docs, timeline, stamp, true)
    }

    /// [`SearchIndex::apply_stored`] to `docs` and `timeline`, all of the store's documents
    /// (the others are removed from the index) or, without `all`, part of them (the others
    /// are left as they are indexed).
    fn apply_stored_to(
        &mut self,
        store: &Store,
        docs: &[(String, i64)],
        timeline: Timeline,
        stamp: &Stamp,
        all: bool,
    ) -> Result<SyncReport, IndexError> {
        use rayon::prelude::*;
        let ids: Vec<&str> = docs.iter().map(|(id, _)| id.as_str()).collect();
        let t0 = std::time::Instant::now();
        let mut run = self.begin(&ids, &timeline, all)?;
        drop(ids);
        tracing::info!(
            seconds = t0.elapsed().as_secs_f64(),
            "index: indexed digests read"
        );
        // What each document's entries are made from, digested on every core from the
        // timeline's copy of it: only the documents whose digest changed are read again
        // with their text and indexed.
        let t0 = std::time::Instant::now();
        let versions = store.row_versions()?;
        let changed: Vec<(&str, i64, String)> = docs
            .par_iter()
            .filter_map(|(id, key)| {
                // A document the timeline or the rows lack is read from the store, which
                // then reports what is wrong with it.
                let digest = match (timeline.document(id), versions.get(key)) {
                    (Some(doc), Some(row)) => {
                        entries::input_digest(doc, &timeline, run.dates.get(id), row)
                    }
                    _ => String::new(),
                };
                (digest.is_empty() || run.indexed.get(id) != Some(&digest)).then_some((
                    id.as_str(),
                    *key,
                    digest,
                ))
            })
            .collect();
        drop(versions);
        tracing::info!(
            seconds = t0.elapsed().as_secs_f64(),
            changed = changed.len(),
            "index: inputs digested"
        );
        let t0 = std::time::Instant::now();
        for chunk in changed.chunks(APPLY_CHUNK) {
            let keys: Vec<i64> = chunk.iter().map(|(_, k, _)| *k).collect();
            let read = store.documents_by_keys(&keys)?;
            for (d, (id, key, _)) in read.iter().zip(chunk) {
                if d.id != *id {
                    return Err(IndexError::Moved {
                        key: *key,
                        wanted: id.to_string(),
                        found: d.id.clone(),
                    });
                }
            }
            let dates = &run.dates;
            let made: Vec<Vec<Entry>> = read
                .par_iter()
                .map(|d| entries::entries_of(d, &timeline, dates.get(&d.id)))
                .collect();
            for ((id, _, digest), entries) in chunk.iter().zip(&made) {
                self.add_entries(&run.writer, id, entries, digest)?;
                run.updated += 1;
            }
        }
        tracing::info!(
            seconds = t0.elapsed().as_secs_f64(),
            updated = run.updated,
            "index: entries made"
        );
        // Freeing the status engine of a large store takes a noticeable part of a second
        // (millions of small allocations): it is done beside the commit.
        std::thread::spawn(move || drop(timeline));
        let t0 = std::time::Instant::now();
        let r = self.end(run, docs.len(), stamp);
        tracing::info!(seconds = t0.elapsed().as_secs_f64(), "index: committed");
        r
    }

    /// The start of an [`SearchIndex::apply`] to the documents `ids`: what is indexed, the
    /// writer, and the deletion of the documents no longer given.
    fn begin(&self, ids: &[&str], timeline: &Timeline, all: bool) -> Result<ApplyRun, IndexError> {
        let indexed = if all {
            self.indexed_digests()?
        } else {
            self.indexed_digests_of(ids)?
        };
        let dates = entries::change_dates(timeline);
        let given: BTreeSet<&str> = ids.iter().copied().collect();
        let removed: Vec<String> = indexed
            .keys()
            .filter(|k| all && !given.contains(String::as_str(k)))
            .cloned()
            .collect();
        let new = ids.iter().filter(|id| !indexed.contains_key(**id)).count();
        let threads = if new >= BULK_DOCUMENTS {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
        } else {
            1
        };
        let writer = self.writer(threads)?;
        for id in &removed {
            writer.delete_term(Term::from_field_text(self.fields.doc_id, id));
        }
        Ok(ApplyRun {
            writer,
            indexed,
            dates,
            removed: removed.len(),
            updated: 0,
        })
    }

    /// Makes the entries of one chunk of documents in parallel and hands those that changed
    /// to the writer in the chunk's order.
    fn apply_chunk(
        &self,
        run: &mut ApplyRun,
        chunk: &[&Document],
        timeline: &Timeline,
    ) -> Result<(), IndexError> {
        use rayon::prelude::*;
        let (indexed, dates) = (&run.indexed, &run.dates);
        let changed: Vec<(&str, Vec<Entry>, String)> = chunk
            .par_iter()
            .filter_map(|d| {
                let e = entries::entries_of(d, timeline, dates.get(&d.id));
                let digest = entries::digest(&e);
                (indexed.get(&d.id) != Some(&digest)).then_some((d.id.as_str(), e, digest))
            })
            .collect();
        for (id, entries, digest) in &changed {
            self.add_entries(&run.writer, id, entries, digest)?;
            run.updated += 1;
        }
        Ok(())
    }

    /// Commits an [`SearchIndex::apply`] with `stamp`.
    fn end(
        &mut self,
        run: ApplyRun,
        documents: usize,
        stamp: &Stamp,
    ) -> Result<SyncReport, IndexError> {
        let ApplyRun {
            writer,
            indexed,
            dates,
            removed,
            updated,
        } = run;
        drop((indexed, dates));
        self.finish(writer, stamp)?;
        Ok(SyncReport {
            rebuilt: false,
            documents,
            updated,
            removed,
            up_to_date: false,
        })
    }

    /// Searches. Query errors name the column of the fault.
    pub fn search(&self, q: &str, opts: &SearchOptions) -> Result<SearchResults, IndexError> {
        let parsed = query::parse(q)?;
        self.search_parsed(q, &parsed, opts)
    }

    /// Searches with a parsed query.
    pub fn search_parsed(
        &self,
        q: &str,
        parsed: &ParsedQuery,
        opts: &SearchOptions,
    ) -> Result<SearchResults, IndexError> {
        let f = &self.fields;
        let searcher = self.reader.searcher();
        let day = opts.in_force.then(|| days(opts.as_of));
        let n = searcher.num_docs();
        let stats = stats::QueryStats::new(&searcher);
        let common = |field, text: &str| {
            use tantivy::query::Bm25StatisticsProvider;
            stats
                .doc_freq(&Term::from_field_text(field, text))
                .is_ok_and(|df| df > COMMON_MIN.max(n / 20))
        };
        let queries = parsed.to_queries(f, day, &common);
        let tq = &queries.ranked;
        // A pruned top-k skips most matches, so the count visits them apart, without scores;
        // else both are made in one pass, exactly.
        let counting = opts.count != TotalCount::Hits;
        let apart = counting && tq.prunes(&stats).map_err(|e| self.err(e))?;
        let count_apart = if apart {
            let cap = match opts.count {
                TotalCount::UpTo(n) => Some(n),
                _ => None,
            };
            count_up_to(&searcher, queries.matching.as_ref(), cap).map_err(|e| self.err(e))?
        } else {
            Counted::Exact(0)
        };
        let limit = opts.limit.max(1);
        // The in-force hull is an over-approximation: fetch more, check the segments exactly.
        let mut fetch = if opts.in_force { limit * 2 + 10 } else { limit };
        let mut hits = Vec::new();
        let (total, total_exact);
        loop {
            let top_docs = TopDocs::with_limit(fetch).order_by_score();
            let (count, top) = if counting && !apart {
                searcher
                    .search_with_statistics_provider(tq, &(Count, top_docs), &stats)
                    .map(|(n, t)| (Counted::Exact(n), t))
            } else {
                searcher
                    .search_with_statistics_provider(tq, &top_docs, &stats)
                    .map(|t| (count_apart, t))
            }
            .map_err(|e| self.err(e))?;
            hits.clear();
            let mut dropped = 0;
            let mut cols: Vec<(u32, std::sync::Arc<hits::SegmentHits>)> = Vec::new();
            for (score, addr) in &top {
                let col = match cols.iter().find(|(o, _)| *o == addr.segment_ord) {
                    Some((_, c)) => c.clone(),
                    None => {
                        let c = self
                            .hit_cache
                            .segment(&searcher, addr.segment_ord)
                            .map_err(|e| self.err(e))?;
                        cols.push((addr.segment_ord, c.clone()));
                        c
                    }
                };
                let hits::HitFields {
                    document,
                    path,
                    kind,
                    segments: segs,
                } = col.get(addr.doc_id);
                let status = entries::status_on_encoded(segs, opts.as_of);
                if opts.in_force && !status.is_some_and(entries::applies) {
                    dropped += 1;
                    continue;
                }
                hits.push((
                    Hit {
                        document: document.to_string(),
                        provision: (!path.is_empty()).then(|| path.to_string()),
                        kind: kind.to_string(),
                        score: *score,
                        status,
                        snippet: String::new(),
                    },
                    *addr,
                ));
            }
            if hits.len() >= limit || top.len() < fetch {
                // Equal scores (the same wording in many documents) in the order of their
                // document and provision, not of their place in the index, which depends on
                // the order the documents were indexed in.
                hits.sort_by(|(a, _), (b, _)| {
                    b.score
                        .total_cmp(&a.score)
                        .then_with(|| a.document.cmp(&b.document))
                        .then_with(|| a.provision.cmp(&b.provision))
                });
                hits.truncate(limit);
                (total, total_exact) = match count {
                    _ if !counting => (hits.len(), false),
                    Counted::Exact(n) => (n - dropped.min(n), true),
                    Counted::AtLeast(n) => (n, false),
                };
                break;
            }
            fetch *= 4;
        }
        if opts.snippets {
            let gens = self.snippet_generators(parsed)?;
            for (h, addr) in &mut hits {
                let d: TantivyDocument = searcher.doc(*addr).map_err(|e| self.err(e))?;
                let text = d
                    .get_first(f.snippet_text)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                h.snippet = make_snippet(&gens, text);
            }
        }
        Ok(SearchResults {
            query: q.to_string(),
            as_of: opts.as_of,
            total,
            total_exact,
            hits: hits.into_iter().map(|(h, _)| h).collect(),
        })
    }

    /// Snippet generators: on the exact field when the query has diacritics, then on the
    /// folded field.
    fn snippet_generators(
        &self,
        parsed: &ParsedQuery,
    ) -> Result<Vec<SnippetGenerator>, IndexError> {
        let searcher = self.reader.searcher();
        let terms = parsed.highlight_terms();
        let mut out = Vec::new();
        let mut make = |field, mode, pick: &dyn Fn(&(String, String)) -> String| {
            let mut m = BTreeMap::new();
            for t in &terms {
                let text = pick(t);
                let df = searcher
                    .doc_freq(&Term::from_field_text(field, &text))
                    .map_err(|e| self.err(e))?;
                m.insert(text, 1.0 / (1.0 + df as f32));
            }
            let mut g = SnippetGenerator::new(m, analyzer::analyzer(mode), field, SNIPPET_CHARS);
            g.set_max_num_chars(SNIPPET_CHARS);
            out.push(g);
            Ok::<(), IndexError>(())
        };
        if parsed.has_diacritics() {
            make(self.fields.text, analyzer::Mode::Exact, &|t| t.0.clone())?;
        }
        make(self.fields.folded, analyzer::Mode::Folded, &|t| t.1.clone())?;
        Ok(out)
    }
}

/// The most of a whole document's text a snippet is made from: the title and *Căn cứ* come
/// first, and making a snippet tokenizes the whole of it.
const SNIPPET_SOURCE_CAP: usize = 16 * 1024;

fn snippet_source(e: &Entry) -> &str {
    if e.provision.is_some() || e.text.len() <= SNIPPET_SOURCE_CAP {
        return &e.text;
    }
    let mut end = SNIPPET_SOURCE_CAP;
    while !e.text.is_char_boundary(end) {
        end -= 1;
    }
    &e.text[..end]
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

/// The first generator's snippet that highlights something; else the text's beginning.
fn make_snippet(gens: &[SnippetGenerator], text: &str) -> String {
    for g in gens {
        let s = g.snippet(text);
        if s.highlighted().is_empty() {
            continue;
        }
        let frag = s.fragment();
        let mut out = String::new();
        let mut at = 0;
        for r in s.highlighted() {
            escape(&frag[at..r.start], &mut out);
            out.push_str("<mark>");
            escape(&frag[r.start..r.end], &mut out);
            out.push_str("</mark>");
            at = r.end;
        }
        escape(&frag[at..], &mut out);
        return out;
    }
    let mut out = String::new();
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    escape(&cut, &mut out);
    out
}

/// The digest of some rule files' text.
pub fn rules_digest(texts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for t in texts {
        h.update(str::as_bytes(t));
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest an index is stamped with for a registry (its text as read) and the law periods
/// (as parsed): the same for `rasoat ingest`, `rasoat search`, the API and
/// [`sync_with_store`], so that none of them takes an index another stamped for another's.
pub fn rules_digest_of(registry_text: &str, periods: &LawPeriods) -> String {
    rules_digest(&[registry_text, &format!("{periods:?}")])
}

/// Brings the index of `data_dir` up to its store, with the given rules. A missing or damaged
/// index is rebuilt.
pub fn sync(data_dir: &Path, rules: &IndexRules<'_>) -> Result<SyncReport, IndexError> {
    sync_keeping(data_dir, rules, &mut None)
}

/// [`sync`] with the store's documents already read (by
/// [`Store::refresh_relations_keeping`]), if `loaded` holds them at the store's revision;
/// else they are read here. The documents of `loaded` may be without their provisions' text
/// ([`crate::timeline::without_text`]): they build the status engine, and the index entries
/// take the full documents from the store, a chunk at a time, in the same read transaction.
pub fn sync_keeping(
    data_dir: &Path,
    rules: &IndexRules<'_>,
    loaded: &mut Option<Loaded>,
) -> Result<SyncReport, IndexError> {
    let store = Store::open_existing(data_dir)?;
    let (mut idx, rebuilt) = SearchIndex::open(&data_dir.join(INDEX_DIR))?;
    let revision = store.revision()?;
    let stamp = Stamp {
        schema: schema::SCHEMA_VERSION,
        store_revision: revision,
        rules: rules.digest.clone(),
    };
    if idx.stamp().as_ref() == Some(&stamp) {
        return Ok(SyncReport {
            up_to_date: true,
            ..SyncReport::default()
        });
    }
    // One read transaction from here: the chunks read while indexing are of the revision
    // the status engine was built from.
    let tx = store
        .connection()
        .unchecked_transaction()
        .map_err(|source| StoreError::Sqlite {
            path: store.path().to_path_buf(),
            source,
        })?;
    let revision = store.revision()?;
    if loaded.as_ref().is_none_or(|l| l.revision != revision) {
        // Documents only added since the index was synced: the part of the store they join.
        if let Some(mut r) = sync_part(&store, &mut idx, rules, revision, &stamp)? {
            drop(tx);
            r.rebuilt = rebuilt;
            return Ok(r);
        }
        let t0 = std::time::Instant::now();
        *loaded = Some(store.load_without_text()?);
        tracing::info!(
            seconds = t0.elapsed().as_secs_f64(),
            "index: documents read without text"
        );
    }
    // The last use of the documents: the timeline takes them over (held once, not twice).
    let Loaded {
        revision,
        keys,
        docs,
        resolved,
    } = loaded.take().expect("loaded above");
    // The stamp names the revision the documents were read at.
    let stamp = Stamp {
        store_revision: revision,
        ..stamp
    };
    // The row of each id: the timeline keeps the last document of an id.
    let key_of: BTreeMap<String, i64> = docs.iter().map(|d| d.id.clone()).zip(keys).collect();
    // Facts stated by imported pages complete the registry, as for `rasoat status`.
    let registry = rules.registry.with_imported(&store.validity_facts()?);
    let t0 = std::time::Instant::now();
    // The relations just resolved the same documents' citations: against the same
    // registry (no facts imported), they are taken as they are.
    let t = match resolved {
        Some(r) if r.registry == registry && r.lists.len() == docs.len() => {
            Timeline::from_resolved(docs, r.lists, &registry, rules.periods)
        }
        _ => Timeline::from_documents(docs, &registry, rules.periods),
    };
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        "index: status engine built"
    );
    let docs: Vec<(String, i64)> = t
        .documents()
        .filter(|id| !t.is_external(id))
        .filter_map(|id| key_of.get(id).map(|k| (id.to_string(), *k)))
        .collect();
    drop(key_of);
    let mut r = idx.apply_stored(&store, &docs, t, &stamp)?;
    drop(tx);
    r.rebuilt = rebuilt;
    Ok(r)
}

/// Syncs the part of the store the documents added since the index was last synced join
/// ([`crate::kept::local::find_part`], from a partition a check kept), if only documents were
/// added since and the relations resolved them against the same registry; `None` otherwise.
/// The documents outside that part are as they were when the index was synced: their statuses
/// depend on their own groups alone.
fn sync_part(
    store: &Store,
    idx: &mut SearchIndex,
    rules: &IndexRules<'_>,
    revision: i64,
    stamp: &Stamp,
) -> Result<Option<SyncReport>, IndexError> {
    let whole = |why: &str| {
        tracing::info!(why, "index: the whole store is synced");
        Ok(None)
    };
    let Some(old) = idx.stamp() else {
        return whole("never synced");
    };
    if old.schema != stamp.schema || old.rules != stamp.rules || old.store_revision >= revision {
        return whole("synced with other rules");
    }
    if !store.validity_facts()?.is_empty() {
        return whole("validity facts were imported");
    }
    if !store.relations_current(rules.registry_text)? {
        return whole("the relations were not rebuilt since the last write");
    }
    let Some((since, json)) = store.latest_partition(old.store_revision)? else {
        return whole("no partition kept by a check since the index was synced");
    };
    let Ok(part) = serde_json::from_str::<crate::kept::local::Partition>(&json) else {
        return whole("the kept partition cannot be read");
    };
    drop(json);
    let t0 = std::time::Instant::now();
    let found =
        match crate::kept::local::find_part(store, &part, since, rules.registry, rules.periods) {
            Ok(Ok(f)) => f,
            Ok(Err(why)) => return whole(why),
            Err(crate::kept::KeptError::Store(e)) => return Err(e.into()),
            Err(_) => return whole("the part cannot be read"),
        };
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        documents = found.ids.len(),
        added = found.added.len(),
        "index: the part of the store the new documents join"
    );
    let docs: Vec<(String, i64)> = found
        .ids
        .iter()
        .filter_map(|id| {
            let key = found.versions.get(id)?.split(':').next()?.parse().ok()?;
            Some((id.clone(), key))
        })
        .collect();
    // `documents` then counts those of the part, the only ones compared.
    Ok(Some(idx.apply_stored_to(
        store,
        &docs,
        found.timeline,
        stamp,
        false,
    )?))
}

/// [`sync`] with the rule data built into rasoat.
pub fn sync_with_store(data_dir: &Path) -> Result<SyncReport, IndexError> {
    let registry = Registry::builtin();
    let periods = LawPeriods::builtin();
    sync(
        data_dir,
        &IndexRules {
            registry: &registry,
            registry_text: crate::timeline::DEFAULT_REGISTRY,
            periods: &periods,
            digest: rules_digest_of(crate::timeline::DEFAULT_REGISTRY, &periods),
        },
    )
}

/// Rebuilds the index of `data_dir` from its store: an empty index, then a [`sync`] (the
/// documents read without their text for the status engine, then a chunk at a time with it).
pub fn reindex(data_dir: &Path, rules: &IndexRules<'_>) -> Result<SyncReport, IndexError> {
    Store::open_existing(data_dir)?;
    drop(SearchIndex::create(&data_dir.join(INDEX_DIR))?);
    let mut r = sync(data_dir, rules)?;
    r.rebuilt = true;
    Ok(r)
}

/// Opens the index of `data_dir` for searching (after a [`sync`]).
pub fn open(data_dir: &Path) -> Result<SearchIndex, IndexError> {
    Ok(SearchIndex::open(&data_dir.join(INDEX_DIR))?.0)
}

#[cfg(test)]
mod tests;
