//! The Vietnamese analyzer: syllable tokens in NFC with one tone placement, lower case
//! (the exact field), the same without diacritics and with `đ` → `d` (the folded field), and
//! pairs of neighbouring folded syllables (the bigram field) that make phrases of common
//! syllables fast.
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

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use crate::text::{fold, normalize_inline};

/// Tokenizer names as registered on every [`tantivy::Index`] handle.
pub const EXACT: &str = "vi_exact";
pub const FOLDED: &str = "vi_folded";
pub const BIGRAM_FOLDED: &str = "vi_bigram_folded";

/// What a [`VietTokenizer`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `Quyết` → `quyết` (NFC, canonical tone placement, lower case).
    Exact,
    /// `Quyết` → `quyet`, `Định` → `dinh`.
    Folded,
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
    match c {
        c if c.is_ascii() => c.is_ascii_alphanumeric(),
        // The letters Vietnamese is written with, without the table search: Latin-1's and
        // Latin Extended-A and B's (all letters but × and ÷), the combining diacritics, and
        // Latin Extended Additional (ạ … ỹ).
        '\u{c0}'..='\u{24f}' => c != '×' && c != '÷',
        '\u{300}'..='\u{36f}' | '\u{1e00}'..='\u{1eff}' => true,
        c => c.is_alphanumeric() || is_combining_mark(c),
    }
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

/// Distinct words whose forms [`syllables`] keeps on each thread before starting over: a
/// corpus has a few tens of thousands (Vietnamese has about 7,000 syllables, each in a few
/// casings), and normalising a word costs far more than looking it up.
const FORMS_KEPT: usize = 100_000;

/// Words and their exact and folded forms, shared by every syllable of that word.
type Forms = FxHashMap<Box<str>, (Rc<str>, Rc<str>)>;

thread_local! {
    /// The words met on this thread.
    static FORMS: RefCell<Forms> = RefCell::new(Forms::default());
}

/// The exact and folded forms of one word ([`exact_form`], [`folded_form`]).
fn forms(word: &str) -> (Rc<str>, Rc<str>) {
    FORMS.with(|forms| {
        let mut forms = forms.borrow_mut();
        if let Some((e, f)) = forms.get(word) {
            return (Rc::clone(e), Rc::clone(f));
        }
        let exact: Rc<str> = exact_form(word).into();
        let folded: Rc<str> = if word.is_ascii() {
            Rc::clone(&exact)
        } else {
            folded_form(word).into()
        };
        if forms.len() >= FORMS_KEPT {
            forms.clear();
        }
        forms.insert(word.into(), (Rc::clone(&exact), Rc::clone(&folded)));
        (exact, folded)
    })
}

/// A syllable as the tokenizer keeps it: its forms shared with every other of the same word.
struct Span {
    from: usize,
    to: usize,
    exact: Rc<str>,
    folded: Rc<str>,
}

/// Splits text into spans: maximal runs of letters, digits and combining marks.
fn spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |from: usize, to: usize, out: &mut Vec<Span>| {
        let (exact, folded) = forms(&text[from..to]);
        if !exact.is_empty() && !folded.is_empty() {
            out.push(Span {
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

/// Splits text into syllables: maximal runs of letters, digits and combining marks.
pub fn syllables(text: &str) -> Vec<Syllable> {
    spans(text)
        .into_iter()
        .map(|s| Syllable {
            from: s.from,
            to: s.to,
            exact: s.exact.to_string(),
            folded: s.folded.to_string(),
        })
        .collect()
}

thread_local! {
    /// The last text split and its syllables: an entry's text goes through three fields one
    /// after the other, and the split is the costly part.
    static LAST: RefCell<(String, Rc<Vec<Span>>)> =
        RefCell::new((String::new(), Rc::new(Vec::new())));
}

fn spans_cached(text: &str) -> Rc<Vec<Span>> {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != text {
            last.1 = Rc::new(spans(text));
            last.0.clear();
            last.0.push_str(text);
        }
        Rc::clone(&last.1)
    })
}

/// Writes the `i`-th token of `syl` in `mode` into `token` (its text buffer reused); false
/// past the last one.
fn fill(syl: &[Span], mode: Mode, i: usize, token: &mut Token) -> bool {
    token.text.clear();
    token.position = i;
    token.position_length = 1;
    match mode {
        Mode::Exact | Mode::Folded => {
            let Some(s) = syl.get(i) else {
                return false;
            };
            token.offset_from = s.from;
            token.offset_to = s.to;
            token.text.push_str(if mode == Mode::Folded {
                &s.folded
            } else {
                &s.exact
            });
        }
        Mode::BigramFolded => {
            let (Some(a), Some(b)) = (syl.get(i), syl.get(i + 1)) else {
                return false;
            };
            token.offset_from = a.from;
            token.offset_to = b.to;
            token.text.push_str(&a.folded);
            token.text.push(JOIN);
            token.text.push_str(&b.folded);
        }
    }
    true
}

/// The tokens of `text` in one mode (positions count syllables in every mode).
pub fn tokens(text: &str, mode: Mode) -> Vec<Token> {
    let mut stream = VietTokenStream::new(text, mode);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token.clone());
    }
    out
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

/// The token stream of a [`VietTokenizer`]: the text's syllables are split once (and shared
/// by the three fields, see `spans_cached`), each token written into one buffer in turn.
pub struct VietTokenStream {
    syllables: Rc<Vec<Span>>,
    mode: Mode,
    next: usize,
    token: Token,
}

impl VietTokenStream {
    fn new(text: &str, mode: Mode) -> Self {
        VietTokenStream {
            syllables: spans_cached(text),
            mode,
            next: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for VietTokenStream {
    fn advance(&mut self) -> bool {
        if fill(&self.syllables, self.mode, self.next, &mut self.token) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for VietTokenizer {
    type TokenStream<'a> = VietTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VietTokenStream {
        VietTokenStream::new(text, self.mode)
    }
}

/// The analyzer of one mode.
pub fn analyzer(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::builder(VietTokenizer::new(mode)).build()
}

/// Registers the three analyzers on an index handle. Tokenizers are not saved with the index:
/// this must run after every open.
pub fn register(index: &tantivy::Index) {
    let t = index.tokenizers();
    t.register(EXACT, analyzer(Mode::Exact));
    t.register(FOLDED, analyzer(Mode::Folded));
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
    fn the_quick_letter_ranges_agree_with_unicode() {
        for c in ('\u{0}'..='\u{2000}').chain('\u{1e00}'..='\u{1eff}') {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric() || is_combining_mark(c),
                "{c:?}"
            );
        }
    }

    #[test]
    fn remembered_forms_are_those_computed() {
        let text = "Quyết định QUYẾT ĐỊNH quyết định Khánh Hoà; Khánh Hòa 468/QĐ-TTg";
        for _ in 0..2 {
            for s in syllables(text) {
                let w = &text[s.from..s.to];
                assert_eq!(s.exact, exact_form(w), "{w}");
                assert_eq!(s.folded, folded_form(w), "{w}");
            }
        }
        assert_eq!(texts(text, Mode::BigramFolded)[0], "quyet_dinh");
        assert_eq!(texts("Hòa Hoà", Mode::BigramFolded), ["hoa_hoa"]);
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_tokens() {
        assert!(tokens("", Mode::Exact).is_empty());
        assert!(tokens(" – …, ", Mode::BigramFolded).is_empty());
        assert!(tokens("một", Mode::BigramFolded).is_empty());
    }
}
