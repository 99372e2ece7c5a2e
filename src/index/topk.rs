//! Top-k ranking that skips the blocks of entries that cannot reach the top.
//!
//! A query's score is a sum of BM25 scores, one per scored clause: a term, or a phrase of
//! bigram terms ([`Unit`]). tantivy prunes a top-k over plain terms (block-WAND), but not once
//! a phrase is among the clauses: then every matching entry has its positions checked and is
//! scored, millions for a phrase common to most documents.
//!
//! [`Pruned`] wraps the query and bounds its score block by block. Every term's posting list
//! keeps, for each block of 128 entries, the term frequency and length that score highest in
//! that block. A phrase occurs in an entry at most as often as each of its terms, and BM25
//! grows with the frequency, so the phrase's BM25 formula applied to any one term's block
//! maximum bounds the phrase's score over that block; the smallest of these bounds is kept.
//! Summed over the clauses, that bounds the query's score until the first of those blocks
//! ends. Where the bound does not beat the k-th best score found so far, the query's own
//! scorer seeks past the window (skipping whole blocks, positions unread). Elsewhere the
//! entries of the rarest required term are bounded one by one, from each term's frequency in
//! the entry, and the query checks and scores only those whose bound beats the k-th score.
//! The hits and scores are those of the unpruned query: scores come from the query's own
//! scorer, and only entries that could not enter the top k are skipped. A query whose rarest
//! required term is in fewer than [`PRUNE_MIN`] entries is run unpruned.
//!
//! As for tantivy's block-WAND, a block maximum is chosen with its segment's average length:
//! with several segments a bound may, in rare cases, be slightly low. The index is merged
//! into one segment after every bulk write.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Below this many entries with the rarest required term, the query scores every match.
const PRUNE_MIN: u64 = 1024;

/// One scored clause of a query: a term (one term) or a phrase (its terms, all in one
/// field), with its boost. The clause's score is BM25 with the idf summed over its terms, as
/// tantivy's `TermQuery` and `PhraseQuery` score.
#[derive(Debug, Clone)]
pub struct Unit {
    pub terms: Vec<Term>,
    pub boost: Score,
    /// Every match contains this clause (else it only adds to the score).
    pub required: bool,
}

/// A query whose top-k skips the entries whose bound cannot enter it; it matches and
/// scores as `inner`, whose score must be the sum of the scores of `units` (clauses that
/// score nothing, such as filters, need no unit).
#[derive(Debug)]
pub struct Pruned {
    inner: Box<dyn Query>,
    units: Vec<Unit>,
}

impl Clone for Pruned {
    fn clone(&self) -> Self {
        Pruned {
            inner: self.inner.box_clone(),
            units: self.units.clone(),
        }
    }
}

impl Pruned {
    pub fn new(inner: Box<dyn Query>, units: Vec<Unit>) -> Pruned {
        Pruned { inner, units }
    }
}

impl Pruned {
    /// Whether the top-k is pruned: not when the rarest required term is in fewer than
    /// [`PRUNE_MIN`] entries (scoring them all costs less than reading the bounds).
    pub fn prunes(&self, stats: &dyn Bm25StatisticsProvider) -> tantivy::Result<bool> {
        if self.units.is_empty() || self.units.iter().any(|u| u.terms.is_empty()) {
            return Ok(false);
        }
        let mut rarest = u64::MAX;
        for u in self.units.iter().filter(|u| u.required) {
            for t in &u.terms {
                rarest = rarest.min(stats.doc_freq(t)?);
            }
        }
        Ok(rarest >= PRUNE_MIN)
    }
}

impl Query for Pruned {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(enable_scoring)?;
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = enable_scoring
        else {
            return Ok(inner);
        };
        if !self.prunes(statistics_provider)? {
            return Ok(inner);
        }
        let mut units = Vec::with_capacity(self.units.len());
        for u in &self.units {
            units.push(UnitWeight {
                terms: u.terms.clone(),
                required: u.required,
                bm25: Bm25Weight::for_terms(statistics_provider, &u.terms)?.boost_by(u.boost),
            });
        }
        Ok(Box::new(PrunedWeight { inner, units }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor)
    }
}

struct UnitWeight {
    terms: Vec<Term>,
    required: bool,
    bm25: Bm25Weight,
}

struct PrunedWeight {
    inner: Box<dyn Weight>,
    units: Vec<UnitWeight>,
}

/// A term's posting list in one segment, read block by block for its block maxima, scored
/// with a clause's BM25 weight.
struct Cursor {
    postings: BlockSegmentPostings,
    fieldnorms: FieldNormReader,
    bm25: Bm25Weight,
}

impl Cursor {
    /// The block maximum and the last entry of the block holding the first entry from `doc`
    /// on; `None` when there is none.
    fn at(&mut self, doc: DocId) -> Option<(Score, DocId)> {
        let i = self.postings.seek(doc);
        let len = self.postings.block_len();
        if i >= len || self.postings.doc(i) == TERMINATED {
            return None;
        }
        let last = self.postings.doc(len - 1);
        Some((
            self.postings.block_max_score(&self.fieldnorms, &self.bm25),
            last,
        ))
    }
}

impl Cursor {
    /// The clause's BM25 with this term's frequency in `doc` (a bound of the clause's score
    /// there), or `None` when `doc` does not have the term. `doc` must not be before the
    /// entries this cursor was last asked about.
    fn score_at(&mut self, doc: DocId) -> Option<Score> {
        let i = self.postings.seek(doc);
        if i >= self.postings.block_len() || self.postings.doc(i) != doc {
            return None;
        }
        let tf = self.postings.freq(i);
        Some(self.bm25.score(self.fieldnorms.fieldnorm_id(doc), tf))
    }
}

/// The cursors of one clause in one segment, one per term.
struct UnitBound {
    terms: Vec<Cursor>,
    required: bool,
}

/// A bound of the score over a window of entries.
struct Window {
    /// Last entry of the window.
    end: DocId,
    bound: Score,
    /// The bound is summed in the query's order (see [`window_at`]).
    exact: bool,
}

impl PrunedWeight {
    /// The cursors, or `None` when a required term is in no entry of the segment.
    fn bounds(&self, reader: &SegmentReader) -> tantivy::Result<Option<Vec<UnitBound>>> {
        let mut out = Vec::with_capacity(self.units.len());
        for u in &self.units {
            let mut terms = Vec::with_capacity(u.terms.len());
            for t in &u.terms {
                let postings = reader
                    .inverted_index(t.field())?
                    .read_block_postings(t, IndexRecordOption::WithFreqs)?;
                match postings {
                    Some(p) => terms.push(Cursor {
                        postings: p,
                        fieldnorms: reader.get_fieldnorms_reader(t.field())?,
                        bm25: u.bm25.clone(),
                    }),
                    // A clause with a term absent from the segment matches nothing here.
                    None if u.required => return Ok(None),
                    None => {
                        terms.clear();
                        break;
                    }
                }
            }
            if !terms.is_empty() {
                out.push(UnitBound {
                    terms,
                    required: u.required,
                });
            }
        }
        Ok(Some(out))
    }
}

/// The bound of the score over the window that starts at `doc`; `None` when no entry from
/// `doc` on can match (a required term has no entry left).
///
/// The bound is summed as the query sums its score: the required clauses, then each optional
/// clause in turn (see [`super::query`]). The score of a clause and its bound are the same
/// BM25 formula in `f32`, and `f32` rounding is monotone, so with at most two required
/// clauses (one addition, which commutes) the bound is never below the score, ties included;
/// with more, the query may add them in another order and [`beats`] leaves room for that.
fn window_at(doc: DocId, units: &mut [UnitBound]) -> Option<Window> {
    let mut end = TERMINATED;
    let mut bounds = [0.0 as Score; 2].map(|_| Vec::with_capacity(units.len()));
    for u in units.iter_mut() {
        // The clause's bound: the least of its terms' block maxima, over that term's block.
        let mut best: Option<(Score, DocId)> = None;
        for t in u.terms.iter_mut() {
            match t.at(doc) {
                None if u.required => return None,
                // No entry from `doc` on has this clause: it adds nothing.
                None => {
                    best = Some((0.0, TERMINATED));
                    break;
                }
                Some((b, e)) => {
                    if best.is_none_or(|(s, _)| b < s) {
                        best = Some((b, e));
                    }
                }
            }
        }
        if let Some((b, e)) = best {
            bounds[usize::from(!u.required)].push(b);
            end = end.min(e);
        }
    }
    let [required, optional] = bounds;
    Some(Window {
        end,
        bound: sum(&required, &optional),
        exact: required.len() <= 2,
    })
}

/// The bound of the required clauses' bounds and the optional ones', summed in the query's
/// order (see [`window_at`]).
fn sum(required: &[Score], optional: &[Score]) -> Score {
    let mut bound = required.iter().sum::<Score>();
    for b in optional {
        bound += b;
    }
    bound
}

/// The bound of the score of one entry, from each term's frequency in it (as
/// [`window_at`] does from block maxima); `None` when a required term is not in it.
fn doc_bound(doc: DocId, units: &mut [UnitBound], buf: &mut [Vec<Score>; 2]) -> Option<Score> {
    buf[0].clear();
    buf[1].clear();
    for u in units.iter_mut() {
        let mut best = Score::MAX;
        for t in u.terms.iter_mut() {
            match t.score_at(doc) {
                None if u.required => return None,
                None => {
                    best = 0.0;
                    break;
                }
                Some(b) => best = best.min(b),
            }
        }
        buf[usize::from(!u.required)].push(best);
    }
    Some(sum(&buf[0], &buf[1]))
}

/// Whether a window's bound may beat the threshold; where it is not exact (see
/// [`window_at`]), with room for the rounding of each addition.
fn beats(w: &Window, threshold: Score, units: usize) -> bool {
    if w.exact {
        w.bound > threshold
    } else {
        w.bound + w.bound.abs() * (units as f32) * f32::EPSILON > threshold
    }
}

impl Weight for PrunedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.inner.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    fn for_each(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        self.inner.for_each(reader, callback)
    }

    fn for_each_no_score(
        &self,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(&[DocId]),
    ) -> tantivy::Result<()> {
        self.inner.for_each_no_score(reader, callback)
    }

    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(mut units) = self.bounds(reader)? else {
            return Ok(());
        };
        // The leader: the rarest required term. In a window whose bound beats the threshold,
        // the entries that have it are bounded one by one (from the terms' frequencies)
        // before the query checks them, which for a phrase means reading positions.
        let leader = units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.required)
            .flat_map(|(i, u)| {
                u.terms
                    .iter()
                    .enumerate()
                    .map(move |(j, t)| (t.postings.doc_freq(), i, j))
            })
            .min()
            .map(|(_, i, j)| (i, j));
        let mut buf = [Vec::new(), Vec::new()];
        let mut scorer = self.inner.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        let mut window: Option<Window> = None;
        while doc != TERMINATED {
            if window.as_ref().is_none_or(|w| doc > w.end) {
                window = window_at(doc, &mut units);
                if window.is_none() {
                    break;
                }
            }
            let w = window.as_ref().expect("set above");
            if !beats(w, threshold, units.len()) {
                if w.end >= TERMINATED - 1 {
                    break;
                }
                doc = scorer.seek(w.end + 1);
                continue;
            }
            let Some((li, lj)) = leader else {
                let score = scorer.score();
                if score > threshold {
                    threshold = callback(doc, score);
                }
                doc = scorer.advance();
                continue;
            };
            // The leader's entries in the window, from `doc` on.
            let (end, exact) = (w.end, w.exact);
            let mut candidate = doc;
            loop {
                let l = &mut units[li].terms[lj].postings;
                let i = l.seek(candidate);
                if i >= l.block_len() {
                    break;
                }
                let c = l.doc(i);
                if c > end || c == TERMINATED {
                    break;
                }
                candidate = c + 1;
                if c < scorer.doc() {
                    // The query has passed it: not a match.
                    continue;
                }
                let Some(bound) = doc_bound(c, &mut units, &mut buf) else {
                    continue;
                };
                let w = Window { end, bound, exact };
                if !beats(&w, threshold, units.len()) {
                    continue;
                }
                if scorer.doc() < c && scorer.seek(c) == TERMINATED {
                    return Ok(());
                }
                if scorer.doc() == c {
                    let score = scorer.score();
                    if score > threshold {
                        threshold = callback(c, score);
                    }
                }
                if c == TERMINATED - 1 {
                    break;
                }
            }
            doc = if scorer.doc() > end {
                scorer.doc()
            } else if end >= TERMINATED - 1 {
                break;
            } else {
                scorer.seek(end + 1)
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{doc, Index};

    /// A small deterministic generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    fn top(searcher: &tantivy::Searcher, q: &dyn Query, k: usize) -> Vec<(u32, u32)> {
        searcher
            .search(q, &TopDocs::with_limit(k).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(s, a)| (s.to_bits(), a.doc_id))
            .collect()
    }

    #[test]
    fn the_pruned_top_k_is_the_unpruned_one() {
        let mut b = Schema::builder();
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("whitespace")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let body = b.add_text_field("body", opts.clone());
        let other = b.add_text_field("other", opts);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 30_000_000).unwrap();
        let words = ["a", "b", "c", "d", "e", "f"];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        // Long and short texts over few words: phrases of them are in most entries, with
        // frequencies and lengths that vary from block to block.
        for _ in 0..20_000 {
            let long = rng.next(4) == 0;
            let len = 1 + rng.next(if long { 60 } else { 8 }) as usize;
            let text: Vec<&str> = (0..len).map(|_| words[rng.next(6) as usize]).collect();
            let text = text.join(" ");
            let o: Vec<&str> = (0..3).map(|_| words[rng.next(3) as usize]).collect();
            w.add_document(doc!(body => text, other => o.join(" ")))
                .unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let t = |f, s: &str| Term::from_field_text(f, s);
        let phrase = |f, p: &[&str]| -> Box<dyn Query> {
            Box::new(PhraseQuery::new(p.iter().map(|s| t(f, s)).collect()))
        };
        let term = |f, s: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(t(f, s), IndexRecordOption::WithFreqs))
        };
        let unit = |f, p: &[&str], boost, required| Unit {
            terms: p.iter().map(|s| t(f, s)).collect(),
            boost,
            required,
        };
        // A phrase; a phrase with a boosted optional phrase; a term and a phrase required,
        // an optional term on another field; a phrase that matches nothing.
        let cases: Vec<(Box<dyn Query>, Vec<Unit>)> = vec![
            (
                phrase(body, &["a", "b"]),
                vec![unit(body, &["a", "b"], 1.0, true)],
            ),
            (
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, phrase(body, &["a", "b", "c"])),
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(phrase(body, &["b", "c"]), 2.0)),
                    ),
                ])),
                vec![
                    unit(body, &["a", "b", "c"], 1.0, true),
                    unit(body, &["b", "c"], 2.0, false),
                ],
            ),
            (
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, term(body, "d")),
                    (Occur::Must, phrase(body, &["e", "f"])),
                    (Occur::Should, term(other, "a")),
                ])),
                vec![
                    unit(body, &["d"], 1.0, true),
                    unit(body, &["e", "f"], 1.0, true),
                    unit(other, &["a"], 1.0, false),
                ],
            ),
            (
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, phrase(body, &["a", "b"])),
                    (Occur::Must, phrase(body, &["c", "d"])),
                    (Occur::Must, term(body, "e")),
                    (Occur::Should, term(other, "b")),
                ])),
                vec![
                    unit(body, &["a", "b"], 1.0, true),
                    unit(body, &["c", "d"], 1.0, true),
                    unit(body, &["e"], 1.0, true),
                    unit(other, &["b"], 1.0, false),
                ],
            ),
            (
                phrase(body, &["a", "zz"]),
                vec![unit(body, &["a", "zz"], 1.0, true)],
            ),
        ];
        for (q, units) in cases {
            let p = Pruned::new(q.box_clone(), units);
            for k in [1, 10, 100] {
                assert_eq!(
                    top(&searcher, &p, k),
                    top(&searcher, q.as_ref(), k),
                    "{q:?}"
                );
            }
            assert_eq!(
                searcher.search(&p, &tantivy::collector::Count).unwrap(),
                searcher
                    .search(q.as_ref(), &tantivy::collector::Count)
                    .unwrap()
            );
        }
    }
}
