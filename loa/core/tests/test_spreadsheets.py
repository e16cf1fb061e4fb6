"""User text written into .xlsx files stays text: never a formula, never altered."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from loa.core.spreadsheets import append_row

HYPERLINK = '=HYPERLINK("http://x","y")'


def _round_trip(*rows):
    book = Workbook()
    for row in rows:
        append_row(book.active, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cells(content):
    return list(load_workbook(io.BytesIO(content)).active.iter_rows())


def test_text_starting_with_an_equals_sign_is_stored_as_text_not_a_formula():
    content = _round_trip(["Tên", HYPERLINK])
    [[label, name]] = _cells(content)
    assert (name.value, name.data_type) == (HYPERLINK, "s")
    assert (label.value, label.data_type) == ("Tên", "s")
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+84 912 345 678",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_with_a_formula_start_is_kept_unchanged_and_marked_as_text(text):
    [[cell]] = _cells(_round_trip([text]))
    assert (cell.value, cell.data_type) == (text, "s")
    # Excel's own mark for text typed after an apostrophe: it stays text when edited.
    assert cell.quotePrefix is True


def test_ordinary_text_is_written_as_it_is():
    [[cell]] = _cells(_round_trip(["Tổ dân phố số 3 - Hòa Bình"]))
    assert (cell.value, cell.data_type, cell.quotePrefix) == (
        "Tổ dân phố số 3 - Hòa Bình",
        "s",
        False,
    )


def test_numbers_and_dates_stay_numbers_and_dates():
    [cells] = _cells(
        _round_trip([-5, -2.5, 0, Decimal("12.5"), date(2026, 6, 30), None, True])
    )
    values = [cell.value for cell in cells]
    assert values[:4] == [-5, -2.5, 0, 12.5]
    assert [cell.data_type for cell in cells[:4]] == ["n"] * 4
    assert values[4] == datetime(2026, 6, 30) and cells[4].is_date
    assert values[5:] == [None, True]


def test_control_characters_that_the_format_forbids_are_dropped_not_fatal():
    [[cell]] = _cells(_round_trip(["Nguyễn\x00 Văn\x1b An\tthứ hai"]))
    assert cell.value == "Nguyễn Văn An\tthứ hai"
