use serde::{Deserialize, Serialize};

/// A document number, *số ký hiệu*: `15/2019/QĐ-UBND`, `13969/QĐ-UBND`, `432-TB/VPTW`.
///
/// `n/yyyy/TYPE-ISSUER` is a normative document (*văn bản quy phạm pháp luật*); without the
/// year it is an administrative document (*văn bản hành chính*).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocNumber {
    /// The number as printed, normalised: NFC, no spaces, `Ð` folded to `Đ`.
    pub id: String,
    /// The serial number (`15` in `15/2019/QĐ-UBND`).
    pub serial: String,
    /// The year when the number carries one (normative documents).
    pub year: Option<i32>,
    /// The type code (`QĐ`, `NQ`, `NĐ`, `TT`, `KH`, `QH`…); `None` when the number has only
    /// an issuer code (`4085/UBND-ĐT` is a *công văn*).
    pub type_code: Option<String>,
    /// The issuer code (`UBND`, `HĐND`, `CP`, `TTg`, `BTC`…), possibly with a unit suffix.
    pub issuer_code: Option<String>,
    /// True for `n/yyyy/…`: the shape of a normative document's number.
    pub normative: bool,
}
