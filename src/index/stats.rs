//! Term statistics for one query, each asked of the index once.
//!
//! Building a query asks how common each optional term is (to leave out those that would only
//! slow the ranking), then tantivy's BM25 weights ask the same document frequencies again and
//! the total token count of a field once per term. Each is a term-dictionary walk or a pass
//! over the segments; this provider answers repeats from memory for the query's lifetime.

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Memoised statistics over one searcher, for one query.
pub struct QueryStats<'a> {
    searcher: &'a Searcher,
    doc_freq: RefCell<HashMap<Term, u64>>,
    tokens: RefCell<HashMap<Field, u64>>,
}

impl<'a> QueryStats<'a> {
    pub fn new(searcher: &'a Searcher) -> Self {
        QueryStats {
            searcher,
            doc_freq: RefCell::default(),
            tokens: RefCell::default(),
        }
    }
}

impl Bm25StatisticsProvider for QueryStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(n) = self.tokens.borrow().get(&field) {
            return Ok(*n);
        }
        let n = Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?;
        self.tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Bm25StatisticsProvider::total_num_docs(self.searcher)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(n) = self.doc_freq.borrow().get(term) {
            return Ok(*n);
        }
        let n = Bm25StatisticsProvider::doc_freq(self.searcher, term)?;
        self.doc_freq.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index};

    #[test]
    fn answers_as_the_searcher_does() {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.add_document(doc!(body => "một cửa liên thông")).unwrap();
        w.add_document(doc!(body => "một cửa")).unwrap();
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let stats = QueryStats::new(&searcher);
        let t = Term::from_field_text(body, "cửa");
        for _ in 0..2 {
            assert_eq!(stats.doc_freq(&t).unwrap(), 2);
            assert_eq!(
                stats.total_num_tokens(body).unwrap(),
                Bm25StatisticsProvider::total_num_tokens(&searcher, body).unwrap()
            );
        }
        assert_eq!(stats.total_num_docs().unwrap(), 2);
        assert_eq!(
            stats.doc_freq(&Term::from_field_text(body, "xã")).unwrap(),
            0
        );
    }
}
