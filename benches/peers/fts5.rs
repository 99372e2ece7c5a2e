//! SQLite FTS5 as the peer of rasoat's search: `benches/fts5_bench.py` loads the entries of a
//! JSONL file (`{"rowid": …, "text": …}` per line) into an FTS5 table (`unicode61
//! remove_diacritics 2`, python3's sqlite3), then runs the queries `reps` times, ranked top
//! 10. Shared by the benches that compare with it (`#[path]`-included).

use std::path::Path;
use std::process::Command;

/// What FTS5 did.
pub struct Fts5Run {
    /// Seconds to insert every entry.
    pub build_seconds: f64,
    /// Every query's latency in every round, in seconds.
    pub latencies: Vec<f64>,
    /// Each query's top 10, as row ids.
    pub top: Vec<Vec<u64>>,
    pub sqlite_version: String,
}

/// A query in FTS5's syntax: every word and phrase quoted (FTS5 then tokenizes it with the
/// table's tokenizer, and punctuation such as `468/QĐ-TTg` becomes a phrase).
pub fn query(q: &str) -> String {
    let mut out = Vec::new();
    let mut rest = q.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').unwrap_or(r.len());
            out.push(format!("\"{}\"", &r[..end]));
            rest = r.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(format!("\"{}\"", &rest[..end].replace('"', "")));
            rest = rest[end..].trim_start();
        }
    }
    out.join(" ")
}

/// Runs FTS5 over the entries of `jsonl` and the `queries` (rasoat's syntax), in `work`; the
/// database is removed afterwards.
pub fn run(work: &Path, jsonl: &Path, queries: &[&str], reps: usize) -> Fts5Run {
    let qfile = work.join("queries.json");
    let fq: Vec<String> = queries.iter().map(|q| query(q)).collect();
    std::fs::write(&qfile, serde_json::to_string(&fq).unwrap()).expect("queries");
    let out = work.join("fts5.json");
    let db = work.join("fts5.db");
    let _ = std::fs::remove_file(&db);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fts5_bench.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(jsonl)
        .arg(&qfile)
        .arg(&out)
        .arg(reps.to_string())
        .arg(&db)
        .status()
        .expect("python3");
    assert!(status.success(), "fts5_bench.py failed");
    let _ = std::fs::remove_file(&db);
    let fts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let numbers = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        v.as_array().expect("an array").clone()
    };
    Fts5Run {
        build_seconds: fts["build_seconds"].as_f64().unwrap(),
        latencies: numbers(&fts["latencies"])
            .iter()
            .flat_map(|v| numbers(v).into_iter().map(|x| x.as_f64().unwrap()))
            .collect(),
        top: numbers(&fts["top"])
            .iter()
            .map(|t| numbers(t).iter().filter_map(|x| x.as_u64()).collect())
            .collect(),
        sqlite_version: fts["sqlite_version"].as_str().unwrap_or("?").to_string(),
    }
}
