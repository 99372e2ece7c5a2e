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
    // 4: what saves reading or writing the whole store again, each row derived from one
    // document and dropped with it:
    // - `skeletons`: the document without its provisions' text
    //   (`crate::timeline::without_text`), what the relations, the status engine and a
    //   check's groups read, at less than half the parsing; written with the document, and a
    //   document without one is read whole;
    // - `citation_digests`: a digest of the document's citation rows, so that the relations
    //   rewrite only the documents whose rows changed (one without a digest is rewritten);
    // - `place_hits`: the localities its text names (`crate::rules::blocks::Places`), under
    //   its version and a digest of the localities looked for, written by a check;
    // - `documents_versions`: the columns read for every row without its JSON, in an index,
    //   since a column stored after the JSON (`revision`) is reached only through every page
    //   of the JSON (reading the versions of 100k documents took 0.63 s, through the index
    //   0.07 s).
    "CREATE INDEX documents_versions
         ON documents (key, revision, hash, number, number_key, issuer_slug);
     CREATE TABLE skeletons (
         key  INTEGER PRIMARY KEY REFERENCES documents (key) ON DELETE CASCADE,
         json TEXT NOT NULL
     );
     CREATE TABLE citation_digests (
         document_key INTEGER PRIMARY KEY REFERENCES documents (key) ON DELETE CASCADE,
         digest       TEXT NOT NULL
     );
     CREATE TABLE place_hits (
         key      INTEGER PRIMARY KEY REFERENCES documents (key) ON DELETE CASCADE,
         version  TEXT NOT NULL,
         patterns TEXT NOT NULL,
         hits     TEXT NOT NULL
     );",
    // 5: what a check of part of the store reads in place of the whole
    // (`crate::kept::local`):
    // - `check_partitions`: per configuration whose kept findings are complete
    //   (`check_complete` in `meta`), the partition into groups that check made, with the
    //   issuers' classes and the localities each issuer's documents name; good only at the
    //   revision the findings are complete for;
    // - `citation_digests.written`: the store revision at which a document's citation rows
    //   were last written, so that a check finds the documents whose citations resolve
    //   otherwise since it last ran (rows written before this column read 0).
    "CREATE TABLE check_partitions (
         config   TEXT PRIMARY KEY,
         revision INTEGER NOT NULL,
         json     TEXT NOT NULL
     );
     ALTER TABLE citation_digests ADD COLUMN written INTEGER NOT NULL DEFAULT 0;",
    // 6: what relations built for new documents only read (`Store::refresh_relations`):
    // - `citations.lookup`: what the resolver looked the citation up by
    //   (`crate::resolve::lookup_key`), so that the citations one more document may resolve
    //   otherwise are found by its number and names;
    // - `document_names`: the name keys each document is cited by
    //   (`crate::resolve::candidate_names`);
    // - `relations_built` cleared: the next build writes every document's rows with both.
    "ALTER TABLE citations ADD COLUMN lookup TEXT;
     CREATE INDEX citations_lookup ON citations (lookup);
     CREATE TABLE document_names (
         name TEXT NOT NULL,
         key  INTEGER NOT NULL REFERENCES documents (key) ON DELETE CASCADE,
         PRIMARY KEY (name, key)
     ) WITHOUT ROWID;
     CREATE INDEX document_names_key ON document_names (key);
     DELETE FROM meta WHERE key = 'relations_built';",
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
