//! Legacy Vietnamese font encodings (TCVN3/ABC, VNI): byte-to-Unicode tables, both ways.
//!
//! Before Unicode, Vietnamese offices typed with fonts that drew Vietnamese letters in place of
//! Latin-1 ones. The text is therefore Latin-1 (or Windows-1252) characters whose meaning
//! depends on the font:
//!
//! * **TCVN3** (ABC, TCVN 5712:1993 "VN3"; fonts `.VnTime`, `.VnArial`, … and their upper-case
//!   twins `.VnTimeH`, `.VnArialH`, …): one byte per letter. The code page has the lower-case
//!   letters with every tone, and only seven upper-case letters (Ă Â Ê Ô Ơ Ư Đ). Capitals with
//!   a tone are drawn by the `…H` fonts, whose glyphs for the lower-case codes are capitals —
//!   so text in an `H` font is converted and then upper-cased.
//! * **VNI** (VNI-Windows; fonts `VNI-Times`, `VNI-Helve`, …): an ASCII base letter followed
//!   by one mark byte (tone, circumflex, breve, or circumflex/breve with tone). `ơ ư đ`, the
//!   toned `i` and `ỵ` are single bytes. Capitals use the upper-case mark bytes.
//!
//! Bytes 0x80–0x9F are read as Windows-1252 (curly quotes, dashes), as Windows showed them
//! with these fonts. The tables were checked against public converters (ABC/Unikey tables)
//! and are verified here by round trips over every Vietnamese letter.

use unicode_normalization::UnicodeNormalization;

use super::Encoding;

/// TCVN3 code (as a Latin-1 character) → Unicode letter.
const TCVN3: [(u8, char); 74] = [
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFD, 'ý'),
    (0xFE, 'ỵ'),
];

/// The TCVN3 decoding of one Latin-1 character; `None` when the code is not a letter.
fn tcvn3_char(c: char) -> Option<char> {
    let u = c as u32;
    if !(0xA1..=0xFE).contains(&u) {
        return None;
    }
    TCVN3
        .binary_search_by_key(&(u as u8), |(b, _)| *b)
        .ok()
        .map(|i| TCVN3[i].1)
}

/// Whether a TCVN3 code is a lower-case toned letter with no upper-case code of its own (the
/// ones `.VnTimeH` draws as capitals).
fn tcvn3_lower_only(c: char) -> bool {
    matches!(c as u32, 0xB5..=0xFE) && tcvn3_char(c).is_some()
}

/// The mark a VNI byte adds after a base letter, as combining characters, and which bases take
/// it: `'t'` any vowel (tone), `'h'` a e o (circumflex, alone or with a tone), `'b'` a only
/// (breve, alone or with a tone).
fn vni_mark(c: char) -> Option<(&'static str, char)> {
    Some(match c.to_lowercase().next().unwrap_or(c) {
        'ø' => ("\u{300}", 't'),
        'ù' => ("\u{301}", 't'),
        'û' => ("\u{309}", 't'),
        'õ' => ("\u{303}", 't'),
        'ï' => ("\u{323}", 't'),
        'â' => ("\u{302}", 'h'),
        'à' => ("\u{302}\u{300}", 'h'),
        'á' => ("\u{302}\u{301}", 'h'),
        'å' => ("\u{302}\u{309}", 'h'),
        'ã' => ("\u{302}\u{303}", 'h'),
        'ä' => ("\u{302}\u{323}", 'h'),
        'ê' => ("\u{306}", 'b'),
        'è' => ("\u{306}\u{300}", 'b'),
        'é' => ("\u{306}\u{301}", 'b'),
        'ú' => ("\u{306}\u{309}", 'b'),
        'ü' => ("\u{306}\u{303}", 'b'),
        'ë' => ("\u{306}\u{323}", 'b'),
        _ => return None,
    })
}

/// VNI single-byte letters.
fn vni_single(c: char) -> Option<char> {
    Some(match c {
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        'ì' => 'ì',
        'Ì' => 'Ì',
        'í' => 'í',
        'Í' => 'Í',
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        'î' => 'ỵ',
        'Î' => 'Ỵ',
        _ => return None,
    })
}

/// Converts text typed in a TCVN3 font (Latin-1 characters, as stored in a `.docx` run) to
/// Unicode. Characters that are not TCVN3 letters pass through.
pub fn tcvn3_to_unicode(s: &str) -> String {
    s.chars().map(|c| tcvn3_char(c).unwrap_or(c)).collect()
}

/// [`tcvn3_to_unicode`] for an upper-case font (`.VnTimeH`): every letter a capital.
pub fn tcvn3_upper_to_unicode(s: &str) -> String {
    tcvn3_to_unicode(s).to_uppercase()
}

/// Converts text typed in a VNI font to Unicode (NFC). A mark byte that follows no letter it
/// can go on stays the Latin-1 character it is.
pub fn vni_to_unicode(s: &str) -> String {
    vni_decode(s).0
}

/// [`vni_to_unicode`], also counting the marks that had no letter to go on (a sign that the
/// text is not VNI).
pub(crate) fn vni_decode(s: &str) -> (String, usize) {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    let mut orphans = 0;
    // What the last character can still take: 0 nothing, else the base letter (lower case).
    let mut base: Option<char> = None;
    let mut marked = false;
    for c in s.chars() {
        if let (Some(b), Some((mark, kind))) = (base, vni_mark(c)) {
            let fits = !marked
                && match kind {
                    't' => true,
                    'h' => matches!(b, 'a' | 'e' | 'o'),
                    _ => b == 'a',
                };
            if fits {
                out.push_str(mark);
                marked = true;
                continue;
            }
        }
        if let Some(l) = vni_single(c) {
            out.push(l);
            // ơ and ư take a tone mark after them.
            base = matches!(l, 'ơ' | 'Ơ' | 'ư' | 'Ư').then_some('ơ');
            marked = false;
            continue;
        }
        if vni_mark(c).is_some() {
            orphans += 1;
        }
        out.push(c);
        base = match c.to_ascii_lowercase() {
            b @ ('a' | 'e' | 'o' | 'u' | 'y') if c.is_ascii() => Some(b),
            _ => None,
        };
        marked = false;
    }
    (out.nfc().collect(), orphans)
}

/// Decodes bytes typed in TCVN3 (a plain-text file). Without the font, capitals with a tone
/// are lost: a toned letter is written in lower case in words and lines typed in capitals
/// ("ñY BAN" for "ỦY BAN"), so such letters are upper-cased where their word (or, for a
/// word of one capital and toned letters, their line) is in capitals.
pub fn tcvn3_bytes_to_unicode(bytes: &[u8]) -> String {
    let latin = windows_1252(bytes);
    let mut out = String::with_capacity(latin.len() + latin.len() / 4);
    for line in latin.split_inclusive('\n') {
        restore_capitals(line, &mut out);
    }
    out
}

/// Decodes bytes typed in VNI (a plain-text file).
pub fn vni_bytes_to_unicode(bytes: &[u8]) -> String {
    vni_to_unicode(&windows_1252(bytes))
}

/// Bytes as Windows-1252 characters (every byte maps; the five undefined ones to C1 controls).
pub(crate) fn windows_1252(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// One TCVN3 line (Latin-1 characters) to Unicode, restoring capitals (see
/// [`tcvn3_bytes_to_unicode`]).
fn restore_capitals(line: &str, out: &mut String) {
    // Words: runs of letters (a TCVN3 code counts as a letter).
    let chars: Vec<char> = line.chars().collect();
    let is_letter = |c: char| c.is_alphabetic() || tcvn3_char(c).is_some();
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_letter(chars[i]) {
            let s = i;
            while i < chars.len() && is_letter(chars[i]) {
                i += 1;
            }
            words.push((s, i));
        } else {
            i += 1;
        }
    }
    // Pass 1: a word whose other letters are capitals (two or more, or one after a toned
    // letter: "ñY") is in capitals. A word of one capital and toned letters is undecided.
    #[derive(Clone, Copy, PartialEq)]
    enum Caps {
        Yes,
        No,
        Undecided,
        Plain,
    }
    let mut decision = Vec::with_capacity(words.len());
    let mut line_has_lower = false;
    for &(s, e) in &words {
        let w = &chars[s..e];
        if !w.iter().any(|c| tcvn3_lower_only(*c)) {
            if w.iter()
                .any(|c| c.is_lowercase() && tcvn3_char(*c).is_none_or(|u| u.is_lowercase()))
            {
                line_has_lower = true;
            }
            decision.push(Caps::Plain);
            continue;
        }
        let mut others = 0;
        let mut all_upper = true;
        let mut upper_after_toned = false;
        let mut seen_toned = false;
        for &c in w {
            if tcvn3_lower_only(c) {
                seen_toned = true;
                continue;
            }
            let u = tcvn3_char(c).unwrap_or(c);
            if u.is_uppercase() {
                others += 1;
                upper_after_toned |= seen_toned;
            } else if u.is_lowercase() {
                others += 1;
                all_upper = false;
            }
        }
        let d = if !all_upper {
            line_has_lower = true;
            Caps::No
        } else if others >= 2 || upper_after_toned {
            Caps::Yes
        } else {
            Caps::Undecided
        };
        decision.push(d);
    }
    // Pass 2: undecided words follow their line when the line is in capitals (no lower-case
    // letter and another word that had to be restored).
    let line_caps = !line_has_lower && decision.contains(&Caps::Yes);
    let mut next = 0;
    for (k, &(s, e)) in words.iter().enumerate() {
        for &c in &chars[next..s] {
            out.push(tcvn3_char(c).unwrap_or(c));
        }
        let upper = match decision[k] {
            Caps::Yes => true,
            Caps::Undecided => line_caps,
            _ => false,
        };
        for &c in &chars[s..e] {
            let u = tcvn3_char(c).unwrap_or(c);
            if upper && tcvn3_lower_only(c) {
                out.extend(u.to_uppercase());
            } else {
                out.push(u);
            }
        }
        next = e;
    }
    for &c in &chars[next..] {
        out.push(tcvn3_char(c).unwrap_or(c));
    }
}

/// A legacy font named by a run's `w:rFonts`: its encoding and whether it draws capitals only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegacyFont {
    pub encoding: Encoding,
    /// The `…H` twin of a TCVN3 font (`.VnTimeH`): lower-case codes drawn as capitals.
    pub upper: bool,
}

impl LegacyFont {
    /// Converts text typed in this font to Unicode.
    pub fn to_unicode(self, s: &str) -> String {
        match (self.encoding, self.upper) {
            (Encoding::Tcvn3, true) => tcvn3_upper_to_unicode(s),
            (Encoding::Tcvn3, false) => tcvn3_to_unicode(s),
            (Encoding::Vni, true) => vni_to_unicode(s).to_uppercase(),
            _ => vni_to_unicode(s),
        }
    }
}

/// The legacy encoding of a font: `.Vn…` fonts are TCVN3 (ABC), `VNI-…` fonts are VNI.
pub fn font_encoding(font: &str) -> Option<Encoding> {
    legacy_font(font).map(|f| f.encoding)
}

/// [`font_encoding`] with the upper-case flag: a TCVN3 font whose name ends in `H`
/// (`.VnTimeH`, `.VnArial NarrowH`) draws capitals only.
pub fn legacy_font(font: &str) -> Option<LegacyFont> {
    let name = font.trim();
    let lower = name.to_ascii_lowercase();
    if lower.starts_with(".vn") {
        return Some(LegacyFont {
            encoding: Encoding::Tcvn3,
            upper: name.ends_with('H'),
        });
    }
    if lower.starts_with("vni-") || lower.starts_with("vni ") {
        return Some(LegacyFont {
            encoding: Encoding::Vni,
            upper: false,
        });
    }
    None
}

/// A character a legacy encoder cannot write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{encoding} cannot write `{ch}` ({})", .ch.escape_unicode())]
pub struct Unencodable {
    pub encoding: Encoding,
    pub ch: char,
}

/// Splits a precomposed letter into its base (with breve/circumflex/horn) and tone mark.
fn split_tone(c: char) -> (String, Option<char>) {
    let d: String = std::iter::once(c).nfd().collect();
    let tone = d
        .chars()
        .find(|m| matches!(m, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'));
    let base: String = d.chars().filter(|m| Some(*m) != tone).nfc().collect();
    (base, tone)
}

/// Windows-1252 byte of a character outside the letters, if it has one.
fn cp1252_byte(c: char) -> Option<u8> {
    let mut buf = [0u8; 4];
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
    (!bad && bytes.len() == 1).then(|| bytes[0])
}

/// Encodes Unicode text as TCVN3 bytes. Capitals with a tone have no code: with
/// `lower_toned_capitals` they are written in lower case (as in a `.VnTimeH` run), otherwise
/// they are an error.
pub fn unicode_to_tcvn3(s: &str, lower_toned_capitals: bool) -> Result<Vec<u8>, Unencodable> {
    let err = |ch| Unencodable {
        encoding: Encoding::Tcvn3,
        ch,
    };
    let mut out = Vec::with_capacity(s.len());
    for c in s.nfc() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        if let Some(&(b, _)) = TCVN3.iter().find(|(_, u)| *u == c) {
            out.push(b);
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        if lower != c && lower_toned_capitals {
            if let Some(&(b, _)) = TCVN3.iter().find(|(_, u)| *u == lower) {
                out.push(b);
                continue;
            }
        }
        match cp1252_byte(c) {
            Some(b) if tcvn3_char(b as char).is_none() && !c.is_alphabetic() => out.push(b),
            _ => return Err(err(c)),
        }
    }
    Ok(out)
}

/// Encodes Unicode text as VNI bytes.
pub fn unicode_to_vni(s: &str) -> Result<Vec<u8>, Unencodable> {
    let err = |ch| Unencodable {
        encoding: Encoding::Vni,
        ch,
    };
    let mut out = Vec::with_capacity(s.len() + s.len() / 4);
    for c in s.nfc() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let upper = c.is_uppercase();
        let (base, tone) = split_tone(c.to_lowercase().next().unwrap_or(c));
        let tone_byte = |t: char| -> u8 {
            match t {
                '\u{300}' => 0xF8,
                '\u{301}' => 0xF9,
                '\u{309}' => 0xFB,
                '\u{303}' => 0xF5,
                _ => 0xEF,
            }
        };
        let case = |b: u8| if upper { b - 0x20 } else { b };
        let letter = |b: u8| if upper { b.to_ascii_uppercase() } else { b };
        let mut push = |bytes: &[u8]| out.extend_from_slice(bytes);
        match (base.as_str(), tone) {
            ("i", Some(t)) => push(&[case(match t {
                '\u{300}' => 0xEC,
                '\u{301}' => 0xED,
                '\u{309}' => 0xE6,
                '\u{303}' => 0xF3,
                _ => 0xF2,
            })]),
            ("y", Some('\u{323}')) => push(&[case(0xEE)]),
            ("â" | "ê" | "ô", t) => {
                let b = base.chars().next().map_or(b'a', |c| match c {
                    'â' => b'a',
                    'ê' => b'e',
                    _ => b'o',
                });
                let m = match t {
                    None => 0xE2,
                    Some('\u{300}') => 0xE0,
                    Some('\u{301}') => 0xE1,
                    Some('\u{309}') => 0xE5,
                    Some('\u{303}') => 0xE3,
                    Some(_) => 0xE4,
                };
                push(&[letter(b), case(m)]);
            }
            ("ă", t) => {
                let m = match t {
                    None => 0xEA,
                    Some('\u{300}') => 0xE8,
                    Some('\u{301}') => 0xE9,
                    Some('\u{309}') => 0xFA,
                    Some('\u{303}') => 0xFC,
                    Some(_) => 0xEB,
                };
                push(&[letter(b'a'), case(m)]);
            }
            ("ơ" | "ư" | "đ", t) => {
                let b = match base.as_str() {
                    "ơ" => 0xF4,
                    "ư" => 0xF6,
                    _ => 0xF1,
                };
                push(&[case(b)]);
                if let Some(t) = t {
                    push(&[case(tone_byte(t))]);
                }
            }
            ("a" | "e" | "o" | "u" | "y", Some(t)) => {
                push(&[letter(base.as_bytes()[0]), case(tone_byte(t))]);
            }
            _ => match cp1252_byte(c) {
                Some(b)
                    if vni_mark(b as char).is_none()
                        && vni_single(b as char).is_none()
                        && !c.is_alphabetic() =>
                {
                    push(&[b])
                }
                _ => return Err(err(c)),
            },
        }
    }
    Ok(out)
}

/// Encodes Unicode text as Windows-1258 the way Windows writes it: letters with a modifier
/// (ă â ê ô ơ ư đ) and the few toned letters the code page has are single bytes, other tones
/// a combining-mark byte after the letter.
pub fn unicode_to_windows_1258(s: &str) -> Result<Vec<u8>, Unencodable> {
    let enc = encoding_rs::WINDOWS_1258;
    let mut out = Vec::with_capacity(s.len());
    let mut buf = [0u8; 4];
    for c in s.nfc() {
        let (b, _, bad) = enc.encode(c.encode_utf8(&mut buf));
        if !bad {
            out.extend_from_slice(&b);
            continue;
        }
        let (base, tone) = split_tone(c);
        let err = Unencodable {
            encoding: Encoding::Windows1258,
            ch: c,
        };
        let Some(tone) = tone else { return Err(err) };
        let (b, _, bad) = enc.encode(&base);
        let (t, _, bad_tone) = enc.encode(tone.encode_utf8(&mut buf));
        if bad || bad_tone {
            return Err(err);
        }
        out.extend_from_slice(&b);
        out.extend_from_slice(&t);
    }
    Ok(out)
}

/// Every Vietnamese letter (both cases, every tone), for tests and measurements.
pub fn vietnamese_letters() -> Vec<char> {
    let tones = ['\0', '\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];
    let mut out = Vec::new();
    for base in [
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "A", "Ă", "Â", "E", "Ê", "I",
        "O", "Ô", "Ơ", "U", "Ư", "Y",
    ] {
        for t in tones {
            let s: String = if t == '\0' {
                base.to_string()
            } else {
                format!("{base}{t}").nfc().collect()
            };
            let mut cs = s.chars();
            if let (Some(c), None) = (cs.next(), cs.next()) {
                if !c.is_ascii() || t == '\0' {
                    out.push(c);
                }
            }
        }
    }
    out.extend(['đ', 'Đ']);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_table_is_sorted_and_one_to_one() {
        assert!(TCVN3.windows(2).all(|w| w[0].0 < w[1].0));
        let mut letters: Vec<char> = TCVN3.iter().map(|(_, c)| *c).collect();
        letters.sort();
        letters.dedup();
        assert_eq!(letters.len(), TCVN3.len());
    }

    #[test]
    fn tcvn3_round_trips_every_lower_case_letter_and_the_seven_capitals() {
        for c in vietnamese_letters() {
            let s = c.to_string();
            let has_code = c.is_lowercase() || "ĂÂÊÔƠƯĐ".contains(c) || c.is_ascii();
            let bytes = unicode_to_tcvn3(&s, false);
            if has_code {
                let bytes = bytes.unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(bytes.len(), 1, "{c}");
                assert_eq!(tcvn3_bytes_to_unicode(&bytes), s, "{c}");
            } else {
                assert!(bytes.is_err(), "{c} has no TCVN3 code");
                // In an upper-case font the lower-case code draws the capital.
                let b = unicode_to_tcvn3(&s, true).unwrap();
                let latin: String = b.iter().map(|&b| b as char).collect();
                assert_eq!(tcvn3_upper_to_unicode(&latin), s);
            }
        }
    }

    #[test]
    fn vni_round_trips_every_letter() {
        for c in vietnamese_letters() {
            let s = c.to_string();
            let bytes = unicode_to_vni(&s).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(vni_bytes_to_unicode(&bytes), s, "{c}: {bytes:02X?}");
        }
    }

    #[test]
    fn known_spellings() {
        // As the fonts' users typed them.
        assert_eq!(
            tcvn3_to_unicode("Quy ®Þnh gi¸ tèi ®a"),
            "Quy định giá tối đa"
        );
        assert_eq!(tcvn3_to_unicode("§iÒu 1. Ph¹m vi"), "Điều 1. Phạm vi");
        assert_eq!(tcvn3_upper_to_unicode("quyÕt ®Þnh"), "QUYẾT ĐỊNH");
        assert_eq!(
            vni_to_unicode("Quy ñònh giaù toái ña"),
            "Quy định giá tối đa"
        );
        assert_eq!(vni_to_unicode("ÑIEÀU 1. Phaïm vi"), "ĐIỀU 1. Phạm vi");
        assert_eq!(
            vni_to_unicode("ngöôøi, khuyeán, naêm, Ngaøy"),
            "người, khuyến, năm, Ngày"
        );
    }

    #[test]
    fn tcvn3_text_files_get_their_capitals_back() {
        let latin = "ñY BAN NH¢N D¢N\nTØNH Hµ L¢M\nSè: 27/2021/Q§-UBND\nHµ L©m, ngµy 10";
        let bytes: Vec<u8> = latin.chars().map(|c| c as u8).collect();
        assert_eq!(
            tcvn3_bytes_to_unicode(&bytes),
            "ỦY BAN NHÂN DÂN\nTỈNH HÀ LÂM\nSố: 27/2021/QĐ-UBND\nHà Lâm, ngày 10"
        );
    }

    #[test]
    fn vni_marks_without_a_letter_stay_and_are_counted() {
        let (s, orphans) = vni_decode("1ù xù");
        assert_eq!(s, "1ù xù");
        assert_eq!(orphans, 2);
        let (s, orphans) = vni_decode("caùc");
        assert_eq!(s, "các");
        assert_eq!(orphans, 0);
    }

    #[test]
    fn fonts() {
        assert_eq!(font_encoding(".VnTime"), Some(Encoding::Tcvn3));
        assert_eq!(
            legacy_font(".VnTimeH"),
            Some(LegacyFont {
                encoding: Encoding::Tcvn3,
                upper: true
            })
        );
        assert!(legacy_font(".VnArial NarrowH").unwrap().upper);
        assert!(!legacy_font(".VnArial Narrow").unwrap().upper);
        assert_eq!(font_encoding("VNI-Times"), Some(Encoding::Vni));
        assert_eq!(font_encoding("VNI-Helve-Condense"), Some(Encoding::Vni));
        assert_eq!(font_encoding("Times New Roman"), None);
        assert_eq!(font_encoding("Vani"), None);
    }

    #[test]
    fn windows_1258_round_trips_every_letter_decomposed() {
        for c in vietnamese_letters() {
            let bytes = unicode_to_windows_1258(&c.to_string()).unwrap();
            let back: String = encoding_rs::WINDOWS_1258
                .decode_without_bom_handling(&bytes)
                .0
                .nfc()
                .collect();
            assert_eq!(back, c.to_string(), "{bytes:02X?}");
        }
        // "ế" is ê + combining acute, as Windows writes it.
        assert_eq!(unicode_to_windows_1258("ế").unwrap(), vec![0xEA, 0xEC]);
    }

    #[test]
    fn punctuation_outside_the_letters_passes() {
        let b = unicode_to_tcvn3("“Điều 1” – m³", false).unwrap();
        assert_eq!(tcvn3_bytes_to_unicode(&b), "“Điều 1” – m³");
        let b = unicode_to_vni("“Điều 1” – m³").unwrap();
        assert_eq!(vni_bytes_to_unicode(&b), "“Điều 1” – m³");
        assert!(unicode_to_vni("漢").is_err());
    }
}
