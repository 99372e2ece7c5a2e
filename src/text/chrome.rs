//! Step 4: the page chrome of scraped legal-library pages.
//!
//! A page of the library (tvpl) wraps the document in: a copyright banner and a legend at the
//! top ending with "Đang tải văn bản..."; a page title; a metadata table (`Số hiệu:` / value /
//! `Loại văn bản:` / value … `Tình trạng:` / value); sometimes an editorial summary under a
//! `##` heading; and after the signature, the page title again, an English translation, and a
//! list of related documents. None of it is the document's text, and the dates and numbers in
//! it would mislead the parser, so it goes. The metadata table is returned as key/value pairs
//! for cross-checking.
//!
//! The step is conservative: it only acts where the library's layout is recognised, and only
//! drops lines that match the layout's fixed strings or positions.

use super::chrome_table::{
    BANNER_PREFIX, BANNER_WORDS, HEAD_LINES, LAST_KEY, LOADING, METADATA_KEYS, TAIL_HEADINGS,
    TAIL_LINES,
};
use super::offsets::{Line, LineFlags};
use super::reflow::rejoin_whole_lines;

fn is_banner(t: &str) -> bool {
    t.starts_with("Bản dịch này thuộc quyền sở hữu của")
        || (t.starts_with(BANNER_PREFIX) && BANNER_WORDS.iter().any(|w| t.contains(w)))
}

/// A key line of the metadata table: a known key, or a short label in the same style
/// ("Ngày hợp nhất:"), since the table's rows vary with the document type.
fn metadata_key(t: &str) -> Option<&str> {
    let k = t.strip_suffix(':')?.trim_end();
    if let Some(key) = METADATA_KEYS.iter().copied().find(|&key| key == k) {
        return Some(key);
    }
    let words = k.split(' ').count();
    let plain = !k
        .bytes()
        .any(|b| b.is_ascii_digit() || b == b':' || b == b'/');
    let capital = k.chars().next().is_some_and(char::is_uppercase);
    (words <= 4 && plain && capital && !k.is_empty()).then_some(k)
}

/// Whether `t` is the library's title line for the document numbered `number`:
/// a few words naming the type ("Quyết định", "Circular No.") then the number.
fn is_title_line(t: &str, number: &str) -> bool {
    if number.is_empty() {
        return false;
    }
    let Some(p) = t.find(number) else {
        return false;
    };
    let head = t[..p].trim_end();
    let after = &t[p + number.len()..];
    if head.is_empty() || head.len() > 60 || !(after.is_empty() || after.starts_with(' ')) {
        return false;
    }
    let words: Vec<&str> = head.split(' ').collect();
    let last = words.last().copied().unwrap_or("");
    words.len() <= 6
        && !head.bytes().any(|b| b.is_ascii_digit())
        && head.chars().next().is_some_and(char::is_uppercase)
        && !matches!(last, "số" | "Số" | "số:" | "Số:" | "SỐ")
}

/// An English heading of the translation that follows the Vietnamese text ("MINISTRY OF").
fn is_english_header(t: &str) -> bool {
    t.is_ascii()
        && t.bytes().filter(u8::is_ascii_alphabetic).count() >= 6
        && !t.bytes().any(|b| b.is_ascii_lowercase())
}

fn is_tail_start(line: &Line) -> bool {
    TAIL_LINES.contains(&line.text.as_str())
        || (line.flags.heading && TAIL_HEADINGS.contains(&line.text.as_str()))
}

/// Reads the metadata table starting at `lines[m]`: its pairs and the index after it.
fn read_metadata(lines: &[Line], m: usize) -> (usize, Vec<(String, String)>) {
    let mut pairs = Vec::new();
    let mut j = m;
    while j < lines.len() {
        let Some(key) = metadata_key(&lines[j].text) else {
            break;
        };
        j += 1;
        let mut value = String::new();
        let max = if key == LAST_KEY { 1 } else { 2 };
        let mut n = 0;
        while j < lines.len() && n < max && metadata_key(&lines[j].text).is_none() {
            if !value.is_empty() {
                value.push(' ');
            }
            value.push_str(&lines[j].text);
            j += 1;
            n += 1;
        }
        pairs.push((key.to_owned(), value));
        if key == LAST_KEY {
            break;
        }
    }
    (j, pairs)
}

/// Removes the chrome in place and returns the metadata table's pairs.
pub(crate) fn strip_chrome(lines: &mut Vec<Line>) -> Vec<(String, String)> {
    let mut meta = Vec::new();
    let mut keep = vec![true; lines.len()];
    let mut body = 0;
    let mut tvpl = false;

    // The head of the page, up to "Đang tải văn bản...".
    if let Some(k) = (0..lines.len().min(80)).find(|&k| lines[k].text == LOADING) {
        tvpl = true;
        for j in 0..=k {
            let t = lines[j].text.as_str();
            if HEAD_LINES.contains(&t) || is_banner(t) {
                keep[j] = false;
            }
        }
        body = k + 1;
    } else {
        for j in 0..lines.len().min(40) {
            if is_banner(&lines[j].text) {
                keep[j] = false;
                tvpl = true;
            }
        }
    }

    // The metadata table, possibly after the page title.
    let table = (body..lines.len().min(body + 4))
        .find(|&k| lines[k].text == "Số hiệu:")
        .map(|m| (m, read_metadata(lines, m)))
        .filter(|(_, (_, pairs))| pairs.len() >= 3);
    if let Some((m, (j, pairs))) = table {
        // The lines between the head and the table are the page title, when the head is there.
        let from = if tvpl { body } else { m };
        tvpl = true;
        for k in keep.iter_mut().take(j).skip(from) {
            *k = false;
        }
        meta = pairs;
        body = j;
        // The library's summary: a heading right after the table, up to the next cell border.
        if j < lines.len() && lines[j].flags.heading {
            let end = (j + 1..lines.len().min(j + 80)).find(|&k| {
                let f = lines[k].flags;
                f.barrier_before && !f.heading && !lines[k - 1].flags.heading
            });
            if let Some(end) = end {
                for k in keep.iter_mut().take(end).skip(j) {
                    *k = false;
                }
                body = end;
            }
        }
    }

    // The tail: title again, English version, related documents.
    if tvpl {
        let number = meta
            .iter()
            .find(|(k, _)| k == "Số hiệu")
            .map_or("", |(_, v)| v.as_str());
        let cut = (body..lines.len()).find(|&k| {
            is_tail_start(&lines[k])
                || (lines
                    .get(k + 1)
                    .is_none_or(|n| is_tail_start(n) || is_english_header(&n.text))
                    && is_title_line(&lines[k].text, number))
        });
        if let Some(mut c) = cut {
            if c > body && is_title_line(&lines[c - 1].text, number) {
                c -= 1;
            }
            for k in keep.iter_mut().skip(c) {
                *k = false;
            }
        }
    }

    let mut k = 0;
    lines.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    meta
}

/// Step 4 again, on the lines as the reflow left them, until it finds nothing more.
///
/// The chrome is recognised partly by position: the banner in the first 40 lines, the
/// loading line in the first 80, the metadata table within four lines of the head. Dropping
/// page marks and joining wrapped lines shortens the document, so in the output a banner can
/// stand within 40 lines of the top where it did not before, and normalising the output
/// again would remove it. So the output is checked here as that second pass would see it
/// (no markup flags), and what is removed lets the text rules join the lines around it, as
/// that second pass would. Ordinary documents are checked once and nothing changes; every
/// further round removes at least one line, so the loop ends.
pub(crate) fn strip_chrome_again(
    mut lines: Vec<Line>,
    meta: &mut Vec<(String, String)>,
) -> Vec<Line> {
    for l in &mut lines {
        l.flags = LineFlags::default();
    }
    loop {
        let before = lines.len();
        let found = strip_chrome(&mut lines);
        if meta.is_empty() {
            *meta = found;
        }
        if lines.len() == before {
            return lines;
        }
        lines = rejoin_whole_lines(lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(src: &[&str]) -> Vec<Line> {
        src.iter()
            .map(|t| {
                let (t, heading) = match t.strip_prefix("## ") {
                    Some(t) => (t, true),
                    None => (*t, false),
                };
                let mut l = Line::verbatim(t, 0);
                l.flags = LineFlags {
                    heading,
                    barrier_before: heading,
                    ..LineFlags::default()
                };
                l
            })
            .collect()
    }

    fn texts(ls: &[Line]) -> Vec<&str> {
        ls.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn tvpl_page() {
        let mut ls = lines(&[
            "Bản dịch này thuộc quyền sở hữu của",
            "THƯ VIỆN PHÁP LUẬT. Mọi hành vi sao chép, đăng tải lại mà không có sự đồng ý của",
            "X",
            "CÁC NỘI DUNG ĐƯỢC SỬA ĐỔI, HƯỚNG DẪN",
            "hủy bỏ",
            "Đang tải văn bản...",
            "Quyết định 89/2025/QĐ-UBND phân cấp",
            "Số hiệu:",
            "89/2025/QĐ-UBND",
            "Loại văn bản:",
            "Quyết định",
            "Ngày hiệu lực:",
            "Đã biết",
            "Tình trạng:",
            "Đã biết",
            "ỦY BAN NHÂN DÂN",
            "việc hủy bỏ",
            "hủy bỏ",
            "Tống Thanh Hải",
            "Quyết định 89/2025/QĐ-UBND phân cấp tuyển dụng",
            "Văn bản này chưa cập nhật nội dung Tiếng Anh",
            "## Văn bản liên quan",
            "Ban hành:",
        ]);
        let meta = strip_chrome(&mut ls);
        assert_eq!(
            texts(&ls),
            ["ỦY BAN NHÂN DÂN", "việc hủy bỏ", "hủy bỏ", "Tống Thanh Hải"]
        );
        assert_eq!(
            meta,
            [
                ("Số hiệu".to_owned(), "89/2025/QĐ-UBND".to_owned()),
                ("Loại văn bản".to_owned(), "Quyết định".to_owned()),
                ("Ngày hiệu lực".to_owned(), "Đã biết".to_owned()),
                ("Tình trạng".to_owned(), "Đã biết".to_owned()),
            ]
        );
    }

    #[test]
    fn summary_and_english_translation_are_dropped() {
        let mut ls = lines(&[
            "Đang tải văn bản...",
            "Số hiệu:",
            "112/2025/TT-BTC",
            "Loại văn bản:",
            "Thông tư",
            "Tình trạng:",
            "Đã biết",
            "## Quy định mới",
            "Thông tư 112/2025/TT-BTC có hiệu lực từ 28/11/2025.",
            "BỘ TÀI CHÍNH",
            "Điều 1. Nội dung",
            "Thông tư 112/2025/TT-BTC sửa đổi Thông tư 55/2023/TT-BTC",
            "MINISTRY OF",
            "Article 1.",
        ]);
        ls[9].flags.barrier_before = true;
        strip_chrome(&mut ls);
        assert_eq!(texts(&ls), ["BỘ TÀI CHÍNH", "Điều 1. Nội dung"]);
    }

    #[test]
    fn other_documents_are_untouched() {
        let src = [
            "ỦY BAN NHÂN DÂN",
            "Số hiệu:",
            "X",
            "hủy bỏ",
            "Văn bản liên quan",
        ];
        let mut ls = lines(&src);
        assert!(strip_chrome(&mut ls).is_empty());
        assert_eq!(texts(&ls), src);
    }

    #[test]
    fn chrome_brought_into_its_window_by_the_reflow_goes_too() {
        // Step 4 sees the banner as line 41; once the page number is dropped and the lines
        // are joined, it is line 21 of the output, where a second pass would look for it.
        let mut src = vec!["Điều 1. Phạm vi"];
        for _ in 0..20 {
            src.extend(["các quy định.", "- 3 -"]);
        }
        src.extend(["Bản dịch này thuộc quyền sở hữu của", "Điều 2. Hiệu lực"]);
        let mut ls = lines(&src);
        assert!(strip_chrome(&mut ls).is_empty());
        assert_eq!(ls.len(), 43);
        let joined =
            crate::text::reflow::reflow(crate::text::page_marks::drop_page_marks(ls), false);
        assert_eq!(joined.len(), 3);
        let again = strip_chrome_again(joined, &mut Vec::new());
        assert_eq!(texts(&again)[1..], ["Điều 2. Hiệu lực"]);
    }

    #[test]
    fn title_lines() {
        assert!(is_title_line(
            "Quyết định 89/2025/QĐ-UBND phân cấp",
            "89/2025/QĐ-UBND"
        ));
        assert!(is_title_line(
            "Circular No. 109/2025/TT-BTC dated",
            "109/2025/TT-BTC"
        ));
        assert!(is_title_line("Kết luận 212-KL/TW năm 2025", "212-KL/TW"));
        assert!(!is_title_line(
            "theo Quyết định số 89/2025/QĐ-UBND",
            "89/2025/QĐ-UBND"
        ));
        assert!(!is_title_line("Số: 89/2025/QĐ-UBND", "89/2025/QĐ-UBND"));
    }
}
