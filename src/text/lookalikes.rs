//! Look-alike letters.
//!
//! `Ð` (U+00D0, Icelandic eth) and `Đ` (U+0110, Vietnamese d with stroke) look the same in most
//! fonts, and legacy converters and some keyboards produce the former. A search for "Điều"
//! must still find "Ðiều", so the eth is mapped to the Vietnamese letter, in both cases.

/// Maps `Ð`→`Đ` and `ð`→`đ`. Both pairs have the same UTF-8 length, so byte offsets are kept.
pub fn fix_lookalikes(s: &str) -> String {
    if !has_lookalike(s) {
        return s.to_owned();
    }
    s.chars().map(fix_char).collect()
}

/// Whether `s` contains a character that [`fix_lookalikes`] would change.
#[inline]
pub(crate) fn has_lookalike(s: &str) -> bool {
    // Both eths start with the byte 0xC3 followed by 0x90 or 0xB0.
    s.as_bytes()
        .windows(2)
        .any(|w| w[0] == 0xC3 && (w[1] == 0x90 || w[1] == 0xB0))
}

/// The replacement for one character (itself when it is not a look-alike).
#[inline]
pub(crate) fn fix_char(c: char) -> char {
    match c {
        '\u{D0}' => '\u{110}',
        '\u{F0}' => '\u{111}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eth_becomes_d_with_stroke() {
        assert_eq!(fix_lookalikes("Ðiều 1. ðồng"), "Điều 1. đồng");
        assert_eq!(fix_lookalikes("Ðiều").len(), "Điều".len());
    }

    #[test]
    fn other_text_is_unchanged() {
        for s in ["Điều", "đ", "abc", "Ñ ñ Ø ø", ""] {
            assert_eq!(fix_lookalikes(s), s);
            assert!(!has_lookalike(s));
        }
    }
}
