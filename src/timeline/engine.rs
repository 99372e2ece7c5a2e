//! The effects table and the status of documents and provisions on a date.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::Serialize;

use super::data::{LawPeriods, Registry, RegistryEntry};
use crate::model::{
    Date, DocStatus, Document, EffectRule, IssuerLevel, Provision, ProvisionKind, ProvisionStatus,
    Reason, ReasonKind, Relation, RepealScope, Status,
};
use crate::resolve::{self, ResolvedCitation};

/// The three kinds of modification Akoma Ntoso (OASIS LegalDocML) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModKind {
    /// Entry into force or end of force (replacement, repeal, time limit, parent expired).
    ForceMod,
    /// A change of wording (*sửa đổi, bổ sung*): old and new text.
    TextualMod,
    /// A suspension (*ngưng hiệu lực*).
    EfficacyMod,
}

/// One row of the effects table: from `date`, `reason.document` does `kind` to `target`
/// (or one provision of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Modification {
    pub kind: ModKind,
    pub target: String,
    /// `None` for the whole document.
    pub target_provision: Option<String>,
    pub date: Date,
    /// For a textual modification: the new wording.
    pub new_text: Option<String>,
    /// The reason, then the reasons behind it (a parent's replacement for `parent_expired`).
    pub chain: Vec<Reason>,
}

impl Modification {
    fn reason(&self) -> &Reason {
        &self.chain[0]
    }
    fn sort_key(&self) -> (Date, ModKind, ReasonKind, Option<String>, Option<String>) {
        (
            self.date,
            self.kind,
            self.reason().kind,
            self.reason().document.clone(),
            self.target_provision.clone(),
        )
    }
}

/// A change of status in a document's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub date: Date,
    /// `None` for the document itself.
    pub provision: Option<String>,
    pub status: Status,
    pub reasons: Vec<Reason>,
}

/// One wording of a provision and the days it was in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Wording {
    /// First day (`None`: since the document took effect, or unknown).
    pub from: Option<Date>,
    /// Last day (`None`: still current).
    pub until: Option<Date>,
    pub text: String,
    /// The amending document, `None` for the original wording.
    pub amended_by: Option<String>,
}

/// "`child` details `parent`" (*quy định chi tiết*), from a citation of the child.
#[derive(Debug, Clone)]
struct DetailLink {
    child: String,
    parent: String,
    /// The parent was cited by name alone: a review candidate, never an automatic expiry.
    by_name_only: bool,
}

/// Everything the timeline knows of one document.
#[derive(Debug, Clone)]
struct Entry {
    doc: Document,
    /// The first day in force, if known.
    from: Option<Date>,
    /// From the registry rather than the store.
    external: bool,
    /// The provision carrying the effect clause ("có hiệu lực …"), cited in the entry reason.
    effect_clause: Option<String>,
    /// Path → parent path, for "a provision and its children": made the first time a
    /// provision's modifications are asked for, which only documents that a later text
    /// modifies in part ever are (at 100k documents the map of every document would be held
    /// for nothing).
    parent_of: OnceLock<BTreeMap<String, String>>,
    /// Whole-document modifications, sorted.
    whole: Vec<Modification>,
    /// Provision modifications by target path, sorted.
    partial: BTreeMap<String, Vec<Modification>>,
    /// Detailing documents whose parent expired after automatic propagation ended: they stay
    /// in force and are review candidates.
    review: Vec<Reason>,
}

/// The status engine over a set of documents: built once, queried for any date.
///
/// Pure: no IO. Same documents, registry and periods give the same answers in the same order.
#[derive(Debug, Clone)]
pub struct Timeline {
    entries: BTreeMap<String, Entry>,
    periods: LawPeriods,
    resolutions: BTreeMap<String, Vec<ResolvedCitation>>,
}

fn day_after(d: Date) -> Date {
    d.succ_opt().unwrap_or(d)
}

fn days_after(d: Date, n: u32) -> Date {
    d.checked_add_days(chrono::Days::new(u64::from(n)))
        .unwrap_or(d)
}

/// The first day in force of a stored document, from what its effect clause says.
pub fn entry_into_force(d: &Document) -> Option<Date> {
    d.effective_from.or(match d.effect_rule {
        EffectRule::OnDate { date } => Some(date),
        EffectRule::DaysAfterSigning { days } => d.issued.map(|i| days_after(i, days)),
        EffectRule::OnSigning | EffectRule::OnAdoption | EffectRule::Unstated => d.issued,
    })
}

fn same_issuer(a: &Document, b: &Document) -> bool {
    match (&a.issuer, &b.issuer) {
        (Some(x), Some(y)) => resolve::fold(x) == resolve::fold(y),
        _ => false,
    }
}

fn is_district(d: &Document) -> bool {
    d.issuer_detail
        .as_ref()
        .is_some_and(|i| i.level == IssuerLevel::District)
}

impl Timeline {
    /// Builds the effects table from the store's documents (ids already qualified), the
    /// registry and the law periods. Citations are resolved here.
    pub fn build(docs: &[Document], registry: &Registry, periods: &LawPeriods) -> Timeline {
        Self::from_documents(docs.to_vec(), registry, periods)
    }

    /// [`Timeline::build`] taking the documents over, so that the corpus is held once in
    /// memory rather than twice while the table is built.
    pub fn from_documents(
        docs: Vec<Document>,
        registry: &Registry,
        periods: &LawPeriods,
    ) -> Timeline {
        let t0 = std::time::Instant::now();
        let resolved = resolve::resolve_all(&docs, registry);
        tracing::debug!(
            seconds = t0.elapsed().as_secs_f64(),
            "status engine: citations resolved"
        );
        Self::from_resolved(docs, resolved, registry, periods)
    }

    /// [`Timeline::from_documents`] with the citations already resolved, by
    /// [`resolve::resolve_all`] over the same documents and registry (one list per document,
    /// in their order).
    pub fn from_resolved(
        docs: Vec<Document>,
        resolved: Vec<Vec<ResolvedCitation>>,
        registry: &Registry,
        periods: &LawPeriods,
    ) -> Timeline {
        assert_eq!(
            docs.len(),
            resolved.len(),
            "one list of citations per document"
        );
        let t0 = std::time::Instant::now();
        let doc_ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        // Two stored texts with one id (the later wins the entry): the earlier is kept aside
        // for its own citations.
        let mut position: HashMap<String, usize> = HashMap::new();
        let mut shadowed: HashMap<usize, Document> = HashMap::new();
        // Each document's effect clause is found by folding its provisions' text up to it:
        // on every core, before the documents go into the table one by one.
        let clauses: Vec<Option<String>> = {
            use rayon::prelude::*;
            docs.par_iter()
                .map(|d| effect_clause(d).map(|p| p.path.clone()))
                .collect()
        };
        tracing::debug!(
            seconds = t0.elapsed().as_secs_f64(),
            "status engine: effect clauses"
        );
        for (i, (d, clause)) in docs.into_iter().zip(clauses).enumerate() {
            let from = entry_into_force(&d);
            let entry = Entry::with_clause(d, from, false, clause);
            if let Some(old) = entries.insert(doc_ids[i].clone(), entry) {
                shadowed.insert(position[&old.doc.id], old.doc);
            }
            position.insert(doc_ids[i].clone(), i);
        }
        for e in &registry.entries {
            if entries.contains_key(&e.id) {
                continue;
            }
            entries.insert(
                e.id.clone(),
                Entry::new(e.to_document(), e.in_force_from.value, true),
            );
        }
        let mut t = Timeline {
            entries,
            periods: periods.clone(),
            resolutions: BTreeMap::new(),
        };
        for e in &registry.entries {
            t.add_registry_end(e, &e.id);
        }
        // A stored document without a number that the registry names (same type and date of
        // issue, see `Registry::numberless_entry`) is that entry's text: it takes the entry's
        // days in force, its own text stating none that is better known.
        for id in &doc_ids {
            let Some(e) = registry.numberless_entry(id).map(|i| &registry.entries[i]) else {
                continue;
            };
            if let (Some(x), Some(from)) = (t.entries.get_mut(id), e.in_force_from.value) {
                x.from = Some(from);
                x.effect_clause = None;
            }
            t.add_registry_end(e, id);
        }
        let ids: Vec<String> = t.entries.keys().cloned().collect();
        for id in &ids {
            t.add_own_limits(id);
        }
        let mut details: Vec<DetailLink> = Vec::new();
        for (i, (id, rcs)) in doc_ids.iter().zip(&resolved).enumerate() {
            if rcs.iter().all(|rc| rc.target.is_none()) {
                continue;
            }
            // The citing text is held by the table being changed: its entry is taken out
            // while its effects are added to the others' (one document at a time; a document
            // is never the target of its own effects), then put back. A copy of each citing
            // document was a copy of the corpus.
            let from = t.entries.get(id).and_then(|e| e.from);
            match shadowed.remove(&i) {
                Some(d) => {
                    for rc in rcs {
                        details.extend(t.add_citation_effect(&d, from, rc));
                    }
                }
                None => {
                    let Some(e) = t.entries.remove(id) else {
                        continue;
                    };
                    for rc in rcs {
                        details.extend(t.add_citation_effect(&e.doc, from, rc));
                    }
                    t.entries.insert(id.clone(), e);
                }
            }
        }
        tracing::debug!(
            seconds = t0.elapsed().as_secs_f64(),
            links = details.len(),
            "status engine: effects"
        );
        t.propagate_to_detailing(&details);
        for e in t.entries.values_mut() {
            e.whole.sort_by_key(Modification::sort_key);
            for v in e.partial.values_mut() {
                v.sort_by_key(Modification::sort_key);
            }
        }
        t.resolutions = doc_ids.into_iter().zip(resolved).collect();
        t
    }

    fn basis(&self, date: Date) -> &super::data::LegalBases {
        &self.periods.at(date).legal_basis
    }

    /// Ends `target` (the entry itself, or the stored text identified with it) on the day
    /// after the entry's last day in force.
    fn add_registry_end(&mut self, e: &RegistryEntry, target: &str) {
        let Some(until) = e.in_force_until.value else {
            return;
        };
        let date = day_after(until);
        let (kind, by, source) = match (&e.replaced_by, &e.repealed_by) {
            (Some(r), _) if r.value.is_some() => (ReasonKind::Replaced, r.value.clone(), &r.source),
            (_, Some(r)) if r.value.is_some() => (ReasonKind::Repealed, r.value.clone(), &r.source),
            _ => (ReasonKind::Repealed, None, &e.in_force_until.source),
        };
        let legal_basis = match (&by, kind) {
            // A fact an imported page stated: the page is the basis.
            (None, _) if super::data::is_imported_source(source) => source.clone(),
            (None, _) => format!("rules/registry.toml ({source})"),
            (Some(b), ReasonKind::Replaced) => {
                let same = self.entries.get(b).is_some_and(|x| {
                    x.doc.issuer.as_deref().map(resolve::fold) == Some(resolve::fold(&e.issuer))
                });
                if same {
                    self.basis(date).replaced.clone()
                } else {
                    self.basis(date).repealed.clone()
                }
            }
            _ => self.basis(date).repealed.clone(),
        };
        let note = match &by {
            Some(b) if kind == ReasonKind::Replaced => {
                format!("{} được thay thế bởi {b} từ ngày {date} (nguồn: {source}).", e.id)
            }
            Some(b) => format!("{} hết hiệu lực từ ngày {date}, do {b} (nguồn: {source}).", e.id),
            None => format!(
                "{} hết hiệu lực từ ngày {date}; văn bản làm hết hiệu lực chưa được xác định (nguồn: {source}).",
                e.id
            ),
        };
        let note = if target == e.id {
            note
        } else {
            format!("{target} là văn bản {}: {note}", e.id)
        };
        let m = Modification {
            kind: ModKind::ForceMod,
            target: target.to_string(),
            target_provision: None,
            date,
            new_text: None,
            chain: vec![Reason {
                kind,
                document: by,
                provision: None,
                effective: Some(date),
                legal_basis,
                note,
            }],
        };
        if let Some(x) = self.entries.get_mut(target) {
            // A stored document's text seldom knows its own end: the end an imported page
            // states (the national database's "Ngày hết hiệu lực") applies to it too.
            if x.external || super::data::is_imported_source(&e.in_force_until.source) {
                x.whole.push(m);
            }
        }
    }

    /// Case 1 of Article 154: the validity period written in the document, or the last year
    /// of a programme period ("giai đoạn 2021 - 2025" ends on 31 December 2025).
    fn add_own_limits(&mut self, id: &str) {
        let e = &self.entries[id];
        if e.external {
            return;
        }
        let mut ends: Vec<(Date, String)> = Vec::new();
        if let Some(u) = e.doc.effective_until {
            ends.push((
                day_after(u),
                format!("{id} có hiệu lực đến hết ngày {u} (thời hạn ghi trong văn bản)."),
            ));
        }
        if let Some((y1, y2)) = e.doc.period {
            if let Some(last) = Date::from_ymd_opt(y2, 12, 31) {
                ends.push((
                    day_after(last),
                    format!(
                        "{id} thực hiện trong giai đoạn {y1} - {y2}, hết thời hạn ngày {last}."
                    ),
                ));
            }
        }
        let Some((date, note)) = ends.into_iter().min() else {
            return;
        };
        let legal_basis = self.basis(date).time_limit.clone();
        let m = Modification {
            kind: ModKind::ForceMod,
            target: id.to_string(),
            target_provision: None,
            date,
            new_text: None,
            chain: vec![Reason {
                kind: ReasonKind::TimeLimit,
                document: None,
                provision: None,
                effective: Some(date),
                legal_basis,
                note,
            }],
        };
        self.entries.get_mut(id).expect("entry").whole.push(m);
    }

    /// Records what citation `rc` of `src` does to its target; returns the link for a
    /// detailing relation, which is dealt with once every other effect is known.
    /// The effect of one citation of `src` (in force from `src_from`) on its target.
    fn add_citation_effect(
        &mut self,
        src: &Document,
        src_from: Option<Date>,
        rc: &ResolvedCitation,
    ) -> Option<DetailLink> {
        let target = rc.target.clone()?;
        if target == src.id || !self.entries.contains_key(&target) {
            return None;
        }
        let c = &src.citations[rc.index];
        if rc.relation == Relation::Details {
            return Some(DetailLink {
                child: src.id.clone(),
                parent: target,
                // "… được Luật Đất đai giao": named without number, date or year. Which
                // version is meant is an inference, too weak to expire a document on.
                by_name_only: rc.via == resolve::Via::Name,
            });
        }
        let (kind, reason_kind) = match rc.relation {
            Relation::Replaces => (ModKind::ForceMod, ReasonKind::Replaced),
            Relation::Repeals => (ModKind::ForceMod, ReasonKind::Repealed),
            Relation::Amends => (ModKind::TextualMod, ReasonKind::Amended),
            Relation::Suspends => (ModKind::EfficacyMod, ReasonKind::Suspended),
            _ => return None,
        };
        // The change takes effect the day the changing document does.
        let date = src_from?;
        let whole = rc.provision.is_none() || c.scope == Some(RepealScope::Whole);
        if kind == ModKind::TextualMod && whole {
            // "Sửa đổi, bổ sung một số điều của Quyết định …" names its articles one by one;
            // the umbrella citation changes nothing by itself.
            return None;
        }
        let same = same_issuer(src, &self.entries[&target].doc);
        let b = self.basis(date);
        let legal_basis = match reason_kind {
            ReasonKind::Replaced if same => b.replaced.clone(),
            ReasonKind::Replaced | ReasonKind::Repealed => b.repealed.clone(),
            ReasonKind::Amended => b.amended.clone(),
            _ => b.suspended.clone(),
        };
        let what = if whole {
            target.clone()
        } else {
            format!("{} của {target}", rc.provision.clone().unwrap_or_default())
        };
        let verb = match reason_kind {
            ReasonKind::Replaced => "được thay thế",
            ReasonKind::Repealed => "bị bãi bỏ",
            ReasonKind::Amended => "được sửa đổi, bổ sung",
            _ => "bị ngưng hiệu lực",
        };
        let at = c
            .source
            .as_deref()
            .map(|s| format!("{s} của {}", src.id))
            .unwrap_or_else(|| src.id.clone());
        let note = format!("{what} {verb} bởi {at}, từ ngày {date}.");
        let m = Modification {
            kind,
            target: target.clone(),
            target_provision: if whole { None } else { rc.provision.clone() },
            date,
            new_text: c.new_text.clone(),
            chain: vec![Reason {
                kind: reason_kind,
                document: Some(src.id.clone()),
                provision: c.source.clone(),
                effective: Some(date),
                legal_basis,
                note,
            }],
        };
        let entry = self.entries.get_mut(&target).expect("target");
        let list = match &m.target_provision {
            None => &mut entry.whole,
            Some(p) => entry.partial.entry(p.clone()).or_default(),
        };
        // The same change is often said twice (in the title and in an article): keep one,
        // preferring the mention that names the provision where it stands.
        let same = list.iter().position(|x| {
            x.date == m.date
                && x.kind == m.kind
                && x.reason().kind == m.reason().kind
                && x.reason().document == m.reason().document
        });
        match same {
            Some(i) if list[i].reason().provision.is_none() && m.reason().provision.is_some() => {
                list[i] = m;
            }
            Some(i) if list[i].new_text.is_none() && m.new_text.is_some() => list[i] = m,
            Some(_) => {}
            None => list.push(m),
        }
        None
    }

    /// Case 4 of Article 154 (Law 80/2015): a detailing document expires with the document it
    /// details, when that expiry falls before the switch in `rules/law-periods.toml`; after
    /// it the detailing document stays in force and becomes a review candidate.
    fn propagate_to_detailing(&mut self, links: &[DetailLink]) {
        let mut done: BTreeSet<(String, String)> = BTreeSet::new();
        // Each round can only add expiries; chains are at most as long as the document count.
        for _ in 0..=self.entries.len() {
            let mut changed = false;
            for link in links {
                let (child, parent) = (&link.child, &link.parent);
                if done.contains(&(child.clone(), parent.clone())) {
                    continue;
                }
                let Some(end) = self.whole_expiry(parent) else {
                    continue;
                };
                done.insert((child.clone(), parent.clone()));
                changed = true;
                let date = end.date;
                let period = self.periods.at(date);
                let mut reason = Reason {
                    kind: ReasonKind::ParentExpired,
                    document: Some(parent.clone()),
                    provision: None,
                    effective: Some(date),
                    legal_basis: period.legal_basis.parent_expired.clone(),
                    note: format!(
                        "{child} quy định chi tiết {parent}; {parent} hết hiệu lực từ ngày {date}."
                    ),
                };
                if link.by_name_only {
                    reason.note = format!(
                        "{child} quy định chi tiết văn bản được trích dẫn theo tên, không có số hoặc ngày (hiểu là {parent}, hết hiệu lực từ ngày {date}): cần xác định văn bản được quy định chi tiết trước khi kết luận {child} hết hiệu lực."
                    );
                    self.entries
                        .get_mut(child)
                        .expect("child")
                        .review
                        .push(reason);
                } else if period.detailing_follows_parent {
                    let mut chain = vec![reason];
                    chain.extend(end.chain.iter().cloned());
                    let m = Modification {
                        kind: ModKind::ForceMod,
                        target: child.clone(),
                        target_provision: None,
                        date,
                        new_text: None,
                        chain,
                    };
                    self.entries.get_mut(child).expect("child").whole.push(m);
                } else {
                    reason.legal_basis = period.legal_basis.detailing_stays.clone();
                    reason.note = format!(
                        "{child} quy định chi tiết {parent}, hết hiệu lực từ ngày {date}: {child} vẫn còn hiệu lực nếu không trái văn bản mới, trừ khi được công bố hết hiệu lực; cần rà soát."
                    );
                    self.entries
                        .get_mut(child)
                        .expect("child")
                        .review
                        .push(reason);
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// The earliest whole-document end of force, if any.
    fn whole_expiry(&self, id: &str) -> Option<Modification> {
        self.entries
            .get(id)?
            .whole
            .iter()
            .filter(|m| m.kind == ModKind::ForceMod)
            .min_by_key(|m| m.sort_key())
            .cloned()
    }

    /// Every document id the timeline knows, stored and registered, sorted.
    pub fn documents(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The stored documents (not the registry's), sorted by id.
    pub fn stored_documents(&self) -> Vec<&Document> {
        self.entries
            .values()
            .filter(|e| !e.external)
            .map(|e| &e.doc)
            .collect()
    }

    /// Puts these stored documents in place of those of the same id, which the timeline was
    /// built from without their text ([`without_text`]): statuses, effects and resolutions
    /// stay as they are, since they read nothing the text adds; what reads the documents
    /// themselves (the rules) then reads them whole. A document of no stored entry is
    /// returned.
    pub fn put_documents(&mut self, docs: Vec<Document>) -> Vec<Document> {
        let mut left = Vec::new();
        for d in docs {
            match self.entries.get_mut(&d.id) {
                Some(e) if !e.external => e.doc = d,
                _ => left.push(d),
            }
        }
        left
    }

    /// The document as stored (or as built from the registry).
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.entries.get(id).map(|e| &e.doc)
    }

    /// True for a document of the registry rather than the store.
    pub fn is_external(&self, id: &str) -> bool {
        self.entries.get(id).is_some_and(|e| e.external)
    }

    /// The resolved citations of a stored document.
    pub fn resolutions(&self, id: &str) -> &[ResolvedCitation] {
        self.resolutions.get(id).map_or(&[], Vec::as_slice)
    }

    /// Every resolved citation of every stored document, by citing document id.
    pub fn all_resolutions(&self) -> &BTreeMap<String, Vec<ResolvedCitation>> {
        &self.resolutions
    }

    /// The effects table: every modification of every document, ordered by target then date.
    pub fn effects(&self) -> Vec<&Modification> {
        self.entries
            .values()
            .flat_map(|e| e.whole.iter().chain(e.partial.values().flatten()))
            .collect()
    }

    /// Detailing documents whose parent expired when propagation was no longer automatic
    /// (from 2025-04-01): still in force, to be reviewed.
    pub fn review_candidates(&self, id: &str, as_of: Date) -> Vec<Reason> {
        self.entries.get(id).map_or_else(Vec::new, |e| {
            e.review
                .iter()
                .filter(|r| r.effective.is_none_or(|d| d <= as_of))
                .cloned()
                .collect()
        })
    }

    /// The documents of this one's *Căn cứ* (basis) that are not in force on `as_of`, with
    /// why: the document itself stays in force, but a reviewer must look at it.
    pub fn expired_bases(&self, id: &str, as_of: Date) -> Vec<(String, DocStatus)> {
        let mut out: Vec<(String, DocStatus)> = Vec::new();
        for rc in self.resolutions(id) {
            if rc.relation != Relation::Basis {
                continue;
            }
            let Some(t) = &rc.target else { continue };
            if t == id || out.iter().any(|(x, _)| x == t) {
                continue;
            }
            if let Some(s) = self.status(t, as_of) {
                if s.status == Status::Expired {
                    out.push((t.clone(), s));
                }
            }
        }
        out
    }

    /// True when the issuer was a district-level body (*cấp huyện*), which ended on the date
    /// in `rules/law-periods.toml`: the successor must keep, replace or repeal the document.
    pub fn issued_by_district(&self, id: &str) -> bool {
        self.entries.get(id).is_some_and(|e| is_district(&e.doc))
    }

    /// The dated rules of law in use (entry-into-force minimums, expiry rules) for later
    /// stages that check documents against them.
    pub fn periods(&self) -> &LawPeriods {
        &self.periods
    }

    /// The day the district level ended, with its legal basis.
    pub fn district_level_end(&self) -> (Date, &str) {
        (
            self.periods.district_level.ended,
            &self.periods.district_level.legal_basis,
        )
    }

    /// The status of a document and of each of its provisions on `as_of`.
    pub fn status(&self, id: &str, as_of: Date) -> Option<DocStatus> {
        let e = self.entries.get(id)?;
        let (status, since, reasons) = self.doc_level(e, as_of);
        let provisions = self.provision_statuses(e, as_of, status, since, &reasons);
        let (status, since, reasons) = match status {
            Status::InForce => self
                .with_provisions(e, as_of, &provisions)
                .unwrap_or((status, since, reasons)),
            _ => (status, since, reasons),
        };
        Some(DocStatus {
            document: id.to_string(),
            as_of,
            status,
            since,
            reasons,
            provisions,
        })
    }

    /// The document's own status, before looking at its provisions.
    fn doc_level(&self, e: &Entry, as_of: Date) -> (Status, Option<Date>, Vec<Reason>) {
        if let Some(from) = e.from {
            if as_of < from {
                return (Status::NotYetInForce, e.doc.issued, Vec::new());
            }
        }
        let active: Vec<&Modification> = e.whole.iter().filter(|m| m.date <= as_of).collect();
        let ended: Vec<&Modification> = active
            .iter()
            .copied()
            .filter(|m| m.kind == ModKind::ForceMod)
            .collect();
        if let Some(first) = ended.first() {
            let reasons = ended.iter().flat_map(|m| m.chain.iter().cloned()).collect();
            return (Status::Expired, Some(first.date), reasons);
        }
        if let Some(s) = active.iter().find(|m| m.kind == ModKind::EfficacyMod) {
            return (Status::Suspended, Some(s.date), s.chain.clone());
        }
        let reasons = match e.from {
            // The document's own effect clause: no later document caused it.
            Some(from) if !e.external => vec![Reason {
                kind: ReasonKind::EnteredIntoForce,
                document: None,
                provision: None,
                effective: Some(from),
                legal_basis: self.basis(from).entered_into_force.clone(),
                note: match &e.effect_clause {
                    Some(c) => format!("{} có hiệu lực từ ngày {from} ({c}).", e.doc.id),
                    None => format!("{} có hiệu lực từ ngày {from}.", e.doc.id),
                },
            }],
            _ => Vec::new(),
        };
        (Status::InForce, e.from, reasons)
    }

    /// The modifications touching `path` or one of its ancestors, in force on `as_of`.
    fn provision_mods<'e>(&self, e: &'e Entry, path: &str, as_of: Date) -> Vec<&'e Modification> {
        let mut out = Vec::new();
        if e.partial.is_empty() {
            return out;
        }
        let parent_of = e.parent_of();
        let mut cur = Some(path);
        while let Some(p) = cur {
            if let Some(v) = e.partial.get(p) {
                out.extend(v.iter().filter(|m| m.date <= as_of));
            }
            cur = parent_of.get(p).map(String::as_str);
        }
        out.sort_by_key(|m| m.sort_key());
        out
    }

    fn provision_statuses(
        &self,
        e: &Entry,
        as_of: Date,
        doc_status: Status,
        doc_since: Option<Date>,
        doc_reasons: &[Reason],
    ) -> Vec<ProvisionStatus> {
        let mut paths: Vec<String> = e
            .doc
            .all_provisions()
            .iter()
            .map(|p| p.path.clone())
            .collect();
        // Provisions a later document names but the parse did not find are listed after the
        // rest, so that the change is still shown.
        for p in e.partial.keys() {
            if !paths.contains(p) {
                paths.push(p.clone());
            }
        }
        paths
            .into_iter()
            .map(|path| {
                if doc_status != Status::InForce {
                    return ProvisionStatus {
                        provision: path,
                        status: doc_status,
                        since: doc_since,
                        reasons: doc_reasons.to_vec(),
                    };
                }
                let mods = self.provision_mods(e, &path, as_of);
                let ended: Vec<_> = mods
                    .iter()
                    .filter(|m| m.kind == ModKind::ForceMod)
                    .collect();
                if let Some(first) = ended.first() {
                    return ProvisionStatus {
                        provision: path,
                        status: Status::Expired,
                        since: Some(first.date),
                        reasons: ended.iter().flat_map(|m| m.chain.iter().cloned()).collect(),
                    };
                }
                if let Some(s) = mods.iter().find(|m| m.kind == ModKind::EfficacyMod) {
                    return ProvisionStatus {
                        provision: path,
                        status: Status::Suspended,
                        since: Some(s.date),
                        reasons: s.chain.clone(),
                    };
                }
                if let Some(last) = mods.iter().rev().find(|m| m.kind == ModKind::TextualMod) {
                    return ProvisionStatus {
                        provision: path,
                        status: Status::InForce,
                        since: Some(last.date),
                        reasons: last.chain.clone(),
                    };
                }
                ProvisionStatus {
                    provision: path,
                    status: Status::InForce,
                    since: e.from,
                    reasons: Vec::new(),
                }
            })
            .collect()
    }

    /// A document in force whose provisions changed is partially expired, or expired when
    /// every one of its articles (or outline items) is.
    fn with_provisions(
        &self,
        e: &Entry,
        as_of: Date,
        provisions: &[ProvisionStatus],
    ) -> Option<(Status, Option<Date>, Vec<Reason>)> {
        // An amendment gives a provision a new wording; the document stays in force. Only
        // ends of force (repeal, replacement of a provision) make it partially expired.
        let mut mods: Vec<&Modification> = e
            .partial
            .values()
            .flatten()
            .filter(|m| m.date <= as_of && m.kind == ModKind::ForceMod)
            .collect();
        mods.sort_by_key(|m| m.sort_key());
        if mods.is_empty() {
            return None;
        }
        // One reason per ended provision: which later document and provision ended it.
        let reasons: Vec<Reason> = mods
            .iter()
            .map(|m| {
                let r = m.reason();
                Reason {
                    kind: ReasonKind::ProvisionsExpired,
                    document: r.document.clone(),
                    provision: r.provision.clone(),
                    effective: Some(m.date),
                    legal_basis: r.legal_basis.clone(),
                    note: r.note.clone(),
                }
            })
            .collect();
        let units = units_of(&e.doc);
        let expired = |path: &str| {
            provisions
                .iter()
                .any(|p| p.provision == path && p.status == Status::Expired)
        };
        if !units.is_empty() && units.iter().all(|u| expired(u)) {
            let since = provisions
                .iter()
                .filter(|p| units.contains(&p.provision))
                .filter_map(|p| p.since)
                .max();
            return Some((Status::Expired, since, reasons));
        }
        let since = mods.first().map(|m| m.date);
        Some((Status::PartiallyExpired, since, reasons))
    }

    /// Every change of status of the document and its provisions, in date order.
    pub fn history(&self, id: &str) -> Vec<HistoryEntry> {
        let Some(e) = self.entries.get(id) else {
            return Vec::new();
        };
        let mut dates: BTreeSet<Date> = BTreeSet::new();
        dates.extend(e.doc.issued);
        dates.extend(e.from);
        dates.extend(e.whole.iter().map(|m| m.date));
        dates.extend(e.partial.values().flatten().map(|m| m.date));
        let mut out = Vec::new();
        let mut last_doc: Option<(Status, Option<Date>)> = None;
        let mut last_prov: BTreeMap<String, (Status, Option<Date>)> = BTreeMap::new();
        for d in dates {
            let Some(s) = self.status(id, d) else {
                continue;
            };
            if last_doc != Some((s.status, s.since)) {
                out.push(HistoryEntry {
                    date: d,
                    provision: None,
                    status: s.status,
                    reasons: s.reasons.clone(),
                });
                last_doc = Some((s.status, s.since));
            }
            for p in s.provisions {
                let key = (p.status, p.since);
                let before = last_prov.insert(p.provision.clone(), key);
                // A provision following its document is not news; its own changes are.
                let follows_doc = p.status == s.status && p.since == s.since;
                if before != Some(key) && before.is_some() && !follows_doc {
                    out.push(HistoryEntry {
                        date: d,
                        provision: Some(p.provision),
                        status: p.status,
                        reasons: p.reasons,
                    });
                }
            }
        }
        out
    }

    /// The wordings of a provision over time: the original, then each amendment's.
    pub fn wordings(&self, id: &str, path: &str) -> Vec<Wording> {
        let Some(e) = self.entries.get(id) else {
            return Vec::new();
        };
        let original = e
            .doc
            .provision(path)
            .map(|p| e.doc.full_text_of(p))
            .unwrap_or_default();
        let amendments: Vec<&Modification> = e
            .partial
            .get(path)
            .map(|v| v.iter().filter(|m| m.kind == ModKind::TextualMod).collect())
            .unwrap_or_default();
        let mut out = vec![Wording {
            from: e.from,
            until: None,
            text: original,
            amended_by: None,
        }];
        for m in amendments {
            if let Some(last) = out.last_mut() {
                last.until = m.date.pred_opt();
            }
            out.push(Wording {
                from: Some(m.date),
                until: None,
                text: m.new_text.clone().unwrap_or_default(),
                amended_by: m.reason().document.clone(),
            });
        }
        out
    }

    /// The wording of a provision in force on `as_of` (the latest amendment on or before it).
    pub fn wording_on(&self, id: &str, path: &str, as_of: Date) -> Option<Wording> {
        self.wordings(id, path)
            .into_iter()
            .rev()
            .find(|w| w.from.is_none_or(|f| f <= as_of))
    }

    /// True when some amendment of this exact provision exists (on any date).
    pub fn has_amendments(&self, id: &str, path: &str) -> bool {
        self.entries.get(id).is_some_and(|e| {
            e.partial
                .get(path)
                .is_some_and(|v| v.iter().any(|m| m.kind == ModKind::TextualMod))
        })
    }
}

/// The provisions whose expiry together expires the document: its articles (including those
/// of annexes) if it has any, else its top-level outline items.
fn units_of(doc: &Document) -> Vec<String> {
    let all = doc.all_provisions();
    let articles: Vec<String> = all
        .iter()
        .filter(|p| p.kind == ProvisionKind::Article)
        .map(|p| p.path.clone())
        .collect();
    if !articles.is_empty() {
        return articles;
    }
    doc.provisions
        .iter()
        .filter(|p| p.kind != ProvisionKind::Annex)
        .map(|p| p.path.clone())
        .collect()
}

/// The provision carrying the effect clause: the first article or clause whose text says "có
/// hiệu lực".
fn effect_clause(doc: &Document) -> Option<&Provision> {
    doc.all_provisions()
        .into_iter()
        .filter(|p| p.kind == ProvisionKind::Article || p.kind == ProvisionKind::Clause)
        .find(|p| resolve::fold(&doc.text_of(p)).contains("co hieu luc"))
}

/// Drops from a stored document what neither the citation resolver nor the status engine
/// reads, so that a whole corpus can be held for them: the provisions' text (except the
/// effect clause's, which [`Timeline::build`] looks for) and headings, the *Căn cứ* lines
/// (their citations are also in the document's own list), the proposal and enacting
/// formula, the recipients, the signer and the diagnostics. The structure (kinds, labels,
/// paths), the number, type, title, issuer, dates and effect rule, and the citations stay,
/// so the relations and every status are those of the full document.
///
/// A timeline built from such documents answers statuses as one built from the full ones;
/// what reads provision text ([`Timeline::wordings`], [`Timeline::text_on`]) needs the full
/// documents.
pub fn without_text(doc: &mut Document) {
    fn strip(ps: &mut [Provision], keep: Option<&str>) {
        for p in ps {
            if keep != Some(p.path.as_str()) {
                p.text = String::new();
            }
            p.heading = None;
            strip(&mut p.children, keep);
        }
    }
    let keep = effect_clause(doc).map(|p| p.path.clone());
    strip(&mut doc.provisions, keep.as_deref());
    doc.bases = Vec::new();
    doc.proposal = None;
    doc.enacting_formula = None;
    doc.recipients = Vec::new();
    doc.signer = None;
    doc.diagnostics = Vec::new();
}

impl Entry {
    fn new(doc: Document, from: Option<Date>, external: bool) -> Entry {
        let clause = effect_clause(&doc).map(|p| p.path.clone());
        Entry::with_clause(doc, from, external, clause)
    }

    /// [`Entry::new`] with the path of its effect clause already found.
    fn with_clause(
        doc: Document,
        from: Option<Date>,
        external: bool,
        effect_clause: Option<String>,
    ) -> Entry {
        Entry {
            doc,
            from,
            external,
            effect_clause,
            parent_of: OnceLock::new(),
            whole: Vec::new(),
            partial: BTreeMap::new(),
            review: Vec::new(),
        }
    }
}

impl Entry {
    fn parent_of(&self) -> &BTreeMap<String, String> {
        self.parent_of.get_or_init(|| {
            let mut parent_of = BTreeMap::new();
            for p in self.doc.all_provisions() {
                for c in &p.children {
                    parent_of.insert(c.path.clone(), p.path.clone());
                }
            }
            parent_of
        })
    }
}

/// One provision as it reads on a date: its status and the wording then in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisionText {
    pub provision: String,
    pub kind: ProvisionKind,
    pub label: String,
    pub heading: Option<String>,
    pub status: Status,
    pub since: Option<Date>,
    /// The wording in force on the date (the amended one where it was amended).
    pub text: String,
    /// The amending document whose wording this is, if any.
    pub amended_by: Option<String>,
    pub wording_from: Option<Date>,
}

impl Timeline {
    /// The document's provisions as they read on `as_of` (the point-in-time text), for the
    /// `show` command and the API alike.
    pub fn text_on(&self, id: &str, status: &DocStatus, as_of: Date) -> Vec<ProvisionText> {
        let Some(doc) = self.document(id) else {
            return Vec::new();
        };
        doc.all_provisions()
            .into_iter()
            .map(|p| {
                let ps = status.provisions.iter().find(|x| x.provision == p.path);
                let w = self.wording_on(id, &p.path, as_of);
                let amended = w.as_ref().and_then(|w| w.amended_by.clone());
                ProvisionText {
                    provision: p.path.clone(),
                    kind: p.kind,
                    label: p.label.clone(),
                    heading: p.heading.clone(),
                    status: ps.map_or(status.status, |x| x.status),
                    since: ps.and_then(|x| x.since),
                    text: match (&amended, &w) {
                        (Some(_), Some(w)) => w.text.clone(),
                        _ => doc.text_of(p).into_owned(),
                    },
                    wording_from: w.as_ref().and_then(|w| w.from),
                    amended_by: amended,
                }
            })
            .collect()
    }
}

/// Why a named document could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// No document, stored or registered, has that id or number.
    NotFound,
    /// Several documents share the number: their qualified ids.
    Ambiguous(Vec<String>),
}

impl Timeline {
    /// The document a person named: its id exactly, or its number when only one document
    /// (stored or registered) has it.
    pub fn find(&self, wanted: &str) -> Result<String, Lookup> {
        let norm = resolve::normalize_number(wanted);
        if self.document(&norm).is_some() {
            return Ok(norm);
        }
        let key = resolve::number_key(&norm);
        let matches: Vec<&str> = self
            .documents()
            .filter(|id| resolve::number_key(id) == key)
            .collect();
        match matches.as_slice() {
            [one] => Ok(one.to_string()),
            [] => Err(Lookup::NotFound),
            many => Err(Lookup::Ambiguous(
                many.iter().map(|s| s.to_string()).collect(),
            )),
        }
    }
}
