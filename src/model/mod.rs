//! The data model shared by every stage: what a parsed document is, what a provision,
//! a citation, a diagnostic, a status and a finding are.
//!
//! Everything here is plain data with `serde` derives. Field names serialise in English
//! `snake_case` as the outside contract requires; legal identifiers and Vietnamese text are
//! kept as written in the source (NFC).

mod citation;
mod diagnostic;
mod doc_number;
mod document;
mod finding;
mod packed_text;
mod provision;
mod status;

pub use citation::{Citation, Relation, RepealScope};
pub use diagnostic::{Diagnostic, DiagnosticSeverity};
pub use doc_number::DocNumber;
pub use document::{Basis, Document, EffectRule, Issuer, IssuerLevel, Signer};
pub use finding::{Evidence, Finding, FindingKind, ProvisionRef, Severity};
pub use packed_text::PackedText;
pub use provision::{Provision, ProvisionKind};
pub use status::{DocStatus, ProvisionStatus, Reason, ReasonKind, Status};

/// Calendar dates are ISO `YYYY-MM-DD` in every output.
pub type Date = chrono::NaiveDate;
