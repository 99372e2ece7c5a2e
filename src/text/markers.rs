//! Small predicates on the text of a line: letter case, structural markers, punctuation.
//!
//! They are shared by the chrome, page-mark and reflow steps, and they only look at text, never
//! at flags: the reflow relies on that to be stable when its own output is normalised again.

use super::tone_table::vowel;

/// The first character of `s`.
#[inline]
pub(crate) fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

/// Whether `s` starts with a lower-case letter.
#[inline]
pub(crate) fn starts_lower(s: &str) -> bool {
    first_char(s).is_some_and(|c| c.is_lowercase())
}

/// Whether `s` has letters and none of them is lower case ("HUYỆN XUÂN LỘC", "TM.").
pub(crate) fn is_all_caps(s: &str) -> bool {
    let mut letters = false;
    for c in s.chars() {
        // ASCII and Vietnamese letters are decided without the Unicode tables.
        let (letter, lower) = if c.is_ascii() {
            (c.is_ascii_alphabetic(), c.is_ascii_lowercase())
        } else if let Some(v) = vowel(c) {
            (true, !v.upper)
        } else if c == 'đ' || c == 'Đ' {
            (true, c == 'đ')
        } else {
            (c.is_alphabetic(), c.is_lowercase())
        };
        if lower {
            return false;
        }
        letters |= letter;
    }
    letters
}

/// Whether `s` ends a sentence or a lead-in: `.` `;` `:` `!` `?` `…`, possibly followed by
/// closing quotes or brackets.
pub(crate) fn ends_terminal(s: &str) -> bool {
    let t = s.trim_end_matches(['”', '’', '"', '\'', ')', ']', '»', '*', ' ']);
    t.ends_with(['.', ';', ':', '!', '?', '…'])
}

/// Whether `s` ends with a joining dash, as in "phát triển kinh tế -" (a dash after a space).
pub(crate) fn ends_with_connector_dash(s: &str) -> bool {
    s.ends_with(" -") || s.ends_with(" –") || s.ends_with(" —")
}

/// A bullet standing alone on its line: its text follows on the next line.
pub(crate) fn is_lone_bullet(s: &str) -> bool {
    matches!(s, "-" | "+" | "*" | "•" | "–" | "−")
}

/// Reads a numbered marker at the start of `s` (`2.`, `2)`, `1.2.`, `1.2`), returning whether
/// it is one. Thousands (`1.000`) and dates (`15.12.2025`) are not markers.
pub(crate) fn is_number_marker(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 0 || i > 3 {
        return false;
    }
    let mut sub = false;
    while i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        let s0 = i + 1;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i - s0 > 2 {
            return false;
        }
        sub = true;
    }
    if i < b.len() && (b[i] == b'.' || b[i] == b')') {
        i += 1;
        return i == b.len() || b[i] == b' ';
    }
    sub && (i == b.len() || b[i] == b' ')
}

fn followed_by_break(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with(' ')
}

/// `I.`, `IV)`, `X.` followed by a space or the end of the line.
fn is_roman_marker(s: &str) -> bool {
    let n = s
        .bytes()
        .take_while(|b| matches!(b, b'I' | b'V' | b'X' | b'L' | b'C'))
        .count();
    n > 0 && matches!(s.as_bytes().get(n), Some(b'.' | b')')) && followed_by_break(&s[n + 1..])
}

/// After `keyword `, a number (Arabic or Roman) then the end, a space, `.` or `:`.
fn keyword_then_number(s: &str, keyword: &str, need_punct: bool) -> bool {
    let Some(rest) = s.strip_prefix(keyword).and_then(|r| r.strip_prefix(' ')) else {
        return false;
    };
    let n = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || matches!(b, b'I' | b'V' | b'X' | b'L' | b'C'))
        .count();
    if n == 0 {
        return false;
    }
    // Allow a letter suffix such as "Điều 10a.".
    let mut r = &rest[n..];
    if let Some(c) = first_char(r) {
        if c.is_ascii_lowercase() {
            r = &r[1..];
        }
    }
    if need_punct {
        r.starts_with(['.', ':'])
    } else {
        r.is_empty() || r.starts_with([' ', '.', ':'])
    }
}

/// Whether a line starts with a structural marker, so it never continues the previous line:
/// `Điều N.`, `Chương`, `Mục N`, `Phần`, `N.`/`N)`, `a)`…`đ)`, `I.`, `-`, `+`, `(N)`,
/// `Căn cứ`, `Theo đề nghị`, `Xét đề nghị`, `QUYẾT ĐỊNH`, `Nơi nhận`, `Kính gửi`.
pub(crate) fn is_structural_start(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&b0) = b.first() else {
        return false;
    };
    match b0 {
        b'-' | b'+' | b'*' => return b.len() == 1 || b[1] == b' ',
        b'0'..=b'9' => return is_number_marker(s),
        b'(' => {
            let n = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            return n > 0 && b.get(1 + n) == Some(&b')') && followed_by_break(&s[2 + n..]);
        }
        b'I' | b'V' | b'X' | b'L' | b'C' if is_roman_marker(s) => return true,
        _ => {}
    }
    if b0 == 0xE2 {
        for bullet in ['•', '–', '−', '◦', '▪'] {
            if let Some(r) = s.strip_prefix(bullet) {
                return followed_by_break(r);
            }
        }
    }
    // a) b) … đ) …
    let mut it = s.char_indices();
    if let (Some((_, c)), Some((_, ')'))) = (it.next(), it.next()) {
        if c.is_ascii_lowercase() || c == 'đ' {
            return followed_by_break(&s[c.len_utf8() + 1..]);
        }
    }
    // Keywords, dispatched on the first byte so that most lines compare nothing.
    match b0 {
        0xC4 => keyword_then_number(s, "Điều", true) || keyword_then_number(s, "ĐIỀU", true),
        b'C' => {
            keyword_then_number(s, "Chương", false)
                || keyword_then_number(s, "CHƯƠNG", false)
                || s.starts_with("Căn cứ")
                || s.starts_with("CĂN CỨ")
        }
        b'M' => keyword_then_number(s, "Mục", false) || keyword_then_number(s, "MỤC", false),
        b'P' => {
            keyword_then_number(s, "Phần", false)
                || keyword_then_number(s, "PHẦN", false)
                || s.starts_with("Phần thứ")
                || s.starts_with("PHẦN THỨ")
        }
        b'T' => keyword_then_number(s, "Tiểu mục", false) || s.starts_with("Theo đề nghị"),
        b'X' => s.starts_with("Xét đề nghị"),
        b'Q' => s.starts_with("QUYẾT ĐỊNH"),
        b'N' => s.starts_with("Nơi nhận"),
        b'K' => s.starts_with("Kính gửi"),
        _ => false,
    }
}

/// Whether `s` starts with a number that continues a sentence ("87/2025/QH15;", "19 tháng",
/// "2021-2025 được") rather than a marker or a number heading a new item ("2. Nội dung").
pub(crate) fn is_digit_continuation(s: &str) -> bool {
    if !s.as_bytes().first().is_some_and(u8::is_ascii_digit) || is_number_marker(s) {
        return false;
    }
    let (token, rest) = s.split_once(' ').unwrap_or((s, ""));
    !token.bytes().all(|b| b.is_ascii_digit()) || rest.is_empty() || starts_lower(rest)
}

/// Whether `s` opens a bracket or quote and goes on in lower case: "(sau đây gọi là …".
pub(crate) fn opens_lower(s: &str) -> bool {
    let mut it = s.chars();
    matches!(it.next(), Some('(' | '“' | '"' | '‘' | '«'))
        && it.next().is_some_and(|c| c.is_lowercase())
}

/// The number label "Số:" with its number wrapped onto the next line.
pub(crate) fn is_number_label(s: &str) -> bool {
    matches!(s, "Số:" | "Số" | "Số :" | "SỐ:")
}

/// A place name split before its date: "Lai" + "Châu, ngày 28 tháng 11 năm 2025".
pub(crate) fn is_split_place_date(prev: &str, next: &str) -> bool {
    if prev.len() > 60 || !first_char(prev).is_some_and(char::is_uppercase) {
        return false;
    }
    let Some(k) = next.find(", ngày ") else {
        return false;
    };
    let head = &next[..k];
    let after = &next[k + ", ngày ".len()..];
    let words = |s: &str| s.split(' ').count();
    let plain = |s: &str| {
        !s.is_empty()
            && !s
                .bytes()
                .any(|b| b.is_ascii_digit() || matches!(b, b',' | b'/' | b'.' | b':'))
    };
    // Every word of a place name is capitalised ("Lai", "Hồ Chí"), except "phố" of "Thành phố".
    let capitalised = |s: &str| {
        s.split(' ')
            .all(|w| first_char(w).is_some_and(char::is_uppercase) || w == "phố")
    };
    plain(head)
        && words(head) <= 3
        && capitalised(head)
        && after.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && plain(prev)
        && words(prev) <= 4
        && prev.chars().count() <= 30
        && capitalised(prev)
}

/// Words after which a sentence cannot stop: prepositions and conjunctions, words that call
/// for a number ("khoản 5", "Điều 54") and the first syllable of agency names ("Bộ", "Sở").
/// Words that often end a table cell ("Mã số", "Cấp tỉnh") are left out on purpose: this rule
/// looks at text only, so it also applies across table borders.
const DANGLING: &[&str] = &[
    "và", "của", "tại", "theo", "với", "cho", "về", "bởi", "là", "để", "được", "trong", "từ",
    "đến", "hoặc", "các", "những", "khoản", "điểm", "Điều", "điều", "Mục", "mục", "Chương", "Phần",
    "Bộ", "Sở", "Cục", "Vụ",
];

/// Whether `s` ends with a word after which the sentence must go on (see [`DANGLING`]).
pub(crate) fn ends_with_dangling_word(s: &str) -> bool {
    let last = s.rsplit(' ').next().unwrap_or("");
    s.len() > last.len() && DANGLING.contains(&last)
}

/// Characters in the first word of `s`.
pub(crate) fn first_word_chars(s: &str) -> u32 {
    s.split(' ').next().map_or(0, |w| w.chars().count() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structural_markers() {
        for s in [
            "Điều 1. Phạm vi",
            "Điều 10a. X",
            "ĐIỀU 2:",
            "Chương I",
            "CHƯƠNG II",
            "Chương 3:",
            "Mục 1. Quy định",
            "Phần thứ nhất",
            "PHẦN I",
            "2. Nội dung",
            "2) x",
            "1.1. Mục tiêu",
            "1.2 Mục tiêu",
            "a) Cải cách",
            "đ) Tài chính",
            "I. QUAN ĐIỂM",
            "IV) x",
            "- Như Điều 3;",
            "+ Tập trung",
            "* Mục tiêu",
            "(1) Việc lập",
            "Căn cứ Luật",
            "Theo đề nghị của",
            "Xét đề nghị",
            "QUYẾT ĐỊNH:",
            "Nơi nhận:",
            "Kính gửi:",
            "•",
            "-",
            "1.",
        ] {
            assert!(is_structural_start(s), "{s}");
        }
        for s in [
            "Điều 5 Luật này",
            "Chương trình cải cách",
            "Mục tiêu cụ thể",
            "87/2025/QH15;",
            "19 tháng 11",
            "1.000.000 đồng",
            "15.12.2025",
            "Ủy ban",
            "các xã",
            "(sau đây",
            "-3-",
            "Independence",
            "CV số",
            "Phầnmềm",
        ] {
            assert!(!is_structural_start(s), "{s}");
        }
    }

    #[test]
    fn digit_continuations() {
        for s in [
            "87/2025/QH15;",
            "19 tháng 11 năm 2025",
            "2021-2025 được",
            "2025, Bộ",
            "56",
            "1.000 đồng",
        ] {
            assert!(is_digit_continuation(s), "{s}");
        }
        for s in ["2. Nội dung", "1 Cấp giấy phép", "3) x", "abc"] {
            assert!(!is_digit_continuation(s), "{s}");
        }
    }

    #[test]
    fn case_and_punctuation() {
        assert!(is_all_caps("HUYỆN XUÂN LỘC"));
        assert!(is_all_caps("TM."));
        assert!(!is_all_caps("Độc lập - Tự do"));
        assert!(!is_all_caps("2025"));
        assert!(ends_terminal("như sau:"));
        assert!(ends_terminal("quy định”."));
        assert!(ends_terminal("(trích)."));
        assert!(!ends_terminal("(trích)"));
        assert!(!ends_terminal("Luật số"));
        assert!(ends_with_connector_dash("kinh tế -"));
        assert!(!ends_with_connector_dash("KT-XH"));
        assert!(opens_lower("(sau đây gọi là"));
        assert!(!opens_lower("(1) Việc"));
    }

    #[test]
    fn place_date() {
        assert!(is_split_place_date(
            "Lai",
            "Châu, ngày 28 tháng 11 năm 2025"
        ));
        assert!(is_split_place_date(
            "Thành phố Hồ Chí",
            "Minh, ngày 1 tháng 1 năm 2025"
        ));
        assert!(!is_split_place_date(
            "Số: 12/QĐ",
            "Châu, ngày 28 tháng 11 năm 2025"
        ));
        assert!(!is_split_place_date("Lai", "Châu và ngày 28"));
        assert!(!is_split_place_date(
            "kết thúc.",
            "Châu, ngày 28 tháng 11 năm 2025"
        ));
        assert!(!is_split_place_date(
            "V/v khai bổ sung",
            "Hà Nội, ngày 25 tháng 11 năm 2025"
        ));
        assert!(!is_split_place_date(
            "Về việc",
            "Hà Nội, ngày 25 tháng 11 năm 2025"
        ));
    }
}
