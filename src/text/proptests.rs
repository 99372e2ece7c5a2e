//! Property tests of the module's invariants on generated document-like text.

use proptest::prelude::*;
use unicode_normalization::{is_nfc, UnicodeNormalization};

use super::{normalize_document, normalize_inline};

/// Pieces that real inputs are made of: words in both tone styles and both normal forms,
/// markup, chrome, markers, numbers, odd spaces and line breaks.
const PIECES: &[&str] = &[
    "Điều 1.",
    "Ðiều",
    "hoà",
    "hòa",
    "thuỷ",
    "thủy",
    "Uỷ ban",
    "Ủy ban",
    "nhân dân",
    "HUYỆN",
    "XUÂN LỘC",
    "CỘNG HÒA XÃ",
    "HỘI CHỦ NGHĨA",
    "quyết định",
    "Căn cứ",
    "Luật số",
    "87/2025/QH15;",
    "2.",
    "a)",
    "đ)",
    "I.",
    "-",
    "+",
    "*",
    "**",
    "***",
    "_",
    "__",
    "\\",
    "\\.",
    "\\-",
    "|",
    "#",
    "## ",
    "> ",
    "---",
    "--------",
    "+----+",
    "(*)",
    "[Signature]",
    "(Đã ký)",
    "- 3 -",
    "12",
    "Trang 2",
    "Số:",
    "ngày 28 tháng 11 năm 2025",
    "Lai",
    "Châu,",
    ",",
    ".",
    ";",
    ":",
    "(",
    ")",
    "“",
    "”",
    "x",
    "A",
    "e\u{301}",
    "o\u{302}\u{300}",
    "\u{A0}",
    "\u{200B}",
    "\u{AD}",
    "\t",
    " ",
    "  ",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\u{FEFF}",
    "Đang tải văn bản...",
    "Số hiệu:",
    "Tình trạng:",
    "QUYẾT ĐỊNH",
    "Nơi nhận:",
    "kinh tế -",
    "(sau đây",
    "café",
    "UBND",
];

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| {
        let mut s = String::new();
        for p in v {
            s.push_str(p);
            if !p.ends_with(['\n', ' ', '\r']) {
                s.push(' ');
            }
        }
        s
    })
}

fn variants(s: &str) -> Vec<String> {
    vec![
        s.nfd().collect(),
        s.replace('Đ', "\u{D0}").replace('đ', "\u{F0}"),
        s.replace("hòa", "hoà")
            .replace("thủy", "thuỷ")
            .replace("Ủy", "Uỷ"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn inline_is_idempotent_and_nfc(s in doc()) {
        let once = normalize_inline(&s);
        prop_assert!(is_nfc(&once));
        prop_assert_eq!(normalize_inline(&once), once);
    }

    #[test]
    fn inline_on_any_text_is_idempotent(s in "\\PC{0,40}") {
        let once = normalize_inline(&s);
        prop_assert!(is_nfc(&once));
        prop_assert_eq!(normalize_inline(&once), once);
    }

    #[test]
    fn document_is_idempotent_and_clean(s in doc()) {
        let once = normalize_document(&s);
        prop_assert!(is_nfc(&once.text));
        for line in once.text.split('\n') {
            prop_assert!(!line.is_empty() || once.text.is_empty());
            prop_assert_eq!(line.trim(), line);
            prop_assert!(!line.contains("  "));
        }
        let twice = normalize_document(&once.text);
        prop_assert_eq!(twice.text, once.text);
    }

    #[test]
    fn spelling_variants_give_one_output(s in doc()) {
        let want = normalize_document(&s).text;
        for v in variants(&s) {
            prop_assert_eq!(&normalize_document(&v).text, &want, "variant {:?}", v);
        }
    }

    #[test]
    fn line_starts_map_into_the_source(s in doc()) {
        let n = normalize_document(&s);
        let source_lines = s.split('\n').count() + s.matches('\r').count();
        let mut off = 0;
        for line in n.text.split('\n') {
            let (l, c) = n.line_col(off);
            prop_assert!(l >= 1 && l <= source_lines, "line {} of {}", l, source_lines);
            prop_assert!(c >= 1);
            let so = n.source_offset(off);
            prop_assert!(so <= s.len());
            off += line.len() + 1;
        }
    }
}
