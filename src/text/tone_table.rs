//! The Vietnamese vowel table: every base vowel with each of the six tones, in both cases.
//!
//! The table is written out by hand so that a reader can check it letter by letter; the reverse
//! indexes used for lookup are computed from it at compile time (`const fn`), so the two can
//! never disagree and no lookup table is built at run time.

/// Tone numbers used throughout the module, in the order of the table columns.
pub(crate) const TONE_NONE: u8 = 0;

/// Base vowels, in table row order: a ă â e ê i o ô ơ u ư y.
pub(crate) const BASE_A: u8 = 0;
pub(crate) const BASE_AW: u8 = 1;
pub(crate) const BASE_AA: u8 = 2;
pub(crate) const BASE_E: u8 = 3;
pub(crate) const BASE_EE: u8 = 4;
pub(crate) const BASE_I: u8 = 5;
pub(crate) const BASE_O: u8 = 6;
pub(crate) const BASE_OO: u8 = 7;
pub(crate) const BASE_OW: u8 = 8;
pub(crate) const BASE_U: u8 = 9;
pub(crate) const BASE_UW: u8 = 10;
pub(crate) const BASE_Y: u8 = 11;

/// The ASCII letter each base vowel folds to (used by search folding).
pub(crate) const BASE_ASCII: [char; 12] =
    ['a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'];

/// Lower-case vowels; columns: no tone, huyền (grave), sắc (acute), hỏi (hook), ngã (tilde),
/// nặng (dot below).
pub(crate) const LOWER: [[char; 6]; 12] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
];

/// Upper-case vowels, same layout as [`LOWER`].
pub(crate) const UPPER: [[char; 6]; 12] = [
    ['A', 'À', 'Á', 'Ả', 'Ã', 'Ạ'],
    ['Ă', 'Ằ', 'Ắ', 'Ẳ', 'Ẵ', 'Ặ'],
    ['Â', 'Ầ', 'Ấ', 'Ẩ', 'Ẫ', 'Ậ'],
    ['E', 'È', 'É', 'Ẻ', 'Ẽ', 'Ẹ'],
    ['Ê', 'Ề', 'Ế', 'Ể', 'Ễ', 'Ệ'],
    ['I', 'Ì', 'Í', 'Ỉ', 'Ĩ', 'Ị'],
    ['O', 'Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'],
    ['Ô', 'Ồ', 'Ố', 'Ổ', 'Ỗ', 'Ộ'],
    ['Ơ', 'Ờ', 'Ớ', 'Ở', 'Ỡ', 'Ợ'],
    ['U', 'Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ'],
    ['Ư', 'Ừ', 'Ứ', 'Ử', 'Ữ', 'Ự'],
    ['Y', 'Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ'],
];

/// A decoded vowel: which base, which tone, which case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Vowel {
    pub base: u8,
    pub tone: u8,
    pub upper: bool,
}

const NONE: u8 = 0xFF;
const LOW_START: u32 = 0xC0;
const LOW_END: u32 = 0x1B0;
const HIGH_START: u32 = 0x1EA0;
const HIGH_END: u32 = 0x1EF9;

const fn code(base: usize, tone: usize, upper: bool) -> u8 {
    (base as u8) | ((tone as u8) << 4) | if upper { 0x80 } else { 0 }
}

const fn build_low() -> [u8; (LOW_END - LOW_START + 1) as usize] {
    let mut t = [NONE; (LOW_END - LOW_START + 1) as usize];
    let mut b = 0;
    while b < 12 {
        let mut tone = 0;
        while tone < 6 {
            let lc = LOWER[b][tone] as u32;
            if lc >= LOW_START && lc <= LOW_END {
                t[(lc - LOW_START) as usize] = code(b, tone, false);
            }
            let uc = UPPER[b][tone] as u32;
            if uc >= LOW_START && uc <= LOW_END {
                t[(uc - LOW_START) as usize] = code(b, tone, true);
            }
            tone += 1;
        }
        b += 1;
    }
    t
}

const fn build_high() -> [u8; (HIGH_END - HIGH_START + 1) as usize] {
    let mut t = [NONE; (HIGH_END - HIGH_START + 1) as usize];
    let mut b = 0;
    while b < 12 {
        let mut tone = 0;
        while tone < 6 {
            let lc = LOWER[b][tone] as u32;
            if lc >= HIGH_START && lc <= HIGH_END {
                t[(lc - HIGH_START) as usize] = code(b, tone, false);
            }
            let uc = UPPER[b][tone] as u32;
            if uc >= HIGH_START && uc <= HIGH_END {
                t[(uc - HIGH_START) as usize] = code(b, tone, true);
            }
            tone += 1;
        }
        b += 1;
    }
    t
}

static LOW_INDEX: [u8; (LOW_END - LOW_START + 1) as usize] = build_low();
static HIGH_INDEX: [u8; (HIGH_END - HIGH_START + 1) as usize] = build_high();

/// Decodes a precomposed Vietnamese vowel (any tone, either case); `None` for anything else.
#[inline]
pub(crate) fn vowel(c: char) -> Option<Vowel> {
    let u = c as u32;
    let code = if u < 0x80 {
        let base = match c.to_ascii_lowercase() {
            'a' => BASE_A,
            'e' => BASE_E,
            'i' => BASE_I,
            'o' => BASE_O,
            'u' => BASE_U,
            'y' => BASE_Y,
            _ => return None,
        };
        return Some(Vowel {
            base,
            tone: TONE_NONE,
            upper: c.is_ascii_uppercase(),
        });
    } else if (LOW_START..=LOW_END).contains(&u) {
        LOW_INDEX[(u - LOW_START) as usize]
    } else if (HIGH_START..=HIGH_END).contains(&u) {
        HIGH_INDEX[(u - HIGH_START) as usize]
    } else {
        NONE
    };
    if code == NONE {
        None
    } else {
        Some(Vowel {
            base: code & 0x0F,
            tone: (code >> 4) & 0x07,
            upper: code & 0x80 != 0,
        })
    }
}

/// Composes a vowel back into its precomposed character.
#[inline]
pub(crate) fn compose(v: Vowel) -> char {
    let row = if v.upper { &UPPER } else { &LOWER };
    row[v.base as usize][v.tone as usize]
}

/// Whether a base vowel carries a modifier (breve, circumflex or horn): ă â ê ô ơ ư.
#[inline]
pub(crate) fn has_modifier(base: u8) -> bool {
    matches!(
        base,
        BASE_AW | BASE_AA | BASE_EE | BASE_OO | BASE_OW | BASE_UW
    )
}

/// Vowel clusters of Vietnamese syllables, as strings of base vowels (tone-less, lower case).
/// A syllable whose cluster is not listed here is not re-toned: it is probably not Vietnamese.
pub(crate) const CLUSTERS: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", //
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi",
    "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", //
    "iêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
];

/// Initial consonants (after `qu` and `gi` have been taken as onsets).
pub(crate) const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];

/// Final consonants. `k` is not standard but occurs in Central Highlands names (Đắk Lắk).
pub(crate) const CODAS: &[&str] = &["", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_letter_round_trips() {
        for (b, row) in LOWER.iter().enumerate() {
            for (t, &c) in row.iter().enumerate() {
                let v = vowel(c).unwrap_or_else(|| panic!("{c} not indexed"));
                assert_eq!((v.base as usize, v.tone as usize, v.upper), (b, t, false));
                assert_eq!(compose(v), c);
            }
        }
        for (b, row) in UPPER.iter().enumerate() {
            for (t, &c) in row.iter().enumerate() {
                let v = vowel(c).unwrap_or_else(|| panic!("{c} not indexed"));
                assert_eq!((v.base as usize, v.tone as usize, v.upper), (b, t, true));
                assert_eq!(compose(v), c);
            }
        }
    }

    #[test]
    fn table_letters_are_nfc() {
        use unicode_normalization::UnicodeNormalization;
        for c in LOWER.iter().chain(UPPER.iter()).flatten() {
            let s = c.to_string();
            assert_eq!(s.nfc().collect::<String>(), s);
        }
    }

    #[test]
    fn consonants_and_others_are_not_vowels() {
        for c in ['b', 'đ', 'Đ', 'x', 'ñ', 'ç', '1', ' ', 'ß'] {
            assert!(vowel(c).is_none(), "{c}");
        }
    }
}
