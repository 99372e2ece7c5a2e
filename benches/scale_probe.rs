//! In-process measurements of `benches/scale.py` on a generated corpus and its store; each
//! prints one JSON line.
//!
//! - `cargo bench --bench scale_probe -- parse CORPUS_DIR`: parse MB/s over every `.txt`
//!   (normalisation included), on all cores and on one.
//! - `… -- search DATA_DIR WORK_DIR`: rasoat's index of DATA_DIR against SQLite FTS5
//!   (`benches/fts5_bench.py`) on the same provisions and the same fixed queries, ranked top
//!   10: latency p50/p99, FTS5's insert throughput, and how many queries each answers (the
//!   queries are two exact phrases taken from one provision, typed with and without
//!   diacritics, and phrases common to most documents). With `--no-peer` after WORK_DIR,
//!   rasoat's alone (to compare two builds of the index).
//! - `… -- overlap DATA_DIR EXPECTED.json WORK_DIR`: rasoat's MinHash/LSH near-duplicate
//!   detection over every article and clause against datasketch's MinHashLSH
//!   (`benches/minhash_peer.py`) at the same threshold, with the recall of the planted
//!   overlaps of `EXPECTED.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;

/// The allocator the `rasoat` binary uses, so the figures are the shipped ones.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rasoat::index::{entries, SearchOptions, TotalCount};
use rasoat::model::{Document, Provision, ProvisionKind};
use rasoat::rules::overlap::{near_duplicates, shingles};
use rasoat::store::Store;
use rasoat::timeline::{LawPeriods, Registry, Timeline};

#[path = "peers/fts5.rs"]
mod fts5;

const AS_OF: &str = "2024-12-31";
const REPS: usize = 20;
const THRESHOLD: f64 = 0.5;

fn txt_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            txt_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn parse(dir: &Path) -> serde_json::Value {
    let mut files = Vec::new();
    txt_files(dir, &mut files);
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(p).ok()?)))
        .collect();
    let mb = texts.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6;
    let t0 = Instant::now();
    let provisions: usize = texts
        .par_iter()
        .map(|(n, t)| rasoat::parse::parse_document(n, t).all_provisions().len())
        .sum();
    let all = t0.elapsed().as_secs_f64();
    // One core, on the first 5,000 documents at most.
    let some = &texts[..texts.len().min(5000)];
    let mb_one = some.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6;
    let t0 = Instant::now();
    let n1: usize = some
        .iter()
        .map(|(n, t)| rasoat::parse::parse_document(n, t).all_provisions().len())
        .sum();
    let one = t0.elapsed().as_secs_f64();
    serde_json::json!({
        "documents": texts.len(),
        "mb": mb,
        "provisions": provisions,
        "seconds": all,
        "mb_per_s": mb / all,
        "threads": rayon::current_num_threads(),
        "mb_per_s_one_core": mb_one / one,
        "one_core_documents": some.len(),
        "one_core_provisions": n1,
    })
}

fn load(data: &Path) -> (Vec<Document>, Timeline) {
    let store = Store::open_existing(data).expect("store");
    let docs = store.documents().expect("documents");
    let t = Timeline::build(&docs, &Registry::builtin(), &LawPeriods::builtin());
    (docs, t)
}

/// Two exact phrases of one provision: `tại` and the four words after it, twice.
fn phrases_of(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let starts: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| **w == "tại" && i + 5 <= words.len())
        .map(|(i, _)| i)
        .collect();
    if starts.len() < 2 {
        return None;
    }
    let p = |i: usize| words[i..i + 5].join(" ");
    Some(format!("\"{}\" \"{}\"", p(starts[0]), p(starts[1])))
}

/// A query, the provision it was made from (document, path) if any, and whether it is the
/// unaccented form.
type Query = (String, Option<(String, String)>, bool);

/// Search latency and answers of rasoat's index over `data`; with `peer`, FTS5's too, on the
/// same provisions and queries.
fn search(data: &Path, work: &Path, peer: bool) -> serde_json::Value {
    std::fs::create_dir_all(work).expect("work dir");
    let (docs, t) = load(data);
    let dates = entries::change_dates(&t);
    let mut rowid_of: BTreeMap<(String, String), usize> = BTreeMap::new();
    let jsonl = work.join("entries.jsonl");
    let mut text_bytes = 0usize;
    // Specific queries: from every n-th provision entry with two places named.
    let mut specific: Vec<(String, String, String)> = Vec::new();
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&jsonl).expect("jsonl"));
        let mut rowid = 0usize;
        let step = (docs.len() / 25).max(1);
        for (k, d) in docs.iter().enumerate() {
            for e in entries::entries_of(d, &t, dates.get(&d.id)) {
                rowid += 1;
                let prov = e.provision.clone().unwrap_or_default();
                rowid_of.insert((e.document.clone(), prov.clone()), rowid);
                text_bytes += e.text.len();
                if k % step == 0 && specific.len() < 25 && !prov.is_empty() {
                    if let Some(q) = phrases_of(&e.text) {
                        if !specific.iter().any(|(_, dd, _)| *dd == e.document) {
                            specific.push((q, e.document.clone(), prov.clone()));
                        }
                    }
                }
                let line = serde_json::json!({"rowid": rowid, "text": e.text});
                writeln!(f, "{line}").expect("write");
            }
        }
    }
    // Each specific query with and without diacritics; then common phrases.
    let mut queries: Vec<Query> = Vec::new();
    for (q, d, p) in &specific {
        queries.push((q.clone(), Some((d.clone(), p.clone())), false));
        queries.push((rasoat::text::fold(q), Some((d.clone(), p.clone())), true));
    }
    for q in [
        "\"bảo đảm an toàn\"",
        "\"theo đúng phân cấp quản lý\"",
        "\"ủy ban nhân dân\"",
        "\"thủ tục\" \"thời hạn giải quyết\"",
        "\"hành chính\"",
    ] {
        queries.push((q.to_string(), None, false));
        queries.push((rasoat::text::fold(q), None, true));
    }
    // The index as this build of rasoat writes it (rebuilt if another build wrote it).
    let t0 = Instant::now();
    let sync = rasoat::index::sync_with_store(data).expect("index sync");
    let sync_s = t0.elapsed().as_secs_f64();
    let idx = rasoat::index::open(data).expect("index");
    let ranked = SearchOptions {
        as_of: AS_OF.parse().unwrap(),
        in_force: false,
        limit: 10,
        snippets: false,
        count: TotalCount::Hits,
    };
    let parsed: Vec<_> = queries
        .iter()
        .map(|(q, _, _)| rasoat::index::parse(q).expect("query parses"))
        .collect();
    // Latencies of REPS rounds over the queries (after one round unmeasured), and the
    // answers of the first round.
    let time = |opts: &SearchOptions| {
        let mut lat = Vec::new();
        let mut first = Vec::new();
        for rep in 0..=REPS {
            for (q, pq) in queries.iter().zip(&parsed) {
                let s = Instant::now();
                let r = idx.search_parsed(&q.0, pq, opts).expect("search");
                let dt = s.elapsed().as_secs_f64();
                if rep == 0 {
                    first.push(r);
                } else {
                    lat.push(dt);
                }
            }
        }
        (lat, first)
    };
    let (mut lat, first) = time(&ranked);
    let correct: Vec<bool> = queries
        .iter()
        .zip(&first)
        .map(|((_, want, _), r)| match want {
            Some((d, p)) => r
                .hits
                .iter()
                .any(|h| h.document == *d && h.provision.as_deref() == Some(p.as_str())),
            None => !r.hits.is_empty(),
        })
        .collect();
    // As `rasoat search` and the API answer (the total counted up to its limit, snippets),
    // and with the exact total.
    let answered = SearchOptions {
        snippets: true,
        count: TotalCount::UpTo(rasoat::index::TOTAL_COUNTED_UP_TO),
        ..ranked.clone()
    };
    let (mut lat_answered, with_limit) = time(&answered);
    let exact = SearchOptions {
        count: TotalCount::Exact,
        ..answered.clone()
    };
    let (mut lat_exact, with_exact) = time(&exact);
    let past_limit = with_limit.iter().filter(|r| !r.total_exact).count();
    for (a, b) in with_limit.iter().zip(&with_exact) {
        assert_eq!(a.hits, b.hits, "{}: the count changed the hits", a.query);
        if a.total_exact {
            assert_eq!(a.total, b.total, "{}", a.query);
        } else {
            assert!(b.total > a.total, "{}: {} ≤ {}", a.query, b.total, a.total);
        }
    }
    let count = |c: &[bool], unaccented: bool| {
        queries
            .iter()
            .zip(c)
            .filter(|((_, w, u), ok)| w.is_some() && *u == unaccented && **ok)
            .count()
    };
    let mut result = serde_json::json!({
        "documents": docs.len(),
        "index_rebuilt": !sync.up_to_date,
        "index_sync_seconds": sync_s,
        "entries": rowid_of.len(),
        "queries": queries.len(),
        "specific_queries": specific.len() * 2,
        "reps": REPS,
        "rasoat_p50_ms": percentile(&mut lat, 0.5) * 1e3,
        "rasoat_p99_ms": percentile(&mut lat, 0.99) * 1e3,
        "answered_p50_ms": percentile(&mut lat_answered, 0.5) * 1e3,
        "answered_p99_ms": percentile(&mut lat_answered, 0.99) * 1e3,
        "exact_total_p50_ms": percentile(&mut lat_exact, 0.5) * 1e3,
        "exact_total_p99_ms": percentile(&mut lat_exact, 0.99) * 1e3,
        "queries_past_count_limit": past_limit,
        "rasoat_correct": correct.iter().filter(|c| **c).count(),
        "rasoat_correct_unaccented": count(&correct, true),
        "rasoat_correct_accented": count(&correct, false),
        "entry_text_mb": text_bytes as f64 / 1e6,
    });
    if !peer {
        return result;
    }
    // FTS5 on the same entries and queries.
    {
        let texts: Vec<&str> = queries.iter().map(|(q, _, _)| q.as_str()).collect();
        let fts = fts5::run(work, &jsonl, &texts, REPS);
        let fts_build = fts.build_seconds;
        let mut fts_lat = fts.latencies.clone();
        let fts_correct: Vec<bool> = queries
            .iter()
            .zip(&fts.top)
            .map(|((_, want, _), top)| match want {
                Some((d, p)) => {
                    let r = rowid_of[&(d.clone(), p.clone())] as u64;
                    top.contains(&r)
                }
                None => !top.is_empty(),
            })
            .collect();
        let peer = serde_json::json!({
            "fts5_p50_ms": percentile(&mut fts_lat, 0.5) * 1e3,
            "fts5_p99_ms": percentile(&mut fts_lat, 0.99) * 1e3,
            "fts5_correct": fts_correct.iter().filter(|c| **c).count(),
            "fts5_correct_unaccented": count(&fts_correct, true),
            "fts5_correct_accented": count(&fts_correct, false),
            "fts5_build_seconds": fts_build,
            "fts5_insert_mb_per_s": text_bytes as f64 / 1e6 / fts_build,
            "fts5_insert_rows_per_s": rowid_of.len() as f64 / fts_build,
            "sqlite_version": fts.sqlite_version,
        });
        for (k, v) in peer.as_object().expect("an object") {
            result[k] = v.clone();
        }
    }
    result
}

/// A provision's text with its children's, as a rule sees an article or a clause.
fn full_text(p: &Provision, out: &mut String) {
    out.push_str(&p.text);
    out.push(' ');
    for c in &p.children {
        full_text(c, out);
    }
}

fn overlap(data: &Path, expected: &Path, work: &Path) -> serde_json::Value {
    std::fs::create_dir_all(work).expect("work dir");
    let (docs, _) = load(data);
    let mut names: Vec<(String, String)> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for d in &docs {
        for p in d.all_provisions() {
            if matches!(p.kind, ProvisionKind::Article | ProvisionKind::Clause) {
                let mut s = String::new();
                full_text(p, &mut s);
                names.push((d.id.clone(), p.path.clone()));
                texts.push(s);
            }
        }
    }
    let exp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(expected).expect("EXPECTED.json"))
            .expect("json");
    let index: BTreeMap<(String, String), usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect();
    let planted: Vec<(usize, usize)> = exp["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "overlap")
        .filter_map(|f| {
            let a = (
                f["document"].as_str()?.to_string(),
                f["provision"].as_str()?.to_string(),
            );
            let r = &f["related"][0];
            let b = (
                r["document"].as_str()?.to_string(),
                r["provision"].as_str()?.to_string(),
            );
            let (i, j) = (*index.get(&a)?, *index.get(&b)?);
            Some((i.min(j), i.max(j)))
        })
        .collect();
    let t0 = Instant::now();
    let sets: Vec<Vec<u64>> = texts.par_iter().map(|t| shingles(t)).collect();
    let pairs = near_duplicates(&sets, THRESHOLD);
    let rasoat_s = t0.elapsed().as_secs_f64();
    let found: BTreeSet<(usize, usize)> = pairs.iter().map(|&(i, j, _)| (i, j)).collect();
    let recall = |f: &BTreeSet<(usize, usize)>| {
        if planted.is_empty() {
            return f64::NAN;
        }
        planted.iter().filter(|p| f.contains(p)).count() as f64 / planted.len() as f64
    };
    let mut out = serde_json::json!({
        "units": texts.len(),
        "threshold": THRESHOLD,
        "planted": planted.len(),
        "rasoat_seconds": rasoat_s,
        "rasoat_pairs": found.len(),
        "rasoat_recall": recall(&found),
        "threads": rayon::current_num_threads(),
    });
    // datasketch, unless the driver says it is not installed or the tier is too large.
    let skip = std::env::var("RASOAT_BENCH_NO_DATASKETCH").ok();
    if let Some(why) = skip {
        out["datasketch_error"] = why.into();
        return out;
    }
    let units = work.join("units.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&units).expect("units"));
        for (i, t) in texts.iter().enumerate() {
            writeln!(f, "{}", serde_json::json!({"i": i, "text": t})).expect("write");
        }
    }
    let res = work.join("datasketch.json");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/minhash_peer.py");
    let o = Command::new("python3")
        .arg(&script)
        .arg(&units)
        .arg(THRESHOLD.to_string())
        .arg(&res)
        .output()
        .expect("python3");
    let _ = std::fs::remove_file(&units);
    if !o.status.success() {
        out["datasketch_error"] = String::from_utf8_lossy(&o.stderr)
            .lines()
            .last()
            .unwrap_or("failed")
            .to_string()
            .into();
        return out;
    }
    let ds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&res).unwrap()).unwrap();
    let ds_pairs: BTreeSet<(usize, usize)> = ds["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_u64().unwrap() as usize,
                p[1].as_u64().unwrap() as usize,
            )
        })
        .collect();
    out["datasketch_seconds"] = ds["seconds"].clone();
    out["datasketch_pairs"] = ds_pairs.len().into();
    out["datasketch_recall"] = recall(&ds_pairs).into();
    out["pairs_found_by_both"] = found.intersection(&ds_pairs).count().into();
    out
}

fn main() {
    // `cargo bench` passes `--bench`; the probe's own arguments follow.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let out = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["parse", dir] => parse(Path::new(dir)),
        ["search", data, work] => search(Path::new(data), Path::new(work), true),
        ["search", data, work, "--no-peer"] => search(Path::new(data), Path::new(work), false),
        ["overlap", data, expected, work] => {
            overlap(Path::new(data), Path::new(expected), Path::new(work))
        }
        _ => {
            eprintln!("usage: scale_probe parse DIR | search DATA WORK [--no-peer] | overlap DATA EXPECTED WORK (run by benches/scale.py)");
            return;
        }
    };
    println!("{out}");
}
