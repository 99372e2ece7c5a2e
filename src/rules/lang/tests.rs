use super::*;

const GOOD: &str = "# a comment\n\
rule expired.whole — kind expired, severity high\n\
  for each document\n\
  where its status on the review date is expired\n\
  say \"{document} hết hiệu lực từ ngày {since}.\"\n\
  law \"{reason.law}\"\n";

#[test]
fn a_rule_reads() {
    let (rules, errors) = parse_file("t.rule", GOOD);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(rules.len(), 1);
    let r = &rules[0];
    assert_eq!(r.id, "expired.whole");
    assert_eq!(r.kind, FindingKind::Expired);
    assert_eq!(r.severity, Severity::High);
    assert_eq!(r.scope, Scope::Document);
    assert_eq!(
        r.conditions,
        vec![Cond::StatusIs(vec![crate::model::Status::Expired])]
    );
    assert!(r.enabled);
}

#[test]
fn a_rule_can_be_switched_off() {
    let text = GOOD.replace("severity high", "severity high, off");
    let (rules, errors) = parse_file("t.rule", &text);
    assert!(errors.is_empty());
    assert!(!rules[0].enabled);
}

#[test]
fn words_compare_without_diacritics_and_lists_take_or() {
    let text = GOOD.replace(
        "its status on the review date is expired",
        "ITS status on the review date is in force or partially expired",
    );
    let (rules, errors) = parse_file("t.rule", &text);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        rules[0].conditions,
        vec![Cond::StatusIs(vec![
            crate::model::Status::InForce,
            crate::model::Status::PartiallyExpired
        ])]
    );
}

#[test]
fn one_broken_rule_leaves_the_others() {
    let text =
        format!("{GOOD}\nrule broken — kind expired\n  for each document\n  say \"x\n{GOOD}");
    let text = text.replace("rule expired.whole", "rule expired.a");
    let (rules, errors) = parse_file("t.rule", &text);
    assert_eq!(rules.len(), 2);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, ErrorKind::Syntax);
    assert_eq!(errors[0].span.line, 10);
}

#[test]
fn a_condition_of_another_scope_is_named_as_such() {
    let text = GOOD.replace("for each document", "for each citation");
    let (_, errors) = parse_file("t.rule", &text);
    assert_eq!(errors[0].kind, ErrorKind::UnknownCondition);
    assert!(
        errors[0].message.contains("a condition on documents"),
        "{}",
        errors[0]
    );
}

#[test]
fn edit_distance_finds_typos() {
    assert_eq!(
        nearest("severty", &["kind", "severity", "off"]),
        Some("severity")
    );
    assert_eq!(nearest("colour", &["kind", "severity", "off"]), None);
}
