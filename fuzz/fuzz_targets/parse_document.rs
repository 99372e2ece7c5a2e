//! The document parser: never panics; every diagnostic names a line and column inside the
//! input; parsing the normalised text again gives the same document (every `line` and
//! `column` then points into the normalised text instead of the file, so those are left out
//! of the comparison).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rasoat::parse::parse_document;
use rasoat::text::normalize_document;
use rasoat_fuzz::{editor_lines, inside};
use serde_json::Value;

/// The document as JSON without the source places (`line`, `column`) of its parts.
fn unplaced(d: &rasoat::model::Document) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("line");
                m.remove("column");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(d).expect("a document serialises");
    strip(&mut v);
    v
}

fuzz_target!(|src: &str| {
    let doc = parse_document("fuzz.txt", src);
    let lines = editor_lines(src);
    for d in &doc.diagnostics {
        assert!(
            inside(&lines, d.line, d.column),
            "diagnostic {} at {}:{} is outside the input ({} lines)",
            d.code,
            d.line,
            d.column,
            lines.len()
        );
    }
    let norm = normalize_document(src);
    let again = parse_document("fuzz.txt", &norm.text);
    assert_eq!(
        unplaced(&again),
        unplaced(&doc),
        "parsing the normalised text gave another document"
    );
});
