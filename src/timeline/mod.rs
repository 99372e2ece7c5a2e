//! The status engine (*tình trạng hiệu lực*): is a document, and each of its provisions, in
//! force on a date D, and if not, since when and because of what.
//!
//! From the stored documents and the registry of outside documents, [`Timeline::build`]
//! makes an effects table in the manner of Akoma Ntoso: `forceMod` (entry into force and end
//! of force), `textualMod` (a new wording) and `efficacyMod` (suspension), each dated and
//! carrying the chain of reasons, which names the later document and provision that caused it
//! and the rule of law applied. The rule of law depends on the date of the change and comes
//! from `rules/law-periods.toml`, never from code, because it changed twice in 2025 and a
//! jurist may need to correct it.
//!
//! The rules (Law 80/2015, Article 154; Law 64/2025, Article 57):
//! - before its entry into force a document is `not_yet_in_force`;
//! - its own time limit (*thời hạn*) or programme period ends it the day after (case 1);
//! - a replacement or repeal ends it, or the named provision, on the day the later document
//!   takes effect (case 2 for the same issuer, case 3 otherwise);
//! - an amendment gives a provision a new wording from that day; the old one stays readable;
//! - a detailing document (*văn bản quy định chi tiết*) ends with its parent when the parent
//!   ended before the switch of 2025-04-01 (case 4); after it, it stays in force and is a
//!   review candidate;
//! - a document all of whose articles ended is expired; one some of whose provisions ended
//!   or were amended is `partially_expired`.
//!
//! Pure: no IO, no clock. The output order is deterministic.

mod data;
mod engine;

pub use data::{
    DataError, DistrictLevel, Fact, LawPeriod, LawPeriods, LegalBases, Registry, RegistryEntry,
    DEFAULT_LAW_PERIODS, DEFAULT_REGISTRY, REGISTRY_ORIGIN,
};
pub use engine::{
    entry_into_force, without_text, HistoryEntry, Lookup, ModKind, Modification, ProvisionText,
    Timeline, Wording,
};

#[cfg(test)]
mod tests;
