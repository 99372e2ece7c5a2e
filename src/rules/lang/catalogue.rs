//! The catalogue of phrases a rule may use: what a rule ranges over (`for each …`) and the
//! conditions (`where …`, `and …`).
//!
//! A phrase is words and slots: `its status on the review date is {statuses}` matches
//! `its status on the review date is expired` and `… is in force or partially expired`.
//! Words compare without case and diacritics (`Căn cứ` = `can cu`). A slot has a type; a value
//! that does not fit is a type error, located at the value, with the values the slot takes.

use super::{ErrorKind, Span, Tok, Token};
use crate::model::{IssuerLevel, ReasonKind, Status};
use crate::rules::quantities::QuantityKind;
use crate::text::fold;

/// What a rule ranges over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every stored document.
    Document,
    /// Every provision of every stored document.
    Provision,
    /// Pairs of provisions, found by a condition (quantities or similarity), never all pairs.
    Pair,
    /// Every citation of every stored document.
    Citation,
}

/// A condition, as the catalogue understood it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    StatusIs(Vec<Status>),
    ReasonIs(Vec<ReasonKind>),
    LevelIs(Vec<IssuerLevel>),
    Normative(bool),
    AfterDistrictEnd,
    BasisEnded { at_issue: bool },
    ParentEndedLater,
    ParserNoted(Vec<String>),
    TooEarly,
    TitleContains(Vec<String>),
    ProvisionEnded,
    ProvisionAmended,
    TextContains(Vec<String>),
    DocStatusIs(Vec<Status>),
    MissingInternal,
    DatedAfter,
    PairInForce,
    PairNormative,
    QuantityConflict(Vec<QuantityKind>),
    Similar(f64),
    SameOrLower,
    NotBoilerplate(Vec<String>),
    NotHeaded(Vec<String>),
    NoQuantityDifference,
    NoneModifies,
    ParserNotNoted(Vec<String>),
}

impl Cond {
    /// True for the conditions that produce the candidate pairs of a pair rule.
    pub fn finds_pairs(&self) -> bool {
        matches!(self, Cond::QuantityConflict(_) | Cond::Similar(_))
    }

    /// The placeholders this condition adds to the message.
    pub fn fields(&self) -> Vec<&'static str> {
        match self {
            Cond::StatusIs(_) | Cond::ReasonIs(_) | Cond::ProvisionEnded => {
                vec!["since", "reason", "reason.law", "cause", "cause.provision"]
            }
            Cond::ProvisionAmended => vec!["since", "reason.law", "cause", "cause.provision"],
            Cond::LevelIs(_) => vec!["level"],
            Cond::AfterDistrictEnd => vec!["district_end", "district.law"],
            Cond::BasisEnded { .. } | Cond::ParentEndedLater => {
                vec![
                    "basis",
                    "basis.since",
                    "basis.reason",
                    "basis.law",
                    "basis.line",
                ]
            }
            Cond::ParserNoted(_) => vec!["note", "line"],
            Cond::TooEarly => vec!["days", "min_days", "min.law", "effective"],
            Cond::MissingInternal => vec!["target"],
            Cond::DatedAfter => vec!["cited.date"],
            Cond::QuantityConflict(_) => vec!["A.value", "B.value", "matter", "prevails"],
            Cond::Similar(_) => vec!["similarity", "prevails"],
            _ => vec![],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Statuses,
    Reasons,
    Levels,
    Codes,
    QKinds,
    Number,
    Strings,
}

impl Slot {
    fn noun(self) -> &'static str {
        match self {
            Slot::Statuses => "a status",
            Slot::Reasons => "a reason",
            Slot::Levels => "a level of issuer",
            Slot::Codes => "a parser note",
            Slot::QKinds => "a kind of quantity",
            Slot::Number => "a number between 0 and 1",
            Slot::Strings => "a list of texts in quotes",
        }
    }

    fn values(self) -> &'static [&'static str] {
        match self {
            Slot::Statuses => &[
                "in force",
                "partially expired",
                "expired",
                "not yet in force",
                "suspended",
            ],
            Slot::Reasons => &[
                "replaced",
                "repealed",
                "time limit",
                "parent expired",
                "suspended",
            ],
            Slot::Levels => &["central", "province", "district", "commune"],
            Slot::QKinds => &["deadline", "amount", "rate", "age", "area", "length"],
            _ => &[],
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Slot::Statuses => "a status: in force, partially expired, expired, not yet in force, suspended (several joined by `or`)",
            Slot::Reasons => "a reason: replaced, repealed, time limit, parent expired (several joined by `or`)",
            Slot::Levels => "a level: central, province, district, commune (several joined by `or`)",
            Slot::Codes => "a parser note such as annex number mismatch, malformed number, missing date, missing signer",
            Slot::QKinds => "kinds of quantity: a deadline, an amount, a rate, an age, an area or a length",
            Slot::Number => "a number such as 0.5",
            Slot::Strings => "texts in quotes, separated by commas: \"chịu trách nhiệm thi hành\", \"có hiệu lực\"",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Statuses(Vec<Status>),
    Reasons(Vec<ReasonKind>),
    Levels(Vec<IssuerLevel>),
    Codes(Vec<String>),
    QKinds(Vec<QuantityKind>),
    Number(f64),
    Strings(Vec<String>),
}

type Build = fn(Vec<Val>) -> Cond;

/// An entry of the catalogue: the scopes it applies to, its words, and how to build it.
struct Entry {
    scopes: &'static [Scope],
    pattern: &'static str,
    build: Build,
}

use Scope::*;

fn first_statuses(v: Vec<Val>) -> Vec<Status> {
    match v.into_iter().next() {
        Some(Val::Statuses(s)) => s,
        _ => vec![],
    }
}

fn first_strings(v: Vec<Val>) -> Vec<String> {
    match v.into_iter().next() {
        Some(Val::Strings(s)) | Some(Val::Codes(s)) => s,
        _ => vec![],
    }
}

const ENTRIES: &[Entry] = &[
    Entry {
        scopes: &[Document],
        pattern: "its status on the review date is {statuses}",
        build: |v| Cond::StatusIs(first_statuses(v)),
    },
    Entry {
        scopes: &[Document],
        pattern: "the status engine gives the reason {reasons}",
        build: |v| match v.into_iter().next() {
            Some(Val::Reasons(r)) => Cond::ReasonIs(r),
            _ => Cond::ReasonIs(vec![]),
        },
    },
    Entry {
        scopes: &[Document, Provision, Citation],
        pattern: "its issuer's level is {levels}",
        build: |v| match v.into_iter().next() {
            Some(Val::Levels(l)) => Cond::LevelIs(l),
            _ => Cond::LevelIs(vec![]),
        },
    },
    Entry {
        scopes: &[Document],
        pattern: "it is a normative document",
        build: |_| Cond::Normative(true),
    },
    Entry {
        scopes: &[Document],
        pattern: "it is an administrative document",
        build: |_| Cond::Normative(false),
    },
    Entry {
        scopes: &[Document],
        pattern: "the review date is on or after the end of the district level",
        build: |_| Cond::AfterDistrictEnd,
    },
    Entry {
        scopes: &[Document],
        pattern:
            "a document of its Căn cứ is not in force on the review date but was when it was issued",
        build: |_| Cond::BasisEnded { at_issue: false },
    },
    Entry {
        scopes: &[Document],
        pattern: "a document of its Căn cứ was already not in force when it was issued",
        build: |_| Cond::BasisEnded { at_issue: true },
    },
    Entry {
        scopes: &[Document],
        pattern: "the document it details expired after expiry stopped following the parent",
        build: |_| Cond::ParentEndedLater,
    },
    Entry {
        scopes: &[Document],
        pattern: "the parser noted {codes}",
        build: |v| Cond::ParserNoted(first_strings(v)),
    },
    Entry {
        scopes: &[Document],
        pattern: "it takes effect sooner after signing than the law allows",
        build: |_| Cond::TooEarly,
    },
    Entry {
        scopes: &[Document],
        pattern: "its title contains {strings}",
        build: |v| Cond::TitleContains(first_strings(v)),
    },
    Entry {
        scopes: &[Provision],
        pattern: "it stopped being in force on or before the review date",
        build: |_| Cond::ProvisionEnded,
    },
    Entry {
        scopes: &[Provision],
        pattern: "its wording was amended on or before the review date",
        build: |_| Cond::ProvisionAmended,
    },
    Entry {
        scopes: &[Provision],
        pattern: "its text contains {strings}",
        build: |v| Cond::TextContains(first_strings(v)),
    },
    Entry {
        scopes: &[Provision, Citation],
        pattern: "its document is {statuses} on the review date",
        build: |v| Cond::DocStatusIs(first_statuses(v)),
    },
    Entry {
        scopes: &[Citation],
        pattern: "it points to a provision of its own document that does not exist",
        build: |_| Cond::MissingInternal,
    },
    Entry {
        scopes: &[Citation],
        pattern: "it is dated after the citing document was issued",
        build: |_| Cond::DatedAfter,
    },
    Entry {
        scopes: &[Pair],
        pattern: "A and B are in force on the review date",
        build: |_| Cond::PairInForce,
    },
    Entry {
        scopes: &[Pair],
        pattern: "A and B are in normative documents",
        build: |_| Cond::PairNormative,
    },
    Entry {
        scopes: &[Pair],
        pattern: "A and B set {qkinds} for the same matter with different values",
        build: |v| match v.into_iter().next() {
            Some(Val::QKinds(k)) => Cond::QuantityConflict(k),
            _ => Cond::QuantityConflict(vec![]),
        },
    },
    Entry {
        scopes: &[Pair],
        pattern: "A and B say substantially the same thing, with similarity at least {number}",
        build: |v| match v.into_iter().next() {
            Some(Val::Number(n)) => Cond::Similar(n),
            _ => Cond::Similar(1.0),
        },
    },
    Entry {
        scopes: &[Pair],
        pattern: "A and B have the same issuer, or A's issuer is below B's",
        build: |_| Cond::SameOrLower,
    },
    Entry {
        scopes: &[Pair],
        pattern: "neither A nor B is boilerplate such as {strings}",
        build: |v| Cond::NotBoilerplate(first_strings(v)),
    },
    Entry {
        scopes: &[Pair],
        pattern: "neither A nor B has a heading such as {strings}",
        build: |v| Cond::NotHeaded(first_strings(v)),
    },
    Entry {
        scopes: &[Pair],
        pattern: "A and B set no different values for the same kind of quantity",
        build: |_| Cond::NoQuantityDifference,
    },
    Entry {
        scopes: &[Document],
        pattern: "the parser did not note {codes}",
        build: |v| Cond::ParserNotNoted(first_strings(v)),
    },
    Entry {
        scopes: &[Pair],
        pattern: "neither of A and B amends, replaces or repeals the other",
        build: |_| Cond::NoneModifies,
    },
];

const SCOPES: &[(&str, Scope)] = &[
    ("document", Document),
    ("documents", Document),
    ("provision", Provision),
    ("provisions", Provision),
    ("pair of provisions A, B", Pair),
    ("citation", Citation),
    ("citations", Citation),
];

/// The catalogue's phrases, for the guide and for hints.
pub fn phrases() -> Vec<&'static str> {
    ENTRIES.iter().map(|e| e.pattern).collect()
}

/// The `for each` phrases.
pub fn scope_phrases() -> Vec<&'static str> {
    SCOPES.iter().map(|(p, _)| *p).collect()
}

type Fail = (ErrorKind, Span, String, String);

#[derive(Debug)]
enum Pat {
    Word(String),
    Comma,
    Slot(Slot),
}

fn compile(pattern: &str) -> Vec<Pat> {
    let mut out = Vec::new();
    for w in pattern.replace(',', " , ").split_whitespace() {
        out.push(match w {
            "," => Pat::Comma,
            "{statuses}" => Pat::Slot(Slot::Statuses),
            "{reasons}" => Pat::Slot(Slot::Reasons),
            "{levels}" => Pat::Slot(Slot::Levels),
            "{codes}" => Pat::Slot(Slot::Codes),
            "{qkinds}" => Pat::Slot(Slot::QKinds),
            "{number}" => Pat::Slot(Slot::Number),
            "{strings}" => Pat::Slot(Slot::Strings),
            w => Pat::Word(fold(w)),
        });
    }
    out
}

fn tok_is(p: &Pat, t: &Token) -> bool {
    match (p, &t.tok) {
        (Pat::Word(w), Tok::Word(x)) => fold(x) == *w,
        (Pat::Comma, Tok::Comma) => true,
        _ => false,
    }
}

enum Outcome {
    Ok(Vec<Val>),
    /// Literal words matched up to token index; how many pattern elements matched.
    Mismatch(usize, usize),
    Type(Span, Slot, String),
}

fn join_span(toks: &[Token]) -> Span {
    let a = toks[0].span;
    let b = toks[toks.len() - 1].span;
    Span {
        line: a.line,
        column: a.column,
        len: if b.line == a.line {
            b.column + b.len - a.column
        } else {
            a.len
        },
    }
}

/// Splits a list value at commas and `or`, dropping `a`/`an`.
fn list_items(toks: &[Token]) -> Option<Vec<String>> {
    let mut items = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for t in toks {
        match &t.tok {
            Tok::Comma => items.push(std::mem::take(&mut cur)),
            Tok::Word(w) if fold(w) == "or" => items.push(std::mem::take(&mut cur)),
            Tok::Word(w) if matches!(fold(w).as_str(), "a" | "an") && cur.is_empty() => {}
            Tok::Word(w) => cur.push(fold(w)),
            _ => return None,
        }
    }
    items.push(cur);
    let items: Vec<String> = items
        .into_iter()
        .filter(|i| !i.is_empty())
        .map(|i| i.join(" "))
        .collect();
    (!items.is_empty()).then_some(items)
}

fn enum_list<T>(toks: &[Token], f: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    list_items(toks)?.iter().map(|i| f(i)).collect()
}

fn status_of(s: &str) -> Option<Status> {
    Some(match s {
        "in force" => Status::InForce,
        "partially expired" => Status::PartiallyExpired,
        "expired" => Status::Expired,
        "not yet in force" => Status::NotYetInForce,
        "suspended" => Status::Suspended,
        _ => return None,
    })
}

fn reason_of(s: &str) -> Option<ReasonKind> {
    Some(match s {
        "replaced" => ReasonKind::Replaced,
        "repealed" => ReasonKind::Repealed,
        "time limit" => ReasonKind::TimeLimit,
        "parent expired" => ReasonKind::ParentExpired,
        "suspended" => ReasonKind::Suspended,
        _ => return None,
    })
}

fn level_of(s: &str) -> Option<IssuerLevel> {
    Some(match s {
        "central" => IssuerLevel::Central,
        "province" | "provincial" => IssuerLevel::Province,
        "district" => IssuerLevel::District,
        "commune" => IssuerLevel::Commune,
        _ => return None,
    })
}

fn code_of(s: &str) -> Option<String> {
    const CODES: &[&str] = &[
        "annex_number_mismatch",
        "annex_date_mismatch",
        "numbering_gap",
        "malformed_number",
        "missing_number",
        "missing_date",
        "missing_signer",
        "number_type_mismatch",
        "duplicate_provision",
    ];
    let c = s.replace(' ', "_");
    CODES.contains(&c.as_str()).then_some(c)
}

fn validate(slot: Slot, toks: &[Token]) -> Option<Val> {
    if toks.is_empty() {
        return None;
    }
    Some(match slot {
        Slot::Statuses => Val::Statuses(enum_list(toks, status_of)?),
        Slot::Reasons => Val::Reasons(enum_list(toks, reason_of)?),
        Slot::Levels => Val::Levels(enum_list(toks, level_of)?),
        Slot::Codes => Val::Codes(enum_list(toks, code_of)?),
        Slot::QKinds => Val::QKinds(enum_list(toks, QuantityKind::from_words)?),
        Slot::Number => match toks {
            [Token {
                tok: Tok::Num(n), ..
            }] if (0.0..=1.0).contains(n) => Val::Number(*n),
            _ => return None,
        },
        Slot::Strings => {
            let mut out = Vec::new();
            let mut want_str = true;
            for t in toks {
                match (&t.tok, want_str) {
                    (Tok::Str(s), true) => {
                        out.push(s.clone());
                        want_str = false;
                    }
                    (Tok::Comma, false) => want_str = true,
                    (Tok::Word(w), false) if fold(w) == "or" => want_str = true,
                    _ => return None,
                }
            }
            Val::Strings(out)
        }
    })
}

fn try_match(pat: &[Pat], toks: &[Token]) -> Outcome {
    let mut vals = Vec::new();
    let mut j = 0;
    for (i, p) in pat.iter().enumerate() {
        match p {
            Pat::Slot(slot) => {
                // The slot runs to the next literal of the pattern (or the end).
                let end = match pat.get(i + 1) {
                    None => toks.len(),
                    Some(next) => match (j + 1..toks.len()).find(|&k| tok_is(next, &toks[k])) {
                        Some(k) => k,
                        None => return Outcome::Mismatch(toks.len(), i),
                    },
                };
                if end <= j {
                    return Outcome::Mismatch(j, i);
                }
                match validate(*slot, &toks[j..end]) {
                    Some(v) => vals.push(v),
                    None => {
                        return Outcome::Type(
                            join_span(&toks[j..end]),
                            *slot,
                            phrase_text(&toks[j..end]),
                        )
                    }
                }
                j = end;
            }
            lit => {
                if j >= toks.len() || !tok_is(lit, &toks[j]) {
                    return Outcome::Mismatch(j, i);
                }
                j += 1;
            }
        }
    }
    if j < toks.len() {
        return Outcome::Mismatch(j, pat.len());
    }
    Outcome::Ok(vals)
}

fn phrase_text(toks: &[Token]) -> String {
    let mut s = String::new();
    for t in toks {
        if !s.is_empty() && t.tok != Tok::Comma {
            s.push(' ');
        }
        s.push_str(&t.text());
    }
    s
}

fn word_set(s: &str) -> std::collections::BTreeSet<String> {
    fold(s)
        .replace(',', " ")
        .split_whitespace()
        .filter(|w| !w.starts_with('{'))
        .map(str::to_string)
        .collect()
}

fn scope_name(s: Scope) -> &'static str {
    match s {
        Document => "documents",
        Provision => "provisions",
        Pair => "pairs of provisions",
        Citation => "citations",
    }
}

/// Matches the words of a `for each` line.
pub fn match_scope(toks: &[Token]) -> Result<Scope, Fail> {
    for (p, s) in SCOPES {
        if let Outcome::Ok(_) = try_match(&compile(p), toks) {
            return Ok(*s);
        }
    }
    // Without words there is no span here: the caller places the error on its line.
    let span = if toks.is_empty() {
        Span {
            line: 0,
            column: 1,
            len: 1,
        }
    } else {
        join_span(toks)
    };
    Err((
        ErrorKind::UnknownCondition,
        span,
        format!("a rule cannot range over `{}`", phrase_text(toks)),
        "write `for each document`, `for each provision`, `for each pair of provisions A, B` or `for each citation`".into(),
    ))
}

/// Matches the words of a `where` / `and` line against the catalogue.
pub fn match_cond(scope: Scope, toks: &[Token]) -> Result<Cond, Fail> {
    let mut best_type: Option<(usize, Span, Slot, String)> = None;
    let mut best_mismatch: Option<(usize, usize, &Entry)> = None;
    let mut other_scope: Option<&Entry> = None;
    for e in ENTRIES {
        let pat = compile(e.pattern);
        match try_match(&pat, toks) {
            Outcome::Ok(vals) => {
                if e.scopes.contains(&scope) {
                    return Ok((e.build)(vals));
                }
                other_scope = Some(e);
            }
            Outcome::Type(span, slot, value) if e.scopes.contains(&scope) => {
                let lits = pat.iter().filter(|p| !matches!(p, Pat::Slot(_))).count();
                if best_type.as_ref().is_none_or(|(n, _, _, _)| lits > *n) {
                    best_type = Some((lits, span, slot, value));
                }
            }
            Outcome::Mismatch(at, matched) if e.scopes.contains(&scope) => {
                // Rank by words in common, then by how far the words matched in order.
                let common = word_set(e.pattern)
                    .intersection(&word_set(&phrase_text(toks)))
                    .count();
                let score = common * 100 + matched;
                if best_mismatch.as_ref().is_none_or(|(s, _, _)| score > *s) {
                    best_mismatch = Some((score, at, e));
                }
            }
            _ => {}
        }
    }
    if let Some((_, span, slot, value)) = best_type {
        let near = super::nearest(&value, slot.values())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        return Err((
            ErrorKind::TypeError,
            span,
            format!("`{value}` is not {}", slot.noun()),
            format!("here the rule expects {}{near}", slot.describe()),
        ));
    }
    if let Some(e) = other_scope {
        return Err((
            ErrorKind::UnknownCondition,
            join_span(toks),
            format!(
                "`{}` is a condition on {}, not on {}",
                phrase_text(toks),
                scope_name(e.scopes[0]),
                scope_name(scope)
            ),
            format!(
                "change the `for each` line to `for each {}`, or use a condition on {}",
                match e.scopes[0] {
                    Document => "document",
                    Provision => "provision",
                    Pair => "pair of provisions A, B",
                    Citation => "citation",
                },
                scope_name(scope)
            ),
        ));
    }
    let (span, hint) = match best_mismatch {
        Some((_, at, e)) => {
            let at = at.min(toks.len().saturating_sub(1));
            (
                toks.get(at)
                    .map(|t| t.span)
                    .unwrap_or_else(|| join_span(toks)),
                format!("did you mean `{}`?", e.pattern),
            )
        }
        None => (
            join_span(toks),
            "see rules/README.md for the conditions".into(),
        ),
    };
    Err((
        ErrorKind::UnknownCondition,
        span,
        format!(
            "no condition on {} reads `{}`",
            scope_name(scope),
            phrase_text(toks)
        ),
        hint,
    ))
}
