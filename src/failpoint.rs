//! What the failpoints on the write paths inject (feature `failpoints`, tests only): the
//! errors SQLite or the disk would return, so the code under test takes its real error path.
//!
//! The points: `store::put_document` (after a file's writes, before its transaction or its
//! batch's commits), `store::commit_batch` (before a batch of files commits),
//! `store::relations` (before the relations' transaction commits), `index::commit` (before the search index's commit), `review::decide` (before a
//! reviewer's decision commits), `backup::copy` (after the copy, before it is moved into
//! place). Release builds carry none: without the feature `fail_point!` expands to nothing.

/// An I/O error as SQLite reports it.
pub(crate) fn sqlite_io() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_IOERR),
        Some("disk I/O error (injected by a failpoint)".into()),
    )
}

/// An I/O error of the file system.
pub(crate) fn io() -> std::io::Error {
    std::io::Error::other("I/O error (injected by a failpoint)")
}
