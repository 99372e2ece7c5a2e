//! Unicode NFC.
//!
//! Text converted from PDF, Word or old encodings often carries decomposed letters (a base
//! letter followed by combining tone marks). They look identical but compare, index and
//! tokenise differently, so every text is composed first.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Returns `s` in Unicode NFC. Already-composed text (the common case) is only scanned.
pub fn nfc(s: &str) -> String {
    if is_nfc_fast(s) {
        s.to_owned()
    } else {
        s.nfc().collect()
    }
}

/// A quick, conservative NFC check.
///
/// Vietnamese text in NFC consists almost entirely of ASCII, Latin-1, Latin Extended-A/B and
/// the Latin Extended Additional block (U+1E00–U+1EFF), plus some punctuation. Every character
/// in those ranges is a starter that is allowed in NFC, so a text made only of them is NFC
/// without consulting the normalisation tables; anything else falls back to `is_nfc_quick`.
pub(crate) fn is_nfc_fast(s: &str) -> bool {
    if s.is_ascii() {
        return true;
    }
    let simple = s.chars().all(|c| {
        let u = c as u32;
        u < 0x300 || (0x1E00..=0x1EFF).contains(&u) || (0x2010..=0x2027).contains(&u)
    });
    simple || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_decomposed_vietnamese() {
        let nfd = "Quye\u{302}\u{301}t đi\u{323}nh";
        assert_eq!(nfc(nfd), "Quyết định");
        assert!(!is_nfc_fast(nfd));
    }

    #[test]
    fn composed_text_is_returned_as_is() {
        let s = "Ủy ban nhân dân – “Điều 1”";
        assert!(is_nfc_fast(s));
        assert_eq!(nfc(s), s);
    }

    #[test]
    fn fast_check_agrees_with_the_library() {
        for s in [
            "abc",
            "Đ",
            "e\u{301}",
            "\u{212B}",
            "Å",
            "\u{1E9B}\u{323}",
            "ờ",
            "\u{2000}",
        ] {
            let lib = is_nfc_quick(s.chars()) == IsNormalized::Yes;
            assert!(
                !is_nfc_fast(s) || lib || s.nfc().collect::<String>() == s,
                "{s:?}"
            );
        }
    }
}
