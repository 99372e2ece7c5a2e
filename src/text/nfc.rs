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
    simple_starters(s.as_bytes()) || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// Whether every character is in U+0000–U+02FF, U+1E00–U+1EFF or U+2010–U+2027, checked on
/// the UTF-8 bytes (lead bytes `00–7F`, `C2–CB`; `E1 B8–BB`; `E2 80 90–A7`).
fn simple_starters(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            i += 1;
        } else if (0xC2..=0xCB).contains(&c) {
            i += 2;
        } else if (c == 0xE1 && b.get(i + 1).is_some_and(|x| (0xB8..=0xBB).contains(x)))
            || (c == 0xE2
                && b.get(i + 1) == Some(&0x80)
                && b.get(i + 2).is_some_and(|x| (0x90..=0xA7).contains(x)))
        {
            i += 3;
        } else {
            return false;
        }
    }
    true
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
