//! Properties shared by the fuzz targets.

/// The lines of `src` as an editor counts them: `\n`, `\r\n` and a lone `\r` end a line.
pub fn editor_lines(src: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = src.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&src[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&src[start..i]);
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&src[start..]);
    out
}

/// True when 1-based `line` and `column` (in characters) name a place inside `lines`: the
/// column may be one past the line's last character (an error "at the end of the line").
pub fn inside(lines: &[&str], line: usize, column: usize) -> bool {
    line >= 1
        && column >= 1
        && lines
            .get(line - 1)
            .is_some_and(|l| column <= l.chars().count() + 1)
}

/// The rule-file property: every error of `src` read as `fuzz.rule` names that file and a
/// line and column inside it, and renders (caret line included) without panicking.
pub fn check_rule_file(src: &str) {
    let (_rules, errors) = rasoat::rules::lang::parse_file("fuzz.rule", src);
    // pest and `str::lines` count `\n` only.
    let lines: Vec<&str> = src
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    for e in &errors {
        assert!(
            inside(&lines, e.span.line, e.span.column),
            "error at {}:{} is outside the file: {}",
            e.span.line,
            e.span.column,
            e.message
        );
        assert_eq!(e.file, "fuzz.rule");
        let _ = e.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_an_editor_counts_them() {
        assert_eq!(editor_lines("a\r\nb\rc\nd"), vec!["a", "b", "c", "d"]);
        assert_eq!(editor_lines(""), vec![""]);
        assert!(inside(&editor_lines("ab\nc"), 1, 3));
        assert!(!inside(&editor_lines("ab\nc"), 1, 4));
        assert!(!inside(&editor_lines("ab\nc"), 3, 1));
        assert!(!inside(&editor_lines("ab"), 0, 1));
    }
}
