//! Builds the provision tree of a document part (the decision's body or an annex) from its
//! flat stream of classified lines.
//!
//! Two shapes exist. *Article mode* — a part with at least one `Điều` line — follows Law
//! 80/2015's levels Phần → Chương → Mục → Tiểu mục → Điều → khoản → điểm. *Outline mode* —
//! programmes, plans, letters — ranks the markers `I.` > `1.` > `1.1.` > `a)` > `*` > `-` > `+`.
//! Both use an explicit stack, so nesting depth is bounded by the number of levels, never by
//! the input.

use super::lines::{classify, LineKind};
use super::{Diagnostics, Line};
use crate::model::{DiagnosticSeverity, Provision, ProvisionKind};

/// The points' alphabet, in order.
pub const POINT_LETTERS: &[&str] = &[
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
    "u", "v", "x", "y",
];

/// Roman numeral to number (`IV` → 4); `None` if malformed.
pub fn roman_value(s: &str) -> Option<u32> {
    let val = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let digits: Option<Vec<u32>> = s.chars().map(val).collect();
    let digits = digits?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|n| n > d) {
            total -= *d as i64;
        } else {
            total += *d as i64;
        }
    }
    (total > 0).then_some(total as u32)
}

fn to_roman(mut n: u32) -> String {
    let table = [
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn letter_index(l: &str) -> Option<usize> {
    POINT_LETTERS.iter().position(|x| *x == l)
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['.', ';', ':', '!', '?', '…']) || s.ends_with("./.")
}

/// Marks lines that stand inside a quotation (the new wording of an amendment, “…”), so
/// their `2.` or `a)` are not read as the quoting document's own structure.
fn quoted_lines(lines: &[Line], diags: &mut Diagnostics) -> Vec<bool> {
    let mut inside = vec![false; lines.len()];
    let mut depth: i32 = 0;
    let mut opened_at: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        inside[i] = depth > 0;
        let opens = l.text.matches('“').count() as i32;
        let closes = l.text.matches('”').count() as i32;
        let before = depth;
        depth = (depth + opens - closes).max(0);
        if before == 0 && depth > 0 {
            opened_at = Some(i);
        }
        // A quotation that runs on for pages is a typo, not a quotation: stop there.
        if let Some(o) = opened_at {
            if depth > 0 && i - o > 400 {
                diags.push(
                    DiagnosticSeverity::Warning,
                    "unclosed_quote",
                    lines[o].offset,
                    "Dấu ngoặc kép mở nhưng không đóng (an opening quotation mark is never closed).".into(),
                );
                depth = 0;
                opened_at = None;
            }
        }
        if depth == 0 {
            opened_at = None;
        }
    }
    if let Some(o) = opened_at {
        diags.push(
            DiagnosticSeverity::Warning,
            "unclosed_quote",
            lines[o].offset,
            "Dấu ngoặc kép mở nhưng không đóng (an opening quotation mark is never closed).".into(),
        );
    }
    inside
}

struct Open {
    level: u8,
    prov: Provision,
    /// The last child number seen, for numbering checks (as an index in its sequence).
    last_child: Option<(u8, usize)>,
    /// Bullet counters per mark, for outline paths.
    bullets: Vec<(char, usize)>,
}

struct Builder<'d, 'n> {
    suffix: String,
    roots: Vec<Provision>,
    stack: Vec<Open>,
    intro: Option<Provision>,
    paths: std::collections::HashSet<String>,
    root_last: Option<(u8, usize)>,
    diags: &'d mut Diagnostics<'n>,
}

impl<'d, 'n> Builder<'d, 'n> {
    fn with_suffix(&self, path: String) -> String {
        if self.suffix.is_empty() {
            path
        } else {
            format!("{path} {}", self.suffix)
        }
    }

    fn close_to(&mut self, level: u8) {
        while self.stack.last().is_some_and(|o| o.level >= level) {
            let o = self.stack.pop().expect("checked above");
            self.attach(o.prov);
        }
    }

    fn attach(&mut self, p: Provision) {
        match self.stack.last_mut() {
            Some(parent) => {
                parent.prov.end = parent.prov.end.max(p.end);
                parent.prov.children.push(p);
            }
            None => self.roots.push(p),
        }
    }

    fn finish(mut self) -> Vec<Provision> {
        self.close_to(0);
        let mut out = Vec::new();
        if let Some(i) = self.intro.take() {
            out.push(i);
        }
        out.extend(self.roots);
        out
    }

    fn unique(&mut self, path: String, offset: usize) -> String {
        if self.paths.insert(path.clone()) {
            return path;
        }
        self.diags.push(
            DiagnosticSeverity::Warning,
            "duplicate_provision",
            offset,
            format!("Trùng số hiệu: {path} xuất hiện hai lần (the provision appears twice)."),
        );
        let mut n = 2;
        loop {
            let p = format!("{path} ({n})");
            if self.paths.insert(p.clone()) {
                return p;
            }
            n += 1;
        }
    }

    fn append_text(&mut self, line: &Line) {
        let end = line.offset + line.text.len();
        match self.stack.last_mut() {
            Some(o) => {
                if !o.prov.text.is_empty() {
                    o.prov.text.push('\n');
                }
                o.prov.text.push_str(line.text);
                o.prov.end = o.prov.end.max(end);
            }
            None => {
                let path = self.with_suffix("phần mở đầu".to_string());
                let line_no = self.diags.line_of(line.offset);
                let intro = self.intro.get_or_insert_with(|| Provision {
                    kind: ProvisionKind::Item,
                    label: String::new(),
                    path,
                    heading: None,
                    text: String::new(),
                    children: Vec::new(),
                    line: line_no,
                    start: line.offset,
                    end,
                });
                if !intro.text.is_empty() {
                    intro.text.push('\n');
                }
                intro.text.push_str(line.text);
                intro.end = end;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn open(
        &mut self,
        level: u8,
        kind: ProvisionKind,
        label: &str,
        path: String,
        heading: Option<String>,
        text: String,
        line: &Line,
    ) {
        let path = self.unique(path, line.offset);
        let line_no = self.diags.line_of(line.offset);
        self.stack.push(Open {
            level,
            prov: Provision {
                kind,
                label: label.to_string(),
                path,
                heading,
                text,
                children: Vec::new(),
                line: line_no,
                start: line.offset,
                end: line.offset + line.text.len(),
            },
            last_child: None,
            bullets: Vec::new(),
        });
    }

    /// Checks that `index` follows the last sibling number at this level; returns what to
    /// record. `what` names the sequence for the message.
    fn check_sequence(
        &mut self,
        level: u8,
        index: usize,
        shown: &str,
        expected_shown: impl Fn(usize) -> String,
        offset: usize,
    ) {
        let last = match self.stack.last() {
            Some(o) => o.last_child,
            None => self.root_last,
        };
        if let Some((lv, prev)) = last {
            if lv == level && index != prev + 1 && index > prev {
                let missing = expected_shown(prev + 1);
                self.diags.push(
                    DiagnosticSeverity::Warning,
                    "numbering_gap",
                    offset,
                    format!(
                        "Thiếu {missing}: số thứ tự nhảy tới {shown} (numbering skips {missing})."
                    ),
                );
            } else if lv == level && index <= prev {
                self.diags.push(
                    DiagnosticSeverity::Warning,
                    "numbering_order",
                    offset,
                    format!("{shown} không theo thứ tự (out of order numbering)."),
                );
            }
        }
        match self.stack.last_mut() {
            Some(o) => o.last_child = Some((level, index)),
            None => self.root_last = Some((level, index)),
        }
    }

    fn path_of(&self, level: u8) -> Option<&str> {
        self.stack
            .iter()
            .rev()
            .find(|o| o.level == level)
            .map(|o| o.prov.path.as_str())
    }

    fn label_of(&self, level: u8) -> Option<&str> {
        self.stack
            .iter()
            .rev()
            .find(|o| o.level == level)
            .map(|o| o.prov.label.as_str())
    }
}

/// Builds the tree of one part. `suffix` is the annex name appended to the paths of an
/// annex's provisions (`khoản 2 Điều 4 Quy định`); empty for the decision's own body.
pub fn build(lines: &[Line], suffix: &str, diags: &mut Diagnostics) -> Vec<Provision> {
    let quoted = quoted_lines(lines, diags);
    let kinds: Vec<LineKind> = lines
        .iter()
        .zip(&quoted)
        .map(|(l, q)| if *q { LineKind::Text } else { classify(l.text) })
        .collect();
    let article_mode = kinds.iter().any(|k| matches!(k, LineKind::Article { .. }));
    let mut b = Builder {
        suffix: suffix.to_string(),
        roots: Vec::new(),
        stack: Vec::new(),
        intro: None,
        paths: Default::default(),
        root_last: None,
        diags,
    };
    if article_mode {
        build_articles(&mut b, lines, &kinds);
    } else {
        // Outline paths (`mục II.2.b`) cannot clash with the decision's articles, so an
        // annexed programme's parts are named without the annex's name, as the contract shows.
        b.suffix.clear();
        build_outline(&mut b, lines, &kinds);
    }
    b.finish()
}

const PART: u8 = 1;
const CHAPTER: u8 = 2;
const SECTION: u8 = 3;
const SUBSECTION: u8 = 4;
const ARTICLE: u8 = 5;
const CLAUSE: u8 = 6;
const POINT: u8 = 7;

fn split_heading(rest: &str) -> (Option<String>, String) {
    if rest.is_empty() {
        (None, String::new())
    } else if ends_sentence(rest) || rest.chars().count() > 250 {
        (None, rest.to_string())
    } else {
        (Some(rest.to_string()), String::new())
    }
}

fn build_articles(b: &mut Builder, lines: &[Line], kinds: &[LineKind]) {
    let mut last_article: Option<u32> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        match &kinds[i] {
            LineKind::Part { label, rest }
            | LineKind::Chapter { label, rest }
            | LineKind::Section { label, rest }
            | LineKind::Subsection { label, rest } => {
                let (level, kind, path) = match &kinds[i] {
                    LineKind::Part { .. } => (PART, ProvisionKind::Part, format!("Phần {label}")),
                    LineKind::Chapter { .. } => {
                        (CHAPTER, ProvisionKind::Chapter, format!("Chương {label}"))
                    }
                    LineKind::Section { .. } => {
                        let ch = b
                            .label_of(CHAPTER)
                            .map(|c| format!(" Chương {c}"))
                            .unwrap_or_default();
                        (SECTION, ProvisionKind::Section, format!("Mục {label}{ch}"))
                    }
                    _ => {
                        let sec = b
                            .path_of(SECTION)
                            .map(|s| format!(" {s}"))
                            .unwrap_or_default();
                        (
                            SUBSECTION,
                            ProvisionKind::Subsection,
                            format!("Tiểu mục {label}{sec}"),
                        )
                    }
                };
                b.close_to(level);
                let mut heading = (!rest.is_empty()).then(|| rest.clone());
                // A heading printed on the next line, in capitals.
                if heading.is_none()
                    && i + 1 < lines.len()
                    && matches!(kinds[i + 1], LineKind::Text)
                    && super::casing::is_upper_line(lines[i + 1].text)
                {
                    heading = Some(lines[i + 1].text.to_string());
                    i += 1;
                }
                let path = b.with_suffix(path);
                b.open(level, kind, label, path, heading, String::new(), line);
                if let Some(o) = b.stack.last_mut() {
                    o.prov.end = lines[i].offset + lines[i].text.len();
                }
            }
            LineKind::Article { label, rest } => {
                b.close_to(ARTICLE);
                let n: Option<u32> = label
                    .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                    .parse()
                    .ok();
                let inserted = label.ends_with(|c: char| c.is_ascii_alphabetic());
                if let (Some(prev), Some(n)) = (last_article, n) {
                    if !inserted && n != prev + 1 {
                        let msg = if n > prev + 1 {
                            format!("Thiếu Điều {}: sau Điều {prev} là Điều {n} (article numbering skips).", prev + 1)
                        } else {
                            format!("Điều {n} sau Điều {prev}: số điều không theo thứ tự (article numbering out of order).")
                        };
                        b.diags.push(
                            DiagnosticSeverity::Warning,
                            "numbering_gap",
                            line.offset,
                            msg,
                        );
                    }
                }
                if let Some(n) = n {
                    last_article = Some(n);
                }
                let (heading, text) = split_heading(rest);
                let path = b.with_suffix(format!("Điều {label}"));
                b.open(
                    ARTICLE,
                    ProvisionKind::Article,
                    label,
                    path,
                    heading,
                    text,
                    line,
                );
            }
            LineKind::Clause { label, rest }
                if !label.contains('.') && b.path_of(ARTICLE).is_some() =>
            {
                b.close_to(CLAUSE);
                let art = b.label_of(ARTICLE).unwrap_or_default().to_string();
                if let Ok(n) = label.parse::<usize>() {
                    b.check_sequence(
                        CLAUSE,
                        n,
                        &format!("khoản {n}"),
                        |k| format!("khoản {k}"),
                        line.offset,
                    );
                }
                let path = b.with_suffix(format!("khoản {label} Điều {art}"));
                b.open(
                    CLAUSE,
                    ProvisionKind::Clause,
                    label,
                    path,
                    None,
                    rest.clone(),
                    line,
                );
            }
            LineKind::Point { label, rest } if b.path_of(ARTICLE).is_some() => {
                b.close_to(POINT);
                let art = b.label_of(ARTICLE).unwrap_or_default().to_string();
                let clause = b
                    .stack
                    .iter()
                    .rev()
                    .take_while(|o| o.level >= ARTICLE)
                    .find(|o| o.level == CLAUSE)
                    .map(|o| o.prov.label.clone());
                if let Some(ix) = letter_index(label) {
                    b.check_sequence(
                        POINT,
                        ix,
                        &format!("điểm {label}"),
                        |k| format!("điểm {}", POINT_LETTERS.get(k).unwrap_or(&"?")),
                        line.offset,
                    );
                }
                let path = match clause {
                    Some(c) => format!("điểm {label} khoản {c} Điều {art}"),
                    None => format!("điểm {label} Điều {art}"),
                };
                let path = b.with_suffix(path);
                b.open(
                    POINT,
                    ProvisionKind::Point,
                    label,
                    path,
                    None,
                    rest.clone(),
                    line,
                );
            }
            _ => b.append_text(line),
        }
        i += 1;
    }
}

/// Outline ranks: `I.` 1, `1.` 2, `1.1.` 3, `a)` 4, `*` 5, `-` 6, `+` 7.
fn outline_rank(k: &LineKind) -> Option<u8> {
    match k {
        LineKind::Roman { .. } => Some(1),
        LineKind::Clause { label, .. } if !label.contains('.') => Some(2),
        LineKind::Clause { .. } => Some(3),
        LineKind::Point { .. } => Some(4),
        LineKind::Bullet { mark: '*', .. } => Some(5),
        LineKind::Bullet { mark: '+', .. } => Some(7),
        LineKind::Bullet { .. } => Some(6),
        // A chapter or article inside an outline (rare) is read as text.
        _ => None,
    }
}

fn build_outline(b: &mut Builder, lines: &[Line], kinds: &[LineKind]) {
    for (i, line) in lines.iter().enumerate() {
        let k = &kinds[i];
        let Some(rank) = outline_rank(k) else {
            b.append_text(line);
            continue;
        };
        b.close_to(rank);
        let parent_path: Option<String> = b.stack.last().map(|o| {
            let p = &o.prov.path;
            let p = p.strip_suffix(&format!(" {}", b.suffix)).unwrap_or(p);
            p.strip_prefix("mục ").unwrap_or(p).to_string()
        });
        let (label, own, rest, heading_allowed) = match k {
            LineKind::Roman { label, rest } => {
                if let Some(v) = roman_value(label) {
                    b.check_sequence(
                        1,
                        v as usize,
                        &format!("mục {label}"),
                        |x| format!("mục {}", to_roman(x as u32)),
                        line.offset,
                    );
                }
                (label.clone(), label.clone(), rest.clone(), true)
            }
            LineKind::Clause { label, rest } => {
                let own = label.rsplit('.').next().unwrap_or(label).to_string();
                if let Ok(n) = own.parse::<usize>() {
                    let shown_parent = parent_path
                        .clone()
                        .map(|p| format!("mục {p}."))
                        .unwrap_or_else(|| "mục ".into());
                    let sp = shown_parent.clone();
                    b.check_sequence(
                        rank,
                        n,
                        &format!("{shown_parent}{n}"),
                        move |x| format!("{sp}{x}"),
                        line.offset,
                    );
                }
                (label.clone(), own, rest.clone(), false)
            }
            LineKind::Point { label, rest } => {
                if let Some(ix) = letter_index(label) {
                    let sp = parent_path
                        .clone()
                        .map(|p| format!("mục {p}."))
                        .unwrap_or_else(|| "mục ".into());
                    let sp2 = sp.clone();
                    b.check_sequence(
                        rank,
                        ix,
                        &format!("{sp}{label}"),
                        move |x| format!("{sp2}{}", POINT_LETTERS.get(x).unwrap_or(&"?")),
                        line.offset,
                    );
                }
                (label.clone(), label.clone(), rest.clone(), false)
            }
            LineKind::Bullet { mark, rest } => {
                let n = match b.stack.last_mut() {
                    Some(o) => bump(&mut o.bullets, *mark),
                    None => {
                        let c = b
                            .roots
                            .iter()
                            .filter(|r| r.label == mark.to_string())
                            .count();
                        c + 1
                    }
                };
                (mark.to_string(), format!("{mark}{n}"), rest.clone(), false)
            }
            _ => unreachable!("outline_rank returned a rank"),
        };
        let path = match parent_path {
            Some(p) => format!("mục {p}.{own}"),
            None => format!("mục {own}"),
        };
        let path = b.with_suffix(path);
        let (heading, text) = if heading_allowed {
            split_heading(&rest)
        } else {
            (None, rest)
        };
        b.open(rank, ProvisionKind::Item, &label, path, heading, text, line);
    }
}

fn bump(counters: &mut Vec<(char, usize)>, mark: char) -> usize {
    for (m, n) in counters.iter_mut() {
        if *m == mark {
            *n += 1;
            return *n;
        }
    }
    counters.push((mark, 1));
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn romans() {
        assert_eq!(roman_value("IV"), Some(4));
        assert_eq!(roman_value("XIV"), Some(14));
        assert_eq!(to_roman(3), "III");
        assert_eq!(to_roman(19), "XIX");
    }
}
