//! Search folding.
//!
//! A search key must match whatever a user types: with or without diacritics, in any case,
//! with `d` for `đ`. SQLite's FTS5 folding does not turn `đ` into `d` (so "quyet dinh" misses
//! "Quyết định" there); this fold does.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::tone_table::{vowel, BASE_ASCII};

/// Lower-cases and strips every diacritic, mapping `đ`/`Đ` (and the look-alike eth) to `d`.
///
/// Works on NFC and NFD input alike: combining marks are dropped wherever they stand.
/// `"Quyết định"` → `"quyet dinh"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if let Some(v) = vowel(c) {
            out.push(BASE_ASCII[v.base as usize]);
            continue;
        }
        match c {
            'đ' | 'Đ' | '\u{D0}' | '\u{F0}' => out.push('d'),
            c if is_combining_mark(c) => {}
            c => decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Quyết định"), "quyet dinh");
        assert_eq!(fold("ĐIỀU 1. Ủy ban nhân dân"), "dieu 1. uy ban nhan dan");
        assert_eq!(fold("Ðiều"), "dieu");
        assert_eq!(fold("hoà hòa HOÀ"), "hoa hoa hoa");
        assert_eq!(fold("ươ Ư ă Â ê Ô"), "uo u a a e o");
    }

    #[test]
    fn nfd_and_nfc_fold_alike() {
        let s = "Cộng hòa xã hội chủ nghĩa Việt Nam – Độc lập";
        assert_eq!(fold(&s.nfd().collect::<String>()), fold(s));
        assert_eq!(fold(s), "cong hoa xa hoi chu nghia viet nam – doc lap");
    }

    #[test]
    fn other_scripts_lose_marks_only() {
        assert_eq!(fold("Ñandú Øre café"), "nandu øre cafe");
    }
}
