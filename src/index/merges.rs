//! Which segments a write merges after its commit.
//!
//! A bulk write leaves a few large segments (one each time an indexing thread fills its
//! share of the writer's memory, about 160,000 entries on two cores); writing one more
//! document leaves one small segment. Merging
//! every segment into one once there were more than eight made every eighth document
//! written alone at 100,000 documents rewrite the whole 1.5 GB index (29 s), and merging
//! after the bulk write was a quarter of the ingest. Instead, segments are merged by size
//! tiers:
//!
//! * a segment of [`LARGE_ENTRIES`] entries or more is never merged with others (its deleted
//!   entries are skipped at query time, as in any segment); once more than
//!   [`DELETED_SHARE`] of its entries are deleted (documents changed or removed since it was
//!   written), it is rewritten alone without them;
//! * smaller ones fall into tiers, a segment eight times smaller than the largest of its
//!   tier starting the next one down (all under [`TIER_FLOOR`] count as that size); a tier
//!   holding [`TIER_SEGMENTS`] segments is merged into one.
//!
//! A merge thus reads fewer than `TIER_SEGMENTS × LARGE_ENTRIES` entries (40,000; at 100,000
//! documents the whole index merged at about 15 µs an entry), whatever the size of the index.
//! A document has about twenty entries: a large segment is made by a bulk write, or by about
//! 250 documents written one at a time. The tiers are tantivy's [`LogMergePolicy`], run after
//! the commit rather than in the background, so that a write returns with its merges done.

use tantivy::index::SegmentMeta;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// From this many entries (live and deleted) a segment is left as it is.
pub const LARGE_ENTRIES: usize = 5_000;

/// Segments under this many entries all belong to the lowest tier.
pub const TIER_FLOOR: u32 = 100;

/// A tier is merged once it holds this many segments.
pub const TIER_SEGMENTS: usize = 8;

/// A large segment more than this share of whose entries are deleted is rewritten alone.
pub const DELETED_SHARE: f32 = 0.5;

/// The policy: tiers eightfold apart (`log2 8 = 3`), deletions never forcing a merge.
pub fn policy() -> LogMergePolicy {
    let mut p = LogMergePolicy::default();
    p.set_min_num_segments(TIER_SEGMENTS);
    p.set_max_docs_before_merge(LARGE_ENTRIES - 1);
    p.set_min_layer_size(TIER_FLOOR);
    p.set_level_log_size(3.0);
    p
}

/// The merges to run over `segments`, each a list of segments to merge into one.
pub fn plan(segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
    // tantivy leaves out segments of more than `max_docs_before_merge` live entries; a
    // segment reaches `LARGE_ENTRIES` by its entries written, deleted or not, so that
    // deleting entries never brings a large segment back into the tiers.
    let small: Vec<SegmentMeta> = segments
        .iter()
        .filter(|s| (s.max_doc() as usize) < LARGE_ENTRIES)
        .cloned()
        .collect();
    let mut plan: Vec<MergeCandidate> = policy()
        .compute_merge_candidates(&small)
        .into_iter()
        .filter(|c| c.0.len() > 1)
        .collect();
    plan.extend(
        segments
            .iter()
            .filter(|s| (s.max_doc() as usize) >= LARGE_ENTRIES)
            .filter(|s| s.num_deleted_docs() as f32 > DELETED_SHARE * s.max_doc() as f32)
            .map(|s| MergeCandidate(vec![s.id()])),
    );
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;
    use tantivy::schema::{Schema, STRING};
    use tantivy::Index;

    /// An index in memory, to make segment metadata with.
    fn inventory() -> Index {
        let mut b = Schema::builder();
        b.add_text_field("t", STRING);
        Index::create_in_ram(b.build())
    }

    fn metas(sizes: &[u32]) -> (Index, Vec<SegmentMeta>) {
        let inv = inventory();
        let m = sizes
            .iter()
            .map(|&n| inv.new_segment_meta(SegmentId::generate_random(), n))
            .collect();
        (inv, m)
    }

    fn merged_sizes(segments: &[SegmentMeta]) -> Vec<Vec<u32>> {
        plan(segments)
            .iter()
            .map(|c| {
                let mut v: Vec<u32> =
                    c.0.iter()
                        .map(|id| {
                            segments
                                .iter()
                                .find(|s| s.id() == *id)
                                .expect("a planned segment is one of those given")
                                .max_doc()
                        })
                        .collect();
                v.sort_unstable();
                v
            })
            .collect()
    }

    #[test]
    fn large_segments_are_never_merged() {
        let (_inv, m) = metas(&[72_000; 27]);
        assert!(plan(&m).is_empty());
        let (_inv, m) = metas(&[LARGE_ENTRIES as u32; 9]);
        assert!(plan(&m).is_empty());
    }

    #[test]
    fn a_large_segment_mostly_deleted_is_rewritten_alone() {
        let (_inv, m) = metas(&[72_000, 72_000, 72_000]);
        let m: Vec<SegmentMeta> = m
            .into_iter()
            .zip([36_000, 36_001, 0])
            .map(|(s, deleted)| s.with_delete_meta(deleted, 1))
            .collect();
        let plan = plan(&m);
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].0, vec![m[1].id()]);
    }

    #[test]
    fn eight_small_segments_merge_and_seven_wait() {
        let mut sizes = vec![1_955_533];
        sizes.extend([20; 7]);
        let (_inv, m) = metas(&sizes);
        assert!(plan(&m).is_empty(), "seven small segments wait");
        sizes.push(20);
        let (_inv, m) = metas(&sizes);
        assert_eq!(merged_sizes(&m), vec![vec![20; 8]]);
    }

    #[test]
    fn a_segment_eight_times_larger_is_a_tier_up() {
        // Eight of the lowest tier merge; the 1,000-entry ones (over eight times the floor)
        // wait until there are eight of them.
        let mut sizes = vec![1_000; 7];
        sizes.extend([30; 8]);
        let (_inv, m) = metas(&sizes);
        assert_eq!(merged_sizes(&m), vec![vec![30; 8]]);
        let (_inv, m) = metas(&[1_000; 8]);
        assert_eq!(merged_sizes(&m), vec![vec![1_000; 8]]);
    }

    #[test]
    fn single_writes_never_touch_large_segments_and_merge_little() {
        // One segment of twenty entries per write, merged as planned (a merge's segment has
        // the sum of their entries).
        let inv = inventory();
        let bulk = inv.new_segment_meta(SegmentId::generate_random(), 1_900_000);
        let mut segs = vec![bulk.clone()];
        let (mut merged, mut largest) = (0u64, 0u32);
        let writes = 2_000;
        for _ in 0..writes {
            segs.push(inv.new_segment_meta(SegmentId::generate_random(), 20));
            for c in plan(&segs) {
                let n: u32 = segs
                    .iter()
                    .filter(|s| c.0.contains(&s.id()))
                    .map(|s| s.max_doc())
                    .sum();
                merged += u64::from(n);
                largest = largest.max(n);
                segs.retain(|s| !c.0.contains(&s.id()));
                segs.push(inv.new_segment_meta(SegmentId::generate_random(), n));
            }
        }
        assert!(segs.iter().any(|s| s.id() == bulk.id()));
        assert!(
            (largest as usize) < TIER_SEGMENTS * LARGE_ENTRIES,
            "{largest}"
        );
        // 40,000 entries written: each is merged again a few times, once or twice per tier.
        let written = 20 * writes as u64;
        assert!(merged < 6 * written, "{merged} entries merged");
        let large = segs
            .iter()
            .filter(|s| s.max_doc() as usize >= LARGE_ENTRIES)
            .count();
        assert!(large <= 1 + 8, "{large} large segments");
        assert!(
            segs.len() - large <= 3 * TIER_SEGMENTS,
            "{} segments",
            segs.len()
        );
    }
}
