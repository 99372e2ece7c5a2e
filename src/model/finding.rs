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

impl Finding {
    /// Gives back the spare capacity of its strings and lists. A finding is built by pushing
    /// onto them (its message from the rule's template), which leaves up to half of each
    /// unused; a province's review holds hundreds of thousands of findings at once.
    pub fn shrink_to_fit(&mut self) {
        fn opt(s: &mut Option<String>) {
            if let Some(s) = s {
                s.shrink_to_fit();
            }
        }
        for s in [
            &mut self.id,
            &mut self.rule,
            &mut self.document,
            &mut self.message,
            &mut self.legal_basis,
        ] {
            s.shrink_to_fit();
        }
        opt(&mut self.provision);
        self.related.shrink_to_fit();
        for r in &mut self.related {
            r.document.shrink_to_fit();
            opt(&mut r.provision);
        }
        self.evidence.shrink_to_fit();
        for e in &mut self.evidence {
            e.document.shrink_to_fit();
            opt(&mut e.provision);
            e.quote.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinking_keeps_every_field_and_drops_the_spare_capacity() {
        let mut message = String::with_capacity(512);
        message.push_str("Nghị quyết số 01/2017/NQ-HĐND được ban hành căn cứ …");
        let mut related = Vec::with_capacity(4);
        related.push(ProvisionRef {
            document: "77/2015/QH13".into(),
            provision: Some(String::with_capacity(64) + "Điều 3"),
        });
        let mut evidence = Vec::with_capacity(4);
        evidence.push(Evidence {
            document: "01/2017/NQ-HĐND".into(),
            provision: None,
            quote: String::with_capacity(256) + "Căn cứ Luật Tổ chức chính quyền địa phương",
        });
        let mut f = Finding {
            id: "9dcc152a9ff996c6".into(),
            rule: "basis_expired.now".into(),
            kind: FindingKind::BasisExpired,
            severity: Severity::Medium,
            document: "01/2017/NQ-HĐND".into(),
            provision: None,
            related,
            since: None,
            message,
            evidence,
            legal_basis: "khoản 2 Điều 39 Nghị định 79/2025/NĐ-CP".into(),
        };
        let before = f.clone();
        f.shrink_to_fit();
        assert_eq!(f, before);
        assert_eq!(f.message.capacity(), f.message.len());
        assert_eq!(f.related.capacity(), 1);
        assert_eq!(f.evidence.capacity(), 1);
        assert_eq!(f.evidence[0].quote.capacity(), f.evidence[0].quote.len());
        let p = f.related[0].provision.as_ref().expect("kept");
        assert_eq!(p.capacity(), p.len());
    }
}
