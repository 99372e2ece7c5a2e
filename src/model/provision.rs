use serde::{Deserialize, Serialize};

/// What level of the structure a provision is.
///
/// Law 80/2015 and Decree 34/2016 order them Phần → Chương → Mục → Tiểu mục → Điều → Khoản →
/// Điểm. Programmes and plans are outlines (`I.`, `1.`, `a)`, `-`, `+`), modelled as `Item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionKind {
    /// *Phần*.
    Part,
    /// *Chương*.
    Chapter,
    /// *Mục* (a section of a chapter).
    Section,
    /// *Tiểu mục*.
    Subsection,
    /// *Điều*, an article.
    Article,
    /// *Khoản*, a numbered clause of an article.
    Clause,
    /// *Điểm*, a lettered point of a clause: `a)`, `b)`, … `đ)` …
    Point,
    /// A part of an outline-style programme or plan (`I.`, `1.`, `a)`, `-`, `+`).
    Item,
    /// A text promulgated by the decision and annexed to it: *Quy định*, *Quy chế*,
    /// *Chương trình*, *Kế hoạch*, *Phụ lục* … "ban hành kèm theo Quyết định số …".
    Annex,
}

/// One node of a document's structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provision {
    pub kind: ProvisionKind,
    /// The label as numbered in the text: `4` for *Điều 4*, `a` for point a, `II` for chapter
    /// or outline section II, `-` or `+` for bullets, the annex's name for an annex.
    pub label: String,
    /// How Vietnamese legal text cites it, smallest unit first: `điểm a khoản 2 Điều 4`,
    /// `Chương II`, `mục II.2.b`. Unique within the document.
    pub path: String,
    /// The article's or chapter's title (`Phạm vi điều chỉnh`), if any.
    pub heading: Option<String>,
    /// The provision's own text, without the text of its children.
    pub text: String,
    pub children: Vec<Provision>,
    /// 1-based line in the original file where the provision starts.
    pub line: usize,
    /// Byte offsets of the provision's whole extent (with children) in the normalised text.
    #[serde(default)]
    pub start: usize,
    #[serde(default)]
    pub end: usize,
}

impl Provision {
    /// Every provision of this subtree, depth first, parents before children.
    pub fn walk(&self) -> Vec<&Provision> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(p) = stack.pop() {
            out.push(p);
            for c in p.children.iter().rev() {
                stack.push(c);
            }
        }
        out
    }

    /// The provision's text with the text of all its descendants, in order.
    pub fn full_text(&self) -> String {
        let walk = self.walk();
        let texts: Vec<&str> = walk.iter().map(|p| p.text.as_str()).collect();
        Self::join_full_text(&walk, &texts)
    }

    /// [`Provision::full_text`] of a provision, given its walk and their texts in order.
    pub(crate) fn join_full_text(walk: &[&Provision], texts: &[&str]) -> String {
        let mut s = String::new();
        for (p, text) in walk.iter().zip(texts) {
            if !s.is_empty() {
                s.push('\n');
            }
            if let Some(h) = &p.heading {
                s.push_str(h);
                if !text.is_empty() {
                    s.push('\n');
                }
            }
            s.push_str(text);
        }
        s
    }
}
