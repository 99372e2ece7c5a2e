//! The header of a document: issuing body, national motto, number, place and date, type and
//! title, the *Căn cứ* lines, the *Theo đề nghị* line and the enacting formula.

use super::casing::{doc_type_of_line, is_upper_line, issuer_case};
use super::citations::{scan_text, ScanContext};
use super::grammar::{try_parse, Rule};
use super::lines::{classify, LineKind};
use super::number::{
    is_no_number, normalise_number, parse_number, parse_numberless_id, type_for_code,
};
use super::{dates, Diagnostics, Line};
use crate::model::{
    Basis, Date, DiagnosticSeverity, DocNumber, Document, Issuer, IssuerLevel, Relation,
};

/// What the header yields, and where the body starts (a line index).
#[derive(Debug, Default)]
pub struct Header {
    pub issuer: Option<Issuer>,
    pub number: Option<DocNumber>,
    pub raw_number: Option<String>,
    pub number_offset: Option<usize>,
    /// "Số: Không số": the document has no number (*văn bản không số*).
    pub numberless: bool,
    pub place: Option<String>,
    pub issued: Option<Date>,
    pub doc_type: Option<String>,
    pub title: Option<String>,
    pub title_offset: Option<usize>,
    pub bases: Vec<Basis>,
    pub proposal: Option<String>,
    pub formula: Option<String>,
    pub body_start: usize,
}

/// Words that open the name of a body in the issuer block.
const BODY_WORDS: &[&str] = &[
    "ỦY BAN",
    "UỶ BAN",
    "HỘI ĐỒNG",
    "BỘ ",
    "SỞ ",
    "PHÒNG ",
    "CỤC ",
    "TỔNG CỤC",
    "CHI CỤC",
    "VĂN PHÒNG",
    "CHÍNH PHỦ",
    "THỦ TƯỚNG",
    "QUỐC HỘI",
    "BAN ",
    "TÒA ÁN",
    "VIỆN ",
    "KIỂM TOÁN",
    "NGÂN HÀNG",
    "ĐẢNG ỦY",
    "HUYỆN ỦY",
    "TỈNH ỦY",
    "THÀNH ỦY",
    "THANH TRA",
    "TRUNG TÂM",
    "CÔNG AN",
    "BỘ CHỈ HUY",
    "HẢI QUAN",
    "THUẾ ",
    "KHO BẠC",
    "BẢO HIỂM",
    "CHỦ TỊCH NƯỚC",
];

fn starts_body(line: &str) -> bool {
    let l = format!("{line} ");
    BODY_WORDS.iter().any(|w| l.starts_with(w))
}

fn is_motto(line: &str) -> bool {
    try_parse(Rule::motto_line, line).is_some()
        || line.starts_with("ĐẢNG CỘNG SẢN VIỆT NAM")
        || line == "ĐẢNG CỘNG"
        || line == "CỘNG HÒA XÃ HỘI"
}

fn is_motto_tail(line: &str) -> bool {
    try_parse(Rule::motto_tail, line).is_some()
        || line.starts_with("Độc lập")
        || line.starts_with("CHỦ NGHĨA VIỆT NAM")
        || line == "SẢN VIỆT NAM"
}

/// The level of a body from its name.
pub fn issuer_level(name: &str, parent: Option<&str>) -> IssuerLevel {
    let l = name.to_lowercase();
    let central_cities = [
        "hà nội",
        "hồ chí minh",
        "hải phòng",
        "đà nẵng",
        "cần thơ",
        "huế",
    ];
    let place_level = |l: &str| -> Option<IssuerLevel> {
        if l.contains(" tỉnh ") || l.ends_with(" tỉnh") {
            return Some(IssuerLevel::Province);
        }
        if let Some(i) = l.find("thành phố ") {
            let city = &l[i + "thành phố ".len()..];
            return Some(if central_cities.iter().any(|c| city.starts_with(c)) {
                IssuerLevel::Province
            } else {
                IssuerLevel::District
            });
        }
        if l.contains("huyện ") || l.contains("quận ") || l.contains("thị xã ") {
            return Some(IssuerLevel::District);
        }
        if l.contains("xã ")
            || l.contains("phường ")
            || l.contains("thị trấn ")
            || l.contains("đặc khu ")
        {
            return Some(IssuerLevel::Commune);
        }
        None
    };
    let padded = format!(" {l} ");
    if let Some(level) = place_level(&padded) {
        return level;
    }
    let central = [
        "chính phủ",
        "thủ tướng",
        "quốc hội",
        "bộ ",
        "cục ",
        "tổng cục",
        "ủy ban thường vụ",
        "ban chấp hành trung ương",
        "văn phòng trung ương",
        "tòa án nhân dân tối cao",
        "viện kiểm sát nhân dân tối cao",
        "kiểm toán nhà nước",
        "ngân hàng nhà nước",
        "chủ tịch nước",
    ];
    if central.iter().any(|c| l.starts_with(c)) {
        return IssuerLevel::Central;
    }
    if let Some(p) = parent {
        let pl = format!(" {} ", p.to_lowercase());
        if let Some(level) = place_level(&pl) {
            return level;
        }
        if central.iter().any(|c| pl.trim_start().starts_with(c)) {
            return IssuerLevel::Central;
        }
    }
    IssuerLevel::Unknown
}

/// Builds the issuer from the upper-case lines of the issuer block.
pub fn issuer_from_lines(block: &[&str]) -> Option<Issuer> {
    let mut bodies: Vec<String> = Vec::new();
    for l in block {
        let l = l.trim().trim_matches(['*', '-', '_']).trim();
        if l.is_empty() {
            continue;
        }
        let joined_known = bodies.last().map(|b| {
            let j = format!("{b} {l}").to_lowercase();
            j == "ủy ban thường vụ quốc hội" || j == "thủ tướng chính phủ"
        });
        if starts_body(l) && !bodies.is_empty() && joined_known != Some(true) {
            bodies.push(l.to_string());
        } else if let Some(last) = bodies.last_mut() {
            last.push(' ');
            last.push_str(l);
        } else {
            bodies.push(l.to_string());
        }
    }
    let last = bodies.pop()?;
    let mut name = issuer_case(&last);
    let parent = bodies.pop().map(|p| issuer_case(&p));
    // A bare unit name ("VĂN PHÒNG") is known by its parent's name.
    if let Some(p) = &parent {
        if matches!(name.as_str(), "Văn phòng" | "Ban" | "Thường trực") {
            name = format!("{name} {p}");
        }
    }
    let level = issuer_level(&name, parent.as_deref());
    let lower = name.to_lowercase();
    let body = ["ủy ban nhân dân", "hội đồng nhân dân"]
        .iter()
        .find(|b| lower.starts_with(*b))
        .map(|b| issuer_case(b));
    let locality = body.as_ref().map(|b| name[b.len()..].trim().to_string());
    Some(Issuer {
        name,
        parent,
        level,
        body,
        locality: locality.filter(|l| !l.is_empty()),
    })
}

fn is_formula(line: &str) -> bool {
    try_parse(Rule::formula_line, line).is_some()
}

/// A Decree 30/2020 style formula: "Ủy ban nhân dân tỉnh X ban hành Quyết định …".
fn is_modern_formula(line: &str) -> bool {
    let has = |w: &str| line.contains(w);
    (has(" ban hành Quyết định")
        || has(" ban hành Nghị quyết")
        || has(" ban hành Thông tư")
        || has(" ban hành Nghị định")
        || has(" ban hành Chỉ thị")
        || has("ban hành Luật")
        || has(" ban hành Pháp lệnh")
        || has("ban hành Bộ luật"))
        && !line.starts_with("Căn cứ")
        && line.len() < 1200
}

fn is_structural(line: &str) -> bool {
    !matches!(classify(line), LineKind::Text | LineKind::Bullet { .. })
}

/// Reads the header from the top of the document.
pub fn read_header(lines: &[Line], raw: Option<&str>, diags: &mut Diagnostics) -> Header {
    let mut h = Header::default();
    if lines.is_empty() {
        // A library page that carries only its caption is still a known document.
        if caption_header(lines, raw, diags, &mut h) {
            diags.push(
                DiagnosticSeverity::Warning,
                "no_document_text",
                0,
                "Trang không có nội dung văn bản, chỉ có dòng giới thiệu (the page has no document text).".into(),
            );
            return h;
        }
        diags.push(
            DiagnosticSeverity::Error,
            "empty_document",
            0,
            "Tệp không có nội dung văn bản (empty document).".into(),
        );
        return h;
    }
    // The document starts at its issuer block, just above the national motto. Legal
    // libraries put summaries and chrome above it; those lines are skipped.
    let scan_limit = lines.len().min(400);
    let motto = (0..scan_limit).find(|&i| is_motto(lines[i].text));
    let mut i;
    let mut issuer_lines: Vec<&str> = Vec::new();
    match motto {
        Some(m) => {
            let mut s = m;
            while s > 0
                && is_upper_line(lines[s - 1].text)
                && m - s < 6
                && !is_motto(lines[s - 1].text)
            {
                s -= 1;
            }
            issuer_lines.extend(lines[s..m].iter().map(|l| l.text));
            i = m + 1;
            while i < lines.len()
                && (is_motto_tail(lines[i].text) || lines[i].text == "CHỦ NGHĨA VIỆT NAM")
            {
                i += 1;
            }
            // Flattened two-column headers sometimes put the issuer after the motto.
            if issuer_lines.is_empty() {
                while i < lines.len()
                    && is_upper_line(lines[i].text)
                    && !lines[i].text.starts_with("SỐ")
                    && doc_type_of_line(lines[i].text).is_none()
                {
                    issuer_lines.push(lines[i].text);
                    i += 1;
                }
            }
        }
        None => {
            i = 0;
            while i < lines.len().min(6)
                && is_upper_line(lines[i].text)
                && doc_type_of_line(lines[i].text).is_none()
                && try_parse(Rule::number_line, lines[i].text).is_none()
            {
                issuer_lines.push(lines[i].text);
                i += 1;
            }
            if issuer_lines.is_empty() {
                diags.push(
                    DiagnosticSeverity::Warning,
                    "missing_motto",
                    lines[0].offset,
                    "Không thấy Quốc hiệu, tiêu ngữ (national motto not found).".into(),
                );
            }
        }
    }
    h.issuer = issuer_from_lines(&issuer_lines);
    let headerless = motto.is_none() && issuer_lines.is_empty()
        || !lines[..lines.len().min(i + 14)].iter().any(|l| {
            try_parse(Rule::number_line, l.text).is_some() || l.text.trim_end_matches(':') == "Số"
        });
    if headerless && caption_header(lines, raw, diags, &mut h) {
        return h;
    }
    if h.issuer.is_none() {
        diags.push(
            DiagnosticSeverity::Warning,
            "missing_issuer",
            lines[0].offset,
            "Không xác định được cơ quan ban hành (issuing body not found).".into(),
        );
    }

    // Number, subject line of letters, place and date: in any order, before the title.
    let mut subject: Option<(String, usize)> = None;
    let stop = lines.len().min(i + 14);
    let mut j = i;
    while j < stop {
        let t = lines[j].text;
        if h.raw_number.is_none() && !h.numberless {
            // "Số: Không số" (or "Số:" then "Không số" on the next line): no number.
            let alone = matches!(t.trim_end_matches(':').trim(), "Số" | "SỐ" | "số");
            let next_none = alone && j + 1 < lines.len() && is_no_number(lines[j + 1].text);
            let keyword = t.trim_start().to_lowercase().starts_with("số");
            if next_none || keyword && is_no_number(t) {
                h.numberless = true;
                h.number_offset = Some(lines[j].offset);
                j += if next_none { 2 } else { 1 };
                continue;
            }
            // "Số:" alone, the number on the next line.
            let joined;
            let t = if matches!(t.trim_end_matches(':').trim(), "Số" | "SỐ") && j + 1 < lines.len()
            {
                joined = format!("Số: {}", lines[j + 1].text);
                if try_parse(Rule::number_line, &joined).is_some() {
                    j += 1;
                    joined.as_str()
                } else {
                    t
                }
            } else {
                t
            };
            if let Some(p) = try_parse(Rule::number_line, t) {
                let raw = p
                    .flatten()
                    .find(|q| q.as_rule() == Rule::loose_number)
                    .map(|q| q.as_str().to_string())
                    .unwrap_or_default();
                let id = normalise_number(&raw);
                h.number = parse_number(&id);
                h.raw_number = Some(raw);
                h.number_offset = Some(lines[j].offset);
                // "Số: 5387/CT-CS v/v trả lời …": the subject line joined to the number.
                if let Some(p) = t.find("V/v").or_else(|| t.find("v/v")) {
                    let s = t[p + 3..].trim_start_matches(':').trim();
                    if !s.is_empty() {
                        subject = Some((s.to_string(), lines[j].offset + p));
                    }
                }
                j += 1;
                continue;
            }
        }
        if h.issued.is_none() {
            if let Some((place, date)) = place_date(t) {
                h.place = place;
                h.issued = Some(date);
                j += 1;
                continue;
            }
            // A date left blank to be filled in by hand: "Tân Phong, ngày    tháng 8 năm 2017".
            if let Some(place) = blank_date(t) {
                h.place = place;
                diags.push(
                    DiagnosticSeverity::Warning,
                    "incomplete_date",
                    lines[j].offset,
                    format!(
                        "Ngày ban hành không đầy đủ: \"{t}\" (the date of issue is incomplete)."
                    ),
                );
                j += 1;
                continue;
            }
            // A place-and-date line broken before its year: "…, ngày 21 tháng 11 năm" / "2025".
            if t.contains("ngày ") && j + 1 < lines.len() {
                if let Some((place, date)) = place_date(&format!("{t} {}", lines[j + 1].text)) {
                    h.place = place;
                    h.issued = Some(date);
                    j += 2;
                    continue;
                }
            }
        }
        if t.starts_with("V/v")
            || t.starts_with("V/V")
            || t.starts_with("Về việc") && h.raw_number.is_some() && subject.is_none()
        {
            let mut s = t
                .trim_start_matches("V/v")
                .trim_start_matches("V/V")
                .trim_start_matches(':')
                .trim();
            // The subject and the place-and-date line side by side, joined in conversion.
            if h.issued.is_none() {
                if let Some((rest, place, date)) = split_place_date_suffix(s) {
                    h.place = place;
                    h.issued = Some(date);
                    s = rest;
                }
            }
            subject = Some((s.to_string(), lines[j].offset));
            j += 1;
            continue;
        }
        if is_upper_line(t)
            && h.raw_number.is_none()
            && h.issued.is_none()
            && doc_type_of_line(t).is_none()
        {
            // Stray upper-case lines of a two-column header (a second motto line).
            j += 1;
            continue;
        }
        break;
    }
    i = j;

    // Type and title.
    if i < lines.len() && !is_formula(lines[i].text) {
        if let Some(t) = doc_type_of_line(lines[i].text) {
            h.doc_type = Some(t.to_string());
            i += 1;
            let mut title: Vec<&str> = Vec::new();
            let start = lines.get(i).map(|l| l.offset);
            while i < lines.len() && title.len() < 8 {
                let t = lines[i].text;
                if is_formula(t)
                    || t.trim().eq_ignore_ascii_case("LỜI NÓI ĐẦU")
                    || t.trim() == "Lời nói đầu"
                    || t.starts_with("Căn cứ")
                    || try_parse(Rule::proposal_line, t).is_some()
                    || t.starts_with("Kính gửi")
                    || is_structural(t)
                    || t.ends_with(':')
                    || is_authority_line(t, h.issuer.as_ref())
                    || t.starts_with('(') && !title.is_empty()
                    || (!title.is_empty()
                        && !is_upper_line(t)
                        && is_upper_line(title[0])
                        && !t.starts_with(|c: char| c.is_lowercase()))
                {
                    break;
                }
                title.push(t);
                i += 1;
            }
            if !title.is_empty() {
                h.title = Some(title.join(" "));
                h.title_offset = start;
            }
        }
    }
    // A consolidated text prints the consolidated document's type as its title line.
    if h.number.as_ref().and_then(|n| n.type_code.as_deref()) == Some("VBHN") {
        h.doc_type = Some("Văn bản hợp nhất".to_string());
    }
    if h.doc_type.is_none() {
        let code_type = h
            .number
            .as_ref()
            .and_then(|n| n.type_code.as_deref())
            .and_then(type_for_code);
        h.doc_type = match (code_type, &subject) {
            // A subject line ("V/v …") is what marks a letter, whatever its number's codes.
            (_, Some(_)) => Some("Công văn".to_string()),
            (Some(t), None) => Some(t.to_string()),
            (None, None) => {
                if h.number.as_ref().map(|n| {
                    n.year.is_some()
                        && n.issuer_code
                            .as_deref()
                            .is_some_and(|c| c.starts_with("QH"))
                }) == Some(true)
                {
                    Some("Luật".to_string())
                } else if lines[i.min(lines.len() - 1)..]
                    .iter()
                    .take(4)
                    .any(|l| l.text.starts_with("Kính gửi"))
                {
                    Some("Công văn".to_string())
                } else {
                    None
                }
            }
        };
    }
    if h.title.is_none() {
        if let Some((s, off)) = subject {
            h.title = Some(s);
            h.title_offset = Some(off);
        }
    }

    // Preamble: the authority line, Căn cứ, Theo đề nghị, the formula.
    let mut k = i;
    let limit = lines.len().min(i + 60);
    let mut saw_formula = false;
    while k < limit {
        let t = lines[k].text;
        if is_formula(t) {
            h.formula = Some(t.trim_end_matches(':').trim().to_string());
            saw_formula = true;
            k += 1;
            break;
        }
        if t.starts_with("Căn cứ") || t.starts_with("CĂN CỨ") {
            let ctx = ScanContext::basis();
            let off = lines[k].offset;
            let cites = scan_text(t, &|| off, &ctx, diags);
            h.bases.push(Basis {
                text: t.to_string(),
                citations: cites,
                line: diags.line_of(lines[k].offset),
            });
            k += 1;
            continue;
        }
        if try_parse(Rule::proposal_line, t).is_some() {
            let p = t.to_string();
            h.proposal = Some(match h.proposal.take() {
                Some(prev) => format!("{prev} {p}"),
                None => p,
            });
            k += 1;
            continue;
        }
        if is_authority_line(t, h.issuer.as_ref()) && h.formula.is_none() {
            k += 1;
            continue;
        }
        // "KHÓA IX, KỲ HỌP THỨ 9" under a council's name, and other upper-case lines of the
        // preamble before the first Căn cứ.
        if h.bases.is_empty()
            && is_upper_line(t)
            && !is_structural(t)
            && doc_type_of_line(t).is_none()
        {
            k += 1;
            continue;
        }
        if is_modern_formula(t) && (!h.bases.is_empty() || h.proposal.is_some()) {
            h.formula = Some(t.to_string());
            saw_formula = true;
            k += 1;
            break;
        }
        break;
    }
    let _ = saw_formula;
    h.body_start = k;
    h
}

fn is_authority_line(t: &str, issuer: Option<&Issuer>) -> bool {
    if !is_upper_line(t) {
        return false;
    }
    if let Some(is) = issuer {
        let a = t.to_lowercase();
        let n = is.name.to_lowercase();
        if a == n || n.ends_with(&a) || a.ends_with(&n) {
            return true;
        }
    }
    starts_body(t)
        || t.starts_with("CHỦ TỊCH")
        || t.starts_with("BỘ TRƯỞNG")
        || t.starts_with("THỦ TRƯỞNG")
}

/// A legal library's caption of a page whose document text lacks its header:
/// "Công văn 5526/CT-CS ngày 25/11/2025 khẩn trương … do Cục Thuế ban hành".
#[derive(Debug)]
struct Caption {
    id: String,
    doc_type: String,
    date: Option<Date>,
    issuer: Option<String>,
    offset: usize,
}

fn caption(lines: &[Line]) -> Option<Caption> {
    use super::number::find_numbers;
    let mut best: Option<Caption> = None;
    for l in lines.iter().take(400) {
        let t = l.text;
        let Some((ty, rest)) = super::casing::DOC_TYPES
            .iter()
            .map(|(_, name)| *name)
            .chain(["Công văn"])
            .find_map(|name| {
                t.strip_prefix(name)
                    .and_then(|r| r.strip_prefix(' '))
                    .map(|r| (name, r))
            })
        else {
            continue;
        };
        let Some((0, end, id)) = find_numbers(rest).into_iter().next() else {
            continue;
        };
        let after = &rest[end..];
        // The caption's date: right after the number, or anywhere before "do … ban hành".
        let do_at = after.rfind(" do ").unwrap_or(after.len());
        let date = after
            .strip_prefix(' ')
            .and_then(dates::dated_at)
            .map(|d| d.0)
            .or_else(|| dates::find_dated(&after[..do_at]).map(|d| d.0));
        let issuer = after.rfind(" do ").and_then(|p| {
            let x = &after[p + 4..];
            let x = x.split(" ban hành").next()?.trim();
            let x = x
                .strip_prefix("Bộ trưởng ")
                .or_else(|| x.strip_prefix("Chủ tịch "))
                .unwrap_or(x);
            (!x.is_empty() && x.len() < 150).then(|| x.to_string())
        });
        let cand = Caption {
            id,
            doc_type: ty.to_string(),
            date,
            issuer,
            offset: l.offset,
        };
        let score = |c: &Caption| c.date.is_some() as u8 + c.issuer.is_some() as u8;
        match &mut best {
            Some(b) if b.id == cand.id => {
                if b.date.is_none() {
                    b.date = cand.date;
                }
                if b.issuer.is_none() {
                    b.issuer = cand.issuer;
                }
            }
            Some(b) if score(&cand) > score(b) => best = Some(cand),
            None => best = Some(cand),
            _ => {}
        }
    }
    best.filter(|c| c.date.is_some() || c.issuer.is_some())
}

/// Reads the number, date, type and issuer from a legal library's caption when the page's
/// document text has no header. Returns whether a caption was found.
fn caption_header(
    lines: &[Line],
    raw: Option<&str>,
    diags: &mut Diagnostics,
    h: &mut Header,
) -> bool {
    // Library pages put their caption after the document; the text module drops it as
    // page chrome, so it is read from the raw file.
    let raw_lines: Vec<String> = raw
        .map(|r| {
            // Only lines that open with a document type and hold a number can be captions.
            let starts = [
                "Quyết định ",
                "Nghị quyết ",
                "Thông tư ",
                "Nghị định ",
                "Công văn ",
                "Công điện ",
                "Thông báo ",
                "Chỉ thị ",
                "Kế hoạch ",
                "Văn bản hợp nhất ",
                "Luật ",
                "Kết luận ",
            ];
            // Split where the text module splits (a lone `\r`, a form feed… end a line too).
            crate::text::source_lines(r)
                .map(|l| l.trim().trim_matches(['*', '#', '|', ' ']))
                .filter(|l| starts.iter().any(|s| l.starts_with(s)) && l.contains('/'))
                .map(crate::text::normalize_inline)
                // A line the text module kept inside a paragraph (joined to the line before
                // it: `Điều 2. -` then `Nghị định 60/…`) is document text, not page chrome;
                // read as a caption it would make the document's id depend on how the file
                // was wrapped, and the normalised text parse to another document.
                .filter(|c| !lines.iter().any(|l| l.text.contains(c.as_str())))
                .collect()
        })
        .unwrap_or_default();
    let raw_view: Vec<Line> = raw_lines
        .iter()
        .map(|t| Line { text: t, offset: 0 })
        .collect();
    let found = caption(lines).or_else(|| caption(&raw_view));
    if let Some(c) = found {
        diags.push(
            DiagnosticSeverity::Warning,
            "header_from_caption",
            c.offset,
            "Văn bản không có phần đầu (quốc hiệu, số, ngày); số, ngày và cơ quan ban hành lấy từ dòng giới thiệu của trang (the document has no header; its facts come from the page's caption line).".into(),
        );
        h.number = parse_number(&c.id);
        h.raw_number = Some(c.id);
        h.number_offset = Some(c.offset);
        h.issued = c.date;
        h.doc_type = Some(c.doc_type);
        h.issuer = c.issuer.as_deref().and_then(|i| {
            let mut is = issuer_from_lines(&[i])?;
            is.name = i.to_string();
            is.level = issuer_level(i, None);
            Some(is)
        });
        h.body_start = 0;
        return true;
    }
    false
}

/// Splits "quản lý thuế Hà Nội, ngày 25 tháng 11 năm 2025" into the subject and the place
/// and date at its end: the place is the run of capitalised words before ", ngày".
pub fn split_place_date_suffix(s: &str) -> Option<(&str, Option<String>, Date)> {
    let at = s.rfind(", ngày ")?;
    let words: Vec<(usize, &str)> = s[..at]
        .match_indices(' ')
        .map(|(i, _)| i + 1)
        .chain(std::iter::once(0))
        .map(|i| (i, &s[i..at]))
        .collect();
    let mut start = at;
    for (i, _) in {
        let mut w = words;
        w.sort_by_key(|x| std::cmp::Reverse(x.0));
        w
    } {
        let word = s[i..].split(' ').next().unwrap_or("");
        if word.starts_with(|c: char| c.is_uppercase()) {
            start = i;
        } else {
            break;
        }
    }
    if start == at {
        return None;
    }
    let (place, date) = place_date(&s[start..])?;
    Some((s[..start].trim(), place, date))
}

/// A place-and-date line whose day (or month) was left blank: returns the place.
fn blank_date(t: &str) -> Option<Option<String>> {
    let t = t.trim_end_matches(['*', '.', ' ']);
    let at = t.find("ngày")?;
    let tail = &t[at..];
    // Bytes, not a string slice: the fourth byte from the end may be inside a character.
    let year_ok = tail.len() > 4
        && tail.as_bytes()[tail.len() - 4..]
            .iter()
            .all(u8::is_ascii_digit);
    if !(year_ok && tail.contains("năm") && tail.contains("tháng") && tail.len() < 60) {
        return None;
    }
    let place = t[..at].trim().trim_end_matches(',').trim();
    Some((!place.is_empty()).then(|| place.to_string()))
}

/// Reads a place-and-date line: `Xuân Lộc, ngày 15 tháng 12 năm 2021`.
pub fn place_date(t: &str) -> Option<(Option<String>, Date)> {
    let t = t.trim_end_matches(['*', '.', ' ', '_', '|']);
    let p = try_parse(Rule::place_date_line, t)?;
    let mut place = None;
    let mut date = None;
    for q in p.flatten() {
        match q.as_rule() {
            Rule::place => place = Some(q.as_str().trim().to_string()),
            Rule::date_words => date = dates::date_at(q.as_str()).map(|d| d.0),
            _ => {}
        }
    }
    Some((place.filter(|p| !p.is_empty()), date?))
}

/// Checks of form (*thể thức*) that need the whole document: the number's shape and the
/// presence of a date and a signer.
pub fn check_form(doc: &Document, number_offset: Option<usize>, diags: &mut Diagnostics) {
    let at = number_offset.unwrap_or(0);
    let numberless = doc.number.is_none() && parse_numberless_id(&doc.id).is_some();
    match (&doc.number, number_offset) {
        (None, Some(_)) if numberless => diags.push(
            DiagnosticSeverity::Warning,
            "no_number",
            at,
            format!(
                "Văn bản không số; mã định danh {} lấy theo loại và ngày ban hành (the document has no number; its id is made of its type and date of issue).",
                doc.id
            ),
        ),
        (None, Some(_)) => diags.push(
            DiagnosticSeverity::Warning,
            "malformed_number",
            at,
            format!(
                "Số, ký hiệu \"{}\" không đúng thể thức (malformed document number).",
                doc.id
            ),
        ),
        (None, None) => diags.push(
            DiagnosticSeverity::Warning,
            "missing_number",
            0,
            "Không thấy số, ký hiệu văn bản (no document number).".into(),
        ),
        (Some(n), _) => {
            let known_type = n.type_code.as_deref().map(|c| type_for_code(c).is_some());
            if let (Some(t), Some(code)) = (&doc.doc_type, n.type_code.as_deref()) {
                if let Some(expected) = type_for_code(code) {
                    if expected != t && !(t == "Luật" || t == "Bộ luật") {
                        diags.push(
                            DiagnosticSeverity::Warning,
                            "number_type_mismatch",
                            at,
                            format!("Ký hiệu \"{code}\" trong số \"{}\" không khớp loại văn bản {t} (type code does not match the document type).", n.id),
                        );
                    }
                }
            }
            let _ = known_type;
        }
    }
    if doc.issued.is_none() {
        diags.push(
            DiagnosticSeverity::Warning,
            "missing_date",
            at,
            "Không thấy địa danh, ngày tháng năm ban hành (no place and date line).".into(),
        );
    }
    if doc.signer.is_none() {
        diags.push(
            DiagnosticSeverity::Warning,
            "missing_signer",
            at,
            "Không thấy người ký (no signer).".into(),
        );
    }
    if doc.doc_type.is_none() {
        diags.push(
            DiagnosticSeverity::Warning,
            "missing_type",
            at,
            "Không xác định được loại văn bản (document type not found).".into(),
        );
    }
    let _ = Relation::Basis;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn khong_so_is_no_number_and_the_id_is_type_and_date() {
        let text = |number_lines: &str, date: &str| {
            format!(
                "QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n{number_lines}\n\
                 Hà Nội, ngày {date}\nHIẾN PHÁP\nNƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\
                 Chương I\nCHẾ ĐỘ CHÍNH TRỊ\nĐiều 1\nNước Cộng hòa xã hội chủ nghĩa Việt Nam là một nước độc lập.\n"
            )
        };
        for lines in [
            "Số: Không số",
            "Số:\nKhông số",
            "SỐ: KHÔNG SỐ",
            "Số: không có số",
        ] {
            let d = crate::parse::parse_document("a.txt", &text(lines, "25 tháng 12 năm 2001"));
            assert_eq!(d.id, "Hiến-pháp-25/12/2001", "{lines}");
            assert_eq!(d.doc_type.as_deref(), Some("Hiến pháp"));
            assert!(d.number.is_none());
            assert!(
                d.diagnostics.iter().all(
                    |x| x.severity != DiagnosticSeverity::Error && x.code != "malformed_number"
                ),
                "{lines}: {:?}",
                d.diagnostics
            );
            assert!(d.diagnostics.iter().any(|x| x.code == "no_number"));
        }
        // Parsing again gives the same id; another date another id.
        let t = text("Số: Không số", "25 tháng 12 năm 2001");
        assert_eq!(
            crate::parse::parse_document("x/b.html", &t).id,
            crate::parse::parse_document("a.txt", &t).id
        );
        let d =
            crate::parse::parse_document("a.txt", &text("Số: Không số", "28 tháng 11 năm 2013"));
        assert_eq!(d.id, "Hiến-pháp-28/11/2013");
        // Without a date the file names it, as for any document without a number.
        let t = text("Số: Không số", "  tháng 12 năm 2001")
            .replace("Hà Nội, ngày   tháng 12 năm 2001\n", "");
        assert_eq!(crate::parse::parse_document("dir/hp.txt", &t).id, "hp");
    }

    #[test]
    fn issuer_blocks() {
        let i = issuer_from_lines(&["ỦY BAN NHÂN DÂN", "HUYỆN XUÂN LỘC"]).unwrap();
        assert_eq!(i.name, "Ủy ban nhân dân huyện Xuân Lộc");
        assert_eq!(i.level, IssuerLevel::District);
        assert_eq!(i.locality.as_deref(), Some("huyện Xuân Lộc"));
        let i = issuer_from_lines(&["BỘ TÀI CHÍNH", "CỤC THUẾ"]).unwrap();
        assert_eq!(i.name, "Cục Thuế");
        assert_eq!(i.parent.as_deref(), Some("Bộ Tài chính"));
        assert_eq!(i.level, IssuerLevel::Central);
        let i = issuer_from_lines(&["ỦY BAN THƯỜNG VỤ", "QUỐC HỘI"]).unwrap();
        assert_eq!(i.name, "Ủy ban Thường vụ Quốc hội");
        let i = issuer_from_lines(&["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]).unwrap();
        assert_eq!(i.level, IssuerLevel::Province);
        let i = issuer_from_lines(&["UBND TỈNH ĐỒNG NAI", "SỞ TƯ PHÁP"]).unwrap();
        assert_eq!(i.level, IssuerLevel::Province);
        let i = issuer_from_lines(&["ỦY BAN NHÂN DÂN", "XÃ PHÚ THẠNH"]).unwrap();
        assert_eq!(i.level, IssuerLevel::Commune);
    }

    #[test]
    fn place_and_date() {
        let (p, d) = place_date("Xuân Lộc, ngày 15 tháng 12 năm 2021").unwrap();
        assert_eq!(p.as_deref(), Some("Xuân Lộc"));
        assert_eq!(d.to_string(), "2021-12-15");
        assert!(place_date("Căn cứ Luật ngày 19 tháng 6 năm 2015;").is_none());
    }
}
