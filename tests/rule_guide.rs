//! The rule writers' guide (`rules/README.md`) cannot drift from the language: every phrase
//! of the catalogue is in it, every example in it is a line of a shipped rule file, the full
//! rule it shows reads without error, and every shipped rule is listed.

use std::path::{Path, PathBuf};

use rasoat::rules::lang::{self, catalogue};

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn guide() -> String {
    std::fs::read_to_string(root("rules/README.md")).expect("rules/README.md")
}

/// The fenced blocks marked `rule`.
fn rule_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in text.lines() {
        match (&mut cur, line.trim_start()) {
            (None, "```rule") => cur = Some(String::new()),
            (Some(_), "```") => out.push(cur.take().unwrap()),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

fn shipped_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for e in std::fs::read_dir(root("rules")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "rule") {
            let text = std::fs::read_to_string(&p).unwrap();
            lines.extend(text.lines().map(|l| l.trim().to_string()));
        }
    }
    lines
}

#[test]
fn every_phrase_of_the_language_is_in_the_guide() {
    let g = guide();
    for p in catalogue::phrases()
        .into_iter()
        .chain(catalogue::scope_phrases())
    {
        let p = if p.ends_with('s') && g.contains(&format!("`for each {}`", &p[..p.len() - 1])) {
            continue;
        } else {
            p
        };
        let in_guide = g.contains(&format!("`{p}`")) || g.contains(&format!("`for each {p}`"));
        assert!(in_guide, "rules/README.md does not explain `{p}`");
    }
    for keyword in [
        "`rule`",
        "`for each`",
        "`where`",
        "`and`",
        "`say`",
        "`law`",
        "`deadline`",
        "`example`",
        "`off`",
    ] {
        assert!(
            g.contains(keyword),
            "rules/README.md does not explain {keyword}"
        );
    }
    for kind in [
        "expired",
        "partially_expired",
        "amended",
        "basis_expired",
        "conflict",
        "overlap",
        "inconsistency",
        "format",
        "authority",
    ] {
        assert!(
            g.contains(&format!("`{kind}`")),
            "kind {kind} missing from the guide"
        );
    }
}

#[test]
fn every_example_of_the_guide_comes_from_a_shipped_rule() {
    let shipped = shipped_lines();
    let blocks = rule_blocks(&guide());
    assert!(blocks.len() >= 5);
    for b in &blocks {
        for line in b.lines().map(str::trim).filter(|l| !l.is_empty()) {
            assert!(
                shipped.iter().any(|s| s == line),
                "rules/README.md shows a line no shipped rule has:\n{line}"
            );
        }
    }
    // The first block is a whole rule: it reads without error.
    let (rules, errors) = lang::parse_file("rules/README.md", &blocks[0]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(rules.len(), 1);
}

#[test]
fn every_shipped_rule_is_listed() {
    let g = guide();
    let set = rasoat::rules::RuleSet::builtin();
    for r in &set.rules {
        assert!(
            g.contains(&format!("`{}`", r.id)),
            "rule {} is not listed in rules/README.md",
            r.id
        );
    }
}
