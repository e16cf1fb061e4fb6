"""Reading Vietnamese text aloud: exact examples of what the reader says."""

import pytest

from loa.vn.speech import number_words, reading_text


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "không"),
        (10, "mười"),
        (11, "mười một"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (115, "một trăm mười lăm"),
        (1005, "một nghìn không trăm linh năm"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (50000, "năm mươi nghìn"),
        (1000000, "một triệu"),
        (12345678, "mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám"),
        (2000000000, "hai tỷ"),
    ],
)
def test_integers_are_read_in_northern_broadcast_words(value, words):
    assert number_words(value) == words


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("2026", "hai nghìn không trăm hai mươi sáu"),
        ("15", "mười lăm"),
        ("3,5", "ba phẩy năm"),
        ("3,05", "ba phẩy không năm"),
        ("80%", "tám mươi phần trăm"),
        ("hơn 3.000 khóa học", "hơn ba nghìn khóa học"),
        ("50.000 đồng", "năm mươi nghìn đồng"),
        ("50.000đ", "năm mươi nghìn đồng"),
        ("2 tỷ VNĐ", "hai tỷ đồng"),
    ],
)
def test_numbers_money_and_percentages_are_spelled_out(text, spoken):
    assert reading_text(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("04/03/2026", "ngày bốn tháng ba năm hai nghìn không trăm hai mươi sáu"),
        ("ngày 4/3/2026", "ngày bốn tháng ba năm hai nghìn không trăm hai mươi sáu"),
        (
            "ngày 04 tháng 03 năm 2026",
            "ngày bốn tháng ba năm hai nghìn không trăm hai mươi sáu",
        ),
        (
            "chiều 26/3/2025",
            "chiều ngày hai mươi sáu tháng ba năm hai nghìn không trăm hai mươi lăm",
        ),
        ("tháng 4/2025", "tháng tư năm hai nghìn không trăm hai mươi lăm"),
        ("sáng 22/12", "sáng ngày hai mươi hai tháng mười hai"),
        (
            "giai đoạn 2021–2025",
            "giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm",
        ),
    ],
)
def test_dates_are_read_as_day_month_year(text, spoken):
    assert reading_text(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("8:00", "tám giờ"),
        ("8 giờ", "tám giờ"),
        ("8h30", "tám giờ ba mươi phút"),
        ("8:00–22:00", "tám giờ đến hai mươi hai giờ"),
        ("thứ 2", "thứ hai"),
        ("thứ 4 hằng tuần", "thứ tư hằng tuần"),
        ("lần thứ 1", "lần thứ nhất"),
        ("Tin thứ 1: Chuyển đổi số là gì?", "Tin thứ nhất: Chuyển đổi số là gì?"),
        ("thứ 4: 8:00", "thứ tư: tám giờ"),
    ],
)
def test_times_and_ordinals(text, spoken):
    assert reading_text(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Nghị quyết 57-NQ/TW", "Nghị quyết số năm mươi bảy của Trung ương"),
        ("Nghị quyết số 57-NQ/TW", "Nghị quyết số năm mươi bảy của Trung ương"),
        ("Theo 57-NQ/TW", "Theo Nghị quyết số năm mươi bảy của Trung ương"),
        (
            "Nghị quyết 57-NQ/TW của Bộ Chính trị",
            "Nghị quyết số năm mươi bảy của Bộ Chính trị",
        ),
        (
            "Nghị định 30/2020/NĐ-CP",
            "Nghị định số ba mươi năm hai nghìn không trăm hai mươi của Chính phủ",
        ),
        ("Kế hoạch 01-KH/BCĐTW", "Kế hoạch số một của Ban Chỉ đạo Trung ương"),
        (
            "Quyết định 1131/QĐ-UBND",
            "Quyết định số một nghìn một trăm ba mươi mốt của Ủy ban nhân dân",
        ),
    ],
)
def test_document_numbers_are_read_as_type_number_and_issuer(text, spoken):
    assert reading_text(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("CĐS", "chuyển đổi số"),
        ("UBND phường", "Ủy ban nhân dân phường"),
        ("KHCN và ĐMST", "khoa học và công nghệ và đổi mới sáng tạo"),
        ("KT-XH", "kinh tế, xã hội"),
        (
            "đổi mới sáng tạo (ĐMST) và chuyển đổi số (CĐS)",
            "đổi mới sáng tạo và chuyển đổi số",
        ),
        ("thanh toán bằng mã QR", "thanh toán bằng mã cu a"),
        ("cài VNeID", "cài vê nê ai đi"),
        ("mã OTP", "mã ô tê pê"),
        ("CẢNH GIÁC LỪA ĐẢO", "CẢNH GIÁC LỪA ĐẢO"),
    ],
)
def test_abbreviations_are_expanded_or_spelled(text, spoken):
    assert reading_text(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("binhdanhocvuso.gov.vn", "bình dân học vụ số chấm gov chấm vn"),
        ("https://binhdanhocvuso.gov.vn", "bình dân học vụ số chấm gov chấm vn"),
        ("Vào dichvucong.gov.vn.", "Vào dịch vụ công chấm gov chấm vn."),
        ("hotro@dichvucong.gov.vn", "hỗ trợ a còng dịch vụ công chấm gov chấm vn"),
    ],
)
def test_web_addresses_are_read_label_by_label(text, spoken):
    assert reading_text(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("gọi 156", "gọi một năm sáu"),
        ("gọi số 113", "gọi số một một ba"),
        ("tổng đài 1900", "tổng đài một chín không không"),
        (
            "đường dây nóng 18001091",
            "đường dây nóng một tám không không một không chín một",
        ),
        ("0912 345 678", "không chín một hai ba bốn năm sáu bảy tám"),
        ("Quyết định số 156", "Quyết định số một trăm năm mươi sáu"),
    ],
)
def test_hotlines_are_read_digit_by_digit(text, spoken):
    assert reading_text(text) == spoken


def test_html_is_stripped_and_paragraphs_kept():
    html = "<p>Một <b>hai</b></p><p>Ba &amp; bốn</p><script>alert(1)</script>"
    assert reading_text(html) == "Một hai\n\nBa và bốn"


def test_markdown_is_stripped():
    md = "# Tiêu đề\n\n- **đậm** và [liên kết](https://x.vn)\n- _nghiêng_"
    assert reading_text(md) == "Tiêu đề\n\nđậm và liên kết nghiêng"


def test_a_full_sentence_reads_naturally():
    text = (
        "Nghị quyết 57-NQ/TW đặt mục tiêu kinh tế số đạt 30% GDP vào năm 2030 "
        "(Nguồn: UBND phường)."
    )
    assert reading_text(text) == (
        "Nghị quyết số năm mươi bảy của Trung ương đặt mục tiêu kinh tế số đạt ba "
        "mươi phần trăm tổng sản phẩm trong nước vào năm hai nghìn không trăm ba "
        "mươi, Nguồn: Ủy ban nhân dân phường."
    )
