//! Parse throughput over the whole real corpus, on one core, normalisation included.
//!
//! `cargo bench --bench parse_throughput` reads every text of `../shared/corpus-real/`
//! (library pages, resolutions, codes, codification topics) and the seed, then parses them
//! all several times and reports MB/s (median and best of the rounds).

use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// The allocator the `rasoat` binary uses, so the figure is the shipped one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn load() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut docs = Vec::new();
    for sub in [
        "corpus-real/tvpl-2025",
        "corpus-real/nq-ubtvqh15",
        "corpus-real/phapdien",
        "seeds",
    ] {
        let Ok(rd) = std::fs::read_dir(root.join(sub)) else {
            continue;
        };
        let mut paths: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "md" || e == "txt") {
                if let Ok(s) = std::fs::read_to_string(&p) {
                    docs.push((p.display().to_string(), s));
                }
            }
        }
    }
    if let Ok(rd) = std::fs::read_dir(root.join("corpus-real/codes")) {
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "gz") {
                let mut s = String::new();
                if let Ok(f) = std::fs::File::open(&p) {
                    if flate2::read::GzDecoder::new(f)
                        .read_to_string(&mut s)
                        .is_ok()
                    {
                        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&s) {
                            if let Some(raw) = v["raw_text"].as_str() {
                                docs.push((p.display().to_string(), raw.to_string()));
                            }
                        }
                    }
                }
            }
        }
    }
    docs
}

fn main() {
    let docs = load();
    if docs.is_empty() {
        println!("parse_throughput: no real corpus found under ../shared; nothing measured");
        return;
    }
    let bytes: usize = docs.iter().map(|d| d.1.len()).sum();
    let rounds = 7;
    let mut rates = Vec::new();
    let mut provisions = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        provisions = 0;
        for (name, text) in &docs {
            let d = rasoat::parse::parse_document(name, text);
            provisions += d.all_provisions().len();
        }
        let secs = t.elapsed().as_secs_f64();
        rates.push(bytes as f64 / 1e6 / secs);
    }
    rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut norm_rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for (_, text) in &docs {
            std::hint::black_box(rasoat::text::normalize_document(text));
        }
        norm_rates.push(bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
    norm_rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("normalisation alone: median {:.1} MB/s", norm_rates[1]);
    let normalized: Vec<_> = docs
        .iter()
        .map(|(n, t)| (n, rasoat::text::normalize_document(t)))
        .collect();
    let mut parse_rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        for (n, norm) in &normalized {
            std::hint::black_box(rasoat::parse::parse_normalized(n, norm));
        }
        parse_rates.push(bytes as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
    parse_rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "parsing alone (of the source bytes): median {:.1} MB/s",
        parse_rates[1]
    );
    println!(
        "parse_throughput: {} documents, {:.2} MB, {} provisions; median {:.1} MB/s, best {:.1} MB/s over {rounds} rounds (one core, normalisation included)",
        docs.len(),
        bytes as f64 / 1e6,
        provisions,
        rates[rounds / 2],
        rates[rounds - 1]
    );
}
