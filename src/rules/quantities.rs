//! Quantities in provisions: deadlines (`05 ngày làm việc`), amounts (`2.000.000 đồng/hộ`),
//! rates (`10%`), ages (`18 tuổi`), areas (`40 m²`) and lengths (`1,5 m`), with their unit and
//! the words before them (what they qualify).
//!
//! Numbers that are parts of dates (`ngày 14 tháng 02 năm 2020`), of document numbers
//! (`05/2020/QĐ-UBND`), of provision names (`Điều 5`, `khoản 2`) or times of day (`7 giờ 00`)
//! are not quantities. Vietnamese writes `.` between thousands and `,` before decimals.

use serde::Serialize;

use crate::text::fold;

/// The kinds of quantity a rule can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// *Thời hạn*: days, working days, months, years.
    Deadline,
    /// *Mức tiền*: đồng, with a per-unit suffix (`đồng/hộ/tháng`).
    Amount,
    /// *Tỷ lệ*: a percentage.
    Rate,
    /// *Độ tuổi*.
    Age,
    /// *Diện tích*: m², ha.
    Area,
    /// *Chiều dài, chiều rộng*: m.
    Length,
}

impl QuantityKind {
    /// The kind named by the words of a rule (`deadline`, `amount`, …).
    pub fn from_words(w: &str) -> Option<QuantityKind> {
        Some(match w {
            "deadline" | "deadlines" | "time limit" => QuantityKind::Deadline,
            "amount" | "amounts" | "amount of money" | "price" | "fee" => QuantityKind::Amount,
            "rate" | "rates" | "percentage" => QuantityKind::Rate,
            "age" | "ages" => QuantityKind::Age,
            "area" | "areas" => QuantityKind::Area,
            "length" | "lengths" | "width" => QuantityKind::Length,
            _ => return None,
        })
    }
}

/// One quantity found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    pub kind: QuantityKind,
    pub value: f64,
    /// The unit as written, normalised (`ngày làm việc`, `đồng/hộ/tháng`, `%`, `m²`).
    pub unit: String,
    /// The number and unit as written (`05 ngày làm việc`).
    pub raw: String,
    /// Byte offsets of `raw` in the text.
    pub start: usize,
    pub end: usize,
}

/// Words after which a number is not a quantity.
const NOT_AFTER: &[&str] = &[
    "ngày", "tháng", "năm", "điều", "khoản", "điểm", "số", "mục", "chương", "phần", "giờ", "lúc",
    "phút", "lần", "đoạn", "thứ",
];

fn prev_word(text: &str, at: usize) -> String {
    let before = text[..at].trim_end();
    let w: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    // Lower case with diacritics kept: `mục` (a section) is not `mức` (a level).
    w.chars().rev().collect::<String>().to_lowercase()
}

/// Finds the quantities of a text, in order.
pub fn extract(text: &str) -> Vec<Quantity> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let boundary_ok = start == 0 || {
            let c = text[..start].chars().next_back().unwrap_or(' ');
            !(c.is_alphanumeric() || matches!(c, '/' | '.' | ',' | '-'))
        };
        // The number: digits with `.`/`,` groups.
        let mut j = i;
        while j < bytes.len()
            && (bytes[j].is_ascii_digit()
                || (matches!(bytes[j], b'.' | b',')
                    && j + 1 < bytes.len()
                    && bytes[j + 1].is_ascii_digit()))
        {
            j += 1;
        }
        let num = &text[start..j];
        i = j;
        if !boundary_ok || (j < bytes.len() && matches!(bytes[j], b'/' | b'-')) {
            continue;
        }
        if NOT_AFTER.contains(&prev_word(text, start).as_str()) {
            continue;
        }
        let Some(value) = parse_number(num) else {
            continue;
        };
        let rest = &text[j..];
        let Some((kind, unit, len)) = unit_of(rest) else {
            continue;
        };
        out.push(Quantity {
            kind,
            value,
            unit,
            raw: text[start..j + len].to_string(),
            start,
            end: j + len,
        });
        i = j + len;
    }
    out
}

fn parse_number(s: &str) -> Option<f64> {
    // `2.000.000` → 2000000; `1,5` → 1.5; `1.5` (rare) → 1.5 when the group is not 3 digits.
    let groups: Vec<&str> = s.split('.').collect();
    let thousands = groups.len() > 1 && groups[1..].iter().all(|g| g.len() == 3 || g.contains(','));
    let s = if thousands {
        s.replace('.', "")
    } else {
        s.to_string()
    };
    s.replace(',', ".").parse().ok()
}

/// The unit at the start of `rest` (after optional spaces): kind, normalised unit, bytes used.
fn unit_of(rest: &str) -> Option<(QuantityKind, String, usize)> {
    let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
    let skip = rest.len() - trimmed.len();
    let f = fold(trimmed);
    // `fold` keeps lengths of ASCII but not of multi-byte letters: measure on the original.
    let take_chars = |n: usize| -> usize { trimmed.chars().take(n).map(char::len_utf8).sum() };
    let word_end = |s: &str| s.chars().next().is_none_or(|c| !c.is_alphanumeric());
    let suffix = |from: usize| -> usize {
        // A per-unit suffix without spaces: `/hộ/tháng`, `/m²/tháng`.
        let s = &trimmed[from..];
        if !s.starts_with('/') {
            return 0;
        }
        s.char_indices()
            .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ';' | '.' | ')' | ':'))
            .map_or(s.len(), |(k, _)| k)
    };
    if f.starts_with('%') {
        return Some((QuantityKind::Rate, "%".into(), skip + 1));
    }
    for (words, kind, unit) in [
        ("ngay lam viec", QuantityKind::Deadline, "ngày làm việc"),
        ("ngay", QuantityKind::Deadline, "ngày"),
        ("thang", QuantityKind::Deadline, "tháng"),
        ("nam", QuantityKind::Deadline, "năm"),
        ("tuoi", QuantityKind::Age, "tuổi"),
        ("dong", QuantityKind::Amount, "đồng"),
        ("m2", QuantityKind::Area, "m²"),
        ("m²", QuantityKind::Area, "m²"),
        ("ha", QuantityKind::Area, "ha"),
        ("met vuong", QuantityKind::Area, "m²"),
        ("met", QuantityKind::Length, "m"),
        ("m", QuantityKind::Length, "m"),
    ] {
        if f.starts_with(words) && word_end(&f[words.len()..]) {
            let n = take_chars(words.chars().count());
            let sfx = if matches!(kind, QuantityKind::Amount | QuantityKind::Area) {
                suffix(n)
            } else {
                0
            };
            let unit = format!("{unit}{}", &trimmed[n..n + sfx]);
            return Some((kind, unit, skip + n + sfx));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<(QuantityKind, f64, String)> {
        extract(text)
            .into_iter()
            .map(|q| (q.kind, q.value, q.unit))
            .collect()
    }

    #[test]
    fn deadlines_amounts_lengths() {
        assert_eq!(
            q("thời hạn thẩm định là 07 ngày làm việc kể từ ngày nhận"),
            vec![(QuantityKind::Deadline, 7.0, "ngày làm việc".into())]
        );
        assert_eq!(
            q("được hỗ trợ 2.000.000 đồng/hộ/tháng."),
            vec![(QuantityKind::Amount, 2_000_000.0, "đồng/hộ/tháng".into())]
        );
        assert_eq!(
            q("chiều rộng tối thiểu 1,5 m, liên tục"),
            vec![(QuantityKind::Length, 1.5, "m".into())]
        );
        assert_eq!(
            q("mức 15.000 đồng/m²/tháng tại thị trấn; 8.000 đồng/m²/tháng tại các xã"),
            vec![
                (QuantityKind::Amount, 15_000.0, "đồng/m²/tháng".into()),
                (QuantityKind::Amount, 8_000.0, "đồng/m²/tháng".into())
            ]
        );
        assert_eq!(
            q("người từ đủ 18 tuổi; giảm 50%"),
            vec![
                (QuantityKind::Age, 18.0, "tuổi".into()),
                (QuantityKind::Rate, 50.0, "%".into())
            ]
        );
    }

    #[test]
    fn dates_numbers_and_times_are_not_quantities() {
        assert!(q("Quyết định số 05/2020/QĐ-UBND ngày 14 tháng 02 năm 2020").is_empty());
        assert!(q("theo khoản 1 Điều 13 của Quy định").is_empty());
        assert!(q("buổi sáng từ 7 giờ 00 đến 11 giờ 30").is_empty());
    }
}
