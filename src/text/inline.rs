//! Inline normalisation: one spelling for every character sequence, without touching lines.
//!
//! Applied in this order, so that each step sees the output of the previous one:
//! 1. invisible characters removed (zero-width space/joiners, BOM, word joiner, soft hyphen,
//!    direction marks, control characters) and every Unicode space (NBSP, thin space, ideographic
//!    space, tab, …) turned into an ASCII space — removal first, because a zero-width character
//!    between a letter and its combining mark would otherwise block composition;
//! 2. NFC ([`super::nfc`]);
//! 3. look-alikes (`Ð`→`Đ`, [`super::fix_lookalikes`]);
//! 4. classic tone placement ([`super::canonical_tones`]).
//!
//! Line breaks (`\n`, `\r`) are left where they are. The result is a fixed point: normalising
//! it again changes nothing.

use unicode_normalization::UnicodeNormalization;

use super::ascii::skip_printable;
use super::lookalikes::fix_char;
use super::nfc::is_nfc_fast;
use super::offsets::{Line, LineBuilder};
use super::tones::retone;

/// NFC, look-alikes, classic tones, invisible characters removed and Unicode spaces made ASCII.
pub fn normalize_inline(s: &str) -> String {
    normalize_line(Line::verbatim(s, 0)).text
}

/// What the character filter does with one character.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Keep,
    Drop,
    Space,
    Replace(char),
}

#[inline]
fn action(c: char) -> Action {
    match c {
        '\t' => Action::Replace(' '),
        '\n' | '\r' => Action::Keep,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Action::Drop,
        '\u{AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}' => Action::Drop,
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Action::Space
        }
        '\u{D0}' | '\u{F0}' => Action::Replace(fix_char(c)),
        _ => Action::Keep,
    }
}

/// Normalises one line (or any text) and keeps its offset map right.
pub(crate) fn normalize_line(line: Line) -> Line {
    if line.text.is_ascii() {
        // ASCII text is NFC and has no tone marks: only control characters may need work.
        return if line
            .text
            .bytes()
            .any(|b| b < 0x20 && b != b'\n' && b != b'\r' || b == 0x7F)
        {
            filter_chars(line)
        } else {
            line
        };
    }
    let (filter, simple) = scan(line.text.as_bytes());
    let line = if filter { filter_chars(line) } else { line };
    // After filtering, the quick NFC answer may have changed (a space replaced, a mark freed).
    let line = if simple && !filter {
        line
    } else {
        compose(line)
    };
    apply_tones(line)
}

/// One pass over the bytes of a non-ASCII line: whether it may contain a character to drop or
/// replace , and whether every character is a plain NFC starter
/// (lead bytes `00–7F`, `C2–CB`; `E1 B8–BB`; `E2 80 90–A7`), in which case it is NFC.
fn scan(b: &[u8]) -> (bool, bool) {
    let mut filter = false;
    let mut simple = true;
    let mut i = 0;
    while i < b.len() {
        i = skip_printable(b, i);
        if i >= b.len() {
            break;
        }
        let c = b[i];
        if c < 0x80 {
            if c < 0x20 && c != b'\n' && c != b'\r' || c == 0x7F {
                filter = true;
            }
            i += 1;
            continue;
        }
        let b1 = b.get(i + 1).copied().unwrap_or(0);
        let b2 = b.get(i + 2).copied().unwrap_or(0);
        match c {
            0xC2 => {
                filter = true;
                i += 2;
            }
            0xC3 => {
                filter |= b1 == 0x90 || b1 == 0xB0;
                i += 2;
            }
            0xC4..=0xCB => i += 2,
            0xCC..=0xDF => {
                simple = false;
                i += 2;
            }
            0xE1 => {
                filter |= b1 == 0x9A;
                simple &= (0xB8..=0xBB).contains(&b1);
                i += 3;
            }
            0xE2 => {
                filter |= (b1 == 0x80
                    && ((0x80..=0x8F).contains(&b2) || (0xA8..=0xAF).contains(&b2)))
                    || (b1 == 0x81 && (b2 == 0x9F || (0xA0..=0xA4).contains(&b2)));
                simple &= b1 == 0x80 && (0x90..=0xA7).contains(&b2);
                i += 3;
            }
            0xE3 | 0xEF => {
                filter = true;
                simple = false;
                i += 3;
            }
            0xE0..=0xEF => {
                simple = false;
                i += 3;
            }
            _ => {
                simple = false;
                i += 4;
            }
        }
    }
    (filter, simple)
}

fn filter_chars(line: Line) -> Line {
    let t = &line.text;
    let mut b = LineBuilder::with_capacity(t.len());
    let mut pending = 0;
    for (i, c) in t.char_indices() {
        let a = action(c);
        if a == Action::Keep {
            continue;
        }
        b.copy(&line, pending..i);
        let end = i + c.len_utf8();
        match a {
            Action::Keep | Action::Drop => {}
            Action::Space => b.replace(&line, i..end, " "),
            Action::Replace(r) => {
                let mut buf = [0u8; 4];
                let r = r.encode_utf8(&mut buf);
                if r.len() == end - i {
                    b.replace_same_shape(&line, i..end, r);
                } else {
                    b.replace(&line, i..end, r);
                }
            }
        }
        pending = end;
    }
    b.copy(&line, pending..t.len());
    b.finish(line.flags)
}

fn compose(line: Line) -> Line {
    if is_nfc_fast(&line.text) {
        return line;
    }
    // Composition never crosses an ASCII space, so words can be composed one at a time and
    // only the words that change lose their exact offsets.
    let t = &line.text;
    let mut b = LineBuilder::with_capacity(t.len());
    let mut start = 0;
    for (i, _) in t
        .match_indices([' ', '\n', '\r'])
        .chain(std::iter::once((t.len(), "")))
    {
        let word = &t[start..i];
        if is_nfc_fast(word) {
            b.copy(&line, start..i);
        } else {
            let composed: String = word.nfc().collect();
            b.replace(&line, start..i, &composed);
        }
        b.copy(&line, i..(i + 1).min(t.len()));
        start = i + 1;
    }
    b.finish(line.flags)
}

fn apply_tones(line: Line) -> Line {
    let t = &line.text;
    let mut b: Option<LineBuilder> = None;
    let mut pending = 0;
    retone(t, |r, rep| {
        let b = b.get_or_insert_with(|| LineBuilder::with_capacity(t.len()));
        b.copy(&line, pending..r.start);
        b.replace(&line, r.clone(), rep);
        pending = r.end;
    });
    match b {
        None => line,
        Some(mut b) => {
            b.copy(&line, pending..t.len());
            b.finish(line.flags)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_invisibles_and_unifies_spaces() {
        assert_eq!(
            normalize_inline("Quy\u{200B}ết\u{A0}định\u{2009}số\u{FEFF} 12\u{AD}3\u{2060}"),
            "Quyết định số 123"
        );
        assert_eq!(normalize_inline("a\tb\u{3000}c"), "a b c");
    }

    #[test]
    fn keeps_line_structure() {
        assert_eq!(normalize_inline("hoà\r\nthuỷ\n"), "hòa\r\nthủy\n");
    }

    #[test]
    fn nfd_input_equals_nfc_input() {
        let nfc = "Ủy ban nhân dân tỉnh Khánh Hòa – Điều 1. Thủy lợi";
        let nfd: String = nfc.nfd().collect();
        assert_eq!(normalize_inline(&nfd), normalize_inline(nfc));
        assert_eq!(normalize_inline(&nfd), nfc);
    }

    #[test]
    fn zero_width_between_letter_and_mark_does_not_block_composition() {
        assert_eq!(normalize_inline("ho\u{200B}a\u{300}"), "hòa");
    }

    #[test]
    fn variants_of_one_text_agree() {
        let variants = [
            "Ðiều 1. Hoà giải",
            "Điều 1. Hòa giải",
            "Đie\u{302}\u{300}u 1. Hoa\u{300} giải",
        ];
        let want = normalize_inline(variants[1]);
        for v in variants {
            assert_eq!(normalize_inline(v), want, "{v:?}");
        }
    }

    #[test]
    fn is_idempotent_on_examples() {
        for s in ["a\u{A0}\u{A0}b", "hoà\u{301}", "x\u{0}y", "Uỷ ban"] {
            let once = normalize_inline(s);
            assert_eq!(normalize_inline(&once), once);
        }
    }

    #[test]
    fn offsets_point_at_the_source() {
        let src = "a\u{A0}hoà b";
        let l = normalize_line(Line::verbatim(src, 10));
        assert_eq!(l.text, "a hòa b");
        // "b" is at output byte 7 and source byte 8 + 10.
        assert_eq!(l.locate(7), (18, true));
        // inside the re-toned syllable: its start.
        assert_eq!(l.locate(3), (13, false));
    }
}
