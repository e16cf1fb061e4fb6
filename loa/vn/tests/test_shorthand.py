"""Chat shorthand is spelled out for matching, and letters and amounts are left alone."""

import pytest

from loa.vn.shorthand import expand_shorthand


@pytest.mark.parametrize(
    ("typed", "spelled"),
    [
        ("dki vneid mức 2 ở đâu z ad", "đăng ký vneid mức 2 ở đâu vậy"),
        (
            "hàng công nghệ cao chiếm bn % xuất khẩu",
            "hàng công nghệ cao chiếm bao nhiêu % xuất khẩu",
        ),
        ("nộp hồ sơ online làm ntn ạ", "nộp hồ sơ trực tuyến làm như thế nào ạ"),
        ("ko bít làm j", "không biết làm gì"),
        ("Mk quên mk tk vneid", "mình quên mật khẩu tài khoản vneid"),
    ],
)
def test_shorthand_is_spelled_out(typed, spelled):
    assert expand_shorthand(typed) == spelled


@pytest.mark.parametrize(
    "typed", ["nạp 50k vào ví", "vitamin K", "gói k+", "Khoản 3 Điều 5"]
)
def test_amounts_letters_and_words_are_left_alone(typed):
    assert expand_shorthand(typed) == typed
