"""OCR confusions of the channel model and the candidate list, on our own phrases."""

import pytest

from loa.vn import restore
from loa.vn.build_lm import trigrams_of
from loa.vn.lm import load_model

CHANNEL_EXAMPLES = [
    # A final "c" read as "e".
    ("td chire thuc hién ké hoach", "tổ chức thực hiện kế hoạch"),
    ("Nha nude quan 1y", "Nhà nước quản lý"),
    # "ưn" read as "im" or "m".
    ("timg budc nang cao", "từng bước nâng cao"),
    ("khong ngimg doi méi", "không ngừng đổi mới"),
    ("cac tmg dung s6", "các ứng dụng số"),
    # "¢" for "có", "&" for a marked vowel inside a word.
    ("cac co quan, t6 chirc ¢ lién quan", "các cơ quan, tổ chức có liên quan"),
    ("phéi hop v&i cac don vi", "phối hợp với các đơn vị"),
    ("K& hoach", "Kế hoạch"),
    # A frequent syllable of another reading is still a candidate when one
    # reading has many spellings ("mé": mẹ, mê, mế ...; "bdo": đo, đó, độ ...).
    ("xay dung mé hinh diém", "xây dựng mô hình điểm"),
    ("bdo cao két qua thuc hién", "báo cáo kết quả thực hiện"),
    ("chu dong phdi hop v&i cac co quan", "chủ động phối hợp với các cơ quan"),
]


@pytest.mark.parametrize(("damaged", "expected"), CHANNEL_EXAMPLES)
def test_restore_reads_common_ocr_confusions(damaged, expected):
    assert restore(damaged) == expected


def test_restore_does_not_glue_ampersand_before_a_capital():
    # "R&D" is not one Vietnamese word: "&" before a capital stays between tokens.
    assert "&" in restore("R&D")


def test_trigrams_of_skips_sentence_starts():
    assert trigrams_of(["Phường Cửa Nam"]) == {("phường", "cửa", "nam")}


def test_model_keeps_trigrams_of_current_units_seen_once():
    model, _lexicon = load_model()
    ids = [model.token_id(w) for w in ("phường", "cửa", "nam")]
    key = (ids[0] * model.size + ids[1]) * model.size + ids[2]
    assert model.trigram.get(key, 0) >= 1
