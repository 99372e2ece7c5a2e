//! Text normalisation: never panics, returns NFC, is idempotent (for a document and for one
//! line), and maps every output line back into the source.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasoat::text::{normalize_document, normalize_inline};
use rasoat_fuzz::{editor_lines, inside};
use unicode_normalization::is_nfc;

fuzz_target!(|src: &str| {
    let once = normalize_document(src);
    assert!(is_nfc(&once.text), "not NFC: {:?}", once.text);
    let twice = normalize_document(&once.text);
    assert_eq!(twice.text, once.text, "normalising twice changed the text");

    let lines = editor_lines(src);
    let mut off = 0;
    for line in once.text.split('\n') {
        let (l, c) = once.line_col(off);
        assert!(
            inside(&lines, l, c),
            "line start {off} maps to {l}:{c}, outside the source"
        );
        assert!(once.source_offset(off) <= src.len());
        off += line.len() + 1;
    }

    let inline = normalize_inline(src);
    assert!(is_nfc(&inline));
    assert_eq!(
        normalize_inline(&inline),
        inline,
        "inline normalisation is not idempotent"
    );
});
