//! What a check of part of the store reads in place of the whole store
//! (`crate::kept::local`): the partition the last complete check made, the documents whose
//! citations were written again since, and the relation graph as the citations table holds
//! it (who cites whom, as resolved), with each document's resolutions read back from it.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::check_cache::{complete_lines, meta_value, COMPLETE_KEY};
use super::{Store, StoreError};
use crate::model::Relation;
use crate::resolve::{ResolvedCitation, Via};

/// One stored citation as the relation graph sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationLink {
    pub relation: Relation,
    /// The resolved target's id; `None` when unresolved.
    pub target: Option<String>,
}

/// The resolution a citation row records ([`super::CitationRow::of`] read backwards): the
/// stored target of an unresolved citation is the number it names, not a target.
fn resolution_of_row(
    idx: i64,
    raw: String,
    relation: &str,
    target: Option<String>,
    provision: Option<String>,
    found: bool,
    via: &str,
) -> Option<ResolvedCitation> {
    let relation: Relation =
        serde_json::from_value(serde_json::Value::String(relation.to_string())).ok()?;
    let via = match via {
        "internal" => Via::Internal,
        "number" => Via::Number,
        "number_and_issuer" => Via::NumberAndIssuer,
        "name_and_date" => Via::NameAndDate,
        "name" => Via::Name,
        other => Via::Unresolved(other.strip_prefix("unresolved: ")?.to_string()),
    };
    let resolved = !matches!(via, Via::Unresolved(_));
    Some(ResolvedCitation {
        index: usize::try_from(idx).ok()?,
        raw,
        relation,
        target: if resolved { target } else { None },
        // A row is "found" when resolved and its provision, if any, was found: the resolver
        // finds a provision only when one was named.
        provision_found: found && provision.is_some(),
        provision,
        via,
    })
}

impl Store {
    /// The partition kept under `config` by the last check that marked its findings complete
    /// ([`Store::mark_complete`]), with the revision it holds for: `None` if there is none, or
    /// if the findings kept under `config` are no longer complete at that revision.
    pub fn kept_partition(&self, config: &str) -> Result<Option<(i64, String)>, StoreError> {
        let read = || -> rusqlite::Result<Option<(i64, String)>> {
            let Some((revision, json)) = self
                .conn
                .query_row(
                    "SELECT revision, json FROM check_partitions WHERE config = ?1",
                    [config],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?
            else {
                return Ok(None);
            };
            let complete = meta_value(&self.conn, COMPLETE_KEY)?.unwrap_or_default();
            Ok(complete_lines(&complete)
                .contains(&(config, revision))
                .then_some((revision, json)))
        };
        read().map_err(|e| self.err(e))
    }

    /// The latest partition kept under any configuration for a revision at most `at`, with
    /// that revision, whose findings are still complete there ([`Store::kept_partition`]):
    /// of the highest revision, then of the configuration written last.
    pub fn latest_partition(&self, at: i64) -> Result<Option<(i64, String)>, StoreError> {
        let recent = meta_value(&self.conn, super::check_cache::CONFIGS_KEY)
            .map_err(|e| self.err(e))?
            .unwrap_or_default();
        let rank = |c: &str| recent.lines().position(|l| l == c).unwrap_or(usize::MAX);
        let mut configs: Vec<(i64, usize, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT config, revision FROM check_partitions WHERE revision <= ?1")
                .map_err(|e| self.err(e))?;
            let rows = stmt
                .query_map([at], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
                .map_err(|e| self.err(e))?;
            let mut out = Vec::new();
            for row in rows {
                let (c, r) = row.map_err(|e| self.err(e))?;
                out.push((r, rank(&c), c));
            }
            out
        };
        configs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, _, c) in configs {
            if let Some(p) = self.kept_partition(&c)? {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }

    /// The row keys `sql` selects with `revision` as its parameter.
    fn keys_by_revision(&self, sql: &str, revision: i64) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let keys = stmt
            .query_map([revision], |r| r.get::<_, i64>(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(|e| self.err(e))?;
        Ok(keys)
    }

    /// The row keys of the documents written after `revision`, in order.
    pub fn keys_revised_after(&self, revision: i64) -> Result<Vec<i64>, StoreError> {
        self.keys_by_revision(
            "SELECT key FROM documents WHERE revision > ?1 ORDER BY key",
            revision,
        )
    }

    /// The rows sharing the number key `number_key`: (row key, number, issuer slug, version
    /// `key:revision:hash`).
    fn rows_numbered(
        &self,
        number_key: &str,
    ) -> Result<Vec<(i64, String, String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT key, number, issuer_slug, revision, hash FROM documents
                 WHERE number_key = ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([number_key], |r| {
                let key: i64 = r.get(0)?;
                let revision: i64 = r.get(3)?;
                let hash: String = r.get(4)?;
                Ok((
                    key,
                    r.get(1)?,
                    r.get(2)?,
                    format!("{key}:{revision}:{hash}"),
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The qualified ids of the rows `keys` ([`Store::documents`]'s), by row key.
    pub fn ids_of_keys(&self, keys: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
        let mut out = HashMap::with_capacity(keys.len());
        for &key in keys {
            let nk: Option<String> = self
                .conn
                .prepare_cached("SELECT number_key FROM documents WHERE key = ?1")
                .map_err(|e| self.err(e))?
                .query_row([key], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))?;
            let Some(nk) = nk else { continue };
            let rows = self.rows_numbered(&nk)?;
            let shared = rows.len() > 1;
            if let Some((_, number, slug, _)) = rows.into_iter().find(|r| r.0 == key) {
                let id = if shared {
                    format!("{number}@{slug}")
                } else {
                    number
                };
                out.insert(key, id);
            }
        }
        Ok(out)
    }

    /// The version (`key:revision:hash`, as [`Store::versions_by_id`]) of each stored document
    /// among `ids`; an id no row has is left out.
    pub fn versions_of<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
    ) -> Result<HashMap<String, String>, StoreError> {
        let mut out = HashMap::new();
        for id in ids {
            let (number, slug) = match id.split_once('@') {
                Some((n, s)) => (n, Some(s)),
                None => (id, None),
            };
            let rows = self.rows_numbered(&crate::resolve::number_key(number))?;
            let shared = rows.len() > 1;
            let found = rows.into_iter().find(|(_, n, s, _)| {
                n == number && (shared == slug.is_some()) && slug.is_none_or(|x| x == s)
            });
            if let Some((.., version)) = found {
                out.insert(id.to_string(), version);
            }
        }
        Ok(out)
    }

    /// True when the relations table reflects the store as it is, resolved against the
    /// registry of `registry_text` ([`Store::refresh_relations`]).
    pub fn relations_current(&self, registry_text: &str) -> Result<bool, StoreError> {
        let built: Option<String> =
            meta_value(&self.conn, "relations_built").map_err(|e| self.err(e))?;
        let stamp = format!(
            "{}:{}",
            self.revision()?,
            super::ingest::hash_hex(registry_text.as_bytes())
        );
        Ok(built.as_deref() == Some(stamp.as_str()))
    }

    /// The row keys of the documents whose citation rows were written after `revision`.
    pub fn citations_written_after(&self, revision: i64) -> Result<Vec<i64>, StoreError> {
        self.keys_by_revision(
            "SELECT document_key FROM citation_digests WHERE written > ?1",
            revision,
        )
    }

    /// The citations of the document of row `key`, as resolved, in their order.
    pub fn citation_links(&self, key: i64) -> Result<Vec<CitationLink>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT relation, target, via FROM citations WHERE document_key = ?1 ORDER BY idx",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (relation, target, via) = row.map_err(|e| self.err(e))?;
            let relation = serde_json::from_value(serde_json::Value::String(relation))
                .unwrap_or(Relation::Mentions);
            let resolved = !via.starts_with("unresolved");
            out.push(CitationLink {
                relation,
                target: target.filter(|_| resolved),
            });
        }
        Ok(out)
    }

    /// The row keys of the documents with a citation resolved to `target`, each once, with
    /// whether one of them changes its status (a relation other than basis or details).
    pub fn citers_of(&self, target: &str) -> Result<(Vec<i64>, bool), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT document_key, relation FROM citations
                 WHERE target = ?1 AND via NOT LIKE 'unresolved%'",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([target], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        let (mut keys, mut changes) = (Vec::new(), false);
        for row in rows {
            let (key, relation) = row.map_err(|e| self.err(e))?;
            changes |= relation != "basis" && relation != "details";
            keys.push(key);
        }
        keys.sort_unstable();
        keys.dedup();
        Ok((keys, changes))
    }

    /// Each document's resolved citations as the relations table holds them, by row key (a
    /// document without citations has none): what [`crate::resolve::resolve_all`] gave when
    /// the relations were last built. `None` for a row that cannot be read back.
    pub fn resolutions_by_keys(
        &self,
        keys: &[i64],
    ) -> Result<Option<HashMap<i64, Vec<ResolvedCitation>>>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT idx, raw, relation, target, provision, provision_found, via
                 FROM citations WHERE document_key = ?1 ORDER BY idx",
            )
            .map_err(|e| self.err(e))?;
        let mut out = HashMap::with_capacity(keys.len());
        for &key in keys {
            let rows = stmt
                .query_map(params![key], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, bool>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                })
                .map_err(|e| self.err(e))?;
            let mut list = Vec::new();
            for row in rows {
                let (idx, raw, relation, target, provision, found, via) =
                    row.map_err(|e| self.err(e))?;
                match resolution_of_row(idx, raw, &relation, target, provision, found, &via) {
                    Some(rc) => list.push(rc),
                    None => return Ok(None),
                }
            }
            out.insert(key, list);
        }
        Ok(Some(out))
    }
}
