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
//! in an earlier band yields its pairs once, each band's keys are put in order (a counting
//! sort on the keys' top bits, the keys being hashes) rather than hashed into a map of
//! vectors, and candidate pairs are packed in one `u64` each, radix-sorted and deduplicated.
//! Signatures are computed several hash functions at a time with their minima in registers,
//! compiled for AVX-512 (32 at a time: 64-bit multiply and unsigned minimum on 8 lanes) or
//! AVX2 where the processor has them; the exact Jaccard compares blocks of eight elements of
//! each set at a time with AVX-512, then merges without branches. Signatures, bands and
//! verification run in parallel (rayon). The pairs are the same as computing every signature
//! and every bucket, on any number of threads and on any processor.
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
//! 11.0 s, the same 999,165 pairs and 158/158.
//!
//! Then (2026-11-30, load average 4–6) the vectorised signature and Jaccard and the counting
//! sorts: `near_duplicates` on the 1k probe's sets, 2 threads, 340–720 ms before, 100–190 ms
//! after (one thread, best of 5: signatures about 45 ms, verification 23 ms, bands 8.5 ms,
//! pair sort 7.5 ms); the 1k probe 0.19–0.23 s (load average 4.2), the same pairs.
//! Shingling (folding, hashing and sorting each text's shingles) is now as large as the
//! signatures.

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

/// The byte ranges of the syllables of a folded text: what [`syllables`] returns, unallocated.
fn syllable_spans(folded: &str, out: &mut Vec<(usize, usize)>) {
    let mut start = None;
    for (i, c) in folded.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    if let Some(s) = start {
        out.push((s, folded.len()));
    }
}

/// The sorted, deduplicated hashes of a text's `SHINGLE`-syllable shingles: the FNV-1a of the
/// shingle's syllables joined by single spaces (of all of them when there are fewer).
pub fn shingles(text: &str) -> Vec<u64> {
    shingles_of_folded(&fold(text))
}

/// [`shingles`] of a text already folded ([`crate::text::fold`]).
pub fn shingles_of_folded(folded: &str) -> Vec<u64> {
    let bytes = folded.as_bytes();
    let mut spans = Vec::new();
    syllable_spans(folded, &mut spans);
    let joined = |words: &[(usize, usize)]| {
        let mut h = FNV_OFFSET;
        for (k, &(s, e)) in words.iter().enumerate() {
            if k > 0 {
                h = fnv1a_from(h, b" ");
            }
            h = fnv1a_from(h, &bytes[s..e]);
        }
        h
    };
    let mut out: Vec<u64> = if spans.len() < SHINGLE {
        if spans.is_empty() {
            vec![]
        } else {
            vec![joined(&spans)]
        }
    } else {
        spans.windows(SHINGLE).map(joined).collect()
    };
    out.sort_unstable();
    out.dedup();
    // Held for every article of the corpus until the pairs are verified.
    out.shrink_to_fit();
    out
}

/// The size of the intersection of two sorted sets (a plain merge).
pub fn common_sorted<T: Ord>(a: &[T], b: &[T]) -> usize {
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
    inter
}

/// Exact Jaccard similarity of two sorted sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let inter = common_sorted(a, b);
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
    let inter = common(a, b, need)?;
    let s = value(inter);
    (s >= threshold).then_some(s)
}

/// How many elements two sorted sets have in common, or `None` once that can no longer reach
/// `need`: with AVX-512 where the processor has it, else with the baseline instructions.
fn common(a: &[u64], b: &[u64], need: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the processor has the features the function is compiled for.
            return unsafe { common_avx512(a, b, need) };
        }
    }
    common_by::<false>(a, b, need)
}

/// [`common`] compiled for AVX-512, its blocks of eight compared in a few instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn common_avx512(a: &[u64], b: &[u64], need: usize) -> Option<usize> {
    common_by::<true>(a, b, need)
}

/// [`common`]. With `BLOCKS`, while both sides have eight elements left, eight of each are
/// compared with each other at once, then the side whose eight end lower moves on by eight
/// (both when they end alike): each common element is met in exactly one such comparison,
/// and none left behind can match further on. Then (or without `BLOCKS`) a merge without
/// branches on the comparisons (which a processor cannot predict), in runs short enough that
/// neither side can run out. The bound is checked after each block and each run.
#[inline(always)]
fn common_by<const BLOCKS: bool>(a: &[u64], b: &[u64], need: usize) -> Option<usize> {
    let (la, lb) = (a.len(), b.len());
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    if BLOCKS {
        while i + 8 <= la && j + 8 <= lb {
            let x: &[u64; 8] = a[i..i + 8].try_into().expect("eight");
            let y: &[u64; 8] = b[j..j + 8].try_into().expect("eight");
            let mut equal = [0u64; 8];
            for &v in y {
                for (e, &u) in equal.iter_mut().zip(x) {
                    *e |= u64::from(u == v);
                }
            }
            inter += equal.iter().sum::<u64>() as usize;
            let (xm, ym) = (x[7], y[7]);
            i += 8 * usize::from(xm <= ym);
            j += 8 * usize::from(ym <= xm);
            if inter + (la - i).min(lb - j) < need {
                return None;
            }
        }
    }
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
    Some(inter)
}

/// `(key, text)` pairs sorted, for keys that are hashes (spread evenly): a counting sort on
/// the keys' top bits into about as many parts as pairs, then each part sorted.
fn sort_hashed(v: &[(u64, u32)]) -> Vec<(u64, u32)> {
    let bits = (usize::BITS - v.len().leading_zeros()).clamp(1, 16);
    let part = |k: u64| (k >> (64 - bits)) as usize;
    let mut start = vec![0usize; (1 << bits) + 1];
    for &(k, _) in v {
        start[part(k) + 1] += 1;
    }
    for p in 1..start.len() {
        start[p] += start[p - 1];
    }
    let mut next = start.clone();
    let mut out = vec![(0u64, 0u32); v.len()];
    for &x in v {
        let p = part(x.0);
        out[next[p]] = x;
        next[p] += 1;
    }
    for w in start.windows(2) {
        if w[1] - w[0] > 1 {
            out[w[0]..w[1]].sort_unstable();
        }
    }
    out
}

/// Sorts numbers by their bytes, least significant first (a stable counting sort for each),
/// skipping the bytes that all of them share (the high bytes of small indices).
fn radix_sort(v: &mut Vec<u64>) {
    let mut counts = vec![[0usize; 256]; 8];
    for &x in v.iter() {
        for (byte, count) in counts.iter_mut().enumerate() {
            count[((x >> (8 * byte)) & 0xff) as usize] += 1;
        }
    }
    let mut other = vec![0u64; v.len()];
    for (byte, count) in counts.iter().enumerate() {
        if count.contains(&v.len()) {
            continue;
        }
        let mut next = [0usize; 256];
        let mut sum = 0;
        for (n, &c) in next.iter_mut().zip(count) {
            *n = sum;
            sum += c;
        }
        for &x in v.iter() {
            let d = ((x >> (8 * byte)) & 0xff) as usize;
            other[next[d]] = x;
            next[d] += 1;
        }
        std::mem::swap(v, &mut other);
    }
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
    // Each text's signature, in the order of the texts.
    let mut of = vec![u32::MAX; sets.len()];
    for &(i, rep) in &same {
        of[i as usize] = slot[rep as usize];
    }
    drop(same);
    let keys: Vec<(u32, &[u64; BANDS])> = of
        .iter()
        .enumerate()
        .filter(|&(_, &d)| d != u32::MAX)
        .map(|(i, &d)| (i as u32, &distinct_keys[d as usize]))
        .collect();
    drop(of);
    let pairs = candidate_pairs(&keys, candidates);
    drop(keys);
    pairs
        .par_iter()
        .filter_map(|&p| {
            let (i, j) = unpack(p);
            jaccard_at_least(&sets[i], &sets[j], threshold).map(|s| (i, j, s))
        })
        .collect()
}

fn unpack(pair: u64) -> (usize, usize) {
    ((pair >> 32) as usize, (pair & 0xffff_ffff) as usize)
}

/// The candidate pairs `(i << 32) | j`, `i < j`, sorted and distinct, of texts with their
/// band keys: each band's (key, text) pairs sorted, a bucket is a run of one key, its texts
/// ascending, and `candidates` chooses the pairs of each distinct bucket.
fn candidate_pairs(
    keys: &[(u32, &[u64; BANDS])],
    candidates: impl Fn(&[usize], &mut dyn FnMut(usize, usize)),
) -> Vec<u64> {
    let mut pairs: Vec<u64> = Vec::new();
    let mut members: Vec<usize> = Vec::new();
    // Texts that agree on every band (equal or nearly) form the same bucket in many bands:
    // its pairs are asked for once. A bucket is known by two 64-bit hashes of its members,
    // made by different chains (800,000 buckets at 100k documents: the lists themselves were
    // 56 MB); for two different buckets to share both is a chance of the order of 2^-128.
    let mut seen: HashSet<u128> = HashSet::new();
    // One band at a time (all bands at once held 512 bytes per text).
    for b in 0..BANDS {
        let band = sort_hashed(&keys.iter().map(|&(i, k)| (k[b], i)).collect::<Vec<_>>());
        for run in band.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() > 1) {
            members.clear();
            members.extend(run.iter().map(|&(_, i)| i as usize));
            if !seen.insert(bucket_id(&members)) {
                continue;
            }
            candidates(&members, &mut |i, j| {
                let (i, j) = (i.min(j) as u64, i.max(j) as u64);
                pairs.push((i << 32) | j);
            });
        }
    }
    drop(seen);
    radix_sort(&mut pairs);
    pairs.dedup();
    pairs
}

/// Two 64-bit hashes of a bucket's members, made by different chains, as one number.
fn bucket_id(members: &[usize]) -> u128 {
    let (mut a, mut b) = (members.len() as u64, !(members.len() as u64));
    for &m in members {
        a = mix(a ^ m as u64);
        b = mix(b.wrapping_add(m as u64).rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15);
    }
    (u128::from(a) << 64) | u128::from(b)
}

/// A text's shingles cut to 16 bits (the four quarters of each hash folded together),
/// sorted and distinct.
fn folded(set: &[u64]) -> Box<[u16]> {
    let mut v: Vec<u16> = set
        .iter()
        .map(|&h| {
            let x = h ^ (h >> 32);
            (x ^ (x >> 16)) as u16
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v.into_boxed_slice()
}

/// [`near_duplicates_by`] for `n` texts whose shingle sets `shingles_of(i)` makes on demand,
/// without holding them: a check would hold every article's set (at 100k documents, 41
/// million 64-bit shingles). Each text keeps its band keys, the size of its set and its
/// shingles cut to 16 bits ([`folded`]). A candidate pair is first bounded on the cut sets
/// ([`may_reach`]): a pair whose similarity cannot reach the threshold is dropped. The pairs
/// left are measured again on the exact sets, made anew. The pairs and similarities are those
/// of [`near_duplicates_by`] on the exact sets.
pub fn near_duplicates_lazy(
    n: usize,
    shingles_of: impl Fn(usize) -> Vec<u64> + Sync,
    threshold: f64,
    candidates: impl Fn(&[usize], &mut dyn FnMut(usize, usize)),
) -> Vec<(usize, usize, f64)> {
    assert!(n <= u32::MAX as usize, "too many sets");
    // Sets of fewer than two shingles have no signature: they are no evidence of copying.
    // Only the texts with one are held, in text order, found through each text's slot (the
    // caller may hand texts that get no shingles at all, such as boilerplate).
    // Made a chunk at a time on every core: a parallel `filter_map` would gather its pieces
    // and copy them into one list (two copies of 300 bytes per text at their peak).
    type Made = ([u64; BANDS], Box<[u16]>, u32);
    const CHUNK: usize = 1 << 14;
    let mut made: Vec<(u32, Made)> = Vec::new();
    for start in (0..n).step_by(CHUNK) {
        let chunk: Vec<Option<Made>> = (start..n.min(start + CHUNK))
            .into_par_iter()
            .map(|i| {
                let set = shingles_of(i);
                if set.len() < 2 {
                    return None;
                }
                let size = u32::try_from(set.len()).expect("a text's shingles fit in 32 bits");
                Some((band_keys(&signature(&set)), folded(&set), size))
            })
            .collect();
        made.extend(
            chunk
                .into_iter()
                .enumerate()
                .filter_map(|(k, m)| Some(((start + k) as u32, m?))),
        );
    }
    made.shrink_to_fit();
    let mut slot = vec![u32::MAX; n];
    for (x, (i, _)) in made.iter().enumerate() {
        slot[*i as usize] = x as u32;
    }
    let keys: Vec<(u32, &[u64; BANDS])> = made.iter().map(|(i, (k, _, _))| (*i, k)).collect();
    let pairs = candidate_pairs(&keys, candidates);
    drop(keys);
    let cut = |i: usize| {
        let x = slot[i];
        (x != u32::MAX).then(|| {
            let (_, c, n) = &made[x as usize].1;
            (&c[..], *n as usize)
        })
    };
    let close: Vec<u64> = pairs
        .into_par_iter()
        .filter(|&p| {
            let (i, j) = unpack(p);
            match (cut(i), cut(j)) {
                (Some(a), Some(b)) => may_reach(a, b, threshold),
                _ => true,
            }
        })
        .collect();
    // Exact sets made again, each text's once per run of pairs that start with it.
    let starts: Vec<&[u64]> = close.chunk_by(|x, y| x >> 32 == y >> 32).collect();
    starts
        .par_iter()
        .flat_map_iter(|run| {
            let a = shingles_of(unpack(run[0]).0);
            run.iter()
                .filter_map(|&p| {
                    let (i, j) = unpack(p);
                    jaccard_at_least(&a, &shingles_of(j), threshold).map(|s| (i, j, s))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether two sets, each given by its shingles cut to 16 bits ([`folded`]) and its exact
/// size, may have a Jaccard similarity of `threshold` or more. A bound, never too low: each
/// shingle common to both sets stays common once cut, so the exact sets have at most as many
/// in common as the cut ones, plus the shingles that fell together with another of their own
/// set (at most as many as the fewer such of either set); the similarity then is at most
/// that count over the sizes' sum less it.
fn may_reach((a, na): (&[u16], usize), (b, nb): (&[u16], usize), threshold: f64) -> bool {
    let fell = (na - a.len()).min(nb - b.len());
    let common = (common_sorted(a, b) + fell).min(na).min(nb);
    let union = na + nb - common;
    union > 0 && common as f64 / union as f64 >= threshold
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

    /// Sets of random shingles with near copies at every similarity, some of them with two
    /// shingles that fall on one 32-bit value.
    fn sets_with_near_copies(n: usize) -> Vec<Vec<u64>> {
        let mut state = 7u64;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix(state)
        };
        let mut sets = Vec::new();
        while sets.len() < n {
            let len = 2 + (next() % 80) as usize;
            let mut base: Vec<u64> = (0..len).map(|_| next()).collect();
            if next() % 4 == 0 {
                // Two shingles that fold to the same 32 bits.
                let x = next();
                base.push(x);
                base.push(x ^ 0x0000_0001_0000_0001);
            }
            for _ in 0..1 + next() % 4 {
                let mut copy = base.clone();
                for v in copy.iter_mut() {
                    if next() % 10 < next() % 6 {
                        *v = next();
                    }
                }
                copy.sort_unstable();
                copy.dedup();
                sets.push(copy);
            }
            base.sort_unstable();
            base.dedup();
            sets.push(base);
        }
        sets.push(vec![next()]);
        sets.push(Vec::new());
        sets
    }

    #[test]
    fn shingles_folded_to_16_bits_bound_the_similarity_from_above() {
        assert_eq!(&folded(&[3, 5, 9])[..], &[3u16, 5, 9][..]);
        // Two shingles that fall on one value.
        assert_eq!(&folded(&[1, 1 << 32])[..], &[1u16][..]);
        assert_eq!(&folded(&[1, 1 << 16, 1 << 48])[..], &[1u16][..]);
        // Sets with shingles fallen together, and sets sharing shingles that fell: the bound
        // is never under the exact similarity, and equals it without collisions.
        let sets = sets_with_near_copies(400);
        for a in &sets {
            for b in sets.iter().take(60) {
                let exact = jaccard(a, b);
                let (ca, cb) = (folded(a), folded(b));
                for t in [0.3, 0.5, 0.8, exact] {
                    if exact >= t && !a.is_empty() && !b.is_empty() {
                        assert!(may_reach((&ca, a.len()), (&cb, b.len()), t));
                    }
                }
            }
        }
    }

    #[test]
    fn sets_made_on_demand_give_the_pairs_of_sets_held() {
        let sets = sets_with_near_copies(3_000);
        for threshold in [0.3, 0.5, 0.8] {
            let held = near_duplicates(&sets, threshold);
            let made = near_duplicates_lazy(
                sets.len(),
                |i| sets[i].clone(),
                threshold,
                |members, out| {
                    if members.len() <= MAX_BUCKET {
                        for x in 0..members.len() {
                            for y in x + 1..members.len() {
                                out(members[x], members[y]);
                            }
                        }
                    }
                },
            );
            assert!(held.len() > 100, "{threshold}: {}", held.len());
            assert_eq!(held, made, "threshold {threshold}");
        }
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
        // Every count of syllables, syllables of unequal lengths, runs of separators,
        // combining marks, letters outside Vietnamese.
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

    /// A small deterministic generator (splitmix64 of a counter).
    fn numbers(seed: u64) -> impl Iterator<Item = u64> {
        (0u64..).map(move |k| mix(seed.wrapping_add(k.wrapping_mul(0x9e37_79b9_7f4a_7c15))))
    }

    #[test]
    fn block_and_branch_free_merges_count_what_a_plain_merge_counts() {
        let mut draw = numbers(1);
        for round in 0..400 {
            // Two sets drawn from a small range so that they share many elements, of sizes
            // around and past the blocks of eight.
            let range = 8 + round % 200;
            let (n, m) = (draw.next().unwrap() % 120, draw.next().unwrap() % 120);
            let mut set = |n: u64| -> Vec<u64> {
                let mut s: Vec<u64> = (0..n).map(|_| draw.next().unwrap() % range).collect();
                s.sort_unstable();
                s.dedup();
                s
            };
            let (a, b) = (set(n), set(m));
            let plain = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            for need in [0, plain / 2, plain, plain + 1, a.len().min(b.len())] {
                for got in [
                    common(&a, &b, need),
                    common_by::<true>(&a, &b, need),
                    common_by::<false>(&a, &b, need),
                ] {
                    // The count, or `None` only when it is short of the need.
                    match got {
                        Some(x) => assert_eq!(x, plain, "{a:?} {b:?}"),
                        None => assert!(plain < need, "{a:?} {b:?} {need}"),
                    }
                    if plain >= need {
                        assert_eq!(got, Some(plain));
                    }
                }
            }
        }
    }

    #[test]
    fn sorts_agree_with_the_standard_sort() {
        let mut draw = numbers(2);
        for n in [0usize, 1, 2, 7, 100, 5000] {
            // Keys with many repeats (buckets) and texts in ascending order, as in a band.
            let keys: Vec<u64> = (0..n / 3 + 1).map(|_| draw.next().unwrap()).collect();
            let v: Vec<(u64, u32)> = (0..n)
                .map(|i| (keys[draw.next().unwrap() as usize % keys.len()], i as u32))
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            assert_eq!(sort_hashed(&v), want);
            let mut pairs: Vec<u64> = (0..n)
                .map(|_| {
                    let x = draw.next().unwrap();
                    ((x >> 40) % 3000) << 32 | (x % 5000)
                })
                .collect();
            let mut want = pairs.clone();
            want.sort_unstable();
            radix_sort(&mut pairs);
            assert_eq!(pairs, want);
            let mut wide: Vec<u64> = (0..n).map(|_| draw.next().unwrap()).collect();
            let mut want = wide.clone();
            want.sort_unstable();
            radix_sort(&mut wide);
            assert_eq!(wide, want);
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
