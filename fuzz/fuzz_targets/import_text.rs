//! Reading a plain-text file of any bytes: never panics; an error names a line and column
//! inside the file when it has one; a decoded text contains a replacement character only if
//! the file did, in UTF-8 or UTF-16 (no silent replacement).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rasoat::import::{import_bytes, ImportOptions};

fuzz_target!(|bytes: &[u8]| {
    let opts = ImportOptions::default();
    match import_bytes(Path::new("fuzz.txt"), bytes, &opts) {
        Ok(im) => {
            // The file may hold U+FFFD itself: in UTF-8 (EF BF BD) or in UTF-16 (FD FF / FF FD).
            let had = bytes.windows(3).any(|w| w == "\u{FFFD}".as_bytes())
                || bytes
                    .windows(2)
                    .any(|w| w == [0xFD, 0xFF] || w == [0xFF, 0xFD]);
            assert!(
                had || !im.text.contains('\u{FFFD}'),
                "a replacement character appeared in the decoded text"
            );
        }
        Err(e) => {
            if let Some((line, column)) = e.kind.location() {
                let lines = bytes.split(|b| *b == b'\n').count();
                assert!(line >= 1 && line <= lines, "error line {line} of {lines}");
                assert!(column >= 1, "error column {column}");
            }
            assert!(e.to_string().starts_with("fuzz.txt"));
        }
    }
});
