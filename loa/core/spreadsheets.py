"""Cells of the .xlsx files Loa writes: what people typed stays text, never a formula.

openpyxl stores any string of more than one character that starts with "=" as a
formula, so a commendation named ``=HYPERLINK("http://…","Bấm vào đây")`` would become
a live link (or worse) in the leader's Excel. OWASP's "CSV Injection" guidance names the
other dangerous starts: "+", "-", "@", and a tab or carriage return in front of them.

Such a string is written as a typed string cell (``t="inlineStr"``), which Excel and
LibreOffice show as it is and never evaluate, with the cell's "quote prefix" style set,
which is what Excel itself records when someone types ``'=…``: the cell stays text even
if it is edited and confirmed again, and no apostrophe appears in the cell. Prefixing the
text with a quote character instead would change what the reader sees.
"""

from collections.abc import Iterable

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(sheet: Worksheet, value):
    """Return value ready for ``sheet.append``: text as plain text, anything else as is.

    Numbers (negative ones included), dates and None are left alone, so they stay
    numbers and dates in the sheet.
    """
    if not isinstance(value, str):
        return value
    # Control characters other than tab, newline and carriage return are not allowed
    # in the file format: openpyxl refuses them, which would fail the whole export.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = Cell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable) -> None:
    """Append one row to sheet, each value through ``safe_cell``."""
    sheet.append([safe_cell(sheet, value) for value in values])
