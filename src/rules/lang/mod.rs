//! The rule language: how a jurist writes a review rule (`rules/*.rule`).
//!
//! A file holds rules; a rule is a header line and keyword lines:
//!
//! ```text
//! rule conflict.quantity — kind conflict, severity high
//!   for each pair of provisions A, B
//!   where A and B are in force on the review date
//!     and A and B set a deadline, an amount, a rate, an age, an area or a length for the same matter with different values
//!     and A and B have the same issuer, or A's issuer is below B's
//!   say "{A.value} tại {A} khác {B.value} tại {B} cho cùng nội dung."
//!   law "khoản 2, khoản 3 Điều 156 Luật Ban hành văn bản quy phạm pháp luật 2015"
//! ```
//!
//! The pest grammar (`grammar/rules.pest`) knows only the shape of lines. The words of a
//! `for each`, `where` and `and` line are matched against the catalogue of phrases
//! ([`catalogue`]); a phrase that matches no entry is an *unknown condition*, a phrase whose
//! words match but whose value does not fit (a word where a number is wanted) is a *type
//! error*, and a placeholder or header field the rule cannot have is an *unknown field*.
//! Every error names file:line:column, shows the line with a caret under the fault and gives
//! a hint. Each rule is parsed on its own, so one broken rule does not stop the others.

pub mod catalogue;

use std::fmt;

use pest::Parser as _;

use crate::model::{Date, FindingKind, Severity};
pub use catalogue::{Cond, Scope};

mod grammar {
    //! The derived parser of `grammar/rules.pest`.
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/rules.pest"]
    pub struct RuleGrammar;
}
use grammar::{Rule as R, RuleGrammar};

/// A place in a rule file: 1-based line and column (in characters), and the fault's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

/// What is wrong with a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Syntax,
    UnknownField,
    UnknownCondition,
    TypeError,
    Missing,
}

impl ErrorKind {
    fn code(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::UnknownField => "unknown field",
            ErrorKind::UnknownCondition => "unknown condition",
            ErrorKind::TypeError => "type error",
            ErrorKind::Missing => "incomplete rule",
        }
    }
}

/// An error in a rule file, printed like a compiler's: file:line:column, the line, a caret
/// under the fault, and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub kind: ErrorKind,
    pub message: String,
    pub span: Span,
    /// The text of the faulty line.
    pub source_line: String,
    pub hint: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.span.line.to_string();
        let pad = " ".repeat(n.len());
        writeln!(f, "error ({}): {}", self.kind.code(), self.message)?;
        writeln!(
            f,
            "{pad}--> {}:{}:{}",
            self.file, self.span.line, self.span.column
        )?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{n} | {}", self.source_line)?;
        writeln!(
            f,
            "{pad} | {}{}",
            " ".repeat(self.span.column.saturating_sub(1)),
            "^".repeat(self.span.len.max(1))
        )?;
        write!(f, "{pad} = hint: {}", self.hint)
    }
}

/// An example a rule carries: the sample corpus must (or must not) produce this finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub flags: bool,
    /// `"DOC"` or `"DOC, provision"`.
    pub subject: String,
    pub with: Option<String>,
    pub line: usize,
}

/// A checked rule, ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub kind: FindingKind,
    pub severity: Severity,
    pub enabled: bool,
    pub scope: Scope,
    pub conditions: Vec<Cond>,
    pub say: String,
    pub law: String,
    /// A deadline for the reviewer, with a note (e.g. that a jurist must confirm it).
    pub deadline: Option<(Date, String)>,
    pub examples: Vec<Example>,
    pub file: String,
    pub line: usize,
}

/// A word, string, number, date or comma of a phrase, with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Word(String),
    Str(String),
    Num(f64),
    Date(Date),
    Comma,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

impl Token {
    /// The token as written (for messages).
    pub fn text(&self) -> String {
        match &self.tok {
            Tok::Word(w) => w.clone(),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Num(n) => n.to_string(),
            Tok::Date(d) => d.to_string(),
            Tok::Comma => ",".into(),
        }
    }
}

/// The placeholders a scope gives a message, before conditions add theirs.
pub fn scope_fields(scope: Scope) -> &'static [&'static str] {
    match scope {
        Scope::Document => &[
            "document", "title", "issuer", "issued", "status", "as_of", "type",
        ],
        Scope::Provision => &[
            "document",
            "provision",
            "title",
            "issuer",
            "issued",
            "status",
            "as_of",
            "text",
        ],
        Scope::Citation => &[
            "document",
            "provision",
            "title",
            "issuer",
            "issued",
            "as_of",
            "cited",
            "raw",
            "cited.date",
        ],
        Scope::Pair => &[
            "A",
            "B",
            "A.document",
            "B.document",
            "A.provision",
            "B.provision",
            "A.issuer",
            "B.issuer",
            "as_of",
            "A.text",
            "B.text",
        ],
    }
}

struct Ctx<'a> {
    file: &'a str,
    lines: Vec<&'a str>,
}

impl Ctx<'_> {
    fn err(&self, kind: ErrorKind, span: Span, message: String, hint: String) -> Box<RuleError> {
        Box::new(RuleError {
            file: self.file.to_string(),
            kind,
            message,
            span,
            source_line: self
                .lines
                .get(span.line.saturating_sub(1))
                .copied()
                .unwrap_or("")
                .trim_end()
                .to_string(),
            hint,
        })
    }
}

fn span_of(p: &pest::iterators::Pair<'_, R>, line0: usize) -> Span {
    let (l, c) = p.line_col();
    Span {
        line: l + line0,
        column: c,
        len: p.as_str().chars().count().max(1),
    }
}

/// Parses and checks one rule file. Each rule is parsed on its own: the rules without errors
/// are returned with the errors of the others.
pub fn parse_file(file: &str, text: &str) -> (Vec<Rule>, Vec<RuleError>) {
    let ctx = Ctx {
        file,
        lines: text.lines().collect(),
    };
    // Split into chunks, each starting at a line whose first word is `rule`.
    let mut chunks: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        let starts = t.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("rule "));
        if starts || chunks.is_empty() {
            if chunks.is_empty() && !starts {
                // Lines before the first rule must be comments or blank.
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
            }
            chunks.push((i, String::new()));
        }
        let c = chunks.last_mut().expect("chunk");
        c.1.push_str(line);
        c.1.push('\n');
    }
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (line0, chunk) in chunks {
        match parse_rule(&ctx, line0, &chunk) {
            Ok(r) => rules.push(r),
            Err(e) => errors.push(*e),
        }
    }
    (rules, errors)
}

fn syntax_error(ctx: &Ctx<'_>, line0: usize, e: pest::error::Error<R>) -> Box<RuleError> {
    let (l, c) = match e.line_col {
        pest::error::LineColLocation::Pos(p) => p,
        pest::error::LineColLocation::Span(p, _) => p,
    };
    let line = l + line0;
    let src = ctx.lines.get(line - 1).copied().unwrap_or("");
    let rest: String = src.chars().skip(c - 1).collect();
    let trimmed = src.trim_start();
    let hint = if rest.starts_with('"') || src.matches('"').count() % 2 == 1 {
        "a text in quotes must be closed with \" on the same line".to_string()
    } else if c == 1 + src.len() - trimmed.len() || rest.trim().is_empty() && c > 1 {
        "each line of a rule starts with one of: rule, for each, where, and, say, law, deadline, example".to_string()
    } else {
        "the header reads `rule ID — kind K, severity S`; `say` and `law` take a text in quotes; a date is written YYYY-MM-DD".to_string()
    };
    let len = rest
        .split_whitespace()
        .next()
        .map(|w| w.chars().count())
        .unwrap_or(1);
    ctx.err(
        ErrorKind::Syntax,
        Span {
            line,
            column: c,
            len,
        },
        format!(
            "cannot read this line here{}",
            if rest.is_empty() {
                String::new()
            } else {
                format!(" (at `{}`)", rest.split_whitespace().next().unwrap_or(""))
            }
        ),
        hint,
    )
}

fn tokens_of(p: pest::iterators::Pair<'_, R>, line0: usize) -> Vec<Token> {
    p.into_inner()
        .filter_map(|t| {
            let span = span_of(&t, line0);
            let tok = match t.as_rule() {
                R::word => Tok::Word(t.as_str().to_string()),
                R::string => Tok::Str(t.into_inner().as_str().to_string()),
                R::number => Tok::Num(t.as_str().parse().ok()?),
                R::date => Tok::Date(t.as_str().parse().ok()?),
                R::comma => Tok::Comma,
                _ => return None,
            };
            Some(Token { tok, span })
        })
        .collect()
}

fn parse_rule(ctx: &Ctx<'_>, line0: usize, chunk: &str) -> Result<Rule, Box<RuleError>> {
    let mut pairs = RuleGrammar::parse(R::rule, chunk).map_err(|e| syntax_error(ctx, line0, e))?;
    // The whole chunk must be consumed (blank lines and comments aside).
    let rule = pairs.next().expect("rule");
    let end = rule.as_span().end();
    if !chunk[end..].trim().is_empty()
        && !chunk[end..]
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        let offset = end + (chunk[end..].len() - chunk[end..].trim_start().len());
        let before = &chunk[..offset];
        let line = before.matches('\n').count() + 1 + line0;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        let src = ctx.lines.get(line - 1).copied().unwrap_or("");
        let word = src.split_whitespace().next().unwrap_or("");
        let hint = if src.matches('"').count() % 2 == 1 {
            "a text in quotes must be closed with \" on the same line".to_string()
        } else {
            "each line of a rule starts with one of: for each, where, and, say, law, deadline, example".to_string()
        };
        return Err(ctx.err(
            ErrorKind::Syntax,
            Span {
                line,
                column: col,
                len: word.chars().count().max(1),
            },
            format!("cannot read this line (at `{word}`)"),
            hint,
        ));
    }
    let header_line = line0 + 1;
    let mut id = String::new();
    let mut kind = None;
    let mut severity = None;
    let mut enabled = true;
    let mut scope: Option<(Scope, Span)> = None;
    let mut conds: Vec<(Cond, Span)> = Vec::new();
    let mut say: Option<(String, Span)> = None;
    let mut law: Option<(String, Span)> = None;
    let mut deadline = None;
    let mut examples = Vec::new();
    let mut header_span = Span {
        line: header_line,
        column: 1,
        len: 4,
    };
    for p in rule.into_inner() {
        match p.as_rule() {
            R::header => {
                header_span = span_of(&p, line0);
                for h in p.into_inner() {
                    match h.as_rule() {
                        R::rule_id => id = h.as_str().to_string(),
                        R::attr => {
                            let span = span_of(&h, line0);
                            let words: Vec<(String, Span)> = h
                                .into_inner()
                                .map(|w| (w.as_str().to_string(), span_of(&w, line0)))
                                .collect();
                            header_attr(ctx, &words, span, &mut kind, &mut severity, &mut enabled)?;
                        }
                        _ => {}
                    }
                }
            }
            R::for_each => {
                let span = span_of(&p, line0);
                let toks = tokens_of(p.into_inner().next().expect("phrase"), line0);
                // No words after `for each`: the error is placed on the line itself.
                let s = catalogue::match_scope(&toks).map_err(|(k, sp, m, h)| {
                    ctx.err(k, if toks.is_empty() { span } else { sp }, m, h)
                })?;
                scope = Some((s, span));
            }
            R::where_c | R::and_c => {
                let span = span_of(&p, line0);
                let toks = tokens_of(p.into_inner().next().expect("phrase"), line0);
                let Some((sc, _)) = scope else {
                    return Err(ctx.err(
                        ErrorKind::Missing,
                        span,
                        "a condition before the `for each` line".into(),
                        "write `for each document` (or provision, pair of provisions A, B, citation) before the conditions".into(),
                    ));
                };
                let c = catalogue::match_cond(sc, &toks)
                    .map_err(|(k, sp, m, h)| ctx.err(k, sp, m, h))?;
                conds.push((c, span));
            }
            R::say | R::law => {
                let is_say = p.as_rule() == R::say;
                let s = p.into_inner().next().expect("string");
                let span = span_of(&s, line0);
                let text = s.into_inner().as_str().to_string();
                if is_say {
                    say = Some((text, span));
                } else {
                    law = Some((text, span));
                }
            }
            R::deadline => {
                let mut it = p.into_inner();
                let d = it.next().expect("date");
                let span = span_of(&d, line0);
                let date: Date = d.as_str().parse().map_err(|_| {
                    ctx.err(
                        ErrorKind::TypeError,
                        span,
                        format!("`{}` is not a calendar date", d.as_str()),
                        "write the date as YYYY-MM-DD, e.g. 2027-03-01".into(),
                    )
                })?;
                let note = it
                    .next()
                    .map(|s| s.into_inner().as_str().to_string())
                    .unwrap_or_default();
                deadline = Some((date, note));
            }
            R::example => {
                let line = p.line_col().0 + line0;
                let mut it = p.into_inner();
                let flags = it
                    .next()
                    .map(|e| e.as_str().eq_ignore_ascii_case("flags"))
                    .unwrap_or(true);
                let subject = it
                    .next()
                    .map(|s| s.into_inner().as_str().to_string())
                    .unwrap_or_default();
                let with = it.next().map(|s| s.into_inner().as_str().to_string());
                examples.push(Example {
                    flags,
                    subject,
                    with,
                    line,
                });
            }
            _ => {}
        }
    }
    let missing = |what: &str, hint: &str| {
        ctx.err(
            ErrorKind::Missing,
            header_span,
            format!("rule `{id}` has no {what}"),
            hint.to_string(),
        )
    };
    let kind = kind.ok_or_else(|| {
        missing(
            "kind",
            "add `kind K` to the header, e.g. `— kind expired, severity high`",
        )
    })?;
    let severity = severity.unwrap_or(Severity::Medium);
    let (scope, _) = scope.ok_or_else(|| missing("`for each` line", "say what the rule looks at: `for each document`, `for each provision`, `for each pair of provisions A, B` or `for each citation`"))?;
    let (say, say_span) = say.ok_or_else(|| {
        missing(
            "message",
            "add a line `say \"…\"` with the sentence a reviewer reads",
        )
    })?;
    let (law, law_span) = law.ok_or_else(|| {
        missing(
            "rule of law",
            "add a line `law \"…\"` naming the rule of law the finding rests on",
        )
    })?;
    if scope == Scope::Pair && !conds.iter().any(|(c, _)| c.finds_pairs()) {
        return Err(missing(
            "condition that finds the pairs",
            "a rule over pairs of provisions needs `A and B set … for the same matter with different values` or `A and B say substantially the same thing …`",
        ));
    }
    // Placeholders must be fields the scope or a condition gives.
    let mut fields: Vec<&str> = scope_fields(scope).to_vec();
    for (c, _) in &conds {
        fields.extend(c.fields());
    }
    if deadline.is_some() {
        fields.push("deadline");
        fields.push("deadline.note");
    }
    for (text, span) in [(&say, say_span), (&law, law_span)] {
        check_placeholders(ctx, text, span, &fields)?;
    }
    Ok(Rule {
        id,
        kind,
        severity,
        enabled,
        scope,
        conditions: conds.into_iter().map(|(c, _)| c).collect(),
        say,
        law,
        deadline,
        examples,
        file: ctx.file.to_string(),
        line: header_line,
    })
}

fn header_attr(
    ctx: &Ctx<'_>,
    words: &[(String, Span)],
    span: Span,
    kind: &mut Option<FindingKind>,
    severity: &mut Option<Severity>,
    enabled: &mut bool,
) -> Result<(), Box<RuleError>> {
    let (key, kspan) = &words[0];
    let value: Vec<&str> = words[1..].iter().map(|(w, _)| w.as_str()).collect();
    let vspan = words.get(1).map(|(_, s)| {
        let last = words.last().expect("word").1;
        Span {
            line: s.line,
            column: s.column,
            len: last.column + last.len - s.column,
        }
    });
    match key.to_lowercase().as_str() {
        "kind" => {
            let v = value.join("_");
            let k: FindingKind = serde_json::from_value(serde_json::Value::String(v.clone()))
                .map_err(|_| {
                    ctx.err(
                        ErrorKind::TypeError,
                        vspan.unwrap_or(span),
                        format!("`{}` is not a kind of finding", value.join(" ")),
                        "the kind is one of: expired, partially_expired, amended, basis_expired, conflict, overlap, inconsistency, format, authority".into(),
                    )
                })?;
            *kind = Some(k);
        }
        "severity" => {
            let v = value.join(" ");
            let s: Severity = serde_json::from_value(serde_json::Value::String(v.clone()))
                .map_err(|_| {
                    ctx.err(
                        ErrorKind::TypeError,
                        vspan.unwrap_or(span),
                        format!("`{v}` is not a severity"),
                        "the severity is one of: high, medium, low, info".into(),
                    )
                })?;
            *severity = Some(s);
        }
        "off" | "disabled" if value.is_empty() => *enabled = false,
        "on" if value.is_empty() => *enabled = true,
        other => {
            let known = ["kind", "severity", "off", "on"];
            let near = nearest(other, &known);
            return Err(ctx.err(
                ErrorKind::UnknownField,
                *kspan,
                format!("unknown field `{key}` in the rule header"),
                format!(
                    "the header takes `kind`, `severity` and `off`{}",
                    near.map(|n| format!("; did you mean `{n}`?"))
                        .unwrap_or_default()
                ),
            ));
        }
    }
    Ok(())
}

fn check_placeholders(
    ctx: &Ctx<'_>,
    text: &str,
    span: Span,
    fields: &[&str],
) -> Result<(), Box<RuleError>> {
    let mut rest = text;
    let mut offset = 0usize;
    while let Some(i) = rest.find('{') {
        let Some(j) = rest[i..].find('}') else { break };
        let name = &rest[i + 1..i + j];
        if !fields.contains(&name) {
            let col = span.column + 1 + text[..offset + i].chars().count();
            let near = nearest(name, fields);
            return Err(ctx.err(
                ErrorKind::UnknownField,
                Span {
                    line: span.line,
                    column: col,
                    len: name.chars().count() + 2,
                },
                format!("unknown field `{{{name}}}` in the message"),
                format!(
                    "this rule can use {}{}",
                    fields
                        .iter()
                        .map(|f| format!("{{{f}}}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    near.map(|n| format!("; did you mean {{{n}}}?"))
                        .unwrap_or_default()
                ),
            ));
        }
        offset += i + j + 1;
        rest = &rest[i + j + 1..];
    }
    Ok(())
}

/// The closest of `known` to `w` by edit distance, if close enough to be a typo.
pub fn nearest<'a>(w: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(&w.to_lowercase(), &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3))
        .min()
        .map(|(_, k)| k)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let c = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + c);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests;
