//! Dates as Vietnamese texts write them: `ngày 15 tháng 12 năm 2021`, `15/12/2021`.

use super::grammar::{try_parse, window, Rule};
use crate::model::Date;

/// Parses a date at the start of `s` (`15 tháng 12 năm 2021`, `15/12/2021`), returning the
/// date and the number of bytes it took. An impossible date (31/02) gives `None`.
pub fn date_at(s: &str) -> Option<(Date, usize)> {
    let pairs = try_parse(Rule::date_any, window(s, 40))?;
    let p = pairs.clone().next()?;
    let len = p.as_str().len();
    let mut d = None;
    let mut m = None;
    let mut y = None;
    for q in p.into_inner().flatten() {
        match q.as_rule() {
            Rule::day => d = q.as_str().parse::<u32>().ok(),
            Rule::month => m = q.as_str().parse::<u32>().ok(),
            Rule::year4 => y = q.as_str().parse::<i32>().ok(),
            _ => {}
        }
    }
    let date = Date::from_ymd_opt(y?, m?, d?)?;
    Some((date, len))
}

/// Parses `ngày 15 tháng 12 năm 2021` (or `ngày 15/12/2021`) at the start of `s`.
pub fn dated_at(s: &str) -> Option<(Date, usize)> {
    let rest = s
        .strip_prefix("ngày ")
        .or_else(|| s.strip_prefix("Ngày "))?;
    let (d, len) = date_at(rest)?;
    Some((d, len + s.len() - rest.len()))
}

/// Finds the first `ngày <date>` in `s`, returning the date and its byte range.
pub fn find_dated(s: &str) -> Option<(Date, usize, usize)> {
    let mut from = 0;
    while let Some(i) = s[from..].find("ngày ") {
        let at = from + i;
        if let Some((d, len)) = dated_at(&s[at..]) {
            return Some((d, at, at + len));
        }
        from = at + "ngày ".len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Date {
        Date::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn forms() {
        assert_eq!(date_at("15 tháng 12 năm 2021").unwrap().0, d(2021, 12, 15));
        assert_eq!(date_at("09/9/2021;").unwrap(), (d(2021, 9, 9), 9));
        assert_eq!(date_at("1-7-2025").unwrap().0, d(2025, 7, 1));
        assert_eq!(dated_at("ngày 27/3/2021 của").unwrap().0, d(2021, 3, 27));
        assert!(date_at("31/02/2021").is_none());
        assert_eq!(
            find_dated("Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng")
                .unwrap()
                .0,
            d(2021, 3, 27)
        );
    }
}
