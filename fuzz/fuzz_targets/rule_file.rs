//! The rule language: never panics, and every error names a line and column inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasoat::rules::lang::parse_file;
use rasoat_fuzz::inside;

fuzz_target!(|src: &str| {
    let (_rules, errors) = parse_file("fuzz.rule", src);
    // pest and `str::lines` count `\n` only.
    let mut lines: Vec<&str> = src.split('\n').collect();
    for l in &mut lines {
        *l = l.strip_suffix('\r').unwrap_or(l);
    }
    for e in &errors {
        assert!(
            inside(&lines, e.span.line, e.span.column),
            "error at {}:{} is outside the file: {}",
            e.span.line,
            e.span.column,
            e.message
        );
        assert_eq!(e.file, "fuzz.rule");
        // Rendering the error (with its caret line) never panics either.
        let _ = e.to_string();
    }
});
