use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{Citation, Date, Diagnostic, DocNumber, PackedText, Provision};

/// The level of the body that issued a document, for the hierarchy of legal force
/// (Law 80/2015, Article 4) and for the end of the district level on 2025-07-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssuerLevel {
    /// National bodies: Quốc hội, Chính phủ, Thủ tướng, ministries.
    Central,
    /// *Cấp tỉnh*: a province or a centrally-run city.
    Province,
    /// *Cấp huyện*: a district, town or provincial city (ended 2025-07-01).
    District,
    /// *Cấp xã*: a commune, ward or township.
    Commune,
    Unknown,
}

/// The issuing body (*cơ quan ban hành*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    /// The body's full name in normal case: `Ủy ban nhân dân huyện Xuân Lộc`.
    pub name: String,
    /// The parent body printed above it (`ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI` above a department),
    /// in normal case.
    pub parent: Option<String>,
    pub level: IssuerLevel,
    /// The kind of body: `Ủy ban nhân dân`, `Hội đồng nhân dân`, `Bộ`, `Chính phủ`…
    pub body: Option<String>,
    /// The place it governs, for local bodies: `huyện Xuân Lộc`.
    pub locality: Option<String>,
}

/// The signer block: `TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH` / name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub name: String,
    /// `TM.` (on behalf of), `KT.` (for), `Q.` (acting), `TL.`, `TUQ.` when printed.
    pub capacity: Option<String>,
    /// The title line(s): `Chủ tịch`, `Phó Chủ tịch`.
    pub title: Option<String>,
    pub line: usize,
}

/// One *Căn cứ* line (legal basis), with the documents it cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub text: String,
    pub citations: Vec<Citation>,
    pub line: usize,
}

/// How the document's entry into force is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum EffectRule {
    /// "có hiệu lực (thi hành) kể từ ngày ký".
    OnSigning,
    /// "có hiệu lực kể từ ngày 01 tháng 01 năm 2022".
    OnDate { date: Date },
    /// "có hiệu lực sau 10 ngày kể từ ngày ký".
    DaysAfterSigning { days: u32 },
    /// "có hiệu lực kể từ ngày thông qua" (resolutions: from adoption).
    OnAdoption,
    /// No effect clause was found.
    Unstated,
}

/// A parsed legal document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The normalised *số ký hiệu*, or the file stem for a document without one.
    pub id: String,
    pub number: Option<DocNumber>,
    /// The document type as named in its title line: `Quyết định`, `Nghị quyết`, `Kế hoạch`,
    /// `Công văn` (a letter without a title line), …
    pub doc_type: Option<String>,
    /// Short issuer name: `Ủy ban nhân dân huyện Xuân Lộc`.
    pub issuer: Option<String>,
    /// The full issuer with its parent and level.
    pub issuer_detail: Option<Issuer>,
    /// The place on the place-and-date line (`Xuân Lộc`).
    pub place: Option<String>,
    pub issued: Option<Date>,
    /// The title (*trích yếu*), joined over its lines.
    pub title: Option<String>,
    pub effective_from: Option<Date>,
    pub effective_until: Option<Date>,
    pub effect_rule: EffectRule,
    /// A programme or plan period, "giai đoạn 2021 - 2025", as first and last year.
    pub period: Option<(i32, i32)>,
    /// The *Căn cứ* lines.
    pub bases: Vec<Basis>,
    /// The *Theo đề nghị* / *Xét đề nghị* line.
    pub proposal: Option<String>,
    /// `QUYẾT ĐỊNH:`, `NGHỊ QUYẾT:`, `QUYẾT NGHỊ:` …
    pub enacting_formula: Option<String>,
    /// Every reference to another document (including those in the bases), and references
    /// to provisions of this document.
    pub citations: Vec<Citation>,
    /// The structure: articles (or outline items) of the document, then its annexes.
    pub provisions: Vec<Provision>,
    /// *Nơi nhận*: the recipients list.
    pub recipients: Vec<String>,
    pub signer: Option<Signer>,
    pub diagnostics: Vec<Diagnostic>,
    /// The file it was read from, as given.
    pub source: Option<String>,
    /// The provisions' text, when a run that holds the corpus packed it
    /// ([`Document::pack_text`]): their `text` is then empty, and [`Document::text_of`] reads
    /// it from here. Never serialised: a packed document is only held, not stored.
    #[serde(skip)]
    pub packed_text: Option<PackedText>,
}

impl Document {
    /// Gives back the spare capacity of its lists: a document read from JSON grows each
    /// list by doubling, and a corpus of them is held for a whole run.
    pub fn shrink_to_fit(&mut self) {
        fn provisions(ps: &mut Vec<Provision>) {
            ps.shrink_to_fit();
            for p in ps {
                provisions(&mut p.children);
            }
        }
        provisions(&mut self.provisions);
        self.citations.shrink_to_fit();
        for b in &mut self.bases {
            b.citations.shrink_to_fit();
        }
        self.bases.shrink_to_fit();
        self.recipients.shrink_to_fit();
        self.diagnostics.shrink_to_fit();
    }

    /// Drops the citations listed again under each *Căn cứ* line: the parser copies every
    /// one of them into [`Document::citations`], which is what the timeline and the rules
    /// read. For a run of the rules, which holds the whole corpus: at 100k documents they
    /// were 0.14 GB. The document no longer serialises as parsed.
    pub fn drop_basis_citations(&mut self) {
        for b in &mut self.bases {
            b.citations = Vec::new();
        }
    }

    /// Packs the provisions' text ([`PackedText`]) for a run that holds the whole corpus.
    /// What reads the text through [`Document::text_of`], [`Document::full_text_of`] or
    /// [`Document::with_texts`] reads the same; `Provision::text` is left empty.
    pub fn pack_text(&mut self) {
        if self.packed_text.is_none() {
            self.packed_text = Some(PackedText::take(&mut self.provisions));
        }
    }

    /// Calls `f` with the texts of the `n` provisions from place `at` of
    /// [`Document::all_provisions`] (a provision's subtree is the provision and the
    /// provisions after it in that order), packed or not.
    pub fn with_texts_at<R>(&self, at: usize, n: usize, f: impl FnOnce(&[&str]) -> R) -> R {
        match &self.packed_text {
            Some(packed) => packed.with_texts(at, n, f),
            None => {
                let all = self.all_provisions();
                let texts: Vec<&str> = all[at..at + n].iter().map(|p| p.text.as_str()).collect();
                f(&texts)
            }
        }
    }

    /// Calls `f` with `p` and its descendants, depth first ([`Provision::walk`]), and their
    /// texts, packed or not. `p` is a provision of this document.
    pub fn with_texts<R>(&self, p: &Provision, f: impl FnOnce(&[&Provision], &[&str]) -> R) -> R {
        let walk = p.walk();
        match &self.packed_text {
            None => {
                let texts: Vec<&str> = walk.iter().map(|q| q.text.as_str()).collect();
                f(&walk, &texts)
            }
            Some(packed) => {
                let at = self
                    .all_provisions()
                    .iter()
                    .position(|q| std::ptr::eq(*q, p))
                    .expect("a provision of this document");
                packed.with_texts(at, walk.len(), |texts| f(&walk, texts))
            }
        }
    }

    /// The provision's own text (`Provision::text`), packed or not.
    pub fn text_of<'s>(&'s self, p: &'s Provision) -> Cow<'s, str> {
        if self.packed_text.is_none() {
            return Cow::Borrowed(&p.text);
        }
        self.with_texts(p, |_, texts| Cow::Owned(texts[0].to_string()))
    }

    /// [`Provision::full_text`], packed or not.
    pub fn full_text_of(&self, p: &Provision) -> String {
        self.with_texts(p, Provision::join_full_text)
    }

    /// Makes the document what a run of the rules holds of it, as it is read: the citations
    /// under the *Căn cứ* lines dropped ([`Document::drop_basis_citations`]), so are the
    /// recipients, the proposal and the enacting formula, which no rule reads, and the
    /// provisions' text packed ([`Document::pack_text`]). The rules give the same findings
    /// on such documents as on the documents as parsed.
    pub fn shed_for_rules(&mut self) {
        self.drop_basis_citations();
        self.recipients = Vec::new();
        self.proposal = None;
        self.enacting_formula = None;
        self.pack_text();
    }

    /// Every provision of the document, depth first.
    pub fn all_provisions(&self) -> Vec<&Provision> {
        self.provisions.iter().flat_map(|p| p.walk()).collect()
    }

    /// The provision with this path, if any.
    pub fn provision(&self, path: &str) -> Option<&Provision> {
        self.all_provisions().into_iter().find(|p| p.path == path)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_packed_document_reads_every_text_as_the_document_as_parsed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut checked = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let full = crate::parse::parse_document("x.txt", &text);
            let mut packed = full.clone();
            packed.pack_text();
            packed.pack_text(); // packing twice keeps the text packed the first time
            let (fa, pa) = (full.all_provisions(), packed.all_provisions());
            assert_eq!(fa.len(), pa.len());
            for (at, (f, p)) in fa.iter().zip(&pa).enumerate() {
                assert!(p.text.is_empty());
                assert_eq!(full.text_of(f), packed.text_of(p));
                assert_eq!(f.full_text(), packed.full_text_of(p));
                assert_eq!(full.full_text_of(f), f.full_text());
                let n = f.walk().len();
                let want: Vec<&str> = fa[at..at + n].iter().map(|q| q.text.as_str()).collect();
                packed.with_texts_at(at, n, |t| assert_eq!(t, want.as_slice()));
                full.with_texts_at(at, n, |t| assert_eq!(t, want.as_slice()));
                packed.with_texts(p, |walk, t| {
                    assert_eq!(walk.len(), n);
                    assert_eq!(t, want.as_slice());
                });
                checked += 1;
            }
        }
        assert!(checked > 500, "{checked} provisions");
    }
    #[test]
    fn shrinking_a_document_read_from_json_changes_nothing_but_capacity() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/2014-08-05_11-2014-QD-UBND.txt");
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = crate::parse::parse_document("11-2014.txt", &text);
        let json = serde_json::to_string(&parsed).unwrap();
        let mut read: super::Document = serde_json::from_str(&json).unwrap();
        assert!(read.provisions.len() > 1);
        read.shrink_to_fit();
        assert_eq!(read, parsed);
        assert_eq!(read.provisions.capacity(), read.provisions.len());
        for p in &read.provisions {
            assert_eq!(p.children.capacity(), p.children.len());
        }
        assert_eq!(read.citations.capacity(), read.citations.len());
    }
}
