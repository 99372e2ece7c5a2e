//! A document's provisions' text held packed (LZ4), for a run that holds a whole corpus.
//!
//! A `check` reads every stored document and keeps them for the whole run; at 100,000
//! documents their provisions' text is about 0.45 GB. Packed as each document is read, it is
//! held at about half that, and never all at once unpacked. A thread unpacks a document when
//! a text of it is asked for ([`crate::model::Document::text_of`]) and keeps the last few it
//! unpacked (64, and 4 MiB of them at most), so reading a document's provisions in turn unpacks it once.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Provision;

/// Every provision's text of one document, in the order of
/// [`crate::model::Document::all_provisions`] (depth first, parents before children), packed.
#[derive(Debug, Clone)]
pub struct PackedText {
    /// Unique to what was packed (clones share it): what a thread's last unpacked text is
    /// kept by.
    id: u64,
    /// The end of each provision's text in the unpacked bytes.
    ends: Box<[u32]>,
    packed: Box<[u8]>,
}

impl PartialEq for PackedText {
    fn eq(&self, other: &Self) -> bool {
        self.ends == other.ends && self.packed == other.packed
    }
}

impl Eq for PackedText {}

/// How many unpacked documents a thread keeps, most recently read first: a pair rule reads
/// the units of documents in turn, a rule on single documents those of one.
const KEPT: usize = 64;
/// And how many bytes of them at most (the document being read is always kept): a province's
/// plan with its annexes can run to megabytes of text.
const KEPT_BYTES: usize = 4 << 20;

thread_local! {
    static RECENT: RefCell<Vec<(u64, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
}

/// The number of unpacked documents this thread keeps and their bytes.
#[cfg(test)]
fn kept_here() -> (usize, usize) {
    RECENT.with_borrow(|r| (r.len(), r.iter().map(|(_, t)| t.len()).sum()))
}

impl PackedText {
    /// Packs the text of these provisions (a document's, with their descendants) and takes
    /// it out of them: each provision's `text` is left empty. Headings and structure stay.
    pub fn take(provisions: &mut [Provision]) -> PackedText {
        fn visit(ps: &mut [Provision], all: &mut Vec<u8>, ends: &mut Vec<u32>) {
            for p in ps {
                all.extend_from_slice(std::mem::take(&mut p.text).as_bytes());
                ends.push(u32::try_from(all.len()).expect("a document's text under 4 GiB"));
                visit(&mut p.children, all, ends);
            }
        }
        let mut all = Vec::new();
        let mut ends = Vec::new();
        visit(provisions, &mut all, &mut ends);
        static NEXT: AtomicU64 = AtomicU64::new(1);
        PackedText {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            ends: ends.into_boxed_slice(),
            packed: lz4_flex::block::compress(&all).into_boxed_slice(),
        }
    }

    /// The number of provisions packed.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes held: the packed text and the ends.
    pub fn held_bytes(&self) -> usize {
        self.packed.len() + 4 * self.ends.len()
    }

    /// Calls `f` with the unpacked texts of the provisions `from..from + n`, in order.
    pub fn with_texts<R>(&self, from: usize, n: usize, f: impl FnOnce(&[&str]) -> R) -> R {
        RECENT.with_borrow_mut(|recent| {
            match recent.iter().position(|(id, _)| *id == self.id) {
                Some(0) => {}
                Some(i) => recent[..=i].rotate_right(1),
                None => {
                    recent.insert(0, (self.id, self.unpack()));
                    let mut held: usize = recent.iter().map(|(_, t)| t.len()).sum();
                    while recent.len() > KEPT || (held > KEPT_BYTES && recent.len() > 1) {
                        held -= recent.pop().map_or(0, |(_, t)| t.len());
                    }
                }
            }
            let bytes = &recent[0].1;
            // Each text asked for is checked as UTF-8 (it is a `String` as packed, cut at its
            // ends), and only those: a pair rule reads one unit of a document.
            let parts: Vec<&str> = (from..from + n)
                .map(|i| {
                    let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
                    simdutf8::basic::from_utf8(&bytes[start..self.ends[i] as usize])
                        .expect("a packed provision's text is UTF-8")
                })
                .collect();
            f(&parts)
        })
    }

    fn total(&self) -> usize {
        self.ends.last().map_or(0, |&e| e as usize)
    }

    fn unpack(&self) -> Vec<u8> {
        lz4_flex::block::decompress(&self.packed, self.total())
            .expect("text packed by PackedText::take unpacks")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn doc() -> Document {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/2014-08-05_11-2014-QD-UBND.txt");
        let text = std::fs::read_to_string(&path).unwrap();
        crate::parse::parse_document("11-2014.txt", &text)
    }

    #[test]
    fn taking_the_text_leaves_the_structure_and_unpacks_every_provision_as_it_was() {
        let full = doc();
        let mut shed = full.clone();
        let packed = PackedText::take(&mut shed.provisions);
        let before = full.all_provisions();
        let after = shed.all_provisions();
        assert!(before.len() > 5);
        assert_eq!(packed.len(), before.len());
        assert!(packed.held_bytes() < before.iter().map(|p| p.text.len()).sum::<usize>());
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            assert_eq!((&b.path, &b.heading, b.kind), (&a.path, &a.heading, a.kind));
            assert!(a.text.is_empty());
            packed.with_texts(i, 1, |t| assert_eq!(t, [b.text.as_str()]));
        }
        let all: Vec<&str> = before.iter().map(|p| p.text.as_str()).collect();
        packed.with_texts(0, all.len(), |t| assert_eq!(t, all.as_slice()));
    }

    #[test]
    fn two_documents_read_in_turn_each_give_their_own_text() {
        let mut a = doc();
        let mut b = doc();
        b.provisions[0].text = "Một văn bản khác, có chữ đ và ư.".into();
        let want_a = a.provisions[0].text.clone();
        let pa = PackedText::take(&mut a.provisions);
        let pb = PackedText::take(&mut b.provisions);
        assert_ne!(pa, pb);
        for _ in 0..2 {
            pa.with_texts(0, 1, |t| assert_eq!(t[0], want_a));
            pb.with_texts(0, 1, |t| {
                assert_eq!(t[0], "Một văn bản khác, có chữ đ và ư.")
            });
        }
    }

    #[test]
    fn a_thread_keeps_at_most_64_documents_and_4_mib_of_them_unpacked() {
        let packed = |text: String| {
            let mut d = doc();
            d.provisions[0].text = text;
            PackedText::take(&mut d.provisions)
        };
        let small: Vec<PackedText> = (0..100).map(|i| packed(format!("Điều {i}."))).collect();
        for p in &small {
            p.with_texts(0, 1, |_| ());
        }
        assert_eq!(kept_here().0, KEPT);
        // Documents of 1.5 MiB each: the newest ones only, and the one read always.
        let big: Vec<PackedText> = (0..4)
            .map(|i| {
                packed(format!(
                    "{i} {}",
                    "đường giao thông nông thôn ".repeat(55_000)
                ))
            })
            .collect();
        for p in &big {
            p.with_texts(0, 1, |t| assert!(t[0].len() > 1_500_000));
            let (n, bytes) = kept_here();
            assert!(
                n >= 1 && (bytes <= KEPT_BYTES || n == 1),
                "{n} documents, {bytes} bytes"
            );
        }
        // The oldest is read again as it was.
        big[0].with_texts(0, 1, |t| assert!(t[0].starts_with("0 đường")));
    }

    #[test]
    fn provisions_without_text_pack_to_nothing() {
        let p = PackedText::take(&mut []);
        assert!(p.is_empty());
        p.with_texts(0, 0, |t| assert!(t.is_empty()));
    }
}
