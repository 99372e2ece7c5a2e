//! The two data files a jurist edits: `rules/law-periods.toml` (which law governs a change
//! dated D) and `rules/registry.toml` (documents outside the corpus).
//!
//! They are data rather than code because the rules of law they encode changed in 2025 and
//! some facts were read only in secondary sources: a jurist must be able to correct them
//! without a rebuild. Loading takes the file's text and name (no IO here) so that a broken
//! file is reported as `file:line:column: why`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::model::{Date, Document, EffectRule, IssuerLevel};

/// The built-in copy of `rules/law-periods.toml`, used when no rules folder is given.
pub const DEFAULT_LAW_PERIODS: &str = include_str!("../../rules/law-periods.toml");
/// The origin of entries read from the registry file.
pub const REGISTRY_ORIGIN: &str = "rules/registry.toml";
/// True for the source of a fact an imported page stated ("vbpl thuộc tính page: FILE"),
/// as [`Registry::with_imported`] records it.
pub fn is_imported_source(source: &str) -> bool {
    source.contains(" page: ")
}
/// The built-in copy of `rules/registry.toml`, used when no rules folder is given.
pub const DEFAULT_REGISTRY: &str = include_str!("../../rules/registry.toml");

/// A rule file that cannot be read as intended; the message names the place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl DataError {
    fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_col(text, offset);
        DataError {
            file: file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    fn from_toml(file: &str, text: &str, e: toml::de::Error) -> Self {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        DataError::at(file, text, offset, e.message().trim().to_string())
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The `legal_basis` strings of one period, one per kind of change.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalBases {
    pub entered_into_force: String,
    pub time_limit: String,
    pub replaced: String,
    pub amended: String,
    pub repealed: String,
    pub parent_expired: String,
    pub suspended: String,
    #[serde(default)]
    pub detailing_stays: String,
}

/// The law that governs the effects of changes taking effect from `from`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawPeriod {
    pub from: Date,
    pub law: String,
    pub name: String,
    /// Case 4 of Article 154 of Law 80/2015: a detailing document expires with its parent.
    /// False from 2025-04-01 (Law 64/2025, Article 57): it stays in force unless announced
    /// expired, and becomes a review candidate.
    pub detailing_follows_parent: bool,
    pub min_days_district_commune: u32,
    pub min_days_province: u32,
    pub min_days_legal_basis: String,
    pub legal_basis: LegalBases,
}

/// When the district level (*cấp huyện*) ended, and by which law.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictLevel {
    pub ended: Date,
    pub legal_basis: String,
}

/// The dated switches of `rules/law-periods.toml`, sorted by `from`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawPeriods {
    #[serde(rename = "period")]
    pub periods: Vec<LawPeriod>,
    pub district_level: DistrictLevel,
}

impl LawPeriods {
    /// Reads the file's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let mut p: LawPeriods =
            toml::from_str(text).map_err(|e| DataError::from_toml(file, text, e))?;
        if p.periods.is_empty() {
            return Err(DataError::at(file, text, 0, "no [[period]] defined"));
        }
        p.periods.sort_by_key(|x| x.from);
        Ok(p)
    }

    /// The built-in periods.
    pub fn builtin() -> Self {
        Self::parse("rules/law-periods.toml", DEFAULT_LAW_PERIODS)
            .expect("the built-in rules/law-periods.toml is valid")
    }

    /// The period governing a change that takes effect on `date`: the last one starting on or
    /// before it, or the first one for changes older than every period.
    pub fn at(&self, date: Date) -> &LawPeriod {
        self.periods
            .iter()
            .rev()
            .find(|p| p.from <= date)
            .unwrap_or(&self.periods[0])
    }
}

/// One fact of the registry with where it comes from. `None` when the file says `unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<T> {
    pub value: Option<T>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    value: String,
    source: String,
}

/// A document outside the corpus, as a jurist recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    pub id: String,
    pub doc_type: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub issuer: String,
    pub issued: Fact<Date>,
    pub in_force_from: Fact<Date>,
    /// The last day in force.
    pub in_force_until: Fact<Date>,
    pub replaced_by: Option<Fact<String>>,
    pub repealed_by: Option<Fact<String>>,
    /// Where the entry comes from: `rules/registry.toml`, or the imported page that stated
    /// it ("vbpl thuộc tính page: FILE") for a document the registry does not list.
    pub origin: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    #[serde(rename = "type")]
    doc_type: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    issuer: String,
    issued: RawFact,
    in_force_from: RawFact,
    in_force_until: RawFact,
    replaced_by: Option<RawFact>,
    repealed_by: Option<RawFact>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegistry {
    #[serde(default, rename = "document")]
    documents: Vec<toml::Spanned<RawEntry>>,
}

/// The documents of `rules/registry.toml`, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    pub entries: Vec<RegistryEntry>,
}

fn is_unknown(v: &str) -> bool {
    v.trim().is_empty() || v.trim().eq_ignore_ascii_case("unknown")
}

impl Registry {
    /// Reads the file's text; `file` names it in errors (a bad date names its entry's line).
    pub fn parse(file: &str, text: &str) -> Result<Self, DataError> {
        let raw: RawRegistry =
            toml::from_str(text).map_err(|e| DataError::from_toml(file, text, e))?;
        let mut entries = Vec::new();
        let mut seen = BTreeMap::new();
        for spanned in raw.documents {
            let at = spanned.span().start;
            let r = spanned.into_inner();
            let date = |name: &str, f: &RawFact| -> Result<Fact<Date>, DataError> {
                if is_unknown(&f.value) {
                    return Ok(Fact {
                        value: None,
                        source: f.source.clone(),
                    });
                }
                let d = f.value.trim().parse::<Date>().map_err(|_| {
                    DataError::at(
                        file,
                        text,
                        at,
                        format!(
                            "{}: `{name}` is not a date YYYY-MM-DD or \"unknown\": {:?}",
                            r.id, f.value
                        ),
                    )
                })?;
                Ok(Fact {
                    value: Some(d),
                    source: f.source.clone(),
                })
            };
            let text_fact = |f: &Option<RawFact>| {
                f.as_ref().map(|f| Fact {
                    value: (!is_unknown(&f.value)).then(|| f.value.trim().to_string()),
                    source: f.source.clone(),
                })
            };
            let entry = RegistryEntry {
                id: crate::resolve::normalize_number(&r.id),
                doc_type: r.doc_type.clone(),
                name: r.name.clone(),
                aliases: r.aliases.clone(),
                issuer: r.issuer.clone(),
                issued: date("issued", &r.issued)?,
                in_force_from: date("in_force_from", &r.in_force_from)?,
                in_force_until: date("in_force_until", &r.in_force_until)?,
                replaced_by: text_fact(&r.replaced_by),
                repealed_by: text_fact(&r.repealed_by),
                origin: REGISTRY_ORIGIN.to_string(),
            };
            if seen.insert(entry.id.clone(), ()).is_some() {
                return Err(DataError::at(
                    file,
                    text,
                    at,
                    format!("{} is listed twice", entry.id),
                ));
            }
            entries.push(entry);
        }
        Ok(Registry { entries })
    }

    /// The built-in registry.
    pub fn builtin() -> Self {
        Self::parse("rules/registry.toml", DEFAULT_REGISTRY)
            .expect("the built-in rules/registry.toml is valid")
    }

    /// The entry a document without a number (*văn bản không số*, id from
    /// [`crate::parse::number::numberless_id`]) is: the only entry issued on the same date
    /// whose name or an alias names a document of the same type ("Hiến pháp năm 1992 (sửa
    /// đổi, bổ sung năm 2001)" for `Hiến-pháp-25/12/2001`). `None` when no entry or several
    /// match: an unsure identity is no identity.
    pub fn numberless_entry(&self, id: &str) -> Option<usize> {
        let (doc_type, issued) = crate::parse::number::parse_numberless_id(id)?;
        let t = crate::resolve::fold(&doc_type);
        let names = |e: &RegistryEntry| {
            std::iter::once(&e.name)
                .chain(&e.aliases)
                .map(|n| crate::resolve::fold(n))
                .any(|n| n == t || n.starts_with(&format!("{t} ")))
        };
        let mut found = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.issued.value == Some(issued) && names(e))
            .map(|(i, _)| i);
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The registry completed by the validity facts imported pages stated (the national
    /// database's attribute and diagram pages, from the store).
    ///
    /// The jurist's registry wins: an imported fact only fills a fact the registry leaves
    /// `unknown`, or describes a document the registry does not list, and then keeps the page
    /// as its source. Facts are taken in the order given (the store sorts them by document
    /// and source), the first one stating a fact winning over later ones.
    pub fn with_imported(&self, facts: &[crate::import::ValidityFacts]) -> Registry {
        let mut out = self.clone();
        for f in facts {
            let id = crate::resolve::normalize_number(&f.document);
            if id.is_empty() {
                continue;
            }
            let key = crate::resolve::number_key(&id);
            let at = out
                .entries
                .iter()
                .position(|e| crate::resolve::number_key(&e.id) == key)
                .or_else(|| out.numberless_entry(&id));
            let at = match at {
                Some(i) => i,
                None => {
                    let unknown = |source: &str| Fact {
                        value: None,
                        source: source.to_string(),
                    };
                    out.entries.push(RegistryEntry {
                        id: id.clone(),
                        doc_type: String::new(),
                        name: id.clone(),
                        aliases: Vec::new(),
                        issuer: String::new(),
                        issued: unknown(&f.source),
                        in_force_from: unknown(&f.source),
                        in_force_until: unknown(&f.source),
                        replaced_by: None,
                        repealed_by: None,
                        origin: f.source.clone(),
                    });
                    out.entries.len() - 1
                }
            };
            let e = &mut out.entries[at];
            let fill = |fact: &mut Fact<Date>, value: Option<Date>| {
                if fact.value.is_none() && value.is_some() {
                    *fact = Fact {
                        value,
                        source: f.source.clone(),
                    };
                }
            };
            fill(&mut e.in_force_from, f.in_force_from);
            fill(&mut e.in_force_until, f.in_force_until);
            // "Văn bản thay thế": the documents that replaced this one.
            if let Some((_, by)) = f
                .relations
                .iter()
                .find(|(r, _)| crate::resolve::fold(r) == "van ban thay the")
            {
                if e.replaced_by.as_ref().is_none_or(|r| r.value.is_none()) {
                    e.replaced_by = Some(Fact {
                        value: Some(crate::resolve::normalize_number(by)),
                        source: f.source.clone(),
                    });
                }
            }
        }
        out
    }

    pub fn get(&self, id: &str) -> Option<&RegistryEntry> {
        let key = crate::resolve::number_key(id);
        self.entries
            .iter()
            .find(|e| crate::resolve::number_key(&e.id) == key)
    }
}

impl RegistryEntry {
    /// The entry as a document without provisions, so that the timeline treats corpus and
    /// registry documents alike.
    pub fn to_document(&self) -> Document {
        Document {
            id: self.id.clone(),
            number: None,
            doc_type: Some(self.doc_type.clone()),
            issuer: Some(self.issuer.clone()),
            issuer_detail: Some(crate::model::Issuer {
                name: self.issuer.clone(),
                parent: None,
                level: level_of(&self.issuer),
                body: None,
                locality: None,
            }),
            place: None,
            issued: self.issued.value,
            title: Some(self.name.clone()),
            effective_from: self.in_force_from.value,
            effective_until: self.in_force_until.value,
            effect_rule: match self.in_force_from.value {
                Some(date) => EffectRule::OnDate { date },
                None => EffectRule::Unstated,
            },
            period: None,
            bases: Vec::new(),
            proposal: None,
            enacting_formula: None,
            citations: Vec::new(),
            provisions: Vec::new(),
            recipients: Vec::new(),
            signer: None,
            diagnostics: Vec::new(),
            source: Some(self.origin.clone()),
            packed_text: None,
        }
    }
}

/// A rough level from the issuer's name, for registry entries only (the parser gives the
/// level of corpus documents).
fn level_of(issuer: &str) -> IssuerLevel {
    let f = crate::resolve::fold(issuer);
    if f.contains("tinh") || f.contains("thanh pho") {
        IssuerLevel::Province
    } else if f.contains("huyen") || f.contains("thi xa") {
        IssuerLevel::District
    } else if f.contains(" xa ") || f.contains("phuong") || f.contains("thi tran") {
        IssuerLevel::Commune
    } else {
        IssuerLevel::Central
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_load() {
        let p = LawPeriods::builtin();
        assert_eq!(p.periods.len(), 4);
        let r = Registry::builtin();
        assert!(r.get("77/2015/QH13").is_some());
        assert_eq!(
            r.get("77/2015/QH13").unwrap().in_force_from.value,
            Some(Date::from_ymd_opt(2016, 1, 1).unwrap())
        );
        assert_eq!(r.get("3183/QĐ-UBND").unwrap().in_force_from.value, None);
    }

    #[test]
    fn a_numberless_document_is_the_entry_of_its_type_and_date() {
        let r = Registry::builtin();
        let at = r.numberless_entry("Hiến-pháp-25/12/2001").unwrap();
        assert_eq!(r.entries[at].id, "51/2001/QH10");
        // Another date, another type, a numbered id: no entry.
        assert_eq!(r.numberless_entry("Hiến-pháp-28/11/2013"), None);
        assert_eq!(r.numberless_entry("Luật-25/12/2001"), None);
        assert_eq!(r.numberless_entry("51/2001/QH10"), None);
        // Two entries of that type and date: no identity.
        let mut two = r.clone();
        let mut other = r.entries[at].clone();
        other.id = "52/2001/QH10".into();
        two.entries.push(other);
        assert_eq!(two.numberless_entry("Hiến-pháp-25/12/2001"), None);
    }

    #[test]
    fn a_numberless_page_fills_the_entry_that_names_it() {
        let r = Registry::builtin();
        let d = |s: &str| s.parse::<Date>().unwrap();
        let f = crate::import::ValidityFacts {
            document: "Hiến-pháp-25/12/2001".into(),
            status: Some("Hết hiệu lực toàn bộ".into()),
            in_force_from: Some(d("2002-01-07")),
            in_force_until: Some(d("2013-12-31")),
            relations: Vec::new(),
            source: "vbpl toàn văn page: vbpl_v1.html".into(),
        };
        let merged = r.with_imported(&[f]);
        assert_eq!(merged.entries.len(), r.entries.len());
        let e = merged.get("51/2001/QH10").unwrap();
        assert_eq!(e.in_force_from.value, Some(d("2002-01-07")));
        assert_eq!(e.in_force_until.value, Some(d("2013-12-31")));
        assert_eq!(e.in_force_until.source, "vbpl toàn văn page: vbpl_v1.html");
    }

    #[test]
    fn period_switches_on_the_day() {
        let p = LawPeriods::builtin();
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(p.at(d("2025-03-31")).law, "80/2015/QH13");
        assert!(p.at(d("2025-03-31")).detailing_follows_parent);
        assert_eq!(p.at(d("2025-04-01")).law, "64/2025/QH15");
        assert!(!p.at(d("2025-04-01")).detailing_follows_parent);
        assert!(p.at(d("2025-07-01")).name.contains("87/2025"));
        assert_eq!(p.at(d("2016-06-30")).law, "31/2004/QH11");
        assert_eq!(p.at(d("2016-07-01")).law, "80/2015/QH13");
        // Older than every period: the first one.
        assert_eq!(p.at(d("2000-01-01")).law, "31/2004/QH11");
    }

    #[test]
    fn broken_toml_names_line_and_column() {
        let text = "[[document]]\nid = \"1/2020/QĐ-UBND\"\ntype = \n";
        let e = Registry::parse("rules/registry.toml", text).unwrap_err();
        assert_eq!(e.file, "rules/registry.toml");
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("rules/registry.toml:3:"), "{e}");
    }

    #[test]
    fn bad_date_names_the_entry() {
        let text = "\n[[document]]\nid = \"1/2020/QĐ-UBND\"\ntype = \"Quyết định\"\nname = \"x\"\nissuer = \"y\"\n\
                    issued = { value = \"2020-13-01\", source = \"s\" }\n\
                    in_force_from = { value = \"unknown\", source = \"s\" }\n\
                    in_force_until = { value = \"unknown\", source = \"s\" }\n";
        let e = Registry::parse("r.toml", text).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("issued"), "{e}");
    }
}
