//! Step 5: page numbers and signature placeholders.
//!
//! Text converted from PDF keeps the page numbers ("- 3 -", "Trang 3", a bare "12") between
//! paragraphs, often in the middle of a sentence that the reflow must then join. Converters and
//! scrapers also leave placeholders where the signature image was ("[Signature]", "(Đã ký)").
//! Neither is document text.
//!
//! A bare number inside a table is different: it is a row number ("STT"), so it is kept, put in
//! front of the row's first cell, so that it cannot be mistaken for a page number later.

use super::ascii::find2;
use super::markers::is_structural_start;
use super::offsets::{Line, LineBuilder};
use super::spaces::collapse_spaces;

/// "- 3 -", "-3-", "– 3 –", "Trang 3", "Trang 3/10".
pub(crate) fn is_page_number(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit());
    for dash in ['-', '–', '—'] {
        if let Some(inner) = s.strip_prefix(dash).and_then(|r| r.strip_suffix(dash)) {
            return digits(inner.trim_matches(' '));
        }
    }
    if let Some(rest) = s
        .strip_prefix("Trang ")
        .or_else(|| s.strip_prefix("TRANG "))
    {
        let (a, b) = rest.split_once('/').unwrap_or((rest, "1"));
        return digits(a) && digits(b);
    }
    false
}

/// A number alone on its line: one to three digits.
pub(crate) fn is_bare_number(s: &str) -> bool {
    !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Placeholders for a signature, compared in lower case.
const SIGNATURES: &[&str] = &[
    "[signature]",
    "[signed]",
    "(signed)",
    "(đã ký)",
    "[đã ký]",
    "[chữ ký]",
    "(chữ ký)",
    "(ký tên, đóng dấu)",
    "(ký tên và đóng dấu)",
    "[daky]",
    "[da ky]",
];

/// The longest placeholder, in bytes.
pub(crate) const MAX_SIGNATURE_LEN: usize = 40;

/// Whether `t` holds a signature placeholder.
pub(crate) fn has_signature_placeholder(t: &str) -> bool {
    !placeholders(t).is_empty()
}

/// Removes signature placeholders wherever they stand in the line.
pub(crate) fn remove_signature_placeholders(line: Line) -> Line {
    let t = &line.text;
    let hits = placeholders(t);
    if hits.is_empty() {
        return line;
    }
    let mut b = LineBuilder::with_capacity(t.len());
    let mut pending = 0;
    for r in hits {
        b.copy(&line, pending..r.start);
        pending = r.end;
    }
    b.copy(&line, pending..t.len());
    collapse_spaces(b.finish(line.flags))
}

/// The byte ranges of the signature placeholders in `t`.
fn placeholders(t: &str) -> Vec<std::ops::Range<usize>> {
    let b = t.as_bytes();
    let mut hits = Vec::new();
    if find2(b, 0, b'[', b'(') == b.len() {
        return hits;
    }
    let mut from = 0;
    loop {
        let i = find2(b, from, b'[', b'(');
        if i >= b.len() {
            break;
        }
        from = i + 1;
        // Every placeholder starts with one of these letters; most brackets are skipped here.
        let next = b.get(i + 1).copied().unwrap_or(0);
        if !matches!(next | 0x20, b's' | b'c' | b'k' | b'd') && next != 0xC4 {
            continue;
        }
        let close = if b[i] == b'[' { b']' } else { b')' };
        let window = &b[i..b.len().min(i + MAX_SIGNATURE_LEN)];
        let Some(len) = window.iter().position(|&c| c == close) else {
            continue;
        };
        let cand = t[i..=i + len].to_lowercase();
        if SIGNATURES.contains(&cand.as_str()) {
            hits.push(i..i + len + 1);
            from = i + len + 1;
        }
    }
    hits
}

/// Step 5 over the document.
pub(crate) fn drop_page_marks(lines: Vec<Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut row_number: Option<Line> = None;
    let n = lines.len();
    let mut it = lines.into_iter().peekable();
    let mut k = 0;
    while let Some(line) = it.next() {
        k += 1;
        let line = remove_signature_placeholders(line);
        if line.text.is_empty() || is_page_number(&line.text) {
            continue;
        }
        if is_bare_number(&line.text) {
            let next_barrier = it.peek().is_some_and(|l| l.flags.barrier_before);
            let in_table = line.flags.in_table || line.flags.barrier_before || next_barrier;
            let next_ok = it.peek().is_some_and(|l| !is_structural_start(&l.text));
            if in_table && next_ok && k < n {
                row_number = Some(line);
            }
            continue;
        }
        match row_number.take() {
            Some(num) => {
                let mut b = LineBuilder::with_capacity(num.text.len() + 1 + line.text.len());
                b.copy(&num, 0..num.text.len());
                let (src, _) = num.locate(num.text.len());
                b.insert(" ", src);
                b.copy(&line, 0..line.text.len());
                let mut flags = line.flags;
                flags.barrier_before |= num.flags.barrier_before;
                flags.blank_before |= num.flags.blank_before;
                out.push(b.finish(flags));
            }
            None => out.push(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::offsets::LineFlags;

    fn line(t: &str, barrier: bool) -> Line {
        let mut l = Line::verbatim(t, 0);
        l.flags = LineFlags {
            barrier_before: barrier,
            ..LineFlags::default()
        };
        l
    }

    #[test]
    fn page_numbers() {
        for s in ["- 3 -", "-3-", "– 12 –", "Trang 3", "Trang 3/10"] {
            assert!(is_page_number(s), "{s}");
        }
        for s in [
            "- Như Điều 3;",
            "Trang Hạ, Đồng Kỵ",
            "3",
            "-",
            "Trang",
            "- a -",
        ] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn signatures_are_removed_anywhere() {
        let f = |s: &str| remove_signature_placeholders(Line::verbatim(s, 0)).text;
        assert_eq!(
            f("thi hành Quyết định này. [Signature]"),
            "thi hành Quyết định này."
        );
        assert_eq!(f("(Đã ký)"), "");
        assert_eq!(f("a (đã ký) b [Chữ ký] c [daky]"), "a b c");
        assert_eq!(f("(Ký tên, đóng dấu)"), "");
        assert_eq!(f("(xem Phụ lục)"), "(xem Phụ lục)");
    }

    #[test]
    fn bare_numbers_between_paragraphs_go_and_row_numbers_stay() {
        let out = drop_page_marks(vec![
            line("kinh tế", false),
            line("12", false),
            line("xã hội", false),
            line("1", true),
            line("Cấp giấy phép", true),
        ]);
        let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["kinh tế", "xã hội", "1 Cấp giấy phép"]);
    }
}
