//! Review rules: the language a jurist writes them in ([`lang`]), and their evaluation over
//! the timeline on a review date ([`run`]).
//!
//! The shipped rule pack lives in `rules/*.rule` (and is built into the binary, so
//! `rasoat check` works without the folder). A rule file with errors is reported — file,
//! line, column, a caret and a hint — and the rules of the other files, and the correct rules
//! of the same file, still run.
//!
//! Pure: no IO (the command line reads the rule files and hands their text to
//! [`RuleSet::parse`]); same documents, rules and date give the same findings with the same
//! ids, in the same order (kind, document, provision, rule).

pub mod blocks;
pub mod conflict;
pub mod eval;
pub mod groups;
pub mod lang;
pub mod overlap;
pub mod quantities;

pub use eval::{finding_id, Context};
pub use lang::{Rule, RuleError};

use crate::model::{Date, Finding};
use crate::timeline::{LawPeriods, Timeline};

/// The rule files shipped with rasoat, built in.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rules/status.rule", include_str!("../../rules/status.rule")),
    ("rules/basis.rule", include_str!("../../rules/basis.rule")),
    (
        "rules/conflict.rule",
        include_str!("../../rules/conflict.rule"),
    ),
    (
        "rules/overlap.rule",
        include_str!("../../rules/overlap.rule"),
    ),
    (
        "rules/inconsistency.rule",
        include_str!("../../rules/inconsistency.rule"),
    ),
    ("rules/format.rule", include_str!("../../rules/format.rule")),
    (
        "rules/authority.rule",
        include_str!("../../rules/authority.rule"),
    ),
];

/// Rules read from files, with the errors of the broken ones.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub errors: Vec<RuleError>,
}

impl RuleSet {
    /// Parses the given `(file name, text)` pairs.
    pub fn parse(files: &[(String, String)]) -> RuleSet {
        let mut set = RuleSet::default();
        for (name, text) in files {
            let (rules, errors) = lang::parse_file(name, text);
            set.rules.extend(rules);
            set.errors.extend(errors);
        }
        set
    }

    /// The built-in pack.
    pub fn builtin() -> RuleSet {
        let files: Vec<(String, String)> = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Self::parse(&files)
    }
}

/// Runs the enabled rules on `as_of`; findings sorted by kind, document, provision, rule,
/// related. Rules run in parallel.
pub fn run(timeline: &Timeline, periods: &LawPeriods, as_of: Date, rules: &[Rule]) -> Vec<Finding> {
    let t0 = std::time::Instant::now();
    let cx = Context::new(timeline, periods, as_of);
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        "check: statuses and units"
    );
    run_in(cx, rules)
}

/// [`run`] in a prepared context (over part of the store: [`Context::over`]).
pub fn run_in(mut cx: Context<'_>, rules: &[Rule]) -> Vec<Finding> {
    // Rules over pairs hold what they compare across the corpus (word sets, shingles) and
    // are parallel inside: run one at a time, so that their memory is not added together,
    // and before the rules on single documents, whose findings (hundreds of thousands in a
    // province) are then not held while they run. The other rules run side by side, each
    // document through all of them in turn.
    let (pair, single): (Vec<&Rule>, Vec<&Rule>) = rules
        .iter()
        .filter(|r| r.enabled)
        .partition(|r| r.scope == lang::Scope::Pair);
    let mut out = Vec::new();
    for r in pair {
        let t0 = std::time::Instant::now();
        out.extend(eval::run_rule(&cx, r));
        tracing::info!(seconds = t0.elapsed().as_secs_f64(), rule = %r.id, "check: pair rule");
    }
    cx.release_pair_data();
    let t0 = std::time::Instant::now();
    eval::run_document_rules(&cx, &single, &mut out);
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        rules = single.len(),
        "check: rules on single documents"
    );
    sort_findings(&mut out);
    out
}

/// The deterministic order of findings, without duplicates of the same id.
pub fn sort_findings(out: &mut Vec<Finding>) {
    out.sort_by(|a, b| {
        (
            a.kind,
            &a.document,
            &a.provision,
            &a.rule,
            &a.related,
            &a.id,
        )
            .cmp(&(
                b.kind,
                &b.document,
                &b.provision,
                &b.rule,
                &b.related,
                &b.id,
            ))
    });
    out.dedup_by(|a, b| a.id == b.id);
}
