//! The index schema: one tantivy document per entry (a provision or a whole document).

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};

use super::{analyzer, hits};

/// Bumped whenever the schema or the analyzer changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 8;

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The document's id (qualified where two issuers share a number); raw, stored, fast
    /// (read per hit, see [`super::hits`]).
    pub doc_id: Field,
    /// The provision's path, empty for the whole-document entry; raw, stored, fast.
    pub path: Field,
    /// `document`, `article`, `clause`, `point`, `item`, …; raw, stored, fast.
    pub kind: Field,
    /// Type keys: the folded type name without spaces (`quyetdinh`) and the number's type
    /// code (`qd`); raw, several values.
    pub doc_type: Field,
    /// The issuer's name and code, folded, with positions (for phrase filters).
    pub issuer: Field,
    /// The year of issue.
    pub year: Field,
    /// First day (days since 1970-01-01) of the hull of the intervals in force.
    pub from_day: Field,
    /// Day after the last day of that hull (`i64::MAX` when open).
    pub until_day: Field,
    /// The status segments as JSON (stored): checked exactly after the top-k.
    pub segments: Field,
    /// The status segments in compact form, fast: read per hit with the id, path and kind.
    pub hit_segments: Field,
    /// Cited document ids, folded keys (`61/2018/nd-cp`); raw, several values.
    pub cites: Field,
    /// The text; exact syllables.
    pub text: Field,
    /// The text the snippet is made from (stored only; a document's is capped).
    pub snippet_text: Field,
    /// Folded syllables.
    pub folded: Field,
    /// Folded syllable pairs, with positions.
    pub bi_folded: Field,
    /// On whole-document entries: the digest of what the document's entries are made from
    /// ([`super::entries::input_digest`]); stored and in a fast column, read for every
    /// document at each sync without opening the stored text.
    pub hash: Field,
}

fn text_field(tokenizer: &str, positions: bool) -> TextOptions {
    let opt = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(opt),
    )
}

/// A raw (untokenized) string, indexed, stored and in a fast column.
fn fast_raw() -> TextOptions {
    (STRING | STORED).set_fast("raw")
}

/// The schema and its fields.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let num = || NumericOptions::default().set_indexed().set_fast();
    let fields = Fields {
        doc_id: b.add_text_field("doc_id", fast_raw()),
        path: b.add_text_field("path", fast_raw()),
        kind: b.add_text_field("kind", fast_raw()),
        doc_type: b.add_text_field("doc_type", STRING),
        issuer: b.add_text_field("issuer", text_field(analyzer::FOLDED, true)),
        year: b.add_i64_field("year", num()),
        from_day: b.add_i64_field("from_day", num()),
        until_day: b.add_i64_field("until_day", num()),
        segments: b.add_text_field("segments", STORED),
        hit_segments: b.add_text_field(
            hits::SEGMENTS_COLUMN,
            TextOptions::default().set_fast("raw"),
        ),
        cites: b.add_text_field("cites", STRING),
        text: b.add_text_field("text", text_field(analyzer::EXACT, false)),
        snippet_text: b.add_text_field("snippet_text", STORED),
        folded: b.add_text_field("folded", text_field(analyzer::FOLDED, false)),
        bi_folded: b.add_text_field("bi_folded", text_field(analyzer::BIGRAM_FOLDED, true)),
        hash: b.add_text_field(
            hits::HASH_COLUMN,
            TextOptions::default().set_stored().set_fast("raw"),
        ),
    };
    (b.build(), fields)
}

/// The fields of an existing schema, if it is ours.
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    let f = |n: &str| schema.get_field(n).ok();
    Some(Fields {
        doc_id: f("doc_id")?,
        path: f("path")?,
        kind: f("kind")?,
        doc_type: f("doc_type")?,
        issuer: f("issuer")?,
        year: f("year")?,
        from_day: f("from_day")?,
        until_day: f("until_day")?,
        segments: f("segments")?,
        hit_segments: f(hits::SEGMENTS_COLUMN)?,
        cites: f("cites")?,
        text: f("text")?,
        snippet_text: f("snippet_text")?,
        folded: f("folded")?,
        bi_folded: f("bi_folded")?,
        hash: f(hits::HASH_COLUMN)?,
    })
}
