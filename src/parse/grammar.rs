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
