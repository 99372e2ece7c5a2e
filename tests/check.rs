//! `rasoat check` end to end, over the real binary: the sample district against
//! `corpus/EXPECTED.json` (recall and precision per kind), the seed decision, broken rule
//! files (the error text is pinned), and two runs over the sample and the real documents
//! giving the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rasoat"));
    // The rule pack of the repository, whatever the working directory.
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn ingest(data: &Path, paths: &[PathBuf]) {
    let out = bin()
        .arg("--data")
        .arg(data)
        .arg("ingest")
        .args(paths)
        .output()
        .expect("run rasoat ingest");
    // A real file the parser cannot take is reported and the others are stored: the exit code
    // may then be 1, but the store must exist.
    assert!(
        data.join(rasoat::store::DB_FILE).exists(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn check(data: &Path, extra: &[&str]) -> Output {
    bin()
        .arg("--data")
        .arg(data)
        .args(["check", "--as-of", "2026-11-29", "--format", "json"])
        .args(extra)
        .output()
        .expect("run rasoat check")
}

fn findings(out: &Output) -> Vec<Value> {
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON findings");
    assert_eq!(v["as_of"], "2026-11-29");
    v["findings"].as_array().expect("findings").clone()
}

fn related_docs(v: &Value) -> Vec<String> {
    let mut r: Vec<String> = v["related"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["document"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    r.sort();
    r
}

/// The matching of findings to expected ones: same kind, document, provision (null = null), related documents;
/// a conflict or overlap pair matches in either order.
fn matches(f: &Value, e: &Value) -> bool {
    if f["kind"] != e["kind"] {
        return false;
    }
    let same = f["document"] == e["document"]
        && f["provision"] == e["provision"]
        && related_docs(f) == related_docs(e);
    if same {
        return true;
    }
    let kind = e["kind"].as_str().unwrap_or("");
    if kind == "conflict" || kind == "overlap" {
        let side = |v: &Value| (v["document"].clone(), v["provision"].clone());
        let one = |v: &Value| -> Option<(Value, Value)> {
            let a = v["related"].as_array()?;
            (a.len() == 1).then(|| side(&a[0]))
        };
        return one(f) == Some(side(e)) && one(e) == Some(side(f));
    }
    false
}

#[test]
fn corpus_findings_match_expected() {
    let expected_path = root("corpus/EXPECTED.json");
    let Ok(text) = std::fs::read_to_string(&expected_path) else {
        eprintln!("skipped: {} not found", expected_path.display());
        return;
    };
    let expected: Value = serde_json::from_str(&text).expect("EXPECTED.json");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest(&data, &[root("corpus")]);
    let out = check(&data, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    let exp = expected["findings"].as_array().unwrap();

    // Per kind: expected, found among them, findings, findings matching an expected one.
    let mut table: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut extra = Vec::new();
    for e in exp {
        let k = e["kind"].as_str().unwrap().to_string();
        let row = table.entry(k).or_default();
        row[0] += 1;
        if found.iter().any(|f| matches(f, e)) {
            row[1] += 1;
        } else {
            missed.push(format!(
                "{} {} {} {} {:?}",
                e["id"],
                e["kind"],
                e["document"],
                e["provision"],
                related_docs(e)
            ));
        }
    }
    for f in &found {
        let k = f["kind"].as_str().unwrap().to_string();
        let row = table.entry(k).or_default();
        row[2] += 1;
        if exp.iter().any(|e| matches(f, e)) {
            row[3] += 1;
        } else {
            extra.push(format!(
                "{} {} {} {} {:?}",
                f["rule"],
                f["kind"],
                f["document"],
                f["provision"],
                related_docs(f)
            ));
        }
    }
    eprintln!("kind               recall          precision");
    for (k, [e, got, n, ok]) in &table {
        eprintln!(
            "{k:18} {got:3}/{e:<3} {:>6.1}%   {ok:3}/{n:<3} {:>6.1}%",
            100.0 * *got as f64 / (*e).max(1) as f64,
            100.0 * *ok as f64 / (*n).max(1) as f64
        );
    }
    for m in &missed {
        eprintln!("missed: {m}");
    }
    for x in &extra {
        eprintln!("not expected: {x}");
    }

    let mut flagged = Vec::new();
    for n in expected["hard_negatives"].as_array().unwrap() {
        for f in &found {
            if matches(f, n) {
                flagged.push(format!("{} by {}", n["id"], f["rule"]));
            }
        }
    }
    assert!(flagged.is_empty(), "hard negatives flagged: {flagged:?}");
    assert!(
        missed.is_empty(),
        "{} expected findings missed",
        missed.len()
    );
    for (k, [_, _, n, ok]) in &table {
        if k == "format" || *n == 0 {
            continue;
        }
        let precision = *ok as f64 / *n as f64;
        assert!(
            precision >= 0.95,
            "{k}: only {ok} of {n} findings match an expected one"
        );
    }

    // Every finding quotes its evidence and names its rule of law; ids are unique.
    let mut ids: Vec<&str> = found.iter().map(|f| f["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), found.len(), "finding ids are unique");
    for f in &found {
        assert!(
            !f["legal_basis"].as_str().unwrap().is_empty(),
            "{f} has no rule of law"
        );
        let ev = f["evidence"].as_array().unwrap();
        assert!(
            ev.iter().any(|e| !e["quote"].as_str().unwrap().is_empty()),
            "{f} quotes nothing"
        );
        assert!(!f["message"].as_str().unwrap().contains('{'), "{f}");
    }
}

#[test]
fn seed_annex_number_is_found_and_nothing_invented() {
    let seed = root("../shared/seeds/xuan-loc-cchc-2021-2030.txt");
    if !seed.exists() {
        eprintln!("skipped: {} not found", seed.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest(&data, &[seed]);
    let out = check(&data, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = findings(&out);
    let annex: Vec<&Value> = found
        .iter()
        .filter(|f| f["rule"] == "inconsistency.annex_header")
        .collect();
    assert_eq!(annex.len(), 1, "{found:#?}");
    assert_eq!(annex[0]["document"], "13969/QĐ-UBND");
    assert!(annex[0]["message"]
        .as_str()
        .unwrap()
        .contains("15969/QĐ-UBND"));
    assert!(
        !found
            .iter()
            .any(|f| f["kind"] == "conflict" || f["kind"] == "overlap"),
        "{found:#?}"
    );
}

const BROKEN: &str = "# A rule file with three faults.

rule syntax.example — kind expired, severity high
  for each document
  where its status on the review date is expired
  say \"Văn bản {document} hết hiệu lực.
  law \"khoản 2 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015\"

rule field.example — kind overlap, severty high
  for each document
  where its status on the review date is expired
  say \"x\"
  law \"y\"

rule placeholder.example — kind conflict, severity high
  for each pair of provisions A, B
  where A and B set a deadline for the same matter with different values
  say \"Thời hạn {A.dedline} tại {A} khác {B.value} tại {B}.\"
  law \"khoản 3 Điều 156 Luật Ban hành văn bản quy phạm pháp luật 2015\"

rule type.example — kind overlap, severity medium
  for each pair of provisions A, B
  where A and B say substantially the same thing, with similarity at least \"high\"
  say \"{A} và {B} trùng nhau.\"
  law \"Nghị định 34/2016/NĐ-CP\"
";

const BROKEN_ERRORS: &str = "error (syntax error): cannot read this line (at `say`)
 --> <dir>/broken.rule:6:3
  |
6 |   say \"Văn bản {document} hết hiệu lực.
  |   ^^^
  = hint: a text in quotes must be closed with \" on the same line

error (unknown field): unknown field `severty` in the rule header
 --> <dir>/broken.rule:9:36
  |
9 | rule field.example — kind overlap, severty high
  |                                    ^^^^^^^
  = hint: the header takes `kind`, `severity` and `off`; did you mean `severity`?

error (unknown field): unknown field `{A.dedline}` in the message
  --> <dir>/broken.rule:18:17
   |
18 |   say \"Thời hạn {A.dedline} tại {A} khác {B.value} tại {B}.\"
   |                 ^^^^^^^^^^^
   = hint: this rule can use {A}, {B}, {A.document}, {B.document}, {A.provision}, {B.provision}, {A.issuer}, {B.issuer}, {as_of}, {A.text}, {B.text}, {A.value}, {B.value}, {matter}, {prevails}

error (type error): `\"high\"` is not a number between 0 and 1
  --> <dir>/broken.rule:23:76
   |
23 |   where A and B say substantially the same thing, with similarity at least \"high\"
   |                                                                            ^^^^^^
   = hint: here the rule expects a number such as 0.5

";

#[test]
fn broken_rule_files_are_reported_and_the_other_rules_run() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest(&data, &[root("corpus")]);
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::copy(root("rules/status.rule"), rules.join("status.rule")).unwrap();
    std::fs::write(rules.join("broken.rule"), BROKEN).unwrap();
    let out = check(&data, &["--rules", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr).replace(rules.to_str().unwrap(), "<dir>");
    assert_eq!(stderr, BROKEN_ERRORS);
    // The status rules of the other file still ran.
    let found = findings(&out);
    assert!(found.iter().any(|f| f["kind"] == "expired"));
    assert!(found.iter().all(|f| {
        let r = f["rule"].as_str().unwrap();
        ["expired.", "partially_expired.", "amended."]
            .iter()
            .any(|p| r.starts_with(p))
    }));
}

#[test]
fn a_rule_switched_off_does_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest(&data, &[root("corpus")]);
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let text = std::fs::read_to_string(root("rules/status.rule"))
        .unwrap()
        .replace(
            "rule expired.whole — kind expired, severity high",
            "rule expired.whole — kind expired, severity high, off",
        );
    std::fs::write(rules.join("status.rule"), text).unwrap();
    let out = check(&data, &["--rules", rules.to_str().unwrap()]);
    assert!(out.status.success());
    let found = findings(&out);
    assert!(!found.iter().any(|f| f["rule"] == "expired.whole"));
    assert!(found.iter().any(|f| f["rule"] == "amended.provision"));
}

#[test]
fn two_runs_over_sample_and_real_documents_are_identical() {
    let real = root("../shared/corpus-real");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut paths = vec![root("corpus")];
    if real.exists() {
        paths.push(real);
    } else {
        eprintln!("../shared/corpus-real not found: the sample corpus only");
    }
    ingest(&data, &paths);
    let a = check(&data, &[]);
    let b = check(&data, &[]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(!findings(&a).is_empty());
    assert!(a.stdout == b.stdout, "two runs differ");
    // The other formats too.
    for fmt in ["csv", "table"] {
        let run = || {
            bin()
                .arg("--data")
                .arg(&data)
                .args(["check", "--as-of", "2026-11-29", "--format", fmt])
                .output()
                .unwrap()
                .stdout
        };
        assert!(run() == run(), "{fmt} differs");
    }
}

#[test]
fn kind_filter_keeps_one_kind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest(&data, &[root("corpus")]);
    let out = check(&data, &["--kind", "authority"]);
    let found = findings(&out);
    assert!(!found.is_empty());
    assert!(found.iter().all(|f| f["kind"] == "authority"));
}
