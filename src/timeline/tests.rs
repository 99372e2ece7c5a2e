//! Small fixtures, one per rule, with the reason chain and the rule of law asserted.
//!
//! The documents are built by hand so that these tests pin the engine, not the parser.

use super::*;
use crate::model::{
    Citation, Date, Document, EffectRule, Issuer, IssuerLevel, Provision, ProvisionKind,
    ReasonKind, Relation, RepealScope, Status,
};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

const HUYEN: &str = "Ủy ban nhân dân huyện Tân Phong";
const TINH: &str = "Ủy ban nhân dân tỉnh Hà Lâm";

struct Fx(Document);

impl Fx {
    fn new(id: &str, issuer: &str, issued: &str, from: &str) -> Fx {
        Fx(Document {
            id: id.into(),
            number: None,
            doc_type: Some("Quyết định".into()),
            issuer: Some(issuer.into()),
            issuer_detail: Some(Issuer {
                name: issuer.into(),
                parent: None,
                level: if issuer.contains("huyện") {
                    IssuerLevel::District
                } else {
                    IssuerLevel::Province
                },
                body: None,
                locality: None,
            }),
            place: None,
            issued: Some(d(issued)),
            title: Some("thử".into()),
            effective_from: Some(d(from)),
            effective_until: None,
            effect_rule: EffectRule::OnDate { date: d(from) },
            period: None,
            bases: vec![],
            proposal: None,
            enacting_formula: None,
            citations: vec![],
            provisions: vec![],
            recipients: vec![],
            signer: None,
            diagnostics: vec![],
            source: None,
            packed_text: None,
        })
    }

    /// An article with numbered clauses.
    fn article(mut self, n: u32, text: &str, clauses: &[&str]) -> Fx {
        let children = clauses
            .iter()
            .enumerate()
            .map(|(i, t)| Provision {
                kind: ProvisionKind::Clause,
                label: (i + 1).to_string(),
                path: format!("khoản {} Điều {n}", i + 1),
                heading: None,
                text: t.to_string(),
                children: vec![],
                line: 1,
                start: 0,
                end: 0,
            })
            .collect();
        self.0.provisions.push(Provision {
            kind: ProvisionKind::Article,
            label: n.to_string(),
            path: format!("Điều {n}"),
            heading: None,
            text: text.into(),
            children,
            line: 1,
            start: 0,
            end: 0,
        });
        self
    }

    fn cite(
        mut self,
        relation: Relation,
        target: &str,
        provision: Option<&str>,
        source: &str,
    ) -> Fx {
        self.0.citations.push(Citation {
            raw: format!("{} {target}", provision.unwrap_or("")),
            target: Some(target.into()),
            target_type: None,
            target_name: None,
            target_issuer: None,
            date: None,
            provision: provision.map(String::from),
            relation,
            scope: Some(if provision.is_some() {
                RepealScope::Provision
            } else {
                RepealScope::Whole
            }),
            new_text: None,
            internal: false,
            source: Some(source.into()),
            line: 1,
            column: 1,
        });
        self
    }

    fn amend(mut self, target: &str, provision: &str, new_text: &str, source: &str) -> Fx {
        self = self.cite(Relation::Amends, target, Some(provision), source);
        self.0.citations.last_mut().unwrap().new_text = Some(new_text.into());
        self
    }

    fn done(self) -> Document {
        self.0
    }
}

fn timeline(docs: Vec<Document>) -> Timeline {
    Timeline::build(&docs, &Registry::builtin(), &LawPeriods::builtin())
}

fn status(t: &Timeline, id: &str, on: &str) -> crate::model::DocStatus {
    t.status(id, d(on)).expect("known document")
}

fn prov<'a>(s: &'a crate::model::DocStatus, path: &str) -> &'a crate::model::ProvisionStatus {
    s.provisions
        .iter()
        .find(|p| p.provision == path)
        .expect(path)
}

#[test]
fn not_yet_in_force_then_in_force_on_the_day() {
    let t = timeline(vec![Fx::new(
        "1/2021/QĐ-UBND",
        HUYEN,
        "2021-03-01",
        "2021-03-15",
    )
    .article(1, "Nội dung.", &[])
    .article(
        2,
        "Quyết định này có hiệu lực kể từ ngày 15 tháng 3 năm 2021.",
        &[],
    )
    .done()]);
    let before = status(&t, "1/2021/QĐ-UBND", "2021-03-14");
    assert_eq!(before.status, Status::NotYetInForce);
    assert_eq!(before.since, Some(d("2021-03-01")));
    let on = status(&t, "1/2021/QĐ-UBND", "2021-03-15");
    assert_eq!(on.status, Status::InForce);
    assert_eq!(on.since, Some(d("2021-03-15")));
    assert_eq!(on.reasons[0].kind, ReasonKind::EnteredIntoForce);
    assert_eq!(on.reasons[0].document, None);
    assert!(
        on.reasons[0].note.contains("Điều 2"),
        "{}",
        on.reasons[0].note
    );
    assert_eq!(
        on.reasons[0].legal_basis,
        "Điều 151 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
}

#[test]
fn replaced_by_same_issuer_is_case_2_from_the_day() {
    let old = Fx::new("15/2019/QĐ-UBND", HUYEN, "2019-05-01", "2019-05-15")
        .article(1, "Cũ.", &[])
        .done();
    let new = Fx::new("7/2022/QĐ-UBND", HUYEN, "2022-03-20", "2022-04-01")
        .article(1, "Mới.", &[])
        .cite(Relation::Replaces, "15/2019/QĐ-UBND", None, "Điều 3")
        .done();
    let t = timeline(vec![old, new]);
    assert_eq!(
        status(&t, "15/2019/QĐ-UBND", "2022-03-31").status,
        Status::InForce
    );
    let s = status(&t, "15/2019/QĐ-UBND", "2022-04-01");
    assert_eq!(s.status, Status::Expired);
    assert_eq!(s.since, Some(d("2022-04-01")));
    let r = &s.reasons[0];
    assert_eq!(r.kind, ReasonKind::Replaced);
    assert_eq!(r.document.as_deref(), Some("7/2022/QĐ-UBND"));
    assert_eq!(r.provision.as_deref(), Some("Điều 3"));
    assert_eq!(r.effective, Some(d("2022-04-01")));
    assert_eq!(
        r.legal_basis,
        "khoản 2 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
    assert_eq!(prov(&s, "Điều 1").status, Status::Expired);
}

#[test]
fn replaced_by_another_issuer_is_case_3() {
    let old = Fx::new("15/2019/QĐ-UBND", HUYEN, "2019-05-01", "2019-05-15")
        .article(1, "Cũ.", &[])
        .done();
    let new = Fx::new("20/2022/QĐ-UBND", TINH, "2022-03-20", "2022-04-01")
        .cite(Relation::Replaces, "15/2019/QĐ-UBND", None, "Điều 2")
        .done();
    let t = timeline(vec![old, new]);
    let s = status(&t, "15/2019/QĐ-UBND", "2023-01-01");
    assert_eq!(s.reasons[0].kind, ReasonKind::Replaced);
    assert_eq!(
        s.reasons[0].legal_basis,
        "khoản 3 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
}

#[test]
fn repeal_whole_and_one_article() {
    let a = Fx::new("3/2020/QĐ-UBND", HUYEN, "2020-01-01", "2020-01-15")
        .article(1, "Một.", &["khoản một", "khoản hai"])
        .article(2, "Hai.", &[])
        .done();
    let b = Fx::new("4/2020/QĐ-UBND", HUYEN, "2020-01-01", "2020-01-15")
        .article(1, "Một.", &[])
        .done();
    let r = Fx::new("9/2023/QĐ-UBND", HUYEN, "2023-06-01", "2023-06-12")
        .cite(
            Relation::Repeals,
            "3/2020/QĐ-UBND",
            Some("Điều 1"),
            "khoản 1 Điều 1",
        )
        .cite(Relation::Repeals, "4/2020/QĐ-UBND", None, "khoản 2 Điều 1")
        .done();
    let t = timeline(vec![a, b, r]);
    // One article: the article and its clauses expire, the document is partially expired.
    let before = status(&t, "3/2020/QĐ-UBND", "2023-06-11");
    assert_eq!(before.status, Status::InForce);
    assert_eq!(prov(&before, "khoản 2 Điều 1").status, Status::InForce);
    let s = status(&t, "3/2020/QĐ-UBND", "2023-06-12");
    assert_eq!(s.status, Status::PartiallyExpired);
    assert_eq!(s.since, Some(d("2023-06-12")));
    assert_eq!(s.reasons[0].kind, ReasonKind::ProvisionsExpired);
    assert_eq!(prov(&s, "Điều 1").reasons[0].kind, ReasonKind::Repealed);
    assert_eq!(s.reasons[0].document.as_deref(), Some("9/2023/QĐ-UBND"));
    assert_eq!(s.reasons[0].provision.as_deref(), Some("khoản 1 Điều 1"));
    assert_eq!(
        s.reasons[0].legal_basis,
        "khoản 3 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
    assert_eq!(prov(&s, "Điều 1").status, Status::Expired);
    assert_eq!(prov(&s, "khoản 2 Điều 1").status, Status::Expired);
    assert_eq!(prov(&s, "Điều 2").status, Status::InForce);
    // Whole.
    let w = status(&t, "4/2020/QĐ-UBND", "2023-06-12");
    assert_eq!(w.status, Status::Expired);
    assert_eq!(w.reasons[0].kind, ReasonKind::Repealed);
    assert_eq!(
        status(&t, "4/2020/QĐ-UBND", "2023-06-11").status,
        Status::InForce
    );
}

#[test]
fn every_article_repealed_expires_the_document() {
    let a = Fx::new("3/2020/QĐ-UBND", HUYEN, "2020-01-01", "2020-01-15")
        .article(1, "Một.", &[])
        .article(2, "Hai.", &[])
        .done();
    let r1 = Fx::new("9/2023/QĐ-UBND", HUYEN, "2023-06-01", "2023-06-12")
        .cite(
            Relation::Repeals,
            "3/2020/QĐ-UBND",
            Some("Điều 1"),
            "Điều 1",
        )
        .done();
    let r2 = Fx::new("2/2024/QĐ-UBND", HUYEN, "2024-01-01", "2024-01-15")
        .cite(
            Relation::Repeals,
            "3/2020/QĐ-UBND",
            Some("Điều 2"),
            "Điều 1",
        )
        .done();
    let t = timeline(vec![a, r1, r2]);
    let s = status(&t, "3/2020/QĐ-UBND", "2024-01-15");
    assert_eq!(s.status, Status::Expired);
    assert_eq!(s.since, Some(d("2024-01-15")));
    assert_eq!(s.reasons[0].kind, ReasonKind::ProvisionsExpired);
    assert_eq!(s.reasons[0].document.as_deref(), Some("9/2023/QĐ-UBND"));
    assert_eq!(s.reasons[1].document.as_deref(), Some("2/2024/QĐ-UBND"));
}

#[test]
fn amended_clause_old_wording_until_the_day_before() {
    let a = Fx::new("3/2020/QĐ-UBND", HUYEN, "2020-01-01", "2020-01-15")
        .article(
            4,
            "Mức thu.",
            &["Mức thu 10.000 đồng.", "Miễn thu cho hộ nghèo."],
        )
        .done();
    let m = Fx::new("11/2023/QĐ-UBND", HUYEN, "2023-08-01", "2023-08-15")
        .amend(
            "3/2020/QĐ-UBND",
            "khoản 2 Điều 4",
            "Miễn thu cho hộ nghèo và hộ cận nghèo.",
            "khoản 1 Điều 1",
        )
        .done();
    let t = timeline(vec![a, m]);
    let before = status(&t, "3/2020/QĐ-UBND", "2023-08-14");
    assert_eq!(before.status, Status::InForce);
    assert!(prov(&before, "khoản 2 Điều 4").reasons.is_empty());
    let s = status(&t, "3/2020/QĐ-UBND", "2023-08-15");
    // An amendment leaves the document in force.
    assert_eq!(s.status, Status::InForce);
    assert_eq!(s.since, Some(d("2020-01-15")));
    let p = prov(&s, "khoản 2 Điều 4");
    assert_eq!(p.status, Status::InForce);
    assert_eq!(p.since, Some(d("2023-08-15")));
    assert_eq!(p.reasons[0].kind, ReasonKind::Amended);
    assert_eq!(p.reasons[0].document.as_deref(), Some("11/2023/QĐ-UBND"));
    assert_eq!(p.reasons[0].provision.as_deref(), Some("khoản 1 Điều 1"));
    assert_eq!(
        p.reasons[0].legal_basis,
        "khoản 2 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
    assert_eq!(prov(&s, "khoản 1 Điều 4").status, Status::InForce);
    assert!(prov(&s, "khoản 1 Điều 4").reasons.is_empty());
    // The old wording was in force up to the day before.
    let w = t.wordings("3/2020/QĐ-UBND", "khoản 2 Điều 4");
    assert_eq!(w.len(), 2);
    assert_eq!(w[0].text, "Miễn thu cho hộ nghèo.");
    assert_eq!(w[0].until, Some(d("2023-08-14")));
    assert_eq!(w[1].from, Some(d("2023-08-15")));
    assert_eq!(w[1].amended_by.as_deref(), Some("11/2023/QĐ-UBND"));
    assert_eq!(
        t.wording_on("3/2020/QĐ-UBND", "khoản 2 Điều 4", d("2023-08-14"))
            .unwrap()
            .text,
        "Miễn thu cho hộ nghèo."
    );
    assert_eq!(
        t.wording_on("3/2020/QĐ-UBND", "khoản 2 Điều 4", d("2023-08-15"))
            .unwrap()
            .text,
        "Miễn thu cho hộ nghèo và hộ cận nghèo."
    );
}

#[test]
fn amendment_after_2025_04_01_cites_law_64_2025() {
    let a = Fx::new("3/2020/QĐ-UBND", TINH, "2020-01-01", "2020-01-15")
        .article(4, "x", &["a", "b"])
        .done();
    let m = Fx::new("11/2025/QĐ-UBND", TINH, "2025-04-01", "2025-04-11")
        .amend("3/2020/QĐ-UBND", "khoản 2 Điều 4", "c", "Điều 1")
        .done();
    let t = timeline(vec![a, m]);
    let s = status(&t, "3/2020/QĐ-UBND", "2025-04-11");
    assert!(prov(&s, "khoản 2 Điều 4").reasons[0]
        .legal_basis
        .contains("Điều 57 Luật Ban hành văn bản quy phạm pháp luật 2025"));
}

#[test]
fn time_limit_expires_the_day_after() {
    let mut a = Fx::new("5/2021/QĐ-UBND", HUYEN, "2021-01-01", "2021-01-15")
        .article(1, "x", &[])
        .done();
    a.effective_until = Some(d("2023-12-31"));
    let t = timeline(vec![a]);
    assert_eq!(
        status(&t, "5/2021/QĐ-UBND", "2023-12-31").status,
        Status::InForce
    );
    let s = status(&t, "5/2021/QĐ-UBND", "2024-01-01");
    assert_eq!(s.status, Status::Expired);
    assert_eq!(s.since, Some(d("2024-01-01")));
    assert_eq!(s.reasons[0].kind, ReasonKind::TimeLimit);
    assert_eq!(s.reasons[0].document, None);
    assert_eq!(
        s.reasons[0].legal_basis,
        "khoản 1 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
}

#[test]
fn programme_period_ends_on_31_december_of_its_last_year() {
    let mut a = Fx::new("100/KH-UBND", HUYEN, "2021-02-01", "2021-02-01").done();
    a.period = Some((2021, 2025));
    let mut long = Fx::new("13969/QĐ-UBND", HUYEN, "2021-12-15", "2021-12-15").done();
    long.period = Some((2021, 2030));
    let t = timeline(vec![a, long]);
    assert_eq!(
        status(&t, "100/KH-UBND", "2025-12-31").status,
        Status::InForce
    );
    let s = status(&t, "100/KH-UBND", "2026-01-01");
    assert_eq!(s.status, Status::Expired);
    assert_eq!(s.reasons[0].kind, ReasonKind::TimeLimit);
    // A change on 2026-01-01 falls under Law 64/2025 as amended.
    assert!(
        s.reasons[0]
            .legal_basis
            .contains("sửa đổi, bổ sung năm 2025"),
        "{}",
        s.reasons[0].legal_basis
    );
    assert_eq!(
        status(&t, "13969/QĐ-UBND", "2026-11-29").status,
        Status::InForce
    );
}

#[test]
fn detailing_document_expires_with_its_parent_before_2025_04_01() {
    let parent = Fx::new("10/2018/QĐ-UBND", TINH, "2018-01-01", "2018-01-15")
        .article(1, "x", &[])
        .done();
    let child = Fx::new("2/2019/QĐ-UBND", HUYEN, "2019-01-01", "2019-01-15")
        .article(1, "y", &[])
        .cite(Relation::Details, "10/2018/QĐ-UBND", None, "Điều 1")
        .done();
    let repl = Fx::new("30/2024/QĐ-UBND", TINH, "2024-05-01", "2024-05-15")
        .cite(Relation::Replaces, "10/2018/QĐ-UBND", None, "Điều 5")
        .done();
    let t = timeline(vec![parent, child, repl]);
    assert_eq!(
        status(&t, "2/2019/QĐ-UBND", "2024-05-14").status,
        Status::InForce
    );
    let s = status(&t, "2/2019/QĐ-UBND", "2024-05-15");
    assert_eq!(s.status, Status::Expired);
    assert_eq!(s.since, Some(d("2024-05-15")));
    // The chain: parent expired, because the parent was replaced.
    assert_eq!(s.reasons[0].kind, ReasonKind::ParentExpired);
    assert_eq!(s.reasons[0].document.as_deref(), Some("10/2018/QĐ-UBND"));
    assert_eq!(
        s.reasons[0].legal_basis,
        "khoản 4 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015; khoản 2 Điều 38 Nghị định 34/2016/NĐ-CP"
    );
    assert_eq!(s.reasons[1].kind, ReasonKind::Replaced);
    assert_eq!(s.reasons[1].document.as_deref(), Some("30/2024/QĐ-UBND"));
}

#[test]
fn detailing_document_stays_in_force_when_its_parent_expires_after_2025_04_01() {
    let parent = Fx::new("10/2018/QĐ-UBND", TINH, "2018-01-01", "2018-01-15").done();
    let child = Fx::new("2/2019/QĐ-UBND", HUYEN, "2019-01-01", "2019-01-15")
        .article(1, "y", &[])
        .cite(Relation::Details, "10/2018/QĐ-UBND", None, "Điều 1")
        .done();
    let repl = Fx::new("30/2025/QĐ-UBND", TINH, "2025-05-01", "2025-05-15")
        .cite(Relation::Replaces, "10/2018/QĐ-UBND", None, "Điều 5")
        .done();
    let t = timeline(vec![parent, child, repl]);
    let s = status(&t, "2/2019/QĐ-UBND", "2026-11-29");
    assert_eq!(s.status, Status::InForce);
    let review = t.review_candidates("2/2019/QĐ-UBND", d("2026-11-29"));
    assert_eq!(review.len(), 1);
    assert_eq!(review[0].kind, ReasonKind::ParentExpired);
    assert!(review[0].legal_basis.contains("Điều 57"));
    assert!(t
        .review_candidates("2/2019/QĐ-UBND", d("2025-05-14"))
        .is_empty());
}

#[test]
fn detailing_a_registry_law_follows_the_registry() {
    // Luật Đất đai 2013 was replaced from 2024-08-01: before the switch, so automatic.
    let child = Fx::new("8/2015/QĐ-UBND", TINH, "2015-01-01", "2015-01-15")
        .article(1, "y", &[])
        .cite(Relation::Details, "45/2013/QH13", None, "Điều 1")
        .done();
    let t = timeline(vec![child]);
    let s = status(&t, "8/2015/QĐ-UBND", "2024-08-01");
    assert_eq!(s.status, Status::Expired);
    assert_eq!(s.reasons[0].kind, ReasonKind::ParentExpired);
    assert_eq!(s.reasons[1].kind, ReasonKind::Replaced);
    assert_eq!(s.reasons[1].document.as_deref(), Some("31/2024/QH15"));
    assert_eq!(
        status(&t, "8/2015/QĐ-UBND", "2024-07-31").status,
        Status::InForce
    );
}

#[test]
fn expired_basis_leaves_the_document_in_force_and_is_listed() {
    let a = Fx::new("6/2020/QĐ-UBND", HUYEN, "2020-01-01", "2020-01-15")
        .article(1, "x", &[])
        .cite(Relation::Basis, "61/2018/NĐ-CP", None, "")
        .done();
    let mut a = a;
    a.citations[0].source = None;
    let t = timeline(vec![a]);
    let s = status(&t, "6/2020/QĐ-UBND", "2026-11-29");
    assert_eq!(s.status, Status::InForce);
    let bases = t.expired_bases("6/2020/QĐ-UBND", d("2026-11-29"));
    assert_eq!(bases.len(), 1);
    assert_eq!(bases[0].0, "61/2018/NĐ-CP");
    assert_eq!(bases[0].1.since, Some(d("2025-07-01")));
    assert_eq!(bases[0].1.reasons[0].kind, ReasonKind::Replaced);
    assert_eq!(
        bases[0].1.reasons[0].document.as_deref(),
        Some("118/2025/NĐ-CP")
    );
    assert!(t
        .expired_bases("6/2020/QĐ-UBND", d("2025-06-30"))
        .is_empty());
}

#[test]
fn registry_laws_switch_on_the_day() {
    let t = timeline(vec![]);
    assert_eq!(
        status(&t, "77/2015/QH13", "2025-02-28").status,
        Status::InForce
    );
    let s = status(&t, "77/2015/QH13", "2025-03-01");
    assert_eq!(s.status, Status::Expired);
    assert_eq!(s.reasons[0].document.as_deref(), Some("65/2025/QH15"));
    assert_eq!(
        s.reasons[0].legal_basis,
        "khoản 2 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015"
    );
    assert_eq!(
        status(&t, "80/2015/QH13", "2025-04-01").status,
        Status::Expired
    );
    // Unknown facts stay unknown: in force, since unknown.
    let s = status(&t, "3183/QĐ-UBND", "2026-11-29");
    assert_eq!(s.status, Status::InForce);
    assert_eq!(s.since, None);
}

#[test]
fn suspension() {
    let a = Fx::new("3/2020/QĐ-UBND", HUYEN, "2020-01-01", "2020-01-15")
        .article(1, "x", &[])
        .done();
    let s = Fx::new("1/2021/QĐ-CT", TINH, "2021-01-01", "2021-01-01")
        .cite(Relation::Suspends, "3/2020/QĐ-UBND", None, "Điều 1")
        .done();
    let t = timeline(vec![a, s]);
    assert_eq!(
        status(&t, "3/2020/QĐ-UBND", "2020-12-31").status,
        Status::InForce
    );
    let st = status(&t, "3/2020/QĐ-UBND", "2021-01-01");
    assert_eq!(st.status, Status::Suspended);
    assert_eq!(st.reasons[0].kind, ReasonKind::Suspended);
}

#[test]
fn history_lists_each_change() {
    let a = Fx::new("3/2020/QĐ-UBND", HUYEN, "2020-01-01", "2020-01-15")
        .article(1, "Một.", &[])
        .article(2, "Hai.", &[])
        .done();
    let r = Fx::new("9/2023/QĐ-UBND", HUYEN, "2023-06-01", "2023-06-12")
        .cite(
            Relation::Repeals,
            "3/2020/QĐ-UBND",
            Some("Điều 1"),
            "Điều 1",
        )
        .done();
    let w = Fx::new("2/2024/QĐ-UBND", HUYEN, "2024-01-01", "2024-01-15")
        .cite(Relation::Replaces, "3/2020/QĐ-UBND", None, "Điều 2")
        .done();
    let t = timeline(vec![a, r, w]);
    let h = t.history("3/2020/QĐ-UBND");
    let doc: Vec<(Date, Status)> = h
        .iter()
        .filter(|e| e.provision.is_none())
        .map(|e| (e.date, e.status))
        .collect();
    assert_eq!(
        doc,
        vec![
            (d("2020-01-01"), Status::NotYetInForce),
            (d("2020-01-15"), Status::InForce),
            (d("2023-06-12"), Status::PartiallyExpired),
            (d("2024-01-15"), Status::Expired),
        ]
    );
    assert!(h
        .iter()
        .any(|e| e.provision.as_deref() == Some("Điều 1") && e.status == Status::Expired));
}

#[test]
fn output_is_deterministic() {
    let build = || {
        let a = Fx::new("3/2020/QĐ-UBND", HUYEN, "2020-01-01", "2020-01-15")
            .article(1, "x", &[])
            .done();
        let r1 = Fx::new("9/2023/QĐ-UBND", HUYEN, "2023-06-01", "2023-06-12")
            .cite(Relation::Repeals, "3/2020/QĐ-UBND", None, "Điều 1")
            .done();
        let r2 = Fx::new("8/2023/QĐ-UBND", TINH, "2023-06-01", "2023-06-12")
            .cite(Relation::Repeals, "3/2020/QĐ-UBND", None, "Điều 1")
            .done();
        timeline(vec![r1, a, r2])
    };
    let x = serde_json::to_string(&build().status("3/2020/QĐ-UBND", d("2024-01-01"))).unwrap();
    let y = serde_json::to_string(&build().status("3/2020/QĐ-UBND", d("2024-01-01"))).unwrap();
    assert_eq!(x, y);
}

#[test]
fn detailing_a_law_cited_by_name_alone_is_a_review_candidate_not_an_expiry() {
    let mut child = Fx::new("5/2020/QĐ-UBND", TINH, "2020-02-14", "2020-03-01")
        .article(1, "y", &[])
        .done();
    child.citations.push(Citation {
        raw: "Luật Đất đai".into(),
        target: None,
        target_type: Some("Luật".into()),
        target_name: Some("Luật Đất đai".into()),
        target_issuer: None,
        date: None,
        provision: None,
        relation: Relation::Details,
        scope: None,
        new_text: None,
        internal: false,
        source: Some("Điều 1".into()),
        line: 1,
        column: 1,
    });
    let t = timeline(vec![child]);
    let s = status(&t, "5/2020/QĐ-UBND", "2026-11-29");
    assert_eq!(s.status, Status::InForce);
    let review = t.review_candidates("5/2020/QĐ-UBND", d("2026-11-29"));
    assert_eq!(review.len(), 1);
    assert_eq!(review[0].document.as_deref(), Some("45/2013/QH13"));
    assert_eq!(review[0].effective, Some(d("2024-08-01")));
}

/// The bundled corpus and a generated one, parsed.
fn parsed_corpora() -> Vec<Document> {
    let mut docs = crate::parse::bundled_corpus();
    let (files, _) = crate::corpusgen::generate(300, 7);
    for f in &files {
        docs.push(crate::parse::parse_document(&f.path, &f.text));
    }
    docs
}

#[test]
fn documents_without_text_answer_every_status_question_as_whole_ones() {
    // What `rasoat status` prints, from a timeline of whole documents and from one of
    // documents without their provisions' text: statuses, reasons, histories, expired
    // bases, review candidates, and the document's title, issuer and origin.
    let whole_docs = parsed_corpora();
    let mut bare_docs = whole_docs.clone();
    bare_docs.iter_mut().for_each(without_text);
    let whole = Timeline::from_documents(whole_docs, &Registry::builtin(), &LawPeriods::builtin());
    let bare = Timeline::from_documents(bare_docs, &Registry::builtin(), &LawPeriods::builtin());
    let ids: Vec<&str> = whole.documents().collect();
    assert_eq!(ids, bare.documents().collect::<Vec<_>>());
    assert!(ids.len() > 300, "{} documents", ids.len());
    let mut changed = 0;
    for id in &ids {
        assert_eq!(whole.is_external(id), bare.is_external(id), "{id}");
        assert_eq!(
            whole.issued_by_district(id),
            bare.issued_by_district(id),
            "{id}"
        );
        let (a, b) = (whole.document(id).unwrap(), bare.document(id).unwrap());
        assert_eq!(
            (&a.doc_type, &a.title, &a.issuer, &a.source),
            (&b.doc_type, &b.title, &b.issuer, &b.source),
            "{id}"
        );
        assert_eq!(json(&whole.history(id)), json(&bare.history(id)), "{id}");
        for on in [
            "2015-01-01",
            "2021-06-30",
            "2024-12-31",
            "2025-06-30",
            "2026-11-29",
        ] {
            let on = d(on);
            let s = whole.status(id, on);
            if s.as_ref().is_some_and(|s| !s.reasons.is_empty()) {
                changed += 1;
            }
            assert_eq!(json(&s), json(&bare.status(id, on)), "{id} on {on}");
            assert_eq!(
                json(&whole.expired_bases(id, on)),
                json(&bare.expired_bases(id, on)),
                "{id} on {on}"
            );
            assert_eq!(
                json(&whole.review_candidates(id, on)),
                json(&bare.review_candidates(id, on)),
                "{id} on {on}"
            );
        }
    }
    assert!(changed > 100, "{changed} statuses with reasons");
    // `rasoat show` puts the document it prints whole in place of its skeleton: the text on
    // each date, amendments included, is then the whole timeline's.
    let mut bare = bare;
    let left = bare.put_documents(parsed_corpora());
    assert!(left.len() < 5, "{} documents left out", left.len());
    let mut amended = 0;
    for id in &ids {
        for on in ["2021-06-30", "2024-12-31", "2026-11-29"] {
            let on = d(on);
            let Some(s) = whole.status(id, on) else {
                continue;
            };
            let a = whole.text_on(id, &s, on);
            amended += a.iter().filter(|p| p.amended_by.is_some()).count();
            assert_eq!(json(&a), json(&bare.text_on(id, &s, on)), "{id} on {on}");
        }
    }
    assert!(amended > 0, "no amended wording shown");
}

/// An answer of the engine, serialised for comparison.
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}
