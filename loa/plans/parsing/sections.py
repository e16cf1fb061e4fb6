"""Sections: headings found by their words, never their numbers, and their items.

Also where the body ends: the closing block, or a closing sentence in the last
section.
"""

from __future__ import annotations

import re

from .blocks import _blocks
from .header import _similar
from .keys import (
    _clean_space,
    _fold_same_length,
    _is_terminal,
    _is_upper_line,
    _key,
    _letters,
    _Line,
    _word_count,
)
from .regexes import _CLOSING_RE, _END_RES, _HEADING_PREFIX_RE, _ROMAN_RE
from .result import ParsedPlan, ParsedSection, ParsedUnit
from .units import _units
from .vocabularies import _ACRONYMS, _HEADINGS


def _heading_of(line: _Line) -> tuple[str, str, int] | None:
    """Return (display heading, kind, prefix kind) if the line is a section heading."""
    if line.blank or _word_count(line.text) > 16:
        return None
    prefix = _HEADING_PREFIX_RE.match(line.key)
    rest_key = line.key[prefix.end() :]
    rest_text = line.text[prefix.end() :]
    part = prefix.group("part")
    num = prefix.group("num")
    if prefix.group("letter") and not line.text[prefix.start("letter")].isupper():
        return None  # "a. …" is an item of a list, only "A. …" opens a section
    if not _letters(rest_text):
        return (_clean_space(line.text), "other", 2) if part else None
    if not _is_upper_line(rest_text):
        return None
    compact = _clean_space(re.sub(r"[^a-z0-9 ]", " ", rest_key))
    kind = None
    for words, heading_kind in _HEADINGS:
        head = compact[: len(words)]
        if head == words or (len(words) >= 7 and _similar(head, words) >= 0.8):
            kind = heading_kind
            break
    if kind is None:
        if _is_terminal(rest_text) or not (part or (num and _ROMAN_RE.match(num))):
            return None
        kind = "other"
    return _display_heading(rest_text), kind, 1


_CANONICAL_HEADINGS = [
    "Mục đích, yêu cầu",
    "Mục đích và yêu cầu",
    "Mục tiêu, yêu cầu",
    "Nội dung, hình thức tuyên truyền",
    "Nội dung và hình thức tuyên truyền",
    "Nội dung tuyên truyền",
    "Hình thức tuyên truyền",
    "Nhiệm vụ, giải pháp",
    "Nhiệm vụ và giải pháp",
    "Nhiệm vụ, giải pháp trọng tâm",
    "Kinh phí",
    "Kinh phí thực hiện",
    "Tổ chức thực hiện",
    "Chế độ báo cáo",
    "Chế độ thông tin, báo cáo",
]


def _display_heading(text: str) -> str:
    text = _clean_space(text).strip(" .:;-–")
    compact = _clean_space(re.sub(r"[^a-z0-9 ]", " ", _key(text)))
    for canonical in _CANONICAL_HEADINGS:
        canon_key = _clean_space(re.sub(r"[^a-z0-9 ]", " ", _key(canonical)))
        if compact == canon_key or _similar(compact, canon_key) >= 0.88:
            return canonical
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        folded = _key(word).strip(",.;:()")
        if folded in _ACRONYMS or any(ch.isdigit() for ch in word):
            out.append(word)
        elif i == 0:
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
    result = " ".join(out)
    return result.replace("việt nam", "Việt Nam")


def _find_headings(lines: list[_Line], start: int) -> list[tuple[int, str, str]]:
    found: list[tuple[int, str, str]] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if any(regex.match(line.key) for regex in _END_RES[:1]):
            break
        heading = _heading_of(line)
        if heading is None:
            i += 1
            continue
        display, kind, prefix_kind = heading
        if prefix_kind == 2:
            # "PHẦN I" / "PHẦN THỨ NHẤT" alone only labels the part: the heading
            # words on the next line are the section.
            j = i + 1
            while j < len(lines) and lines[j].blank:
                j += 1
            if (
                j < len(lines)
                and _is_upper_line(lines[j].text)
                and _word_count(lines[j].text) <= 14
            ):
                nxt = _heading_of(lines[j])
                words_display = nxt[0] if nxt else _display_heading(lines[j].text)
                found.append((i, words_display, nxt[1] if nxt else "other"))
                i = j + 1
                continue
        found.append((i, display, kind))
        i += 1
    return found


def _find_body_end(lines: list[_Line], headings: list[tuple[int, str, str]]) -> int:
    start = headings[0][0]
    end = len(lines)
    for line in lines[start + 1 :]:
        if any(regex.match(line.key) for regex in _END_RES):
            end = line.index
            break
    # Closing sentences ("Trong quá trình thực hiện, nếu có khó khăn …") only count
    # in the last section: the same words may open a paragraph earlier on.
    last = max((h[0] for h in headings if h[0] < end), default=start)
    for line in lines[last + 1 : end]:
        if _CLOSING_RE.match(line.key):
            return line.index
    return end


def _build_sections(
    lines: list[_Line], headings: list[tuple[int, str, str]], end: int, plan: ParsedPlan
) -> None:
    for n, (index, display, kind) in enumerate(headings):
        stop = headings[n + 1][0] if n + 1 < len(headings) else end
        body = list(lines[index + 1 : stop])
        # A "PHẦN I" heading may have consumed the next line as its words.
        if (
            body
            and not body[0].blank
            and _fold_same_length(display)
            == _fold_same_length(_display_heading(body[0].text))
        ):
            body = body[1:]
        blocks = _blocks(body)
        section = ParsedSection(
            heading=display, items=[b.text for b in blocks if b.text]
        )
        plan.sections.append(section)
        if kind == "organisation":
            plan.units.extend(_units(blocks, plan))
    _merge_units(plan)


def _merge_units(plan: ParsedPlan) -> None:
    merged: dict[str, ParsedUnit] = {}
    for unit in plan.units:
        key = _key(unit.name)
        if key in merged:
            merged[key].tasks.extend(unit.tasks)
        else:
            merged[key] = unit
    plan.units = list(merged.values())
