import pytest

from loa.vn import needs_restoration, restore

SEED_EXAMPLES = [
    ("Nghi quyét s6 57-NQ/TW", "Nghị quyết số 57-NQ/TW"),
    ("UY BAN NHAN DAN", "ỦY BAN NHÂN DÂN"),
    ("CONG HOA XA HOI CHU NGHIA VIET NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Déc 1ap - Tw do - Hanh phuc", "Độc lập - Tự do - Hạnh phúc"),
    ("phwong Hii Dwong", "phường Hải Dương"),
    ("ciia B) Chinh trj", "của Bộ Chính trị"),
    ("d6i méi sang tao", "đổi mới sáng tạo"),
    ("chuyén ddi sé", "chuyển đổi số"),
    ("thuc day CBbS", "thúc đẩy CĐS"),
    ("KHCN, CPBS", "KHCN, CĐS"),
    ("DMST va CDS", "ĐMST và CĐS"),
    ("PMST va BMST", "ĐMST và ĐMST"),
    ("cua Pang uy", "của Đảng ủy"),
    ("1y luan chinh tri", "lý luận chính trị"),
    ("cac 16p dao tao", "các lớp đào tạo"),
    ("chuyén doi s 1a dong luc", "chuyển đổi số là động lực"),
    ("Pham Thi Thanh Van", "Phạm Thị Thanh Vân"),
    ("Phong Kinh té, Ha tang va D6 thi", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("Trung tdm Dich vu sw nghiép cong", "Trung tâm Dịch vụ sự nghiệp công"),
    ("Mit tran To qudc Viét Nam", "Mặt trận Tổ quốc Việt Nam"),
    ("ngay 04 thang 03 nam 2026", "ngày 04 tháng 03 năm 2026"),
    ("S6:77 IKH-UBND", "Số: 77/KH-UBND"),
    ("Hdai Duong", "Hải Dương"),
]


@pytest.mark.parametrize(("damaged", "expected"), SEED_EXAMPLES)
def test_restore_repairs_seed_ocr_examples(damaged, expected):
    assert restore(damaged) == expected


def test_restore_leaves_correct_text_alone():
    text = (
        "Ủy ban nhân dân phường ban hành Kế hoạch tuyên truyền về chuyển đổi số.\n"
        "Người dân ở tổ dân phố số 3 được hướng dẫn sử dụng ứng dụng VNeID, "
        "nộp hồ sơ dịch vụ công trực tuyến và thanh toán không dùng tiền mặt."
    )
    assert restore(text) == text


def test_restore_keeps_old_style_tone_placement():
    assert (
        restore("Thành uỷ và Uỷ ban nhân dân thành phố")
        == "Thành uỷ và Uỷ ban nhân dân thành phố"
    )


def test_restore_keeps_line_breaks_punctuation_and_numbers():
    damaged = "1. Muc dich\n\n- Nang cao nhan thuc (KHCN); ty le 80%!\n"
    restored = restore(damaged)
    assert restored == "1. Mục đích\n\n- Nâng cao nhận thức (KHCN); tỷ lệ 80%!\n"


def test_restore_keeps_case_pattern_of_each_token():
    assert restore("KE HOACH Tuyen truyen nam 2026") == "KẾ HOẠCH Tuyên truyền năm 2026"


def test_restore_keeps_foreign_words():
    assert (
        restore("mang xa hoi (Zalo, Facebook, YouTube)")
        == "mạng xã hội (Zalo, Facebook, YouTube)"
    )


def test_restore_of_empty_text_is_empty():
    assert restore("") == ""
    assert restore(" \n ") == " \n "


def test_needs_restoration_flags_stripped_text():
    assert needs_restoration("Uy ban nhan dan phuong ban hanh ke hoach tuyen truyen")


def test_needs_restoration_flags_ocr_noise():
    assert needs_restoration("Nghi quyét s6 57-NQ/TW ciia B¢ Chinh trj vé d6i méi")


def test_needs_restoration_passes_clean_text():
    assert not needs_restoration(
        "Ủy ban nhân dân phường ban hành kế hoạch tuyên truyền"
    )
