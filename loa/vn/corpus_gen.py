"""Generate the templated part of the training corpus: ``python -m loa.vn.corpus_gen``.

The hand-written documents in ``data/corpus/`` give the model real sentences; this
script adds breadth: the same administrative phrases across many units, people,
places, dates and numbers, the way ward documents repeat them. Deterministic.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).parent / "data" / "corpus"

FAMILY = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào "
    "Cao Mai Trịnh Lương Hà Tạ Chu Lại Phùng Quách Tô Kiều Vương Triệu Đoàn Lâm Thái "
    "Tăng Nghiêm Khúc Trương Lưu Đàm Giang Mạc Từ Khổng Thân Doãn Ông Bạch Nông Tống"
).split()
MIDDLE_M = "Văn Đức Minh Quang Hữu Xuân Công Mạnh Tuấn Quốc Đình Trọng Thành Gia Bảo Hoàng Ngọc Thanh Anh Duy Tiến Việt Trung Khắc Bá Viết Huy".split()
MIDDLE_F = "Thị Ngọc Thu Hồng Kim Thanh Phương Hoài Như Bích Diệu Mỹ Thùy Thúy Lan Minh Khánh Ánh Hải Quỳnh Tuyết Mai Cẩm Bảo Hương".split()
GIVEN_M = (
    "An Bình Cường Dũng Duy Đạt Đức Giang Hải Hiếu Hòa Hùng Hưng Huy Khánh Khoa Kiên Lâm "
    "Long Lộc Lợi Mạnh Minh Nam Nghĩa Phong Phúc Quân Quang Quyết Sơn Tài Tâm Thắng "
    "Thành Thịnh Toàn Trung Tú Tuấn Tùng Việt Vinh Vũ Hậu Hoan Khải Chiến Thái Hiển "
    "Định Phát Tường Hoàn Thuận Cảnh Điệp Bằng Chung Hợp Luân Nhân Phương Sáng Thọ"
).split()
GIVEN_F = (
    "Anh Chi Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hồng Hương Huyền Lan Liên Linh "
    "Loan Mai Nga Ngân Ngọc Nhung Oanh Phương Quyên Quỳnh Thảo Thơ Thủy Thư Trang "
    "Tuyết Uyên Vân Yến Hảo Hậu Lý Nguyệt Diệp Xuân Thoa Hiên Hường Thắm Luyến Điệp"
).split()
POSITIONS = [
    "Chủ tịch Ủy ban nhân dân phường",
    "Phó Chủ tịch Ủy ban nhân dân phường",
    "Bí thư Đảng ủy phường",
    "Phó Bí thư Thường trực Đảng ủy phường",
    "Chủ tịch Hội đồng nhân dân phường",
    "Chánh Văn phòng HĐND và UBND phường",
    "Trưởng phòng Văn hóa - Xã hội",
    "Trưởng phòng Kinh tế, Hạ tầng và Đô thị",
    "Giám đốc Trung tâm Dịch vụ sự nghiệp công",
    "Trưởng Công an phường",
    "Chỉ huy trưởng Ban Chỉ huy quân sự phường",
    "Trạm trưởng Trạm Y tế phường",
    "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam phường",
    "Bí thư Đoàn Thanh niên phường",
    "Chủ tịch Hội Liên hiệp Phụ nữ phường",
    "Chủ tịch Hội Cựu chiến binh phường",
    "Chủ tịch Hội Nông dân phường",
    "Tổ trưởng tổ dân phố",
    "Bí thư chi bộ",
    "công chức Văn hóa - Xã hội",
    "công chức Tư pháp - Hộ tịch",
    "Hiệu trưởng trường tiểu học",
    "Hiệu trưởng trường trung học cơ sở",
    "Tổ trưởng Tổ công nghệ số cộng đồng",
]
UNITS = [
    "Văn phòng HĐND và UBND phường",
    "Phòng Văn hóa - Xã hội",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Trung tâm Dịch vụ sự nghiệp công",
    "Công an phường",
    "Ban Chỉ huy quân sự phường",
    "Trạm Y tế phường",
    "Trung tâm Phục vụ hành chính công phường",
    "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh phường",
    "Hội Liên hiệp Phụ nữ phường",
    "Hội Cựu chiến binh phường",
    "Hội Nông dân phường",
    "Hội Người cao tuổi phường",
    "Hội Chữ thập đỏ phường",
    "các trường học trên địa bàn",
    "Trường Mầm non Hoa Sen",
    "Trường Tiểu học Lê Lợi",
    "Trường Trung học cơ sở Nguyễn Trãi",
    "Ban Chỉ đạo chuyển đổi số phường",
    "Tổ công nghệ số cộng đồng",
    "Ban công tác Mặt trận các tổ dân phố",
    "Chi nhánh Ngân hàng Chính sách xã hội",
    "Bưu điện phường",
    "các doanh nghiệp viễn thông",
]
ACTIONS = [
    "chủ trì, phối hợp với các cơ quan, đơn vị liên quan tham mưu triển khai",
    "phối hợp tổ chức thực hiện",
    "theo dõi, đôn đốc, kiểm tra việc thực hiện",
    "tổng hợp, báo cáo kết quả thực hiện",
    "xây dựng kế hoạch chi tiết để triển khai",
    "tuyên truyền, phổ biến sâu rộng",
    "hướng dẫn người dân thực hiện",
    "rà soát, thống kê, cập nhật",
    "bố trí kinh phí thực hiện",
    "lồng ghép nội dung tuyên truyền về",
    "đẩy mạnh ứng dụng công nghệ thông tin trong",
    "kịp thời biểu dương, khen thưởng các tập thể, cá nhân có thành tích trong",
    "đánh giá, rút kinh nghiệm công tác",
    "tham mưu Ủy ban nhân dân phường ban hành văn bản chỉ đạo về",
    "chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân phường về",
    "tổ chức hội nghị quán triệt",
    "tập huấn, bồi dưỡng kỹ năng",
    "vận động đoàn viên, hội viên tích cực tham gia",
]
TOPICS = [
    "chuyển đổi số",
    "phát triển khoa học, công nghệ và đổi mới sáng tạo",
    "phong trào Bình dân học vụ số",
    "dịch vụ công trực tuyến toàn trình",
    "thanh toán không dùng tiền mặt",
    "ứng dụng VNeID",
    "cấp căn cước và định danh điện tử",
    "phòng, chống lừa đảo trên không gian mạng",
    "bảo đảm an toàn thông tin mạng",
    "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "cải cách hành chính",
    "xây dựng chính quyền số",
    "phát triển kinh tế số",
    "phát triển xã hội số",
    "hoạt động của Tổ công nghệ số cộng đồng",
    "Nghị quyết số 57-NQ/TW của Bộ Chính trị",
    "Nghị quyết số 03/NQ-CP của Chính phủ",
    "Đề án 06 của Chính phủ",
    "thương mại điện tử",
    "chi trả an sinh xã hội qua tài khoản",
    "hồ sơ sức khỏe điện tử",
    "học bạ số",
    "cơ sở dữ liệu quốc gia về dân cư",
    "chữ ký số",
    "hệ thống quản lý văn bản và điều hành",
    "truyền thanh ứng dụng công nghệ thông tin - viễn thông",
    "phổ cập kỹ năng số cho người dân",
    "bảo vệ dữ liệu cá nhân",
    "ứng dụng trí tuệ nhân tạo",
    "xây dựng đô thị thông minh",
    "phòng cháy, chữa cháy",
    "vệ sinh môi trường",
    "trật tự an toàn giao thông",
    "bảo hiểm y tế, bảo hiểm xã hội",
]
TIMES = [
    "trong quý I năm 2026",
    "trong quý II năm 2026",
    "trong 6 tháng đầu năm 2026",
    "trước ngày 30 tháng 6 năm 2026",
    "thường xuyên",
    "hằng tháng",
    "định kỳ hằng quý",
    "trước ngày 15 tháng 12 năm 2026",
    "trong năm 2026",
    "trước ngày 25 hằng tháng",
    "trước ngày 20 tháng 11 năm 2026",
    "trong tháng 4 năm 2026",
    "giai đoạn 2026 - 2030",
]
DOC_TYPES = [
    ("Kế hoạch", "KH-UBND"),
    ("Quyết định", "QĐ-UBND"),
    ("Công văn", "UBND-VHXH"),
    ("Thông báo", "TB-UBND"),
    ("Báo cáo", "BC-UBND"),
    ("Nghị quyết", "NQ-HĐND"),
    ("Chỉ thị", "CT-UBND"),
    ("Hướng dẫn", "HD-UBND"),
]
ISSUERS = [
    "Ủy ban nhân dân thành phố",
    "Ủy ban nhân dân phường",
    "Ban Thường vụ Thành ủy",
    "Đảng ủy phường",
    "Hội đồng nhân dân phường",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Bộ Khoa học và Công nghệ",
    "Bộ Công an",
    "Thủ tướng Chính phủ",
    "Chính phủ",
    "Bộ Nội vụ",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Công an thành phố",
]
RESULTS = [
    "tỷ lệ hồ sơ trực tuyến đạt {p}%",
    "đã hướng dẫn {n} lượt người dân cài đặt ứng dụng VNeID",
    "đã tổ chức {k} lớp tập huấn kỹ năng số với {n} học viên tham gia",
    "{p}% hộ kinh doanh sử dụng mã QR để thanh toán",
    "đã số hóa {n} hồ sơ hộ tịch",
    "{p}% hồ sơ được giải quyết trước và đúng hạn",
    "đã phát sóng {k} chương trình phát thanh về chuyển đổi số",
    "đã đăng tải {k} tin, bài trên trang thông tin điện tử",
    "{p}% cán bộ, công chức sử dụng chữ ký số",
    "đã kích hoạt {n} tài khoản định danh điện tử mức độ 2",
    "đã tiếp nhận {n} hồ sơ thủ tục hành chính",
    "{k} tổ dân phố đã thành lập Tổ công nghệ số cộng đồng",
    "đã chi trả trợ cấp qua tài khoản cho {n} đối tượng",
    "đã phát hiện, ngăn chặn {k} vụ lừa đảo qua mạng",
]


def person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def date(rng: random.Random, numeric: bool) -> str:
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    if numeric:
        return f"{d:02d}/{m:02d}/2026"
    mm = f"{m:02d}" if m < 3 else str(m)
    return f"ngày {d:02d} tháng {mm} năm {rng.choice([2025, 2026])}"


def places() -> tuple[list[str], list[str]]:
    try:
        import underthesea
    except ImportError:
        return ["Hải Phòng", "Hà Nội"], ["An Khánh", "Hòa Bình"]
    path = Path(underthesea.__file__).parent / "address/data/mapping.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    provinces = sorted({v["short"] for v in data["province_names"].values()})
    wards = sorted(
        {
            row["new_ward"].split(" ", 1)[1]
            for row in data["ward_mapping"]
            if row["new_ward"].startswith("Phường ")
        }
    )
    return provinces, wards


def sentences(rng: random.Random, provinces: list[str], wards: list[str]) -> list[str]:
    ward = rng.choice(wards)
    city = rng.choice(provinces)
    doc, symbol = rng.choice(DOC_TYPES)
    number = rng.randint(1, 350)
    unit, unit2 = rng.sample(UNITS, 2)
    topic, topic2 = rng.sample(TOPICS, 2)
    fill = {
        "p": rng.randint(35, 100),
        "n": rng.randint(12, 9800),
        "k": rng.randint(2, 60),
    }
    result = rng.choice(RESULTS).format(**fill)
    who = person(rng)
    position = rng.choice(POSITIONS)
    return [
        f"Căn cứ {doc} số {number}/{symbol} {date(rng, False)} của {rng.choice(ISSUERS)} về {topic};",
        f"Thực hiện {doc} số {number}/{symbol} ngày {date(rng, True)} của {rng.choice(ISSUERS)}, "
        f"Ủy ban nhân dân phường {ward} triển khai các nhiệm vụ về {topic} như sau:",
        f"{unit} {rng.choice(ACTIONS)} {topic} {rng.choice(TIMES)}.",
        f"{unit2} {rng.choice(ACTIONS)} {topic2}; báo cáo kết quả về Ủy ban nhân dân phường {rng.choice(TIMES)}.",
        f"Kết quả: {result}; {rng.choice(RESULTS).format(**fill)}.",
        f"Ông (bà) {who}, {position} {ward}, chịu trách nhiệm chỉ đạo nội dung về {topic}.",
        f"Giao {unit} làm đầu mối, phối hợp với {unit2} và các tổ dân phố tổ chức thực hiện {topic}.",
        f"{ward}, {date(rng, False)}",
        f"Phường {ward}, thành phố {city}; phường {rng.choice(wards)}, tỉnh {rng.choice(provinces)}.",
        f"Người ký: {who}. Chức vụ: {position}. Số điện thoại: 0{rng.randint(900000000, 999999999)}.",
        f"Kinh phí thực hiện {topic} năm 2026 là {rng.randint(10, 900)} triệu đồng, từ nguồn ngân sách phường.",
        f"Thời gian thực hiện: từ {date(rng, False)} đến {date(rng, False)}.",
        f"Đồng chí {person(rng)}, {rng.choice(POSITIONS)}, phát biểu kết luận hội nghị.",
        f"Danh sách thành viên: {person(rng)}, {person(rng)}, {person(rng)} và {person(rng)}.",
    ]


def main() -> None:
    """Write data/corpus/90_generated.txt and 05_names.txt."""
    rng = random.Random(57)  # noqa: S311 - reproducible corpus, not security
    provinces, wards = places()
    lines: list[str] = []
    for _ in range(220):
        lines += rng.sample(sentences(rng, provinces, wards), 6)
    (OUT / "90_generated.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    names = [person(rng) for _ in range(3000)]
    names += [
        f"{f} {m} {g}" for f in FAMILY for m, g in zip(MIDDLE_F, GIVEN_F, strict=False)
    ]
    # Four-syllable names: "Thị" or "Văn" before a second middle name.
    for _ in range(1500):
        if rng.random() < 0.6:
            names.append(
                f"{rng.choice(FAMILY)} Thị {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
            )
        else:
            names.append(
                f"{rng.choice(FAMILY)} Văn {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
            )
    (OUT / "05_names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
