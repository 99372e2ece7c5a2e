use std::path::PathBuf;

/// An error of the store itself; every variant names the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: cannot create the data directory: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{path}: written by a newer rasoat (schema version {found}; this one knows up to {known})"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path}: document {key} is stored as unreadable JSON: {source}")]
    Corrupt {
        path: PathBuf,
        key: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: document {key} is stored as text that is not UTF-8 (byte {at} of its JSON)")]
    NotUtf8 {
        path: PathBuf,
        key: String,
        at: usize,
    },
    #[error("{path}: no store here yet; run `rasoat ingest PATH` first")]
    Missing { path: PathBuf },
}

/// Why one file was not ingested. The run goes on with the other files; the exit code then
/// says that something failed.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file could not be turned into text (encoding, Word, PDF, HTML, limits).
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error("{path}:{line}:{column}: {why}")]
    NotADocument {
        path: PathBuf,
        line: usize,
        column: usize,
        why: String,
    },
    /// A symbolic link inside an ingested folder that leads out of it: not read, so that a
    /// folder handed over for review cannot make rasoat read files elsewhere.
    #[error("{path}: a link to {target}, outside the ingested folder {folder}; not read")]
    OutsideFolder {
        path: PathBuf,
        target: PathBuf,
        folder: PathBuf,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}
