//! rasoat's search index against SQLite FTS5, side by side, on the same entries and queries.
//!
//! `cargo bench --bench search_vs_fts5` parses the seed, `corpus/` and the texts of
//! `../shared/corpus-real/` with rasoat's parser, makes the index entries (one per provision,
//! one per document), and
//! 1. builds rasoat's tantivy index from them, timed;
//! 2. writes them to a temp JSONL that `benches/fts5_bench.py` loads into an FTS5 table
//!    (`unicode61 remove_diacritics 2`, python3's sqlite3), timed there;
//! 3. runs the same 50 fixed queries on both, [`REPS`] times each: ranked top-10;
//! 4. prints a table: build time, p50/p99 latency, and how many queries each answers
//!    correctly. A query is answered correctly when its expected provision, known by
//!    construction of the list (each query was made from words of that provision), is in the
//!    top 10.
//!
//! The queries come in pairs: typed with diacritics, then without. Some are phrases of common
//! syllable pairs (`"hành chính"`, the slow case of a positional index), some have `đ` words
//! (which FTS5 does not fold: `dinh` misses `định`).
//!
//! rasoat's latency is measured twice: the ranked top 10 with each hit's id, path and status
//! (what FTS5's ranked top-10 rowids compare with), and the same with the total count of
//! matches and the snippets, as `rasoat search` answers.
//! Set `RASOAT_BENCH_KEEP=DIR` to keep the JSONL and results there, and
//! `RASOAT_BENCH_PROFILE=1` to run only rasoat's ranking, many times (for `perf record`).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The allocator the `rasoat` binary uses, so the figures are the shipped ones.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rasoat::index::{entries, Entry, SearchIndex, SearchOptions, Stamp, TotalCount};
use rasoat::model::Document;
use rasoat::timeline::{LawPeriods, Registry, Timeline};
use rayon::prelude::*;

#[path = "peers/fts5.rs"]
mod fts5;

/// How many times each query runs on each side.
const REPS: usize = 20;

/// (query, expected document, expected provision).
const QUERIES: &[(&str, &str, &str)] = &include!("search_queries.in");

fn load() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared");
    let mut files: Vec<PathBuf> = vec![shared.join("seeds/xuan-loc-cchc-2021-2030.txt")];
    for dir in [
        root.join("corpus"),
        shared.join("corpus-real/tvpl-2025"),
        shared.join("corpus-real/nq-ubtvqh15"),
        shared.join("corpus-real/phapdien"),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut v: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "md" || e == "txt")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("README"))
            })
            .collect();
        v.sort();
        files.extend(v);
    }
    let mut docs: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect();
    if let Ok(rd) = std::fs::read_dir(shared.join("corpus-real/codes")) {
        let mut v: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        v.sort();
        for p in v {
            if p.extension().is_some_and(|x| x == "gz") {
                let mut s = String::new();
                let Ok(f) = std::fs::File::open(&p) else {
                    continue;
                };
                if flate2::read::GzDecoder::new(f)
                    .read_to_string(&mut s)
                    .is_err()
                {
                    continue;
                }
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&s) else {
                    continue;
                };
                if let Some(t) = v["raw_text"].as_str() {
                    docs.push((p.display().to_string(), t.to_string()));
                }
            }
        }
    }
    docs
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn main() {
    let keep = std::env::var_os("RASOAT_BENCH_KEEP").map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("temp dir");
    let work = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&work).expect("work dir");

    let texts = load();
    let mb = texts.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6;
    let mut docs: Vec<Document> = texts
        .par_iter()
        .map(|(name, t)| rasoat::parse::parse_document(name, t))
        .collect();
    // Ids are unique in a store; here a repeated id gets a suffix.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for d in &mut docs {
        let n = seen.entry(d.id.clone()).or_default();
        *n += 1;
        if *n > 1 {
            d.id = format!("{}@{}", d.id, n);
        }
    }
    let t = Timeline::build(&docs, &Registry::builtin(), &LawPeriods::builtin());
    let dates = entries::change_dates(&t);
    let all: Vec<(String, Vec<Entry>)> = docs
        .iter()
        .map(|d| (d.id.clone(), entries::entries_of(d, &t, dates.get(&d.id))))
        .collect();
    let mut rowid_of: BTreeMap<(String, String), usize> = BTreeMap::new();
    let jsonl = work.join("entries.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&jsonl).expect("jsonl"));
        let mut rowid = 0usize;
        for (_, es) in &all {
            for e in es {
                rowid += 1;
                rowid_of.insert(
                    (e.document.clone(), e.provision.clone().unwrap_or_default()),
                    rowid,
                );
                let line = serde_json::json!({
                    "rowid": rowid,
                    "document": e.document,
                    "provision": e.provision,
                    "text": e.text,
                });
                writeln!(f, "{line}").expect("write");
            }
        }
    }
    let n_entries = rowid_of.len();
    for (q, d, p) in QUERIES {
        assert!(
            rowid_of.contains_key(&(d.to_string(), p.to_string())),
            "query {q:?}: no entry {d} / {p}"
        );
    }

    // rasoat: build.
    let t0 = Instant::now();
    let mut idx = SearchIndex::create(&work.join("index")).expect("index");
    idx.write(
        &all,
        &[],
        &Stamp {
            schema: 0,
            store_revision: 0,
            rules: String::new(),
        },
    )
    .expect("write");
    let rasoat_build = t0.elapsed().as_secs_f64();

    // rasoat: queries.
    let parsed: Vec<_> = QUERIES
        .iter()
        .map(|(q, _, _)| rasoat::index::parse(q).expect("query parses"))
        .collect();
    let run = |full: bool| {
        let opts = SearchOptions {
            as_of: "2026-11-29".parse().unwrap(),
            in_force: false,
            limit: 10,
            snippets: full,
            count: if full {
                TotalCount::UpTo(rasoat::index::TOTAL_COUNTED_UP_TO)
            } else {
                TotalCount::Hits
            },
        };
        let mut lat = Vec::new();
        let mut correct = vec![false; QUERIES.len()];
        for rep in 0..=REPS {
            for (i, ((q, d, p), pq)) in QUERIES.iter().zip(&parsed).enumerate() {
                let s = Instant::now();
                let r = idx.search_parsed(q, pq, &opts).expect("search");
                let dt = s.elapsed().as_secs_f64();
                // Round 0 warms the caches and checks the answers.
                if rep == 0 {
                    correct[i] = r
                        .hits
                        .iter()
                        .any(|h| h.document == *d && h.provision.as_deref() == Some(*p));
                } else {
                    lat.push(dt);
                }
            }
        }
        (lat, correct)
    };
    if std::env::var_os("RASOAT_BENCH_PROFILE").is_some() {
        // Only the ranking, many times over: for `perf record`.
        for _ in 0..50 {
            run(false);
        }
        return;
    }
    let (mut lat_hits, correct) = run(false);
    let (mut lat_snip, _) = run(true);

    // FTS5.
    let fts_queries: Vec<&str> = QUERIES.iter().map(|(q, _, _)| *q).collect();
    let fts = fts5::run(&work, &jsonl, &fts_queries, REPS);
    let fts_build = fts.build_seconds;
    let mut fts_lat = fts.latencies.clone();
    let fts_correct: Vec<bool> = QUERIES
        .iter()
        .zip(&fts.top)
        .map(|((_, d, p), top)| {
            let want = rowid_of[&(d.to_string(), p.to_string())] as u64;
            top.contains(&want)
        })
        .collect();

    // Phrases of common syllable pairs, on their own.
    let phrase_idx: Vec<usize> = QUERIES
        .iter()
        .enumerate()
        .filter(|(_, (q, _, _))| q.contains('"'))
        .map(|(i, _)| i)
        .collect();
    let mut phrase_lat: Vec<f64> = lat_hits
        .chunks(QUERIES.len())
        .flat_map(|c| phrase_idx.iter().map(|&i| c[i]).collect::<Vec<_>>())
        .collect();

    let ms = |x: f64| x * 1e3;
    let n = QUERIES.len();
    let rc = correct.iter().filter(|&&c| c).count();
    let fc = fts_correct.iter().filter(|&&c| c).count();
    let both = correct
        .iter()
        .zip(&fts_correct)
        .filter(|(r, f)| **f && !**r)
        .count();
    let p50_r = percentile(&mut lat_hits, 0.5);
    let p99_r = percentile(&mut lat_hits, 0.99);
    let p50_s = percentile(&mut lat_snip, 0.5);
    let p99_s = percentile(&mut lat_snip, 0.99);
    let p50_f = percentile(&mut fts_lat, 0.5);
    let p99_f = percentile(&mut fts_lat, 0.99);
    println!(
        "search_vs_fts5: {} documents, {n_entries} entries (provisions + documents), {mb:.1} MB of source text; {n} queries × {REPS} runs; SQLite {}",
        docs.len(),
        fts.sqlite_version
    );
    println!();
    println!("| engine | build (s) | p50 (ms) | p99 (ms) | correct (of {n}) |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    println!(
        "| rasoat (tantivy), ranked top-10 hits with status | {rasoat_build:.2} | {:.3} | {:.3} | {rc} |",
        ms(p50_r),
        ms(p99_r)
    );
    println!(
        "| rasoat (tantivy), as `rasoat search`: + total count + snippets | — | {:.3} | {:.3} | {rc} |",
        ms(p50_s),
        ms(p99_s)
    );
    println!(
        "| SQLite FTS5 (unicode61 remove_diacritics 2), ranked top-10 | {fts_build:.2} | {:.3} | {:.3} | {fc} |",
        ms(p50_f),
        ms(p99_f)
    );
    println!();
    println!(
        "rasoat p50 = 1/{:.0} of FTS5's; phrase queries p99 {:.3} ms; queries FTS5 answers and rasoat misses: {both}",
        p50_f / p50_r,
        ms(percentile(&mut phrase_lat, 0.99))
    );
    for (i, (q, _, _)) in QUERIES.iter().enumerate() {
        if !correct[i] || !fts_correct[i] {
            println!(
                "  {:<48} rasoat {}  fts5 {}",
                q,
                if correct[i] { "yes" } else { "NO " },
                if fts_correct[i] { "yes" } else { "no" }
            );
        }
    }
    let targets = [
        ("answers every query FTS5 answers", both == 0),
        ("p50 at most 1/20 of FTS5's", p50_r * 20.0 <= p50_f),
        ("p99 under 50 ms", p99_r < 0.050),
    ];
    for (what, met) in targets {
        println!("target: {what}: {}", if met { "met" } else { "MISSED" });
    }
}
