//! Classification of one clean logical line by the grammar's line rules.

use super::grammar::{try_parse, Rule};

/// What a line is, structurally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// `Phần thứ nhất …`
    Part { label: String, rest: String },
    /// `Chương II …`
    Chapter { label: String, rest: String },
    /// `Mục 1 …`
    Section { label: String, rest: String },
    /// `Tiểu mục 1 …`
    Subsection { label: String, rest: String },
    /// `Điều 5. …`
    Article { label: String, rest: String },
    /// `1. …` or `1.1. …` or `1) …`
    Clause { label: String, rest: String },
    /// `a) …`
    Point { label: String, rest: String },
    /// `II. …` (outline section)
    Roman { label: String, rest: String },
    /// `- …`, `+ …`
    Bullet { mark: char, rest: String },
    /// Any other line.
    Text,
}

fn inner_str(pairs: pest::iterators::Pairs<'_, Rule>, rule: Rule) -> Option<String> {
    pairs
        .flatten()
        .find(|p| p.as_rule() == rule)
        .map(|p| p.as_str().to_string())
}

/// The line after the part the rule matched (its marker).
fn rest_of(pairs: &pest::iterators::Pairs<'_, Rule>, line: &str) -> String {
    let end = pairs.clone().last().map(|p| p.as_span().end()).unwrap_or(0);
    line[end..].trim().to_string()
}

/// Classifies a structural line. Cheap first-byte checks keep the common case (a line of
/// running text) from trying every rule.
pub fn classify(line: &str) -> LineKind {
    let first = match line.chars().next() {
        Some(c) => c,
        None => return LineKind::Text,
    };
    // Each rule is tried only when the line's first word could start it: a failed pest
    // parse builds an error with line positions, which costs more than the check.
    match first {
        'Đ' if line.starts_with("Điều ") || line.starts_with("ĐIỀU ") => {
            if let Some(p) = try_parse(Rule::article_line, line) {
                let label = inner_str(p.clone(), Rule::article_label).unwrap_or_default();
                return LineKind::Article {
                    label,
                    rest: rest_of(&p, line),
                };
            }
        }
        'C' if line.starts_with("Chương ") || line.starts_with("CHƯƠNG ") => {
            if let Some(p) = try_parse(Rule::chapter_line, line) {
                let label = inner_str(p.clone(), Rule::chapter_label).unwrap_or_default();
                return LineKind::Chapter {
                    label,
                    rest: rest_of(&p, line),
                };
            }
        }
        'M' if line.starts_with("Mục ") || line.starts_with("MỤC ") => {
            if let Some(p) = try_parse(Rule::section_line, line) {
                let label = inner_str(p.clone(), Rule::num).unwrap_or_default();
                return LineKind::Section {
                    label,
                    rest: rest_of(&p, line),
                };
            }
        }
        'P' if line.starts_with("Phần ") || line.starts_with("PHẦN ") => {
            if let Some(p) = try_parse(Rule::part_line, line) {
                let label = inner_str(p.clone(), Rule::part_label).unwrap_or_default();
                return LineKind::Part {
                    label,
                    rest: rest_of(&p, line),
                };
            }
        }
        'T' if line.starts_with("Tiểu mục ") || line.starts_with("TIỂU MỤC ") => {
            if let Some(p) = try_parse(Rule::subsection_line, line) {
                let label = inner_str(p.clone(), Rule::num).unwrap_or_default();
                return LineKind::Subsection {
                    label,
                    rest: rest_of(&p, line),
                };
            }
        }
        _ => {}
    }
    if first.is_ascii_digit() {
        // `1. `, `1) `, `1.2. `: digits and dots, then `.` or `)` and a space.
        let head = line
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let b = line.as_bytes();
        let shaped = head > 0
            && ((b[head - 1] == b'.' && b.get(head) == Some(&b' '))
                || (b.get(head) == Some(&b')') && b.get(head + 1) == Some(&b' ')));
        if !shaped {
            return LineKind::Text;
        }
        if let Some(p) = try_parse(Rule::clause_line, line) {
            let label = inner_str(p.clone(), Rule::clause_label).unwrap_or_default();
            return LineKind::Clause {
                label,
                rest: rest_of(&p, line),
            };
        }
        return LineKind::Text;
    }
    if matches!(first, 'I' | 'V' | 'X') {
        if let Some(p) = try_parse(Rule::roman_line, line) {
            let label = inner_str(p.clone(), Rule::roman).unwrap_or_default();
            return LineKind::Roman {
                label,
                rest: rest_of(&p, line),
            };
        }
    }
    if matches!(first, '-' | '+' | '•' | '–' | '*') {
        if let Some(p) = try_parse(Rule::bullet_line, line) {
            return LineKind::Bullet {
                mark: if first == '–' || first == '•' {
                    '-'
                } else {
                    first
                },
                rest: rest_of(&p, line),
            };
        }
    }
    let second = line.chars().nth(1);
    if first.is_lowercase() && second == Some(')') {
        if let Some(p) = try_parse(Rule::point_line, line) {
            let label = inner_str(p.clone(), Rule::point_letter).unwrap_or_default();
            return LineKind::Point {
                label,
                rest: rest_of(&p, line),
            };
        }
    }
    LineKind::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> String {
        format!("{:?}", classify(s))
    }

    #[test]
    fn articles() {
        assert_eq!(
            classify("Điều 1. Phạm vi điều chỉnh"),
            LineKind::Article {
                label: "1".into(),
                rest: "Phạm vi điều chỉnh".into()
            }
        );
        assert!(
            matches!(classify("Điều 12a. Bổ sung"), LineKind::Article { label, .. } if label == "12a")
        );
        assert!(matches!(classify("Điều 3"), LineKind::Article { .. }));
        assert!(matches!(
            classify("ĐIỀU 3: Tổ chức thực hiện"),
            LineKind::Article { .. }
        ));
        // A sentence that starts with a reference is not an article heading.
        assert_eq!(kind("Điều này áp dụng cho mọi người."), "Text");
        assert_eq!(kind("Điều 5 của Quy định được sửa đổi như sau"), "Text");
    }

    #[test]
    fn clauses_points_and_outline() {
        assert!(matches!(classify("1. Phạm vi"), LineKind::Clause { label, .. } if label == "1"));
        assert!(
            matches!(classify("1.2. Giao Sở"), LineKind::Clause { label, .. } if label == "1.2")
        );
        assert!(
            matches!(classify("đ) Phòng Văn hóa"), LineKind::Point { label, .. } if label == "đ")
        );
        assert!(matches!(classify("a) Cải cách"), LineKind::Point { .. }));
        assert!(matches!(classify("IV. NHIỆM VỤ"), LineKind::Roman { label, .. } if label == "IV"));
        assert!(matches!(
            classify("- Chủ trì"),
            LineKind::Bullet { mark: '-', .. }
        ));
        assert!(matches!(
            classify("+ Tăng cường"),
            LineKind::Bullet { mark: '+', .. }
        ));
        assert_eq!(kind("2025 là năm"), "Text");
        assert_eq!(kind("Ví dụ"), "Text");
        assert_eq!(kind("Xuân Lộc"), "Text");
    }

    #[test]
    fn higher_levels() {
        assert!(matches!(classify("Chương I"), LineKind::Chapter { label, .. } if label == "I"));
        assert!(
            matches!(classify("Chương I:NHỮNG QUY ĐỊNH CHUNG"), LineKind::Chapter { rest, .. } if rest == "NHỮNG QUY ĐỊNH CHUNG")
        );
        assert!(matches!(
            classify("CHƯƠNG II. QUY ĐỊNH CỤ THỂ"),
            LineKind::Chapter { .. }
        ));
        assert_eq!(kind("Chương trình cải cách"), "Text");
        assert!(matches!(
            classify("Mục 1. HỢP ĐỒNG"),
            LineKind::Section { .. }
        ));
        assert_eq!(kind("Mục tiêu chung:"), "Text");
        assert!(matches!(classify("Phần thứ nhất"), LineKind::Part { .. }));
        assert!(matches!(classify("PHẦN II"), LineKind::Part { .. }));
        assert_eq!(kind("Phần lớn"), "Text");
    }
}
