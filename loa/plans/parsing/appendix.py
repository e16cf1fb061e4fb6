"""An appendix ("PHỤ LỤC") after the signature: its table of tasks, row by row.

Each row's task goes to its lead unit, due at the end of the period in its time
column.
"""

from __future__ import annotations

import datetime as dt
import re

from .keys import _clean_space, _key, _letters, _Line, _word_count
from .regexes import _CHU_TRI_RE, _END_RES, _PHOI_HOP_RE, _TRAILING_PUNCT
from .result import ParsedPlan, ParsedTask, ParsedUnit
from .units import (
    _clean_unit_name,
    _due,
    _month_end,
    _quarter_number,
    _recurrence,
    _unit_compare_key,
)

# "PHỤ LỤC", "PHỤ LỤC I", "Phụ lục số 02" alone on a line: the appendix starts.
_APPENDIX_RE = re.compile(r"^\W*ph\w?\s*l\w?c\b(?:\s+(?:so\s*)?(?:[ivx]+|\d+))?\W*$")
# Columns of an appendix table of tasks, tried in this order on each header cell.
_APPENDIX_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("lead", _CHU_TRI_RE),
    ("support", _PHOI_HOP_RE),
    ("time", re.compile(r"\b(?:thoi\s+(?:gian|han)|tien\s+do|han\s+hoan\s+thanh)\b")),
    ("content", re.compile(r"\b(?:noi\s+dung|nhiem\s+vu|cong\s+viec|hoat\s+dong)\b")),
]
_PERIOD_DAY_RE = re.compile(
    r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)"
)
_PERIOD_MONTH_RE = re.compile(r"\bthang\s*(\d{1,2})\s*(?:/|-|nam)\s*(\d{4})(?!\d)")
_PERIOD_QUARTER_RE = re.compile(
    r"\bquy\s+(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|-|nam)\s*(\d{4}))?"
)
_PERIOD_YEAR_RE = re.compile(r"\bnam\s+(\d{4})(?!\d)")


def _find_appendix(lines: list[_Line], start: int) -> int:
    """Return where an appendix ("PHỤ LỤC") starts, or the end of the text.

    The appendix follows the signature; its heading must not be read as the
    signer's name nor its rows as part of the last section. It is looked for only
    after the closing block ("Nơi nhận", "TM. ỦY BAN …") when there is one, so a
    "Phụ lục" line inside the body does not cut the plan short.
    """
    closing = next(
        (
            line.index
            for line in lines[start:]
            if any(regex.match(line.key) for regex in _END_RES)
        ),
        start,
    )
    for line in lines[closing:]:
        if _word_count(line.text) <= 4 and _APPENDIX_RE.match(line.key):
            return line.index
    return len(lines)


def _table_header(line: _Line) -> dict[str, int] | None:
    """Map the columns of a tab-separated header row, if it heads a task table."""
    cells = line.key.split("\t")
    if len(cells) < 3:
        return None
    columns: dict[str, int] = {}
    for n, cell in enumerate(cells):
        for name, regex in _APPENDIX_COLUMNS:
            if name not in columns and regex.search(cell):
                columns[name] = n
                break
    if "lead" not in columns or "content" not in columns:
        return None
    return columns


def _add_appendix_tasks(lines: list[_Line], plan: ParsedPlan) -> None:
    """Add the rows of an appendix table of tasks to their lead units.

    Each row (TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian) is a
    task its lead unit heads, due at the end of the period in the time column. It
    goes after the unit's tasks from the body; a lead unit the body does not
    name becomes a unit of its own.
    """
    columns: dict[str, int] | None = None
    for line in lines:
        if columns is None:
            columns = _table_header(line)
            continue
        task, lead = _appendix_row(line, columns, plan)
        if task is not None and lead:
            _unit_named(plan, lead).tasks.append(task)


def _appendix_row(
    line: _Line, columns: dict[str, int], plan: ParsedPlan
) -> tuple[ParsedTask | None, str]:
    cells = [_clean_space(cell) for cell in line.text.split("\t")]
    raw_cells = line.raw.split("\t")
    if len(cells) <= max(columns["lead"], columns["content"]):
        return None, ""
    text = cells[columns["content"]].strip(_TRAILING_PUNCT)
    lead, _ = _clean_unit_name(cells[columns["lead"]])
    if not _letters(text) or not lead:
        return None, ""
    time_at = columns.get("time")
    time_key = (
        _key(cells[time_at]) if time_at is not None and time_at < len(cells) else ""
    )
    raw_time_key = (
        _key(raw_cells[time_at])
        if time_at is not None and len(raw_cells) == len(cells)
        else ""
    )
    task = ParsedTask(
        text=text[:1].upper() + text[1:],
        role="chu_tri",
        recurrence=_recurrence(time_key) or _recurrence(_key(text)),
        due=_period_end(time_key, plan.date)
        or _period_end(raw_time_key, plan.date)
        or _due(_key(text), plan.date),
    )
    return task, lead


def _unit_named(plan: ParsedPlan, name: str) -> ParsedUnit:
    """Return the plan's unit of that name, adding it if the body has none."""
    key = _unit_compare_key(name)
    for unit in plan.units:
        if _unit_compare_key(unit.name) == key:
            return unit
    unit = ParsedUnit(name=name)
    plan.units.append(unit)
    return unit


def _period_end(key: str, plan_date: dt.date | None) -> dt.date | None:
    """Return when a time-column cell ends: the period it names is the deadline.

    "Trước ngày 20/11/2026" is a deadline as in the body; "Quý II/2026" ends on
    30/6/2026, "Tháng 12/2026" on 31/12/2026, "Năm 2026" on 31/12/2026. In a
    range ("Tháng 3 - tháng 5/2026") the last period counts.
    """
    if not key:
        return None
    due = _due(key, plan_date)
    if due is not None:
        return due
    days = list(_PERIOD_DAY_RE.finditer(key))
    if days:
        day, month, year = (int(group) for group in days[-1].groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    months = list(_PERIOD_MONTH_RE.finditer(key))
    if months:
        return _month_end(int(months[-1].group(2)), int(months[-1].group(1)))
    quarters = list(_PERIOD_QUARTER_RE.finditer(key))
    if quarters:
        last = quarters[-1]
        year = int(last.group(2)) if last.group(2) else None
        year = year or (plan_date.year if plan_date else None)
        if year is None:
            return None
        return _month_end(year, _quarter_number(last.group(1)) * 3)
    years = list(_PERIOD_YEAR_RE.finditer(key))
    if years:
        return _month_end(int(years[-1].group(1)), 12)
    return None
