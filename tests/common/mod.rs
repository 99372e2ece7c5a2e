//! What the end-to-end tests that run `rasoat serve` share: running the binary, creating
//! tokens, a server on a free loopback port killed when dropped, and raw HTTP responses.
//! Each test target uses a different part, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_rasoat");

/// Runs `rasoat --data DATA ARGS…` with the built-in rules.
pub fn rasoat(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("RASOAT_RULES")
        .output()
        .expect("rasoat runs")
}

/// `rasoat check --as-of AS_OF --format json` with the stages logged on stderr
/// (`RASOAT_LOG=info`, no colours): which groups were kept, which documents read.
pub fn check_logged(data: &Path, as_of: &str) -> std::process::Output {
    Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(["check", "--as-of", as_of, "--format", "json"])
        .env_remove("RASOAT_RULES")
        .env("RASOAT_LOG", "info")
        .env("NO_COLOR", "1")
        .output()
        .expect("rasoat runs")
}

/// Creates an API token and returns its secret.
pub fn token(data: &Path, name: &str, role: &str) -> String {
    let out = rasoat(data, &["token", "create", "--name", name, "--role", role]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A running `rasoat serve` on a free loopback port, killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(data: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("--data")
            .arg(data)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env_remove("RASOAT_RULES")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("rasoat: listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server { child, addr }
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP response as read off the socket.
pub struct Res {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Res {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}), status {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// The body of a chunked transfer encoding.
pub fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&b[..i]).unwrap();
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + size]);
        b = &b[i + 2 + size + 2..];
    }
    out
}
