//! Vietnamese text normalisation: from a file's text to clean logical lines.
//!
//! Legal texts reach rasoat as PDF conversions, scraped library pages and pandoc Markdown.
//! The same word can be spelt in several byte sequences (decomposed marks, `Ð` for `Đ`, `hoà`
//! for `hòa`), and the lines are cluttered with markup, page chrome, page numbers and hard
//! wraps. This module makes one clean text out of them, so that the parser, the rules and the
//! search index see one spelling and one line per paragraph — and it keeps a map back to the
//! source so every diagnostic still points at the right line and column of the original file.
//!
//! # What it is for, and what not
//! It is for the text of *one* document. It does no IO and keeps no state: the same input
//! always gives the same output, byte for byte. It does not recognise the document's
//! structure (that is `crate::parse`); it only decides where lines begin and end. It does not
//! decode legacy encodings (TCVN3, VNI): text arrives here as UTF-8.
//!
//! # Inline functions
//! Pure `&str → String` functions, usable on their own (for search keys, comparisons):
//! [`nfc`], [`fix_lookalikes`], [`canonical_tones`], [`fold`], and [`normalize_inline`] which
//! chains the first three with removal of invisible characters and unification of spaces.
//! `normalize_inline` is idempotent and never changes line structure.
//!
//! # The document pipeline
//! [`normalize_document`] runs seven steps, one module each, each with its own tests:
//! 1. `line_endings`: CRLF and CR to LF, BOM removed;
//! 2. `inline`: [`normalize_inline`] on every line;
//! 3. `markdown` and `pandoc_tables`: emphasis, escapes, hard breaks, headings, pipes,
//!    rules, and pandoc's side-by-side tables flattened column by column; a line that lost
//!    markup between its characters is normalised again (what the markup kept apart may now
//!    compose or form one syllable);
//! 4. `chrome`: the legal library's banner, metadata table (returned in
//!    [`Normalized::library_metadata`]), summary and tail;
//! 5. `page_marks`: page numbers and signature placeholders;
//! 6. `reflow`: wrapped lines joined back into paragraphs (never into a line that steps 3–5
//!    would drop: a rule, a page number, a signature placeholder), then step 4 checked again
//!    on the shorter text, since its windows (the first 40 or 80 lines) now reach further;
//! 7. `spaces`: runs of spaces collapsed, lines trimmed.
//!
//! Big fixed tables live in their own files: `tone_table` (vowels × tones, with the valid
//! onsets, clusters and codas), `chrome_table` and `phrases`.
//!
//! # Invariants
//! * The output text is NFC, has no blank lines, no leading or trailing spaces on a line, no
//!   double spaces.
//! * Normalising the output again gives the same text (both functions are idempotent).
//! * `hoà`/`hòa`, NFD/NFC and `Ð`/`Đ` variants of one text give identical output.
//! * Every byte of the output maps to a source offset at or before its origin; line numbers are
//!   exact, columns are exact except inside a syllable that was recomposed or re-toned.
//!
//! # Limits
//! * Offsets are `u32`: sources above 4 GiB are not supported.
//! * The reflow is heuristic. Upper-case continuations of a hard-wrapped sentence are joined
//!   only when the file's wrap width, an open emphasis span or pandoc's paragraph rules show
//!   it; a wrapped line that happens to start with a structural marker (`Điều 3.` after "tại")
//!   stays separate.
//! * The chrome step knows one library's layout (tvpl); other sites' chrome passes through.
//!
//! ```
//! use rasoat::text::{fold, normalize_document, normalize_inline};
//!
//! assert_eq!(normalize_inline("Uỷ ban nhân dân tỉnh Khánh Hoà"), "Ủy ban nhân dân tỉnh Khánh Hòa");
//! assert_eq!(fold("Quyết định"), "quyet dinh");
//!
//! let n = normalize_document("**Điều 1. Phạm vi điều\nchỉnh**\n\n2. Nội dung");
//! assert_eq!(n.text, "Điều 1. Phạm vi điều chỉnh\n2. Nội dung");
//! assert_eq!(n.line_col(n.text.find("chỉnh").unwrap()), (2, 1));
//! ```

mod ascii;
mod chrome;
mod chrome_table;
mod document;
mod fold;
mod inline;
mod line_endings;
mod lookalikes;
mod markdown;
mod markers;
mod nfc;
mod offsets;
mod page_marks;
mod pandoc_tables;
mod phrases;
mod reflow;
mod spaces;
mod tone_table;
mod tones;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod real_files;

pub use document::{normalize_document, Normalized};
pub use fold::fold;
pub use inline::normalize_inline;
/// The source's lines, split at every line break the text module knows.
pub(crate) fn source_lines(src: &str) -> impl Iterator<Item = &str> {
    line_endings::split_lines(src).into_iter().map(|l| l.text)
}
pub use lookalikes::fix_lookalikes;
pub use nfc::nfc;
pub use tones::canonical_tones;
