"""Ordinals in words ("thứ nhất", "thứ tư") and ISO weeks as a person reads them."""

import datetime
import unicodedata

import pytest

from loa.vn.dates import week_label, week_label_of
from loa.vn.numbers import ordinal, ordinal_words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1, "thứ nhất"),
        (2, "thứ hai"),
        (3, "thứ ba"),
        (4, "thứ tư"),
        (5, "thứ năm"),
        (7, "thứ bảy"),
        (10, "thứ mười"),
        (11, "thứ mười một"),
        (15, "thứ mười lăm"),
        (21, "thứ hai mươi mốt"),
    ],
)
def test_ordinals_are_written_in_words_with_nhat_and_tu(value, words):
    assert ordinal(value) == words
    assert unicodedata.is_normalized("NFC", ordinal(value))


def test_an_ordinal_has_no_digit_for_speech_to_misread():
    assert not any(ch.isdigit() for i in range(1, 40) for ch in ordinal_words(i))


def test_rank_zero_is_not_an_ordinal():
    with pytest.raises(ValueError):
        ordinal_words(0)


def test_week_label_names_the_week_number_and_its_days_with_an_en_dash():
    assert week_label(2026, 50) == "tuần 50 (07/12 – 13/12/2026)"
    assert week_label(2026, 10) == "tuần 10 (02/03 – 08/03/2026)"


def test_week_spanning_new_year_writes_both_years():
    assert week_label(2026, 1) == "tuần 1 (29/12/2025 – 04/01/2026)"
    assert week_label(2026, 53) == "tuần 53 (28/12/2026 – 03/01/2027)"


def test_week_label_of_a_date_or_an_iso_code():
    assert week_label_of(datetime.date(2026, 12, 10)) == "tuần 50 (07/12 – 13/12/2026)"
    assert week_label_of("2026-W50") == "tuần 50 (07/12 – 13/12/2026)"
    assert week_label_of("2026-w05") == "tuần 5 (26/01 – 01/02/2026)"


def test_week_label_of_something_else_comes_back_unchanged():
    assert week_label_of("tuần trước") == "tuần trước"
    assert week_label_of("2025-W53") == "2025-W53"  # 2025 has 52 ISO weeks
