//! Tone placement: one spelling per syllable.
//!
//! Vietnamese has two conventions for where the tone mark sits in a few open syllables:
//! the classic one used in official documents (`hòa`, `thủy`, `khỏe`) and the "new" one
//! (`hoà`, `thuỷ`, `khoẻ`). NFC keeps both, so `hoà` and `hòa` would be different words to a
//! search index or a comparison. This step rewrites every syllable to the classic placement.
//!
//! The rule, applied per syllable (a maximal run of letters):
//! 1. take `qu` and `gi` (before another vowel) as part of the initial consonant;
//! 2. the vowel cluster is the run of vowels after the initial consonant;
//! 3. if the cluster has a vowel with a modifier (ă â ê ô ơ ư) the tone goes on it (on ơ in ươ);
//! 4. else if the syllable ends with a consonant the tone goes on the last vowel;
//! 5. else on the first of two vowels (hòa, khỏe, thủy, của) or the middle of three (khuỷu).
//!
//! Syllables that are not clearly Vietnamese (unknown initial, cluster or final, more than one
//! tone mark, letters outside the Vietnamese alphabet) are left exactly as they are.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

use super::ascii::skip_ascii;

use super::tone_table::{
    compose, has_modifier, vowel, Vowel, BASE_I, BASE_U, CLUSTERS, CODAS, LOWER, ONSETS, TONE_NONE,
};

/// Rewrites every syllable of `s` to the classic tone placement, keeping case.
///
/// The input is expected in NFC (decomposed tone marks are not letters and split syllables);
/// [`super::normalize_inline`] applies NFC first.
pub fn canonical_tones(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    retone(s, |r, rep| {
        out.push_str(&s[last..r.start]);
        out.push_str(rep);
        last = r.end;
    });
    out.push_str(&s[last..]);
    out
}

/// Longest syllable we analyse; Vietnamese syllables have at most 7 letters (`nghiêng`).
const MAX_SYLLABLE: usize = 8;

/// Calls `edit(range, replacement)` for every syllable of `s` whose tone is misplaced, in order.
///
/// This is the allocation-free core used by both [`canonical_tones`] and the offset-mapping
/// pipeline, which needs to know where the text changed.
pub(crate) fn retone(s: &str, mut edit: impl FnMut(Range<usize>, &str)) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Tone marks only come with non-ASCII letters: ASCII is skipped byte by byte, and so
        // is every character that cannot be a toned vowel (lead bytes other than C3, C4/C5
        // for ĩ/ũ, E1 BA/BB for the Vietnamese block).
        i = skip_ascii(b, i);
        if i >= b.len() {
            break;
        }
        let c0 = b[i];
        let may_be_toned = match c0 {
            0xC3 => true,
            0xC4 | 0xC5 => matches!(b.get(i + 1), Some(0xA8 | 0xA9)),
            0xE1 => matches!(b.get(i + 1), Some(0xBA | 0xBB)),
            _ => false,
        };
        if !may_be_toned {
            i += utf8_len(c0);
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        let toned = vowel(c).is_some_and(|v| v.tone != TONE_NONE);
        if !toned {
            i += len;
            continue;
        }
        // A tone mark on a vowel with no vowel beside it is on the only vowel of its cluster,
        // which is where it belongs: most syllables stop here.
        // Neighbours: ASCII ones are classified from their byte, others decoded.
        let is_v_byte = |x: u8| matches!(x | 0x20, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
        let prev_v = match i.checked_sub(1).map(|k| b[k]) {
            None => false,
            Some(x) if x < 0x80 => is_v_byte(x),
            Some(_) => s[..i].chars().next_back().and_then(vowel).is_some(),
        };
        let next_v = match b.get(i + len) {
            None => false,
            Some(&x) if x < 0x80 => is_v_byte(x),
            Some(_) => s[i + len..].chars().next().and_then(vowel).is_some(),
        };
        if !prev_v && !next_v {
            i += len;
            continue;
        }
        let (start, end) = syllable_bounds(s, i, i + len);
        let mut st = RunState::default();
        for ch in s[start..end].chars() {
            st.add(ch, vowel(ch));
        }
        if st.may_need_retone() {
            let mut buf = [0u8; 4 * MAX_SYLLABLE];
            if let Some(rep) = retone_syllable(&s[start..end], &mut buf) {
                edit(start..end, rep);
            }
        }
        i = end;
    }
}

/// The length of a UTF-8 sequence from its lead byte (1 for stray continuation bytes).
#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The run of letters around `s[from..to]`, looking at most a little beyond the longest
/// syllable on each side (a longer run is not a syllable and is skipped anyway).
fn syllable_bounds(s: &str, from: usize, to: usize) -> (usize, usize) {
    let mut start = from;
    for (k, ch) in s[..from].char_indices().rev().take(MAX_SYLLABLE + 1) {
        if !classify(ch).0 {
            break;
        }
        start = k;
    }
    let mut end = to;
    for (k, ch) in s[to..].char_indices().take(MAX_SYLLABLE + 1) {
        if !classify(ch).0 {
            break;
        }
        end = to + k + ch.len_utf8();
    }
    (start, end)
}

/// What the scan remembers about the current run of letters, to skip the syllables whose
/// tone is certainly in place without decoding them again.
#[derive(Default)]
struct RunState {
    letters: usize,
    vowels: u8,
    toned: u8,
    foreign: bool,
    /// The tone-marked vowel has a modifier (ê, ơ, …).
    toned_mod: bool,
    /// A vowel with a modifier comes after the tone-marked vowel.
    mod_after_toned: bool,
    any_mod: bool,
    /// Index, among the vowels, of the tone-marked one.
    toned_idx: u8,
    /// The run starts with q or g (whose u / i may belong to the initial consonant).
    q_or_g: bool,
    /// A vowel comes after the tone-marked vowel.
    vowel_after_toned: bool,
    last_is_vowel: bool,
}

impl RunState {
    #[inline]
    fn add(&mut self, c: char, v: Option<Vowel>) {
        if self.letters == 0 {
            self.q_or_g = matches!(c, 'q' | 'Q' | 'g' | 'G');
        }
        self.letters += 1;
        match v {
            Some(v) => {
                self.vowels = self.vowels.saturating_add(1);
                let m = has_modifier(v.base);
                self.any_mod |= m;
                if self.toned > 0 {
                    self.vowel_after_toned = true;
                    self.mod_after_toned |= m;
                }
                if v.tone != TONE_NONE {
                    self.toned = self.toned.saturating_add(1);
                    self.toned_mod = m;
                    self.toned_idx = self.vowels - 1;
                }
                self.last_is_vowel = true;
            }
            None => {
                if !c.is_ascii_alphabetic() && c != 'đ' && c != 'Đ' {
                    self.foreign = true;
                }
                self.last_is_vowel = false;
            }
        }
    }

    /// Only a syllable with exactly one tone mark and two vowels or more can have it in the
    /// wrong place; and not when the mark is already where rules 3 or 4 put it.
    #[inline]
    fn may_need_retone(&self) -> bool {
        if self.toned != 1 || self.vowels < 2 || self.foreign || self.letters > MAX_SYLLABLE {
            return false;
        }
        let rule3_holds = self.toned_mod && !self.mod_after_toned;
        let rule4_holds = !self.any_mod && !self.vowel_after_toned && !self.last_is_vowel;
        // Open syllables without modifiers: first of two vowels, middle of three.
        let rule5_holds = !self.any_mod
            && self.last_is_vowel
            && !self.q_or_g
            && ((self.vowels == 2 && self.toned_idx == 0)
                || (self.vowels == 3 && self.toned_idx == 1));
        !(rule3_holds || rule4_holds || rule5_holds)
    }
}

#[inline]
fn classify(c: char) -> (bool, Option<Vowel>) {
    if c == 'đ' || c == 'Đ' {
        return (true, None);
    }
    if c.is_ascii() {
        if c.is_ascii_alphabetic() {
            (true, vowel(c))
        } else {
            (false, None)
        }
    } else {
        if ('\u{2000}'..='\u{206F}').contains(&c) {
            // General punctuation (quotes, dashes, ellipsis) is common next to words.
            return (false, None);
        }
        match vowel(c) {
            Some(v) => (true, Some(v)),
            // A combining mark left over after NFC belongs to the syllable (which is then not
            // re-toned): splitting there would let a second pass compose it differently.
            None => (c.is_alphabetic() || is_combining_mark(c), None),
        }
    }
}

/// Re-places the tone of one syllable; `None` when it is already right or not Vietnamese.
fn retone_syllable<'b>(syl: &str, buf: &'b mut [u8; 4 * MAX_SYLLABLE]) -> Option<&'b str> {
    let mut chars = [' '; MAX_SYLLABLE];
    let mut vs: [Option<Vowel>; MAX_SYLLABLE] = [None; MAX_SYLLABLE];
    let mut n = 0;
    for c in syl.chars() {
        chars[n] = c;
        vs[n] = vowel(c);
        n += 1;
    }
    // Initial consonant.
    let mut i = 0;
    while i < n && vs[i].is_none() {
        i += 1;
    }
    if i == n {
        return None;
    }
    let onset_end = i;
    let mut cluster_start = i;
    let lower0 = chars[0].to_lowercase().next().unwrap_or(' ');
    if onset_end == 1 && cluster_start + 1 < n && vs[cluster_start + 1].is_some() {
        let first_vowel = vs[cluster_start].map(|v| v.base);
        if (lower0 == 'q' && first_vowel == Some(BASE_U))
            || (lower0 == 'g' && first_vowel == Some(BASE_I))
        {
            cluster_start += 1;
        }
    }
    let mut cluster_end = cluster_start;
    while cluster_end < n && vs[cluster_end].is_some() {
        cluster_end += 1;
    }
    // Everything after the cluster must be consonants.
    if (cluster_end..n).any(|k| vs[k].is_some()) {
        return None;
    }
    // Validate the onset (with the `u` of qu / `i` of gi), the cluster and the coda.
    let mut onset = [0u8; 8];
    let mut olen = 0;
    for &c in &chars[..cluster_start] {
        let l = c.to_lowercase().next().unwrap_or(' ');
        let l = match vowel(l) {
            Some(v) => LOWER[v.base as usize][0],
            None => l,
        };
        // No onset is that long: not a syllable.
        if olen + l.len_utf8() > onset.len() {
            return None;
        }
        olen += l.encode_utf8(&mut onset[olen..]).len();
    }
    if !ONSETS.iter().any(|o| o.as_bytes() == &onset[..olen]) {
        return None;
    }
    let mut coda = [0u8; 16];
    let mut clen = 0;
    for &c in &chars[cluster_end..n] {
        let l = c.to_lowercase().next().unwrap_or(' ');
        if clen + l.len_utf8() > coda.len() {
            return None;
        }
        clen += l.encode_utf8(&mut coda[clen..]).len();
    }
    if !CODAS.iter().any(|c| c.as_bytes() == &coda[..clen]) {
        return None;
    }
    let mut cl = [0u8; 12];
    let mut cllen = 0;
    for v in &vs[cluster_start..cluster_end] {
        let v = (*v)?;
        let base = LOWER[v.base as usize][0];
        // No vowel cluster is that long: not a syllable.
        if cllen + base.len_utf8() > cl.len() {
            return None;
        }
        cllen += base.encode_utf8(&mut cl[cllen..]).len();
    }
    if !CLUSTERS.iter().any(|c| c.as_bytes() == &cl[..cllen]) {
        return None;
    }
    // Where the tone is now (it may sit on the u of qu or the i of gi) and where it belongs.
    let current = (0..n).find(|&k| vs[k].is_some_and(|v| v.tone != TONE_NONE))?;
    let tone = vs[current]?.tone;
    let len = cluster_end - cluster_start;
    let target = if let Some(k) = (cluster_start..cluster_end)
        .rev()
        .find(|&k| vs[k].is_some_and(|v| has_modifier(v.base)))
    {
        k
    } else if cluster_end < n {
        cluster_end - 1
    } else {
        match len {
            1 | 2 => cluster_start,
            _ => cluster_start + 1,
        }
    };
    if target == current {
        return None;
    }
    let mut out_len = 0;
    for k in 0..n {
        let c = match vs[k] {
            Some(v) if k == current => compose(Vowel {
                tone: TONE_NONE,
                ..v
            }),
            Some(v) if k == target => compose(Vowel { tone, ..v }),
            _ => chars[k],
        };
        out_len += c.encode_utf8(&mut buf[out_len..]).len();
    }
    std::str::from_utf8(&buf[..out_len]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn check(input: &str, want: &str) {
        assert_eq!(canonical_tones(input), want, "input {input:?}");
        // The canonical form is a fixed point.
        assert_eq!(canonical_tones(want), want, "fixed point {want:?}");
    }

    #[test]
    fn new_style_becomes_classic() {
        for (a, b) in [
            ("hoà", "hòa"),
            ("thuỷ", "thủy"),
            ("uỷ", "ủy"),
            ("Uỷ", "Ủy"),
            ("UỶ", "ỦY"),
            ("khoẻ", "khỏe"),
            ("hoá", "hóa"),
            ("Hoá", "Hóa"),
            ("HOÁ", "HÓA"),
            ("hoạ", "họa"),
            ("loà", "lòa"),
            ("thuý", "thúy"),
            ("luỹ", "lũy"),
            ("hoè", "hòe"),
            ("quỹ", "quỹ"),
            ("toà", "tòa"),
            ("xoá", "xóa"),
            ("khuỷu", "khuỷu"),
            ("khủyu", "khuỷu"),
            ("ngoaì", "ngoài"),
            ("gìa", "già"),
            ("qủa", "quả"),
            ("qúy", "quý"),
            ("kìa", "kìa"),
            ("muà", "mùa"),
            ("cuả", "của"),
        ] {
            check(a, b);
        }
    }

    #[test]
    fn already_canonical_words_are_unchanged() {
        for w in [
            "hoàn",
            "thuyền",
            "khoảng",
            "quý",
            "giữa",
            "quả",
            "người",
            "ngoài",
            "hướng",
            "quyết",
            "định",
            "Điều",
            "khoản",
            "thuế",
            "huỳnh",
            "Quỳnh",
            "hoạch",
            "toán",
            "xoáy",
            "chuối",
            "khuấy",
            "rượu",
            "yêu",
            "nghiêng",
            "giường",
            "giỏi",
            "gì",
            "gìn",
            "thuở",
            "Ủy",
            "hòa",
            "tiếu",
            "ngoẹo",
            "khuya",
            "Đắk",
            "Lắk",
        ] {
            check(w, w);
        }
    }

    #[test]
    fn sentences_keep_everything_else() {
        check(
            "Uỷ ban nhân dân tỉnh Khánh Hoà, thuỷ lợi; hoà giải (khoẻ).",
            "Ủy ban nhân dân tỉnh Khánh Hòa, thủy lợi; hòa giải (khỏe).",
        );
        check("QĐ-UBND 12/2021 hoà-bình", "QĐ-UBND 12/2021 hòa-bình");
    }

    #[test]
    fn foreign_and_malformed_words_are_left_alone() {
        for w in [
            "café",
            "José",
            "naïve",
            "Zoë",
            "UBND",
            "nghịệp",
            "hoàà",
            "xyzà",
            "aaaaaaaaaà",
            "über",
        ] {
            check(w, w);
        }
    }

    #[test]
    fn every_tone_moves_on_oa_and_uy() {
        let lower = ['a', 'à', 'á', 'ả', 'ã', 'ạ'];
        let o = ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'];
        let u = ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'];
        let y = ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'];
        for t in 1..6 {
            check(&format!("ho{}", lower[t]), &format!("h{}a", o[t]));
            check(&format!("th{}y", u[t]), &format!("th{}y", u[t]));
            check(&format!("thu{}", y[t]), &format!("th{}y", u[t]));
            // With a final consonant the tone stays on the last vowel.
            check(&format!("ho{}n", lower[t]), &format!("ho{}n", lower[t]));
            check(&format!("h{}an", o[t]), &format!("ho{}n", lower[t]));
        }
    }

    #[test]
    fn nfd_input_after_nfc_gives_the_same_result() {
        for w in ["hoà", "thuỷ", "Uỷ", "khoẻ"] {
            let nfd: String = w.nfd().collect();
            let via_nfc = canonical_tones(&nfd.nfc().collect::<String>());
            assert_eq!(via_nfc, canonical_tones(w));
        }
    }

    #[test]
    fn edits_report_exact_ranges() {
        let s = "a hoà b";
        let mut seen = Vec::new();
        retone(s, |r, rep| seen.push((r, rep.to_owned())));
        assert_eq!(seen, vec![(2..6, "hòa".to_owned())]);
    }
}
