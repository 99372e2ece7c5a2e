//! The vocabulary of generated documents: place names, people, departments, topics and the
//! phrases provisions are built from. Lists are long enough that two provisions drawn at
//! random share few three-syllable shingles, so that only planted copies look alike.

/// First syllables of place names (`Tân`, `Phú`…).
pub const PLACE_A: &[&str] = &[
    "Tân", "Phú", "An", "Bình", "Hòa", "Long", "Mỹ", "Đông", "Tây", "Vĩnh", "Phước", "Hưng",
    "Thuận", "Quang", "Minh", "Xuân", "Trung", "Thạnh", "Hiệp", "Lạc",
];

/// Second syllables of place names (`Phong`, `Thạnh`…).
pub const PLACE_B: &[&str] = &[
    "Phong",
    "Lợi",
    "Hải",
    "Sơn",
    "Điền",
    "Khánh",
    "Thành",
    "Lộc",
    "Nghĩa",
    "Đức",
    "Hòa",
    "Tiến",
    "Trường",
    "Yên",
    "Kim",
    "Định",
    "Quý",
    "Lâm",
    "Cường",
    "Bảo",
];

/// Kinds of named places inside a district.
pub const PLACE_KINDS: &[&str] = &[
    "thôn",
    "ấp",
    "khu phố",
    "tổ dân phố",
    "chợ",
    "bến đò",
    "cụm công nghiệp",
    "khu dân cư",
    "tuyến đường",
    "xã",
];

pub const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
pub const MIDDLE: &[&str] = &[
    "Văn",
    "Thị",
    "Minh",
    "Quốc",
    "Thanh",
    "Hữu",
    "Đức",
    "Ngọc",
    "Thị Mỹ",
    "Công",
];
pub const GIVEN: &[&str] = &[
    "An", "Bảo", "Cường", "Dũng", "Hạnh", "Hùng", "Khoa", "Lan", "Long", "Mai", "Nam", "Phúc",
    "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Việt", "Yến",
];

/// Departments of a district People's Committee: (name, abbreviation used in `TTr-…`).
pub const DEPARTMENTS: &[(&str, &str)] = &[
    ("Phòng Kinh tế và Hạ tầng", "KTHT"),
    ("Phòng Tài chính - Kế hoạch", "TCKH"),
    ("Phòng Tài nguyên và Môi trường", "TNMT"),
    ("Phòng Tư pháp", "PTP"),
    ("Phòng Nội vụ", "PNV"),
    ("Phòng Văn hóa và Thông tin", "VHTT"),
    ("Phòng Lao động - Thương binh và Xã hội", "LĐTBXH"),
    ("Phòng Nông nghiệp và Phát triển nông thôn", "NNPTNT"),
    ("Phòng Giáo dục và Đào tạo", "GDĐT"),
    ("Phòng Y tế", "PYT"),
];

/// Matters a regulation governs (the rest of "Quy định …").
pub const TOPICS: &[&str] = &[
    "quản lý, khai thác và phát triển chợ",
    "quản lý trật tự xây dựng",
    "giữ gìn vệ sinh môi trường nơi công cộng",
    "quản lý, sử dụng tạm thời một phần vỉa hè",
    "quản lý hoạt động kinh doanh dịch vụ karaoke",
    "quản lý nghĩa trang nhân dân",
    "quản lý hoạt động khai thác cát, sỏi lòng sông",
    "quản lý điểm trông giữ phương tiện giao thông",
    "hỗ trợ phát triển sản xuất nông nghiệp hàng hóa",
    "quản lý, vận hành công trình cấp nước sinh hoạt nông thôn",
    "phòng, chống dịch bệnh trên gia súc, gia cầm",
    "quản lý biển quảng cáo ngoài trời",
    "tổ chức lễ hội truyền thống",
    "quản lý bến thủy nội địa",
    "thu gom, vận chuyển chất thải rắn sinh hoạt",
    "quản lý cây xanh đô thị",
    "bảo vệ hành lang an toàn kênh mương thủy lợi",
    "quản lý hoạt động của tổ hòa giải ở cơ sở",
    "tiếp nhận và giải quyết phản ánh, kiến nghị của người dân",
    "quản lý nhà văn hóa thôn, khu phố",
    "quản lý hoạt động vận tải hành khách bằng xe ba bánh",
    "hỗ trợ hộ nghèo cải thiện nhà ở",
    "phòng cháy, chữa cháy tại khu dân cư",
    "quản lý hoạt động giết mổ gia súc, gia cầm",
];

/// Subjects of a provision's sentence.
pub const SUBJECTS: &[&str] = &[
    "Tổ chức, cá nhân kinh doanh",
    "Hộ gia đình sản xuất nông nghiệp",
    "Chủ đầu tư công trình",
    "Ban quản lý chợ",
    "Công chức địa chính - xây dựng cấp xã",
    "Trưởng thôn, tổ trưởng tổ dân phố",
    "Hợp tác xã dịch vụ nông nghiệp",
    "Người sử dụng đất",
    "Đơn vị cung ứng dịch vụ công ích",
    "Chủ phương tiện thủy nội địa",
    "Ban công tác Mặt trận khu dân cư",
    "Cơ sở giết mổ tập trung",
    "Đoàn kiểm tra liên ngành",
    "Tổ tự quản bảo vệ môi trường",
    "Người đứng đầu cơ sở giáo dục",
    "Chủ hộ kinh doanh cá thể",
    "Ban chỉ đạo lễ hội",
    "Đội quản lý trật tự đô thị",
    "Trạm khuyến nông",
    "Bộ phận Một cửa cấp xã",
    "Hội Nông dân cấp xã",
    "Doanh nghiệp vận tải",
    "Người được giao quản lý nhà văn hóa",
    "Chi hội phụ nữ",
];

pub const VERBS: &[&str] = &[
    "có trách nhiệm niêm yết công khai",
    "phải đăng ký trước với Ủy ban nhân dân cấp xã về",
    "được ưu tiên bố trí",
    "thực hiện kiểm tra định kỳ",
    "lập hồ sơ đề nghị phê duyệt",
    "tổ chức tuyên truyền, vận động về",
    "chủ động phối hợp bảo quản",
    "không được tự ý thay đổi",
    "báo cáo bằng văn bản về",
    "thường xuyên cập nhật, theo dõi",
    "bố trí lực lượng bảo vệ",
    "xây dựng phương án khắc phục",
    "chịu sự giám sát của cộng đồng đối với",
    "được hướng dẫn thủ tục về",
    "tự kê khai và nộp hồ sơ về",
    "phải khôi phục nguyên trạng",
    "tham gia đóng góp ý kiến về",
    "đề xuất điều chỉnh",
    "lưu trữ đầy đủ chứng từ về",
    "phối hợp xác minh",
];

pub const OBJECTS: &[&str] = &[
    "danh mục hàng hóa kinh doanh",
    "phương án phòng cháy, chữa cháy",
    "sổ theo dõi nhập, xuất vật tư",
    "hiện trạng mặt bằng sử dụng",
    "kế hoạch tiêm phòng vắc xin",
    "quy trình vận hành trạm bơm",
    "bảng giá dịch vụ trông giữ xe",
    "vị trí đặt biển hiệu, bảng quảng cáo",
    "nguồn gốc xuất xứ sản phẩm",
    "hồ sơ thiết kế bản vẽ thi công",
    "diện tích đất sản xuất bị ảnh hưởng",
    "tuyến thu gom rác thải",
    "khu vực neo đậu phương tiện",
    "danh sách hộ đủ điều kiện thụ hưởng",
    "mốc chỉ giới hành lang bảo vệ",
    "nội quy sinh hoạt cộng đồng",
    "lịch trình hoạt động lễ hội",
    "biên bản bàn giao tài sản",
    "số liệu thống kê diện tích gieo trồng",
    "điểm tập kết vật liệu xây dựng",
    "trang thiết bị y tế tối thiểu",
    "hợp đồng thuê điểm kinh doanh",
    "mẫu phiếu khảo sát sự hài lòng",
    "sơ đồ thoát hiểm",
];

pub const TAILS: &[&str] = &[
    "theo hướng dẫn của cơ quan chuyên môn",
    "trước ngày mười lăm hằng tháng",
    "bảo đảm an toàn, vệ sinh và mỹ quan",
    "khi có yêu cầu của cơ quan có thẩm quyền",
    "trong suốt thời gian hoạt động",
    "gắn với trách nhiệm người đứng đầu",
    "phù hợp với quy hoạch được phê duyệt",
    "bằng hình thức trực tiếp hoặc trực tuyến",
    "theo đúng phân cấp quản lý",
    "tránh gây ách tắc giao thông",
    "không làm ảnh hưởng đến sinh hoạt của người dân xung quanh",
    "dưới sự chỉ đạo thống nhất của Ủy ban nhân dân huyện",
    "có xác nhận của trưởng thôn",
    "kèm theo bản sao giấy tờ chứng minh",
    "vào cuối mỗi quý",
    "đúng mục đích và tiết kiệm",
];

/// Article headings of substantive provisions (completed with an object or a place).
pub const HEADINGS: &[&str] = &[
    "Trách nhiệm của",
    "Quản lý",
    "Điều kiện đối với",
    "Hồ sơ và trình tự liên quan đến",
    "Kiểm tra, giám sát",
    "Hỗ trợ đối với",
    "Những hành vi bị nghiêm cấm tại",
    "Bảo đảm an toàn tại",
    "Công khai thông tin về",
    "Chế độ báo cáo về",
];

/// What a quantity clause sets: (words before the value, unit of the value, values to pick).
pub const QUANTITY_FORMS: &[(&str, &str, &[u32])] = &[
    (
        "thời hạn giải quyết",
        "ngày làm việc",
        &[3, 5, 7, 10, 12, 15],
    ),
    (
        "mức hỗ trợ một lần",
        "000 đồng/hộ",
        &[500, 800, 1000, 1500, 2000, 3000],
    ),
    (
        "mức thu giá dịch vụ",
        "000 đồng/tháng",
        &[20, 30, 50, 80, 100, 150],
    ),
    (
        "khoảng cách tối thiểu đến khu dân cư",
        "m",
        &[5, 10, 15, 20, 30, 50],
    ),
];

/// Programme subjects (administrative decisions "Ban hành Chương trình …").
pub const PROGRAMMES: &[&str] = &[
    "cải cách hành chính",
    "phổ biến, giáo dục pháp luật",
    "phát triển du lịch cộng đồng",
    "xây dựng nông thôn mới nâng cao",
    "chuyển đổi số",
    "giảm nghèo bền vững",
    "phát triển kinh tế tập thể",
    "thực hành tiết kiệm, chống lãng phí",
];

/// Actions that name a procedure (`Thủ tục {action} {object} tại {place}`).
pub const ACTIONS: &[&str] = &[
    "cấp phép",
    "đăng ký",
    "xác nhận",
    "thẩm định",
    "gia hạn",
    "điều chỉnh",
    "thu hồi",
    "công nhận",
    "phê duyệt",
    "cho thuê",
    "cấp đổi",
    "chấp thuận",
];
