//! The findings of the last `check`, kept per independent group of documents
//! ([`crate::rules::groups::Groups`]): a later check reuses those of every group whose digest
//! is unchanged and runs the rules on the others only.
//!
//! Derived data, like the rest of the store: the rows of the last [`KEPT_CONFIGS`]
//! configurations a check wrote (the binary, the rules, the registry, the law periods, the
//! review date: [`Store::kept_findings`]'s `config`) are kept, so that checks on two review
//! dates in turn each find their own; those of older ones are dropped when a check writes.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, OptionalExtension};

use super::{Store, StoreError};

/// How many configurations' findings are kept, the most recently written first.
pub const KEPT_CONFIGS: usize = 3;

/// The `meta` key of the configurations whose findings are kept, most recent first, one per
/// line.
pub(super) const CONFIGS_KEY: &str = "check_configs";

/// The `meta` key of the configurations whose kept rows are all the findings of the store at
/// a revision: one `config revision` per line ([`Store::mark_complete`]).
pub(super) const COMPLETE_KEY: &str = "check_complete";

/// The lines of [`COMPLETE_KEY`] as (config, revision).
pub(super) fn complete_lines(value: &str) -> Vec<(&str, i64)> {
    value
        .lines()
        .filter_map(|l| {
            let (c, r) = l.split_once(' ')?;
            Some((c, r.parse().ok()?))
        })
        .collect()
}

pub(super) fn meta_value(tx: &rusqlite::Connection, key: &str) -> rusqlite::Result<Option<String>> {
    tx.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

fn set_meta(tx: &rusqlite::Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(|_| ())
}

/// Rewrites [`COMPLETE_KEY`] keeping the lines `keep` accepts.
fn retain_complete(
    tx: &rusqlite::Connection,
    keep: impl Fn(&str) -> bool,
    first: Option<(&str, i64)>,
) -> rusqlite::Result<()> {
    let value = meta_value(tx, COMPLETE_KEY)?.unwrap_or_default();
    let mut lines: Vec<String> = first.map(|(c, r)| format!("{c} {r}")).into_iter().collect();
    lines.extend(
        complete_lines(&value)
            .into_iter()
            .filter(|(c, _)| keep(c) && first.is_none_or(|(f, _)| f != *c))
            .map(|(c, r)| format!("{c} {r}")),
    );
    set_meta(tx, COMPLETE_KEY, &lines.join("\n"))
}

/// Drops the rows of `config`'s groups not in `current`.
fn drop_stale(
    tx: &rusqlite::Connection,
    config: &str,
    current: &HashSet<&str>,
) -> rusqlite::Result<()> {
    let mut stale = Vec::new();
    {
        let mut stmt = tx.prepare("SELECT grp FROM check_groups WHERE config = ?1")?;
        for g in stmt.query_map([config], |r| r.get::<_, String>(0))? {
            let g = g?;
            if !current.contains(g.as_str()) {
                stale.push(g);
            }
        }
    }
    let mut del = tx.prepare("DELETE FROM check_groups WHERE config = ?1 AND grp = ?2")?;
    for g in &stale {
        del.execute(params![config, g])?;
    }
    Ok(())
}

impl Store {
    /// Each stored document's version, by qualified id: row key, revision and file hash.
    /// Read in one pass over the index of the rows' versions (`documents_versions`), the
    /// ids qualified as [`Store::documents`] qualifies them.
    pub fn versions_by_id(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT key, revision, hash, number, number_key, issuer_slug
                 FROM documents INDEXED BY documents_versions",
            )
            .map_err(|e| self.err(e))?;
        type Row = (i64, i64, String, String, String, String);
        let rows: Vec<Row> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        let mut per_number: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
        for (.., nk, _) in &rows {
            *per_number.entry(nk.as_str()).or_default() += 1;
        }
        Ok(rows
            .iter()
            .map(|(key, revision, hash, number, nk, slug)| {
                let id = if per_number[nk.as_str()] > 1 {
                    format!("{number}@{slug}")
                } else {
                    number.clone()
                };
                (id, format!("{key}:{revision}:{hash}"))
            })
            .collect())
    }

    /// The findings (JSON) kept under `config` for the wanted group digests.
    pub fn kept_findings(
        &self,
        config: &str,
        wanted: &HashSet<&str>,
    ) -> Result<HashMap<String, String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT grp, findings FROM check_groups WHERE config = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([config], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        let mut out = HashMap::new();
        for row in rows {
            let (grp, json) = row.map_err(|e| self.err(e))?;
            if wanted.contains(grp.as_str()) {
                out.insert(grp, json);
            }
        }
        Ok(out)
    }

    /// Keeps `fresh` (digest, findings JSON) under `config`, in one transaction; drops the rows
    /// of `config`'s groups not in `current`, and those of the configurations older than the
    /// last [`KEPT_CONFIGS`] written.
    pub fn keep_findings(
        &mut self,
        config: &str,
        fresh: &mut dyn Iterator<Item = (String, String)>,
        current: &HashSet<&str>,
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            let listed = meta_value(tx, CONFIGS_KEY)?;
            let mut configs: Vec<&str> = vec![config];
            configs.extend(
                listed
                    .as_deref()
                    .unwrap_or_default()
                    .lines()
                    .filter(|c| !c.is_empty() && *c != config),
            );
            configs.truncate(KEPT_CONFIGS);
            set_meta(tx, CONFIGS_KEY, &configs.join("\n"))?;
            // `config`'s rows change here: complete again only once marked so.
            retain_complete(tx, |c| c != config && configs.contains(&c), None)?;
            let dropped: Vec<String> = {
                let mut stmt = tx.prepare("SELECT DISTINCT config FROM check_groups")?;
                let all = stmt.query_map([], |r| r.get::<_, String>(0))?;
                let mut out = Vec::new();
                for c in all {
                    let c = c?;
                    if !configs.contains(&c.as_str()) {
                        out.push(c);
                    }
                }
                out
            };
            for c in &dropped {
                tx.execute("DELETE FROM check_groups WHERE config = ?1", [c])?;
            }
            tx.execute(
                "DELETE FROM check_partitions WHERE config NOT IN (SELECT DISTINCT config FROM check_groups) AND config <> ?1",
                [config],
            )?;
            drop_stale(tx, config, current)?;
            let mut put = tx.prepare(
                "INSERT OR REPLACE INTO check_groups (config, grp, findings) VALUES (?1, ?2, ?3)",
            )?;
            for (g, json) in fresh {
                put.execute(params![config, &g, &json])?;
            }
            Ok(())
        })
    }

    /// Records that the rows kept under `config` are all the findings of the store at
    /// `revision`: one per group of `current`, the rows of other groups dropped. A later check
    /// under `config` of the store still at `revision` takes them without reading a document
    /// ([`Store::complete_findings`]). With `partition`, keeps it beside them: the partition
    /// into groups they were computed over, which a check of part of the store reads
    /// ([`Store::kept_partition`]). Records nothing (false) if the store is at another
    /// revision or a group of `current` has no row.
    pub fn mark_complete(
        &mut self,
        config: &str,
        revision: i64,
        current: &HashSet<&str>,
        partition: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.in_transaction(|tx| {
            let now: i64 = meta_value(tx, "ingest_revision")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if now != revision {
                return Ok(false);
            }
            drop_stale(tx, config, current)?;
            let rows: i64 = tx.query_row(
                "SELECT COUNT(*) FROM check_groups WHERE config = ?1",
                [config],
                |r| r.get(0),
            )?;
            if rows as usize != current.len() {
                return Ok(false);
            }
            let listed = meta_value(tx, CONFIGS_KEY)?.unwrap_or_default();
            if !current.is_empty() && !listed.lines().any(|c| c == config) {
                return Ok(false);
            }
            retain_complete(
                tx,
                |c| listed.lines().any(|l| l == c),
                Some((config, revision)),
            )?;
            match partition {
                Some(json) => tx.execute(
                    "INSERT OR REPLACE INTO check_partitions (config, revision, json)
                     VALUES (?1, ?2, ?3)",
                    params![config, revision, json],
                )?,
                None => tx.execute("DELETE FROM check_partitions WHERE config = ?1", [config])?,
            };
            Ok(true)
        })
    }

    /// The findings (JSON, one array per group) kept under `config`, if the store is still at
    /// `revision` and they are all its findings ([`Store::mark_complete`]); read in one
    /// transaction.
    pub fn complete_findings(
        &self,
        config: &str,
        revision: i64,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let read = || -> rusqlite::Result<Option<Vec<String>>> {
            let now: i64 = meta_value(&tx, "ingest_revision")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let value = meta_value(&tx, COMPLETE_KEY)?.unwrap_or_default();
            if now != revision || !complete_lines(&value).contains(&(config, now)) {
                return Ok(None);
            }
            let mut stmt = tx.prepare("SELECT findings FROM check_groups WHERE config = ?1")?;
            let rows = stmt.query_map([config], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<Vec<String>>>().map(Some)
        };
        let out = read().map_err(|e| self.err(e))?;
        tx.finish().map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// The localities each document's text names, as kept by the last check that looked for
    /// `patterns` (a digest of the localities looked for): row key → (the document's version
    /// then, the names found).
    pub fn place_hits(
        &self,
        patterns: &str,
    ) -> Result<HashMap<i64, (String, Vec<String>)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, version, hits FROM place_hits WHERE patterns = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([patterns], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = HashMap::new();
        for row in rows {
            let (key, version, hits) = row.map_err(|e| self.err(e))?;
            let names = hits
                .split('\n')
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect();
            out.insert(key, (version, names));
        }
        Ok(out)
    }

    /// How many groups' findings are kept under `config`.
    pub fn kept_group_count(&self, config: &str) -> Result<usize, StoreError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM check_groups WHERE config = ?1",
                [config],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// How many documents' localities are kept, under any set of localities looked for.
    pub fn place_hits_count(&self) -> Result<usize, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM place_hits", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// Keeps what [`Store::place_hits`] gives: per row key, the document's version and the
    /// localities among `patterns` its text names. Rows of other patterns are dropped.
    pub fn keep_place_hits(
        &mut self,
        patterns: &str,
        rows: &[(i64, String, Vec<String>)],
    ) -> Result<(), StoreError> {
        self.in_transaction(|tx| {
            tx.execute("DELETE FROM place_hits WHERE patterns <> ?1", [patterns])?;
            let mut put = tx.prepare(
                "INSERT OR REPLACE INTO place_hits (key, version, patterns, hits)
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM documents WHERE key = ?1)",
            )?;
            for (key, version, names) in rows {
                put.execute(params![key, version, patterns, names.join("\n")])?;
            }
            Ok(())
        })
    }
}
