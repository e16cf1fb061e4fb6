import unicodedata

from loa.vn import fold, fold_lower, nfc, syllables, words


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Nghị quyết")
    assert nfc(decomposed) == "Nghị quyết"
    assert len(nfc(decomposed)) == len("Nghị quyết")


def test_fold_removes_marks_and_keeps_case():
    assert fold("Đổi mới Sáng tạo") == "Doi moi Sang tao"
    assert fold("ĐMST đ") == "DMST d"


def test_fold_lower_lowercases():
    assert fold_lower("CHUYỂN ĐỔI SỐ") == "chuyen doi so"


def test_fold_accepts_decomposed_input():
    assert fold(unicodedata.normalize("NFD", "Hạnh phúc")) == "Hanh phuc"


def test_syllables_keep_one_letter_syllables():
    assert syllables("Người dân ở đây, ý kiến") == [
        "người",
        "dân",
        "ở",
        "đây",
        "ý",
        "kiến",
    ]


def test_syllables_are_nfc_and_lowercase():
    assert syllables(unicodedata.normalize("NFD", "Ủy Ban")) == ["ủy", "ban"]


def test_words_join_multi_syllable_words():
    tokens = words("Ủy ban nhân dân phường ban hành kế hoạch chuyển đổi số")
    assert "kế hoạch" in tokens
    assert all(t == t.lower() for t in tokens)


def test_words_of_empty_text_is_empty():
    assert words("  ") == []
