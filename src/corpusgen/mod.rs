//! A deterministic generator of realistic local documents, for scale runs and benchmarks.
//!
//! `generate(docs, seed)` writes nothing: it returns the files (relative path and text) and a
//! manifest of what it planted, in the shape of `corpus/EXPECTED.json`, so a scale run can
//! check that the findings stay right. Same `docs` and `seed` → same bytes.
//!
//! The corpus is made of districts (*huyện*), about 250 documents each, signed 2017–2024, all
//! in the form of `corpus/`: the header of the People's Committee (UBND) or Council (HĐND),
//! `Số:`, the place and date line, `QUYẾT ĐỊNH`/`NGHỊ QUYẾT` and title, *Căn cứ* lines, the
//! articles, recipients, the signer, and for decisions the annexed *Quy định* with chapters.
//! Kinds, in order of frequency: normative decisions promulgating a regulation (*Quy định*),
//! council resolutions, programme decisions with a period (administrative), amending
//! decisions and partial repeals. Planted at known rates: replacement, whole repeal, partial
//! repeal, amendment, detailing of a resolution by a decision (the decision expires with it),
//! a decision named as basis (*căn cứ*) that later expires, conflicting quantities and
//! near-copied provisions within one issuer, and defects of form (effect sooner than seven
//! days, signer without a name).
//!
//! The review date of a generated corpus is [`AS_OF`], before the end of the district level,
//! and every national law cited is in force on it, so every expected finding is planted.

mod words;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use words::*;

/// The review date of every generated corpus.
pub const AS_OF: &str = "2024-12-31";

/// Documents per district.
const PER_ISSUER: usize = 250;

/// One generated file.
#[derive(Debug, Clone)]
pub struct GenFile {
    /// Relative path: `<district-slug>/<YYYY-MM-DD>_<number>.txt`.
    pub path: String,
    pub text: String,
}

/// A provision named in a finding.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Related {
    pub document: String,
    pub provision: Option<String>,
}

/// One planted finding: what a correct engine reports on [`AS_OF`].
#[derive(Debug, Clone, Serialize)]
pub struct Planted {
    pub kind: &'static str,
    pub document: String,
    pub provision: Option<String>,
    pub related: Vec<Related>,
    pub why: String,
}

/// What was planted, for `EXPECTED.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub as_of: &'static str,
    pub seed: u64,
    pub documents: usize,
    pub districts: usize,
    /// Number of findings per kind.
    pub counts: BTreeMap<&'static str, usize>,
    pub findings: Vec<Planted>,
}

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Normative decision promulgating a *Quy định*.
    Regulation,
    /// Normative council resolution.
    Resolution,
    /// Administrative decision promulgating a programme for a period.
    Programme,
    /// Normative decision amending one clause of an earlier regulation.
    Amend,
    /// Normative decision repealing one article of an earlier regulation.
    PartialRepeal,
}

#[derive(Debug, Clone)]
struct Clause {
    text: String,
    /// Index into `QUANTITY_FORMS` and the value, for a clause that sets a quantity.
    quantity: Option<(usize, u32)>,
}

#[derive(Debug, Clone)]
struct Article {
    heading: String,
    /// Empty: the article is one paragraph (`body`).
    clauses: Vec<Clause>,
    body: String,
    /// Part of a planted pair: never amended or repealed.
    reserved: bool,
    /// Boilerplate article (scope, subjects, implementation): never a target.
    boilerplate: bool,
}

#[derive(Debug, Clone)]
enum Ending {
    Replaced { by: usize },
    Repealed { by: usize, provision: String },
    Period,
    Parent { parent: usize },
}

#[derive(Debug, Clone)]
struct Doc {
    issuer: usize,
    kind: Kind,
    issued: NaiveDate,
    effective: NaiveDate,
    number: String,
    /// Matter of a regulation or resolution (for titles and references).
    topic: String,
    articles: Vec<Article>,
    /// Set when the document stops being in force (on or before the review date).
    ended: Option<(NaiveDate, Ending)>,
    repealed: BTreeSet<usize>,
    amended: BTreeSet<(usize, usize)>,
    /// Already the target of an amendment or partial repeal (one each at most).
    touched: bool,
    bases: Vec<usize>,
    details: Option<usize>,
    /// Period of a programme.
    period: Option<(i32, i32)>,
    too_soon: bool,
    no_signer: bool,
    text: String,
}

struct District {
    name: String,
    slug: String,
}

fn date_vn(d: NaiveDate) -> String {
    let m = d.month();
    let month = if m < 3 {
        format!("{m:02}")
    } else {
        m.to_string()
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month, d.year())
}

fn upper(s: &str) -> String {
    s.to_uppercase()
}

fn slug(s: &str) -> String {
    crate::text::fold(s).replace(' ', "-")
}

fn file_number(n: &str) -> String {
    n.replace('/', "-").replace('Đ', "D")
}

/// A provision's name as findings give it: `khoản 2 Điều 4 Quy định`, `Điều 3`.
fn prov_name(d: &Doc, art: usize, clause: Option<usize>) -> String {
    let annex = if d.kind == Kind::Regulation {
        " Quy định"
    } else {
        ""
    };
    match clause {
        Some(c) => format!("khoản {} Điều {}{annex}", c + 1, art + 1),
        None => format!("Điều {}{annex}", art + 1),
    }
}

struct Gen {
    rng: Rng,
    districts: Vec<District>,
    docs: Vec<Doc>,
}

impl Gen {
    fn place(&mut self) -> String {
        let kind = *self.rng.pick(PLACE_KINDS);
        let a = *self.rng.pick(PLACE_A);
        let b = *self.rng.pick(PLACE_B);
        format!("{kind} {a} {b}")
    }

    fn person(&mut self) -> String {
        format!(
            "{} {} {}",
            self.rng.pick(FAMILY),
            self.rng.pick(MIDDLE),
            self.rng.pick(GIVEN)
        )
    }

    /// One sentence of a provision: two independent halves, so that random sentences share
    /// little.
    fn sentence(&mut self) -> String {
        let s = *self.rng.pick(SUBJECTS);
        let v = *self.rng.pick(VERBS);
        let o = *self.rng.pick(OBJECTS);
        let p = self.place();
        let t = *self.rng.pick(TAILS);
        let v2 = *self.rng.pick(VERBS);
        let o2 = *self.rng.pick(OBJECTS);
        let t2 = *self.rng.pick(TAILS);
        format!("{s} {v} {o} tại {p} {t}; đồng thời {v2} {o2} {t2}")
    }

    /// A clause that sets a quantity for a named procedure (`Thủ tục … : … là 05 ngày làm
    /// việc`): the procedure's name tells its matter apart from other clauses'.
    fn quantity_clause(&mut self, form: usize, value: u32) -> String {
        let (words, _, _) = QUANTITY_FORMS[form];
        let action = *self.rng.pick(ACTIONS);
        let o = *self.rng.pick(OBJECTS);
        let p = self.place();
        let t = *self.rng.pick(TAILS);
        let rest = self.sentence();
        format!(
            "Thủ tục {action} {o} tại {p}: {words} là {} {t}; {}",
            quantity_text(form, value),
            lower_first(&rest)
        )
    }

    fn substantive_article(&mut self) -> Article {
        let heading = format!(
            "{} {}",
            self.rng.pick(HEADINGS),
            match self.rng.below(2) {
                0 => self.rng.pick(OBJECTS).to_string(),
                _ => self.place(),
            }
        );
        if self.rng.chance(0.3) {
            let n = 2 + self.rng.below(2);
            let body: Vec<String> = (0..n).map(|_| format!("{}.", self.sentence())).collect();
            return Article {
                heading,
                clauses: vec![],
                body: body.join(" "),
                reserved: false,
                boilerplate: false,
            };
        }
        let n = 2 + self.rng.below(3);
        let mut clauses = Vec::new();
        for _ in 0..n {
            if self.rng.chance(0.25) {
                let form = self.rng.below(QUANTITY_FORMS.len());
                let value = *self.rng.pick(QUANTITY_FORMS[form].2);
                let text = self.quantity_clause(form, value);
                clauses.push(Clause {
                    text,
                    quantity: Some((form, value)),
                });
            } else {
                let text = self.sentence();
                clauses.push(Clause {
                    text,
                    quantity: None,
                });
            }
        }
        Article {
            heading,
            clauses,
            body: String::new(),
            reserved: false,
            boilerplate: false,
        }
    }

    fn boilerplate(heading: &str, body: String) -> Article {
        Article {
            heading: heading.to_string(),
            clauses: vec![],
            body,
            reserved: false,
            boilerplate: true,
        }
    }

    /// Earlier documents of the issuer, of a kind, in force on `date` (their effect before it).
    fn alive(&self, issuer_docs: &[usize], kind: Kind, date: NaiveDate) -> Vec<usize> {
        issuer_docs
            .iter()
            .copied()
            .filter(|&i| {
                let d = &self.docs[i];
                d.kind == kind
                    && d.effective < date
                    && d.ended.as_ref().is_none_or(|(when, _)| *when > date)
            })
            .collect()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

fn quantity_text(form: usize, value: u32) -> String {
    let (_, unit, _) = QUANTITY_FORMS[form];
    match unit.strip_prefix("000 ") {
        Some(rest) => format!("{} {rest}", thousands(u64::from(value) * 1000)),
        None if unit == "ngày làm việc" => format!("{value:02} {unit}"),
        None => format!("{value} {unit}"),
    }
}

/// Distinct district names: pairs of different syllables.
fn district_names() -> Vec<(usize, usize)> {
    (0..PLACE_A.len())
        .flat_map(|a| (0..PLACE_B.len()).map(move |b| (a, b)))
        .filter(|(a, b)| PLACE_A[*a] != PLACE_B[*b])
        .collect()
}

/// Districts of about [`PER_ISSUER`] documents; past the last name, districts get more.
fn district_count(docs: usize) -> usize {
    docs.div_ceil(PER_ISSUER).clamp(1, district_names().len())
}

/// Generates `docs` documents from `seed`: the files and the manifest of planted findings.
pub fn generate(docs: usize, seed: u64) -> (Vec<GenFile>, Manifest) {
    let mut g = Gen {
        rng: Rng(seed ^ 0x5241_534f_4154),
        districts: Vec::new(),
        docs: Vec::new(),
    };
    // District names: distinct pairs of syllables, in a seeded order.
    let mut names = district_names();
    for i in (1..names.len()).rev() {
        let j = g.rng.below(i + 1);
        names.swap(i, j);
    }
    let n_districts = district_count(docs);
    for &(a, b) in names.iter().take(n_districts) {
        let name = format!("{} {}", PLACE_A[a], PLACE_B[b]);
        let slug = format!("huyen-{}", slug(&name));
        g.districts.push(District { name, slug });
    }
    // Plan: issuer, kind and date of every document.
    let start = NaiveDate::from_ymd_opt(2017, 1, 3).expect("valid date");
    let span = 2888; // days until 2024-11-30
    let mut plan: Vec<(NaiveDate, usize, Kind)> = (0..docs)
        .map(|i| {
            let issuer = i % n_districts;
            let date = start + Days::new(g.rng.below(span) as u64);
            let r = g.rng.below(1000);
            let kind = match r {
                0..=99 => Kind::Resolution,
                100..=159 => Kind::Programme,
                160..=199 => Kind::Amend,
                200..=229 => Kind::PartialRepeal,
                _ => Kind::Regulation,
            };
            (date, issuer, kind)
        })
        .collect();
    plan.sort_by_key(|(d, i, _)| (*d, *i));
    // Numbers: one sequence per year and series, across districts, so every id is unique.
    let mut seq: BTreeMap<(i32, &str), usize> = BTreeMap::new();
    let mut admin_seq = 1000usize;
    for (date, issuer, kind) in &plan {
        let y = date.year();
        let number = match kind {
            Kind::Programme => {
                admin_seq += 1;
                format!("{admin_seq}/QĐ-UBND")
            }
            Kind::Resolution => {
                let n = seq.entry((y, "NQ")).or_insert(0);
                *n += 1;
                format!("{:02}/{y}/NQ-HĐND", *n)
            }
            _ => {
                let n = seq.entry((y, "QĐ")).or_insert(0);
                *n += 1;
                format!("{:02}/{y}/QĐ-UBND", *n)
            }
        };
        g.docs.push(Doc {
            issuer: *issuer,
            kind: *kind,
            issued: *date,
            effective: *date,
            number,
            topic: String::new(),
            articles: vec![],
            ended: None,
            repealed: BTreeSet::new(),
            amended: BTreeSet::new(),
            touched: false,
            bases: vec![],
            details: None,
            period: None,
            too_soon: false,
            no_signer: false,
            text: String::new(),
        });
    }
    let mut by_issuer: Vec<Vec<usize>> = vec![Vec::new(); n_districts];
    let mut planted_pairs: Vec<PairPlan> = Vec::new();
    for i in 0..g.docs.len() {
        let issuer = g.docs[i].issuer;
        let earlier = by_issuer[issuer].clone();
        build(&mut g, i, &earlier, &mut planted_pairs);
        by_issuer[issuer].push(i);
    }
    // Render every document now that its relations are known.
    let mut files = Vec::with_capacity(g.docs.len());
    for i in 0..g.docs.len() {
        let text = render(&mut g, i);
        let d = &g.docs[i];
        files.push(GenFile {
            path: format!(
                "{}/{}_{}.txt",
                g.districts[d.issuer].slug,
                d.issued,
                file_number(&d.number)
            ),
            text,
        });
    }
    let findings = expected(&g, &planted_pairs);
    let mut counts = BTreeMap::new();
    for f in &findings {
        *counts.entry(f.kind).or_insert(0) += 1;
    }
    let manifest = Manifest {
        as_of: AS_OF,
        seed,
        documents: docs,
        districts: n_districts,
        counts,
        findings,
    };
    (files, manifest)
}

type PairPlan = (
    &'static str,
    usize,
    usize,
    Option<usize>,
    usize,
    usize,
    Option<usize>,
);

/// Chooses a document's content and relations to earlier documents of its issuer.
fn build(g: &mut Gen, i: usize, earlier: &[usize], pairs: &mut Vec<PairPlan>) {
    let date = g.docs[i].issued;
    let kind = g.docs[i].kind;
    let district = g.districts[g.docs[i].issuer].name.clone();
    let delay = 10 + g.rng.below(11) as u64;
    g.docs[i].effective = date + Days::new(delay);
    g.docs[i].topic = g.rng.pick(TOPICS).to_string();
    match kind {
        Kind::Programme => {
            g.docs[i].effective = date;
            let len = 2 + 2 * g.rng.below(2) as i32;
            let y = date.year();
            g.docs[i].period = Some((y, y + len));
            g.docs[i].topic = g.rng.pick(PROGRAMMES).to_string();
            if y + len < 2024 {
                let end = NaiveDate::from_ymd_opt(y + len + 1, 1, 1).expect("valid date");
                g.docs[i].ended = Some((end, Ending::Period));
            }
        }
        Kind::Amend => {
            let cands: Vec<(usize, usize, usize)> = g
                .alive(earlier, Kind::Regulation, date)
                .into_iter()
                .filter(|&t| !g.docs[t].touched)
                .flat_map(|t| {
                    let d = &g.docs[t];
                    d.articles
                        .iter()
                        .enumerate()
                        .filter(|(a, art)| {
                            !art.reserved && !art.boilerplate && !d.repealed.contains(a)
                        })
                        .flat_map(move |(a, art)| (0..art.clauses.len()).map(move |c| (t, a, c)))
                        .collect::<Vec<_>>()
                })
                .collect();
            if cands.is_empty() {
                g.docs[i].kind = Kind::Regulation;
                return build(g, i, earlier, pairs);
            }
            let (t, a, c) = cands[g.rng.below(cands.len())];
            g.docs[t].touched = true;
            g.docs[t].amended.insert((a, c));
            g.docs[i].details = None;
            g.docs[i].bases = vec![];
            // The new wording: three sentences, no quantity.
            let new_text: Vec<String> = (0..3).map(|_| format!("{}.", g.sentence())).collect();
            g.docs[i].articles = vec![Article {
                heading: String::new(),
                clauses: vec![Clause {
                    text: new_text.join(" "),
                    quantity: None,
                }],
                body: format!("{t}:{a}:{c}"),
                reserved: false,
                boilerplate: true,
            }];
        }
        Kind::PartialRepeal => {
            let cands: Vec<(usize, usize)> = g
                .alive(earlier, Kind::Regulation, date)
                .into_iter()
                .filter(|&t| !g.docs[t].touched)
                .flat_map(|t| {
                    let d = &g.docs[t];
                    d.articles
                        .iter()
                        .enumerate()
                        .filter(|(a, art)| {
                            !art.reserved
                                && !art.boilerplate
                                && !d.amended.iter().any(|(x, _)| x == a)
                        })
                        .map(move |(a, _)| (t, a))
                        .collect::<Vec<_>>()
                })
                .collect();
            if cands.is_empty() {
                g.docs[i].kind = Kind::Regulation;
                return build(g, i, earlier, pairs);
            }
            let (t, a) = cands[g.rng.below(cands.len())];
            g.docs[t].touched = true;
            g.docs[t].repealed.insert(a);
            let reason: Vec<String> = (0..2).map(|_| format!("{}.", g.sentence())).collect();
            g.docs[i].articles = vec![Article {
                heading: String::new(),
                clauses: vec![],
                body: format!("{t}:{a}:{}", reason.join(" ")),
                reserved: false,
                boilerplate: true,
            }];
        }
        Kind::Resolution => {
            let mut arts = vec![Gen::boilerplate(
                "Phạm vi điều chỉnh, đối tượng áp dụng",
                format!(
                    "Nghị quyết này quy định về {} trên địa bàn huyện {district}.",
                    g.docs[i].topic
                ),
            )];
            for _ in 0..2 + g.rng.below(3) {
                arts.push(g.substantive_article());
            }
            g.docs[i].articles = arts;
            // Sometimes it repeals an earlier resolution of the same council.
            let olds = g.alive(earlier, Kind::Resolution, date);
            if !olds.is_empty() && g.rng.chance(0.2) {
                let t = olds[g.rng.below(olds.len())];
                let art = g.docs[i].articles.len();
                let eff = g.docs[i].effective;
                g.docs[t].ended = Some((
                    eff,
                    Ending::Repealed {
                        by: i,
                        provision: format!("Điều {}", art + 1),
                    },
                ));
                g.docs[i].articles.push(Gen::boilerplate(
                    "Điều khoản thi hành",
                    format!("repeal:{t}"),
                ));
            }
            g.docs[i]
                .articles
                .push(Gen::boilerplate("Tổ chức thực hiện", String::new()));
        }
        Kind::Regulation => {
            let mut arts = vec![
                Gen::boilerplate(
                    "Phạm vi điều chỉnh",
                    format!(
                        "Quy định này quy định về {} trên địa bàn huyện {district}.",
                        g.docs[i].topic
                    ),
                ),
                Gen::boilerplate(
                    "Đối tượng áp dụng",
                    "Quy định này áp dụng đối với cơ quan, tổ chức, hộ gia đình, cá nhân có liên quan trên địa bàn huyện.".to_string(),
                ),
            ];
            for _ in 0..2 + g.rng.below(4) {
                arts.push(g.substantive_article());
            }
            // Detailing a resolution of the district's council (named as basis too).
            let resolutions = g.alive(earlier, Kind::Resolution, date);
            if !resolutions.is_empty() && g.rng.chance(0.15) {
                let p = resolutions[g.rng.below(resolutions.len())];
                g.docs[i].details = Some(p);
                g.docs[i].bases.push(p);
            }
            let regs = g.alive(earlier, Kind::Regulation, date);
            // A regulation named as basis.
            if !regs.is_empty() && g.rng.chance(0.05) {
                let b = regs[g.rng.below(regs.len())];
                g.docs[i].bases.push(b);
            }
            // A planted conflict: a clause of an earlier regulation with another value.
            if !regs.is_empty() && g.rng.chance(0.03) {
                let cands: Vec<(usize, usize, usize)> = regs
                    .iter()
                    .flat_map(|&t| {
                        let d = &g.docs[t];
                        d.articles
                            .iter()
                            .enumerate()
                            .filter(|(a, art)| {
                                !art.boilerplate && !art.reserved && !d.repealed.contains(a)
                            })
                            .flat_map(move |(a, art)| {
                                art.clauses
                                    .iter()
                                    .enumerate()
                                    .filter(move |(c, cl)| {
                                        cl.quantity.is_some() && !d.amended.contains(&(a, *c))
                                    })
                                    .map(move |(c, _)| (t, a, c))
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect();
                if !cands.is_empty() {
                    let (t, a, c) = cands[g.rng.below(cands.len())];
                    let src = g.docs[t].articles[a].clone();
                    let (form, value) = src.clauses[c].quantity.expect("quantity clause");
                    let values = QUANTITY_FORMS[form].2;
                    let other = values
                        .iter()
                        .copied()
                        .filter(|v| *v != value)
                        .nth(g.rng.below(values.len() - 1))
                        .expect("another value");
                    let old = quantity_text(form, value);
                    let text = src.clauses[c]
                        .text
                        .replacen(&old, &quantity_text(form, other), 1);
                    let filler = g.sentence();
                    g.docs[t].articles[a].reserved = true;
                    let pos = arts.len();
                    arts.push(Article {
                        heading: src.heading.clone(),
                        clauses: vec![
                            Clause {
                                text,
                                quantity: Some((form, other)),
                            },
                            Clause {
                                text: filler,
                                quantity: None,
                            },
                        ],
                        body: String::new(),
                        reserved: true,
                        boilerplate: false,
                    });
                    pairs.push(("conflict", t, a, Some(c), i, pos, Some(0)));
                }
            }
            // A planted overlap: an earlier one-paragraph article copied with one change.
            if !regs.is_empty() && g.rng.chance(0.03) {
                let cands: Vec<(usize, usize)> = regs
                    .iter()
                    .flat_map(|&t| {
                        let d = &g.docs[t];
                        d.articles
                            .iter()
                            .enumerate()
                            .filter(|(a, art)| {
                                !art.boilerplate
                                    && !art.reserved
                                    && art.clauses.is_empty()
                                    && !d.repealed.contains(a)
                            })
                            .map(move |(a, _)| (t, a))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                if !cands.is_empty() {
                    let (t, a) = cands[g.rng.below(cands.len())];
                    let src = g.docs[t].articles[a].clone();
                    // Replace the last tail phrase with another.
                    let mut body = src.body.clone();
                    if let Some(tail) = TAILS
                        .iter()
                        .rev()
                        .find(|x| body.ends_with(&format!("{x}.")))
                    {
                        let others: Vec<&&str> = TAILS.iter().filter(|x| *x != tail).collect();
                        let new: &str = others[g.rng.below(others.len())];
                        body = format!("{}{new}.", &body[..body.len() - tail.len() - 1]);
                    }
                    g.docs[t].articles[a].reserved = true;
                    let pos = arts.len();
                    arts.push(Article {
                        heading: src.heading.clone(),
                        clauses: vec![],
                        body,
                        reserved: true,
                        boilerplate: false,
                    });
                    pairs.push(("overlap", t, a, None, i, pos, None));
                }
            }
            arts.push(Gen::boilerplate(
                "Tổ chức thực hiện",
                format!(
                    "Các cơ quan chuyên môn thuộc Ủy ban nhân dân huyện, Ủy ban nhân dân các xã, thị trấn và các tổ chức, cá nhân có liên quan thực hiện Quy định này. Trong quá trình thực hiện, nếu có vướng mắc, phản ánh về {} để tổng hợp, báo cáo Ủy ban nhân dân huyện xem xét.",
                    g.rng.pick(DEPARTMENTS).0
                ),
            ));
            g.docs[i].articles = arts;
            // Replacement or whole repeal of an earlier regulation.
            let eff = g.docs[i].effective;
            let free: Vec<usize> = regs
                .into_iter()
                .filter(|&t| g.docs[t].effective < date)
                .collect();
            if !free.is_empty() && g.rng.chance(0.08) {
                let t = free[g.rng.below(free.len())];
                g.docs[t].ended = Some((eff, Ending::Replaced { by: i }));
                g.docs[i].bases.retain(|b| *b != t);
                g.docs[i].text = format!("replace:{t}");
            } else if !free.is_empty() && g.rng.chance(0.03) {
                let t = free[g.rng.below(free.len())];
                g.docs[t].ended = Some((
                    eff,
                    Ending::Repealed {
                        by: i,
                        provision: "khoản 2 Điều 2".into(),
                    },
                ));
                g.docs[i].bases.retain(|b| *b != t);
                g.docs[i].text = format!("repeal:{t}");
            }
            // Defects of form.
            if g.rng.chance(0.01) {
                g.docs[i].too_soon = true;
                g.docs[i].effective = date + Days::new(3 + g.rng.below(3) as u64);
            }
            if g.rng.chance(0.005) {
                g.docs[i].no_signer = true;
            }
        }
    }
}

/// The reference to a document as the text gives it: `Quyết định số … ngày … của …`.
fn cite(g: &Gen, t: usize) -> String {
    let d = &g.docs[t];
    let district = &g.districts[d.issuer].name;
    match d.kind {
        Kind::Resolution => format!(
            "Nghị quyết số {} {} của Hội đồng nhân dân huyện {district}",
            d.number,
            date_vn(d.issued)
        ),
        _ => format!(
            "Quyết định số {} {} của Ủy ban nhân dân huyện {district}",
            d.number,
            date_vn(d.issued)
        ),
    }
}

fn write_article(out: &mut String, n: usize, a: &Article) {
    out.push_str(&format!("Điều {n}. {}\n\n", a.heading));
    if a.clauses.is_empty() {
        out.push_str(&a.body);
        out.push_str("\n\n");
    } else {
        for (k, c) in a.clauses.iter().enumerate() {
            out.push_str(&format!("{}. {}.\n\n", k + 1, c.text));
        }
    }
}

fn render(g: &mut Gen, i: usize) -> String {
    let d = g.docs[i].clone();
    let district = g.districts[d.issuer].name.clone();
    let council = d.kind == Kind::Resolution;
    let body_name = if council {
        "HỘI ĐỒNG NHÂN DÂN"
    } else {
        "ỦY BAN NHÂN DÂN"
    };
    let mut out = String::with_capacity(8192);
    out.push_str(&format!(
        "{body_name}\nHUYỆN {}\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\nSố: {}\n\n{district}, {}\n\n",
        upper(&district),
        d.number,
        date_vn(d.issued)
    ));
    // Type and title.
    let title = match d.kind {
        Kind::Regulation => format!(
            "QUYẾT ĐỊNH\nBan hành Quy định {}\ntrên địa bàn huyện {district}",
            d.topic
        ),
        Kind::Resolution => format!(
            "NGHỊ QUYẾT\nQuy định về {}\ntrên địa bàn huyện {district}",
            d.topic
        ),
        Kind::Programme => {
            let (a, b) = d.period.expect("programme period");
            format!(
                "QUYẾT ĐỊNH\nBan hành Chương trình {} huyện {district}\ngiai đoạn {a} - {b}",
                d.topic
            )
        }
        Kind::Amend | Kind::PartialRepeal => {
            let (t, a, c) = target_of(&d);
            let what = match (d.kind, c) {
                (Kind::Amend, Some(c)) => {
                    format!("Sửa đổi, bổ sung khoản {} Điều {}", c + 1, a + 1)
                }
                _ => format!("Bãi bỏ Điều {}", a + 1),
            };
            format!(
                "QUYẾT ĐỊNH\n{what} của Quy định ban hành kèm theo\nQuyết định số {} {}\ncủa Ủy ban nhân dân huyện {district}",
                g.docs[t].number,
                date_vn(g.docs[t].issued)
            )
        }
    };
    out.push_str(&title);
    out.push_str("\n\n");
    out.push_str(&format!("{body_name} HUYỆN {}\n", upper(&district)));
    if council {
        let term = if d.issued < NaiveDate::from_ymd_opt(2021, 6, 1).expect("valid date") {
            "IX"
        } else {
            "X"
        };
        out.push_str(&format!(
            "KHÓA {term}, KỲ HỌP THỨ {}\n",
            2 + g.rng.below(12)
        ));
    }
    out.push('\n');
    // Căn cứ: national laws in force on the review date, then documents of the district.
    let mut basis =
        String::from("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015");
    if d.issued >= NaiveDate::from_ymd_opt(2020, 7, 1).expect("valid date") {
        basis.push_str("; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019");
    }
    out.push_str(&basis);
    out.push_str(";\n\n");
    if d.kind != Kind::Programme {
        let mut b = String::from(
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015",
        );
        if d.issued >= NaiveDate::from_ymd_opt(2021, 1, 1).expect("valid date") {
            b.push_str("; Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật ngày 18 tháng 6 năm 2020");
        }
        out.push_str(&b);
        out.push_str(";\n\n");
    }
    if d.issued >= NaiveDate::from_ymd_opt(2018, 7, 1).expect("valid date") && g.rng.chance(0.3) {
        out.push_str("Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;\n\n");
    }
    for &b in &d.bases {
        let bd = &g.docs[b];
        let about = match bd.kind {
            Kind::Resolution => format!("quy định về {}", bd.topic),
            _ => format!("ban hành Quy định {}", bd.topic),
        };
        out.push_str(&format!("Căn cứ {} {about};\n\n", cite(g, b)));
    }
    let (dept, abbr) = *g.rng.pick(DEPARTMENTS);
    let sub = d.issued - Days::new(5 + g.rng.below(20) as u64);
    if council {
        out.push_str(&format!(
            "Xét Tờ trình số {}/TTr-UBND {} của Ủy ban nhân dân huyện; Báo cáo thẩm tra của Ban Kinh tế - Xã hội Hội đồng nhân dân huyện; ý kiến thảo luận của đại biểu Hội đồng nhân dân huyện tại kỳ họp.\n\nQUYẾT NGHỊ:\n\n",
            10 + g.rng.below(190),
            date_vn(sub)
        ));
    } else {
        out.push_str(&format!(
            "Theo đề nghị của Trưởng phòng {} tại Tờ trình số {}/TTr-{abbr} {}.\n\nQUYẾT ĐỊNH:\n\n",
            dept.trim_start_matches("Phòng "),
            10 + g.rng.below(190),
            date_vn(sub)
        ));
    }
    let effect = format!(
        "có hiệu lực kể từ ngày {}",
        date_vn(d.effective).trim_start_matches("ngày ")
    );
    let effect_plain = format!("ngày {}", date_vn(d.effective).trim_start_matches("ngày "));
    let implement = format!(
        "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện, Trưởng phòng {}, Chủ tịch Ủy ban nhân dân các xã, thị trấn và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        dept.trim_start_matches("Phòng ")
    );
    let mut last_article = 0;
    match d.kind {
        Kind::Regulation => {
            out.push_str(&format!(
                "Điều 1. Ban hành kèm theo Quyết định này Quy định {} trên địa bàn huyện {district}.\n\n",
                d.topic
            ));
            if let Some(t) = d
                .text
                .strip_prefix("replace:")
                .and_then(|s| s.parse::<usize>().ok())
            {
                out.push_str(&format!(
                    "Điều 2. Quyết định này {effect} và thay thế {} ban hành Quy định {} trên địa bàn huyện {district}.\n\n",
                    cite(g, t),
                    g.docs[t].topic
                ));
            } else if let Some(t) = d
                .text
                .strip_prefix("repeal:")
                .and_then(|s| s.parse::<usize>().ok())
            {
                out.push_str(&format!(
                    "Điều 2. Hiệu lực thi hành\n\n1. Quyết định này {effect}.\n\n2. Bãi bỏ {} ban hành Quy định {} trên địa bàn huyện {district}.\n\n",
                    cite(g, t),
                    g.docs[t].topic
                ));
            } else {
                out.push_str(&format!("Điều 2. Quyết định này {effect}.\n\n"));
            }
            out.push_str(&format!("Điều 3. {implement}\n\n"));
            last_article = 3;
        }
        Kind::Programme => {
            let (a, b) = d.period.expect("programme period");
            out.push_str(&format!(
                "Điều 1. Ban hành kèm theo Quyết định này Chương trình {} huyện {district} giai đoạn {a} - {b}.\n\nĐiều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.\n\nĐiều 3. {implement}\n\n",
                d.topic
            ));
            last_article = 3;
        }
        Kind::Amend | Kind::PartialRepeal => {
            let (t, a, c) = target_of(&d);
            if let (Kind::Amend, Some(c)) = (d.kind, c) {
                out.push_str(&format!(
                    "Điều 1. Sửa đổi, bổ sung khoản {} Điều {} của Quy định ban hành kèm theo {} như sau:\n\n“{}. {}”\n\n",
                    c + 1,
                    a + 1,
                    cite(g, t),
                    c + 1,
                    d.articles[0].clauses[0].text
                ));
            } else {
                let reason = d.articles[0].body.splitn(3, ':').nth(2).unwrap_or_default();
                out.push_str(&format!(
                    "Điều 1. Bãi bỏ Điều {} của Quy định ban hành kèm theo {}.\n\nLý do: {reason}\n\n",
                    a + 1,
                    cite(g, t)
                ));
            }
            out.push_str(&format!(
                "Điều 2. Quyết định này {effect}.\n\nĐiều 3. {implement}\n\n"
            ));
            last_article = 3;
        }
        Kind::Resolution => {
            for (n, a) in d.articles.iter().enumerate() {
                if let Some(t) = a
                    .body
                    .strip_prefix("repeal:")
                    .and_then(|s| s.parse::<usize>().ok())
                {
                    out.push_str(&format!(
                        "Điều {}. {}\n\nBãi bỏ {} quy định về {} trên địa bàn huyện {district}.\n\n",
                        n + 1,
                        a.heading,
                        cite(g, t),
                        g.docs[t].topic
                    ));
                } else if a.heading == "Tổ chức thực hiện" {
                    out.push_str(&format!(
                        "Điều {}. Tổ chức thực hiện\n\n1. Giao Ủy ban nhân dân huyện tổ chức thực hiện Nghị quyết này.\n\n2. Thường trực Hội đồng nhân dân, các Ban của Hội đồng nhân dân, các Tổ đại biểu và đại biểu Hội đồng nhân dân huyện giám sát việc thực hiện Nghị quyết này.\n\n",
                        n + 1
                    ));
                } else {
                    write_article(&mut out, n + 1, a);
                }
            }
            let term = if d.issued < NaiveDate::from_ymd_opt(2021, 6, 1).expect("valid date") {
                "IX"
            } else {
                "X"
            };
            out.push_str(&format!(
                "Nghị quyết này đã được Hội đồng nhân dân huyện {district} khóa {term}, kỳ họp thứ {} thông qua {} và có hiệu lực từ {effect_plain}./.\n\n",
                2 + g.rng.below(12),
                date_vn(d.issued)
            ));
        }
    }
    // Recipients and signer.
    if council {
        out.push_str("Nơi nhận:\n- TT. HĐND tỉnh, UBND tỉnh;\n- Sở Tư pháp (kiểm tra);\n- TT. Huyện ủy;\n- UBND huyện, UBMTTQ Việt Nam huyện;\n- Đại biểu HĐND huyện;\n- Lưu: VT.\n\nCHỦ TỊCH\n\n");
    } else {
        out.push_str(&format!(
            "Nơi nhận:\n- Như Điều {last_article};\n- UBND tỉnh (b/c);\n- Sở Tư pháp (kiểm tra);\n- TT. Huyện ủy, TT. HĐND huyện;\n- CT, các PCT UBND huyện;\n- Lưu: VT, {abbr}.\n\nTM. ỦY BAN NHÂN DÂN\n"
        ));
        if g.rng.chance(0.5) {
            out.push_str("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n");
        } else {
            out.push_str("CHỦ TỊCH\n\n");
        }
    }
    let signer = g.person();
    if !d.no_signer {
        out.push_str(&signer);
        out.push('\n');
    }
    // Annexes.
    match d.kind {
        Kind::Regulation => {
            out.push_str(&format!(
                "\nQUY ĐỊNH\n{}\ntrên địa bàn huyện {district}\n(Ban hành kèm theo Quyết định số {} {}\ncủa Ủy ban nhân dân huyện {district})\n\n",
                capitalise(&d.topic),
                d.number,
                date_vn(d.issued)
            ));
            let n = d.articles.len();
            out.push_str("Chương I\nQUY ĐỊNH CHUNG\n\n");
            for (k, a) in d.articles.iter().enumerate() {
                if k == 2 {
                    out.push_str("Chương II\nQUY ĐỊNH CỤ THỂ\n\n");
                }
                if k == n - 1 {
                    out.push_str("Chương III\nTỔ CHỨC THỰC HIỆN\n\n");
                }
                if k == 0 {
                    if let Some(p) = d.details {
                        let art = 2 + g
                            .rng
                            .below(g.docs[p].articles.len().saturating_sub(2).max(1));
                        out.push_str(&format!(
                            "Điều 1. Phạm vi điều chỉnh\n\nQuy định này quy định chi tiết Điều {art} của {} quy định về {} trên địa bàn huyện {district}.\n\n",
                            cite(g, p),
                            g.docs[p].topic
                        ));
                        continue;
                    }
                }
                write_article(&mut out, k + 1, a);
            }
        }
        Kind::Programme => {
            let (a, b) = d.period.expect("programme period");
            out.push_str(&format!(
                "\nCHƯƠNG TRÌNH\n{} huyện {district} giai đoạn {a} - {b}\n(Ban hành kèm theo Quyết định số {} {}\ncủa Ủy ban nhân dân huyện {district})\n\nI. MỤC TIÊU\n\n1. Mục tiêu chung:\n\n- {}.\n\n2. Mục tiêu cụ thể đến năm {b}:\n\n- {}.\n\nII. NHIỆM VỤ, GIẢI PHÁP\n\n1. {}.\n\n2. {}.\n\nIII. TỔ CHỨC THỰC HIỆN\n\n{} chủ trì theo dõi, đôn đốc thực hiện Chương trình này.\n",
                capitalise(&d.topic),
                d.number,
                date_vn(d.issued),
                g.sentence(),
                g.sentence(),
                g.sentence(),
                g.sentence(),
                dept
            ));
        }
        _ => {}
    }
    out
}

/// Target document, article and clause of an amending or repealing decision.
fn target_of(d: &Doc) -> (usize, usize, Option<usize>) {
    let mut parts = d.articles[0].body.split(':');
    let t = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let a = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let c = if d.kind == Kind::Amend {
        parts.next().and_then(|s| s.parse().ok())
    } else {
        None
    };
    (t, a, c)
}

/// The findings a correct engine reports on [`AS_OF`] for the generated documents.
fn expected(g: &Gen, pairs: &[PairPlan]) -> Vec<Planted> {
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").expect("valid date");
    let n = g.docs.len();
    // Resolve detailing: a decision expires with the resolution it details (before 2025-04-01).
    let mut ended: Vec<Option<(NaiveDate, Ending)>> =
        g.docs.iter().map(|d| d.ended.clone()).collect();
    for i in 0..n {
        if ended[i].is_none() {
            if let Some(p) = g.docs[i].details {
                if let Some((when, _)) = &ended[p] {
                    if *when <= as_of {
                        ended[i] = Some((*when, Ending::Parent { parent: p }));
                    }
                }
            }
        }
    }
    let expired = |i: usize| ended[i].as_ref().is_some_and(|(w, _)| *w <= as_of);
    let mut out = Vec::new();
    for (i, d) in g.docs.iter().enumerate() {
        // Defects of form are reported whatever the status.
        if d.too_soon {
            out.push(Planted {
                kind: "format",
                document: d.number.clone(),
                provision: None,
                related: vec![],
                why: format!(
                    "Signed {}, in force {}: less than 7 days.",
                    d.issued, d.effective
                ),
            });
        }
        if d.no_signer {
            out.push(Planted {
                kind: "format",
                document: d.number.clone(),
                provision: None,
                related: vec![],
                why: "The signer block has no name.".into(),
            });
        }
        if let Some((when, how)) = &ended[i] {
            if *when <= as_of {
                let (related, why) = match how {
                    Ending::Replaced { by } => (
                        vec![Related {
                            document: g.docs[*by].number.clone(),
                            provision: Some("Điều 2".into()),
                        }],
                        format!("Replaced by {}, effective {when}.", g.docs[*by].number),
                    ),
                    Ending::Repealed { by, provision } => (
                        vec![Related {
                            document: g.docs[*by].number.clone(),
                            provision: Some(provision.clone()),
                        }],
                        format!(
                            "Repealed by {} {}, effective {when}.",
                            provision, g.docs[*by].number
                        ),
                    ),
                    Ending::Period => (
                        vec![],
                        format!("The programme period ended; expired on {when}."),
                    ),
                    Ending::Parent { parent } => (
                        vec![Related {
                            document: g.docs[*parent].number.clone(),
                            provision: None,
                        }],
                        format!(
                            "It details {}, which expired on {when} (before 2025-04-01).",
                            g.docs[*parent].number
                        ),
                    ),
                };
                out.push(Planted {
                    kind: "expired",
                    document: d.number.clone(),
                    provision: None,
                    related,
                    why,
                });
                continue;
            }
        }
        for &a in &d.repealed {
            let by = g
                .docs
                .iter()
                .position(|x| {
                    x.kind == Kind::PartialRepeal && target_of(x).0 == i && target_of(x).1 == a
                })
                .expect("repealing decision");
            out.push(Planted {
                kind: "partially_expired",
                document: d.number.clone(),
                provision: Some(prov_name(d, a, None)),
                related: vec![Related {
                    document: g.docs[by].number.clone(),
                    provision: Some("Điều 1".into()),
                }],
                why: format!("Repealed by Điều 1 of {}.", g.docs[by].number),
            });
        }
        for &(a, c) in &d.amended {
            let by = g
                .docs
                .iter()
                .position(|x| x.kind == Kind::Amend && target_of(x) == (i, a, Some(c)))
                .expect("amending decision");
            out.push(Planted {
                kind: "amended",
                document: d.number.clone(),
                provision: Some(prov_name(d, a, Some(c))),
                related: vec![Related {
                    document: g.docs[by].number.clone(),
                    provision: Some("Điều 1".into()),
                }],
                why: format!("Amended by Điều 1 of {}.", g.docs[by].number),
            });
        }
        for &b in &d.bases {
            if expired(b) && Some(b) != d.details {
                out.push(Planted {
                    kind: "basis_expired",
                    document: d.number.clone(),
                    provision: None,
                    related: vec![Related {
                        document: g.docs[b].number.clone(),
                        provision: None,
                    }],
                    why: format!("Its basis {} is no longer in force.", g.docs[b].number),
                });
            }
        }
    }
    for &(kind, t, a, c, i, b, cb) in pairs {
        if expired(t) || expired(i) {
            continue;
        }
        let (dt, di) = (&g.docs[t], &g.docs[i]);
        if dt.repealed.contains(&a) || di.repealed.contains(&b) {
            continue;
        }
        out.push(Planted {
            kind,
            document: dt.number.clone(),
            provision: Some(prov_name(dt, a, c)),
            related: vec![Related {
                document: di.number.clone(),
                provision: Some(prov_name(di, b, cb)),
            }],
            why: format!(
                "{} of {} was copied into {}{}.",
                prov_name(dt, a, c),
                dt.number,
                di.number,
                if kind == "conflict" {
                    " with another value"
                } else {
                    ""
                }
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let (a, ma) = generate(120, 7);
        let (b, mb) = generate(120, 7);
        let (c, _) = generate(120, 8);
        assert_eq!(a.len(), 120);
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.path == y.path && x.text == y.text));
        assert_eq!(
            serde_json::to_string(&ma).unwrap(),
            serde_json::to_string(&mb).unwrap()
        );
        assert!(a.iter().zip(&c).any(|(x, y)| x.text != y.text));
    }

    #[test]
    fn every_document_parses_without_errors() {
        let (files, _) = generate(300, 1);
        for f in &files {
            let doc = crate::parse::parse_document(&f.path, &f.text);
            let errors: Vec<_> = doc
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::model::DiagnosticSeverity::Error)
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}\n{}", f.path, f.text);
            assert!(doc.issued.is_some(), "{}", f.path);
        }
    }

    #[test]
    fn more_documents_than_districts_can_hold_at_the_usual_rate() {
        // 399 district names: 100,500 documents would need 402 districts of 250.
        assert_eq!(district_count(1), 1);
        assert_eq!(district_count(1000), 4);
        assert_eq!(district_count(100_500), 399);
    }

    #[test]
    fn amounts_are_written_with_thousands_dots() {
        assert_eq!(thousands(1_500_000), "1.500.000");
        assert_eq!(quantity_text(0, 5), "05 ngày làm việc");
    }
}
