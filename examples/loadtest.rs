//! A bounded HTTP/1.1 load client for `rasoat serve`: N keep-alive connections for D seconds,
//! a mix of searches and document reads, then the latency percentiles and the count of every
//! status. Raw HTTP on tokio's `TcpStream` (no client crate): the requests are few and simple.
//!
//! ```text
//! cargo run --release --example loadtest -- --addr 127.0.0.1:8080 --connections 64 --seconds 60
//! ```
//!
//! The mix, per request: 50 % `GET /api/v1/search?q=…` over a fixed list of queries, 30 %
//! `GET /api/v1/documents/{id}`, 20 % `GET /api/v1/documents/{id}/text`, with ids read from
//! `GET /api/v1/documents?limit=1000` first. Any status other than 200, or a failed
//! connection, counts as an error. With `--expect-503` the 503s (load shedding) are counted
//! apart, with their own latency percentiles.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

const QUERIES: &[&str] = &[
    "quyết định",
    "chợ",
    "phí",
    "đất đai",
    "thu gom rác",
    "\"thủ tục hành chính\"",
    "quy dinh muc thu",
    "type:QĐ chợ",
    "year:2019..2021 đất",
    "hỗ trợ kinh phí",
    "\"có hiệu lực\"",
    "giao thông nông thôn",
];

struct Args {
    addr: String,
    connections: usize,
    seconds: u64,
    expect_503: bool,
}

fn args() -> Args {
    let mut a = Args {
        addr: "127.0.0.1:8080".into(),
        connections: 64,
        seconds: 60,
        expect_503: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().expect("a value after the flag");
        match k.as_str() {
            "--addr" => a.addr = v(),
            "--connections" => a.connections = v().parse().expect("a number"),
            "--seconds" => a.seconds = v().parse().expect("a number"),
            "--expect-503" => a.expect_503 = true,
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One response: status and body, read off a keep-alive connection.
async fn request(
    s: &mut TcpStream,
    buf: &mut Vec<u8>,
    addr: &str,
    path: &str,
) -> std::io::Result<(u16, Vec<u8>)> {
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    write_all(s, req.as_bytes()).await?;
    // Head.
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        read_more(s, buf).await?;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    buf.drain(..head_end + 4);
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("bad status line"))?;
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
    };
    let body = if let Some(n) = header("content-length:") {
        let n: usize = n.parse().map_err(std::io::Error::other)?;
        while buf.len() < n {
            read_more(s, buf).await?;
        }
        buf.drain(..n).collect()
    } else if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(p) = buf.windows(2).position(|w| w == b"\r\n") {
                    break p;
                }
                read_more(s, buf).await?;
            };
            let size = usize::from_str_radix(
                String::from_utf8_lossy(&buf[..line_end])
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim(),
                16,
            )
            .map_err(std::io::Error::other)?;
            buf.drain(..line_end + 2);
            while buf.len() < size + 2 {
                read_more(s, buf).await?;
            }
            body.extend(buf.drain(..size));
            buf.drain(..2);
            if size == 0 {
                break body;
            }
        }
    } else {
        Vec::new()
    };
    Ok((status, body))
}

/// Writes all of `b` (tokio's readiness API: the crate is built without `io-util`).
async fn write_all(s: &TcpStream, mut b: &[u8]) -> std::io::Result<()> {
    while !b.is_empty() {
        s.writable().await?;
        match s.try_write(b) {
            Ok(n) => b = &b[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

async fn read_more(s: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = loop {
        s.readable().await?;
        match s.try_read(&mut chunk) {
            Ok(n) => break n,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    };
    if n == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    buf.extend_from_slice(&chunk[..n]);
    Ok(())
}

#[derive(Default)]
struct Tally {
    ok: Vec<Duration>,
    shed: Vec<Duration>,
    statuses: BTreeMap<u16, u64>,
    io_errors: u64,
}

async fn connection(
    addr: String,
    ids: Arc<Vec<String>>,
    stop: Arc<AtomicBool>,
    seed: u64,
) -> Tally {
    let mut t = Tally::default();
    let mut rng = seed | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut conn: Option<TcpStream> = None;
    let mut buf = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let r = next();
        let path = match r % 10 {
            0..=4 => format!(
                "/api/v1/search?q={}&limit=10",
                encode(QUERIES[(r / 10) as usize % QUERIES.len()])
            ),
            5..=7 => format!(
                "/api/v1/documents/{}",
                encode(&ids[(r / 10) as usize % ids.len()])
            ),
            _ => format!(
                "/api/v1/documents/{}/text",
                encode(&ids[(r / 10) as usize % ids.len()])
            ),
        };
        if conn.is_none() {
            match TcpStream::connect(&addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    conn = Some(s);
                    buf.clear();
                }
                Err(_) => {
                    t.io_errors += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let s = conn.as_mut().expect("connected");
        let start = Instant::now();
        match request(s, &mut buf, &addr, &path).await {
            Ok((status, _)) => {
                let took = start.elapsed();
                *t.statuses.entry(status).or_default() += 1;
                match status {
                    200 => t.ok.push(took),
                    503 => {
                        t.shed.push(took);
                        // A shed request may close the connection: start afresh.
                        conn = None;
                    }
                    _ => {}
                }
            }
            Err(_) => {
                t.io_errors += 1;
                conn = None;
            }
        }
    }
    t
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort();
    let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
    v[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let a = args();
    // The ids to read.
    let mut s = TcpStream::connect(&a.addr)
        .await
        .expect("the server listens");
    let mut buf = Vec::new();
    let (status, body) = request(&mut s, &mut buf, &a.addr, "/api/v1/documents?limit=1000")
        .await
        .expect("the document list");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let v: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    let ids: Vec<String> = v["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .filter_map(|d| d["id"].as_str().map(String::from))
        .collect();
    assert!(!ids.is_empty(), "no documents to read");
    let total = v["total"].as_u64().unwrap_or(0);
    let ids = Arc::new(ids);
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let tasks: Vec<_> = (0..a.connections)
        .map(|i| {
            tokio::spawn(connection(
                a.addr.clone(),
                ids.clone(),
                stop.clone(),
                0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(a.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await.expect("a connection task");
        all.ok.extend(t.ok);
        all.shed.extend(t.shed);
        all.io_errors += t.io_errors;
        for (k, v) in t.statuses {
            *all.statuses.entry(k).or_default() += v;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let answered: u64 = all.statuses.values().sum();
    let not_ok: u64 = all
        .statuses
        .iter()
        .filter(|(s, _)| **s != 200 && !(a.expect_503 && **s == 503))
        .map(|(_, n)| n)
        .sum();
    let errors = not_ok + all.io_errors;
    let report = serde_json::json!({
        "addr": a.addr,
        "documents_in_store": total,
        "connections": a.connections,
        "seconds": (secs * 10.0).round() / 10.0,
        "requests": answered,
        "requests_per_second": (answered as f64 / secs).round(),
        "statuses": all.statuses,
        "io_errors": all.io_errors,
        "errors": errors,
        "ok_latency_ms": {
            "p50": pct(&mut all.ok, 0.50),
            "p90": pct(&mut all.ok, 0.90),
            "p99": pct(&mut all.ok, 0.99),
            "max": pct(&mut all.ok, 1.0),
        },
        "shed_503": all.shed.len(),
        "shed_latency_ms": {
            "p50": pct(&mut all.shed, 0.50),
            "p99": pct(&mut all.shed, 0.99),
            "max": pct(&mut all.shed, 1.0),
        },
    });
    println!("{}", serde_json::to_string_pretty(&report).expect("JSON"));
    if errors > 0 {
        std::process::exit(1);
    }
}
