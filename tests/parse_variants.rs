//! One text in its many encodings parses to one document: NFC or NFD, old or new tone
//! placement (`hoà`/`hòa`, `thuỷ`/`thủy`), the look-alike `Ð` for `Đ`, CRLF line endings.

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

/// The parse as JSON, without what legitimately differs between encodings: the source name
/// and the columns of diagnostics (counted in the original file's characters, which NFD
/// multiplies).
fn parse_value(text: &str) -> serde_json::Value {
    let doc = rasoat::parse::parse_document("seed.txt", text);
    let mut v = serde_json::to_value(&doc).unwrap();
    strip_columns(&mut v);
    v
}

fn strip_columns(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.remove("column");
            for (_, x) in m.iter_mut() {
                strip_columns(x);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_columns),
        _ => {}
    }
}

/// Moves tones to the "new" placement on open syllables: hòa → hoà, thủy → thuỷ.
fn new_style_tones(s: &str) -> String {
    let pairs = [
        ("òa", "oà"),
        ("óa", "oá"),
        ("ỏa", "oả"),
        ("õa", "oã"),
        ("ọa", "oạ"),
        ("òe", "oè"),
        ("óe", "oé"),
        ("ỏe", "oẻ"),
        ("õe", "oẽ"),
        ("ọe", "oẹ"),
        ("ùy", "uỳ"),
        ("úy", "uý"),
        ("ủy", "uỷ"),
        ("ũy", "uỹ"),
        ("ụy", "uỵ"),
        ("Ủy", "Uỷ"),
        ("ỦY", "UỶ"),
    ];
    let mut out = s.to_string();
    for (a, b) in pairs {
        out = out.replace(a, b);
    }
    out
}

fn seed() -> Option<String> {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/xuan-loc-cchc-2021-2030.txt");
    std::fs::read_to_string(p).ok()
}

#[test]
fn encodings_of_one_text_give_one_parse() {
    let Some(text) = seed() else {
        eprintln!("skipped: seed not found");
        return;
    };
    let base = parse_value(&text);
    let old_tones = new_style_tones(&text);
    assert_ne!(old_tones, text, "the variant must differ");
    let variants = [
        ("NFD", text.nfd().collect::<String>()),
        ("tone placement", old_tones),
        ("Ð look-alike", text.replace('Đ', "Ð").replace('đ', "ð")),
        ("CRLF", text.replace('\n', "\r\n")),
        (
            "all at once",
            new_style_tones(&text)
                .replace('Đ', "Ð")
                .replace('\n', "\r\n")
                .nfd()
                .collect(),
        ),
    ];
    for (name, v) in variants {
        assert_eq!(parse_value(&v), base, "{name} variant parses differently");
    }
}

#[test]
fn corpus_files_in_messy_shapes_parse_like_clean_ones() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let clean: String = text
            .nfc()
            .collect::<String>()
            .replace("\r\n", "\n")
            .replace('Ð', "Đ");
        assert_eq!(parse_value(&text), parse_value(&clean), "{}", p.display());
        n += 1;
    }
    assert!(n >= 40);
}
