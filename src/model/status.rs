use serde::{Deserialize, Serialize};

use super::Date;

/// The validity status of a document or provision on a date (*tình trạng hiệu lực*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// *Chưa có hiệu lực*.
    NotYetInForce,
    /// *Còn hiệu lực*.
    InForce,
    /// *Hết hiệu lực một phần*.
    PartiallyExpired,
    /// *Hết hiệu lực toàn bộ*.
    Expired,
    /// *Ngưng hiệu lực*.
    Suspended,
}

/// Why a status changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// Entry into force (*có hiệu lực*).
    EnteredIntoForce,
    /// Replaced by a later document (*bị thay thế*).
    Replaced,
    /// Repealed (*bị bãi bỏ*).
    Repealed,
    /// Its own validity period ended (*hết thời hạn*).
    TimeLimit,
    /// The document it details expired (*văn bản được quy định chi tiết hết hiệu lực*).
    ParentExpired,
    /// Its wording was amended (*được sửa đổi, bổ sung*).
    Amended,
    /// Suspended (*bị ngưng hiệu lực*).
    Suspended,
    /// Some of its provisions expired.
    ProvisionsExpired,
}

/// One link of the chain of reasons: which later text did what, from when, under which rule
/// of law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub kind: ReasonKind,
    /// The causing document (`None` for the document's own time limit).
    pub document: Option<String>,
    /// The causing provision of that document.
    pub provision: Option<String>,
    /// The day the change takes effect.
    pub effective: Option<Date>,
    /// The rule of law applied, e.g. `khoản 2 Điều 154 Luật Ban hành văn bản quy phạm pháp luật 2015`.
    pub legal_basis: String,
    /// A sentence a reviewer reads.
    pub note: String,
}

/// A provision's status on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionStatus {
    pub provision: String,
    pub status: Status,
    pub since: Option<Date>,
    pub reasons: Vec<Reason>,
}

/// A document's status on a date, with its provisions'.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocStatus {
    pub document: String,
    pub as_of: Date,
    pub status: Status,
    pub since: Option<Date>,
    pub reasons: Vec<Reason>,
    pub provisions: Vec<ProvisionStatus>,
}
