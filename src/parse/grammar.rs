//! The pest grammar of document lines and in-line phrases (`grammar/document.pest`).

use pest_derive::Parser;

/// The derived parser; `Rule` names the grammar's rules.
#[derive(Parser)]
#[grammar = "../grammar/document.pest"]
pub struct DocGrammar;

use pest::Parser as _;

/// Parses `input` with `rule` from its start, returning the pairs on success.
pub fn try_parse(rule: Rule, input: &str) -> Option<pest::iterators::Pairs<'_, Rule>> {
    DocGrammar::parse(rule, input).ok()
}

/// The length in bytes of the longest prefix of `input` matched by `rule`, if any.
pub fn prefix_len(rule: Rule, input: &str) -> Option<usize> {
    let pairs = try_parse(rule, input)?;
    pairs.last().map(|p| p.as_span().end())
}

/// At most `max` bytes of `s` from its start, cut on a character boundary. Phrase rules are
/// tried on short windows: pest indexes the lines of its whole input, so handing it the rest
/// of a long text at every candidate position would make scanning quadratic.
pub fn window(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
