//! Evaluation: a rule's scope yields candidates, each condition keeps, drops or multiplies
//! them (a document with two expired bases gives two findings), and the message and rule of
//! law are filled in from the fields the scope and the conditions bound.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::blocks::{Blocks, Places};
use super::conflict;
use super::lang::{Cond, Rule, Scope};
use super::overlap;
use super::quantities::{self, QuantityKind};
use crate::model::{
    Date, DocStatus, Document, Evidence, Finding, IssuerLevel, Provision, ProvisionKind,
    ProvisionRef, Relation, Status,
};
use crate::resolve;
use crate::text::fold;
use crate::timeline::{LawPeriods, ModKind, Modification, Timeline};

/// What a run reads: the timeline (documents and statuses), the law periods and the date.
pub struct Context<'a> {
    pub timeline: &'a Timeline,
    pub periods: &'a LawPeriods,
    pub as_of: Date,
    docs: Vec<&'a Document>,
    statuses: HashMap<String, Option<DocStatus>>,
    mods: HashMap<(String, String), Vec<&'a Modification>>,
    units: Vec<Unit<'a>>,
    /// The localities each issuer's documents name, built when a pair rule first needs it.
    places: std::sync::OnceLock<Places>,
}

/// A provision taken as a unit of comparison for pair rules: a clause, or an article
/// without clauses; articles for similarity.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    pub doc: &'a Document,
    pub provision: &'a Provision,
    pub path: &'a str,
    pub kind: ProvisionKind,
    /// The heading of the article it belongs to.
    pub heading: &'a str,
    pub in_force: bool,
    /// The wording on the review date when a later text changed it.
    wording: Option<String>,
    /// Its place in [`Document::all_provisions`], where its text is when packed.
    at: u32,
}

impl<'a> Unit<'a> {
    /// The wording on the review date, with its descendants (their headings and texts, one
    /// per line). Made when asked rather than kept: a corpus's units hold every clause's text
    /// again inside its article's, which would double the memory of a check.
    pub fn text(&self) -> Cow<'_, str> {
        if let Some(w) = &self.wording {
            return Cow::Borrowed(w);
        }
        let walk = self.provision.walk();
        let join = |texts: &[&str]| {
            let mut s = String::with_capacity(texts[0].len() + 1);
            for (i, (q, text)) in walk.iter().zip(texts).enumerate() {
                if i > 0 {
                    if let Some(h) = &q.heading {
                        s.push_str(h);
                        s.push('\n');
                    }
                }
                s.push_str(text);
                s.push('\n');
            }
            s
        };
        Cow::Owned(match self.doc.packed_text {
            None => join(&walk.iter().map(|q| q.text.as_str()).collect::<Vec<_>>()),
            Some(_) => self.doc.with_texts_at(self.at as usize, walk.len(), join),
        })
    }
}

#[derive(Debug, Clone)]
struct Hit<'a> {
    doc: &'a Document,
    provision: Option<String>,
    related: Vec<ProvisionRef>,
    since: Option<Date>,
    evidence: Vec<Evidence>,
    /// The fields the conditions bound; the document's own ([`base_fields`]) and a
    /// provision's quotation are added only to a hit that becomes a finding (most candidates
    /// fail a condition, and would have made them for nothing).
    fields: BTreeMap<String, String>,
    /// A provision candidate: the provision and its place in [`Document::all_provisions`].
    candidate: Option<(usize, &'a Provision)>,
    citation: Option<usize>,
    pair: Option<(usize, usize)>,
}

/// Cuts a quotation to about `n` characters at a word boundary.
pub fn quote(s: &str, n: usize) -> String {
    quote_words(s.split_whitespace(), n)
}

/// [`quote`] of the text these words make, joined by single spaces, reading no further than
/// the cut (a provision's quotation need not build the text of all its descendants).
pub fn quote_words<'w>(words: impl Iterator<Item = &'w str>, n: usize) -> String {
    let mut out = String::new();
    let mut chars = 0usize;
    for w in words {
        let wc = w.chars().count();
        let sep = usize::from(!out.is_empty());
        if chars + sep + wc <= n {
            if sep == 1 {
                out.push(' ');
            }
            out.push_str(w);
            chars += sep + wc;
            continue;
        }
        // Over: the first `n` characters, cut back to their last space.
        let cut = if out.is_empty() {
            w.chars().take(n).collect()
        } else if chars < n {
            out
        } else {
            match out.rsplit_once(' ') {
                Some((a, _)) => a.to_string(),
                None => out,
            }
        };
        return format!("{cut} …");
    }
    out
}

/// A date the way a Vietnamese list writes it: `05/3/2021` → `05/03/2021`.
pub fn vn_date(d: Date) -> String {
    use chrono::Datelike;
    // As chrono's `%d/%m/%Y`, without parsing the format for each of the hundreds of
    // thousands of dates a review writes.
    if (0..=9999).contains(&d.year()) {
        format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
    } else {
        d.format("%d/%m/%Y").to_string()
    }
}

fn display_doc(d: &Document) -> String {
    let t = d.doc_type.clone().unwrap_or_else(|| "Văn bản".into());
    format!("{t} số {}", resolve::plain_number(&d.id))
}

fn display_doc_id(t: &Timeline, id: &str) -> String {
    match t.document(id) {
        // A law or decree of the registry is cited by its name: `Luật Tổ chức chính quyền
        // địa phương số 77/2015/QH13`.
        Some(d) if t.is_external(id) => match &d.title {
            Some(name) => format!("{name} số {}", resolve::plain_number(id)),
            None => display_doc(d),
        },
        Some(d) => display_doc(d),
        None => resolve::plain_number(id).to_string(),
    }
}

fn display_prov(t: &Timeline, id: &str, p: Option<&str>) -> String {
    match p {
        Some(p) => format!("{p} {}", display_doc_id(t, id)),
        None => display_doc_id(t, id),
    }
}

fn level_name(l: IssuerLevel) -> &'static str {
    match l {
        IssuerLevel::Central => "trung ương",
        IssuerLevel::Province => "cấp tỉnh",
        IssuerLevel::District => "cấp huyện",
        IssuerLevel::Commune => "cấp xã",
        IssuerLevel::Unknown => "không rõ cấp",
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::InForce => "còn hiệu lực",
        Status::PartiallyExpired => "hết hiệu lực một phần",
        Status::Expired => "hết hiệu lực toàn bộ",
        Status::NotYetInForce => "chưa có hiệu lực",
        Status::Suspended => "ngưng hiệu lực",
    }
}

/// Rank in the hierarchy of legal force: lower is stronger. A council (HĐND) ranks above the
/// committee (UBND) of its level.
pub fn force_rank(d: &Document) -> u8 {
    let Some(i) = &d.issuer_detail else { return 9 };
    let level = match i.level {
        IssuerLevel::Central => 0,
        IssuerLevel::Province => 1,
        IssuerLevel::District => 2,
        IssuerLevel::Commune => 3,
        IssuerLevel::Unknown => return 9,
    };
    let committee = i
        .body
        .as_deref()
        .map(fold)
        .is_some_and(|b| b.contains("uy ban"));
    level * 2 + u8::from(committee)
}

pub(super) fn same_issuer(a: &Document, b: &Document) -> bool {
    match (&a.issuer, &b.issuer) {
        (Some(x), Some(y)) => fold(x) == fold(y),
        _ => false,
    }
}

fn units_of<'a>(
    t: &Timeline,
    d: &'a Document,
    status: Option<&DocStatus>,
    as_of: Date,
) -> Vec<Unit<'a>> {
    let mut out = Vec::new();
    let doc_ok =
        status.is_some_and(|s| matches!(s.status, Status::InForce | Status::PartiallyExpired));
    let prov_ok = |path: &str| {
        doc_ok
            && status.is_none_or(|s| {
                s.provisions
                    .iter()
                    .find(|p| p.provision == path)
                    .is_none_or(|p| p.status == Status::InForce)
            })
    };
    let wording = |p: &Provision| {
        if t.has_amendments(&d.id, &p.path) {
            t.wording_on(&d.id, &p.path, as_of).map(|w| w.text)
        } else {
            None
        }
    };
    fn visit<'a>(p: &'a Provision, heading: &'a str, out: &mut Vec<(&'a Provision, &'a str)>) {
        let h = if p.kind == ProvisionKind::Article {
            p.heading.as_deref().unwrap_or_default()
        } else {
            heading
        };
        out.push((p, h));
        for c in &p.children {
            visit(c, h, out);
        }
    }
    let mut all = Vec::new();
    for p in &d.provisions {
        visit(p, "", &mut all);
    }
    // `all` is in the order of `Document::all_provisions`: a provision's place there is
    // where its text is when packed.
    for (at, (p, heading)) in all.into_iter().enumerate() {
        let is_unit = matches!(p.kind, ProvisionKind::Article | ProvisionKind::Clause);
        if !is_unit {
            continue;
        }
        out.push(Unit {
            doc: d,
            provision: p,
            path: &p.path,
            kind: p.kind,
            wording: wording(p),
            heading,
            in_force: prov_ok(&p.path),
            at: u32::try_from(at).expect("a document's provisions fit in 32 bits"),
        });
    }
    out
}

impl<'a> Context<'a> {
    /// Prepares a run: statuses of every stored document on `as_of`, and the units.
    pub fn new(timeline: &'a Timeline, periods: &'a LawPeriods, as_of: Date) -> Self {
        Self::over(timeline, periods, as_of, |_| true)
    }

    /// [`Context::new`] over the stored documents `keep` accepts only: the rules then find
    /// what concerns those documents, as in a run over all of them when they form whole
    /// [`super::groups::Groups`] and [`Context::set_places`] gives the localities of the
    /// whole store.
    pub fn over(
        timeline: &'a Timeline,
        periods: &'a LawPeriods,
        as_of: Date,
        keep: impl Fn(&Document) -> bool,
    ) -> Self {
        let docs: Vec<&Document> = timeline
            .documents()
            .filter(|id| !timeline.is_external(id))
            .filter_map(|id| timeline.document(id))
            .filter(|d| keep(d))
            .collect();
        // Each document's status and units together, on every core. A run reads a
        // document's own status, date and reasons; its provisions' statuses only choose the
        // units in force, so they are dropped once the units are made (at 100k documents
        // they would be held for the whole run).
        let per_doc: Vec<(Option<DocStatus>, Vec<Unit<'a>>)> = docs
            .par_iter()
            .map(|d| {
                let mut s = timeline.status(&d.id, as_of);
                let units = units_of(timeline, d, s.as_ref(), as_of);
                if let Some(s) = &mut s {
                    s.provisions = Vec::new();
                }
                (s, units)
            })
            .collect();
        let mut statuses = HashMap::with_capacity(docs.len());
        // Sized once: grown by doubling, 1.5 million units at 100k documents were held
        // twice while the vector moved.
        let mut units = Vec::with_capacity(per_doc.iter().map(|(_, u)| u.len()).sum());
        for (d, (s, u)) in docs.iter().zip(per_doc) {
            statuses.insert(d.id.clone(), s);
            units.extend(u);
        }
        let mut mods: HashMap<(String, String), Vec<&Modification>> = HashMap::new();
        for m in timeline.effects() {
            if let Some(p) = &m.target_provision {
                mods.entry((m.target.clone(), p.clone()))
                    .or_default()
                    .push(m);
            }
        }
        Context {
            timeline,
            periods,
            as_of,
            docs,
            statuses,
            mods,
            units,
            places: std::sync::OnceLock::new(),
        }
    }

    /// Gives the localities each issuer's documents name, built over the whole store, to a
    /// run over part of it.
    pub fn set_places(&mut self, places: Places) {
        self.places = std::sync::OnceLock::from(places);
    }

    /// The stored documents the run covers, sorted by id.
    pub fn documents(&self) -> &[&'a Document] {
        &self.docs
    }

    /// The localities each issuer's documents name (for "A's issuer is below B's").
    fn places(&self) -> &Places {
        self.places.get_or_init(|| Places::build(&self.docs))
    }

    fn status(&self, id: &str) -> Option<DocStatus> {
        match self.statuses.get(id) {
            Some(s) => s.clone(),
            None => self.timeline.status(id, self.as_of),
        }
    }

    /// The units (clauses and articles) of the stored documents.
    pub fn units(&self) -> &[Unit<'a>] {
        &self.units
    }

    /// Drops what only the rules over pairs read (the units, the issuers' localities), once
    /// they have run: at 100k documents 1.5 million units, given back before the rules on
    /// single documents make their findings. A pair rule run after it finds no pair.
    pub fn release_pair_data(&mut self) {
        self.units = Vec::new();
        self.places = std::sync::OnceLock::new();
    }
}

fn base_fields(cx: &Context<'_>, d: &Document) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert("document".into(), display_doc(d));
    f.insert("title".into(), d.title.clone().unwrap_or_default());
    f.insert("issuer".into(), d.issuer.clone().unwrap_or_default());
    f.insert(
        "issued".into(),
        d.issued
            .map(vn_date)
            .unwrap_or_else(|| "(không rõ ngày)".into()),
    );
    f.insert("as_of".into(), vn_date(cx.as_of));
    f.insert("type".into(), d.doc_type.clone().unwrap_or_default());
    if let Some(s) = cx.statuses.get(&d.id).and_then(Option::as_ref) {
        f.insert("status".into(), status_name(s.status).into());
    }
    f
}

fn new_hit<'a>(d: &'a Document) -> Hit<'a> {
    Hit {
        doc: d,
        provision: None,
        related: Vec::new(),
        since: None,
        evidence: Vec::new(),
        fields: BTreeMap::new(),
        candidate: None,
        citation: None,
        pair: None,
    }
}

/// The quotation of a provision candidate: its words and its descendants', about 200
/// characters.
fn candidate_quote(d: &Document, at: usize, p: &Provision) -> String {
    let walk = p.walk();
    d.with_texts_at(at, walk.len(), |texts| {
        let words = walk.iter().zip(texts).flat_map(|(q, text)| {
            q.heading
                .as_deref()
                .into_iter()
                .chain(std::iter::once(*text))
                .flat_map(str::split_whitespace)
        });
        quote_words(words, 200)
    })
}

fn provision_quote(t: &Timeline, id: &str, path: Option<&str>) -> Option<Evidence> {
    let d = t.document(id)?;
    let text = match path {
        Some(p) => d.provision(p).map(|p| d.full_text_of(p))?,
        None => d.title.clone()?,
    };
    Some(Evidence {
        document: id.to_string(),
        provision: path.map(str::to_string),
        quote: quote(&text, 300),
    })
}

/// Runs one rule; findings unsorted.
pub fn run_rule(cx: &Context<'_>, rule: &Rule) -> Vec<Finding> {
    match rule.scope {
        Scope::Pair => {
            let producer = rule
                .conditions
                .iter()
                .find(|c| c.finds_pairs())
                .expect("checked: a pair rule has a producer");
            pairs(cx, rule, producer)
                .into_iter()
                .flat_map(|h| chain(cx, rule, h))
                .collect()
        }
        _ => cx
            .docs
            .par_iter()
            .flat_map_iter(|d| run_rule_on(cx, rule, d))
            .collect(),
    }
}

/// Runs rules on single documents (not pairs), one document at a time on every core, each
/// document through every rule in turn (its provisions' text is then unpacked once);
/// findings unsorted, added to `out`.
pub fn run_document_rules(cx: &Context<'_>, rules: &[&Rule], out: &mut Vec<Finding>) {
    // Each document's findings in a list of their exact size, then moved onto `out` grown
    // once to the exact total: a province's review makes hundreds of thousands, and a list
    // grown by doubling (or joined from lists so grown) would hold them up to twice.
    let per_doc: Vec<Vec<Finding>> = cx
        .docs
        .par_iter()
        .map(|d| {
            let mut v: Vec<Finding> = rules.iter().flat_map(|r| run_rule_on(cx, r, d)).collect();
            v.shrink_to_fit();
            v
        })
        .collect();
    out.reserve_exact(per_doc.iter().map(Vec::len).sum());
    for v in per_doc {
        out.extend(v);
    }
}

/// A candidate through the whole chain of conditions, before the next is made, so that only
/// the survivors are ever held (a provision rule has a candidate per provision of the
/// corpus).
fn chain<'a>(cx: &Context<'a>, rule: &Rule, h: Hit<'a>) -> Vec<Finding> {
    let mut hits = vec![h];
    for c in &rule.conditions {
        if c.finds_pairs() {
            continue;
        }
        hits = hits.into_iter().flat_map(|h| apply(cx, c, h)).collect();
        if hits.is_empty() {
            break;
        }
    }
    hits.into_iter().map(|h| finish(cx, rule, h)).collect()
}

/// Runs a rule on one document's candidates (the document, its provisions or its
/// citations); none for a rule on pairs.
fn run_rule_on<'a>(cx: &Context<'a>, rule: &Rule, d: &'a Document) -> Vec<Finding> {
    match rule.scope {
        Scope::Document => chain(cx, rule, new_hit(d)),
        Scope::Provision => d
            .all_provisions()
            .into_iter()
            .enumerate()
            .flat_map(|(at, p)| {
                let mut h = new_hit(d);
                h.provision = Some(p.path.clone());
                h.candidate = Some((at, p));
                chain(cx, rule, h)
            })
            .collect(),
        Scope::Citation => d
            .citations
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                let mut h = new_hit(d);
                h.provision = c.source.clone();
                h.citation = Some(i);
                h.fields
                    .insert("provision".into(), c.source.clone().unwrap_or_default());
                h.fields.insert("raw".into(), c.raw.clone());
                h.fields.insert(
                    "cited".into(),
                    c.target.clone().unwrap_or_else(|| c.raw.clone()),
                );
                h.fields
                    .insert("cited.date".into(), c.date.map(vn_date).unwrap_or_default());
                chain(cx, rule, h)
            })
            .collect(),
        Scope::Pair => Vec::new(),
    }
}

fn finish(cx: &Context<'_>, rule: &Rule, h: Hit<'_>) -> Finding {
    // The document's fields, a provision candidate's, then those the conditions bound (a
    // condition's value wins), then the rule's deadline.
    let mut fields = base_fields(cx, h.doc);
    if let Some((at, p)) = h.candidate {
        fields.insert("provision".into(), p.path.clone());
        fields.insert("text".into(), candidate_quote(h.doc, at, p));
    }
    fields.extend(h.fields);
    if let Some((d, note)) = &rule.deadline {
        fields.insert("deadline".into(), vn_date(*d));
        fields.insert("deadline.note".into(), note.clone());
    }
    let message = render(&rule.say, &fields);
    let legal_basis = render(&rule.law, &fields);
    let mut related = h.related;
    related.dedup();
    let id = finding_id(&rule.id, &h.doc.id, h.provision.as_deref(), &related);
    let mut f = Finding {
        id,
        rule: rule.id.clone(),
        kind: rule.kind,
        severity: rule.severity,
        document: h.doc.id.clone(),
        provision: h.provision,
        related,
        since: h.since,
        message,
        evidence: h.evidence,
        legal_basis,
    };
    f.shrink_to_fit();
    f
}

/// A stable id: FNV-1a of the rule, the document, the provision and the related ones.
pub fn finding_id(rule: &str, doc: &str, prov: Option<&str>, related: &[ProvisionRef]) -> String {
    let mut key = format!("{rule}\u{1f}{doc}\u{1f}{}", prov.unwrap_or(""));
    for r in related {
        key.push('\u{1f}');
        key.push_str(&r.document);
        key.push('\u{1e}');
        key.push_str(r.provision.as_deref().unwrap_or(""));
    }
    format!("{:016x}", overlap::fnv1a(key.as_bytes()))
}

/// Fills `{name}` placeholders.
pub fn render(template: &str, fields: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        match rest[i..].find('}') {
            Some(j) => {
                let name = &rest[i + 1..i + j];
                out.push_str(fields.get(name).map(String::as_str).unwrap_or(""));
                rest = &rest[i + j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn set_cause(cx: &Context<'_>, h: &mut Hit<'_>, r: &crate::model::Reason) {
    h.fields
        .insert("reason".into(), r.note.trim_end_matches('.').to_string());
    h.fields.insert("reason.law".into(), r.legal_basis.clone());
    if let Some(d) = &r.document {
        h.fields
            .insert("cause".into(), display_doc_id(cx.timeline, d));
        h.fields.insert(
            "cause.provision".into(),
            r.provision.clone().unwrap_or_default(),
        );
        h.related.push(ProvisionRef {
            document: d.clone(),
            provision: r.provision.clone(),
        });
        if let Some(e) = provision_quote(cx.timeline, d, r.provision.as_deref()) {
            h.evidence.push(e);
        }
    }
}

fn apply<'a>(cx: &Context<'a>, c: &Cond, mut h: Hit<'a>) -> Vec<Hit<'a>> {
    let t = cx.timeline;
    let keep = |b: bool, h: Hit<'a>| if b { vec![h] } else { vec![] };
    let d = h.doc;
    match c {
        Cond::StatusIs(wanted) => {
            let Some(s) = cx.status(&d.id) else {
                return vec![];
            };
            if !wanted.contains(&s.status) {
                return vec![];
            }
            h.since = s.since;
            h.fields
                .insert("since".into(), s.since.map(vn_date).unwrap_or_default());
            if s.status == Status::Expired {
                if let Some(r) = s.reasons.first() {
                    set_cause(cx, &mut h, r);
                }
                if h.evidence.is_empty() {
                    // Its own time limit: quote the document.
                    let q = match (d.effective_until, d.period) {
                        (Some(u), _) => format!("có hiệu lực đến hết ngày {}", vn_date(u)),
                        (None, Some((a, b))) => format!("giai đoạn {a} - {b}"),
                        _ => String::new(),
                    };
                    h.evidence.push(Evidence {
                        document: d.id.clone(),
                        provision: None,
                        quote: format!("{} {q}", quote(d.title.as_deref().unwrap_or(""), 200))
                            .trim()
                            .to_string(),
                    });
                }
            } else if let Some(r) = s.reasons.first() {
                h.fields
                    .insert("reason".into(), r.note.trim_end_matches('.').to_string());
                h.fields.insert("reason.law".into(), r.legal_basis.clone());
            }
            vec![h]
        }
        Cond::ReasonIs(kinds) => {
            let Some(s) = cx.status(&d.id) else {
                return vec![];
            };
            keep(s.reasons.iter().any(|r| kinds.contains(&r.kind)), h)
        }
        Cond::LevelIs(levels) => {
            let l = d.issuer_detail.as_ref().map(|i| i.level);
            if let Some(l) = l {
                h.fields.insert("level".into(), level_name(l).into());
            }
            keep(l.is_some_and(|l| levels.contains(&l)), h)
        }
        Cond::Normative(want) => {
            let n = d.number.as_ref().is_some_and(|n| n.normative);
            keep(n == *want, h)
        }
        Cond::AfterDistrictEnd => {
            let (end, law) = t.district_level_end();
            h.fields.insert("district_end".into(), vn_date(end));
            h.fields.insert("district.law".into(), law.to_string());
            if h.evidence.is_empty() {
                h.evidence.push(Evidence {
                    document: d.id.clone(),
                    provision: None,
                    quote: format!(
                        "{} — {}",
                        d.issuer.clone().unwrap_or_default(),
                        quote(d.title.as_deref().unwrap_or(""), 200)
                    ),
                });
            }
            keep(cx.as_of >= end, h)
        }
        Cond::BasisEnded { at_issue } => {
            let mut out = Vec::new();
            let mut seen: Vec<String> = Vec::new();
            for rc in t.resolutions(&d.id) {
                if rc.relation != Relation::Basis {
                    continue;
                }
                let Some(target) = &rc.target else { continue };
                if *target == d.id || seen.contains(target) {
                    continue;
                }
                let Some(s) = cx.status(target) else { continue };
                if s.status != Status::Expired {
                    continue;
                }
                seen.push(target.clone());
                // Was it already not in force when this document was issued?
                let at_issue_expired = match (d.issued, s.since) {
                    (Some(i), Some(since)) => since <= i,
                    _ => false,
                };
                if at_issue_expired != *at_issue {
                    continue;
                }
                let mut g = h.clone();
                g.related.push(ProvisionRef {
                    document: target.clone(),
                    provision: None,
                });
                g.since = s.since;
                g.fields.insert("basis".into(), display_doc_id(t, target));
                g.fields.insert(
                    "basis.since".into(),
                    s.since.map(vn_date).unwrap_or_default(),
                );
                if let Some(r) = s.reasons.first() {
                    g.fields
                        .insert("basis.reason".into(), r.note.trim_end_matches('.').into());
                    g.fields.insert("basis.law".into(), r.legal_basis.clone());
                }
                let cit = d.citations.get(rc.index);
                let line = cit.map(|c| c.line).unwrap_or(0);
                g.fields.insert("basis.line".into(), line.to_string());
                let text = match cit {
                    Some(c) => format!("Căn cứ {}", c.raw),
                    None => d
                        .bases
                        .iter()
                        .find(|b| b.line == line)
                        .map(|b| b.text.clone())
                        .unwrap_or_default(),
                };
                g.evidence.push(Evidence {
                    document: d.id.clone(),
                    provision: None,
                    quote: quote(&text, 300),
                });
                out.push(g);
            }
            out
        }
        Cond::ParentEndedLater => {
            let mut out = Vec::new();
            let bases: Vec<String> = t
                .resolutions(&d.id)
                .iter()
                .filter(|rc| rc.relation == Relation::Basis)
                .filter_map(|rc| rc.target.clone())
                .collect();
            for r in t.review_candidates(&d.id, cx.as_of) {
                let Some(p) = &r.document else { continue };
                if bases.contains(p) {
                    continue; // the basis rule reports it
                }
                let mut g = h.clone();
                g.related.push(ProvisionRef {
                    document: p.clone(),
                    provision: None,
                });
                g.since = r.effective;
                g.fields.insert("basis".into(), display_doc_id(t, p));
                g.fields.insert(
                    "basis.since".into(),
                    r.effective.map(vn_date).unwrap_or_default(),
                );
                g.fields
                    .insert("basis.reason".into(), r.note.trim_end_matches('.').into());
                g.fields.insert("basis.law".into(), r.legal_basis.clone());
                if let Some(e) = provision_quote(t, p, None) {
                    g.evidence.push(e);
                }
                out.push(g);
            }
            out
        }
        Cond::ParserNoted(codes) => {
            let mut out = Vec::new();
            for diag in &d.diagnostics {
                if !codes.contains(&diag.code) {
                    continue;
                }
                let mut g = h.clone();
                g.fields.insert("note".into(), vi_note(&diag.message));
                g.fields.insert("line".into(), diag.line.to_string());
                g.evidence.push(diagnostic_quote(d, diag));
                out.push(g);
            }
            out
        }
        Cond::TooEarly => {
            let (Some(issued), Some(from)) = (d.issued, crate::timeline::entry_into_force(d))
            else {
                return vec![];
            };
            let period = cx.periods.at(issued);
            let level = d.issuer_detail.as_ref().map(|i| i.level);
            let min = match level {
                Some(IssuerLevel::District | IssuerLevel::Commune) => {
                    period.min_days_district_commune
                }
                Some(IssuerLevel::Province) => period.min_days_province,
                _ => return vec![],
            };
            let days = (from - issued).num_days();
            if days >= i64::from(min) {
                return vec![];
            }
            h.since = Some(from);
            h.fields.insert("days".into(), days.to_string());
            h.fields.insert("min_days".into(), min.to_string());
            h.fields
                .insert("min.law".into(), period.min_days_legal_basis.clone());
            h.fields.insert("effective".into(), vn_date(from));
            let clause = d
                .all_provisions()
                .into_iter()
                .find(|p| fold(&d.text_of(p)).contains("co hieu luc"))
                .map(|p| (p.path.clone(), d.text_of(p).into_owned()));
            h.evidence.push(Evidence {
                document: d.id.clone(),
                provision: clause.as_ref().map(|c| c.0.clone()),
                quote: clause
                    .map(|c| quote(&c.1, 300))
                    .unwrap_or_else(|| format!("ký ngày {}", vn_date(issued))),
            });
            vec![h]
        }
        Cond::TitleContains(words) => {
            let title = fold(d.title.as_deref().unwrap_or(""));
            keep(words.iter().any(|w| title.contains(&fold(w))), h)
        }
        Cond::ProvisionEnded | Cond::ProvisionAmended => {
            let Some(path) = h.provision.clone() else {
                return vec![];
            };
            let want = if matches!(c, Cond::ProvisionEnded) {
                ModKind::ForceMod
            } else {
                ModKind::TextualMod
            };
            let Some(ms) = cx.mods.get(&(d.id.clone(), path.clone())) else {
                return vec![];
            };
            let Some(m) = ms
                .iter()
                .filter(|m| m.kind == want && m.date <= cx.as_of)
                .min_by_key(|m| m.date)
            else {
                return vec![];
            };
            h.since = Some(m.date);
            h.fields.insert("since".into(), vn_date(m.date));
            if let Some(r) = m.chain.first() {
                set_cause(cx, &mut h, r);
            }
            h.evidence.insert(
                0,
                Evidence {
                    document: d.id.clone(),
                    provision: Some(path.clone()),
                    quote: quote(
                        &d.provision(&path)
                            .map(|p| d.full_text_of(p))
                            .unwrap_or_default(),
                        300,
                    ),
                },
            );
            vec![h]
        }
        Cond::TextContains(words) => {
            let Some(p) = h.provision.as_deref().and_then(|p| d.provision(p)) else {
                return vec![];
            };
            let text = fold(&d.full_text_of(p));
            keep(words.iter().any(|w| text.contains(&fold(w))), h)
        }
        Cond::DocStatusIs(wanted) => {
            let s = cx.status(&d.id).map(|s| s.status);
            keep(s.is_some_and(|s| wanted.contains(&s)), h)
        }
        Cond::MissingInternal => {
            let Some(c) = h.citation.and_then(|i| d.citations.get(i)) else {
                return vec![];
            };
            if !c.internal {
                return vec![];
            }
            let Some(target) = &c.provision else {
                return vec![];
            };
            // A provision that also cites another document under a date other than this
            // one's may be naming that document's provisions: too ambiguous to report.
            let ambiguous = d
                .citations
                .iter()
                .any(|o| o.source == c.source && o.date.is_some_and(|x| Some(x) != d.issued));
            if ambiguous {
                return vec![];
            }
            // A compilation without a number is not a document under review.
            if d.number.is_none() {
                return vec![];
            }
            // The source of an amendment names the amended document's provisions.
            let source_text = c
                .source
                .as_deref()
                .and_then(|s| d.provision(s))
                .map(|p| fold(&d.text_of(p)))
                .unwrap_or_default();
            if ["sua doi", "bo sung", "bai bo", "thay the"]
                .iter()
                .any(|w| source_text.contains(w))
            {
                return vec![];
            }
            if names_another_text(d, &source_text, &fold(&c.raw)) {
                return vec![];
            }
            if d.provision(target).is_some() || !surely_missing(d, target) {
                return vec![];
            }
            h.fields.insert("target".into(), target.clone());
            h.evidence.push(Evidence {
                document: d.id.clone(),
                provision: c.source.clone(),
                quote: quote(
                    &c.source
                        .as_deref()
                        .and_then(|s| d.provision(s))
                        .map(|p| d.full_text_of(p))
                        .unwrap_or_else(|| c.raw.clone()),
                    300,
                ),
            });
            vec![h]
        }
        Cond::DatedAfter => {
            let Some(c) = h.citation.and_then(|i| d.citations.get(i)) else {
                return vec![];
            };
            let (Some(cd), Some(issued)) = (c.date, d.issued) else {
                return vec![];
            };
            if c.internal || cd <= issued {
                return vec![];
            }
            h.provision = None;
            if let Some(target) = t
                .resolutions(&d.id)
                .iter()
                .find(|r| r.index == h.citation.unwrap_or(usize::MAX))
                .and_then(|r| r.target.clone())
                .or_else(|| c.target.clone())
            {
                h.related.push(ProvisionRef {
                    document: target,
                    provision: None,
                });
            }
            h.fields.insert("cited.date".into(), vn_date(cd));
            h.evidence.push(Evidence {
                document: d.id.clone(),
                provision: c.source.clone(),
                quote: quote(&c.raw, 300),
            });
            vec![h]
        }
        Cond::ParserNotNoted(codes) => {
            keep(!d.diagnostics.iter().any(|x| codes.contains(&x.code)), h)
        }
        Cond::PairNormative
        | Cond::PairInForce
        | Cond::SameOrLower
        | Cond::NotBoilerplate(_)
        | Cond::NotHeaded(_)
        | Cond::NoQuantityDifference
        | Cond::NoneModifies => {
            let Some((a, b)) = h.pair else { return vec![] };
            keep(pair_holds(cx, c, a, b).unwrap_or(true), h)
        }
        Cond::QuantityConflict(_) | Cond::Similar(_) => vec![h],
    }
}

/// Whether the units of the ordered pair `(a, b)` (A, B: see [`order`]) meet a condition on
/// pairs; `None` for a condition that is not about a pair.
fn pair_holds(cx: &Context<'_>, c: &Cond, a: usize, b: usize) -> Option<bool> {
    let (ua, ub) = (&cx.units[a], &cx.units[b]);
    Some(match c {
        Cond::PairNormative | Cond::PairInForce | Cond::NotBoilerplate(_) | Cond::NotHeaded(_) => {
            unit_holds(c, ua) != Some(false) && unit_holds(c, ub) != Some(false)
        }
        Cond::SameOrLower => {
            same_issuer(ua.doc, ub.doc)
                || (force_rank(ua.doc) > force_rank(ub.doc) && cx.places().within(ua.doc, ub.doc))
        }
        Cond::NoQuantityDifference => {
            let values = |u: &Unit<'_>| {
                let mut m: BTreeMap<(QuantityKind, String), Vec<i64>> = BTreeMap::new();
                for q in quantities::extract(&u.text()) {
                    m.entry((q.kind, q.unit))
                        .or_default()
                        .push((q.value * 1000.0) as i64);
                }
                for v in m.values_mut() {
                    v.sort_unstable();
                }
                m
            };
            let (va, vb) = (values(ua), values(ub));
            !va.iter().any(|(k, v)| vb.get(k).is_some_and(|w| w != v))
        }
        Cond::NoneModifies => {
            let t = cx.timeline;
            let modifies = |x: &Document, y: &Document| {
                t.resolutions(&x.id).iter().any(|r| {
                    r.target.as_deref() == Some(y.id.as_str())
                        && matches!(
                            r.relation,
                            Relation::Amends | Relation::Replaces | Relation::Repeals
                        )
                })
            };
            !modifies(ua.doc, ub.doc) && !modifies(ub.doc, ua.doc)
        }
        _ => return None,
    })
}

/// Whether one unit meets the half of a pair condition that reads each unit alone ("A and B
/// are in force", "neither A nor B is boilerplate"); `None` for other conditions.
fn unit_holds(c: &Cond, u: &Unit<'_>) -> Option<bool> {
    Some(match c {
        Cond::PairNormative => u.doc.number.as_ref().is_some_and(|n| n.normative),
        Cond::PairInForce => u.in_force,
        Cond::NotBoilerplate(phrases) => {
            let t = fold(&u.text());
            !phrases.iter().any(|p| t.contains(&fold(p)))
        }
        Cond::NotHeaded(headings) => {
            let hd = fold(u.heading.trim());
            hd.is_empty() || !headings.iter().any(|x| hd.starts_with(&fold(x)))
        }
        _ => return None,
    })
}

/// True when the words after a reference name another text (`Điều 118 Luật Đất đai`,
/// `Điều 24 của Nghị định này` inside a decision): the parse took it for an internal one.
fn names_another_text(d: &Document, source: &str, raw: &str) -> bool {
    let Some(i) = source.find(raw) else {
        return false;
    };
    let after: String = source[i + raw.len()..].chars().take(40).collect();
    let after = after.trim_start().trim_start_matches("cua ").trim_start();
    const TYPES: &[&str] = &[
        "bo luat",
        "luat",
        "phap lenh",
        "nghi dinh",
        "thong tu",
        "quyet dinh",
        "nghi quyet",
        "chi thi",
    ];
    let Some(ty) = TYPES.iter().find(|t| after.starts_with(*t)) else {
        return false;
    };
    let own = d.doc_type.as_deref().map(fold).unwrap_or_default();
    !(own == *ty && after[ty.len()..].trim_start().starts_with("nay"))
}

/// True when a provision the document names is missing although the parse found the level
/// it belongs to: the article does not exist, or the article has clauses (points) but not
/// this one. A parse that found no clauses in the article at all proves nothing.
fn surely_missing(d: &Document, target: &str) -> bool {
    // `điểm a khoản 2 Điều 4 Quy chế` → its parent path `khoản 2 Điều 4 Quy chế`.
    let parent = match target.split_once(' ') {
        Some(("điểm" | "khoản", rest)) => rest.split_once(' ').map(|(_, p)| p),
        _ => None,
    };
    match parent {
        None => true,
        Some(p) => match d.provision(p) {
            None => surely_missing(d, p),
            Some(parent) => {
                let want = if target.starts_with("điểm") {
                    ProvisionKind::Point
                } else {
                    ProvisionKind::Clause
                };
                parent.children.iter().any(|c| c.kind == want)
            }
        },
    }
}

/// The Vietnamese part of a parser message, without the English gloss in brackets.
fn vi_note(msg: &str) -> String {
    let m = msg.trim().trim_end_matches('.');
    if let Some(i) = m.rfind(" (") {
        if m.ends_with(')') && m[i..].is_ascii() {
            return m[..i].trim().to_string();
        }
    }
    m.to_string()
}

/// A quotation of the source text at a parser note: the annex heading, the number, the
/// signature block, or the title.
fn diagnostic_quote(d: &Document, diag: &crate::model::Diagnostic) -> Evidence {
    let annex = || {
        d.all_provisions()
            .into_iter()
            .filter(|p| p.kind == ProvisionKind::Annex)
            .min_by_key(|p| p.line.abs_diff(diag.line))
            .map(|p| {
                (
                    Some(p.path.clone()),
                    quote(
                        &if fold(&d.text_of(p)).contains("kem theo") {
                            d.text_of(p).into_owned()
                        } else {
                            format!("{} {}", p.heading.clone().unwrap_or_default(), d.text_of(p))
                        },
                        200,
                    ),
                )
            })
    };
    let number = || {
        format!(
            "Số: {}",
            d.number.as_ref().map_or(d.id.as_str(), |n| n.id.as_str())
        )
    };
    let (provision, text) = match diag.code.as_str() {
        "annex_number_mismatch" | "annex_date_mismatch" => annex().unwrap_or((None, number())),
        "malformed_number" | "missing_number" | "number_type_mismatch" => (None, number()),
        "missing_signer" => (
            None,
            d.signer
                .as_ref()
                .map(|s| {
                    [s.capacity.clone(), s.title.clone(), Some(s.name.clone())]
                        .into_iter()
                        .flatten()
                        .filter(|x| !x.is_empty())
                        .collect::<Vec<_>>()
                        .join(" / ")
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("{} — (không có họ tên người ký)", number())),
        ),
        "missing_date" => (
            None,
            format!(
                "{}; {}",
                number(),
                d.place
                    .clone()
                    .map(|p| format!("{p}, ngày … tháng … năm …"))
                    .unwrap_or_else(|| "(không có địa danh, ngày tháng năm)".into())
            ),
        ),
        _ => (
            None,
            quote(d.title.as_deref().unwrap_or(&diag.message), 200),
        ),
    };
    Evidence {
        document: d.id.clone(),
        provision,
        quote: text,
    }
}

/// Orders a pair: A is the one of lower force, or for equal force the earlier one.
fn order(cx: &Context<'_>, i: usize, j: usize) -> (usize, usize) {
    let (a, b) = (&cx.units[i], &cx.units[j]);
    let ka = (
        std::cmp::Reverse(force_rank(a.doc)),
        a.doc.issued,
        &a.doc.id,
        &a.path,
    );
    let kb = (
        std::cmp::Reverse(force_rank(b.doc)),
        b.doc.issued,
        &b.doc.id,
        &b.path,
    );
    if ka <= kb {
        (i, j)
    } else {
        (j, i)
    }
}

fn pair_hit<'a>(cx: &Context<'a>, i: usize, j: usize) -> Hit<'a> {
    let (a, b) = order(cx, i, j);
    let (ua, ub) = (&cx.units[a], &cx.units[b]);
    let mut h = new_hit(ua.doc);
    h.provision = Some(ua.path.to_string());
    h.related.push(ProvisionRef {
        document: ub.doc.id.clone(),
        provision: Some(ub.path.to_string()),
    });
    h.pair = Some((a, b));
    let t = cx.timeline;
    h.fields
        .insert("A".into(), display_prov(t, &ua.doc.id, Some(ua.path)));
    h.fields
        .insert("B".into(), display_prov(t, &ub.doc.id, Some(ub.path)));
    h.fields.insert("A.document".into(), display_doc(ua.doc));
    h.fields.insert("B.document".into(), display_doc(ub.doc));
    h.fields.insert("A.provision".into(), ua.path.to_string());
    h.fields.insert("B.provision".into(), ub.path.to_string());
    h.fields
        .insert("A.issuer".into(), ua.doc.issuer.clone().unwrap_or_default());
    h.fields
        .insert("B.issuer".into(), ub.doc.issuer.clone().unwrap_or_default());
    h.fields.insert("A.text".into(), quote(&ua.text(), 200));
    h.fields.insert("B.text".into(), quote(&ub.text(), 200));
    h.fields.insert(
        "prevails".into(),
        display_prov(t, &ub.doc.id, Some(ub.path)),
    );
    for u in [ua, ub] {
        h.evidence.push(Evidence {
            document: u.doc.id.clone(),
            provision: Some(u.path.to_string()),
            quote: quote(&u.text(), 300),
        });
    }
    h
}

/// The pairs a pair rule's producer finds, as hits. The producer compares only the units that
/// meet the rule's conditions on each unit alone (in force, normative, not boilerplate, not
/// under an excluded heading) and, when the rule asks for the same issuer or a lower one, only
/// units of related issuers ([`Blocks`]); the pairs it finds are then tested against the
/// rule's other pair conditions before a hit is built for them.
fn pairs<'a>(cx: &Context<'a>, rule: &Rule, producer: &Cond) -> Vec<Hit<'a>> {
    // A rule on normative documents compares only units in force, as a rule on units in force.
    let in_force = rule.conditions.contains(&Cond::PairNormative);
    // The overlap producer compares articles only: the other units are not tested (the
    // boilerplate test folds a unit's whole text). On every core: a province has over a
    // million units.
    let articles_only = matches!(producer, Cond::Similar(_));
    // The overlap producer folds each article's text for its shingles: the boilerplate test,
    // which reads the same folded text, is made there (a boilerplate article gets no
    // shingles, hence no pair), not by folding every article once more here.
    let boilerplate: Vec<String> = if articles_only {
        rule.conditions
            .iter()
            .filter_map(|c| match c {
                Cond::NotBoilerplate(phrases) => Some(phrases.iter().map(|p| fold(p))),
                _ => None,
            })
            .flatten()
            .collect()
    } else {
        Vec::new()
    };
    let t0 = std::time::Instant::now();
    let eligible: Vec<bool> = cx
        .units
        .par_iter()
        .map(|u| {
            (!articles_only || u.kind == ProvisionKind::Article)
                && (!in_force || u.in_force)
                && rule.conditions.iter().all(|c| {
                    (articles_only && matches!(c, Cond::NotBoilerplate(_)))
                        || unit_holds(c, u) != Some(false)
                })
        })
        .collect();
    tracing::info!(
        seconds = t0.elapsed().as_secs_f64(),
        units = eligible.iter().filter(|&&e| e).count(),
        rule = %rule.id,
        "check: units a pair rule compares"
    );
    let blocks = if rule.conditions.contains(&Cond::SameOrLower) {
        let doc_of: Vec<&Document> = cx.units.iter().map(|u| u.doc).collect();
        Blocks::by_relation(&doc_of, super::groups::issuer_relation(cx.places()))
    } else {
        Blocks::all(cx.units.len())
    };
    let pair_conditions: Vec<&Cond> = rule
        .conditions
        .iter()
        .filter(|c| {
            matches!(
                c,
                Cond::SameOrLower | Cond::NoneModifies | Cond::NoQuantityDifference
            )
        })
        .collect();
    let wanted = |i: usize, j: usize| {
        let (a, b) = order(cx, i, j);
        pair_conditions
            .iter()
            .all(|c| pair_holds(cx, c, a, b) != Some(false))
    };
    match producer {
        Cond::QuantityConflict(kinds) => {
            conflict::conflicting_pairs(&cx.units, kinds, &eligible, &blocks)
                .into_iter()
                .filter(|c| wanted(c.a, c.b))
                .map(|c| {
                    let mut h = pair_hit(cx, c.a, c.b);
                    let (va, vb) = if h.pair == Some((c.a, c.b)) {
                        (c.a_value.clone(), c.b_value.clone())
                    } else {
                        (c.b_value.clone(), c.a_value.clone())
                    };
                    h.fields.insert("A.value".into(), va);
                    h.fields.insert("B.value".into(), vb);
                    h.fields.insert("matter".into(), c.matter.clone());
                    h
                })
                .collect()
        }
        Cond::Similar(threshold) => {
            // Articles only: the level at which copied text is seen and cited.
            let idx: Vec<usize> = (0..cx.units.len())
                .filter(|&i| eligible[i] && cx.units[i].kind == ProvisionKind::Article)
                .collect();
            let mut position = vec![usize::MAX; cx.units.len()];
            for (x, &i) in idx.iter().enumerate() {
                position[i] = x;
            }
            // The articles' shingle sets are made as needed rather than held.
            let shingles_of = |x: usize| {
                let folded = fold(&cx.units[idx[x]].text());
                if boilerplate.iter().any(|p| folded.contains(p.as_str())) {
                    return Vec::new();
                }
                overlap::shingles_of_folded(&folded)
            };
            overlap::near_duplicates_lazy(idx.len(), shingles_of, *threshold, |members, out| {
                let units: Vec<usize> = members.iter().map(|&x| idx[x]).collect();
                blocks.for_each_pair(&units, Some(overlap::MAX_BUCKET), |i, j| {
                    out(position[i], position[j])
                });
            })
            .into_iter()
            .filter(|(x, y, _)| cx.units[idx[*x]].doc.id != cx.units[idx[*y]].doc.id)
            .filter(|(x, y, _)| wanted(idx[*x], idx[*y]))
            .map(|(x, y, s)| {
                let mut h = pair_hit(cx, idx[x], idx[y]);
                h.fields
                    .insert("similarity".into(), format!("{:.0}%", s * 100.0));
                h
            })
            .collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2025, 7, 1),
            (1999, 12, 31),
            (2024, 2, 29),
            (5, 1, 9),
            (9999, 12, 31),
        ] {
            let date = Date::from_ymd_opt(y, m, d).expect("a valid date");
            assert_eq!(vn_date(date), date.format("%d/%m/%Y").to_string());
        }
        assert_eq!(
            vn_date(Date::from_ymd_opt(2025, 3, 1).expect("a valid date")),
            "01/03/2025"
        );
    }

    /// The bundled corpus, parsed, as a timeline.
    fn corpus_timeline() -> Timeline {
        corpus_timeline_with(|_| {})
    }

    /// [`corpus_timeline`] with every document as a check holds it: its provisions' text
    /// packed, what no rule reads dropped ([`Document::shed_for_rules`]).
    fn packed_corpus_timeline() -> Timeline {
        corpus_timeline_with(Document::shed_for_rules)
    }

    fn corpus_timeline_with(shed: impl Fn(&mut Document)) -> Timeline {
        let mut docs = crate::parse::bundled_corpus();
        docs.iter_mut().for_each(shed);
        Timeline::from_documents(
            docs,
            &crate::timeline::Registry::builtin(),
            &LawPeriods::builtin(),
        )
    }

    #[test]
    fn documents_as_a_check_holds_them_give_the_same_findings_units_and_wordings() {
        let (full, packed) = (corpus_timeline(), packed_corpus_timeline());
        let periods = LawPeriods::builtin();
        let rules = crate::rules::RuleSet::builtin().rules;
        for as_of in ["2019-06-30", "2024-12-31", "2026-01-01"] {
            let as_of: Date = as_of.parse().unwrap();
            let a = crate::rules::run(&full, &periods, as_of, &rules);
            let b = crate::rules::run(&packed, &periods, as_of, &rules);
            if as_of.to_string() == "2024-12-31" {
                assert!(a.len() > 20, "{} findings", a.len());
                assert!(a
                    .iter()
                    .any(|f| f.kind == crate::model::FindingKind::Conflict));
                assert!(a
                    .iter()
                    .any(|f| f.kind == crate::model::FindingKind::Overlap));
            }
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                serde_json::to_string(&b).unwrap()
            );
            let (ca, cb) = (
                Context::new(&full, &periods, as_of),
                Context::new(&packed, &periods, as_of),
            );
            assert_eq!(ca.units().len(), cb.units().len());
            for (x, y) in ca.units().iter().zip(cb.units()) {
                assert_eq!((x.doc.id.as_str(), x.path), (y.doc.id.as_str(), y.path));
                assert_eq!(x.text(), y.text());
            }
        }
        for id in full.documents().filter(|id| !full.is_external(id)) {
            let d = packed.document(id).unwrap();
            assert!(d.packed_text.is_some());
            assert!(d.all_provisions().iter().all(|p| p.text.is_empty()));
            for p in full.document(id).unwrap().all_provisions() {
                assert_eq!(full.wordings(id, &p.path), packed.wordings(id, &p.path));
            }
        }
    }

    #[test]
    fn a_unit_reads_its_subtree_or_the_wording_in_force() {
        let t = corpus_timeline();
        let periods = LawPeriods::builtin();
        let as_of: Date = "2024-12-31".parse().unwrap();
        let cx = Context::new(&t, &periods, as_of);
        let unit = |doc: &str, path: &str| {
            cx.units()
                .iter()
                .find(|u| u.doc.id == doc && u.path == path)
                .unwrap_or_else(|| panic!("no unit {path} of {doc}"))
        };
        // An amended clause reads as the amending text wrote it, not as first issued.
        let u = unit("15/2019/QĐ-UBND", "khoản 2 Điều 5 Quy chế");
        let wording = t
            .wording_on("15/2019/QĐ-UBND", "khoản 2 Điều 5 Quy chế", as_of)
            .expect("amended wording");
        assert_eq!(u.text(), wording.text.as_str());
        assert_ne!(u.text().trim(), u.provision.text.trim());
        // An article with clauses reads its own text, then each descendant's, one per line.
        let article = cx
            .units()
            .iter()
            .find(|u| u.kind == ProvisionKind::Article && u.provision.children.len() >= 2)
            .expect("an article with clauses");
        let text = article.text();
        let mut want = format!("{}\n", article.provision.text);
        for q in article.provision.walk().into_iter().skip(1) {
            if let Some(h) = &q.heading {
                want.push_str(h);
                want.push('\n');
            }
            want.push_str(&q.text);
            want.push('\n');
        }
        assert_eq!(text, want);
        for c in &article.provision.children {
            assert!(text.contains(c.text.as_str()));
        }
        // A clause's heading is its article's.
        let clause =
            cx.units()
                .iter()
                .find(|u| {
                    u.kind == ProvisionKind::Clause
                        && u.doc.provisions.iter().any(|a| {
                            a.heading.is_some() && a.children.iter().any(|c| c.path == u.path)
                        })
                })
                .expect("a clause of a headed article");
        let article = clause
            .doc
            .provisions
            .iter()
            .find(|a| a.children.iter().any(|c| c.path == clause.path))
            .unwrap();
        assert_eq!(Some(clause.heading), article.heading.as_deref());
    }

    /// The quotation as first written: join every word, then cut.
    fn quote_by_joining(s: &str, n: usize) -> String {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() <= n {
            return s;
        }
        let cut: String = s.chars().take(n).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
        format!("{cut} …")
    }

    #[test]
    fn quote_reads_only_to_the_cut_and_cuts_as_joining_would() {
        let texts = [
            "",
            "   ",
            "Điều 5. Thời hạn giải quyết",
            "a bb ccc dddd eeeee",
            "Mộtừđặcbiệtdàihơnmườiký tự sau",
            "  ủy  ban\nnhân\tdân   huyện  ",
            "x",
        ];
        for t in texts {
            for n in 0..40 {
                assert_eq!(quote(t, n), quote_by_joining(t, n), "{t:?} at {n}");
            }
        }
    }
}
