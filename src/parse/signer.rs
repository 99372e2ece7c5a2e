//! The end of a document's body: *Nơi nhận* (recipients) and the signer block
//! (`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH` / the name).

use super::casing::is_upper_line;
use super::grammar::{try_parse, Rule};
use super::{Diagnostics, Line};
use crate::model::Signer;

/// Titles that stand alone on the line above a signer's name.
const TITLES: &[(&str, &str)] = &[
    ("CHỦ TỊCH", "Chủ tịch"),
    ("PHÓ CHỦ TỊCH", "Phó Chủ tịch"),
    ("PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Phó Chủ tịch Thường trực"),
    ("THỦ TƯỚNG", "Thủ tướng"),
    ("PHÓ THỦ TƯỚNG", "Phó Thủ tướng"),
    ("BỘ TRƯỞNG", "Bộ trưởng"),
    ("THỨ TRƯỞNG", "Thứ trưởng"),
    ("CỤC TRƯỞNG", "Cục trưởng"),
    ("PHÓ CỤC TRƯỞNG", "Phó Cục trưởng"),
    ("GIÁM ĐỐC", "Giám đốc"),
    ("PHÓ GIÁM ĐỐC", "Phó Giám đốc"),
    ("CHÁNH VĂN PHÒNG", "Chánh Văn phòng"),
    ("PHÓ CHÁNH VĂN PHÒNG", "Phó Chánh Văn phòng"),
    ("TRƯỞNG PHÒNG", "Trưởng phòng"),
    ("TRƯỞNG BAN", "Trưởng ban"),
    ("PHÓ TRƯỞNG BAN", "Phó Trưởng ban"),
    ("TỔNG CỤC TRƯỞNG", "Tổng cục trưởng"),
    ("CHÁNH ÁN", "Chánh án"),
    ("VIỆN TRƯỞNG", "Viện trưởng"),
    ("CHỦ NHIỆM", "Chủ nhiệm"),
    ("TỔNG BÍ THƯ", "Tổng Bí thư"),
    ("BÍ THƯ", "Bí thư"),
];

fn title_of(line: &str) -> Option<String> {
    let t = line.trim().trim_end_matches(':');
    for (caps, name) in TITLES {
        if t == *caps {
            return Some(name.to_string());
        }
        if let Some(rest) = t.strip_prefix(caps) {
            // "CHỦ TỊCH QUỐC HỘI", "BỘ TRƯỞNG BỘ TÀI CHÍNH".
            if rest.starts_with(' ') {
                return Some(format!(
                    "{name} {}",
                    super::casing::issuer_case(rest.trim())
                ));
            }
        }
    }
    None
}

fn title_at_end(line: &str) -> Option<String> {
    TITLES
        .iter()
        .filter(|(caps, _)| line.ends_with(&format!(" {caps}")))
        .max_by_key(|(caps, _)| caps.len())
        .map(|(_, name)| name.to_string())
}

fn is_capacity(line: &str) -> bool {
    let b = line.as_bytes();
    // TM. KT. TL. TUQ. Q. T/M K/T: a capital, then a dot or slash within four bytes.
    let shaped = b.first().is_some_and(|c| matches!(c, b'T' | b'K' | b'Q'))
        && b.iter()
            .take(5)
            .any(|c| *c == b'.' || *c == b'/' || *c == b' ');
    shaped && is_upper_line(line) && try_parse(Rule::signer_capacity_line, line).is_some()
}

fn is_recipients(line: &str) -> bool {
    (line.starts_with("Nơi nhận") || line.starts_with("NƠI NHẬN"))
        && try_parse(Rule::recipients_line, line).is_some()
}

/// True for a line that reads as a person's name: 2 to 6 capitalised words, nothing else.
pub fn is_name(line: &str) -> bool {
    let words: Vec<&str> = line.split(' ').collect();
    if !(2..=6).contains(&words.len()) {
        return false;
    }
    words.iter().all(|w| {
        let mut cs = w.chars();
        match cs.next() {
            Some(f) if f.is_uppercase() => cs.all(|c| c.is_alphabetic() && c.is_lowercase()),
            _ => false,
        }
    })
}

/// The index of the first line after the body: *Nơi nhận* or the signer block.
pub fn body_end(lines: &[Line], from: usize) -> usize {
    for i in from..lines.len() {
        let t = lines[i].text;
        if is_recipients(t) {
            return i;
        }
        if is_capacity(t) {
            // "TM. ỦY BAN NHÂN DÂN" must be followed by a title or a name soon.
            let near = &lines[i + 1..lines.len().min(i + 5)];
            if near
                .iter()
                .any(|l| title_of(l.text).is_some() || is_name(l.text))
            {
                return i;
            }
        }
        if title_of(t).is_some() && is_upper_line(t) && t.split(' ').count() <= 6 {
            let near = &lines[i + 1..lines.len().min(i + 3)];
            if near
                .iter()
                .any(|l| is_name(l.text) && !is_upper_line(l.text))
            {
                return i;
            }
        }
    }
    lines.len()
}

/// What follows the body: recipients and signer.
#[derive(Debug, Default)]
pub struct Tail {
    pub recipients: Vec<String>,
    pub signer: Option<Signer>,
}

/// Reads recipients and the signer block from the lines after the body.
pub fn read_tail(lines: &[Line], diags: &mut Diagnostics) -> Tail {
    let mut tail = Tail::default();
    let mut i = 0;
    let mut capacity: Option<String> = None;
    let mut title: Option<String> = None;
    while i < lines.len() {
        let t = lines[i].text;
        if is_recipients(t) {
            let rest = t.split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
            if !rest.is_empty() {
                tail.recipients
                    .push(rest.trim_start_matches(['-', '+']).trim().to_string());
            }
            i += 1;
            while i < lines.len() {
                let r = lines[i].text;
                if r.starts_with('-')
                    || r.starts_with('+')
                    || r.starts_with('•')
                    || r.starts_with("Như ")
                {
                    tail.recipients
                        .push(r.trim_start_matches(['-', '+', '•']).trim().to_string());
                    i += 1;
                } else {
                    break;
                }
            }
            continue;
        }
        if is_capacity(t) {
            let (cap, rest) = match t.find(['.', '/']) {
                Some(p) if p <= 3 => {
                    let end = if t[p..].starts_with("./") {
                        p + 2
                    } else {
                        p + 1
                    };
                    (t[..end].trim().to_string(), t[end..].trim())
                }
                _ => (
                    t.split(' ').next().unwrap_or("").to_string(),
                    t.split_once(' ').map(|x| x.1).unwrap_or(""),
                ),
            };
            capacity = Some(cap);
            if let Some(tt) = title_of(rest) {
                title = Some(tt);
            } else if let Some(tt) = title_at_end(rest) {
                // "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH": two lines of a block joined in conversion.
                title = Some(tt);
            }
            i += 1;
            continue;
        }
        if let Some(tt) = title_of(t) {
            if is_upper_line(t) {
                title = Some(tt);
                i += 1;
                continue;
            }
        }
        if is_name(t) && (capacity.is_some() || title.is_some()) {
            tail.signer = Some(Signer {
                name: t.to_string(),
                capacity: capacity.take(),
                title: title.take(),
                line: diags.line_of(lines[i].offset),
            });
            i += 1;
            continue;
        }
        i += 1;
    }
    tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_name("Nguyễn Thị Cát Tiên"));
        assert!(is_name("Tống Thanh Hải"));
        assert!(!is_name("Nơi nhận:"));
        assert!(!is_name("Như Điều 3;"));
        assert!(!is_name("CHỦ TỊCH"));
        assert!(!is_name("Xuân Lộc, ngày 15"));
    }

    #[test]
    fn titles() {
        assert_eq!(title_of("CHỦ TỊCH").as_deref(), Some("Chủ tịch"));
        assert_eq!(title_of("PHÓ CHỦ TỊCH").as_deref(), Some("Phó Chủ tịch"));
        assert!(title_of("QUY ĐỊNH").is_none());
    }
}
