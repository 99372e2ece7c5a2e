//! Crash safety: `kill -9` at random moments, 30 times during ingest and 30 times during index
//! commits (`rasoat reindex`, and the index update that ends an ingest). After every kill the
//! store and the index open, the store holds every document whose ingest was reported done
//! (`ingest --events` prints a line once a file's transaction is committed), and after the next
//! ingest the index holds exactly the store's documents at the store's revision.
//!
//! The moments are drawn from a seed printed at the start (`RASOAT_CRASH_SEED` replays one).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rasoat::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_rasoat");
const KILLS: usize = 30;
const FILES: usize = 60;

/// A small deterministic generator (xorshift), seeded per test.
struct Rng(u64);

impl Rng {
    fn seeded(name: &str) -> Rng {
        let seed = std::env::var("RASOAT_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("{name}: RASOAT_CRASH_SEED={seed}");
        Rng(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn marker(round: usize) -> String {
    format!("vòng thử số {round}")
}

/// Writes the corpus as it is in `round`: every file's text names the round, so every file
/// changes and is ingested again.
fn write_corpus(dir: &Path, round: usize, only: Option<&BTreeSet<usize>>) {
    for i in 1..=FILES {
        if only.is_some_and(|o| !o.contains(&i)) {
            continue;
        }
        let text = format!(
            "ỦY BAN NHÂN DÂN\nHUYỆN TÂN PHONG\n\nSố: {i}/2021/QĐ-UBND\n\
             Tân Phong, ngày 05 tháng 3 năm 2021\n\nQUYẾT ĐỊNH\nVề việc thử số {i}\n\n\
             QUYẾT ĐỊNH:\n\nĐiều 1. Nội dung {m}, văn bản {i}.\n\n\
             Điều 2. Quyết định này có hiệu lực kể từ ngày 15 tháng 3 năm 2021.\n\n{}\
             TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn A\n",
            "Điều 3. Chánh Văn phòng và các cơ quan liên quan chịu trách nhiệm thi hành Quyết định này.\n\n"
                .repeat(4),
            m = marker(round),
        );
        std::fs::write(dir.join(format!("doc-{i:03}.txt")), text).unwrap();
    }
}

/// A running command whose stdout lines are collected as they come.
struct Running {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    reader: std::thread::JoinHandle<()>,
    started: Instant,
}

fn spawn(data: &Path, args: &[&str]) -> Running {
    let mut child = Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("RASOAT_RULES")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("rasoat runs");
    let out = child.stdout.take().unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    let reader = std::thread::spawn(move || {
        for l in BufReader::new(out).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(l);
        }
    });
    Running {
        child,
        lines,
        reader,
        started: Instant::now(),
    }
}

impl Running {
    fn events(&self) -> usize {
        self.lines.lock().unwrap().len()
    }

    /// SIGKILL, then the lines read before the kill.
    fn kill(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reader.join().unwrap();
        let l = self.lines.lock().unwrap().clone();
        l
    }

    fn finish(mut self) -> (bool, Vec<String>, Duration) {
        let ok = self.child.wait().unwrap().success();
        let took = self.started.elapsed();
        self.reader.join().unwrap();
        let l = self.lines.lock().unwrap().clone();
        (ok, l, took)
    }
}

/// The documents `ingest --events` reported ingested: file → id.
fn reported(lines: &[String]) -> BTreeMap<String, String> {
    lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["outcome"] == "ingested")
        .map(|v| {
            (
                v["file"].as_str().unwrap().to_string(),
                v["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The store opens and is sound; every reported document is there, from its file, with the
/// content of `round`; every other document has the content of `round` or of `round - 1`.
fn check_store(data: &Path, round: usize, done: &BTreeMap<String, String>) {
    let store = Store::open_existing(data).expect("the store opens after kill -9");
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let docs = store.documents().unwrap();
    assert_eq!(
        docs.len(),
        FILES,
        "round {round}: every document is still there"
    );
    let by_id: BTreeMap<&str, &rasoat::model::Document> =
        docs.iter().map(|d| (d.id.as_str(), d)).collect();
    for (file, id) in done {
        let d = by_id
            .get(id.as_str())
            .unwrap_or_else(|| panic!("round {round}: {id} reported done, not in the store"));
        assert_eq!(d.source.as_deref(), Some(file.as_str()));
        let json = serde_json::to_string(d).unwrap();
        assert!(
            json.contains(&marker(round)),
            "round {round}: {id} reported done with older content"
        );
    }
    for d in &docs {
        let json = serde_json::to_string(d).unwrap();
        assert!(
            json.contains(&marker(round)) || round > 0 && json.contains(&marker(round - 1)),
            "round {round}: {} has content older than the last complete ingest",
            d.id
        );
    }
}

/// The index opens (a damaged one is rebuilt, never fatal).
fn check_index_opens(data: &Path) {
    rasoat::index::open(data).expect("the index opens after kill -9");
}

/// After a complete ingest: the index holds exactly the store's documents, at its revision.
fn check_agree(data: &Path) {
    let store = Store::open_existing(data).unwrap();
    let mut ids: Vec<String> = store
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    ids.sort();
    let idx = rasoat::index::open(data).unwrap();
    assert_eq!(idx.document_ids().unwrap(), ids, "index and store disagree");
    assert_eq!(
        idx.stamp().map(|s| s.store_revision),
        Some(store.revision().unwrap()),
        "the index does not reflect the store's revision"
    );
}

fn ingest_to_the_end(data: &Path, src: &Path) -> Duration {
    let (ok, lines, took) = spawn(data, &["ingest", "--events", src.to_str().unwrap()]).finish();
    assert!(ok, "ingest failed");
    assert_eq!(reported(&lines).len() + unchanged(&lines), FILES);
    took
}

fn unchanged(lines: &[String]) -> usize {
    lines.iter().filter(|l| l.contains("\"unchanged\"")).count()
}

#[test]
fn kill_9_during_ingest_30_times() {
    let mut rng = Rng::seeded("kill_9_during_ingest_30_times");
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write_corpus(src.path(), 0, None);
    let full = ingest_to_the_end(data.path(), src.path());
    check_agree(data.path());
    let (mut total_done, mut killed_mid_files) = (0, 0);
    for round in 1..=KILLS {
        write_corpus(src.path(), round, None);
        let run = spawn(
            data.path(),
            &["ingest", "--events", src.path().to_str().unwrap()],
        );
        // Anywhere from the start to the end of a whole ingest.
        let wait = rng.below(full.as_millis() as u64 + 1);
        std::thread::sleep(Duration::from_millis(wait));
        let lines = run.kill();
        let done = reported(&lines);
        total_done += done.len();
        killed_mid_files += usize::from(done.len() < FILES);
        check_store(data.path(), round, &done);
        check_index_opens(data.path());
        // The next ingest completes what was cut, and the index then agrees.
        ingest_to_the_end(data.path(), src.path());
        check_store(data.path(), round, &BTreeMap::new());
        check_agree(data.path());
    }
    eprintln!(
        "{KILLS} kills survived; {killed_mid_files} cut the files' loop; {total_done} documents reported done before a kill, all found"
    );
    assert!(killed_mid_files > 0, "no kill landed among the files");
}

#[test]
fn kill_9_during_index_commits_30_times() {
    let mut rng = Rng::seeded("kill_9_during_index_commits_30_times");
    let src = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write_corpus(src.path(), 0, None);
    ingest_to_the_end(data.path(), src.path());
    // How long a reindex takes, to kill inside it.
    let (ok, _, reindex) = spawn(data.path(), &["reindex"]).finish();
    assert!(ok);
    check_agree(data.path());
    let mut round = 0;
    for kill in 1..=KILLS {
        if kill % 2 == 1 {
            // `rasoat reindex`: removes the index and writes it again.
            let run = spawn(data.path(), &["reindex"]);
            std::thread::sleep(Duration::from_millis(
                rng.below(reindex.as_millis() as u64 + 1),
            ));
            run.kill();
        } else {
            // The index update at the end of an ingest of 10 changed files: killed after
            // every file is reported, while the relations and the index are written.
            round += 1;
            let changed: BTreeSet<usize> = (0..10)
                .map(|_| 1 + rng.below(FILES as u64) as usize)
                .collect();
            write_corpus(src.path(), round, Some(&changed));
            let run = spawn(
                data.path(),
                &["ingest", "--events", src.path().to_str().unwrap()],
            );
            let t = Instant::now();
            while run.events() < FILES && t.elapsed() < Duration::from_secs(120) {
                std::thread::sleep(Duration::from_millis(2));
            }
            std::thread::sleep(Duration::from_millis(
                rng.below(reindex.as_millis() as u64 + 1),
            ));
            let lines = run.kill();
            let done = reported(&lines);
            assert_eq!(done.len(), changed.len(), "every changed file was reported");
            let store = Store::open_existing(data.path()).unwrap();
            assert_eq!(store.integrity_check().unwrap(), "ok");
            let docs = store.documents().unwrap();
            for id in done.values() {
                let d = docs
                    .iter()
                    .find(|d| &d.id == id)
                    .expect("reported document stored");
                assert!(serde_json::to_string(d).unwrap().contains(&marker(round)));
            }
        }
        check_index_opens(data.path());
        // A search right after the kill answers (it rebuilds or updates the index).
        let out = Command::new(BIN)
            .arg("--data")
            .arg(data.path())
            .args(["search", "--format", "json", "quyết định"])
            .env_remove("RASOAT_RULES")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        ingest_to_the_end(data.path(), src.path());
        check_agree(data.path());
    }
    eprintln!(
        "{KILLS} kills during index commits survived ({} reindex, {} ingest)",
        KILLS.div_ceil(2),
        KILLS / 2
    );
}
