//! The Vietnamese analyzer: syllable tokens in NFC with one tone placement, lower case
//! (the exact field), the same without diacritics and with `đ` → `d` (the folded field), and
//! pairs of neighbouring syllables (the bigram fields) that make phrases of common syllables
//! fast.
//!
//! A Vietnamese word is one to four syllables written apart (`thủ tục hành chính`), so the
//! index needs no word segmentation: a word or phrase is a sequence of syllables at
//! consecutive positions. A phrase of *n* syllables is the same as a phrase of the *n − 1*
//! bigrams that cover it, and a bigram such as `hanh_chinh` is far rarer than either of its
//! syllables, so a two-syllable phrase is one term lookup instead of an intersection of two
//! long position lists.
//!
//! Offsets always point into the original text, so snippets highlight the text as stored.

use std::cell::RefCell;
use std::rc::Rc;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use crate::text::{fold, normalize_inline};

/// Tokenizer names as registered on every [`tantivy::Index`] handle.
pub const EXACT: &str = "vi_exact";
pub const FOLDED: &str = "vi_folded";
pub const BIGRAM_EXACT: &str = "vi_bigram_exact";
pub const BIGRAM_FOLDED: &str = "vi_bigram_folded";

/// What a [`VietTokenizer`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `Quyết` → `quyết` (NFC, canonical tone placement, lower case).
    Exact,
    /// `Quyết` → `quyet`, `Định` → `dinh`.
    Folded,
    /// Pairs of exact syllables: `quyết_định`.
    BigramExact,
    /// Pairs of folded syllables: `quyet_dinh`.
    BigramFolded,
}

/// The joiner of a bigram's two syllables; never part of a syllable.
pub const JOIN: char = '_';

/// A syllable of some text: its byte range in the text and its exact and folded forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Syllable {
    pub from: usize,
    pub to: usize,
    pub exact: String,
    pub folded: String,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The exact form of one syllable: NFC, look-alikes fixed, one tone placement, lower case.
pub fn exact_form(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    normalize_inline(&word.to_lowercase())
}

/// The folded form of one syllable: no diacritics, `đ` → `d`, lower case.
pub fn folded_form(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    fold(word)
}

/// Splits text into syllables: maximal runs of letters, digits and combining marks.
pub fn syllables(text: &str) -> Vec<Syllable> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |from: usize, to: usize, out: &mut Vec<Syllable>| {
        let w = &text[from..to];
        let exact = exact_form(w);
        let folded = folded_form(w);
        if !exact.is_empty() && !folded.is_empty() {
            out.push(Syllable {
                from,
                to,
                exact,
                folded,
            });
        }
    };
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len(), &mut out);
    }
    out
}

thread_local! {
    /// The last text split and its syllables: an entry's text goes through four fields one
    /// after the other, and the split (normalising every syllable) is the costly part.
    static LAST: RefCell<(String, Rc<Vec<Syllable>>)> =
        RefCell::new((String::new(), Rc::new(Vec::new())));
}

fn syllables_cached(text: &str) -> Rc<Vec<Syllable>> {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != text {
            last.1 = Rc::new(syllables(text));
            last.0.clear();
            last.0.push_str(text);
        }
        Rc::clone(&last.1)
    })
}

/// The tokens of `text` in one mode (positions count syllables in every mode).
pub fn tokens(text: &str, mode: Mode) -> Vec<Token> {
    let syl = syllables_cached(text);
    match mode {
        Mode::Exact | Mode::Folded => syl
            .iter()
            .enumerate()
            .map(|(i, s)| Token {
                offset_from: s.from,
                offset_to: s.to,
                position: i,
                text: if mode == Mode::Exact {
                    s.exact.clone()
                } else {
                    s.folded.clone()
                },
                position_length: 1,
            })
            .collect(),
        Mode::BigramExact | Mode::BigramFolded => syl
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let (a, b) = if mode == Mode::BigramExact {
                    (&w[0].exact, &w[1].exact)
                } else {
                    (&w[0].folded, &w[1].folded)
                };
                Token {
                    offset_from: w[0].from,
                    offset_to: w[1].to,
                    position: i,
                    text: bigram(a, b),
                    position_length: 1,
                }
            })
            .collect(),
    }
}

/// The bigram term of two syllables.
pub fn bigram(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len() + 1);
    s.push_str(a);
    s.push(JOIN);
    s.push_str(b);
    s
}

/// A tantivy tokenizer over [`tokens`].
#[derive(Debug, Clone)]
pub struct VietTokenizer {
    mode: Mode,
}

impl VietTokenizer {
    pub fn new(mode: Mode) -> Self {
        VietTokenizer { mode }
    }
}

/// The token stream of a [`VietTokenizer`]: tokens are computed up front.
pub struct VietTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VietTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for VietTokenizer {
    type TokenStream<'a> = VietTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietTokenStream {
        VietTokenStream {
            tokens: tokens(text, self.mode),
            next: 0,
        }
    }
}

/// The analyzer of one mode.
pub fn analyzer(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::builder(VietTokenizer::new(mode)).build()
}

/// Registers the four analyzers on an index handle. Tokenizers are not saved with the index:
/// this must run after every open.
pub fn register(index: &tantivy::Index) {
    let t = index.tokenizers();
    t.register(EXACT, analyzer(Mode::Exact));
    t.register(FOLDED, analyzer(Mode::Folded));
    t.register(BIGRAM_EXACT, analyzer(Mode::BigramExact));
    t.register(BIGRAM_FOLDED, analyzer(Mode::BigramFolded));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str, mode: Mode) -> Vec<String> {
        tokens(s, mode).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn exact_is_nfc_lower_case_one_tone_placement() {
        assert_eq!(
            texts("MỘT CỬA Liên Thông", Mode::Exact),
            ["một", "cửa", "liên", "thông"]
        );
        // Decomposed input and old tone placement give the same tokens.
        assert_eq!(
            texts("Khánh Hoà", Mode::Exact),
            texts("Khánh Hòa", Mode::Exact)
        );
        assert_eq!(
            texts("Quye\u{302}\u{301}t đi\u{323}nh", Mode::Exact),
            ["quyết", "định"]
        );
        assert_eq!(texts("Ðiều", Mode::Exact), ["điều"]);
    }

    #[test]
    fn folded_drops_every_diacritic_and_d_bar() {
        assert_eq!(
            texts("Quyết định 468/QĐ-TTg", Mode::Folded),
            ["quyet", "dinh", "468", "qd", "ttg"]
        );
        assert_eq!(texts("ĐIỀU", Mode::Folded), ["dieu"]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let s = "Thủ tục  hành-chính";
        for t in tokens(s, Mode::Exact) {
            assert!(s[t.offset_from..t.offset_to]
                .to_lowercase()
                .starts_with(&t.text[..1]));
        }
        let b = tokens(s, Mode::BigramFolded);
        assert_eq!(b.len(), 3);
        assert_eq!(b[2].text, "hanh_chinh");
        assert_eq!(&s[b[2].offset_from..b[2].offset_to], "hành-chính");
        assert_eq!(b[2].position, 2);
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_tokens() {
        assert!(tokens("", Mode::Exact).is_empty());
        assert!(tokens(" – …, ", Mode::BigramFolded).is_empty());
        assert!(tokens("một", Mode::BigramExact).is_empty());
    }
}
