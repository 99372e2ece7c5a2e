//! Citations: every reference to another document (by type and number, by name and date,
//! down to a provision) and to the document's own provisions, with what each does to the
//! cited document (`basis`, `replaces`, `repeals`, `amends`, `details`, `promulgates`,
//! `suspends`, `mentions`).
//!
//! The scanner anchors on what every citation carries — a document number (`15/2019/QĐ-UBND`)
//! or a law's name (`Luật …`) — and reads around it with the grammar's phrase rules: the
//! document type and `số` before, the provision reference before that, the date and issuer
//! after. The relation comes from the words of the sentence before the citation.

use super::dates::dated_at;
use super::grammar::{try_parse, window, Rule};
use super::number::{find_numbers, parse_number, type_for_code};
use super::Diagnostics;
use crate::model::{Citation, Document, Provision, ProvisionKind, Relation, RepealScope};
use crate::text::fold;

/// Where a piece of text stands, which decides relations and internal references.
#[derive(Debug, Clone, Default)]
pub struct ScanContext {
    /// `Basis` for a *Căn cứ* line; `Promulgates` for an annex heading.
    pub relation_hint: Option<Relation>,
    /// The path of the provision holding the text.
    pub source: Option<String>,
    /// The enclosing article's label, for `Điều này`.
    pub article: Option<String>,
    /// The enclosing clause's label, for `khoản này`.
    pub clause: Option<String>,
    /// The annex the text stands in (empty in the decision's body).
    pub suffix: String,
    /// The citing document's id, for internal references.
    pub own_id: Option<String>,
    /// The parent provision's text: a list of points under "Bãi bỏ các văn bản sau:" takes
    /// its relation from there.
    pub inherited: Option<String>,
}

impl ScanContext {
    /// The context of a *Căn cứ* line.
    pub fn basis() -> Self {
        ScanContext {
            relation_hint: Some(Relation::Basis),
            ..Default::default()
        }
    }
}

/// Document types as written before a number, longest first.
const TYPE_WORDS: &[&str] = &[
    "Văn bản hợp nhất",
    "Nghị quyết liên tịch",
    "Thông tư liên tịch",
    "Quyết định",
    "Nghị quyết",
    "Nghị định",
    "Thông tư",
    "Chỉ thị",
    "Kế hoạch",
    "Công văn",
    "Thông báo",
    "Công điện",
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Lệnh",
    "Hướng dẫn",
    "Tờ trình",
    "Báo cáo",
    "Đề án",
    "Chương trình",
    "Kết luận",
    "Văn bản",
    "Hiến pháp",
];

const ANNEX_WORDS: &[&str] = &[
    "Quy định",
    "Quy chế",
    "Điều lệ",
    "Chương trình",
    "Kế hoạch",
    "Hướng dẫn",
    "Đề án",
];

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The type word that ends `before` (ignoring `số`), with its start.
fn type_before(before: &str) -> Option<(usize, &'static str)> {
    let t = before.trim_end();
    let t = t
        .strip_suffix("số:")
        .or_else(|| t.strip_suffix("số"))
        .or_else(|| t.strip_suffix("Số"))
        .unwrap_or(t)
        .trim_end();
    for w in TYPE_WORDS {
        if t.ends_with(w) || t.ends_with(&lower_first(w)) {
            let start = t.len() - w.len();
            if start == 0 || !t[..start].ends_with(|c: char| c.is_alphanumeric()) {
                return Some((start, w));
            }
        }
    }
    None
}

/// A law named before `số`: "Luật Tổ chức chính quyền địa phương số 72/2025/QH15".
fn law_name_before(before: &str) -> Option<(usize, String, &'static str)> {
    let t = before.trim_end();
    let t = t.strip_suffix("số").unwrap_or(t).trim_end();
    let window_start = t.len().saturating_sub(300);
    let window_start = (window_start..t.len())
        .find(|&i| t.is_char_boundary(i))
        .unwrap_or(0);
    let w = &t[window_start..];
    let clause_start = w.rfind([';', '.']).map(|i| i + 1).unwrap_or(0);
    let w2 = &w[clause_start..];
    for kw in ["Bộ luật ", "Luật ", "Pháp lệnh ", "Hiến pháp "] {
        if let Some(p) = w2.find(kw) {
            let name = w2[p..].trim().to_string();
            if name.split(' ').count() >= 2 && name.len() < 250 {
                let ty = match kw.trim() {
                    "Bộ luật" => "Bộ luật",
                    "Pháp lệnh" => "Pháp lệnh",
                    "Hiến pháp" => "Hiến pháp",
                    _ => "Luật",
                };
                return Some((window_start + clause_start + p, name, ty));
            }
        }
    }
    None
}

fn connector_annex(c: &str) -> Option<Option<String>> {
    let c = c.trim();
    if matches!(c, "" | "của" | "tại" | "theo" | "thuộc" | "trong") {
        return Some(None);
    }
    if c.len() > 400 {
        return None;
    }
    let c2 = c.strip_prefix("của ").unwrap_or(c);
    let ends = c2.ends_with("ban hành kèm theo") || c2.ends_with("kèm theo");
    if !ends {
        return None;
    }
    ANNEX_WORDS
        .iter()
        .find(|w| c2.starts_with(*w))
        .map(|w| Some(w.to_string()))
}

/// One parsed provision reference, expanded: (points, clauses, articles, `này` flag).
#[derive(Debug, Default, Clone)]
struct ProvRef {
    points: Vec<String>,
    clauses: Vec<String>,
    articles: Vec<String>,
    article_this: bool,
    len: usize,
}

fn provision_ref_at(s: &str) -> Option<ProvRef> {
    let pairs = try_parse(Rule::provision_ref, window(s, 160))?;
    let whole = pairs.clone().next()?;
    let mut r = ProvRef {
        len: whole.as_str().len(),
        ..Default::default()
    };
    for p in whole.into_inner().flatten() {
        match p.as_rule() {
            Rule::point_refs => {
                for q in p.clone().into_inner() {
                    if q.as_rule() == Rule::point_letter {
                        r.points.push(q.as_str().to_string());
                    }
                }
            }
            Rule::clause_refs => {
                for q in p.clone().into_inner() {
                    if q.as_rule() == Rule::num {
                        r.clauses.push(q.as_str().to_string());
                    }
                }
            }
            Rule::article_refs => {
                for q in p.clone().into_inner() {
                    match q.as_rule() {
                        Rule::article_label => r.articles.push(q.as_str().to_string()),
                        Rule::this_ref => r.article_this = true,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Some(r)
}

/// Expands a reference into provision names (`điểm a khoản 2 Điều 4`), using the context for
/// `Điều này` and missing articles.
fn expand(
    r: &ProvRef,
    article_ctx: Option<&str>,
    clause_ctx: Option<&str>,
    suffix: &str,
) -> Vec<String> {
    let mut articles: Vec<Option<String>> = r.articles.iter().cloned().map(Some).collect();
    if r.article_this || articles.is_empty() {
        articles = vec![article_ctx.map(|s| s.to_string())];
    }
    let clauses: Vec<Option<String>> = if r.clauses.is_empty() {
        if !r.points.is_empty() && r.articles.is_empty() && !r.article_this {
            vec![clause_ctx.map(|s| s.to_string())]
        } else {
            vec![None]
        }
    } else {
        r.clauses.iter().cloned().map(Some).collect()
    };
    let points: Vec<Option<String>> = if r.points.is_empty() {
        vec![None]
    } else {
        r.points.iter().cloned().map(Some).collect()
    };
    let mut out = Vec::new();
    for a in &articles {
        let Some(a) = a else { continue };
        for c in &clauses {
            for p in &points {
                let mut s = String::new();
                if let Some(p) = p {
                    s.push_str(&format!("điểm {p} "));
                }
                if let Some(c) = c {
                    s.push_str(&format!("khoản {c} "));
                }
                s.push_str(&format!("Điều {a}"));
                if !suffix.is_empty() {
                    s.push(' ');
                    s.push_str(suffix);
                }
                out.push(s);
            }
        }
    }
    out
}

/// Finds the provision reference that ends right before `end` (joined by a connector such as
/// `của` or `của Quy định ban hành kèm theo`). Returns (start, names, annex word).
fn provision_before(text: &str, end: usize) -> Option<(usize, ProvRef, Option<String>)> {
    let from = end.saturating_sub(500);
    let from = (from..end).find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let window = &text[from..end];
    let mut starts: Vec<usize> = Vec::new();
    for kw in [
        "điểm ",
        "Điểm ",
        "khoản ",
        "Khoản ",
        "Điều ",
        "các Điều ",
        "các khoản ",
        "các điểm ",
    ] {
        let mut k = 0;
        while let Some(p) = window[k..].find(kw) {
            starts.push(from + k + p);
            k += p + kw.len();
        }
    }
    starts.sort_unstable();
    starts.dedup();
    for s in starts {
        if let Some(r) = provision_ref_at(&text[s..end]) {
            let connector = &text[s + r.len..end];
            if let Some(annex) = connector_annex(connector) {
                return Some((s, r, annex));
            }
        }
    }
    None
}

/// Words that give a citation its relation, folded, with the relation.
const KEYWORDS: &[(&str, Relation)] = &[
    ("bai bo", Relation::Repeals),
    ("huy bo", Relation::Repeals),
    ("thay the", Relation::Replaces),
    ("sua doi", Relation::Amends),
    ("bo sung", Relation::Amends),
    ("quy dinh chi tiet", Relation::Details),
    ("chi tiet thi hanh", Relation::Details),
    ("huong dan thi hanh", Relation::Details),
    ("huong dan chi tiet", Relation::Details),
    ("huong dan thuc hien", Relation::Details),
    ("dinh chi", Relation::Suspends),
    ("ngung hieu luc", Relation::Suspends),
    ("kem theo", Relation::Promulgates),
];

/// The relation carried by the words before a citation: the keyword nearest to it wins, and
/// a passive (`đã được sửa đổi`, `nay đã bị bãi bỏ`) makes it a mere mention.
fn relation_from_words(prefix: &str) -> Option<Relation> {
    let f = fold(prefix);
    let mut best: Option<(usize, Relation, &str)> = None;
    for (kw, rel) in KEYWORDS {
        // "quy định chi tiết" holds "định chỉ" once folded; it is not a suspension.
        let found = f.rmatch_indices(kw).map(|(p, _)| p).find(|&p| {
            let at_word = p == 0 || !f.as_bytes()[p - 1].is_ascii_alphanumeric();
            at_word && !(*kw == "dinh chi" && f[..p].ends_with("quy "))
        });
        if let Some(p) = found {
            if best.is_none_or(|(bp, _, _)| p > bp) {
                best = Some((p, *rel, kw));
            }
        }
    }
    let (mut p, rel, _) = best?;
    // "sửa đổi, bổ sung" is one phrase: a passive before it governs the whole.
    if rel == Relation::Amends {
        let b = f[..p].trim_end().trim_end_matches(',').trim_end();
        if let Some(q) = b.strip_suffix("sua doi").map(|x| x.len()) {
            p = q;
        }
    }
    let before = f[..p].trim_end();
    let passive = before.ends_with("duoc")
        || before.ends_with("bi")
        || before.ends_with("da")
        || before.ends_with("da duoc")
        || before.ends_with("nay da")
        || before.ends_with("da bi");
    if passive {
        return Some(Relation::Mentions);
    }
    Some(rel)
}

/// The start of the sentence (or line, or list item) holding byte `at`.
fn sentence_start(text: &str, at: usize) -> usize {
    // Sentences are looked for in the last few hundred bytes: a longer one is cut there.
    let mut from = at.saturating_sub(600);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let head = &text[from..at];
    let mut s = 0;
    for pat in [". ", "; ", "\n", ": "] {
        if let Some(p) = head.rfind(pat) {
            s = s.max(p + pat.len());
        }
    }
    from + s
}

/// The words in quotation marks after a citation: the new wording of an amendment.
fn quoted_after(text: &str, from: usize) -> Option<String> {
    let rest = &text[from..];
    let open = rest.find('“')?;
    // Only when the quotation follows the citation's own sentence ("… như sau: “…”").
    if rest[..open].contains(". ") && !rest[..open].contains("như sau") {
        return None;
    }
    let body = &rest[open + '“'.len_utf8()..];
    let mut depth = 1;
    for (i, c) in body.char_indices() {
        match c {
            '“' => depth += 1,
            '”' => {
                depth -= 1;
                if depth == 0 {
                    return Some(body[..i].trim().to_string());
                }
            }
            _ => {}
        }
    }
    Some(body.trim().to_string())
}

/// The position of the first occurrence of any of `needles` in `hay`: one pass over the
/// bytes, testing only the needles whose first byte is there (cheaper than a search per
/// needle on these short windows).
fn first_of(hay: &str, needles: &[&str]) -> Option<usize> {
    let b = hay.as_bytes();
    (0..b.len()).find(|&i| {
        needles
            .iter()
            .any(|n| n.as_bytes()[0] == b[i] && b[i..].starts_with(n.as_bytes()))
    })
}

const ISSUER_STOPS: &[&str] = &[
    " về ",
    " ban hành",
    " quy định",
    " hướng dẫn",
    " phê duyệt",
    " sửa đổi",
    " bãi bỏ",
    " thay thế",
    ";",
    ",",
    ".",
    "(",
    ")",
    " và ",
    " được ",
    " đã ",
    " có ",
    " thì ",
    " nay ",
    " tại ",
    " như ",
    "\n",
    " trên ",
];

const LAW_NAME_STOPS: &[&str] = &[
    ";",
    ".",
    "(",
    "\n",
    " ngày ",
    " được ",
    " đã ",
    " thì ",
    " quy định",
    " và các ",
    " có hiệu lực",
    " hướng dẫn",
    ":",
    " về ",
    " giao ",
    " cho ",
    " để ",
    " tại ",
    " theo ",
    " nay ",
    " trên ",
    " thuộc ",
];

const LAW_LIST_STOPS: &[&str] = &[
    ", Luật",
    " và Luật",
    ", Bộ luật",
    " và Bộ luật",
    ", Nghị định",
    " và Nghị định",
    ", Pháp lệnh",
    ", các ",
    ", ",
];

/// The issuer after `của` (`của Thủ tướng Chính phủ về …` → `Thủ tướng Chính phủ`).
fn issuer_after(s: &str) -> Option<(String, usize)> {
    let rest = window(s.strip_prefix(" của ")?, 160);
    let end = first_of(rest, ISSUER_STOPS).unwrap_or(rest.len());
    let name = rest[..end].trim();
    let first_upper = name.chars().next().is_some_and(|c| c.is_uppercase());
    if name.is_empty() || name.len() > 120 || !first_upper {
        return None;
    }
    Some((name.to_string(), " của ".len() + end))
}

struct Raw {
    start: usize,
    end: usize,
    target: Option<String>,
    target_type: Option<String>,
    target_name: Option<String>,
    target_issuer: Option<String>,
    date: Option<crate::model::Date>,
    provisions: Vec<String>,
}

/// Scans a piece of text for citations. `base` is the text's offset in the normalised
/// document, for locating each citation.
pub fn scan_text(
    text: &str,
    base: &dyn Fn() -> usize,
    ctx: &ScanContext,
    diags: &Diagnostics,
) -> Vec<Citation> {
    // Where the text stands in the document is worked out only once a citation is found.
    let base_cell = std::cell::OnceCell::new();
    let base = || *base_cell.get_or_init(base);
    let mut found: Vec<Raw> = Vec::new();
    // 1. Anchored on numbers.
    for (s, e, id) in find_numbers(text) {
        let before = &text[..s];
        let mut start = s;
        let mut target_type = None;
        let mut target_name = None;
        if let Some((ts, w)) = type_before(before) {
            start = ts;
            target_type = Some(w.to_string());
        } else if let Some((ls, name, ty)) = law_name_before(before) {
            if before.trim_end().ends_with("số") {
                start = ls;
                target_type = Some(ty.to_string());
                target_name = Some(name);
            }
        } else if before.trim_end().ends_with("số") {
            start = before.trim_end().len() - "số".len();
        }
        if target_type.is_none() {
            target_type = parse_number(&id)
                .and_then(|n| n.type_code)
                .and_then(|c| type_for_code(&c).map(|t| t.to_string()));
        }
        let mut end = e;
        let mut date = None;
        let after = &text[e..];
        let after_trim = after.trim_start_matches([',', ' ']);
        let skipped = after.len() - after_trim.len();
        if let Some((d, len)) = dated_at(after_trim) {
            date = Some(d);
            end = e + skipped + len;
        }
        let mut target_issuer = None;
        if let Some((iss, len)) = issuer_after(&text[end..]) {
            target_issuer = Some(iss);
            end += len;
            if date.is_none() {
                let a2 = &text[end..];
                if let Some((d, len)) = dated_at(a2.trim_start()) {
                    date = Some(d);
                    end += a2.len() - a2.trim_start().len() + len;
                }
            }
        }
        let mut provisions = Vec::new();
        if let Some((ps, r, annex)) = provision_before(text, start) {
            provisions = expand(
                &r,
                ctx.article.as_deref(),
                ctx.clause.as_deref(),
                annex.as_deref().unwrap_or(""),
            );
            start = ps;
        }
        found.push(Raw {
            start,
            end,
            target: Some(id),
            target_type,
            target_name,
            target_issuer,
            date,
            provisions,
        });
    }
    // 2. Laws cited by name and date.
    for kw in ["Bộ luật ", "Luật ", "Pháp lệnh ", "Hiến pháp "] {
        let mut k = 0;
        while let Some(p) = text[k..].find(kw) {
            let s = k + p;
            k = s + kw.len();
            if kw == "Luật " && text[..s].ends_with("Bộ ") {
                continue;
            }
            if s > 0 && text[..s].ends_with(|c: char| c.is_alphanumeric()) {
                continue;
            }
            if found.iter().any(|f| f.start <= s && s < f.end) {
                continue;
            }
            let rest = window(&text[s..], 320);
            if rest[kw.len()..].starts_with("này") {
                continue;
            }
            // The name runs to its date, number, or the end of the clause.
            let amending = rest.starts_with("Luật sửa đổi") || rest.starts_with("Luật Sửa đổi");
            let mut end = first_of(rest, LAW_NAME_STOPS).unwrap_or(rest.len());
            // " số " ends the name only before a number ("một số điều" is part of it).
            let mut from = 0;
            while let Some(q) = rest[from..end].find(" số ") {
                let at = from + q;
                if rest[at + " số ".len()..].starts_with(|c: char| c.is_ascii_digit()) {
                    end = at;
                    break;
                }
                from = at + " số ".len();
            }
            if !amending {
                if let Some(q) = first_of(&rest[..end], LAW_LIST_STOPS) {
                    end = q;
                }
            }
            let name = rest[..end].trim().trim_end_matches(',').trim();
            let words = name.split(' ').count();
            if words < 2 || name.len() > 300 {
                continue;
            }
            // "số 80/2015/QH13" right after the name was taken by the number anchor.
            if rest[end..]
                .strip_prefix(" số ")
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            {
                continue;
            }
            let mut cend = s + end;
            let mut date = None;
            if let Some((d, len)) = dated_at(text[cend..].trim_start()) {
                let skip = text[cend..].len() - text[cend..].trim_start().len();
                date = Some(d);
                cend += skip + len;
            }
            let mut start = s;
            let mut provisions = Vec::new();
            if let Some((ps, r, annex)) = provision_before(text, s) {
                provisions = expand(
                    &r,
                    ctx.article.as_deref(),
                    ctx.clause.as_deref(),
                    annex.as_deref().unwrap_or(""),
                );
                start = ps;
            }
            let ty = kw.trim();
            found.push(Raw {
                start,
                end: cend,
                target: None,
                target_type: Some(ty.to_string()),
                target_name: Some(name.to_string()),
                target_issuer: None,
                date,
                provisions,
            });
        }
    }
    found.sort_by_key(|f| f.start);

    let mut out = Vec::new();
    for f in &found {
        let relation = match ctx.relation_hint {
            Some(Relation::Basis) => Relation::Basis,
            hint => {
                let ss = sentence_start(text, f.start);
                let own = relation_from_words(&text[ss..f.start]);
                let rel = match own {
                    Some(r) => Some(r),
                    None => ctx.inherited.as_deref().and_then(|t| {
                        let tail = &t[sentence_start(t, t.len())..];
                        relation_from_words(tail)
                    }),
                };
                match rel {
                    Some(Relation::Promulgates) if hint != Some(Relation::Promulgates) => {
                        Relation::Mentions
                    }
                    Some(r) => r,
                    None => Relation::Mentions,
                }
            }
        };
        let scope = matches!(
            relation,
            Relation::Repeals | Relation::Replaces | Relation::Suspends
        )
        .then(|| {
            if f.provisions.is_empty() {
                RepealScope::Whole
            } else {
                RepealScope::Provision
            }
        });
        let new_text = if matches!(relation, Relation::Amends | Relation::Replaces) {
            quoted_after(text, f.end)
        } else {
            None
        };
        let (line, column) = diags.line_col(base() + f.start);
        let internal = f.target.is_some() && f.target == ctx.own_id;
        let provs: Vec<Option<String>> = if f.provisions.is_empty() {
            vec![None]
        } else {
            f.provisions.iter().cloned().map(Some).collect()
        };
        for p in provs {
            out.push(Citation {
                raw: text[f.start..f.end].trim().to_string(),
                target: f.target.clone(),
                target_type: f.target_type.clone(),
                target_name: f.target_name.clone(),
                target_issuer: f.target_issuer.clone(),
                date: f.date,
                provision: p,
                relation,
                scope,
                new_text: new_text.clone(),
                internal,
                source: ctx.source.clone(),
                line,
                column,
            });
        }
    }
    // 3. References to this document's own provisions.
    if let Some(own) = &ctx.own_id {
        out.extend(internal_refs(text, &base, ctx, own, &found, diags));
    }
    out
}

fn internal_refs(
    text: &str,
    base: &dyn Fn() -> usize,
    ctx: &ScanContext,
    own: &str,
    taken: &[Raw],
    diags: &Diagnostics,
) -> Vec<Citation> {
    let mut out = Vec::new();
    let mut k = 0;
    let bytes = text.as_bytes();
    // Every place a reference may start, found once.
    let mut starts: Vec<usize> = ["Điều ", "khoản ", "điểm "]
        .iter()
        .flat_map(|kw| text.match_indices(kw).map(|(p, _)| p))
        .collect();
    starts.sort_unstable();
    let mut next_start = starts.into_iter().peekable();
    while k < text.len() {
        while next_start.peek().is_some_and(|&p| p < k) {
            next_start.next();
        }
        let Some(s) = next_start.next() else { break };
        if taken.iter().any(|f| f.start <= s && s < f.end)
            || (s > 0
                && (bytes[s - 1].is_ascii_alphanumeric()
                    || (bytes[s - 1] >= 0x80 && !text[..s].ends_with(' '))))
        {
            k = s + 1;
            while !text.is_char_boundary(k) {
                k += 1;
            }
            continue;
        }
        let Some(r) = provision_ref_at(&text[s..]) else {
            k = s + 1;
            while !text.is_char_boundary(k) {
                k += 1;
            }
            continue;
        };
        let end = s + r.len;
        let after = &text[end..];
        // Followed by another document's name: an external reference without a number.
        let a = after
            .trim_start()
            .strip_prefix("của ")
            .unwrap_or(after.trim_start());
        let external = TYPE_WORDS
            .iter()
            .any(|w| a.starts_with(w) && !a[w.len()..].trim_start().starts_with("này"))
            && !ANNEX_WORDS
                .iter()
                .any(|w| a.starts_with(w) && a[w.len()..].trim_start().starts_with("này"));
        let external = external
            || a.starts_with("Quy định ban hành kèm theo")
            || a.starts_with("Quy chế ban hành kèm theo");
        if !external && (!r.articles.is_empty() || r.article_this || !r.clauses.is_empty()) {
            let suffix = ANNEX_WORDS
                .iter()
                .find(|w| a.starts_with(*w) && a[w.len()..].trim_start().starts_with("này"))
                .map(|w| w.to_string())
                .unwrap_or_else(|| {
                    if a.starts_with("Quyết định này") || a.starts_with("Nghị quyết này")
                    {
                        String::new()
                    } else {
                        ctx.suffix.clone()
                    }
                });
            let names = expand(&r, ctx.article.as_deref(), ctx.clause.as_deref(), &suffix);
            let (line, column) = diags.line_col(base() + s);
            for n in names {
                out.push(Citation {
                    raw: text[s..end].to_string(),
                    target: Some(own.to_string()),
                    target_type: None,
                    target_name: None,
                    target_issuer: None,
                    date: None,
                    provision: Some(n),
                    relation: Relation::Mentions,
                    scope: None,
                    new_text: None,
                    internal: true,
                    source: ctx.source.clone(),
                    line,
                    column,
                });
            }
        }
        k = end.max(s + 1);
        while !text.is_char_boundary(k) {
            k += 1;
        }
    }
    out
}

/// Citations in the title (a detailing document names its parent there).
pub fn title_citations(
    doc: &Document,
    title_offset: Option<usize>,
    diags: &Diagnostics,
) -> Vec<Citation> {
    let Some(title) = &doc.title else {
        return Vec::new();
    };
    let base = title_offset.unwrap_or(0);
    let ctx = ScanContext {
        own_id: None,
        ..Default::default()
    };
    scan_text(title, &|| base, &ctx, diags)
}

/// A provision waiting to be scanned, with its enclosing article, clause and parent text.
type Pending<'a> = (
    &'a Provision,
    Option<String>,
    Option<String>,
    Option<&'a str>,
);

/// Citations in every provision's heading and text, with the provision as source.
pub fn provision_citations(doc: &Document, diags: &Diagnostics) -> Vec<Citation> {
    let mut out = Vec::new();
    for top in &doc.provisions {
        let suffix = if top.kind == ProvisionKind::Annex {
            top.label.clone()
        } else {
            String::new()
        };
        let mut stack: Vec<Pending> = vec![(top, None, None, None)];
        while let Some((p, art, clause, parent_text)) = stack.pop() {
            let art = if p.kind == ProvisionKind::Article {
                Some(p.label.clone())
            } else {
                art
            };
            let clause = if p.kind == ProvisionKind::Clause {
                Some(p.label.clone())
            } else {
                clause
            };
            if p.kind != ProvisionKind::Annex {
                let ctx = ScanContext {
                    relation_hint: None,
                    source: Some(p.path.clone()),
                    article: art.clone(),
                    clause: clause.clone(),
                    suffix: suffix.clone(),
                    own_id: Some(doc.id.clone()),
                    inherited: parent_text.map(|s| s.to_string()),
                };
                let text = match &p.heading {
                    Some(h) if p.text.is_empty() => h.as_str(),
                    _ => p.text.as_str(),
                };
                if !text.is_empty() {
                    let start = p.start;
                    out.extend(scan_text(text, &|| diags.locate(text, start), &ctx, diags));
                }
            }
            let own_text = if p.text.is_empty() {
                p.heading.as_deref()
            } else {
                Some(p.text.as_str())
            };
            for c in p.children.iter().rev() {
                stack.push((c, art.clone(), clause.clone(), own_text));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_from_words() {
        assert_eq!(
            relation_from_words("Quyết định này thay thế "),
            Some(Relation::Replaces)
        );
        assert_eq!(relation_from_words("Bãi bỏ "), Some(Relation::Repeals));
        assert_eq!(
            relation_from_words("Sửa đổi, bổ sung khoản 2 Điều 5 của "),
            Some(Relation::Amends)
        );
        assert_eq!(
            relation_from_words("(nay đã được thay thế bởi "),
            Some(Relation::Mentions)
        );
        assert_eq!(relation_from_words("Thực hiện "), None);
        assert_eq!(
            relation_from_words("Quy định chi tiết thi hành "),
            Some(Relation::Details)
        );
    }

    #[test]
    fn provisions_before_citations() {
        let t = "Bãi bỏ Điều 7 của Quy định ban hành kèm theo Quyết định số 15/2019/QĐ-UBND";
        let at = t.find("Quyết định số").unwrap();
        let (_, r, annex) = provision_before(t, at).unwrap();
        assert_eq!(
            expand(&r, None, None, annex.as_deref().unwrap_or("")),
            vec!["Điều 7 Quy định"]
        );
        let t = "Sửa đổi điểm a khoản 2 Điều 4 Quyết định số 15/2019/QĐ-UBND";
        let at = t.find("Quyết định số").unwrap();
        let (_, r, annex) = provision_before(t, at).unwrap();
        assert_eq!(
            expand(&r, None, None, annex.as_deref().unwrap_or("")),
            vec!["điểm a khoản 2 Điều 4"]
        );
    }

    #[test]
    fn quoted_wording() {
        let t = "Sửa đổi khoản 2 Điều 5 của Quyết định số 1/2020/QĐ-UBND như sau: “2. Thời hạn là 05 ngày.”";
        let e = t.find("như sau").unwrap();
        assert_eq!(
            quoted_after(t, e).as_deref(),
            Some("2. Thời hạn là 05 ngày.")
        );
    }
}
