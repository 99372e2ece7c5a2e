//! Step 6: reflow — joining lines that a converter wrapped.
//!
//! Scraped pages are hard-wrapped at about 80 columns, pandoc wraps at 72, and PDF conversion
//! breaks sentences at page ends. The parser wants one logical line per paragraph, heading or
//! list item, so wrapped lines are joined with one space. A line is never joined when it starts
//! a structural marker (`Điều N.`, `1.`, `a)`, `-`, `Căn cứ` …) or is all upper case (header
//! lines such as "HUYỆN XUÂN LỘC" stay on their own).
//!
//! The rules come in two kinds:
//! * **text rules** look only at the two lines' text (next starts in lower case; previous ends
//!   with `,`, a joining dash or a word after which no sentence stops ("của Bộ", "tại khoản");
//!   a number or a bracket continuing a sentence; a lone bullet; a
//!   split place-and-date line; a break inside a fixed header phrase). They apply across blank
//!   lines (page breaks), table borders and hard breaks alike, because normalising the output
//!   again must not find anything new to join;
//! * **layout rules** use what the markup said: inside a pandoc paragraph a line break is soft;
//!   an emphasis span left open at the end of a line and closed later continues the paragraph;
//!   in a hard-wrapped file a line that could not have held the next word was wrapped; a bold
//!   header split after its first word ("**ỦY\nBAN NHÂN DÂN**") is one line. They never apply
//!   across a blank line, a table border or a hard break.

use super::markdown::{is_marks_only, is_rule_char, is_rule_line};
use super::markers::{
    ends_terminal, ends_with_connector_dash, ends_with_dangling_word, first_word_chars,
    is_all_caps, is_digit_continuation, is_lone_bullet, is_number_label, is_split_place_date,
    is_structural_start, opens_lower, starts_lower,
};
use super::offsets::{Anchor, Line, LineFlags};
use super::page_marks::{has_signature_placeholder, is_page_number, MAX_SIGNATURE_LEN};
use super::phrases::splits_header_phrase;

/// What the reflow knows about the whole document.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Layout {
    /// The source is pandoc Markdown: line breaks inside paragraphs are soft.
    pub pandoc: bool,
    /// The width the source was hard-wrapped at, when it was.
    pub wrap: Option<u32>,
}

/// Per-line emphasis state computed over the document.
#[derive(Clone, Copy, Debug, Default)]
struct Span {
    /// Emphasis still open after this line (running parity within its paragraph).
    run: u8,
    /// Open after this line, and closed by a later line of the same paragraph.
    open: bool,
}

fn starts_paragraph(l: &Line) -> bool {
    l.flags.blank_before || l.flags.barrier_before || is_structural_start(&l.text)
}

fn spans(lines: &[Line]) -> Vec<Span> {
    let mut out = vec![Span::default(); lines.len()];
    let mut r = 0u8;
    for (k, l) in lines.iter().enumerate() {
        if starts_paragraph(l) {
            r = 0;
        }
        r ^= l.flags.em_parity;
        out[k].run = r;
    }
    let mut closed_later = false;
    for k in (0..lines.len()).rev() {
        out[k].open = out[k].run != 0 && closed_later;
        closed_later = !starts_paragraph(&lines[k]) && (closed_later || out[k].run == 0);
    }
    out
}

/// Estimates the width a file was hard-wrapped at, from lines that certainly continue on the
/// next line (it starts in lower case); `None` when the file is not hard-wrapped.
pub(crate) fn wrap_width(lines: &[Line]) -> Option<u32> {
    let mut widths: Vec<u32> = lines
        .windows(2)
        .filter(|w| {
            let (p, n) = (&w[0], &w[1]);
            !n.flags.blank_before
                && !n.flags.barrier_before
                && p.flags.src_width >= 40
                && starts_lower(&n.text)
                && !is_structural_start(&n.text)
        })
        .map(|w| w[0].flags.src_width)
        .collect();
    if widths.len() < 8 {
        return None;
    }
    widths.sort_unstable();
    let w = widths[widths.len() * 9 / 10];
    (w <= 120).then_some(w)
}

/// How far below the estimated width a wrapped line may end: wrappers count markup and wide
/// characters differently, so the estimate is fuzzy.
const WRAP_SLACK: u32 = 2;

/// Whether `next` continues `prev` (the text and flags of the physical line before it).
fn joins(
    p: &str,
    pf: LineFlags,
    ps: Span,
    n: &str,
    nf: LineFlags,
    ns: Span,
    layout: Layout,
) -> bool {
    // Text rules.
    if is_lone_bullet(p) {
        return true;
    }
    let n_caps = n.chars().next().is_some_and(char::is_alphabetic) && is_all_caps(n);
    if n_caps && is_all_caps(p) && splits_header_phrase(p, n) {
        return true;
    }
    if is_structural_start(n) {
        return false;
    }
    let layout_ok = !nf.blank_before && !nf.barrier_before && !pf.hard_break;
    if n_caps {
        // A bold header split after its first word: "**ỦY" / "BAN NHÂN DÂN**".
        return layout_ok && ps.open && ns.run == 0 && is_all_caps(p) && !p.contains(' ');
    }
    if starts_lower(n) || ends_with_connector_dash(p) || p.ends_with(',') {
        return true;
    }
    let p_terminal = ends_terminal(p);
    if !p_terminal && (is_digit_continuation(n) || opens_lower(n)) {
        return true;
    }
    if is_number_label(p) && n.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    if is_split_place_date(p, n) || (!p_terminal && ends_with_dangling_word(p)) {
        return true;
    }
    // Layout rules.
    if !layout_ok || p_terminal || is_all_caps(p) {
        return false;
    }
    if layout.pandoc && pf.soft_wrap {
        return true;
    }
    if ps.open {
        return true;
    }
    match layout.wrap {
        Some(w) if pf.src_width > 0 => pf.src_width + 1 + first_word_chars(n) + WRAP_SLACK > w,
        _ => false,
    }
}

/// Whether joining `next` to `acc` would make a line that steps 3 to 5 drop or cut: a rule
/// (`-` then `++`), a page number (`-` then `3 -`), or a signature placeholder across the
/// join (`(đã` then `ký)`). Normalising the output again would remove it, and the lines
/// around it would then read differently, so such lines are never joined.
fn joined_is_a_mark(acc: &str, next: &str) -> bool {
    let rule_char = |c: char| c == ' ' || is_rule_char(c);
    if acc.chars().all(rule_char) && next.chars().all(rule_char) {
        let joined = format!("{acc} {next}");
        if is_rule_line(&joined) || is_marks_only(&joined) {
            return true;
        }
    }
    if acc.len() + next.len() < 24 && is_page_number(&format!("{acc} {next}")) {
        return true;
    }
    let mut tail = acc.len().saturating_sub(MAX_SIGNATURE_LEN);
    while !acc.is_char_boundary(tail) {
        tail += 1;
    }
    let tail = &acc[tail..];
    if tail.contains(['(', '[']) {
        let mut head = next.len().min(MAX_SIGNATURE_LEN);
        while !next.is_char_boundary(head) {
            head -= 1;
        }
        return has_signature_placeholder(&format!("{tail} {}", &next[..head]));
    }
    false
}

/// Appends `next` to `acc` after one space, keeping the offset map.
fn append(acc: &mut Line, next: &Line) {
    let (src, _) = acc.locate(acc.text.len());
    let at = acc.text.len() as u32;
    acc.anchors.push(Anchor {
        out: at,
        src,
        aligned: false,
    });
    acc.text.push(' ');
    let base = acc.text.len() as u32;
    acc.text.push_str(&next.text);
    acc.anchors.extend(next.anchors.iter().map(|a| Anchor {
        out: a.out + base,
        ..*a
    }));
}

/// Step 6 over the document.
pub(crate) fn reflow(lines: Vec<Line>, pandoc: bool) -> Vec<Line> {
    let layout = Layout {
        pandoc,
        wrap: wrap_width(&lines),
    };
    let sp = spans(&lines);
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    // Where the previous physical line starts in the last output line, and its flags.
    let mut prev: Option<(usize, LineFlags)> = None;
    for (k, line) in lines.into_iter().enumerate() {
        let join = match (prev, out.last()) {
            (Some(_), Some(acc)) if joined_is_a_mark(&acc.text, &line.text) => false,
            (Some((start, pf)), Some(acc)) => joins(
                &acc.text[start..],
                pf,
                sp[k - 1],
                &line.text,
                line.flags,
                sp[k],
                layout,
            ),
            _ => false,
        };
        let flags = line.flags;
        match out.last_mut() {
            Some(acc) if join => {
                let start = acc.text.len() + 1;
                append(acc, &line);
                prev = Some((start, flags));
            }
            _ => {
                out.push(line);
                prev = Some((0, flags));
            }
        }
    }
    // Decisions above looked at single physical lines; a joined line can read differently
    // ("A" is upper case, "A hòa" is not).
    rejoin_whole_lines(out)
}

/// The text rules applied again to whole lines until nothing changes, which is what
/// normalising the output again would do.
pub(crate) fn rejoin_whole_lines(mut lines: Vec<Line>) -> Vec<Line> {
    loop {
        let before = lines.len();
        lines = rejoin(lines);
        if lines.len() == before {
            return lines;
        }
    }
}

/// One pass of the text rules over whole lines.
fn rejoin(lines: Vec<Line>) -> Vec<Line> {
    let none = LineFlags::default();
    let span = Span::default();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for line in lines {
        match out.last_mut() {
            Some(acc)
                if !joined_is_a_mark(&acc.text, &line.text)
                    && joins(
                        &acc.text,
                        none,
                        span,
                        &line.text,
                        none,
                        span,
                        Layout::default(),
                    ) =>
            {
                append(acc, &line)
            }
            _ => out.push(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(t: &str) -> Line {
        Line::verbatim(t, 0)
    }

    fn with(t: &str, f: impl FnOnce(&mut LineFlags)) -> Line {
        let mut line = l(t);
        f(&mut line.flags);
        line
    }

    fn texts(ls: Vec<Line>) -> Vec<String> {
        ls.into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn lower_case_continuations_join_even_across_page_breaks() {
        let out = reflow(
            vec![
                l("+ các tổ chức chính trị - xã hội,"),
                with("xã hội - nghề nghiệp và cộng đồng.", |f| {
                    f.blank_before = true
                }),
                l("b) Cải cách thủ tục hành chính:"),
            ],
            false,
        );
        assert_eq!(
            texts(out),
            [
                "+ các tổ chức chính trị - xã hội, xã hội - nghề nghiệp và cộng đồng.",
                "b) Cải cách thủ tục hành chính:"
            ]
        );
    }

    #[test]
    fn structural_and_upper_case_lines_stay() {
        let out = reflow(
            vec![
                l("ỦY BAN NHÂN DÂN"),
                l("HUYỆN XUÂN LỘC"),
                l("QUYẾT ĐỊNH"),
                l("Ban hành Chương trình cải cách hành chính"),
                l("huyện Xuân Lộc, giai đoạn 2021 - 2030"),
                l("Điều 1. Ban hành kèm theo"),
                l("2. Nội dung"),
                l("- Như Điều 3;"),
            ],
            false,
        );
        assert_eq!(
            texts(out),
            [
                "ỦY BAN NHÂN DÂN",
                "HUYỆN XUÂN LỘC",
                "QUYẾT ĐỊNH",
                "Ban hành Chương trình cải cách hành chính huyện Xuân Lộc, giai đoạn 2021 - 2030",
                "Điều 1. Ban hành kèm theo",
                "2. Nội dung",
                "- Như Điều 3;"
            ]
        );
    }

    #[test]
    fn numbers_dashes_and_places() {
        let out = reflow(
            vec![
                l("Căn cứ Luật số"),
                l("87/2025/QH15;"),
                l("- phát triển kinh tế -"),
                l("Xã hội"),
                l("Lai"),
                l("Châu, ngày 28 tháng 11 năm 2025"),
                l("Số:"),
                l("138/2025/QĐ-UBND"),
            ],
            false,
        );
        assert_eq!(
            texts(out),
            [
                "Căn cứ Luật số 87/2025/QH15;",
                "- phát triển kinh tế - Xã hội",
                "Lai Châu, ngày 28 tháng 11 năm 2025",
                "Số: 138/2025/QĐ-UBND"
            ]
        );
    }

    #[test]
    fn split_bold_headers() {
        let bold = |t: &str| with(t, |f| f.em_parity = 1);
        let out = reflow(
            vec![
                bold("ỦY"),
                bold("BAN NHÂN DÂN"),
                bold("ỦY BAN NHÂN DÂN"),
                bold("HUYỆN XUÂN LỘC"),
                l("CỘNG HÒA XÃ"),
                l("HỘI CHỦ NGHĨA VIỆT NAM"),
            ],
            false,
        );
        assert_eq!(
            texts(out),
            [
                "ỦY BAN NHÂN DÂN",
                "ỦY BAN NHÂN DÂN",
                "HUYỆN XUÂN LỘC",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
            ]
        );
    }

    #[test]
    fn open_emphasis_continues_a_paragraph() {
        let it = |t: &str| with(t, |f| f.em_parity = 2);
        let out = reflow(
            vec![
                it("Ủy ban nhân dân tỉnh"),
                l("Lai Châu ban hành Quyết định"),
                it("công lập."),
            ],
            false,
        );
        assert_eq!(
            texts(out),
            ["Ủy ban nhân dân tỉnh Lai Châu ban hành Quyết định công lập."]
        );
    }

    #[test]
    fn barriers_stop_layout_rules_only() {
        let it = |t: &str| with(t, |f| f.em_parity = 2);
        let out = reflow(
            vec![
                it("Ủy ban"),
                with("Lai Châu.", |f| {
                    f.barrier_before = true;
                    f.em_parity = 2
                }),
                with("cấp xã", |f| f.barrier_before = true),
            ],
            false,
        );
        assert_eq!(texts(out), ["Ủy ban", "Lai Châu. cấp xã"]);
    }

    #[test]
    fn hard_wrapped_files_join_upper_case_continuations() {
        let w = |t: &str| with(t, |f| f.src_width = t.chars().count() as u32);
        let long =
            "Trong quá trình thực hiện, nếu có vướng mắc UBND các xã kịp thời phản ánh về Sở";
        let mut lines = Vec::new();
        for _ in 0..10 {
            lines.push(w(
                "Quyết định này quy định chi tiết một số điều của Luật ban hành văn bản",
            ));
            lines.push(w("về phân cấp."));
        }
        lines.push(w(long));
        lines.push(w("Nội vụ để tổng hợp."));
        lines.push(w("Ngắn"));
        lines.push(w("Nội dung khác."));
        let out = texts(reflow(lines, false));
        assert_eq!(out[10], format!("{long} Nội vụ để tổng hợp."));
        assert_eq!(&out[11..], ["Ngắn", "Nội dung khác."]);
    }

    #[test]
    fn dangling_words_continue_but_not_across_cells() {
        let out = reflow(
            vec![
                l("Quyết định số 920/QĐ-TTg; hướng dẫn của Bộ"),
                l("Dân tộc và Tôn giáo;"),
                l("20. Bổ sung khoản"),
                l("5 Điều 54 như sau:"),
                l("Cấp tỉnh"),
                with("Sở Nội vụ", |f| f.barrier_before = true),
            ],
            false,
        );
        assert_eq!(
            texts(out),
            [
                "Quyết định số 920/QĐ-TTg; hướng dẫn của Bộ Dân tộc và Tôn giáo;",
                "20. Bổ sung khoản 5 Điều 54 như sau:",
                "Cấp tỉnh",
                "Sở Nội vụ"
            ]
        );
    }

    #[test]
    fn joins_never_make_a_line_an_earlier_step_drops() {
        // A lone bullet would take the next line, but "- ++" is a rule and "- 3 -" a page
        // number, and "(đã ký)" a signature placeholder: a second pass would drop them.
        assert_eq!(texts(reflow(vec![l("-"), l("++")], false)), ["-", "++"]);
        assert_eq!(texts(reflow(vec![l("-"), l("3 -")], false)), ["-", "3 -"]);
        assert_eq!(
            texts(reflow(vec![l("Nơi nhận (đã"), l("ký) hết")], false)),
            ["Nơi nhận (đã", "ký) hết"]
        );
        // Other joins are unchanged.
        assert_eq!(texts(reflow(vec![l("-"), l("+ a")], false)), ["- + a"]);
        assert_eq!(
            texts(reflow(vec![l("(xem"), l("ký hiệu)")], false)),
            ["(xem ký hiệu)"]
        );
    }

    #[test]
    fn joined_lines_keep_offsets() {
        let a = Line::verbatim("Căn cứ Luật", 0);
        let b = Line::verbatim("chính quyền", 20);
        let out = reflow(vec![a, b], false);
        assert_eq!(out[0].text, "Căn cứ Luật chính quyền");
        let k = out[0].text.find("chính").unwrap();
        assert_eq!(out[0].locate(k), (20, true));
    }
}
