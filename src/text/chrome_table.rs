//! The page chrome of the legal library whose pages are scraped (tvpl): fixed strings.
//!
//! They are compared with whole lines after markup removal and inline normalisation, and only
//! in the places where the library puts them (the head of the page, the metadata table, the
//! tail), so that a document line that happens to read "hủy bỏ" is never dropped.

/// The line that ends the head of the page, just before the metadata table.
pub(crate) const LOADING: &str = "Đang tải văn bản...";

/// Lines of the head of the page (banner, "amended contents" legend).
pub(crate) const HEAD_LINES: &[&str] = &[
    "Bản dịch này thuộc quyền sở hữu của",
    "X",
    "CÁC NỘI DUNG ĐƯỢC SỬA ĐỔI, HƯỚNG DẪN",
    "Các nội dung của VB này được VB khác thay đổi, hướng dẫn sẽ được làm nổi bật bằng",
    "các màu sắc:",
    ": Sửa đổi, thay thế,",
    "hủy bỏ",
    "Click vào phần bôi vàng để xem chi tiết.",
    LOADING,
];

/// The copyright banner's lines start with the library's name.
pub(crate) const BANNER_PREFIX: &str = "THƯ VIỆN PHÁP LUẬT";

/// Words that only the banner lines contain after the library's name.
pub(crate) const BANNER_WORDS: &[&str] = &[
    "sao chép",
    "Sở hữu trí tuệ",
    "copyright",
    "Intellectual Property",
];

/// Keys of the library's metadata table, without their colon.
pub(crate) const METADATA_KEYS: &[&str] = &[
    "Số hiệu",
    "Loại văn bản",
    "Nơi ban hành",
    "Người ký",
    "Ngày ban hành",
    "Ngày hiệu lực",
    "Ngày hợp nhất",
    "Ngày công báo",
    "Số công báo",
    "Tình trạng",
];

/// The last key of the table; its value is one line, after which the document starts.
pub(crate) const LAST_KEY: &str = "Tình trạng";

/// Lines that start the tail of the page (related documents, English version notice).
pub(crate) const TAIL_LINES: &[&str] = &["Văn bản này chưa cập nhật nội dung Tiếng Anh"];

/// Headings that start the tail of the page.
pub(crate) const TAIL_HEADINGS: &[&str] = &["Văn bản liên quan"];
