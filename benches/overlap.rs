//! Overlap detection scaling: MinHash/LSH over generated provisions (1k, 10k, 50k), with a
//! near-copy planted for one provision in twenty. Prints the time per size and per provision,
//! and how many planted copies were found; the time should grow about linearly.
//!
//! `cargo bench --bench overlap` (add `-- quick` for 1k and 10k only).

use std::time::Instant;

use rasoat::rules::overlap::{near_duplicates, shingles};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SYLLABLES: &[&str] = &[
    "hộ",
    "gia",
    "đình",
    "cá",
    "nhân",
    "được",
    "hỗ",
    "trợ",
    "thuê",
    "nhà",
    "ở",
    "thu",
    "hồi",
    "đất",
    "vỉa",
    "hè",
    "lòng",
    "đường",
    "kinh",
    "doanh",
    "buôn",
    "bán",
    "giấy",
    "phép",
    "xây",
    "dựng",
    "thời",
    "hạn",
    "giải",
    "quyết",
    "hồ",
    "sơ",
    "hợp",
    "lệ",
    "ủy",
    "ban",
    "nhân",
    "dân",
    "xã",
    "phường",
    "thị",
    "trấn",
    "phòng",
    "tư",
    "pháp",
    "hộ",
    "tịch",
    "đăng",
    "ký",
    "khai",
    "sinh",
    "kết",
    "hôn",
    "chứng",
    "thực",
    "bản",
    "sao",
    "quản",
    "lý",
    "chợ",
    "rác",
    "thải",
    "môi",
    "trường",
    "tài",
    "nguyên",
    "kế",
    "hoạch",
    "đầu",
    "tư",
    "ngân",
    "sách",
    "phí",
    "lệ",
    "mức",
    "thu",
    "nộp",
    "kiểm",
    "tra",
    "xử",
    "lý",
    "vi",
    "phạm",
    "trách",
    "nhiệm",
    "phối",
    "hợp",
    "báo",
    "cáo",
    "định",
    "kỳ",
    "hằng",
    "năm",
    "quý",
    "tháng",
    "tuần",
    "ngày",
    "làm",
    "việc",
    "cơ",
    "quan",
    "đơn",
    "vị",
    "tổ",
    "chức",
    "công",
    "dân",
    "người",
    "dân",
    "cán",
    "bộ",
];

fn sentence(rng: &mut Rng, len: usize) -> Vec<&'static str> {
    (0..len)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// A copy with about one syllable in twenty changed.
fn near_copy(rng: &mut Rng, s: &[&'static str]) -> Vec<&'static str> {
    s.iter()
        .map(|w| {
            if rng.below(20) == 0 {
                SYLLABLES[rng.below(SYLLABLES.len())]
            } else {
                w
            }
        })
        .collect()
}

fn corpus(n: usize, seed: u64) -> (Vec<String>, Vec<(usize, usize)>) {
    let mut rng = Rng(seed);
    let mut texts: Vec<Vec<&'static str>> = Vec::with_capacity(n);
    let mut planted = Vec::new();
    while texts.len() < n {
        let len = 40 + rng.below(80);
        let s = sentence(&mut rng, len);
        if texts.len() % 20 == 19 {
            let src = rng.below(texts.len());
            planted.push((src, texts.len()));
            let copy = near_copy(&mut rng, &texts[src]);
            texts.push(copy);
        } else {
            texts.push(s);
        }
    }
    (texts.into_iter().map(|t| t.join(" ")).collect(), planted)
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let sizes: &[usize] = if quick {
        &[1_000, 10_000]
    } else {
        &[1_000, 10_000, 50_000]
    };
    println!("overlap (MinHash 128 × LSH 32 bands of 4, 3-syllable shingles, threshold 0.5)");
    println!(
        "{:>8} {:>10} {:>12} {:>10} {:>14}",
        "size", "total ms", "µs/provision", "pairs", "planted found"
    );
    let mut first: Option<(usize, f64)> = None;
    for &n in sizes {
        let (texts, planted) = corpus(n, 0x5eed ^ n as u64);
        let t0 = Instant::now();
        let sets: Vec<Vec<u64>> = texts.iter().map(|t| shingles(t)).collect();
        let pairs = near_duplicates(&sets, 0.5);
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        let found = planted
            .iter()
            .filter(|(a, b)| pairs.iter().any(|(x, y, _)| (x, y) == (a, b)))
            .count();
        println!(
            "{n:>8} {ms:>10.1} {:>12.1} {:>10} {:>7}/{:<6}",
            ms * 1000.0 / n as f64,
            pairs.len(),
            found,
            planted.len()
        );
        match first {
            None => first = Some((n, ms)),
            Some((n0, ms0)) => println!(
                "         growth ×{:.1} for size ×{:.0}",
                ms / ms0,
                n as f64 / n0 as f64
            ),
        }
    }
}
