//! Word-at-a-time byte scanning.
//!
//! Most of a Vietnamese text is ASCII between the accented letters, and several steps only
//! care about the non-ASCII bytes or the control bytes. Testing eight bytes at once lets those
//! loops skip plain ASCII quickly, which is where the pipeline spends most of its time.

const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

#[inline]
fn word(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// Whether a word of ASCII bytes has a byte below 0x20 or equal to 0x7F.
#[inline]
fn has_control(x: u64) -> bool {
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    let y = x ^ (ONES * 0x7F);
    let del = y.wrapping_sub(ONES) & !y & HIGH;
    below_space | del != 0
}

/// The index of the first byte at or after `i` that is not ASCII (or `b.len()`).
#[inline]
pub(crate) fn skip_ascii(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() && word(b, i) & HIGH == 0 {
        i += 8;
    }
    while i < b.len() && b[i] < 0x80 {
        i += 1;
    }
    i
}

/// The index of the first byte at or after `i` that is not printable ASCII (a control byte,
/// DEL or a non-ASCII byte), or `b.len()`.
#[inline]
pub(crate) fn skip_printable(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() {
        let x = word(b, i);
        if x & HIGH != 0 || has_control(x) {
            break;
        }
        i += 8;
    }
    while i < b.len() && (0x20..0x7F).contains(&b[i]) {
        i += 1;
    }
    i
}

/// Whether a word has a byte below `n` (`n` ≤ 128).
#[inline]
fn has_below(x: u64, n: u8) -> bool {
    x.wrapping_sub(ONES * n as u64) & !x & HIGH != 0
}

/// Whether a word has a byte equal to `c`.
#[inline]
fn has_byte(x: u64, c: u8) -> bool {
    let y = x ^ (ONES * c as u64);
    y.wrapping_sub(ONES) & !y & HIGH != 0
}

/// The index of the first byte at or after `i` that is a control byte (below 0x20) or equal
/// to `extra`, or `b.len()`.
#[inline]
pub(crate) fn find_control_or(b: &[u8], mut i: usize, extra: u8) -> usize {
    while i + 8 <= b.len() {
        let x = word(b, i);
        if has_below(x, 0x20) || has_byte(x, extra) {
            break;
        }
        i += 8;
    }
    while i < b.len() && b[i] >= 0x20 && b[i] != extra {
        i += 1;
    }
    i
}

/// The index of the first byte at or after `i` equal to `c1` or `c2`, or `b.len()`.
#[inline]
pub(crate) fn find2(b: &[u8], mut i: usize, c1: u8, c2: u8) -> usize {
    while i + 8 <= b.len() {
        let x = word(b, i);
        if has_byte(x, c1) || has_byte(x, c2) {
            break;
        }
        i += 8;
    }
    while i < b.len() && b[i] != c1 && b[i] != c2 {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips() {
        let s = "abcdefghijklmnopqrstuvwxyzđabc";
        assert_eq!(skip_ascii(s.as_bytes(), 0), 26);
        assert_eq!(skip_ascii(b"abc", 0), 3);
        assert_eq!(skip_printable(b"abcdefghijkl\nmnop", 0), 12);
        assert_eq!(skip_printable(b"abcdefghijklmnop\x7fq", 0), 16);
        assert_eq!(skip_printable("abcdefghijklmnoĐ".as_bytes(), 0), 15);
        assert_eq!(skip_printable(b"abcdefgh", 0), 8);
        assert_eq!(
            find_control_or("abcdefghijklmnoĐ\n".as_bytes(), 0, 0xE2),
            17
        );
        assert_eq!(find_control_or("abcdefghijklmno“".as_bytes(), 0, 0xE2), 15);
        assert_eq!(find2(b"abcdefghijklmno(x[", 0, b'[', b'('), 15);
        assert_eq!(find2(b"abc", 0, b'[', b'('), 3);
        for s in [
            "",
            "a\tb",
            "\u{1}abcdefghijk",
            "abcdefgh\u{1f}",
            "~~~~~~~~~~",
        ] {
            let b = s.as_bytes();
            let want = b
                .iter()
                .position(|c| !(0x20..0x7F).contains(c))
                .unwrap_or(b.len());
            assert_eq!(skip_printable(b, 0), want, "{s:?}");
        }
    }
}
