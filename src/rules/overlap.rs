//! Near-duplicate provisions over the whole corpus, in time that grows about linearly.
//!
//! Each text becomes the set of its 3-syllable shingles (folded: no case, no diacritics),
//! hashed with FNV-1a as the syllables are read (no string is built per shingle). A MinHash
//! signature of 128 values estimates the Jaccard similarity of two sets; locality-sensitive
//! hashing cuts the signature into 32 bands of 4 rows, and only texts that agree on a whole
//! band become candidates (the chance is about 1 − (1 − s⁴)³² for similarity s: 0.5 at
//! s ≈ 0.42, 0.99 at s ≈ 0.6). Candidates are then verified on the exact Jaccard of their
//! sets, a merge that stops as soon as the threshold is out of reach.
//!
//! The work is arranged so that repeated text costs little: equal sets (what documents
//! repeat word for word) share one signature, a bucket whose members already formed a bucket
//! in an earlier band yields its pairs once, each band's keys are sorted rather than hashed
//! into a map of vectors, and candidate pairs are packed in one `u64` each, sorted and
//! deduplicated. Signatures are computed 16 hash functions at a time with their minima in
//! registers; signatures, band sorting and verification run in parallel (rayon). The pairs
//! are the same as computing every signature and every bucket, on any number of threads.
//!
//! A band bucket holding very many texts is the mark of text that every document repeats;
//! such buckets are skipped rather than turned into all their pairs, which keeps the work
//! linear. (Boilerplate is also removed before, by the rules' phrase list.)
//!
//! Measured on the 2-core machine with other work running (2026-11-29, load average about
//! 3, the code before this arrangement run just before): `cargo bench --bench overlap` 1k
//! provisions 35 ms, 10k 384 ms, 50k 1.64 s (33 µs each; 59 ms, 684 ms and 3.58 s before),
//! 2,467 of 2,500 planted near-copies found, as before. The overlap probe of
//! `benches/scale_probe.rs` (shingling included): 1k corpus, 14,859 articles and clauses,
//! 0.47–0.71 s against 1.55 s before, datasketch 20.6–26.2 s in the same runs (34–44×, 17×
//! before), the same 69,487 pairs and 21/21 planted; 10k corpus, 147,265 units, 3.9 s against
//! 11.0 s, the same 999,165 pairs and 158/158. What remains is mostly the 128 hashes per
//! shingle of the signature, then the exact Jaccard of the candidates.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::text::fold;

const HASHES: usize = 128;
const BANDS: usize = 32;
const ROWS: usize = HASHES / BANDS;
/// Shingle length in syllables.
pub const SHINGLE: usize = 3;
/// A bucket with more texts than this is boilerplate-like and yields no pairs.
pub const MAX_BUCKET: usize = 64;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a continued from state `h`.
#[inline]
fn fnv1a_from(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// 64-bit FNV-1a.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

const fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The folded syllables of a text (letters and digits only).
pub fn syllables(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The sorted, deduplicated hashes of a text's `SHINGLE`-syllable shingles: the FNV-1a of the
/// shingle's syllables joined by single spaces (of all of them when there are fewer).
pub fn shingles(text: &str) -> Vec<u64> {
    let folded = fold(text);
    // The syllables joined by single spaces, and the end of each in it: a shingle is then one
    // slice of it.
    let mut joined: Vec<u8> = Vec::with_capacity(folded.len());
    let mut ends: Vec<usize> = Vec::new();
    let bytes = folded.as_bytes();
    let mut i = 0;
    let mut s = None;
    while i < bytes.len() {
        let b = bytes[i];
        let (alphanumeric, len) = if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = folded[i..].chars().next().expect("a character starts here");
            (c.is_alphanumeric(), c.len_utf8())
        };
        if alphanumeric {
            s.get_or_insert(i);
        } else if let Some(s) = s.take() {
            if !ends.is_empty() {
                joined.push(b' ');
            }
            joined.extend_from_slice(&bytes[s..i]);
            ends.push(joined.len());
        }
        i += len;
    }
    if let Some(s) = s {
        if !ends.is_empty() {
            joined.push(b' ');
        }
        joined.extend_from_slice(&bytes[s..]);
        ends.push(joined.len());
    }
    let start = |k: usize| if k == 0 { 0 } else { ends[k - 1] + 1 };
    if ends.len() < SHINGLE {
        return if ends.is_empty() {
            vec![]
        } else {
            vec![fnv1a(&joined)]
        };
    }
    let n = ends.len() + 1 - SHINGLE;
    let window = |k: usize| &joined[start(k)..ends[k + SHINGLE - 1]];
    let mut out: Vec<u64> = Vec::with_capacity(n);
    // Four shingles at a time: FNV-1a is a chain of dependent multiplications, and four
    // chains side by side keep the multiplier busy.
    let mut k = 0;
    while k + 4 <= n {
        out.extend(fnv1a_4([
            window(k),
            window(k + 1),
            window(k + 2),
            window(k + 3),
        ]));
        k += 4;
    }
    out.extend((k..n).map(|k| fnv1a(window(k))));
    out.sort_unstable();
    out.dedup();
    out
}

/// [`fnv1a`] of four byte strings, computed side by side.
fn fnv1a_4(s: [&[u8]; 4]) -> [u64; 4] {
    let common = s.iter().map(|x| x.len()).min().unwrap_or(0);
    let mut h = [FNV_OFFSET; 4];
    for i in 0..common {
        for (h, s) in h.iter_mut().zip(&s) {
            *h = (*h ^ u64::from(s[i])).wrapping_mul(FNV_PRIME);
        }
    }
    for (h, s) in h.iter_mut().zip(&s) {
        *h = fnv1a_from(*h, &s[common..]);
    }
    h
}

/// Exact Jaccard similarity of two sorted sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// [`jaccard`] when it is at least `threshold`, else `None`; the merge stops as soon as the
/// intersection can no longer reach the threshold. Same value as [`jaccard`] when `Some`.
fn jaccard_at_least(a: &[u64], b: &[u64], threshold: f64) -> Option<f64> {
    let (la, lb) = (a.len(), b.len());
    let most = la.min(lb);
    if most == 0 {
        let s = jaccard(a, b);
        return (s >= threshold).then_some(s);
    }
    // The similarity for an intersection of x, increasing in x.
    let value = |x: usize| x as f64 / (la + lb - x) as f64;
    if threshold.is_nan() || value(most) < threshold {
        return None;
    }
    if a == b {
        let s = value(la);
        return (s >= threshold).then_some(s);
    }
    // The least intersection that reaches the threshold.
    let mut need = ((threshold * (la + lb) as f64) / (1.0 + threshold)).max(0.0) as usize;
    need = need.min(most);
    while need > 0 && value(need - 1) >= threshold {
        need -= 1;
    }
    while value(need) < threshold {
        need += 1;
    }
    // A merge without branches on the comparisons (which a processor cannot predict), in
    // runs short enough that neither side can run out; the bound is checked after each run.
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    loop {
        let run = (la - i).min(lb - j);
        if run == 0 {
            break;
        }
        for _ in 0..run.min(16) {
            let (x, y) = (a[i], b[j]);
            inter += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
        if inter + (la - i).min(lb - j) < need {
            return None;
        }
    }
    let s = value(inter);
    (s >= threshold).then_some(s)
}

/// The seeds of the 128 hash functions `mix(x ^ seed)`.
const SEEDS: [u64; HASHES] = {
    let mut seeds = [0u64; HASHES];
    let mut k = 0;
    while k < HASHES {
        seeds[k] = (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        k += 1;
    }
    seeds
};

/// The MinHash signature of a set: for each hash function, the least hash of a shingle.
/// Computed several functions at a time, their minima held in registers over the whole set:
/// with AVX-512 where the processor has it (8 lanes of 64-bit multiply and of unsigned
/// minimum per instruction, 32 functions at a time), else AVX2, else the baseline
/// instructions (16 at a time). The same values on each.
fn signature(set: &[u64]) -> [u64; HASHES] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
        {
            // SAFETY: the processor has the features the function is compiled for.
            return unsafe { signature_avx512(set) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { signature_avx2(set) };
        }
    }
    signature_lanes::<16>(set)
}

/// [`signature`] compiled for AVX-512 (F and DQ: `vpmullq`, `vpminuq`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn signature_avx512(set: &[u64]) -> [u64; HASHES] {
    signature_lanes::<32>(set)
}

/// [`signature`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn signature_avx2(set: &[u64]) -> [u64; HASHES] {
    signature_lanes::<8>(set)
}

/// [`signature`] computed `LANES` hash functions at a time; inlined into each of the
/// functions above so that it is compiled (and vectorised) for that one's instructions.
#[inline(always)]
fn signature_lanes<const LANES: usize>(set: &[u64]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for (out, seeds) in sig.chunks_exact_mut(LANES).zip(SEEDS.chunks_exact(LANES)) {
        let mut least = [u64::MAX; LANES];
        for &s in set {
            for (m, &seed) in least.iter_mut().zip(seeds) {
                *m = (*m).min(mix(s ^ seed));
            }
        }
        out.copy_from_slice(&least);
    }
    sig
}

/// The bucket key of each band of a signature.
fn band_keys(sig: &[u64; HASHES]) -> [u64; BANDS] {
    let mut keys = [0u64; BANDS];
    for (b, key) in keys.iter_mut().enumerate() {
        let mut h: u64 = b as u64;
        for r in 0..ROWS {
            h = mix(h ^ sig[b * ROWS + r]);
        }
        *key = h;
    }
    keys
}

/// A fingerprint of a set, to find sets that are equal without comparing every pair.
fn fingerprint(set: &[u64]) -> u64 {
    set.iter()
        .fold(set.len() as u64, |h, &x| mix(h ^ x).wrapping_add(x))
}

/// Pairs `(i, j, similarity)` with `i < j` whose exact Jaccard similarity is at least
/// `threshold`, among the candidates LSH finds. Sorted.
pub fn near_duplicates(sets: &[Vec<u64>], threshold: f64) -> Vec<(usize, usize, f64)> {
    near_duplicates_by(sets, threshold, |members, out| {
        if members.len() <= MAX_BUCKET {
            for x in 0..members.len() {
                for y in x + 1..members.len() {
                    out(members[x], members[y]);
                }
            }
        }
    })
}

/// [`near_duplicates`] where `candidates(bucket, out)` chooses which pairs of a band bucket's
/// members (indices into `sets`, ascending) become candidates, calling `out(i, j)` for each
/// (once for each distinct bucket: a bucket equal to one of an earlier band is not asked again):
/// every pair of a bucket of at most [`MAX_BUCKET`] texts in [`near_duplicates`]; only the
/// pairs that may pair at all, with the cap counted among them, for a rule that compares
/// related issuers only ([`super::blocks::Blocks::for_each_pair`]).
pub fn near_duplicates_by(
    sets: &[Vec<u64>],
    threshold: f64,
    candidates: impl Fn(&[usize], &mut dyn FnMut(usize, usize)),
) -> Vec<(usize, usize, f64)> {
    assert!(sets.len() <= u32::MAX as usize, "too many sets");
    // Sets of fewer than two shingles have no signature: they are no evidence of copying.
    // Equal sets (text that documents repeat word for word) share one signature.
    let mut order: Vec<(u64, u32)> = sets
        .par_iter()
        .enumerate()
        .filter(|(_, s)| s.len() >= 2)
        .map(|(i, s)| (fingerprint(s), i as u32))
        .collect();
    order.par_sort_unstable();
    // (text, the first text of its equal set), and those first texts.
    let mut same: Vec<(u32, u32)> = Vec::with_capacity(order.len());
    let mut distinct: Vec<u32> = Vec::new();
    for group in order.chunk_by(|x, y| x.0 == y.0) {
        let start = distinct.len();
        for &(_, i) in group {
            let set = &sets[i as usize];
            let rep = distinct[start..]
                .iter()
                .copied()
                .find(|&r| sets[r as usize] == *set)
                .unwrap_or_else(|| {
                    distinct.push(i);
                    i
                });
            same.push((i, rep));
        }
    }
    drop(order);
    let distinct_keys: Vec<[u64; BANDS]> = distinct
        .par_iter()
        .map(|&i| band_keys(&signature(&sets[i as usize])))
        .collect();
    let mut slot = vec![u32::MAX; sets.len()];
    for (d, &i) in distinct.iter().enumerate() {
        slot[i as usize] = d as u32;
    }
    let keys: Vec<(u32, &[u64; BANDS])> = same
        .iter()
        .map(|&(i, rep)| (i, &distinct_keys[slot[rep as usize] as usize]))
        .collect();
    drop(same);
    // Each band's (key, text) sorted: a bucket is a run of one key, its texts ascending.
    let bands: Vec<Vec<(u64, u32)>> = (0..BANDS)
        .into_par_iter()
        .map(|b| {
            let mut v: Vec<(u64, u32)> = keys.iter().map(|&(i, k)| (k[b], i)).collect();
            v.sort_unstable();
            v
        })
        .collect();
    drop(keys);
    let mut pairs: Vec<u64> = Vec::new();
    let mut members: Vec<usize> = Vec::new();
    // Texts that agree on every band (equal or nearly) form the same bucket in many bands:
    // its pairs are asked for once.
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    for band in &bands {
        for run in band.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
            members.clear();
            members.extend(run.iter().map(|&(_, i)| i as usize));
            if seen.contains(&members) {
                continue;
            }
            seen.insert(members.clone());
            candidates(&members, &mut |i, j| {
                let (i, j) = (i.min(j) as u64, i.max(j) as u64);
                pairs.push((i << 32) | j);
            });
        }
    }
    drop(bands);
    drop(seen);
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
        .par_iter()
        .filter_map(|&p| {
            let (i, j) = ((p >> 32) as usize, (p & 0xffff_ffff) as usize);
            jaccard_at_least(&sets[i], &sets[j], threshold).map(|s| (i, j, s))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_near_copy_and_not_a_stranger() {
        let a = "Lấn chiếm vỉa hè, lòng đường để kinh doanh, buôn bán, đặt biển quảng cáo, để vật liệu xây dựng trái phép; xả nước thải, đổ rác ra vỉa hè.";
        let b = "Lấn chiếm vỉa hè, lòng đường để kinh doanh, buôn bán hàng rong, đặt biển quảng cáo, để vật liệu xây dựng trái phép; xả nước thải, đổ rác ra vỉa hè.";
        let c = "Hộ gia đình, cá nhân khi Nhà nước thu hồi đất ở phải di chuyển chỗ ở được hỗ trợ.";
        let sets: Vec<Vec<u64>> = [a, b, c].iter().map(|t| shingles(t)).collect();
        let found = near_duplicates(&sets, 0.5);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (0, 1));
        assert!(found[0].2 > 0.7);
    }

    #[test]
    fn jaccard_of_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn shingles_hash_the_joined_syllables() {
        let text = "Điều 5. Hộ gia đình, cá nhân – được HỖ TRỢ thuê nhà ở";
        let syl = syllables(text);
        let mut want: Vec<u64> = syl
            .windows(SHINGLE)
            .map(|w| fnv1a(w.join(" ").as_bytes()))
            .collect();
        want.sort_unstable();
        want.dedup();
        assert_eq!(shingles(text), want);
        // Every count of syllables around the four shingles hashed side by side, syllables of
        // unequal lengths, runs of separators, combining marks, letters outside Vietnamese.
        let words = [
            "a",
            "Điều",
            "NGHĨA",
            "x",
            "ươ",
            "2024",
            "Ñandú",
            "øre",
            "a\u{301}b",
            "hộ",
            "tịch",
        ];
        for n in 0..30 {
            let text: String = (0..n)
                .map(|k| {
                    format!(
                        "{}{}",
                        words[k * 7 % words.len()],
                        [" ", ", ", " – ", "."][k % 4]
                    )
                })
                .collect();
            let syl = syllables(&text);
            let mut want: Vec<u64> = if syl.len() < SHINGLE {
                if syl.is_empty() {
                    vec![]
                } else {
                    vec![fnv1a(syl.join(" ").as_bytes())]
                }
            } else {
                syl.windows(SHINGLE)
                    .map(|w| fnv1a(w.join(" ").as_bytes()))
                    .collect()
            };
            want.sort_unstable();
            want.dedup();
            assert_eq!(shingles(&text), want, "{text}");
        }
        assert_eq!(shingles("Ủy ban"), vec![fnv1a(b"uy ban")]);
        assert_eq!(shingles("Điều"), vec![fnv1a(b"dieu")]);
        assert!(shingles(" – ; ").is_empty());
    }

    #[test]
    fn signature_is_the_least_hash_of_each_function() {
        let set: Vec<u64> =
            shingles("Ủy ban nhân dân xã giải quyết hồ sơ hợp lệ trong thời hạn năm ngày");
        let sig = signature(&set);
        for (k, &v) in sig.iter().enumerate() {
            let seed = (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            assert_eq!(v, set.iter().map(|&s| mix(s ^ seed)).min().unwrap());
        }
    }

    #[test]
    fn every_compiled_signature_agrees() {
        let mut x = 7u64;
        for n in [0usize, 1, 2, 3, 17, 100, 1000] {
            let set: Vec<u64> = (0..n)
                .map(|_| {
                    x = mix(x.wrapping_add(1));
                    x
                })
                .collect();
            let want = signature_lanes::<16>(&set);
            assert_eq!(signature(&set), want);
            assert_eq!(signature_lanes::<1>(&set), want);
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                {
                    assert_eq!(unsafe { signature_avx512(&set) }, want);
                }
                if std::arch::is_x86_feature_detected!("avx2") {
                    assert_eq!(unsafe { signature_avx2(&set) }, want);
                }
            }
        }
    }

    #[test]
    fn equal_texts_pair_with_each_other_and_with_a_near_copy() {
        let a = "Lấn chiếm vỉa hè, lòng đường để kinh doanh, buôn bán, đặt biển quảng cáo, để vật liệu xây dựng trái phép; xả nước thải, đổ rác ra vỉa hè.";
        let b = "Lấn chiếm vỉa hè, lòng đường để kinh doanh, buôn bán hàng rong, đặt biển quảng cáo, để vật liệu xây dựng trái phép; xả nước thải, đổ rác ra vỉa hè.";
        let sets: Vec<Vec<u64>> = [a, b, a, a].iter().map(|t| shingles(t)).collect();
        let found = near_duplicates(&sets, 0.5);
        let pairs: Vec<(usize, usize)> = found.iter().map(|&(i, j, _)| (i, j)).collect();
        assert_eq!(pairs, vec![(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]);
        assert_eq!(found[1].2, 1.0);
    }

    #[test]
    fn early_exit_jaccard_agrees_with_jaccard() {
        // Every pair of small sets drawn from 0..7, at thresholds around the values they take.
        let sets: Vec<Vec<u64>> = (0u32..128)
            .map(|m| (0..7).filter(|b| m & (1 << b) != 0).collect())
            .collect();
        for a in &sets {
            for b in &sets {
                for t in [
                    0.0,
                    0.2,
                    1.0 / 3.0,
                    0.5,
                    0.6,
                    2.0 / 3.0,
                    0.75,
                    1.0,
                    1.5,
                    f64::NAN,
                ] {
                    let s = jaccard(a, b);
                    assert_eq!(
                        jaccard_at_least(a, b, t),
                        (s >= t).then_some(s),
                        "{a:?} {b:?} {t}"
                    );
                }
            }
        }
    }

    #[test]
    fn results_are_sorted_and_every_pair_meets_the_threshold() {
        let base = "Ủy ban nhân dân xã phường thị trấn giải quyết hồ sơ hợp lệ trong thời hạn";
        let texts: Vec<String> = (0..40)
            .map(|i| format!("{base} {} ngày làm việc kể từ ngày nhận {}", i % 7, i % 3))
            .collect();
        let sets: Vec<Vec<u64>> = texts.iter().map(|t| shingles(t)).collect();
        let found = near_duplicates(&sets, 0.5);
        assert!(!found.is_empty());
        assert!(found
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        for &(i, j, s) in &found {
            assert!(i < j);
            assert_eq!(s, jaccard(&sets[i], &sets[j]));
            assert!(s >= 0.5);
        }
    }
}
