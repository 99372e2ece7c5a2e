//! The search query language: never panics; an error names a column inside the query; a
//! query that parses yields highlight terms without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasoat::index::query::parse;

fuzz_target!(|q: &str| {
    match parse(q) {
        Ok(p) => {
            let _ = p.highlight_terms();
            let _ = p.has_diacritics();
        }
        Err(e) => {
            let n = q.chars().count();
            assert!(
                e.column >= 1 && e.column <= n + 1,
                "error column {} outside a query of {n} characters: {}",
                e.column,
                e.message
            );
        }
    }
});
