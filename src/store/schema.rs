//! Schema migrations, numbered by `PRAGMA user_version`.
//!
//! A migration is appended, never edited: a store written by version N is brought to the
//! newest version by running migrations N+1… in one transaction each. Later stages (review
//! runs, reviewer decisions, the audit log) add their tables here.

use std::path::Path;

use rusqlite::Connection;

use super::StoreError;

/// Migration `i` brings the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: documents, the files they came from, their citations (the relation graph), metadata.
    "CREATE TABLE meta (
         key   TEXT PRIMARY KEY,
         value TEXT NOT NULL
     );
     INSERT INTO meta (key, value) VALUES ('ingest_revision', '0');
     CREATE TABLE documents (
         key          INTEGER PRIMARY KEY,
         number       TEXT NOT NULL,
         number_key   TEXT NOT NULL,
         issuer_slug  TEXT NOT NULL,
         issuer       TEXT,
         issuer_level TEXT,
         issued       TEXT,
         source       TEXT NOT NULL,
         hash         TEXT NOT NULL,
         json         TEXT NOT NULL,
         revision     INTEGER NOT NULL,
         UNIQUE (number_key, issuer_slug)
     );
     CREATE INDEX documents_source ON documents (source);
     CREATE TABLE files (
         path     TEXT PRIMARY KEY,
         hash     TEXT NOT NULL,
         revision INTEGER NOT NULL
     );
     CREATE TABLE citations (
         document_key    INTEGER NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
         idx             INTEGER NOT NULL,
         raw             TEXT NOT NULL,
         relation        TEXT NOT NULL,
         target          TEXT,
         provision       TEXT,
         provision_found INTEGER NOT NULL,
         via             TEXT NOT NULL,
         PRIMARY KEY (document_key, idx)
     );
     CREATE INDEX citations_target ON citations (target);",
    // 2: validity facts stated by imported pages (the national database's attribute and
    // diagram pages), one row per document and source, replaced when their file is ingested
    // again.
    "CREATE TABLE validity_facts (
         document TEXT NOT NULL,
         source   TEXT NOT NULL,
         file     TEXT NOT NULL,
         json     TEXT NOT NULL,
         revision INTEGER NOT NULL,
         PRIMARY KEY (document, source)
     );
     CREATE INDEX validity_facts_file ON validity_facts (file);",
    // 3: the findings of the last check, per independent group of documents
    // (`crate::rules::groups`), kept under the digest of what they were computed from.
    "CREATE TABLE check_groups (
         config   TEXT NOT NULL,
         grp      TEXT NOT NULL,
         findings TEXT NOT NULL,
         PRIMARY KEY (config, grp)
     );",
];

/// Brings the database to the newest schema.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let sql = |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let known = MIGRATIONS.len() as i64;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    if version > known {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known,
        });
    }
    for (i, m) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction().map_err(sql)?;
        tx.execute_batch(m).map_err(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
    }
    Ok(())
}
