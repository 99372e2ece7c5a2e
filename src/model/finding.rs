use serde::{Deserialize, Serialize};

use super::Date;

/// The kinds of finding of the outside contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The whole document is no longer in force (*hết hiệu lực toàn bộ*).
    Expired,
    /// Some provisions are no longer in force (*hết hiệu lực một phần*).
    PartiallyExpired,
    /// A provision's wording was changed by a later document (*được sửa đổi, bổ sung*).
    Amended,
    /// A document in its *Căn cứ* is no longer in force (*căn cứ ban hành hết hiệu lực*).
    BasisExpired,
    /// Two provisions set different values for the same matter (*mâu thuẫn*).
    Conflict,
    /// Two provisions say substantially the same thing (*chồng chéo, trùng lặp*).
    Overlap,
    /// The document contradicts itself (*không thống nhất*).
    Inconsistency,
    /// A defect of form (*thể thức*).
    Format,
    /// The issuer no longer exists or lacked the power (*thẩm quyền*).
    Authority,
}

/// How urgent a finding is for the reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    High,
    Medium,
    Low,
    Info,
}

/// A document, or a provision of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProvisionRef {
    pub document: String,
    pub provision: Option<String>,
}

/// A quotation from the source text that supports a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub document: String,
    pub provision: Option<String>,
    pub quote: String,
}

/// One result of a review rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable across runs on the same input.
    pub id: String,
    /// The id of the rule that produced it, e.g. `expired.replaced`.
    pub rule: String,
    pub kind: FindingKind,
    pub severity: Severity,
    pub document: String,
    pub provision: Option<String>,
    pub related: Vec<ProvisionRef>,
    pub since: Option<Date>,
    /// A Vietnamese sentence a reviewer can paste into the list.
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// The rule of law the finding rests on.
    pub legal_basis: String,
}
