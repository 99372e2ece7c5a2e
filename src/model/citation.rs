use serde::{Deserialize, Serialize};

use super::Date;

/// What a citing document does to the document it cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// *Căn cứ*: the cited document is a legal basis of the citing one.
    Basis,
    /// *Thay thế*: the citing document replaces the cited one (wholly or the named provision).
    Replaces,
    /// *Bãi bỏ*: the citing document repeals the cited one (wholly or the named provision).
    Repeals,
    /// *Sửa đổi, bổ sung*: the citing document changes the wording of a provision.
    Amends,
    /// *Quy định chi tiết / hướng dẫn*: the citing document details the cited one.
    Details,
    /// *Ban hành kèm theo*: the citing decision promulgates the cited annex.
    Promulgates,
    /// *Đình chỉ / ngưng hiệu lực*: the citing document suspends the cited one.
    Suspends,
    /// Any other reference (*dẫn chiếu*).
    Mentions,
}

/// How much of the target a repeal or replacement touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepealScope {
    Whole,
    Provision,
}

/// A reference to another document, or to a provision of the same document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// The words of the reference as written (normalised text).
    pub raw: String,
    /// The cited document's id (normalised *số ký hiệu*) when the reference carries a number;
    /// `None` for a reference by name and date until the store resolves it.
    pub target: Option<String>,
    /// The cited document's type (`Quyết định`, `Luật`, …) when named.
    pub target_type: Option<String>,
    /// The cited document's name when cited by name (`Luật Tổ chức chính quyền địa phương`).
    pub target_name: Option<String>,
    /// The cited document's issuer when named (`Thủ tướng Chính phủ`).
    pub target_issuer: Option<String>,
    /// The cited document's date when given.
    pub date: Option<Date>,
    /// The cited provision, named the contract's way (`khoản 2 Điều 4`), if any.
    pub provision: Option<String>,
    pub relation: Relation,
    /// For `replaces`/`repeals`/`suspends`: whole document or the named provision.
    pub scope: Option<RepealScope>,
    /// For `amends`: the new wording, as given in the amending text.
    pub new_text: Option<String>,
    /// True for a reference to a provision of the citing document itself.
    pub internal: bool,
    /// Path of the provision of the citing document where the reference stands
    /// (`None` in the header, e.g. in the *Căn cứ* lines).
    pub source: Option<String>,
    /// 1-based line and column in the original file.
    pub line: usize,
    pub column: usize,
}
