//! Tests on the real documents in `../shared` (skipped, with a note, where they are absent).

use std::path::PathBuf;

use unicode_normalization::is_nfc;

use super::{normalize_document, Normalized};

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/")).join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} is absent, test skipped", p.display());
        None
    }
}

fn read(rel: &str) -> Option<String> {
    shared(rel).map(|p| std::fs::read_to_string(p).expect("readable UTF-8"))
}

fn files(dir: &str) -> Vec<(String, String)> {
    let Some(d) = shared(dir) else {
        return Vec::new();
    };
    let mut v: Vec<_> = std::fs::read_dir(d)
        .expect("listable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("readable UTF-8"))
        })
        .collect();
    v.sort();
    v
}

fn lines(n: &Normalized) -> Vec<&str> {
    n.text.split('\n').collect()
}

fn assert_has(n: &Normalized, want: &[&str]) {
    let ls = lines(n);
    for w in want {
        assert!(
            ls.contains(w),
            "missing line {w:?} in:\n{}",
            &n.text[..n.text.len().min(3000)]
        );
    }
}

fn check_invariants(name: &str, src: &str, n: &Normalized) {
    assert!(is_nfc(&n.text), "{name}: not NFC");
    if n.text.is_empty() {
        // A page without the document's text (the library shows only a download link).
        return;
    }
    let source_lines = src.split('\n').count();
    let mut off = 0;
    for line in n.text.split('\n') {
        assert!(
            !line.is_empty() && line.trim() == line && !line.contains("  "),
            "{name}: {line:?}"
        );
        let (l, c) = n.line_col(off);
        assert!(
            l >= 1 && l <= source_lines && c >= 1,
            "{name}: {line:?} at {l}:{c}"
        );
        // The first character of a line that was copied comes from that source line.
        let so = n.source_offset(off);
        assert!(so <= src.len(), "{name}");
        off += line.len() + 1;
    }
    let again = normalize_document(&n.text);
    if again.text != n.text {
        let (a, b): (Vec<_>, Vec<_>) = (lines(n), again.text.split('\n').collect());
        let k = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        panic!(
            "{name}: not idempotent at line {k}: {:?} vs {:?}",
            a.get(k),
            b.get(k)
        );
    }
}

#[test]
fn seed_header_and_body() {
    let Some(src) = read("seeds/xuan-loc-cchc-2021-2030.txt") else {
        return;
    };
    let n = normalize_document(&src);
    assert_has(
        &n,
        &[
            "ỦY BAN NHÂN DÂN",
            "HUYỆN XUÂN LỘC",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 13969 /QĐ-UBND",
            "Xuân Lộc, ngày 15 tháng 12 năm 2021",
            "QUYẾT ĐỊNH",
            "Ban hành Chương trình cải cách hành chính huyện Xuân Lộc, giai đoạn 2021 - 2030",
            "QUYẾT ĐỊNH:",
            "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.",
            "I. QUAN ĐIỂM",
            "* Mục tiêu cụ thể:",
            "+ Tăng cường vai trò của người dân, doanh nghiệp, các tổ chức chính trị - xã hội, xã hội - nghề nghiệp và cộng đồng trong phản biện và giám sát thi hành pháp luật.",
        ],
    );
    assert!(!n.text.contains("Signature"));
    assert!(n.library_metadata.is_empty());
    check_invariants("seed", &src, &n);
    // A diagnostic on "Điều 1." points at line 29, column 1 of the seed.
    let k = n.text.find("Điều 1.").unwrap();
    assert_eq!(n.line_col(k), (29, 1));
}

#[test]
fn tvpl_page_header_metadata_and_tail() {
    let Some(src) = read("corpus-real/tvpl-2025/518fe8ba9a6bd9dc.md") else {
        return;
    };
    let n = normalize_document(&src);
    assert_has(
        &n,
        &[
            "ỦY BAN NHÂN DÂN",
            "TỈNH LAI CHÂU",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 89/2025/QĐ-UBND",
            "Lai Châu, ngày 28 tháng 11 năm 2025",
            "QUYẾT ĐỊNH",
            "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15 được sửa đổi, bổ sung bởi Luật số 87/2025/QH15;",
            "Ủy ban nhân dân tỉnh Lai Châu ban hành Quyết định phân cấp tuyển dụng viên chức, tiếp nhận vào viên chức, thăng hạng chức danh nghề nghiệp viên chức trong các đơn vị sự nghiệp công lập thuộc Ủy ban nhân dân cấp xã trên địa bàn tỉnh Lai Châu.",
            "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng",
            "1. Phạm vi điều chỉnh",
            "Điều 5. Điều khoản thi hành",
            "Nơi nhận:",
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Tống Thanh Hải",
        ],
    );
    assert_eq!(lines(&n).first(), Some(&"ỦY BAN NHÂN DÂN"));
    assert_eq!(lines(&n).last(), Some(&"Tống Thanh Hải"));
    for chrome in [
        "THƯ VIỆN PHÁP LUẬT",
        "Đang tải",
        "Số hiệu",
        "Văn bản liên quan",
        "Click vào",
    ] {
        assert!(!n.text.contains(chrome), "{chrome}");
    }
    assert!(n
        .library_metadata
        .contains(&("Số hiệu".to_owned(), "89/2025/QĐ-UBND".to_owned())));
    assert!(n
        .library_metadata
        .contains(&("Tình trạng".to_owned(), "Đã biết".to_owned())));
    assert_eq!(n.library_metadata.len(), 9);
    check_invariants("518fe8ba", &src, &n);
}

#[test]
fn tvpl_page_with_summary_and_translation() {
    let Some(src) = read("corpus-real/tvpl-2025/514184bd8913458c.md") else {
        return;
    };
    let n = normalize_document(&src);
    assert_has(
        &n,
        &[
            "BỘ TÀI CHÍNH",
            "Số: 112/2025/TT-BTC",
            "THÔNG TƯ",
            "Nguyễn Thị Bích Ngọc",
        ],
    );
    assert_eq!(lines(&n).first(), Some(&"BỘ TÀI CHÍNH"));
    assert_eq!(lines(&n).last(), Some(&"Nguyễn Thị Bích Ngọc"));
    assert!(!n.text.contains("MINISTRY"));
    assert!(!n.text.contains("Quy định mới về lập dự toán"));
    check_invariants("514184bd", &src, &n);
}

#[test]
fn nq_resolution_header_table() {
    let Some(src) = read("corpus-real/nq-ubtvqh15/1654_NQ-UBTVQH15.md") else {
        return;
    };
    let n = normalize_document(&src);
    assert_has(
        &n,
        &[
            "ỦY BAN THƯỜNG VỤ QUỐC HỘI",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 1654/NQ-UBTVQH15",
            "Hà Nội, ngày 16 tháng 6 năm 2025",
            "NGHỊ QUYẾT",
            "QUYẾT NGHỊ:",
            "Điều 1. Sắp xếp các đơn vị hành chính cấp xã của tỉnh An Giang",
            "1. Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của thị trấn An Phú, xã Vĩnh Hội Đông, một phần diện tích tự nhiên, quy mô dân số của xã Phú Hội và xã Phước Hưng thành xã mới có tên gọi là xã An Phú.",
            "Điều 2. Hiệu lực thi hành",
            "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI",
            "CHỦ TỊCH",
            "Trần Thanh Mẫn",
            "- Ủy ban TW Mặt trận Tổ quốc Việt Nam;",
        ],
    );
    assert_eq!(lines(&n)[0], "ỦY BAN THƯỜNG VỤ QUỐC HỘI");
    check_invariants("1654", &src, &n);
}

#[test]
fn every_real_file_keeps_the_invariants() {
    let mut count = 0;
    for dir in [
        "corpus-real/tvpl-2025",
        "corpus-real/nq-ubtvqh15",
        "corpus-real/phapdien",
    ] {
        for (name, src) in files(dir) {
            let n = normalize_document(&src);
            check_invariants(&name, &src, &n);
            count += 1;
        }
    }
    eprintln!("checked {count} files");
}

#[test]
fn every_nq_file_has_its_header() {
    for (name, src) in files("corpus-real/nq-ubtvqh15") {
        let n = normalize_document(&src);
        let ls = lines(&n);
        assert_eq!(ls[0], "ỦY BAN THƯỜNG VỤ QUỐC HỘI", "{name}");
        assert!(
            ls.iter()
                .any(|l| l.starts_with("Số: ") && l.contains("/NQ-UBTVQH15")),
            "{name}"
        );
        assert!(ls.iter().any(|l| l.starts_with("Hà Nội, ngày ")), "{name}");
    }
}

#[test]
fn every_tvpl_file_loses_its_chrome() {
    for (name, src) in files("corpus-real/tvpl-2025") {
        let n = normalize_document(&src);
        for chrome in [
            "Đang tải văn bản",
            "Bản dịch này thuộc quyền",
            "Click vào phần bôi vàng",
            "Văn bản này chưa cập nhật",
        ] {
            assert!(!n.text.contains(chrome), "{name}: {chrome}");
        }
        assert!(
            n.library_metadata.len() >= 7,
            "{name}: {:?}",
            n.library_metadata
        );
    }
}
