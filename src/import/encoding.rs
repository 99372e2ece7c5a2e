//! Plain-text files: which encoding they are in, and their text as UTF-8.
//!
//! An office's archive holds text in UTF-8 (with or without a BOM), UTF-16 (with or without a
//! BOM), Windows-1258 (*bảng mã* of Windows, with combining tone marks) and the two font
//! encodings of the 1990s and 2000s, TCVN3 (ABC) and VNI (see [`super::legacy_fonts`]).
//! [`detect`] decides in this order:
//!
//! 1. a byte-order mark (UTF-8, UTF-16 LE/BE): certain;
//! 2. UTF-16 without a BOM, by where the zero bytes fall (ASCII characters have a zero high
//!    byte);
//! 3. valid UTF-8: certain (a legacy file of any length is practically never valid UTF-8);
//! 4. otherwise each legacy candidate is decoded and scored by how Vietnamese the result looks
//!    ([`vietnamese_score`]): the share of its words with non-ASCII letters that are valid
//!    Vietnamese syllables (onset, vowel cluster, coda, and the tone a coda allows), less the
//!    characters no Vietnamese text has (stray marks, `µ ¸ ¶` …).
//!
//! The best candidate is taken when it is clearly ahead ([`MIN_CONFIDENCE`], [`MIN_MARGIN`]);
//! otherwise the file is refused with the candidates and their scores, and `--encoding NAME`
//! forces one. Bytes that look like no Vietnamese encoding at all keep the plain "not valid
//! UTF-8" error at the first bad byte. Nothing is ever replaced by U+FFFD: a forced encoding
//! that cannot decode a byte is an error naming its line and column.

use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

use super::legacy_fonts;
use super::{ImportOptions, Imported, SourceFormat};

/// The encodings a plain-text file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-8 starting with a byte-order mark (Windows Notepad's "UTF-8 with BOM").
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16le,
    #[serde(rename = "utf-16be")]
    Utf16be,
    /// Windows-1258: Vietnamese Windows code page, tone marks as combining characters.
    #[serde(rename = "windows-1258")]
    Windows1258,
    /// TCVN3 (ABC, TCVN 5712 VN3): the `.VnTime` fonts.
    Tcvn3,
    /// VNI-Windows: the `VNI-Times` fonts.
    Vni,
}

impl Encoding {
    /// Every encoding, in the order `--help` lists them.
    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf8Bom,
        Encoding::Utf16le,
        Encoding::Utf16be,
        Encoding::Windows1258,
        Encoding::Tcvn3,
        Encoding::Vni,
    ];

    /// The name `--encoding` takes and messages print.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16le => "utf-16le",
            Encoding::Utf16be => "utf-16be",
            Encoding::Windows1258 => "windows-1258",
            Encoding::Tcvn3 => "tcvn3",
            Encoding::Vni => "vni",
        }
    }

    /// The legacy (pre-Unicode) encodings, told apart by scoring.
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            Encoding::Windows1258 | Encoding::Tcvn3 | Encoding::Vni
        )
    }

    /// How a warning names it.
    fn label(self) -> &'static str {
        match self {
            Encoding::Tcvn3 => "TCVN3",
            Encoding::Vni => "VNI",
            Encoding::Windows1258 => "Windows-1258",
            Encoding::Utf16le => "UTF-16 LE",
            Encoding::Utf16be => "UTF-16 BE",
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An `--encoding` value that names no encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown encoding `{0}`; one of: utf-8, utf-8-bom, utf-16le, utf-16be, windows-1258, tcvn3, vni")]
pub struct UnknownEncoding(pub String);

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    /// Takes the kebab-case names and common spellings (`utf8`, `cp1258`, `abc`, `vni-windows`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        Ok(match k.as_str() {
            "utf8" => Encoding::Utf8,
            "utf8bom" | "utf8sig" => Encoding::Utf8Bom,
            "utf16le" | "utf16" => Encoding::Utf16le,
            "utf16be" => Encoding::Utf16be,
            "windows1258" | "cp1258" | "win1258" => Encoding::Windows1258,
            "tcvn3" | "tcvn" | "abc" | "vn3" => Encoding::Tcvn3,
            "vni" | "vniwindows" => Encoding::Vni,
            _ => return Err(UnknownEncoding(s.to_string())),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EncodingError {
    #[error(
        "not valid UTF-8 (byte {byte}) and not like any Vietnamese encoding; convert the file \
         to UTF-8 or name its encoding with --encoding NAME"
    )]
    InvalidUtf8 {
        line: usize,
        column: usize,
        byte: usize,
    },
    #[error("cannot tell the encoding: {}; force one with --encoding NAME", candidates_list(.candidates))]
    Undetermined { candidates: Vec<(Encoding, f32)> },
    #[error("byte {byte} (0x{value:02X}) cannot be read as {encoding}")]
    Undecodable {
        encoding: Encoding,
        line: usize,
        column: usize,
        byte: usize,
        value: u8,
    },
    #[error("{encoding} text has an odd number of bytes: the last character is cut")]
    OddUtf16 {
        encoding: Encoding,
        line: usize,
        column: usize,
    },
    #[error("unpaired UTF-16 surrogate (code unit 0x{unit:04X}) in {encoding} text")]
    UnpairedSurrogate {
        encoding: Encoding,
        line: usize,
        column: usize,
        unit: u16,
    },
}

fn candidates_list(c: &[(Encoding, f32)]) -> String {
    c.iter()
        .map(|(e, s)| format!("{e} {s:.2}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl EncodingError {
    /// 1-based line and column of the error, when it has one.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            EncodingError::InvalidUtf8 { line, column, .. }
            | EncodingError::Undecodable { line, column, .. }
            | EncodingError::OddUtf16 { line, column, .. }
            | EncodingError::UnpairedSurrogate { line, column, .. } => Some((*line, *column)),
            EncodingError::Undetermined { .. } => None,
        }
    }
}

/// The best legacy candidate must score at least this…
pub const MIN_CONFIDENCE: f32 = 0.75;
/// …and be this far ahead of the next one.
pub const MIN_MARGIN: f32 = 0.25;
/// Below this for every candidate, the bytes look like no Vietnamese encoding.
const NOT_VIETNAMESE: f32 = 0.35;
/// Legacy scoring reads at most this much of a file (cut at a line end).
const SCORE_WINDOW: usize = 256 * 1024;

/// 1-based line and column (in bytes) of byte offset `at`.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let prefix = &bytes[..at.min(bytes.len())];
    let line = prefix.iter().filter(|b| **b == b'\n').count() + 1;
    let column = prefix.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

/// 1-based line and column (in code units) of UTF-16 code unit `at`.
fn line_col_units(units: &[u16], at: usize) -> (usize, usize) {
    let prefix = &units[..at.min(units.len())];
    let line = prefix.iter().filter(|u| **u == 0x0A).count() + 1;
    let column = prefix.iter().rev().take_while(|u| **u != 0x0A).count() + 1;
    (line, column)
}

fn utf8(bytes: &[u8]) -> Result<String, EncodingError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let (line, column) = line_col(bytes, at);
            Err(EncodingError::InvalidUtf8 {
                line,
                column,
                byte: at,
            })
        }
    }
}

fn utf16(bytes: &[u8], encoding: Encoding) -> Result<String, EncodingError> {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| match encoding {
            Encoding::Utf16be => u16::from_be_bytes([p[0], p[1]]),
            _ => u16::from_le_bytes([p[0], p[1]]),
        })
        .collect();
    if bytes.len() % 2 == 1 {
        let (line, column) = line_col_units(&units, units.len());
        return Err(EncodingError::OddUtf16 {
            encoding,
            line,
            column,
        });
    }
    let mut out = String::with_capacity(units.len());
    for (i, r) in char::decode_utf16(units.iter().copied()).enumerate() {
        match r {
            Ok(c) => out.push(c),
            Err(e) => {
                // `i` counts chars; find the unit index of the bad one.
                let at = units
                    .iter()
                    .position(|u| *u == e.unpaired_surrogate())
                    .unwrap_or(i);
                let (line, column) = line_col_units(&units, at);
                return Err(EncodingError::UnpairedSurrogate {
                    encoding,
                    line,
                    column,
                    unit: e.unpaired_surrogate(),
                });
            }
        }
    }
    Ok(out)
}

/// Bytes no Windows code page defines (WHATWG maps them to C1 controls): a forced single-byte
/// encoding refuses them.
fn undefined_byte(b: u8) -> bool {
    matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D)
}

fn windows_1258(bytes: &[u8]) -> String {
    let s = encoding_rs::WINDOWS_1258
        .decode_without_bom_handling(bytes)
        .0;
    s.nfc().collect()
}

/// Decodes bytes in a named encoding. A BOM matching the encoding is skipped.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, EncodingError> {
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => {
            let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            match utf8(b) {
                Ok(s) => Ok(s),
                Err(EncodingError::InvalidUtf8 { byte, .. }) => {
                    let skipped = bytes.len() - b.len();
                    let (line, column) = line_col(bytes, byte + skipped);
                    Err(EncodingError::InvalidUtf8 {
                        line,
                        column,
                        byte: byte + skipped,
                    })
                }
                Err(e) => Err(e),
            }
        }
        Encoding::Utf16le => utf16(bytes.strip_prefix(b"\xFF\xFE").unwrap_or(bytes), encoding),
        Encoding::Utf16be => utf16(bytes.strip_prefix(b"\xFE\xFF").unwrap_or(bytes), encoding),
        Encoding::Windows1258 | Encoding::Tcvn3 | Encoding::Vni => {
            if let Some(at) = bytes.iter().position(|b| undefined_byte(*b)) {
                let (line, column) = line_col(bytes, at);
                return Err(EncodingError::Undecodable {
                    encoding,
                    line,
                    column,
                    byte: at,
                    value: bytes[at],
                });
            }
            Ok(match encoding {
                Encoding::Windows1258 => windows_1258(bytes),
                Encoding::Tcvn3 => legacy_fonts::tcvn3_bytes_to_unicode(bytes),
                _ => legacy_fonts::vni_bytes_to_unicode(bytes),
            })
        }
    }
}

/// UTF-16 without a BOM: the share of code units whose high byte is zero, on each side. Text
/// with ASCII letters, digits and spaces has many; UTF-8 or 8-bit text has almost no zero
/// bytes at all.
fn utf16_guess(bytes: &[u8]) -> Option<(Encoding, f32)> {
    let n = bytes.len().min(SCORE_WINDOW) / 2;
    if n < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for p in bytes[..2 * n].chunks_exact(2) {
        even += (p[0] == 0) as usize;
        odd += (p[1] == 0) as usize;
    }
    let (zeros, other, enc) = if odd > even {
        (odd, even, Encoding::Utf16le)
    } else {
        (even, odd, Encoding::Utf16be)
    };
    let share = zeros as f32 / n as f32;
    let wrong = other as f32 / n as f32;
    if share < 0.2 || wrong > 0.02 {
        return None;
    }
    // 20 % zero high bytes is already far from any 8-bit text; 50 % is certain.
    let confidence = (0.8 + (share - 0.2) / 0.3 * 0.2).min(1.0) - wrong;
    Some((enc, confidence))
}

/// The result of [`detect`].
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    pub encoding: Encoding,
    /// In 0..=1; 1 for a BOM or valid UTF-8.
    pub confidence: f32,
    /// The text, decoded.
    pub text: String,
    /// The scores of every legacy candidate, best first (empty unless scoring ran).
    pub candidates: Vec<(Encoding, f32)>,
}

/// Detects the encoding of a plain-text file and decodes it.
pub fn detect(bytes: &[u8]) -> Result<Detected, EncodingError> {
    let certain = |encoding, text| Detected {
        encoding,
        confidence: 1.0,
        text,
        candidates: Vec::new(),
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return decode(bytes, Encoding::Utf8Bom).map(|t| certain(Encoding::Utf8Bom, t));
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return decode(bytes, Encoding::Utf16le).map(|t| certain(Encoding::Utf16le, t));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return decode(bytes, Encoding::Utf16be).map(|t| certain(Encoding::Utf16be, t));
    }
    if let Some((enc, confidence)) = utf16_guess(bytes) {
        if let Ok(text) = decode(bytes, enc) {
            return Ok(Detected {
                encoding: enc,
                confidence,
                text,
                candidates: Vec::new(),
            });
        }
    }
    let invalid = match utf8(bytes) {
        Ok(text) => return Ok(certain(Encoding::Utf8, text)),
        Err(e) => e,
    };
    let window = score_window(bytes);
    let mut candidates: Vec<(Encoding, f32)> =
        [Encoding::Tcvn3, Encoding::Vni, Encoding::Windows1258]
            .into_iter()
            .map(|e| (e, candidate_score(window, e)))
            .collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (best, score) = candidates[0];
    let second = candidates[1].1;
    if score < NOT_VIETNAMESE {
        return Err(invalid);
    }
    if score < MIN_CONFIDENCE || score - second < MIN_MARGIN {
        return Err(EncodingError::Undetermined { candidates });
    }
    let text = decode(bytes, best)?;
    Ok(Detected {
        encoding: best,
        confidence: score,
        text,
        candidates,
    })
}

/// The start of a file scoring looks at, cut after a line end.
fn score_window(bytes: &[u8]) -> &[u8] {
    if bytes.len() <= SCORE_WINDOW {
        return bytes;
    }
    let cut = bytes[..SCORE_WINDOW]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(SCORE_WINDOW, |i| i + 1);
    &bytes[..cut]
}

/// The score of reading `bytes` in a legacy encoding.
fn candidate_score(bytes: &[u8], encoding: Encoding) -> f32 {
    let undefined = bytes.iter().filter(|b| undefined_byte(**b)).count();
    let (text, orphans) = match encoding {
        Encoding::Windows1258 => (windows_1258(bytes), 0),
        Encoding::Tcvn3 => (legacy_fonts::tcvn3_bytes_to_unicode(bytes), 0),
        _ => legacy_fonts::vni_decode(&legacy_fonts::windows_1252(bytes)),
    };
    let s = vietnamese_score(&text);
    s.score_with(orphans + undefined)
}

/// How Vietnamese a text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct VietnameseScore {
    /// Words with a non-ASCII letter.
    pub words: usize,
    /// Of those, valid Vietnamese syllables.
    pub valid: usize,
    /// Non-ASCII characters.
    pub non_ascii: usize,
    /// Non-ASCII characters no Vietnamese text has (stray marks, Latin-1 symbols of the
    /// legacy fonts' codes).
    pub unlikely: usize,
}

impl VietnameseScore {
    /// The score in 0..=1: the share of valid syllables (smoothed, so that a text with few
    /// words cannot score high), less three times the share of unlikely characters.
    pub fn score(&self) -> f32 {
        self.score_with(0)
    }

    fn score_with(&self, extra_unlikely: usize) -> f32 {
        let valid = (self.valid as f32) / (self.words as f32 + 3.0);
        let unlikely = (self.unlikely + extra_unlikely) as f32 / (self.non_ascii as f32 + 1.0);
        (valid * (1.0 - 3.0 * unlikely)).clamp(0.0, 1.0)
    }
}

/// Scores a decoded text (see [`VietnameseScore`]).
pub fn vietnamese_score(text: &str) -> VietnameseScore {
    let mut s = VietnameseScore::default();
    let mut word = String::new();
    // A text repeats a few thousand syllables: judge each once.
    let mut seen: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    let mut flush = |word: &mut String, s: &mut VietnameseScore| {
        if !word.is_ascii() {
            s.words += 1;
            let valid = match seen.get(word.as_str()) {
                Some(v) => *v,
                None => {
                    let v = is_vietnamese_syllable(word);
                    seen.insert(word.clone(), v);
                    v
                }
            };
            if valid {
                s.valid += 1;
            }
        }
        word.clear();
    };
    for c in text.chars() {
        if !c.is_ascii() {
            s.non_ascii += 1;
            if !is_likely_char(c) {
                s.unlikely += 1;
            }
        }
        if c.is_alphabetic() || is_tone_mark(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut s);
        }
    }
    flush(&mut word, &mut s);
    s
}

fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// Non-ASCII characters a Vietnamese legal text may hold: its letters and common punctuation.
fn is_likely_char(c: char) -> bool {
    static LETTERS: std::sync::OnceLock<std::collections::HashSet<char>> =
        std::sync::OnceLock::new();
    let letters = LETTERS.get_or_init(|| {
        legacy_fonts::vietnamese_letters()
            .into_iter()
            .filter(|c| !c.is_ascii())
            .collect()
    });
    if letters.contains(&c) {
        return true;
    }
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '–'
            | '—'
            | '…'
            | '•'
            | '°'
            | '²'
            | '³'
            | '\u{A0}'
            | '×'
            | '±'
            | '≤'
            | '≥'
            | '«'
            | '»'
            | '§'
            | '№'
            | '€'
    )
}

/// Vowel clusters (tone-less, lower case) and what they allow after them: `o` open (no
/// final consonant), `c` closed (a final consonant required), `e` either.
const CLUSTERS: &[(&str, char)] = &[
    ("a", 'e'),
    ("ă", 'c'),
    ("â", 'c'),
    ("e", 'e'),
    ("ê", 'e'),
    ("i", 'e'),
    ("o", 'e'),
    ("ô", 'e'),
    ("ơ", 'e'),
    ("u", 'e'),
    ("ư", 'e'),
    ("y", 'e'),
    ("ai", 'o'),
    ("ao", 'o'),
    ("au", 'o'),
    ("ay", 'o'),
    ("âu", 'o'),
    ("ây", 'o'),
    ("eo", 'o'),
    ("êu", 'o'),
    ("ia", 'o'),
    ("iê", 'c'),
    ("iu", 'o'),
    ("oa", 'e'),
    ("oă", 'c'),
    ("oe", 'e'),
    ("oi", 'o'),
    ("ôi", 'o'),
    ("ơi", 'o'),
    ("oo", 'c'),
    ("ua", 'o'),
    ("uâ", 'c'),
    ("uê", 'e'),
    ("ui", 'o'),
    ("uô", 'c'),
    ("uơ", 'o'),
    ("uy", 'e'),
    ("ưa", 'o'),
    ("ưi", 'o'),
    ("ươ", 'c'),
    ("ưu", 'o'),
    ("yê", 'c'),
    ("iêu", 'o'),
    ("oai", 'o'),
    ("oay", 'o'),
    ("oeo", 'o'),
    ("uây", 'o'),
    ("uôi", 'o'),
    ("uya", 'o'),
    ("uyê", 'c'),
    ("uyu", 'o'),
    ("ươi", 'o'),
    ("ươu", 'o'),
    ("yêu", 'o'),
];

const ONSETS: &[&str] = &[
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

const CODAS: &[&str] = &["", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"];

fn is_vowel(c: char) -> bool {
    "aăâeêioôơuưy".contains(c)
}

/// Whether a word is one valid Vietnamese syllable: onset, vowel cluster, coda, at most one
/// tone, and a stop coda (`c ch k p t`) only with the sắc or nặng tone.
pub fn is_vietnamese_syllable(word: &str) -> bool {
    let lower = word.to_lowercase();
    let mut tone = None;
    let mut base = String::with_capacity(lower.len());
    for c in lower.nfd() {
        if is_tone_mark(c) {
            if tone.is_some() {
                return false;
            }
            tone = Some(c);
        } else {
            base.push(c);
        }
    }
    let base: String = base.nfc().collect();
    if base.chars().count() > 7
        || !base
            .chars()
            .all(|c| is_vowel(c) || c.is_ascii_lowercase() || c == 'đ')
    {
        return false;
    }
    // "gi" and "qu" are onsets before a vowel; "gìn" is g + i + n.
    for onset in ONSETS {
        let Some(rest) = base.strip_prefix(onset) else {
            continue;
        };
        let vowels: String = rest.chars().take_while(|c| is_vowel(*c)).collect();
        if vowels.is_empty() {
            continue;
        }
        let coda = &rest[vowels.len()..];
        let Some(&(_, kind)) = CLUSTERS.iter().find(|(c, _)| *c == vowels) else {
            continue;
        };
        if !CODAS.contains(&coda) {
            continue;
        }
        let open_ok = match kind {
            'o' => coda.is_empty(),
            'c' => !coda.is_empty(),
            _ => true,
        };
        let stop = matches!(coda, "c" | "ch" | "k" | "p" | "t");
        let tone_ok = !stop || matches!(tone, Some('\u{301}') | Some('\u{323}'));
        if open_ok && tone_ok {
            return true;
        }
    }
    false
}

/// Reads a plain-text file: the forced encoding, or the detected one. A legacy encoding read
/// by detection leaves a warning with its confidence.
pub fn import_text(
    bytes: &[u8],
    opts: &ImportOptions,
    format: SourceFormat,
) -> Result<Imported, EncodingError> {
    if let Some(enc) = opts.encoding {
        let text = decode(bytes, enc)?;
        let mut im = Imported::text(text, format);
        im.encoding = Some((enc, 1.0));
        return Ok(im);
    }
    let d = detect(bytes)?;
    let mut im = Imported::text(d.text, format);
    if d.encoding.is_legacy()
        || matches!(d.encoding, Encoding::Utf16le | Encoding::Utf16be) && d.confidence < 1.0
    {
        im.warnings.push(format!(
            "read as {}, confidence {:.2}",
            d.encoding.label(),
            d.confidence
        ));
    }
    im.encoding = Some((d.encoding, d.confidence));
    Ok(im)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::legacy_fonts::{unicode_to_tcvn3, unicode_to_vni, unicode_to_windows_1258};

    const SAMPLE: &str = "Điều 2. Giá tối đa dịch vụ thu gom, vận chuyển rác thải sinh hoạt\n\
        1. Giá tối đa được quy định như sau:\n\
        a) Hộ gia đình ở thị trấn: 30.000 đồng/hộ/tháng;\n\
        đ) Chợ, trung tâm thương mại: 250.000 đồng/m³ rác.\n\
        2. Ủy ban nhân dân các huyện, thành phố quy định chi tiết mức giá cụ thể trên địa bàn \
        nhưng không vượt quá mức giá tối đa quy định tại khoản 1 Điều này; Nghị quyết, Quyết \
        định, những người, khuyến khích, nguyễn, giữ gìn, quốc, huyện, ngoài, tuổi, khuya.\n";

    proptest::proptest! {
        /// Any bytes are detected or refused, and decoded or refused in every encoding:
        /// never a panic.
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let _ = detect(&bytes);
            for enc in Encoding::ALL {
                let _ = decode(&bytes, enc);
            }
        }
    }

    #[test]
    fn names_parse_and_print() {
        for e in Encoding::ALL {
            assert_eq!(e.name().parse::<Encoding>(), Ok(e));
            assert_eq!(
                serde_json::to_value(e).unwrap(),
                serde_json::Value::String(e.name().into())
            );
        }
        assert_eq!("CP1258".parse::<Encoding>(), Ok(Encoding::Windows1258));
        assert_eq!("ABC".parse::<Encoding>(), Ok(Encoding::Tcvn3));
        assert!("latin-9".parse::<Encoding>().is_err());
    }

    #[test]
    fn syllables() {
        for w in [
            "điều", "nghị", "quyết", "người", "khuyến", "giữ", "gìn", "huyện", "ngoài", "tuổi",
            "khuya", "các", "được", "Ủy", "uỷ", "hoà", "quốc", "Đắk",
        ] {
            assert!(is_vietnamese_syllable(w), "{w}");
        }
        for w in [
            "caùc", "nhaân", "trªn", "µ", "ðiều", "tiê", "càc", "aiu", "Straße", "hòn̉",
        ] {
            assert!(!is_vietnamese_syllable(w), "{w}");
        }
    }

    #[test]
    fn boms_and_utf16() {
        let d = detect("\u{FEFF}Điều 1".as_bytes()).unwrap();
        assert_eq!(
            (d.encoding, d.confidence, d.text.as_str()),
            (Encoding::Utf8Bom, 1.0, "Điều 1")
        );
        let le: Vec<u8> = SAMPLE
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let be: Vec<u8> = SAMPLE
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let d = detect(&le).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf16le, SAMPLE));
        assert!(d.confidence > 0.9, "{}", d.confidence);
        let d = detect(&be).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), (Encoding::Utf16be, SAMPLE));
        let mut bom = vec![0xFE, 0xFF];
        bom.extend_from_slice(&be);
        assert_eq!(detect(&bom).unwrap().confidence, 1.0);
    }

    #[test]
    fn legacy_encodings_are_told_apart() {
        let cases = [
            (Encoding::Tcvn3, unicode_to_tcvn3(SAMPLE, true).unwrap()),
            (Encoding::Vni, unicode_to_vni(SAMPLE).unwrap()),
            (
                Encoding::Windows1258,
                unicode_to_windows_1258(SAMPLE).unwrap(),
            ),
        ];
        for (enc, bytes) in cases {
            let d = detect(&bytes).unwrap_or_else(|e| panic!("{enc}: {e}"));
            assert_eq!(d.encoding, enc, "{:?}", d.candidates);
            assert!(d.confidence >= 0.85, "{enc}: {:?}", d.candidates);
            assert!(d.candidates[1].1 < 0.5, "{enc}: {:?}", d.candidates);
            let want: String = SAMPLE.replace("Ủy", "ủy");
            if enc == Encoding::Tcvn3 {
                assert_eq!(d.text, want);
            } else {
                assert_eq!(d.text, SAMPLE);
            }
        }
    }

    #[test]
    fn too_little_text_is_refused_with_the_candidates() {
        let bytes = unicode_to_tcvn3("Số 5 ngày", false).unwrap();
        match detect(&bytes) {
            Err(e @ EncodingError::Undetermined { .. }) => {
                let m = e.to_string();
                assert!(m.contains("tcvn3 0."), "{m}");
                assert!(m.contains("--encoding NAME"), "{m}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn broken_utf8_is_still_invalid_utf8() {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes.insert(30, 0xFF);
        match detect(&bytes) {
            Err(e @ EncodingError::InvalidUtf8 { .. }) => assert_eq!(e.location(), Some((1, 31))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn forced_encodings_never_replace_silently() {
        let e = decode(b"ab\ncd\x81", Encoding::Tcvn3).unwrap_err();
        assert_eq!(e.location(), Some((2, 3)));
        let e = decode(b"a\x00b", Encoding::Utf16le).unwrap_err();
        assert!(matches!(e, EncodingError::OddUtf16 { .. }));
        let e = decode(&[0x00, 0xD8, 0x41, 0x00], Encoding::Utf16le).unwrap_err();
        assert!(matches!(e, EncodingError::UnpairedSurrogate { .. }));
        let e = decode(b"ok\n\xC3(", Encoding::Utf8).unwrap_err();
        assert_eq!(e.location(), Some((2, 1)));
    }

    #[test]
    fn legacy_detection_leaves_a_warning() {
        let bytes = unicode_to_vni(SAMPLE).unwrap();
        let im = import_text(&bytes, &ImportOptions::default(), SourceFormat::Text).unwrap();
        assert_eq!(im.encoding.map(|e| e.0), Some(Encoding::Vni));
        assert!(
            im.warnings[0].starts_with("read as VNI, confidence 0."),
            "{:?}",
            im.warnings
        );
        let forced = ImportOptions {
            encoding: Some(Encoding::Vni),
            ..ImportOptions::default()
        };
        let im = import_text(&bytes, &forced, SourceFormat::Text).unwrap();
        assert_eq!(im.encoding, Some((Encoding::Vni, 1.0)));
        assert!(im.warnings.is_empty());
    }
}
