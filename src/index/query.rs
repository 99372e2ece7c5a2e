//! The reviewers' query language and its translation to tantivy queries.
//!
//! ```text
//! query   = item { " " item }
//! item    = word | "\"" phrase "\"" | filter
//! filter  = ("type" | "issuer" | "year" | "cites") ":" (value | "\"" value "\"")
//! ```
//!
//! * A word is a syllable or several joined by punctuation (`468/QĐ-TTg`, which is then
//!   searched as a phrase). Every word must occur; words typed next to each other rank higher
//!   where they stand next to each other in the text.
//! * A phrase must occur as written, syllable after syllable: `"thủ tục hành chính"`.
//! * Words and phrases match with or without diacritics (`quyet dinh` finds `Quyết định`);
//!   typed with diacritics, exact matches rank first.
//! * `type:` is a type name or code (`type:QĐ`, `type:"nghị quyết"`), `issuer:` words of the
//!   issuer's name or code, `year:` a year or a range `2019..2021`, `cites:` a document
//!   number (`cites:61/2018/NĐ-CP`).
//!
//! Errors name the 1-based column (in characters) of the fault.

use std::fmt;
use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::analyzer::{bigram, syllables, Syllable};
use super::entries::{cite_key, type_key};
use super::schema::Fields;
use super::topk;

/// The filters the language knows.
pub const FILTERS: &[&str] = &["type", "issuer", "year", "cites"];

/// A fault in a query, at a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

/// One item of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An unquoted run of words, as syllables with the index of the word each belongs to.
    Words(Vec<(usize, Syllable)>),
    /// A quoted phrase (or a word of several syllables), as syllables.
    Phrase(Vec<Syllable>),
    /// `type:` — type keys.
    Type(String),
    /// `issuer:` — folded syllables.
    Issuer(Vec<String>),
    /// `year:` — first and last year.
    Year(i64, i64),
    /// `cites:` — a cite key.
    Cites(String),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    pub items: Vec<Item>,
}

fn err(column: usize, message: impl Into<String>) -> QueryError {
    QueryError {
        column,
        message: message.into(),
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// Parses a query.
pub fn parse(q: &str) -> Result<ParsedQuery, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut items: Vec<Item> = Vec::new();
    let mut run: Vec<(usize, Syllable)> = Vec::new();
    let mut word_no = 0usize;
    let mut i = 0usize;
    let flush = |run: &mut Vec<(usize, Syllable)>, items: &mut Vec<Item>| {
        if !run.is_empty() {
            items.push(Item::Words(std::mem::take(run)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if is_quote(c) {
            let start = i;
            let end = (i + 1..chars.len()).find(|&j| is_quote(chars[j]));
            let Some(end) = end else {
                return Err(err(start + 1, "unclosed quote: a phrase ends with \""));
            };
            let text: String = chars[i + 1..end].iter().collect();
            let syl = syllables(&text);
            if syl.is_empty() {
                return Err(err(start + 1, "empty phrase"));
            }
            flush(&mut run, &mut items);
            items.push(Item::Phrase(syl));
            i = end + 1;
            continue;
        }
        // A word or a filter: up to the next space or quote.
        let start = i;
        let mut end = i;
        while end < chars.len() && !chars[end].is_whitespace() && !is_quote(chars[end]) {
            end += 1;
        }
        let token: String = chars[start..end].iter().collect();
        let name_len = token
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        if name_len > 0 && token[name_len..].starts_with(':') {
            let name = token[..name_len].to_ascii_lowercase();
            if !FILTERS.contains(&name.as_str()) {
                return Err(err(
                    start + 1,
                    format!(
                        "unknown filter `{}:`; the filters are type:, issuer:, year:, cites:",
                        &token[..name_len]
                    ),
                ));
            }
            let vcol = start + name_len + 1;
            let (value, next) = if end == vcol && end < chars.len() && is_quote(chars[end]) {
                let close = (end + 1..chars.len()).find(|&j| is_quote(chars[j]));
                let Some(close) = close else {
                    return Err(err(end + 1, "unclosed quote: a value ends with \""));
                };
                (chars[end + 1..close].iter().collect::<String>(), close + 1)
            } else {
                (chars[vcol..end].iter().collect::<String>(), end)
            };
            let value = value.trim().to_string();
            if value.is_empty() {
                return Err(err(vcol + 1, format!("`{name}:` needs a value")));
            }
            flush(&mut run, &mut items);
            items.push(filter(&name, &value, vcol + 1)?);
            i = next;
            continue;
        }
        let syl = syllables(&token);
        match syl.len() {
            0 => {}
            1 => {
                run.extend(syl.into_iter().map(|s| (word_no, s)));
                word_no += 1;
            }
            _ => {
                flush(&mut run, &mut items);
                items.push(Item::Phrase(syl));
            }
        }
        i = end;
    }
    flush(&mut run, &mut items);
    if items.is_empty() {
        return Err(err(1, "empty query: type words, a \"phrase\" or a filter"));
    }
    Ok(ParsedQuery { items })
}

fn parse_year(s: &str, column: usize) -> Result<i64, QueryError> {
    match s.parse::<i64>() {
        Ok(y) if (1800..=2200).contains(&y) => Ok(y),
        _ => Err(err(
            column,
            format!("`year:` takes a year (2021) or a range (2019..2021), not `{s}`"),
        )),
    }
}

fn filter(name: &str, value: &str, column: usize) -> Result<Item, QueryError> {
    Ok(match name {
        "type" => {
            let k = type_key(value);
            if k.is_empty() {
                return Err(err(
                    column,
                    "`type:` needs a type name or code (QĐ, NQ, KH)",
                ));
            }
            Item::Type(k)
        }
        "issuer" => {
            let s: Vec<String> = syllables(value).into_iter().map(|s| s.folded).collect();
            if s.is_empty() {
                return Err(err(column, "`issuer:` needs words of the issuer's name"));
            }
            Item::Issuer(s)
        }
        "year" => match value.split_once("..") {
            Some((a, b)) => {
                let a = parse_year(a, column)?;
                let b = parse_year(b, column)?;
                if a > b {
                    return Err(err(column, format!("`year:{value}`: the range is empty")));
                }
                Item::Year(a, b)
            }
            None => {
                let y = parse_year(value, column)?;
                Item::Year(y, y)
            }
        },
        "cites" => {
            if !value.chars().any(|c| c.is_alphanumeric()) {
                return Err(err(
                    column,
                    "`cites:` needs a document number (61/2018/NĐ-CP)",
                ));
            }
            Item::Cites(cite_key(value))
        }
        _ => return Err(err(column, format!("unknown filter `{name}:`"))),
    })
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn filter_query(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

/// The bigram terms of a phrase of syllables.
fn bigram_terms(field: Field, parts: &[&str]) -> Vec<Term> {
    parts
        .windows(2)
        .map(|w| Term::from_field_text(field, &bigram(w[0], w[1])))
        .collect()
}

/// How much an exact (accented) match counts over a folded one.
const EXACT_BOOST: f32 = 2.0;
/// How much two typed words standing together in the text count.
const ADJACENT_BOOST: f32 = 1.0;

/// The queries of a parsed query.
pub struct Queries {
    /// Matches and ranks; its top-k skips the entries that cannot enter it
    /// ([`topk::Pruned`]).
    pub ranked: topk::Pruned,
    /// Matches the same entries, with only the clauses every match must satisfy, a phrase
    /// by the fewest terms that cover it ([`covering_phrase`]): what a count needs.
    pub matching: Box<dyn Query>,
}

/// The clauses of a query as they are made.
#[derive(Default)]
struct Clauses {
    must: Vec<(Occur, Box<dyn Query>)>,
    should: Vec<(Occur, Box<dyn Query>)>,
    units: Vec<topk::Unit>,
    /// The required clauses as the count needs them (unscored).
    matching: Vec<(Occur, Box<dyn Query>)>,
}

/// A phrase of bigram terms at consecutive positions, as few of them as cover every
/// syllable: the terms at even offsets and the last. `a_b b_c c_d` matches where `a_b` is
/// followed two positions later by `c_d`, which is where `a b c d` stands; fewer position
/// lists are read. (The score of a phrase counts every term's idf, so ranking keeps them
/// all.)
fn covering_phrase(terms: &[Term]) -> Box<dyn Query> {
    let last = terms.len() - 1;
    Box::new(PhraseQuery::new_with_offset(
        terms
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0 || *i == last)
            .map(|(i, t)| (i, t.clone()))
            .collect(),
    ))
}

impl Clauses {
    /// A scored clause: a term, or a phrase of terms at consecutive positions, boosted by `b`.
    fn scored(&mut self, required: bool, terms: Vec<Term>, b: f32) {
        let q: Box<dyn Query> = if terms.len() == 1 {
            Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(PhraseQuery::new(terms.clone()))
        };
        let q = if b == 1.0 {
            q
        } else {
            Box::new(BoostQuery::new(q, b))
        };
        self.units.push(topk::Unit {
            terms,
            boost: b,
            required,
        });
        if required {
            let m = if self.units.last().is_some_and(|u| u.terms.len() > 2) {
                covering_phrase(&self.units.last().expect("pushed above").terms)
            } else {
                q.box_clone()
            };
            self.matching.push((Occur::Must, m));
            self.must.push((Occur::Must, q));
        } else {
            self.should.push((Occur::Should, q));
        }
    }

    fn filter(&mut self, q: Box<dyn Query>) {
        let q = filter_query(q);
        self.matching.push((Occur::Must, q.box_clone()));
        self.must.push((Occur::Must, q));
    }
}

impl ParsedQuery {
    /// The syllables to highlight: (exact, folded).
    pub fn highlight_terms(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for it in &self.items {
            match it {
                Item::Words(w) => {
                    out.extend(w.iter().map(|(_, s)| (s.exact.clone(), s.folded.clone())))
                }
                Item::Phrase(p) => {
                    out.extend(p.iter().map(|s| (s.exact.clone(), s.folded.clone())))
                }
                _ => {}
            }
        }
        out
    }

    /// True when some word or phrase was typed with diacritics.
    pub fn has_diacritics(&self) -> bool {
        self.highlight_terms().iter().any(|(e, f)| e != f)
    }

    /// The tantivy query (see [`ParsedQuery::to_queries`]).
    pub fn to_query(
        &self,
        f: &Fields,
        in_force_on: Option<i64>,
        common: &dyn Fn(Field, &str) -> bool,
    ) -> Box<dyn Query> {
        Box::new(self.to_queries(f, in_force_on, common).ranked)
    }

    /// The tantivy queries; `in_force_on` (a day number) keeps entries whose in-force hull
    /// contains that day (checked exactly after the top-k).
    ///
    /// `common(field, term)` says a term is in so many entries that, as an optional ranking
    /// clause (an exact form, two typed words side by side), it would add little to the score
    /// and much to the time: such clauses are left out.
    pub fn to_queries(
        &self,
        f: &Fields,
        in_force_on: Option<i64>,
        common: &dyn Fn(Field, &str) -> bool,
    ) -> Queries {
        let mut c = Clauses::default();
        let one = |field, text: &str| vec![Term::from_field_text(field, text)];
        for it in &self.items {
            match it {
                Item::Words(words) => {
                    for (_, s) in words {
                        c.scored(true, one(f.folded, &s.folded), 1.0);
                        if s.exact != s.folded && !common(f.text, &s.exact) {
                            c.scored(false, one(f.text, &s.exact), EXACT_BOOST);
                        }
                    }
                    for pair in words.windows(2) {
                        let (a, b) = (&pair[0].1, &pair[1].1);
                        let bi = bigram(&a.folded, &b.folded);
                        if common(f.bi_folded, &bi) {
                            continue;
                        }
                        c.scored(false, one(f.bi_folded, &bi), ADJACENT_BOOST);
                    }
                }
                Item::Phrase(p) => {
                    let folded: Vec<&str> = p.iter().map(|s| s.folded.as_str()).collect();
                    let exact: Vec<&str> = p.iter().map(|s| s.exact.as_str()).collect();
                    if p.len() == 1 {
                        c.scored(true, one(f.folded, folded[0]), 1.0);
                        if exact[0] != folded[0] {
                            c.scored(false, one(f.text, exact[0]), EXACT_BOOST);
                        }
                        continue;
                    }
                    // Typed with diacritics, the phrase counts as an exact phrase would
                    // where it matches (nearly always as typed: there is no field of exact
                    // pairs), and its syllables score on the exact field as words do (each
                    // once; those in most entries add nothing), which ranks the exact
                    // matches first.
                    let boost = if exact != folded {
                        1.0 + EXACT_BOOST
                    } else {
                        1.0
                    };
                    c.scored(true, bigram_terms(f.bi_folded, &folded), boost);
                    let mut seen: Vec<&str> = Vec::new();
                    for (e, fo) in exact.iter().zip(&folded) {
                        if e != fo && !seen.contains(e) && !common(f.text, e) {
                            seen.push(e);
                            c.scored(false, one(f.text, e), EXACT_BOOST);
                        }
                    }
                }
                Item::Type(k) => c.filter(term(f.doc_type, k)),
                Item::Issuer(s) => {
                    let q: Box<dyn Query> = if s.len() == 1 {
                        term(f.issuer, &s[0])
                    } else {
                        Box::new(PhraseQuery::new(
                            s.iter()
                                .map(|x| Term::from_field_text(f.issuer, x))
                                .collect(),
                        ))
                    };
                    c.filter(q);
                }
                Item::Year(a, b) => c.filter(Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.year, *a)),
                    Bound::Included(Term::from_field_i64(f.year, *b)),
                ))),
                Item::Cites(k) => c.filter(term(f.cites, k)),
            }
        }
        if let Some(day) = in_force_on {
            c.filter(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_i64(f.from_day, day)),
            )));
            c.filter(Box::new(RangeQuery::new(
                Bound::Excluded(Term::from_field_i64(f.until_day, day)),
                Bound::Unbounded,
            )));
        }
        let matching: Box<dyn Query> = Box::new(BooleanQuery::new(c.matching));
        // The optional clauses are chained one per level, `(((must) + s1) + s2) …`, rather
        // than put side by side: the score is the same sum, but side by side tantivy merges
        // them in a buffered union (a 64 KB buffer per query and segment), which costs more
        // than the rest of a query over rare words.
        let mut q: Box<dyn Query> = Box::new(BooleanQuery::new(c.must));
        for s in c.should {
            q = Box::new(BooleanQuery::new(vec![(Occur::Must, q), s]));
        }
        Queries {
            ranked: topk::Pruned::new(q, c.units),
            matching,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(p: &ParsedQuery) -> Vec<String> {
        p.highlight_terms().into_iter().map(|(_, f)| f).collect()
    }

    #[test]
    fn words_phrases_and_filters() {
        let p = parse(r#"mot cua "thủ tục hành chính" type:QĐ issuer:"Xuân Lộc" year:2019..2021 cites:61/2018/NĐ-CP"#)
            .unwrap();
        assert_eq!(p.items.len(), 6);
        assert!(matches!(&p.items[0], Item::Words(w) if w.len() == 2));
        assert!(matches!(&p.items[1], Item::Phrase(s) if s.len() == 4));
        assert_eq!(p.items[2], Item::Type("qd".into()));
        assert_eq!(p.items[3], Item::Issuer(vec!["xuan".into(), "loc".into()]));
        assert_eq!(p.items[4], Item::Year(2019, 2021));
        assert_eq!(p.items[5], Item::Cites("61/2018/nd-cp".into()));
        assert_eq!(folded(&p)[..2], ["mot", "cua"]);
        assert!(p.has_diacritics());
    }

    #[test]
    fn a_word_of_several_syllables_is_a_phrase() {
        let p = parse("quyet dinh 468/QĐ-TTg").unwrap();
        assert!(matches!(&p.items[1], Item::Phrase(s) if s.len() == 3));
        assert!(!parse("mot cua").unwrap().has_diacritics());
    }

    #[test]
    fn errors_name_the_column() {
        let e = parse("thủ tục foo:bar").unwrap_err();
        assert_eq!(e.column, 9);
        assert!(e.message.contains("unknown filter `foo:`"), "{e}");
        let e = parse("a \"thủ tục").unwrap_err();
        assert_eq!(e.column, 3);
        assert!(e.message.contains("unclosed quote"));
        assert_eq!(parse("year:20x1").unwrap_err().column, 6);
        assert_eq!(parse("year:2021..2019").unwrap_err().column, 6);
        assert!(parse("type:")
            .unwrap_err()
            .message
            .contains("needs a value"));
        assert!(parse("  ").unwrap_err().message.contains("empty query"));
        assert!(parse("\"  \"")
            .unwrap_err()
            .message
            .contains("empty phrase"));
        assert!(parse("– …").is_err());
    }

    #[test]
    fn times_and_non_ascii_prefixes_are_words() {
        let p = parse("16:00 Điều:").unwrap();
        assert!(matches!(&p.items[0], Item::Phrase(_)));
    }
}

#[cfg(test)]
mod fuzz_found {
    /// A query the fuzzer found to panic (tone marks stacked on letters after NUL bytes).
    #[test]
    fn stacked_vowels_after_nul_bytes_do_not_panic() {
        let q = "1uu]j2\u{0}\u{0}ớuu]j2\u{0}\u{0}ớăươăươu";
        if let Ok(p) = super::parse(q) {
            let _ = p.highlight_terms();
            let _ = p.has_diacritics();
        }
    }
}
