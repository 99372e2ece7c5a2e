use super::*;
use crate::model::{Finding, FindingKind, Severity};

fn finding(id: &str, doc: &str) -> Finding {
    Finding {
        id: id.into(),
        rule: "expired.whole".into(),
        kind: FindingKind::Expired,
        severity: Severity::High,
        document: doc.into(),
        provision: None,
        related: vec![],
        since: None,
        message: "m".into(),
        evidence: vec![],
        legal_basis: "l".into(),
    }
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn confirm() -> NewDecision {
    NewDecision {
        decision: Verdict::Confirmed,
        note: "ok".into(),
        proposal: None,
        body_in_charge: None,
        deadline: None,
        run: None,
    }
}

#[test]
fn decisions_carry_to_the_same_finding_and_never_rewrite_an_earlier_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = ReviewDb::open(dir.path()).unwrap();
    let r1 = db
        .create_run(
            date("2025-01-01"),
            1,
            &[finding("a", "X"), finding("b", "Y")],
            "admin",
        )
        .unwrap();
    db.decide("a", &confirm(), "rev").unwrap();
    let r2 = db
        .create_run(
            date("2026-01-01"),
            1,
            &[finding("a", "X"), finding("c", "Z")],
            "admin",
        )
        .unwrap();
    let d = db.diff(r1.id, r2.id).unwrap();
    assert_eq!(d.new.len(), 1);
    assert_eq!(d.resolved.len(), 1);
    assert_eq!(d.unchanged.len(), 1);
    assert_eq!(d.unchanged[0].carried_from, Some(r1.id));
    assert_eq!(d.carried, 1);
    // A dismissal in run 2 leaves run 1's view as it was.
    let mut dismiss = confirm();
    dismiss.decision = Verdict::Dismissed;
    db.decide("a", &dismiss, "rev").unwrap();
    assert_eq!(db.finding("a", Some(r1.id)).unwrap().state, "confirmed");
    assert_eq!(db.finding("a", Some(r2.id)).unwrap().state, "dismissed");
    assert_eq!(db.decisions("a").unwrap().len(), 2);
}

#[test]
fn every_decision_has_its_audit_row_and_the_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = ReviewDb::open(dir.path()).unwrap();
    db.create_run(date("2025-01-01"), 1, &[finding("a", "X")], "admin")
        .unwrap();
    for _ in 0..3 {
        db.decide("a", &confirm(), "rev").unwrap();
    }
    let log = db.audit_log(0, 100).unwrap();
    assert_eq!(
        log.iter().filter(|r| r.action == "decision.create").count(),
        3
    );
    assert!(
        log[2].before.is_some(),
        "the second decision records the first as before"
    );
    assert!(db.connection().execute("DELETE FROM audit", []).is_err());
    assert!(db
        .connection()
        .execute("UPDATE audit SET actor = 'x'", [])
        .is_err());
}

#[test]
fn needs_amendment_requires_proposal_body_and_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = ReviewDb::open(dir.path()).unwrap();
    db.create_run(date("2025-01-01"), 1, &[finding("a", "X")], "admin")
        .unwrap();
    let mut d = confirm();
    d.decision = Verdict::NeedsAmendment;
    assert!(matches!(
        db.decide("a", &d, "r"),
        Err(ReviewError::Invalid(_))
    ));
    d.proposal = Some(Proposal::Repeal);
    d.body_in_charge = Some("UBND xã Phú Thạnh".into());
    d.deadline = Some(date("2027-03-01"));
    db.decide("a", &d, "r").unwrap();
    assert!(matches!(
        db.decide("zz", &confirm(), "r"),
        Err(ReviewError::NotFound(_))
    ));
}

#[test]
fn tokens_are_stored_as_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = ReviewDb::open(dir.path()).unwrap();
    let secret = db.create_token("ana", Role::Reviewer, "cli").unwrap();
    let rows = db.tokens().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].hash, hash_token(&secret));
    let stored: String = db
        .connection()
        .query_row("SELECT hash FROM tokens", [], |r| r.get(0))
        .unwrap();
    assert!(!stored.contains(&secret));
    assert!(matches!(
        db.create_token("ana", Role::Reader, "cli"),
        Err(ReviewError::Conflict(_))
    ));
    db.revoke_token("ana", "cli").unwrap();
    assert!(db.tokens().unwrap().is_empty());
    assert!(matches!(
        db.revoke_token("ana", "cli"),
        Err(ReviewError::NotFound(_))
    ));
    let actions: Vec<String> = db
        .audit_log(0, 10)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions, ["token.create", "token.revoke"]);
}

#[test]
fn a_database_of_a_newer_rasoat_is_refused_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = ReviewDb::open(dir.path()).unwrap();
        db.connection()
            .pragma_update(None, "user_version", 99)
            .unwrap();
    }
    assert!(matches!(
        ReviewDb::open(dir.path()),
        Err(ReviewError::TooNew { found: 99, .. })
    ));
}

#[test]
fn the_backup_api_copies_decisions_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = ReviewDb::open(dir.path()).unwrap();
    db.create_run(date("2025-01-01"), 1, &[finding("a", "X")], "admin")
        .unwrap();
    db.decide("a", &confirm(), "rev").unwrap();
    let dest = dir.path().join("copy");
    std::fs::create_dir_all(&dest).unwrap();
    db.backup_to(&dest.join(REVIEW_FILE)).unwrap();
    let copy = ReviewDb::open(&dest).unwrap();
    assert_eq!(copy.integrity_check().unwrap(), "ok");
    assert_eq!(copy.all_decisions().unwrap(), db.all_decisions().unwrap());
    assert_eq!(copy.counts().unwrap(), db.counts().unwrap());
}
