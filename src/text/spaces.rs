//! Step 7: spaces.
//!
//! Earlier steps remove markup and join lines, which leaves double spaces and spaces at the
//! ends of lines. The parser expects single spaces and trimmed lines, so runs of spaces are
//! collapsed and lines trimmed, keeping the offset map.

use super::offsets::{Line, LineBuilder};

/// Collapses runs of spaces (and tabs) to one space and trims both ends.
pub(crate) fn collapse_spaces(line: Line) -> Line {
    let t = &line.text;
    let b = t.as_bytes();
    let is_sp = |c: u8| c == b' ' || c == b'\t';
    let needs = b.first().is_some_and(|&c| is_sp(c))
        || b.last().is_some_and(|&c| is_sp(c))
        || t.contains("  ")
        || b.contains(&b'\t');
    if !needs {
        return line;
    }
    let mut out = LineBuilder::with_capacity(t.len());
    let mut i = 0;
    let mut word_start: Option<usize> = None;
    let mut first = true;
    while i <= b.len() {
        let sp = i == b.len() || is_sp(b[i]);
        match (sp, word_start) {
            (true, Some(s)) => {
                if !first {
                    // The single space that separates words maps to the first space of the run.
                    let gap = s - 1;
                    if b[gap] == b' ' && (gap == 0 || !is_sp(b[gap - 1])) {
                        out.copy(&line, gap..s);
                    } else {
                        let (src, _) = line.locate(gap);
                        out.insert(" ", src);
                    }
                }
                out.copy(&line, s..i);
                first = false;
                word_start = None;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
        i += 1;
    }
    out.finish(line.flags)
}

/// The step on plain text: every line collapsed and trimmed.
#[cfg(test)]
pub(crate) fn collapse_spaces_str(s: &str) -> String {
    collapse_spaces(Line::verbatim(s, 0)).text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_and_trims() {
        assert_eq!(collapse_spaces_str("  a   b \t c  "), "a b c");
        assert_eq!(collapse_spaces_str("a b"), "a b");
        assert_eq!(collapse_spaces_str("   "), "");
        assert_eq!(collapse_spaces_str(""), "");
    }

    #[test]
    fn keeps_offsets() {
        let l = collapse_spaces(Line::verbatim("  ab   cd", 10));
        assert_eq!(l.text, "ab cd");
        assert_eq!(l.locate(0), (12, true));
        assert_eq!(l.locate(3), (17, true));
    }
}
