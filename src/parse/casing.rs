//! Upper-case header lines turned into the normal case the contract prints
//! (`ỦY BAN NHÂN DÂN HUYỆN XUÂN LỘC` → `Ủy ban nhân dân huyện Xuân Lộc`).

/// True when the line has letters and all of them are upper case.
pub fn is_upper_line(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        if c.is_alphabetic() {
            if c.is_lowercase() {
                return false;
            }
            letters += 1;
        }
    }
    letters > 0
}

/// The document types as printed on the title line, upper case, with their normal case.
pub const DOC_TYPES: &[(&str, &str)] = &[
    ("HIẾN PHÁP", "Hiến pháp"),
    ("QUYẾT ĐỊNH", "Quyết định"),
    ("NGHỊ QUYẾT", "Nghị quyết"),
    ("NGHỊ ĐỊNH", "Nghị định"),
    ("THÔNG TƯ LIÊN TỊCH", "Thông tư liên tịch"),
    ("THÔNG TƯ", "Thông tư"),
    ("CHỈ THỊ", "Chỉ thị"),
    ("KẾ HOẠCH", "Kế hoạch"),
    ("CHƯƠNG TRÌNH", "Chương trình"),
    ("BỘ LUẬT", "Bộ luật"),
    ("LUẬT", "Luật"),
    ("PHÁP LỆNH", "Pháp lệnh"),
    ("LỆNH", "Lệnh"),
    ("THÔNG BÁO", "Thông báo"),
    ("CÔNG ĐIỆN", "Công điện"),
    ("HƯỚNG DẪN", "Hướng dẫn"),
    ("BÁO CÁO", "Báo cáo"),
    ("ĐỀ ÁN", "Đề án"),
    ("QUY ĐỊNH", "Quy định"),
    ("QUY CHẾ", "Quy chế"),
    ("KẾT LUẬN", "Kết luận"),
    ("TỜ TRÌNH", "Tờ trình"),
    ("VĂN BẢN HỢP NHẤT", "Văn bản hợp nhất"),
    ("PHỤ LỤC", "Phụ lục"),
    ("DANH MỤC", "Danh mục"),
    ("ĐIỀU LỆ", "Điều lệ"),
];

/// The document type named by a whole title line (`QUYẾT ĐỊNH`, `Quyết định`), if it is one.
pub fn doc_type_of_line(line: &str) -> Option<&'static str> {
    let up = line
        .trim()
        .trim_end_matches([':', '.'])
        .trim()
        .to_uppercase();
    DOC_TYPES
        .iter()
        .find(|(caps, _)| *caps == up)
        .map(|(_, name)| *name)
}

/// Words after which every word of a place name is capitalised.
const LOCALITY_WORDS: &[&str] = &[
    "huyện",
    "tỉnh",
    "xã",
    "phường",
    "quận",
    "thị trấn",
    "thị xã",
    "thành phố",
    "đặc khu",
];

/// Fixed phrases with their official capitals.
const PROPER: &[(&str, &str)] = &[
    ("ủy ban thường vụ quốc hội", "Ủy ban Thường vụ Quốc hội"),
    ("ban chấp hành trung ương", "Ban Chấp hành Trung ương"),
    (
        "văn phòng ban chấp hành trung ương",
        "Văn phòng Ban Chấp hành Trung ương",
    ),
    ("thủ tướng chính phủ", "Thủ tướng Chính phủ"),
    ("văn phòng chính phủ", "Văn phòng Chính phủ"),
    ("chính phủ", "Chính phủ"),
    ("quốc hội", "Quốc hội"),
    ("việt nam", "Việt Nam"),
    ("trung ương", "Trung ương"),
    ("hồ chí minh", "Hồ Chí Minh"),
];

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Normal case for a body's name printed in capitals.
pub fn issuer_case(caps: &str) -> String {
    let lower = caps
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if let Some((_, proper)) = PROPER.iter().find(|(l, _)| *l == lower) {
        return proper.to_string();
    }
    let words: Vec<&str> = lower.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut in_place = false;
    let mut cap_next = false;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let two = if i + 1 < words.len() {
            format!("{} {}", w, words[i + 1])
        } else {
            String::new()
        };
        if !in_place && LOCALITY_WORDS.contains(&two.as_str()) && (i > 0) {
            out.push(w.to_string());
            out.push(words[i + 1].to_string());
            in_place = true;
            i += 2;
            continue;
        }
        if !in_place && LOCALITY_WORDS.contains(&w) && i > 0 {
            out.push(w.to_string());
            in_place = true;
            i += 1;
            continue;
        }
        let word = if i == 0 || in_place || cap_next {
            capitalise(w)
        } else {
            w.to_string()
        };
        cap_next = i == 0
            && matches!(
                w,
                "bộ" | "sở" | "cục" | "tổng" | "ban" | "phòng" | "viện" | "tòa"
            );
        if w.ends_with(',') || w == "và" {
            cap_next = matches!(out.first().map(|s| s.as_str()), Some("Bộ" | "Sở"));
        }
        out.push(word);
        i += 1;
    }
    let mut s = out.join(" ");
    for (l, proper) in PROPER {
        if let Some(pos) = s.to_lowercase().find(l) {
            if s.is_char_boundary(pos) && s.is_char_boundary(pos + l.len()) {
                s.replace_range(pos..pos + l.len(), proper);
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers() {
        assert_eq!(
            issuer_case("ỦY BAN NHÂN DÂN HUYỆN XUÂN LỘC"),
            "Ủy ban nhân dân huyện Xuân Lộc"
        );
        assert_eq!(
            issuer_case("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"),
            "Ủy ban nhân dân thành phố Hồ Chí Minh"
        );
        assert_eq!(issuer_case("THỦ TƯỚNG CHÍNH PHỦ"), "Thủ tướng Chính phủ");
        assert_eq!(issuer_case("BỘ TÀI CHÍNH"), "Bộ Tài chính");
        assert_eq!(
            issuer_case("BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
            "Bộ Khoa học và Công nghệ"
        );
        assert_eq!(issuer_case("CỤC THUẾ"), "Cục Thuế");
        assert_eq!(
            issuer_case("HỘI ĐỒNG NHÂN DÂN TỈNH HÀ LÂM"),
            "Hội đồng nhân dân tỉnh Hà Lâm"
        );
    }

    #[test]
    fn types() {
        assert_eq!(doc_type_of_line("QUYẾT ĐỊNH"), Some("Quyết định"));
        assert_eq!(doc_type_of_line("Quyết định"), Some("Quyết định"));
        assert_eq!(doc_type_of_line("QUYẾT ĐỊNH:"), Some("Quyết định"));
        assert_eq!(doc_type_of_line("QUYẾT ĐỊNH VỀ"), None);
        assert!(is_upper_line("HUYỆN XUÂN LỘC"));
        assert!(!is_upper_line("Huyện Xuân Lộc"));
    }
}
