//! Step 3: Markdown and conversion artefacts.
//!
//! Scraped pages and pandoc output carry markup that is not part of the document: emphasis
//! marks (`**`, `*`, `__`, `_`, often opened on one line and closed on another), backslash
//! escapes (`1\.`, `\-`), hard breaks (a trailing `\`), heading and quote prefixes, table pipes
//! and rules (`|`, `---------`, `+----+`), and pandoc's side-by-side tables.
//!
//! The markup goes, but what it told us is kept in [`LineFlags`] for the reflow step: whether a
//! table cell or rule separated two lines, whether a line ended with a hard break, whether an
//! emphasis span was left open at the end of a line (a wrapped paragraph).

use super::inline::normalize_line;
use super::offsets::{Line, LineBuilder, LineFlags};
use super::page_marks::remove_signature_placeholders;
use super::pandoc_tables::{dash_groups, grid_border, read_grid_table, read_simple_table};
use super::spaces::collapse_spaces;

/// A line with its markup removed, and what the markup said.
#[derive(Debug)]
pub(crate) struct Cleaned {
    pub line: Line,
    pub hard_break: bool,
    /// Parity of emphasis toggles: bit 0 bold, bit 1 italic.
    pub em: u8,
    pub heading: bool,
}

const BOLD: u8 = 1;
const ITALIC: u8 = 2;

fn toggles(len: usize) -> u8 {
    (if (len / 2) % 2 == 1 { BOLD } else { 0 }) | (if len % 2 == 1 { ITALIC } else { 0 })
}

/// What to do with a run of `*` or `_`.
enum Run {
    Keep,
    Remove,
    /// Keep the first character (a bullet) and remove the rest (`*** text**`).
    KeepFirst,
}

fn star_run(len: usize, at_start: bool, p: Option<char>, n: Option<char>) -> Run {
    if matches!((p, n), (Some('('), Some(')')) | (Some('['), Some(']'))) {
        // A footnote mark such as "(*)".
        return Run::Keep;
    }
    let p_ws = p.is_none_or(char::is_whitespace);
    let n_ws = n.is_none_or(char::is_whitespace);
    if !p_ws || !n_ws {
        return Run::Remove;
    }
    if at_start && n.is_some() {
        // A bullet: "* text" keeps it, "*** text**" is a bullet and an opening "**".
        return match len {
            1 => Run::Keep,
            3 => Run::KeepFirst,
            _ => Run::Remove,
        };
    }
    if len == 1 {
        Run::Keep
    } else {
        Run::Remove
    }
}

fn underscore_run(p: Option<char>, n: Option<char>) -> Run {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    if alnum(p) && alnum(n) {
        // snake_case and the like.
        return Run::Keep;
    }
    let ws_or_punct =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
    let p_ws = p.is_none_or(char::is_whitespace);
    let n_ws = n.is_none_or(char::is_whitespace);
    let opens = !n_ws && ws_or_punct(p);
    let closes = !p_ws && ws_or_punct(n);
    if opens || closes {
        Run::Remove
    } else {
        Run::Keep
    }
}

fn has_markup(t: &str) -> bool {
    t.bytes().any(|b| matches!(b, b'*' | b'_' | b'\\')) || t.starts_with(['#', '>'])
}

/// Removes inline markup from one line (already a single table cell, if any).
///
/// More rounds run while one uncovers markup (`\\*` → `*`), so that cleaning the output
/// again changes nothing.
pub(crate) fn clean_inline_markup(line: Line) -> Cleaned {
    let mut res = clean_once(line);
    // Each round only removes (a hard break, an escape, emphasis): until nothing changes, at
    // most one round per byte. Three rounds left the fourth of a run of hard breaks
    // (`\ \ \ \`) for the next normalisation to remove.
    let rounds = res.line.text.len();
    for _ in 0..rounds {
        if !has_markup(&res.line.text) {
            break;
        }
        let before = res.line.text.clone();
        let again = clean_once(res.line);
        let same = again.line.text == before;
        res = Cleaned {
            line: again.line,
            hard_break: res.hard_break || again.hard_break,
            em: res.em ^ again.em,
            heading: res.heading || again.heading,
        };
        if same {
            break;
        }
    }
    res
}

fn clean_once(line: Line) -> Cleaned {
    let t = line.text.as_str();
    let b = t.as_bytes();
    let mut start = b.iter().take_while(|&&c| c == b' ').count();
    let mut end = t.trim_end_matches(' ').len().max(start);
    let mut heading = false;
    // Quote and heading prefixes, possibly nested ("> ## x").
    loop {
        if start < end && b[start] == b'>' {
            start += 1;
            while start < end && b[start] == b' ' {
                start += 1;
            }
            continue;
        }
        if start < end && b[start] == b'#' {
            let n = b[start..end].iter().take_while(|&&c| c == b'#').count();
            if n <= 6 && (start + n == end || b[start + n] == b' ') {
                heading = true;
                start += n;
                while start < end && b[start] == b' ' {
                    start += 1;
                }
                // A closing sequence: "## Title ##".
                let closing = b[start..end]
                    .iter()
                    .rev()
                    .take_while(|&&c| c == b'#')
                    .count();
                if closing > 0 && closing < end - start && b[end - closing - 1] == b' ' {
                    end -= closing;
                    while end > start && b[end - 1] == b' ' {
                        end -= 1;
                    }
                }
                continue;
            }
        }
        break;
    }
    let mut hard = false;
    if end > start && b[end - 1] == b'\\' {
        let n = b[start..end]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        if n % 2 == 1 {
            hard = true;
            end -= 1;
            while end > start && b[end - 1] == b' ' {
                end -= 1;
            }
        }
    }
    let flags = line.flags;
    if !b[start..end]
        .iter()
        .any(|c| matches!(c, b'*' | b'_' | b'\\'))
    {
        let line = if start == 0 && end == t.len() {
            line
        } else {
            let mut lb = LineBuilder::with_capacity(end - start);
            lb.copy(&line, start..end);
            lb.finish(flags)
        };
        return Cleaned {
            line: collapse_spaces(line),
            hard_break: hard,
            em: 0,
            heading,
        };
    }
    let mut out = LineBuilder::with_capacity(end - start);
    let mut pending = start;
    let mut em = 0u8;
    let mut i = start;
    // Set when a backslash was removed as a hard break just before a closing run.
    let mut skipped_backslash = false;
    while i < end {
        let c = b[i];
        if c == b'\\' {
            if i + 1 < end && b[i + 1] == b'\\' {
                // An escaped backslash stays as written: unescaping it would let the next
                // normalisation unescape the result again (`\\\\` → `\\` → `\`).
                i += 2;
                continue;
            }
            if i + 1 < end && b[i + 1].is_ascii_punctuation() {
                let rest = &b[i + 1..end];
                if rest.iter().all(|&x| x == b'*' || x == b'_') {
                    // "Nơi nhận:\***": a hard break, then the closing emphasis.
                    hard = true;
                    out.copy(&line, pending..i);
                    pending = i + 1;
                    skipped_backslash = true;
                    i += 1;
                    continue;
                }
                out.copy(&line, pending..i);
                pending = i + 1;
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        if c == b'*' || c == b'_' {
            let mut j = i;
            while j < end && b[j] == c {
                j += 1;
            }
            let before = if skipped_backslash { i - 1 } else { i };
            let p = if before > start {
                t[start..before].chars().next_back()
            } else {
                None
            };
            let n = if j < end {
                t[j..end].chars().next()
            } else {
                None
            };
            skipped_backslash = false;
            let run = if c == b'*' {
                star_run(j - i, before == start, p, n)
            } else {
                underscore_run(p, n)
            };
            match run {
                Run::Keep => {}
                Run::Remove => {
                    out.copy(&line, pending..i);
                    pending = j;
                    em ^= toggles(j - i);
                }
                Run::KeepFirst => {
                    out.copy(&line, pending..i + 1);
                    pending = j;
                    em ^= toggles(j - i - 1);
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out.copy(&line, pending..end);
    Cleaned {
        line: collapse_spaces(out.finish(flags)),
        hard_break: hard,
        em,
        heading,
    }
}

/// Removes signature placeholders and markup from one line, and normalises it again when
/// that removed something.
///
/// Inline normalisation (step 2) saw the line with its markup, so it took `q**ỦY` for two
/// words and `l*\u{301}` for a letter and a stray mark. Once the markup is gone they touch:
/// `qỦY` is one syllable whose tone belongs on the `Y`, and `l\u{301}` composes to `ĺ`.
/// Normalising the text a second time would see exactly that, so the line is normalised
/// again here, before any later step compares it with fixed strings. Removing markup can
/// also uncover a placeholder (`(đã *ký*)`), which goes too, so that the page-marks step,
/// which removes placeholders again, never brings letters together itself.
fn clean_line(line: Line) -> Cleaned {
    // Spaces at the ends go without bringing anything together.
    let before = line.text.trim_matches(' ').len();
    let mut c = clean_inline_markup(remove_signature_placeholders(line));
    if c.line.text.len() != before {
        let renormalized = normalize_line(std::mem::take(&mut c.line));
        let len = renormalized.text.len();
        let line = remove_signature_placeholders(renormalized);
        c.line = if line.text.len() == len {
            line
        } else {
            normalize_line(line)
        };
    }
    c
}

/// A horizontal rule or table border left as text: only `-`, `=`, `+`, `_`, `*`, `:`, `|`,
/// dashes and spaces, with at least three rule characters.
pub(crate) fn is_rule_line(s: &str) -> bool {
    let mut n = 0;
    for c in s.chars() {
        if is_rule_char(c) {
            n += 1;
        } else if c != ' ' {
            return false;
        }
    }
    n >= 3
}

/// A character a rule is drawn with.
pub(crate) fn is_rule_char(c: char) -> bool {
    matches!(c, '-' | '=' | '+' | '_' | '*' | ':' | '|' | '—' | '–' | '~')
}

/// Whether a line is only emphasis marks and spaces ("**", "* *", "** **").
pub(crate) fn is_marks_only(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| matches!(b, b'*' | b'_' | b' '))
}

/// Splits a pipe-table row ("| a | b |") into cell ranges; `None` when the line is not one.
/// A line of pipes only (or a `|---|---|` separator) gives no cells.
pub(crate) fn pipe_cells(t: &str) -> Option<Vec<(usize, usize)>> {
    let trimmed = t.trim_matches(' ');
    if !(trimmed.starts_with('|') || trimmed.ends_with('|')) {
        return None;
    }
    let b = t.as_bytes();
    let mut cells = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'|' => {
                cells.push((start, i));
                start = i + 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    cells.push((start, b.len()));
    cells.retain(|&(s, e)| {
        let c = t[s..e.min(t.len())].trim_matches(' ');
        !c.is_empty() && !is_rule_line(c)
    });
    Some(cells)
}

/// Whether the document looks like pandoc Markdown: escapes such as `1\.`, hard breaks (`\` at
/// the end of a line) or pandoc tables. There, a line break inside a paragraph is a soft wrap.
pub(crate) fn is_pandoc_style(lines: &[Line]) -> bool {
    let mut score = 0;
    for l in lines {
        let t = l.text.trim_end();
        let b = t.as_bytes();
        if b.contains(&b'\\') {
            score += pandoc_escapes(b);
        }
        if matches!(b.first(), Some(b' ' | b'+' | b'-'))
            && (grid_border(t).is_some() || dash_groups(t).is_some_and(|g| g.len() >= 2))
        {
            score += 3;
        }
        if score >= 3 {
            return true;
        }
    }
    false
}

/// The pandoc escapes (`1\.`, `\-`, `\(`) and hard break (a trailing `\`) in a line. As in
/// [`clean_inline_markup`], a backslash escapes the next character only when it is not itself
/// escaped: `\\-` is an escaped backslash and a dash. Counting it as an escape would find
/// the normalised text (which keeps escaped backslashes) more pandoc-like than its source.
fn pandoc_escapes(b: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let run = b[i..].iter().take_while(|&&c| c == b'\\').count();
        i += run;
        if run % 2 == 1 {
            match b.get(i) {
                None => n += 1,
                Some(b'.' | b'-' | b'(' | b')' | b'[' | b']') => n += 1,
                Some(_) => {}
            }
        }
    }
    n
}

/// Accumulates cleaned lines and the flags that describe what stood between them.
struct Out {
    lines: Vec<Line>,
    blank: bool,
    barrier: bool,
    pending_em: u8,
    pandoc: bool,
}

impl Out {
    fn break_paragraph(&mut self, barrier: bool) {
        if barrier {
            self.barrier = true;
        } else {
            self.blank = true;
        }
        self.pending_em = 0;
    }

    fn push(&mut self, c: Cleaned, mut flags: LineFlags) {
        let text = &c.line.text;
        if text.is_empty() || is_marks_only(text) || is_rule_line(text) {
            if (!text.is_empty() && !is_marks_only(text)) || c.heading {
                self.break_paragraph(true);
            }
            // The marks of a dropped line close the previous line's span or open the next's.
            let mut rest = c.em;
            if let Some(last) = self.lines.last_mut() {
                if !self.blank && !self.barrier {
                    let close = last.flags.em_parity & rest;
                    last.flags.em_parity ^= close;
                    rest ^= close;
                }
            }
            self.pending_em ^= rest;
            return;
        }
        flags.blank_before |= self.blank;
        flags.barrier_before |= self.barrier || c.heading;
        flags.hard_break = c.hard_break;
        flags.heading = c.heading;
        flags.em_parity = c.em ^ self.pending_em;
        self.pending_em = 0;
        if self.pandoc && !flags.blank_before && !flags.barrier_before {
            if let Some(last) = self.lines.last_mut() {
                if !last.flags.hard_break && !last.flags.heading {
                    last.flags.soft_wrap = true;
                }
            }
        }
        let mut line = c.line;
        line.flags = flags;
        self.lines.push(line);
        self.blank = false;
        // A heading is a paragraph of its own.
        self.barrier = c.heading;
    }
}

/// The result of step 3: clean lines, and whether the source was pandoc Markdown.
pub(crate) struct Stripped {
    pub lines: Vec<Line>,
    pub pandoc: bool,
}

/// Cleans one line: signature placeholders first (their removal may leave markup behind),
/// then markup; if what is left is a pipe-table row, its cells are cleaned the same way.
fn process(out: &mut Out, line: Line, flags: LineFlags, depth: u8) {
    let c = clean_line(line);
    if depth < 3 {
        if let Some(cells) = pipe_cells(&c.line.text) {
            for (s, e) in cells {
                let mut b = LineBuilder::with_capacity(e - s);
                b.copy(&c.line, s..e);
                let cf = LineFlags {
                    in_table: true,
                    barrier_before: true,
                    ..LineFlags::default()
                };
                out.break_paragraph(true);
                process(out, b.finish(cf), cf, depth + 1);
            }
            out.break_paragraph(true);
            return;
        }
    }
    out.push(c, flags);
}

/// Step 3 over the whole document: tables flattened, markup removed, empty lines dropped.
pub(crate) fn strip_markup(mut lines: Vec<Line>) -> Stripped {
    let pandoc = is_pandoc_style(&lines);
    let mut out = Out {
        lines: Vec::with_capacity(lines.len()),
        blank: false,
        barrier: false,
        pending_em: 0,
        pandoc,
    };
    let mut i = 0;
    while i < lines.len() {
        let text = &lines[i].text;
        if text.bytes().all(|b| b == b' ') {
            out.break_paragraph(false);
            i += 1;
            continue;
        }
        let table = if dash_groups(text).is_some_and(|g| g.len() >= 2) {
            read_simple_table(&lines, i)
        } else if grid_border(text).is_some() {
            read_grid_table(&lines, i)
        } else {
            None
        };
        if let Some(table) = table {
            out.break_paragraph(true);
            for cell in table.cells {
                for (k, l) in cell.into_iter().enumerate() {
                    let flags = LineFlags {
                        in_table: true,
                        barrier_before: k == 0,
                        ..LineFlags::default()
                    };
                    if k == 0 {
                        out.break_paragraph(true);
                    }
                    // A cell is cut from its row at the border's columns, possibly inside a
                    // syllable: what is left of it is a syllable of its own, whose tone
                    // belongs where step 2 puts it on a syllable of those letters.
                    process(&mut out, normalize_line(l), flags, 0);
                }
            }
            out.break_paragraph(true);
            i = table.next;
            continue;
        }
        // Tables only look forward, so the line can be taken rather than copied.
        let line = std::mem::take(&mut lines[i]);
        let flags = LineFlags {
            src_width: line.flags.src_width,
            ..LineFlags::default()
        };
        process(&mut out, line, flags, 0);
        i += 1;
    }
    Stripped {
        lines: out.lines,
        pandoc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> (String, bool, u8) {
        let c = clean_inline_markup(Line::verbatim(s, 0));
        (c.line.text, c.hard_break, c.em)
    }

    fn doc(s: &str) -> Vec<String> {
        let mut off = 0;
        let lines = s
            .split('\n')
            .map(|l| {
                let line = Line::verbatim(l, off);
                off += l.len() + 1;
                line
            })
            .collect();
        strip_markup(lines)
            .lines
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn emphasis_is_removed() {
        assert_eq!(clean("**Điều 1. Phạm vi điều").0, "Điều 1. Phạm vi điều");
        assert_eq!(
            clean("chỉnh và đối tượng áp dụng**").0,
            "chỉnh và đối tượng áp dụng"
        );
        assert_eq!(clean("*Căn cứ* *Hiến pháp*").0, "Căn cứ Hiến pháp");
        assert_eq!(clean("**Điều 1. **Công bố").0, "Điều 1. Công bố");
        assert_eq!(clean("__Tiêu đề__").0, "Tiêu đề");
        assert_eq!(clean("*Lai").2, ITALIC);
        assert_eq!(clean("**ỦY").2, BOLD);
        assert_eq!(clean("**ỦY BAN**").2, 0);
    }

    #[test]
    fn literal_stars_and_underscores_stay() {
        assert_eq!(clean("* Mục tiêu").0, "* Mục tiêu");
        assert_eq!(
            clean("*** Mục tiêu cụ thể:**"),
            ("* Mục tiêu cụ thể:".to_owned(), false, 0)
        );
        assert_eq!(clean("ghi chú (*) ở cuối").0, "ghi chú (*) ở cuối");
        assert_eq!(clean("a * b").0, "a * b");
        assert_eq!(clean("file_name_x").0, "file_name_x");
        assert_eq!(clean("Họ tên: ______").0, "Họ tên: ______");
    }

    #[test]
    fn escapes_and_hard_breaks() {
        assert_eq!(clean("1\\. Sắp xếp"), ("1. Sắp xếp".to_owned(), false, 0));
        assert_eq!(clean("\\-\\-\\-\\--**").0, "-----");
        assert_eq!(clean("QUỐC HỘI\\"), ("QUỐC HỘI".to_owned(), true, 0));
        assert_eq!(
            clean("***Nơi nhận:\\***"),
            ("Nơi nhận:".to_owned(), true, 0)
        );
        assert_eq!(clean("\\(a\\) \\[b\\] \\*").0, "(a) [b] *");
        assert_eq!(clean("C:\\dir").0, "C:\\dir");
        // Escaped backslashes stay, so normalising twice changes nothing.
        assert_eq!(clean("a \\\\\\\\b").0, "a \\\\\\\\b");
        assert_eq!(clean("\\\\\\.").0, "\\\\.");
    }

    #[test]
    fn what_markup_separated_is_normalised_together() {
        let clean_line = |s: &str| clean_line(Line::verbatim(s, 0)).line.text;
        // `ỦY` alone has its tone in place; after `q` it is the syllable `quy`, toned on `y`.
        assert_eq!(clean_line("q**ỦY BAN**"), "qUỶ BAN");
        // A stray mark composes with the letter the `*` kept it from.
        assert_eq!(clean_line("l*\u{301}"), "\u{13A}");
        // A placeholder uncovered by the markup goes, and what it separated is normalised.
        assert_eq!(clean_line("q(đã *ký*)ủa"), "quả");
        assert_eq!(clean_line("  hoà  "), "hoà");
    }

    #[test]
    fn escaped_backslashes_are_not_pandoc_escapes() {
        assert_eq!(pandoc_escapes(b"1\\. a \\- b \\(c\\)"), 4);
        assert_eq!(pandoc_escapes(b"QU\xe1\xbb\x90C H\xe1\xbb\x98I\\"), 1);
        // `\\-` is an escaped backslash, then a dash; `\\\-` escapes the dash.
        assert_eq!(pandoc_escapes(b"a \\\\- b \\\\"), 0);
        assert_eq!(pandoc_escapes(b"a \\\\\\- b \\\\\\"), 2);
    }

    #[test]
    fn headings_and_quotes() {
        let c = clean_inline_markup(Line::verbatim("## QUYẾT ĐỊNH", 0));
        assert_eq!(c.line.text, "QUYẾT ĐỊNH");
        assert!(c.heading);
        assert_eq!(clean("> Luật số 35").0, "Luật số 35");
        assert_eq!(clean("#").0, "");
        assert_eq!(clean("#hashtag").0, "#hashtag");
    }

    #[test]
    fn rules_and_pipes() {
        for r in [
            "--------",
            "---------------",
            "+----+----+",
            "|---|---|",
            "====",
            "* * *",
            "___",
        ] {
            assert!(is_rule_line(r), "{r}");
        }
        for r in ["-", "+", "- a", "1 - 2"] {
            assert!(!is_rule_line(r), "{r}");
        }
        assert_eq!(pipe_cells("| a | b |"), Some(vec![(1, 4), (5, 8)]));
        assert_eq!(pipe_cells("|"), Some(vec![]));
        assert_eq!(pipe_cells("|---|---|"), Some(vec![]));
        assert_eq!(pipe_cells("a | b"), None);
    }

    #[test]
    fn document_level_markup() {
        assert_eq!(
            doc("|\n**Số hiệu:**\n|\n89/2025/QĐ-UBND\n--------\n| a | b |\n** **\nx"),
            ["Số hiệu:", "89/2025/QĐ-UBND", "a", "b", "x"]
        );
    }

    #[test]
    fn flags_record_breaks_and_spans() {
        let mut off = 0;
        let lines: Vec<Line> = "*Ủy ban nhân dân tỉnh\nLai Châu ban hành.*\n|\nb\n\nc"
            .split('\n')
            .map(|l| {
                let line = Line::verbatim(l, off);
                off += l.len() + 1;
                line
            })
            .collect();
        let out = strip_markup(lines).lines;
        assert_eq!(out[0].flags.em_parity, ITALIC);
        assert_eq!(out[1].flags.em_parity, ITALIC);
        assert!(out[2].flags.barrier_before);
        assert!(out[3].flags.blank_before);
    }

    #[test]
    fn lone_marker_lines_close_the_previous_span() {
        let mut off = 0;
        let lines: Vec<Line> = "**ỦY BAN NHÂN DÂN\n**\nTỈNH QUẢNG TRỊ"
            .split('\n')
            .map(|l| {
                let line = Line::verbatim(l, off);
                off += l.len() + 1;
                line
            })
            .collect();
        let out = strip_markup(lines).lines;
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].flags.em_parity, 0);
        assert_eq!(out[1].flags.em_parity, 0);
    }

    #[test]
    fn pandoc_header_table() {
        let src = "  ----------------------- -----------------------------------------------\n    **ỦY BAN THƯỜNG VỤ\\        **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\\n         QUỐC HỘI\\                 Độc lập - Tự do - Hạnh phúc\\\n     \\-\\-\\-\\-\\-\\-\\--**            \\-\\-\\-\\-\\-\\-\\-\\-\\-\\-\\-\\-\\-\\--**\n\n   Số: 1654/NQ-UBTVQH15         *Hà Nội, ngày 16 tháng 6 năm 2025*\n  ----------------------- -----------------------------------------------\n\n** **\n\n**NGHỊ QUYẾT**";
        assert_eq!(
            doc(src),
            [
                "ỦY BAN THƯỜNG VỤ",
                "QUỐC HỘI",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số: 1654/NQ-UBTVQH15",
                "Hà Nội, ngày 16 tháng 6 năm 2025",
                "NGHỊ QUYẾT"
            ]
        );
    }
}
