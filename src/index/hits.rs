//! What a hit shows — document id, provision path, kind, status segments — read from four
//! dictionary-encoded fast columns of the hit's segment.
//!
//! Reading a term of a column's dictionary decodes a block of its sorted table from the
//! start (a few microseconds), which for the ten hits of a page was a third of a query's
//! time. The four dictionaries are small — one entry per distinct document id, path, kind or
//! validity shape, not per entry — so each segment's are decoded once, on its first hit, and
//! kept while the segment lives. A hit then costs four bit-packed lookups and four vector
//! reads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, TantivyError};

/// The names of the four columns.
pub const DOC_COLUMN: &str = "doc_id";
pub const PATH_COLUMN: &str = "path";
pub const KIND_COLUMN: &str = "kind";
pub const SEGMENTS_COLUMN: &str = "hit_segments";
/// Not read per hit: the digest of a whole-document entry (see [`super::schema::Fields::hash`]).
pub const HASH_COLUMN: &str = "hash";

/// One fast column with its dictionary decoded.
pub(super) struct Decoded {
    ords: Column<u64>,
    terms: Vec<Box<str>>,
}

impl Decoded {
    pub(super) fn load(seg: &tantivy::SegmentReader, name: &str) -> tantivy::Result<Decoded> {
        let col = seg
            .fast_fields()
            .str(name)?
            .ok_or_else(|| TantivyError::SchemaError(format!("{name} is not a fast text field")))?;
        let (dict, ords) = col.into_parts();
        let mut terms = Vec::with_capacity(dict.num_terms());
        let mut stream = dict.stream()?;
        while stream.advance() {
            terms.push(String::from_utf8_lossy(stream.key()).into());
        }
        Ok(Decoded { ords, terms })
    }

    pub(super) fn get(&self, doc: DocId) -> &str {
        self.ords
            .first(doc)
            .and_then(|o| self.terms.get(o as usize))
            .map_or("", |t| t)
    }
}

/// The four columns of one segment.
pub struct SegmentHits {
    doc: Decoded,
    path: Decoded,
    kind: Decoded,
    segments: Decoded,
}

/// What one hit shows, borrowed from the segment's dictionaries.
pub struct HitFields<'a> {
    pub document: &'a str,
    pub path: &'a str,
    pub kind: &'a str,
    /// The status segments in the compact form of [`super::entries::encode_segments`].
    pub segments: &'a str,
}

impl SegmentHits {
    fn load(seg: &tantivy::SegmentReader) -> tantivy::Result<SegmentHits> {
        Ok(SegmentHits {
            doc: Decoded::load(seg, DOC_COLUMN)?,
            path: Decoded::load(seg, PATH_COLUMN)?,
            kind: Decoded::load(seg, KIND_COLUMN)?,
            segments: Decoded::load(seg, SEGMENTS_COLUMN)?,
        })
    }

    pub fn get(&self, doc: DocId) -> HitFields<'_> {
        HitFields {
            document: self.doc.get(doc),
            path: self.path.get(doc),
            kind: self.kind.get(doc),
            segments: self.segments.get(doc),
        }
    }
}

/// The decoded columns of the live segments, by segment id (segments are immutable).
#[derive(Default)]
pub struct HitCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentHits>>>,
}

impl HitCache {
    /// The columns of segment `ord` of `searcher`, decoded on first use. Segments that the
    /// searcher no longer has are dropped at the same time.
    pub fn segment(&self, searcher: &Searcher, ord: u32) -> tantivy::Result<Arc<SegmentHits>> {
        let seg = searcher.segment_reader(ord);
        let id = seg.segment_id();
        let mut map = self
            .segments
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(h) = map.get(&id) {
            return Ok(h.clone());
        }
        let loaded = Arc::new(SegmentHits::load(seg)?);
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        map.retain(|k, _| live.contains(k));
        map.insert(id, loaded.clone());
        Ok(loaded)
    }
}
