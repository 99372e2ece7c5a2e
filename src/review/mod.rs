//! The reviewer database (`DATA/review.db`): review runs and their findings, the reviewers'
//! decisions on findings, the bearer tokens (as hashes) and the append-only audit log.
//!
//! Decisions are the one thing rasoat cannot recompute, so this file is kept apart from the
//! store (which is derived from the corpus and may be rebuilt) and written with care:
//! WAL with `synchronous=FULL`, and every change is one transaction together with its audit
//! row (who, when, what, before, after). A decision acknowledged to a client has been
//! committed to disk.
//!
//! Carry-over: a finding's id is stable across runs on the same input (see
//! [`crate::rules::finding_id`]), so decisions are keyed by finding id. The decision in effect
//! for a finding in run R is the latest one recorded in a run up to R: a decision taken in
//! an earlier run carries to the same finding in a later run, and a later decision never
//! rewrites the lists of an earlier run.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Date, Finding, FindingKind, Severity};

/// The reviewer database's file name inside the data directory.
pub const REVIEW_FILE: &str = "review.db";

/// Migration `i` brings the schema from version `i` to `i + 1` (appended, never edited).
pub const MIGRATIONS: &[&str] = &[
    // 1: runs, findings per run, decisions, tokens, audit log.
    "CREATE TABLE runs (
         id             INTEGER PRIMARY KEY,
         as_of          TEXT NOT NULL,
         created_at     TEXT NOT NULL,
         created_by     TEXT NOT NULL,
         store_revision INTEGER NOT NULL,
         findings       INTEGER NOT NULL
     );
     CREATE TABLE findings (
         run_id     INTEGER NOT NULL REFERENCES runs (id),
         finding_id TEXT NOT NULL,
         seq        INTEGER NOT NULL,
         kind       TEXT NOT NULL,
         severity   TEXT NOT NULL,
         document   TEXT NOT NULL,
         json       TEXT NOT NULL,
         PRIMARY KEY (run_id, finding_id)
     );
     CREATE INDEX findings_id ON findings (finding_id);
     CREATE TABLE decisions (
         id             INTEGER PRIMARY KEY,
         finding_id     TEXT NOT NULL,
         run_id         INTEGER NOT NULL REFERENCES runs (id),
         decision       TEXT NOT NULL,
         note           TEXT NOT NULL,
         proposal       TEXT,
         body_in_charge TEXT,
         deadline       TEXT,
         author         TEXT NOT NULL,
         created_at     TEXT NOT NULL
     );
     CREATE INDEX decisions_finding ON decisions (finding_id, run_id, id);
     CREATE TABLE tokens (
         id         INTEGER PRIMARY KEY,
         name       TEXT NOT NULL UNIQUE,
         role       TEXT NOT NULL,
         hash       TEXT NOT NULL,
         created_at TEXT NOT NULL
     );
     CREATE TABLE audit (
         id     INTEGER PRIMARY KEY,
         at     TEXT NOT NULL,
         actor  TEXT NOT NULL,
         action TEXT NOT NULL,
         entity TEXT NOT NULL,
         before TEXT,
         after  TEXT
     );
     CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
     CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
];

/// An error of the reviewer database.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path}: written by a newer rasoat (schema {found}, this one knows {known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
}

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads everything.
    Reader,
    /// Reads, and records decisions.
    Reviewer,
    /// Everything, including starting review runs.
    Admin,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "reader" => Some(Role::Reader),
            "reviewer" => Some(Role::Reviewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A stored token: its name, role and the SHA-256 of its secret (never the secret).
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub name: String,
    pub role: Role,
    pub hash: [u8; 32],
}

/// A reviewer's verdict on a finding (*ý kiến xử lý*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The finding is right (*xác nhận*).
    Confirmed,
    /// The finding is wrong or irrelevant (*bác bỏ*).
    Dismissed,
    /// The document must be dealt with: amended, replaced, repealed… (*cần xử lý*).
    NeedsAmendment,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Dismissed => "dismissed",
            Verdict::NeedsAmendment => "needs_amendment",
        }
    }
}

/// What a reviewer proposes for a document that needs action (Decree 34/2016, Article 170).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proposal {
    /// *Sửa đổi, bổ sung*.
    Amend,
    /// *Thay thế*.
    Replace,
    /// *Bãi bỏ*.
    Repeal,
    /// *Đình chỉ thi hành, ngưng hiệu lực*.
    Suspend,
    /// *Ban hành mới*.
    IssueNew,
}

impl Proposal {
    /// The word a published list uses.
    pub fn vietnamese(self) -> &'static str {
        match self {
            Proposal::Amend => "Sửa đổi, bổ sung",
            Proposal::Replace => "Thay thế",
            Proposal::Repeal => "Bãi bỏ",
            Proposal::Suspend => "Đình chỉ thi hành, ngưng hiệu lực",
            Proposal::IssueNew => "Ban hành mới",
        }
    }
}

/// A decision as a client submits it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    pub decision: Verdict,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub proposal: Option<Proposal>,
    #[serde(default)]
    pub body_in_charge: Option<String>,
    #[serde(default)]
    pub deadline: Option<Date>,
    /// The run it is recorded in; by default the latest run that has the finding.
    #[serde(default)]
    pub run: Option<i64>,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub finding: String,
    pub run: i64,
    pub decision: Verdict,
    pub note: String,
    pub proposal: Option<Proposal>,
    pub body_in_charge: Option<String>,
    pub deadline: Option<Date>,
    pub author: String,
    pub created_at: String,
}

/// A review run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub id: i64,
    pub as_of: Date,
    pub created_at: String,
    pub created_by: String,
    pub store_revision: i64,
    pub findings: i64,
}

/// A finding of a run with the decision in effect for it in that run.
#[derive(Debug, Clone, Serialize)]
pub struct RunFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub run: i64,
    /// `pending`, or the verdict in effect.
    pub state: String,
    pub decision: Option<DecisionRecord>,
    /// The earlier run the decision was taken in, when it was carried over.
    pub carried_from: Option<i64>,
}

/// Filters of a run's findings.
#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    pub kind: Option<FindingKind>,
    pub severity: Option<Severity>,
    pub document: Option<String>,
    /// `pending`, `confirmed`, `dismissed` or `needs_amendment`.
    pub state: Option<String>,
}

/// One row of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// The difference between two runs, by finding id.
#[derive(Debug, Clone, Serialize)]
pub struct RunDiff {
    pub from: i64,
    pub to: i64,
    /// In `to` and not in `from`.
    pub new: Vec<RunFinding>,
    /// In `from` and no longer in `to`.
    pub resolved: Vec<RunFinding>,
    /// In both (as seen in `to`).
    pub unchanged: Vec<RunFinding>,
    /// Of `unchanged`, those whose decision was taken in an earlier run and carried over.
    pub carried: usize,
}

/// The current time, UTC, for the audit log.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The SHA-256 of a token's secret.
pub fn hash_token(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn enum_name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn from_name<T: for<'de> Deserialize<'de>>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

/// The reviewer database of one data directory.
pub struct ReviewDb {
    conn: Connection,
    path: PathBuf,
}

impl ReviewDb {
    /// Opens (creating if needed) `DIR/review.db` and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<ReviewDb, ReviewError> {
        let path = dir.join(REVIEW_FILE);
        let sql = |source| ReviewError::Sqlite {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| ReviewError::Invalid(format!("{}: {e}", dir.display())))?;
        let conn = crate::store::open_durable(&path).map_err(sql)?;
        let mut db = ReviewDb { conn, path };
        db.migrate()?;
        Ok(db)
    }

    fn err(&self, source: rusqlite::Error) -> ReviewError {
        ReviewError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<(), ReviewError> {
        let known = MIGRATIONS.len() as i64;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        if version > known {
            return Err(ReviewError::TooNew {
                path: self.path.clone(),
                found: version,
                known,
            });
        }
        let path = self.path.clone();
        let sql = |source| ReviewError::Sqlite {
            path: path.clone(),
            source,
        };
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction().map_err(sql)?;
            tx.execute_batch(m).map_err(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite connection (for checks and the backup).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn audit(
        tx: &Transaction<'_>,
        actor: &str,
        action: &str,
        entity: &str,
        before: Option<&serde_json::Value>,
        after: Option<&serde_json::Value>,
    ) -> rusqlite::Result<()> {
        tx.execute(
            "INSERT INTO audit (at, actor, action, entity, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                now(),
                actor,
                action,
                entity,
                before.map(|v| v.to_string()),
                after.map(|v| v.to_string())
            ],
        )?;
        Ok(())
    }

    // ---- tokens ----

    /// Creates a token; returns its secret, which is shown once and stored only as a hash.
    pub fn create_token(
        &mut self,
        name: &str,
        role: Role,
        actor: &str,
    ) -> Result<String, ReviewError> {
        if name.trim().is_empty() {
            return Err(ReviewError::Invalid("a token needs a name".into()));
        }
        let mut raw = [0u8; 32];
        getrandom_fill(&mut raw);
        let secret = format!("rs_{}", hex(&raw));
        let hash = hex(&hash_token(&secret));
        let path = self.path.clone();
        let sql = |source| ReviewError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let exists: bool = tx
            .query_row("SELECT 1 FROM tokens WHERE name = ?1", [name], |_| Ok(true))
            .optional()
            .map_err(sql)?
            .unwrap_or(false);
        if exists {
            return Err(ReviewError::Conflict(format!(
                "a token named `{name}` exists"
            )));
        }
        tx.execute(
            "INSERT INTO tokens (name, role, hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.name(), hash, now()],
        )
        .map_err(sql)?;
        let after = serde_json::json!({ "name": name, "role": role });
        Self::audit(
            &tx,
            actor,
            "token.create",
            &format!("token:{name}"),
            None,
            Some(&after),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(secret)
    }

    /// Removes a token (with its audit row); requests with it are refused from then on.
    pub fn revoke_token(&mut self, name: &str, actor: &str) -> Result<(), ReviewError> {
        let path = self.path.clone();
        let sql = |source| ReviewError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let role: Option<String> = tx
            .query_row("SELECT role FROM tokens WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)?;
        let Some(role) = role else {
            return Err(ReviewError::NotFound(format!("no token named `{name}`")));
        };
        tx.execute("DELETE FROM tokens WHERE name = ?1", [name])
            .map_err(sql)?;
        let before = serde_json::json!({ "name": name, "role": role });
        Self::audit(
            &tx,
            actor,
            "token.revoke",
            &format!("token:{name}"),
            Some(&before),
            None,
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(())
    }

    /// Every token (name, role, hash).
    pub fn tokens(&self) -> Result<Vec<TokenRow>, ReviewError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, role, hash FROM tokens ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows
            .into_iter()
            .filter_map(|(name, role, hash)| {
                Some(TokenRow {
                    name,
                    role: Role::parse(&role)?,
                    hash: unhex(&hash)?,
                })
            })
            .collect())
    }

    // ---- runs ----

    /// Stores a run and its findings in one transaction, with its audit row.
    pub fn create_run(
        &mut self,
        as_of: Date,
        store_revision: i64,
        findings: &[Finding],
        actor: &str,
    ) -> Result<Run, ReviewError> {
        let path = self.path.clone();
        let sql = |source| ReviewError::Sqlite {
            path: path.clone(),
            source,
        };
        let created_at = now();
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO runs (as_of, created_at, created_by, store_revision, findings) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![as_of.to_string(), created_at, actor, store_revision, findings.len() as i64],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        {
            let mut ins = tx
                .prepare(
                    "INSERT OR IGNORE INTO findings (run_id, finding_id, seq, kind, severity, document, json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(sql)?;
            for (i, f) in findings.iter().enumerate() {
                let json = serde_json::to_string(f).unwrap_or_default();
                ins.execute(params![
                    id,
                    f.id,
                    i as i64,
                    enum_name(&f.kind),
                    enum_name(&f.severity),
                    f.document,
                    json
                ])
                .map_err(sql)?;
            }
        }
        let run = Run {
            id,
            as_of,
            created_at,
            created_by: actor.to_string(),
            store_revision,
            findings: findings.len() as i64,
        };
        let after = serde_json::to_value(&run).unwrap_or_default();
        Self::audit(
            &tx,
            actor,
            "run.create",
            &format!("run:{id}"),
            None,
            Some(&after),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(run)
    }

    fn run_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Run> {
        let as_of: String = r.get(1)?;
        Ok(Run {
            id: r.get(0)?,
            as_of: as_of.parse().unwrap_or_default(),
            created_at: r.get(2)?,
            created_by: r.get(3)?,
            store_revision: r.get(4)?,
            findings: r.get(5)?,
        })
    }

    /// Every run, newest first.
    pub fn runs(&self) -> Result<Vec<Run>, ReviewError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, as_of, created_at, created_by, store_revision, findings FROM runs ORDER BY id DESC")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], Self::run_from_row)
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// One run.
    pub fn run(&self, id: i64) -> Result<Run, ReviewError> {
        self.conn
            .query_row(
                "SELECT id, as_of, created_at, created_by, store_revision, findings FROM runs WHERE id = ?1",
                [id],
                Self::run_from_row,
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| ReviewError::NotFound(format!("no run {id}")))
    }

    /// The decision in effect for a finding in run `run`: the latest one recorded in a run up
    /// to `run`.
    pub fn decision_in_effect(
        &self,
        finding: &str,
        run: i64,
    ) -> Result<Option<DecisionRecord>, ReviewError> {
        decision_in_effect_on(&self.conn, finding, run).map_err(|e| self.err(e))
    }

    /// Every finding of a run in the run's order, with the decision in effect, filtered.
    pub fn run_findings(
        &self,
        run: i64,
        filter: &FindingFilter,
    ) -> Result<Vec<RunFinding>, ReviewError> {
        self.run(run)?;
        let mut stmt = self
            .conn
            .prepare("SELECT json FROM findings WHERE run_id = ?1 ORDER BY seq")
            .map_err(|e| self.err(e))?;
        let jsons: Vec<String> = stmt
            .query_map([run], |r| r.get(0))
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for j in jsons {
            let Ok(f) = serde_json::from_str::<Finding>(&j) else {
                continue;
            };
            if filter.kind.is_some_and(|k| k != f.kind)
                || filter.severity.is_some_and(|s| s != f.severity)
                || filter.document.as_ref().is_some_and(|d| d != &f.document)
            {
                continue;
            }
            let rf = self.with_decision(f, run)?;
            if filter.state.as_ref().is_some_and(|s| s != &rf.state) {
                continue;
            }
            out.push(rf);
        }
        Ok(out)
    }

    fn with_decision(&self, finding: Finding, run: i64) -> Result<RunFinding, ReviewError> {
        let decision = self.decision_in_effect(&finding.id, run)?;
        let state = decision
            .as_ref()
            .map_or("pending", |d| d.decision.name())
            .to_string();
        let carried_from = decision.as_ref().map(|d| d.run).filter(|r| *r != run);
        Ok(RunFinding {
            finding,
            run,
            state,
            decision,
            carried_from,
        })
    }

    /// One finding as seen in a run (the latest run that has it, by default).
    pub fn finding(&self, finding: &str, run: Option<i64>) -> Result<RunFinding, ReviewError> {
        let (run, f) = finding_on(&self.conn, finding, run).map_err(|e| self.err(e))??;
        self.with_decision(f, run)
    }

    /// Records a decision with its audit row, in one transaction; returns it once committed.
    pub fn decide(
        &mut self,
        finding: &str,
        d: &NewDecision,
        actor: &str,
    ) -> Result<DecisionRecord, ReviewError> {
        if d.decision == Verdict::NeedsAmendment {
            if d.proposal.is_none() {
                return Err(ReviewError::Invalid(
                    "needs_amendment requires `proposal` (amend, replace, repeal, suspend, issue_new)".into(),
                ));
            }
            if d.body_in_charge
                .as_deref()
                .is_none_or(|b| b.trim().is_empty())
            {
                return Err(ReviewError::Invalid(
                    "needs_amendment requires `body_in_charge`".into(),
                ));
            }
            if d.deadline.is_none() {
                return Err(ReviewError::Invalid(
                    "needs_amendment requires `deadline` (YYYY-MM-DD)".into(),
                ));
            }
        } else if d.proposal.is_some() || d.body_in_charge.is_some() || d.deadline.is_some() {
            return Err(ReviewError::Invalid(
                "`proposal`, `body_in_charge` and `deadline` go only with needs_amendment".into(),
            ));
        }
        if d.note.chars().count() > 10_000 {
            return Err(ReviewError::Invalid(
                "`note` is longer than 10000 characters".into(),
            ));
        }
        let path = self.path.clone();
        let sql = |source| ReviewError::Sqlite {
            path: path.clone(),
            source,
        };
        // IMMEDIATE: take the write lock first, so what is read as `before` is what the
        // decision replaces, even with another process writing.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let (run, _) = finding_on(&tx, finding, d.run).map_err(sql)??;
        let before = decision_in_effect_on(&tx, finding, run).map_err(sql)?;
        let created_at = now();
        tx.execute(
            "INSERT INTO decisions (finding_id, run_id, decision, note, proposal, body_in_charge, deadline, author, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                finding,
                run,
                d.decision.name(),
                d.note,
                d.proposal.map(|p| enum_name(&p)),
                d.body_in_charge,
                d.deadline.map(|x| x.to_string()),
                actor,
                created_at
            ],
        )
        .map_err(sql)?;
        let rec = DecisionRecord {
            id: tx.last_insert_rowid(),
            finding: finding.to_string(),
            run,
            decision: d.decision,
            note: d.note.clone(),
            proposal: d.proposal,
            body_in_charge: d.body_in_charge.clone(),
            deadline: d.deadline,
            author: actor.to_string(),
            created_at,
        };
        let before = before.map(|b| serde_json::to_value(b).unwrap_or_default());
        let after = serde_json::to_value(&rec).unwrap_or_default();
        Self::audit(
            &tx,
            actor,
            "decision.create",
            &format!("finding:{finding}"),
            before.as_ref(),
            Some(&after),
        )
        .map_err(sql)?;
        fail::fail_point!("review::decide", |_| Err(
            sql(crate::failpoint::sqlite_io())
        ));
        tx.commit().map_err(sql)?;
        Ok(rec)
    }

    /// Every decision on a finding, oldest first (across runs).
    pub fn decisions(&self, finding: &str) -> Result<Vec<DecisionRecord>, ReviewError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{DECISION_COLUMNS} WHERE finding_id = ?1 ORDER BY id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([finding], decision_from_row)
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Every decision, oldest first.
    pub fn all_decisions(&self) -> Result<Vec<DecisionRecord>, ReviewError> {
        let mut stmt = self
            .conn
            .prepare(&format!("{DECISION_COLUMNS} ORDER BY id"))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], decision_from_row)
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The audit log, oldest first, from row `after` on, at most `limit` rows.
    pub fn audit_log(&self, after: i64, limit: i64) -> Result<Vec<AuditRow>, ReviewError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, at, actor, action, entity, before, after FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2")
            .map_err(|e| self.err(e))?;
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        let rows = stmt
            .query_map(params![after, limit], |r| {
                Ok(AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    before: parse(r.get(5)?),
                    after: parse(r.get(6)?),
                })
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Findings new in `to`, resolved since `from`, and unchanged, with decisions carried.
    pub fn diff(&self, from: i64, to: i64) -> Result<RunDiff, ReviewError> {
        let all = FindingFilter::default();
        let a = self.run_findings(from, &all)?;
        let b = self.run_findings(to, &all)?;
        let in_a: std::collections::BTreeSet<&str> =
            a.iter().map(|f| f.finding.id.as_str()).collect();
        let in_b: std::collections::BTreeSet<&str> =
            b.iter().map(|f| f.finding.id.as_str()).collect();
        let resolved: Vec<RunFinding> = a
            .iter()
            .filter(|f| !in_b.contains(f.finding.id.as_str()))
            .cloned()
            .collect();
        let (unchanged, new): (Vec<RunFinding>, Vec<RunFinding>) = b
            .into_iter()
            .partition(|f| in_a.contains(f.finding.id.as_str()));
        let carried = unchanged
            .iter()
            .filter(|f| f.carried_from.is_some())
            .count();
        Ok(RunDiff {
            from,
            to,
            new,
            resolved,
            unchanged,
            carried,
        })
    }

    /// Counts for the health check: runs, decisions, audit rows.
    pub fn counts(&self) -> Result<(i64, i64, i64), ReviewError> {
        let c = |t: &str| -> Result<i64, ReviewError> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .map_err(|e| self.err(e))
        };
        Ok((c("runs")?, c("decisions")?, c("audit")?))
    }

    /// SQLite's own consistency check; `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, ReviewError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Copies the database to `dest` with SQLite's online backup API (safe while a server
    /// writes to it).
    pub fn backup_to(&self, dest: &Path) -> Result<(), ReviewError> {
        backup_file(&self.conn, dest).map_err(|e| self.err(e))
    }
}

/// Copies an open database to `dest` with the backup API, page by page. The copy is written
/// beside `dest` as `NAME.partial` and renamed into place once complete, so `dest` is either
/// absent or a whole copy, whatever fails on the way.
pub fn backup_file(conn: &Connection, dest: &Path) -> rusqlite::Result<()> {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    let partial = dest.with_file_name(name);
    let _ = std::fs::remove_file(&partial);
    let copied = (|| {
        let mut out = Connection::open(&partial)?;
        {
            let b = rusqlite::backup::Backup::new(conn, &mut out)?;
            b.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        }
        fail::fail_point!("backup::copy", |_| Err(crate::failpoint::sqlite_io()));
        out.close().map_err(|(_, e)| e)
    })();
    let moved = copied.and_then(|()| {
        std::fs::rename(&partial, dest).map_err(|e| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(format!("cannot move the copy into place: {e}")),
            )
        })
    });
    if moved.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    moved
}

/// A finding's run and content: in `run`, or in the latest run that has it.
fn finding_on(
    conn: &Connection,
    finding: &str,
    run: Option<i64>,
) -> rusqlite::Result<Result<(i64, Finding), ReviewError>> {
    let row: Option<(i64, String)> = match run {
        Some(r) => conn
            .prepare_cached("SELECT run_id, json FROM findings WHERE finding_id = ?1 AND run_id = ?2")?
            .query_row(params![finding, r], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        None => conn
            .prepare_cached(
                "SELECT run_id, json FROM findings WHERE finding_id = ?1 ORDER BY run_id DESC LIMIT 1",
            )?
            .query_row([finding], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
    };
    let Some((found_in, json)) = row else {
        return Ok(Err(ReviewError::NotFound(match run {
            Some(r) => format!("no finding {finding} in run {r}"),
            None => format!("no finding {finding}"),
        })));
    };
    Ok(serde_json::from_str(&json)
        .map(|f| (found_in, f))
        .map_err(|e| ReviewError::Invalid(format!("finding {finding}: {e}"))))
}

fn decision_in_effect_on(
    conn: &Connection,
    finding: &str,
    run: i64,
) -> rusqlite::Result<Option<DecisionRecord>> {
    conn.prepare_cached(&format!(
        "{DECISION_COLUMNS} WHERE finding_id = ?1 AND run_id <= ?2 ORDER BY run_id DESC, id DESC LIMIT 1"
    ))?
    .query_row(params![finding, run], decision_from_row)
    .optional()
}

const DECISION_COLUMNS: &str = "SELECT id, finding_id, run_id, decision, note, proposal, body_in_charge, deadline, author, created_at FROM decisions";

fn decision_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DecisionRecord> {
    let decision: String = r.get(3)?;
    let proposal: Option<String> = r.get(5)?;
    let deadline: Option<String> = r.get(7)?;
    Ok(DecisionRecord {
        id: r.get(0)?,
        finding: r.get(1)?,
        run: r.get(2)?,
        decision: from_name(&decision).unwrap_or(Verdict::Confirmed),
        note: r.get(4)?,
        proposal: proposal.and_then(|p| from_name(&p)),
        body_in_charge: r.get(6)?,
        deadline: deadline.and_then(|d| d.parse().ok()),
        author: r.get(8)?,
        created_at: r.get(9)?,
    })
}

/// Fills `buf` with unpredictable bytes from the operating system.
fn getrandom_fill(buf: &mut [u8]) {
    use std::io::Read;
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(buf))
        .is_ok();
    if !ok {
        // No /dev/urandom (not a Unix system): hash the clock, the process id and a
        // per-process random state, which is far weaker but never a constant.
        use std::hash::{BuildHasher, Hasher};
        let mut h = Sha256::new();
        for _ in 0..4 {
            let mut s = std::collections::hash_map::RandomState::new().build_hasher();
            s.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0),
            );
            h.update(s.finish().to_le_bytes());
        }
        h.update(std::process::id().to_le_bytes());
        let d = h.finalize();
        for (o, x) in buf.iter_mut().zip(d.iter().cycle()) {
            *o = *x;
        }
    }
}

#[cfg(test)]
mod tests;
