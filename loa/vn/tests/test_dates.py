import datetime

import pytest

from loa.vn import find_dates, format_date, format_date_short, parse_date

MARCH_4 = datetime.date(2026, 3, 4)


@pytest.mark.parametrize(
    "text",
    [
        "ngày 04 tháng 03 năm 2026",
        "ngay 4 thang 3 nam 2026",
        "04/3/2026",
        "4-3-2026",
        "04.03.2026",
        "ngay 04 thang 03 nam 2026",
        "Hdai Duong, ngay 04 thang 03 nam 2026",
    ],
)
def test_parse_date_reads_common_forms(text):
    assert parse_date(text) == MARCH_4


def test_parse_date_reads_deadline_phrase():
    assert parse_date("hoàn thành trước ngày 15 tháng 12 năm 2026") == datetime.date(
        2026, 12, 15
    )


def test_impossible_date_is_rejected():
    assert parse_date("ngày 31/02/2026") is None
    assert parse_date("ngày 31 tháng 02 năm 2026") is None


def test_find_dates_skips_bad_dates_and_keeps_order():
    text = "Kế hoạch số 67/KH-UBND ngày 27/02/2026, sửa ngày 31/02/2026, hạn 15/12/2026"
    assert find_dates(text) == [datetime.date(2026, 2, 27), datetime.date(2026, 12, 15)]


def test_parse_date_without_date_is_none():
    assert parse_date("không có ngày nào") is None


def test_format_date_pads_only_days_below_10_and_months_1_and_2():
    # Nghị định 30/2020/NĐ-CP, Phụ lục I: "ngày 04 tháng 3 năm 2026".
    assert format_date(MARCH_4) == "ngày 04 tháng 3 năm 2026"
    assert format_date(datetime.date(2026, 12, 15)) == "ngày 15 tháng 12 năm 2026"
    assert format_date(datetime.date(2026, 2, 7)) == "ngày 07 tháng 02 năm 2026"
    assert format_date(datetime.date(2026, 1, 15)) == "ngày 15 tháng 01 năm 2026"
    assert format_date(datetime.date(2026, 6, 30)) == "ngày 30 tháng 6 năm 2026"
    assert format_date(datetime.date(2026, 10, 1)) == "ngày 01 tháng 10 năm 2026"


def test_format_date_short_is_two_digit_day_and_month():
    assert format_date_short(MARCH_4) == "04/03/2026"


def test_formatted_date_parses_back():
    assert parse_date(format_date(MARCH_4)) == MARCH_4
