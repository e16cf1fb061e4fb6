"""Finding, parsing and formatting dates in Vietnamese administrative text."""

from __future__ import annotations

import datetime
import re

from loa.vn.text import fold_lower

# Folded text keeps offsets (one folded char per original char), so matches on the
# folded text are matches on the original. The word patterns are loose on purpose:
# OCR turns "tháng" into "thang", "thdng" or "thang," and we still want the date.
_WORDED = re.compile(
    r"(?<![a-z])ng[a-z]{1,3}\s*[:.,]?\s*(\d{1,2})\s*[,.]?\s+"
    r"th[a-z]{1,4}\s*[:.,]?\s*(\d{1,2})\s*[,.]?\s+"
    r"n[a-z]{1,3}\s*[:.,]?\s*(\d{4})(?!\d)"
)
_NUMERIC = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4})(?!\d)"
)


def _make(year: str, month: str, day: str) -> datetime.date | None:
    try:
        value = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    if not 1900 <= value.year <= 2200:
        return None
    return value


def find_dates(text: str) -> list[datetime.date]:
    """Return every valid date in the text, in reading order.

    Understands "ngày 04 tháng 03 năm 2026" with or without diacritics (and with
    common OCR damage) and the numeric forms 04/3/2026, 4-3-2026 and 04.03.2026.
    Impossible dates such as 31/02/2026 are skipped.
    """
    folded = fold_lower(text)
    found: list[tuple[int, datetime.date]] = []
    for match in _WORDED.finditer(folded):
        value = _make(match.group(3), match.group(2), match.group(1))
        if value is not None:
            found.append((match.start(), value))
    for match in _NUMERIC.finditer(folded):
        value = _make(match.group(4), match.group(3), match.group(1))
        if value is not None:
            found.append((match.start(), value))
    found.sort(key=lambda item: item[0])
    return [value for _, value in found]


def parse_date(text: str) -> datetime.date | None:
    """Return the first valid date in the text, or None."""
    dates = find_dates(text)
    return dates[0] if dates else None


def format_date(value: datetime.date) -> str:
    """Format a date as Decree 30/2020/NĐ-CP writes it in documents.

    A leading zero only on days below 10 and on months 1 and 2: "ngày 04 tháng 3 năm
    2026", "ngày 15 tháng 12 năm 2026", "ngày 07 tháng 02 năm 2026".
    """
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def format_date_short(value: datetime.date) -> str:
    """Format a date as dd/mm/yyyy for tables and lists."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def week_label(iso_year: int, iso_week: int) -> str:
    """An ISO week as a person reads it: "tuần 50 (07/12 – 13/12/2026)".

    The year is written once, after the Sunday, unless the week spans two years:
    "tuần 1 (29/12/2025 – 04/01/2026)".
    """
    monday = datetime.date.fromisocalendar(iso_year, iso_week, 1)
    sunday = monday + datetime.timedelta(days=6)
    if monday.year == sunday.year:
        start = f"{monday.day:02d}/{monday.month:02d}"
    else:
        start = format_date_short(monday)
    return f"tuần {iso_week} ({start} – {format_date_short(sunday)})"


def week_label_of(value: datetime.date | str) -> str:
    """`week_label` of the week holding a date, or of an ISO week code ("2026-W50");
    a code that is not one comes back unchanged."""
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})-W(\d{1,2})\s*", value, flags=re.IGNORECASE)
        if not match:
            return value
        try:
            return week_label(int(match[1]), int(match[2]))
        except ValueError:
            return value
    year, week, _ = value.isocalendar()
    return week_label(year, week)
