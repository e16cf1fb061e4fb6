"""parse_plan: restore the text if it lost its diacritics, then read it part by part."""

from __future__ import annotations

import re

from loa.vn import fold_lower, needs_restoration, nfc, restore

from .appendix import _add_appendix_tasks, _find_appendix
from .header import (
    _find_date_place,
    _find_doc_type,
    _find_issuer,
    _find_number,
    _find_title,
)
from .keys import _key, _letters, _Line
from .result import ParsedPlan, PlanParseError
from .sections import _build_sections, _find_body_end, _find_headings
from .signer import _find_implements, _find_signer


def parse_plan(text: str) -> ParsedPlan:
    """Parse an official plan's text into a ParsedPlan; raise PlanParseError if not a plan."""
    if not isinstance(text, str) or not text.strip():
        raise PlanParseError(
            "Văn bản trống, không có nội dung để phân tích.", code="empty"
        )
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\x00", "")
    letters = _letters(text)
    if len(letters) < 20:
        raise PlanParseError(
            "Văn bản quá ngắn, không phải một kế hoạch có thể phân tích.",
            code="too_short",
        )

    plan = ParsedPlan()
    restored, was_restored = _restore(text)
    plan.restored_text = restored
    lines = [
        _Line(i, raw, res.rstrip(), _key(res.rstrip()))
        for i, (raw, res) in enumerate(
            zip(text.split("\n"), restored.split("\n"), strict=True)
        )
    ]

    type_index = _find_doc_type(lines, plan)
    header_end = type_index if type_index is not None else min(len(lines), 12)
    number_line = _find_number(lines[:header_end], plan)
    _find_date_place(lines[:header_end], plan, number_line)
    _find_issuer(lines[:header_end], plan, lines)
    if was_restored and plan.place:
        lines = _unify_place_name(lines, plan.place)
        plan.restored_text = "\n".join(line.text for line in lines)
    body_start = (
        _find_title(lines, type_index, plan) if type_index is not None else header_end
    )

    appendix = _find_appendix(lines, body_start)
    heading_indexes = [h for h in _find_headings(lines, body_start) if h[0] < appendix]
    if heading_indexes:
        first_heading = heading_indexes[0][0]
        _find_implements(lines[body_start:first_heading], plan)
        end = min(_find_body_end(lines, heading_indexes), appendix)
        _build_sections(lines, [h for h in heading_indexes if h[0] < end], end, plan)
        _find_signer(lines[end:appendix], plan)
        _add_appendix_tasks(lines[appendix:], plan)
    else:
        _find_signer(lines[max(body_start, appendix - 30) : appendix], plan)

    if not plan.sections or not (plan.number or plan.doc_type):
        raise PlanParseError(
            "Không nhận ra văn bản kế hoạch: không tìm thấy số, ký hiệu, loại văn bản"
            " hoặc các mục nội dung theo thể thức Nghị định 30/2020/NĐ-CP.",
            code="not_a_plan",
        )
    _add_warnings(plan, was_restored)
    return plan


# List markers "a)" only count as the first word of a line: elsewhere "B)" is an OCR
# reading of a word ("Bộ Chính trị") that the restorer should be free to fix.
_LIST_MARKER_RE = re.compile(r"[a-zđA-ZĐ]\)")
_PROTECTED_TOKEN_RE = re.compile(
    r"[-+•*–]"  # bullets
    r"|\(?\d+(?:[./-]\d+)*[.)/,;:]*"  # numbers, "1.", "30/6/2026."
    r"|[IVXLC]+(?:[./)]\S*)?"  # Roman numerals, "III/2026"
    r"|\S*\d\S*/\S*|\S*/\S*\d\S*"  # symbols with a slash and digits: "57-NQ/TW"
)


def _restore(text: str) -> tuple[str, bool]:
    if not needs_restoration(text):
        return text, False
    restored = nfc(restore(text))
    raw_lines = text.split("\n")
    if restored.count("\n") != len(raw_lines) - 1:
        # The restorer must keep line breaks; if it did not, restore line by line.
        restored = "\n".join(
            nfc(restore(line)) if line.strip() else line for line in raw_lines
        )
    lines = [
        _protect(raw, res)
        for raw, res in zip(raw_lines, restored.split("\n"), strict=True)
    ]
    return "\n".join(lines), True


def _unify_place_name(lines: list[_Line], place: str) -> list[_Line]:
    """Write the ward's own name the same way everywhere it is capitalised.

    The restorer reads each occurrence on its own and may give "Hải Đường" in one
    line and "Hải Dương" in the next; the header settled which one it is.
    """
    size = len(place.split())
    target = fold_lower(place)

    def unify(text: str) -> str:
        words = list(re.finditer(r"[^\W\d_]+", text))
        spans = []
        i = 0
        while i + size <= len(words):
            window = words[i : i + size]
            start, end = window[0].start(), window[-1].end()
            found = text[start:end]
            if (
                found[:1].isupper()
                and fold_lower(" ".join(w.group() for w in window)) == target
                and all(
                    text[a.end() : b.start()].isspace()
                    for a, b in zip(window, window[1:], strict=False)
                )
            ):
                spans.append((start, end, place.upper() if found.isupper() else place))
                i += size
            else:
                i += 1
        for start, end, value in reversed(spans):
            text = text[:start] + value + text[end:]
        return text

    result = []
    for line in lines:
        text = unify(line.text)
        result.append(
            line if text == line.text else _Line(line.index, line.raw, text, _key(text))
        )
    return result


def _protect(raw: str, restored: str) -> str:
    """Put back markers, numbers and symbols the restorer should not have touched."""
    raw_parts = re.split(r"(\s+)", raw)
    res_parts = re.split(r"(\s+)", restored)
    if len(raw_parts) != len(res_parts):
        return restored
    out = []
    first = next((n for n, part in enumerate(raw_parts) if n % 2 == 0 and part), -1)
    for n, (a, b) in enumerate(zip(raw_parts, res_parts, strict=True)):
        protected = _PROTECTED_TOKEN_RE.fullmatch(a) or (
            n == first and _LIST_MARKER_RE.fullmatch(a)
        )
        if n % 2 == 0 and a != b and protected:
            out.append(a)
        else:
            out.append(b)
    return "".join(out)


def _add_warnings(plan: ParsedPlan, was_restored: bool) -> None:
    warnings = plan.warnings
    if was_restored:
        warnings.insert(
            0,
            "Văn bản bị mất dấu tiếng Việt; nội dung đã được khôi phục dấu tự động,"
            " cần rà soát lại trước khi xác nhận.",
        )
    missing = [
        (plan.number, "Không tìm thấy số, ký hiệu văn bản."),
        (plan.date, "Không tìm thấy ngày ban hành."),
        (plan.issuer, "Không tìm thấy cơ quan ban hành."),
        (plan.title, "Không tìm thấy trích yếu (tên) của văn bản."),
        (plan.signer, "Không tìm thấy người ký văn bản."),
        (
            plan.units,
            "Không tìm thấy đơn vị nào được phân công trong mục Tổ chức thực hiện.",
        ),
    ]
    warnings.extend(message for value, message in missing if not value)
    for unit in plan.units:
        if not unit.tasks:
            warnings.append(f"Đơn vị “{unit.name}” chưa có nhiệm vụ nào được nhận ra.")
