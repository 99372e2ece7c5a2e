//! Relations built for new documents only: after documents were added to a store whose
//! relations were built (none removed or changed), only the citations one of them may resolve
//! otherwise are resolved again, against the documents they may consult.
//!
//! A citation consults, by number, the documents with that number's key, and by name, the
//! documents bearing the name it cites, a name running on from it, or a name it runs on from
//! (`crate::resolve::Resolver`). So a new document can change only the citations looked up by
//! its number or by a name related to one of its names (the `lookup` column), and those
//! citations, with the new documents' own, resolve against the documents their lookups reach
//! as they would against the whole store: the resolver over those documents (in the store's
//! order) and the registry finds the same targets. A new document that shares its number with
//! a stored one (their ids are then qualified), or has the number of a registry entry (which
//! it then hides), and a store from which a document was removed or changed, are resolved
//! whole.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, OptionalExtension};

use super::{ChangedRows, Store, StoreError};
use crate::model::Document;
use crate::resolve::{self, number_key, Resolver};
use crate::timeline::Registry;

/// At most this many new documents are resolved alone.
const MAX_NEW: usize = 256;

/// At most this many documents are read to resolve them; more, and the store is resolved
/// whole (faster in one pass).
const MAX_READ: usize = 20_000;

impl Store {
    /// The row keys of the documents bearing a name key a citation by name `key` consults:
    /// `key` itself, a name running on from it, a name it runs on from.
    fn keys_named_for(&self, key: &str, out: &mut BTreeSet<i64>) -> Result<(), StoreError> {
        let mut exact = self
            .conn
            .prepare_cached("SELECT key FROM document_names WHERE name = ?1")
            .map_err(|e| self.err(e))?;
        let mut range = self
            .conn
            .prepare_cached("SELECT key FROM document_names WHERE name >= ?1 AND name < ?2")
            .map_err(|e| self.err(e))?;
        let mut names: Vec<&str> = resolve::word_prefixes(key);
        names.push(key);
        for n in names {
            let rows = exact
                .query_map([n], |r| r.get::<_, i64>(0))
                .map_err(|e| self.err(e))?;
            for k in rows {
                out.insert(k.map_err(|e| self.err(e))?);
            }
        }
        let rows = range
            .query_map(params![format!("{key} "), format!("{key}!")], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(|e| self.err(e))?;
        for k in rows {
            out.insert(k.map_err(|e| self.err(e))?);
        }
        Ok(())
    }

    /// The row keys of the documents whose number has the key `key`.
    fn keys_numbered(&self, key: &str, out: &mut BTreeSet<i64>) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key FROM documents WHERE number_key = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([key], |r| r.get::<_, i64>(0))
            .map_err(|e| self.err(e))?;
        for k in rows {
            out.insert(k.map_err(|e| self.err(e))?);
        }
        Ok(())
    }

    /// The row keys of the documents with a citation looked up by `lookup` (exactly, or, with
    /// `running_on`, by a name running on from it).
    fn keys_citing_by(
        &self,
        lookup: &str,
        running_on: bool,
        out: &mut BTreeSet<i64>,
    ) -> Result<(), StoreError> {
        let mut exact = self
            .conn
            .prepare_cached("SELECT DISTINCT document_key FROM citations WHERE lookup = ?1")
            .map_err(|e| self.err(e))?;
        let mut range = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT document_key FROM citations WHERE lookup >= ?1 AND lookup < ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows: Vec<rusqlite::Result<i64>> = if running_on {
            range
                .query_map(params![format!("{lookup} "), format!("{lookup}!")], |r| {
                    r.get::<_, i64>(0)
                })
                .map_err(|e| self.err(e))?
                .collect()
        } else {
            exact
                .query_map([lookup], |r| r.get::<_, i64>(0))
                .map_err(|e| self.err(e))?
                .collect()
        };
        for k in rows {
            out.insert(k.map_err(|e| self.err(e))?);
        }
        Ok(())
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Builds the relations for the documents added since they were last built, if only
    /// documents were added (see the module's documentation): `Some(documents whose rows
    /// were written)`, or `None` when the whole store is to be resolved.
    pub(super) fn refresh_relations_local(
        &mut self,
        registry: &Registry,
        reg_hash: &str,
        revision: i64,
        stamp: &str,
    ) -> Result<Option<usize>, StoreError> {
        let t0 = std::time::Instant::now();
        let whole = |why: &str| {
            tracing::info!(why, "relations: the whole store is resolved");
            Ok(None)
        };
        let Some(built) = self.meta("relations_built")? else {
            return whole("never built");
        };
        let Some((then, hash)) = built.split_once(':') else {
            return whole("never built");
        };
        let Ok(then) = then.parse::<i64>() else {
            return whole("never built");
        };
        if hash != reg_hash {
            return whole("another registry");
        }
        let Some(count_then) = self
            .meta("relations_documents")?
            .and_then(|v| v.parse::<usize>().ok())
        else {
            return whole("the number of documents then is not known");
        };
        let new_keys = self.keys_revised_after(then)?;
        let count_now = self.document_count()?;
        if new_keys.is_empty() || new_keys.len() > MAX_NEW {
            return whole("no document added, or many");
        }
        if count_now != count_then + new_keys.len() {
            return whole("a document was removed or changed");
        }
        let digests: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM citation_digests", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if digests as usize != count_then {
            return whole("a document's relations are missing");
        }
        let new_docs = self.documents_by_keys(&new_keys)?;
        let registry_keys: BTreeSet<String> =
            registry.entries.iter().map(|e| number_key(&e.id)).collect();
        let mut citing: BTreeSet<i64> = BTreeSet::new();
        for d in &new_docs {
            let key = number_key(&d.id);
            let mut same = BTreeSet::new();
            self.keys_numbered(&key, &mut same)?;
            if same.len() != 1 {
                return whole("a new document shares its number with another");
            }
            if registry_keys.contains(&key) {
                return whole("a new document has the number of a registry entry");
            }
            self.keys_citing_by(&format!("n:{key}"), false, &mut citing)?;
            for n in resolve::candidate_names(d) {
                self.keys_citing_by(&format!("k:{n}"), false, &mut citing)?;
                self.keys_citing_by(&format!("k:{n}"), true, &mut citing)?;
                for p in resolve::word_prefixes(&n) {
                    self.keys_citing_by(&format!("k:{p}"), false, &mut citing)?;
                }
            }
        }
        for k in &new_keys {
            citing.remove(k);
        }
        if citing.len() > MAX_READ {
            return whole("the new documents may change many citations");
        }
        let old_citing: Vec<i64> = citing.iter().copied().collect();
        let mut citing_docs: Vec<(i64, Document)> = old_citing
            .iter()
            .copied()
            .zip(self.documents_by_keys(&old_citing)?)
            .collect();
        citing_docs.extend(new_keys.iter().copied().zip(new_docs));
        // What their citations consult, and the stored documents that hide registry entries.
        let mut consulted: BTreeSet<i64> = BTreeSet::new();
        for k in &registry_keys {
            self.keys_numbered(k, &mut consulted)?;
        }
        for (_, d) in &citing_docs {
            for c in &d.citations {
                match resolve::lookup_key(c) {
                    Some(l) if l.starts_with("n:") => {
                        self.keys_numbered(&l[2..], &mut consulted)?
                    }
                    Some(l) => self.keys_named_for(&l[2..], &mut consulted)?,
                    None => {}
                }
            }
        }
        for (k, _) in &citing_docs {
            consulted.remove(k);
        }
        if consulted.len() + citing_docs.len() > MAX_READ {
            return whole("the citations consult many documents");
        }
        let consulted: Vec<i64> = consulted.into_iter().collect();
        let mut candidates: Vec<Document> = self.documents_by_keys(&consulted)?;
        let citing_at = candidates.len();
        candidates.extend(citing_docs.iter().map(|(_, d)| d.clone()));
        // In the store's order (by id), as the whole store is resolved.
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by(|&a, &b| candidates[a].id.cmp(&candidates[b].id));
        let mut place: Vec<usize> = vec![0; candidates.len()];
        for (at, &i) in order.iter().enumerate() {
            place[i] = at;
        }
        let mut slots: Vec<Option<Document>> = candidates.into_iter().map(Some).collect();
        let sorted: Vec<Document> = order
            .iter()
            .map(|&i| slots[i].take().expect("each document once"))
            .collect();
        let resolver = Resolver::new(&sorted, registry);
        let mut stored: HashMap<i64, String> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT digest FROM citation_digests WHERE document_key = ?1")
                .map_err(|e| self.err(e))?;
            for (k, _) in &citing_docs {
                if let Some(d) = stmt
                    .query_row([k], |r| r.get::<_, String>(0))
                    .optional()
                    .map_err(|e| self.err(e))?
                {
                    stored.insert(*k, d);
                }
            }
        }
        let changed: Vec<ChangedRows> = citing_docs
            .iter()
            .enumerate()
            .filter_map(|(i, (k, _))| {
                let d = &sorted[place[citing_at + i]];
                let rows = ChangedRows::of(*k, d, &resolver.resolve_document(d));
                (stored.get(k) != Some(&rows.digest)).then_some(rows)
            })
            .collect();
        let written = changed.len();
        drop(resolver);
        self.write_relations(&changed, revision, stamp, count_now)?;
        tracing::info!(
            seconds = t0.elapsed().as_secs_f64(),
            added = new_keys.len(),
            resolved = citing_docs.len(),
            read = sorted.len(),
            written,
            "relations: the new documents' and those they may change"
        );
        Ok(Some(written))
    }
}
