//! Fixed header phrases that a line wrap may split.
//!
//! Converted pages wrap the header block anywhere: "CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM",
//! "ỦY BAN NHÂN\nDÂN", "ỦY BAN THƯỜNG VỤ\nQUỐC HỘI". Two upper-case lines are otherwise kept
//! apart (the issuer's body and its locality are separate header lines: "ỦY BAN NHÂN DÂN" /
//! "HUYỆN XUÂN LỘC"), so the reflow only joins them when the break falls *inside* one of these
//! phrases. Spellings use the classic tone placement, as the text has been normalised by then.

/// Upper-case phrases of issuers, titles of signatories and the national motto.
pub(crate) const HEADER_PHRASES: &[&str] = &[
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "ỦY BAN THƯỜNG VỤ QUỐC HỘI",
    "ỦY BAN NHÂN DÂN",
    "HỘI ĐỒNG NHÂN DÂN",
    "THỦ TƯỚNG CHÍNH PHỦ",
    "VĂN PHÒNG CHÍNH PHỦ",
    "BỘ CHÍNH TRỊ",
    "BAN CHẤP HÀNH TRUNG ƯƠNG",
    "BAN BÍ THƯ",
    "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM",
    "KIỂM TOÁN NHÀ NƯỚC",
    "TÒA ÁN NHÂN DÂN TỐI CAO",
    "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO",
    "BỘ TÀI CHÍNH",
    "BỘ TƯ PHÁP",
    "BỘ NỘI VỤ",
    "BỘ Y TẾ",
    "BỘ CÔNG THƯƠNG",
    "BỘ CÔNG AN",
    "BỘ QUỐC PHÒNG",
    "BỘ NGOẠI GIAO",
    "BỘ XÂY DỰNG",
    "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
    "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
    "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "BỘ DÂN TỘC VÀ TÔN GIÁO",
    "PHÓ CHỦ TỊCH",
    "CHỦ TỊCH",
    "PHÓ THỦ TƯỚNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "PHÓ CỤC TRƯỞNG",
    "CỤC TRƯỞNG",
    "PHÓ GIÁM ĐỐC",
    "GIÁM ĐỐC",
    "CHÁNH VĂN PHÒNG",
    "PHÓ TRƯỞNG BAN",
    "TRƯỞNG BAN",
    "TỔNG CỤC TRƯỞNG",
    "THỐNG ĐỐC",
];

/// Every word of [`HEADER_PHRASES`], for a quick first test.
const HEADER_WORDS: &[&str] = &[
    "CỘNG",
    "HÒA",
    "XÃ",
    "HỘI",
    "CHỦ",
    "NGHĨA",
    "VIỆT",
    "NAM",
    "ỦY",
    "BAN",
    "THƯỜNG",
    "VỤ",
    "QUỐC",
    "NHÂN",
    "DÂN",
    "ĐỒNG",
    "THỦ",
    "TƯỚNG",
    "CHÍNH",
    "PHỦ",
    "VĂN",
    "PHÒNG",
    "BỘ",
    "TRỊ",
    "CHẤP",
    "HÀNH",
    "TRUNG",
    "ƯƠNG",
    "BÍ",
    "THƯ",
    "NGÂN",
    "HÀNG",
    "NHÀ",
    "NƯỚC",
    "KIỂM",
    "TOÁN",
    "TÒA",
    "ÁN",
    "TỐI",
    "CAO",
    "VIỆN",
    "SÁT",
    "TÀI",
    "TƯ",
    "PHÁP",
    "NỘI",
    "Y",
    "TẾ",
    "CÔNG",
    "THƯƠNG",
    "AN",
    "PHÒNG",
    "NGOẠI",
    "GIAO",
    "XÂY",
    "DỰNG",
    "GIÁO",
    "DỤC",
    "VÀ",
    "ĐÀO",
    "TẠO",
    "KHOA",
    "HỌC",
    "NGHỆ",
    "NÔNG",
    "NGHIỆP",
    "MÔI",
    "TRƯỜNG",
    "HÓA,",
    "THỂ",
    "THAO",
    "DU",
    "LỊCH",
    "TỘC",
    "TÔN",
    "PHÓ",
    "TỊCH",
    "TRƯỞNG",
    "THỨ",
    "CỤC",
    "GIÁM",
    "ĐỐC",
    "CHÁNH",
    "TỔNG",
    "THỐNG",
];

/// Whether the line break between `prev` and `next` falls inside a header phrase.
///
/// Words are compared exactly. The part before the break must be the end of `prev` (or all of
/// `prev` when the phrase started on an earlier line), and the part after it the start of
/// `next` (or all of `next` when the phrase goes on to a later line).
pub(crate) fn splits_header_phrase(prev: &str, next: &str) -> bool {
    const N: usize = 8;
    // Most upper-case pairs are not about these phrases at all: check the two words that meet
    // at the break first.
    let last = prev.rsplit(' ').next().unwrap_or("");
    let first = next.split(' ').next().unwrap_or("");
    if !HEADER_WORDS.contains(&last) || !HEADER_WORDS.contains(&first) {
        return false;
    }
    // The last words of `prev` (in order) and the first words of `next`, without allocating.
    let mut pw = [""; N];
    let mut np = 0;
    for w in prev.rsplit(' ').filter(|w| !w.is_empty()).take(N) {
        pw[N - 1 - np] = w;
        np += 1;
    }
    let pw = &pw[N - np..];
    let mut nw = [""; N];
    let mut nn = 0;
    for w in next.split(' ').filter(|w| !w.is_empty()).take(N) {
        nw[nn] = w;
        nn += 1;
    }
    let nw = &nw[..nn];
    // `prev` as a whole may only be matched when it was not cut to N words.
    let prev_all = prev.split(' ').filter(|w| !w.is_empty()).count() == np;
    let next_all = next.split(' ').filter(|w| !w.is_empty()).count() == nn;
    if pw.is_empty() || nw.is_empty() {
        return false;
    }
    HEADER_PHRASES.iter().any(|phrase| {
        let mut words = [""; N];
        let mut len = 0;
        for w in phrase.split(' ').take(N) {
            words[len] = w;
            len += 1;
        }
        let words = &words[..len];
        (1..len).any(|k| {
            let (head, tail) = words.split_at(k);
            let head_ok = pw.ends_with(head) || (prev_all && head.ends_with(pw));
            let tail_ok = nw.starts_with(tail) || (next_all && tail.starts_with(nw));
            head_ok && tail_ok
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_inside_phrases() {
        assert!(splits_header_phrase(
            "CỘNG HÒA XÃ",
            "HỘI CHỦ NGHĨA VIỆT NAM"
        ));
        assert!(splits_header_phrase(
            "CỘNG HÒA XÃ HỘI",
            "CHỦ NGHĨA VIỆT NAM"
        ));
        assert!(splits_header_phrase("ỦY BAN NHÂN", "DÂN"));
        assert!(splits_header_phrase("TM. ỦY BAN THƯỜNG VỤ", "QUỐC HỘI"));
        assert!(splits_header_phrase("T/M BỘ CHÍNH", "TRỊ"));
        assert!(splits_header_phrase("CHỦ", "TỊCH"));
    }

    #[test]
    fn word_list_covers_the_phrases() {
        for p in HEADER_PHRASES {
            for w in p.split(' ') {
                assert!(HEADER_WORDS.contains(&w), "{w}");
            }
        }
    }

    #[test]
    fn breaks_between_phrases() {
        assert!(!splits_header_phrase("ỦY BAN NHÂN DÂN", "HUYỆN XUÂN LỘC"));
        assert!(!splits_header_phrase("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"));
        assert!(!splits_header_phrase("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"));
        assert!(!splits_header_phrase(
            "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI",
            "CHỦ TỊCH"
        ));
        assert!(!splits_header_phrase("QUYẾT ĐỊNH", "VỀ VIỆC"));
    }
}
