//! Counting the matches of a query for a search's `total`, up to a limit.
//!
//! tantivy's `Count` collector visits every match. A phrase of common syllables matches
//! nearly every entry of a large index, and each match means reading positions, so an exact
//! count of `"ủy ban nhân dân"` over a 100k-document store takes 100 ms or more, ten times
//! its ranked top 10. Counting stops once the limit is passed; the answer then says "at
//! least".

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocSet, Searcher, TERMINATED};

/// A count of matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// Every match was counted.
    Exact(usize),
    /// More than this many match; counting stopped.
    AtLeast(usize),
}

/// Counts the live entries `query` matches, without scoring; with `cap`, stops as soon as
/// more than `cap` are found and answers [`Counted::AtLeast`]`(cap)`.
pub fn count_up_to(
    searcher: &Searcher,
    query: &dyn Query,
    cap: Option<usize>,
) -> tantivy::Result<Counted> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let Some(cap) = cap else {
        let mut n = 0usize;
        for reader in searcher.segment_readers() {
            n += weight.count(reader)? as usize;
        }
        return Ok(Counted::Exact(n));
    };
    let mut n = 0usize;
    for reader in searcher.segment_readers() {
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
                if n > cap {
                    return Ok(Counted::AtLeast(cap));
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(Counted::Exact(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::Count;
    use tantivy::query::{PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, Term};

    /// An index of `n` entries in two segments, one in three with a deleted entry's worth
    /// of churn: entry `i` reads "a b" when `i` is even, "b a" when odd.
    fn index(n: usize) -> (Index, tantivy::schema::Field) {
        let mut sb = Schema::builder();
        let f = sb.add_text_field("t", TEXT);
        let idx = Index::create_in_ram(sb.build());
        let mut w = idx.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..n {
            let text = if i % 2 == 0 { "a b" } else { "b a" };
            w.add_document(doc!(f => text)).unwrap();
            if i == n / 2 {
                w.commit().unwrap();
            }
        }
        w.add_document(doc!(f => "gone a b")).unwrap();
        w.commit().unwrap();
        w.delete_term(Term::from_field_text(f, "gone"));
        w.commit().unwrap();
        (idx, f)
    }

    #[test]
    fn counts_exactly_below_the_cap_and_stops_past_it() {
        let (idx, f) = index(1_000);
        let searcher = idx.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 2);
        let phrase = PhraseQuery::new(vec![
            Term::from_field_text(f, "a"),
            Term::from_field_text(f, "b"),
        ]);
        let term = TermQuery::new(Term::from_field_text(f, "a"), IndexRecordOption::Basic);
        // The reference: tantivy's own count, the deleted entry left out.
        assert_eq!(searcher.search(&phrase, &Count).unwrap(), 500);
        assert_eq!(searcher.search(&term, &Count).unwrap(), 1_000);
        for (q, want) in [(&phrase as &dyn Query, 500), (&term, 1_000)] {
            assert_eq!(
                count_up_to(&searcher, q, None).unwrap(),
                Counted::Exact(want)
            );
            assert_eq!(
                count_up_to(&searcher, q, Some(want)).unwrap(),
                Counted::Exact(want),
                "exactly the cap is still exact"
            );
            assert_eq!(
                count_up_to(&searcher, q, Some(want - 1)).unwrap(),
                Counted::AtLeast(want - 1)
            );
            assert_eq!(
                count_up_to(&searcher, q, Some(10)).unwrap(),
                Counted::AtLeast(10)
            );
        }
        let none = TermQuery::new(Term::from_field_text(f, "zz"), IndexRecordOption::Basic);
        assert_eq!(
            count_up_to(&searcher, &none, Some(0)).unwrap(),
            Counted::Exact(0)
        );
    }
}
