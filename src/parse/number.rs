//! The document number, *số ký hiệu*: recognising it and splitting it into its parts.

use super::grammar::{try_parse, window, Rule};
use crate::model::DocNumber;

/// Type codes that open a number (`QĐ` in `15/2019/QĐ-UBND`), with the document type each
/// stands for. A number whose first code is not here belongs to a letter (*công văn*), whose
/// number carries only issuer codes (`4085/UBND-ĐT`).
pub const TYPE_CODES: &[(&str, &str)] = &[
    ("QĐ", "Quyết định"),
    ("NQ", "Nghị quyết"),
    ("NĐ", "Nghị định"),
    ("TT", "Thông tư"),
    ("TTLT", "Thông tư liên tịch"),
    ("CT", "Chỉ thị"),
    ("KH", "Kế hoạch"),
    ("TB", "Thông báo"),
    ("CĐ", "Công điện"),
    ("BC", "Báo cáo"),
    ("TTr", "Tờ trình"),
    ("HD", "Hướng dẫn"),
    ("CTr", "Chương trình"),
    ("QC", "Quy chế"),
    ("QyĐ", "Quy định"),
    ("ĐA", "Đề án"),
    ("VBHN", "Văn bản hợp nhất"),
    ("KL", "Kết luận"),
    ("PL", "Pháp lệnh"),
    ("L", "Lệnh"),
];

/// The document type a type code stands for.
pub fn type_for_code(code: &str) -> Option<&'static str> {
    TYPE_CODES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

/// Normalises a number as printed: no spaces, look-alike `Ð` folded to `Đ`, NFC (the text is
/// already NFC), a trailing dot or comma dropped.
pub fn normalise_number(raw: &str) -> String {
    let mut s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'Ð' => 'Đ',
            'ð' => 'đ',
            _ => c,
        })
        .collect();
    while s.ends_with(['.', ',', ';', ':', ')']) {
        s.pop();
    }
    s
}

/// True when the number field says the document has none: "Không số", "Không có số",
/// "KHÔNG SỐ", with or without the "Số:" before it (the national database prints "Số: Không
/// số" over the Constitutions).
pub fn is_no_number(field: &str) -> bool {
    let l = field.trim().to_lowercase();
    let l = l.strip_prefix("số").map_or(l.as_str(), |r| r.trim_start());
    let l = l.trim_start_matches(':').trim();
    let words: Vec<&str> = l
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', ',', ';']))
        .collect();
    matches!(words.as_slice(), ["không", "số"] | ["không", "có", "số"])
}

/// The id of a document without a number (*văn bản không số*): its type with hyphens and its
/// date of issue, `Hiến-pháp-25/12/2001`. Readable, the same on every ingest, free of white
/// space (ids are compared without it), and different for two numberless documents of
/// different types or dates. `None` without a date of issue (the file's name is the id then).
pub fn numberless_id(doc_type: Option<&str>, issued: Option<crate::model::Date>) -> Option<String> {
    let d = issued?;
    let t = doc_type
        .unwrap_or("Văn bản")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-");
    Some(format!("{t}-{}", d.format("%d/%m/%Y")))
}

/// The type and date of issue a [`numberless_id`] was made of; `None` for any other id.
pub fn parse_numberless_id(id: &str) -> Option<(String, crate::model::Date)> {
    let (t, date) = id.rsplit_once('-').filter(|(t, _)| !t.is_empty())?;
    let (t, date) = match date.split('/').count() {
        3 => (t, date.to_string()),
        _ => return None,
    };
    let d = crate::model::Date::parse_from_str(&date, "%d/%m/%Y").ok()?;
    if date.len() != 10 || !t.chars().all(|c| c.is_alphabetic() || c == '-') {
        return None;
    }
    let t = t.replace('-', " ");
    let known = super::casing::DOC_TYPES.iter().any(|(_, name)| *name == t) || t == "Văn bản";
    known.then_some((t, d))
}

/// Splits a normalised number into a [`DocNumber`]; `None` when it is not shaped like one.
pub fn parse_number(id: &str) -> Option<DocNumber> {
    let pairs = try_parse(Rule::doc_number, id)?;
    let whole = pairs.clone().next()?;
    if whole.as_str().len() != id.len() {
        return None;
    }
    let mut serial = String::new();
    let mut year = None;
    let mut codes: Vec<String> = Vec::new();
    for p in whole.into_inner() {
        match p.as_rule() {
            Rule::doc_serial => serial = p.as_str().to_string(),
            Rule::doc_year => year = p.as_str().parse().ok(),
            Rule::doc_code => codes.push(p.as_str().to_string()),
            _ => {}
        }
    }
    // `432-TB/VPTW`: the type code comes right after the serial.
    let dash_form = id[serial.len()..].starts_with('-');
    let (type_code, issuer_code) = if dash_form {
        (codes.first().cloned(), codes.get(1..).map(|c| c.join("-")))
    } else if year.is_some() && codes.len() == 1 {
        // `45/2019/QH14`: a law; the only code names the issuer (the National Assembly).
        (None, codes.first().cloned())
    } else if codes
        .first()
        .map(|c| type_for_code(c).is_some())
        .unwrap_or(false)
    {
        (codes.first().cloned(), Some(codes[1..].join("-")))
    } else {
        (None, Some(codes.join("-")))
    };
    Some(DocNumber {
        id: id.to_string(),
        serial,
        normative: year.is_some(),
        year,
        type_code,
        issuer_code: issuer_code.filter(|s| !s.is_empty()),
    })
}

/// Finds every document number in `text`, returning (byte start, byte end, normalised id).
/// A number is a run that starts with a digit at a word boundary and parses as `doc_number`.
pub fn find_numbers(text: &str) -> Vec<(usize, usize, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Numbers contain a '/' or '-' after the serial; find candidates cheaply.
        if bytes[i].is_ascii_digit() && (i == 0 || !is_word_byte(bytes[i - 1])) {
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            // A number's token holds an upper-case code (`QĐ`, `UBND`): dates do not.
            let token_end = bytes[j..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'(' | b')'))
                .map(|p| j + p)
                .unwrap_or(bytes.len());
            let has_code = bytes[j..token_end]
                .iter()
                .any(|b| b.is_ascii_uppercase() || *b == 0xC4);
            if has_code
                && j < bytes.len()
                && (bytes[j] == b'/' || bytes[j] == b'-' || bytes[j].is_ascii_lowercase())
            {
                if let Some(pairs) = try_parse(Rule::doc_number, window(&text[i..], 96)) {
                    if let Some(p) = pairs.clone().next() {
                        let end = i + p.as_str().len();
                        let id = normalise_number(p.as_str());
                        // A date like 15-12-2021 is not a number: it has no letters.
                        if id.chars().any(|c| c.is_alphabetic()) {
                            out.push((i, end, id));
                            i = end;
                            continue;
                        }
                    }
                }
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_number_in_its_spellings() {
        for s in [
            "Không số",
            "Số: Không số",
            "Số: không số",
            "KHÔNG SỐ",
            "SỐ: KHÔNG SỐ",
            "Không có số",
            "Số:  Không  có số.",
        ] {
            assert!(is_no_number(s), "{s}");
        }
        for s in [
            "Số: 15/2019/QĐ-UBND",
            "Không",
            "Số:",
            "không số hóa",
            "Số: Khong so",
        ] {
            assert!(!is_no_number(s), "{s}");
        }
    }

    #[test]
    fn numberless_ids_are_stable_and_tell_dates_apart() {
        let d = |s: &str| s.parse::<crate::model::Date>().unwrap();
        let a = numberless_id(Some("Hiến pháp"), Some(d("2001-12-25"))).unwrap();
        assert_eq!(a, "Hiến-pháp-25/12/2001");
        assert_eq!(
            numberless_id(Some("Hiến pháp"), Some(d("2001-12-25"))).as_deref(),
            Some(a.as_str())
        );
        let b = numberless_id(Some("Hiến pháp"), Some(d("2013-11-28"))).unwrap();
        assert_ne!(a, b);
        // Ids are compared without white space and by number key: the two stay apart.
        use crate::resolve::{normalize_number, number_key};
        assert_eq!(normalize_number(&a), a);
        assert_ne!(number_key(&a), number_key(&b));
        assert_eq!(
            numberless_id(None, Some(d("2020-01-02"))).as_deref(),
            Some("Văn-bản-02/01/2020")
        );
        assert_eq!(numberless_id(Some("Hiến pháp"), None), None);
        // And back.
        assert_eq!(
            parse_numberless_id(&a),
            Some(("Hiến pháp".to_string(), d("2001-12-25")))
        );
        assert_eq!(
            parse_numberless_id("Văn-bản-02/01/2020"),
            Some(("Văn bản".to_string(), d("2020-01-02")))
        );
        for other in [
            "15/2019/QĐ-UBND",
            "432-TB/VPTW",
            "Không",
            "Xyz-25/12/2001",
            "Hiến-pháp-31/02/2001",
        ] {
            assert_eq!(parse_numberless_id(other), None, "{other}");
        }
    }

    #[test]
    fn normative_and_administrative() {
        let n = parse_number("15/2019/QĐ-UBND").unwrap();
        assert_eq!(n.year, Some(2019));
        assert!(n.normative);
        assert_eq!(n.type_code.as_deref(), Some("QĐ"));
        assert_eq!(n.issuer_code.as_deref(), Some("UBND"));
        let n = parse_number("13969/QĐ-UBND").unwrap();
        assert!(!n.normative);
        assert_eq!(n.serial, "13969");
        let n = parse_number("4085/UBND-ĐT").unwrap();
        assert_eq!(n.type_code, None);
        assert_eq!(n.issuer_code.as_deref(), Some("UBND-ĐT"));
        let n = parse_number("45/2019/QH14").unwrap();
        assert_eq!(n.issuer_code.as_deref(), Some("QH14"));
        let n = parse_number("432-TB/VPTW").unwrap();
        assert_eq!(n.type_code.as_deref(), Some("TB"));
        let n = parse_number("468/QĐ-TTg").unwrap();
        assert_eq!(n.issuer_code.as_deref(), Some("TTg"));
        assert!(parse_number("2021").is_none());
        assert!(parse_number("07/QĐ-UBND/2018").is_none());
    }

    #[test]
    fn normalising() {
        assert_eq!(normalise_number("13969 /QĐ-UBND"), "13969/QĐ-UBND");
        assert_eq!(normalise_number("15/2019/QÐ-UBND"), "15/2019/QĐ-UBND");
    }

    #[test]
    fn finding_numbers_in_text() {
        let t = "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 và Quyết định 3183/QĐ-UBND;";
        let ids: Vec<String> = find_numbers(t).into_iter().map(|x| x.2).collect();
        assert_eq!(ids, vec!["76/NQ-CP", "3183/QĐ-UBND"]);
        assert!(find_numbers("ngày 15-12-2021 và 20/11/2019").is_empty());
    }
}
