//! Step 1: line endings and the byte-order mark.
//!
//! Files arrive with Windows (`\r\n`), old Mac (`\r`) or Unix (`\n`) line endings, sometimes
//! mixed, and with a UTF-8 byte-order mark. Later steps work on lines, so the source is split
//! into lines here, each remembering where it starts in the source. Form feeds, vertical tabs
//! and the Unicode line/paragraph separators are page or line breaks in converted text, so they
//! split lines too (but they are not counted as lines for diagnostics: editors do not).

use super::ascii::find_control_or;

/// A line of the source: its text (without the line ending) and its byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SourceLine<'a> {
    pub text: &'a str,
    pub start: usize,
}

const BOM: &str = "\u{FEFF}";

/// Splits `src` into lines, dropping a leading BOM and all line-ending characters.
pub(crate) fn split_lines(src: &str) -> Vec<SourceLine<'_>> {
    let start = if src.starts_with(BOM) { BOM.len() } else { 0 };
    let bytes = src.as_bytes();
    let mut lines = Vec::with_capacity(src.len() / 40 + 1);
    let mut line_start = start;
    let mut i = start;
    while i < bytes.len() {
        // Every line break starts with a control byte or 0xE2 (U+2028/U+2029).
        i = find_control_or(bytes, i, 0xE2);
        if i >= bytes.len() {
            break;
        }
        let (brk, len) = match bytes[i] {
            b'\n' | b'\x0B' | b'\x0C' => (true, 1),
            b'\r' => (
                true,
                if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                },
            ),
            // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                (true, 3)
            }
            _ => (false, 1),
        };
        if brk {
            lines.push(SourceLine {
                text: &src[line_start..i],
                start: line_start,
            });
            line_start = i + len;
        }
        i += len;
    }
    if line_start < bytes.len() {
        lines.push(SourceLine {
            text: &src[line_start..],
            start: line_start,
        });
    }
    lines
}

/// Byte offsets where the source's lines start, as an editor counts them (`\n`, `\r\n`, `\r`).
pub(crate) fn source_line_starts(src: &str) -> Vec<u32> {
    let bytes = src.as_bytes();
    let mut starts = Vec::with_capacity(src.len() / 40 + 1);
    starts.push(0);
    let mut i = 0;
    while i < bytes.len() {
        i = find_control_or(bytes, i, b'\n');
        if i >= bytes.len() {
            break;
        }
        match bytes[i] {
            b'\n' => starts.push(i as u32 + 1),
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                starts.push(i as u32 + 1);
            }
            _ => {}
        }
        i += 1;
    }
    starts
}

/// The text with every line ending made `\n` and a leading BOM removed (the step on its own,
/// as the pipeline does it line by line).
#[cfg(test)]
pub(crate) fn normalize_line_endings(src: &str) -> String {
    let lines = split_lines(src);
    let mut out = String::with_capacity(src.len());
    for (k, l) in lines.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        out.push_str(l.text);
    }
    let body = src.strip_prefix(BOM).unwrap_or(src);
    if body.ends_with(['\n', '\r', '\x0B', '\x0C', '\u{2028}', '\u{2029}']) {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr_become_lf() {
        assert_eq!(normalize_line_endings("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(normalize_line_endings("a\r\n"), "a\n");
        assert_eq!(normalize_line_endings("\r\n\r\n"), "\n\n");
    }

    #[test]
    fn bom_is_removed() {
        assert_eq!(normalize_line_endings("\u{FEFF}Điều 1"), "Điều 1");
        let lines = split_lines("\u{FEFF}ab\ncd");
        assert_eq!(
            lines[0],
            SourceLine {
                text: "ab",
                start: 3
            }
        );
        assert_eq!(
            lines[1],
            SourceLine {
                text: "cd",
                start: 6
            }
        );
    }

    #[test]
    fn page_breaks_split_lines() {
        let lines: Vec<_> = split_lines("a\x0Cb\u{2028}c")
            .iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(lines, ["a", "b", "c"]);
    }

    #[test]
    fn editor_line_starts() {
        assert_eq!(source_line_starts("a\r\nb\rc\nd"), vec![0, 3, 5, 7]);
        assert_eq!(source_line_starts(""), vec![0]);
    }
}
