"""The header: document type, number and symbol, date and place, issuer, title."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from loa.vn import parse_date

from .keys import (
    _clean_space,
    _fold_same_length,
    _is_terminal,
    _is_upper_line,
    _key,
    _Line,
    _starts_lower,
    _word_count,
)
from .regexes import (
    _HEADER_DATE_RE,
    _MOTTO_RES,
    _NUMBER_RE,
    _PREAMBLE_START_RE,
    _SEPARATOR_RE,
    _UBND_RE,
)
from .result import ParsedPlan
from .vocabularies import _ADMIN_WORDS, _DOC_TYPES


def _find_doc_type(lines: list[_Line], plan: ParsedPlan) -> int | None:
    for line in lines[:30]:
        if (
            line.blank
            or not _is_upper_line(line.text, 0.8)
            or _word_count(line.text) > 4
        ):
            continue
        compact = _clean_space(re.sub(r"[^a-z ]", " ", line.key))
        for folded, display in _DOC_TYPES.items():
            if compact == folded or (
                len(compact) >= 6
                and difflib.SequenceMatcher(None, compact, folded).ratio() >= 0.85
            ):
                plan.doc_type = display
                return line.index
    return None


def _find_number(lines: list[_Line], plan: ParsedPlan) -> _Line | None:
    for line in lines:
        folded = _fold_same_length(line.text)
        match = _NUMBER_RE.search(folded)
        if not match:
            continue
        start, end = match.span(2)
        symbol = re.sub(r"\s+", "", line.text[start:end])
        plan.number = f"{int(match.group(1)):d}/{symbol}" if match.group(1) else symbol
        # Keep the leading zeros a document number might carry ("05/KH-UBND").
        plan.number = f"{match.group(1)}/{symbol}"
        return line
    return None


def _strip_motto(key: str) -> int:
    """Return where the national motto starts in a header key (or its length)."""
    cut = len(key)
    for regex in _MOTTO_RES:
        match = regex.search(key)
        if match:
            cut = min(cut, match.start())
    return cut


def _find_date_place(
    lines: list[_Line], plan: ParsedPlan, number_line: _Line | None
) -> None:
    for line in lines:
        match = _HEADER_DATE_RE.search(line.key)
        value = None
        if match:
            try:
                value = dt.date(
                    int(match.group(3)), int(match.group(2)), int(match.group(1))
                )
            except ValueError:
                value = None
        if value is None:
            value = parse_date(line.text) if "ng" in line.key else None
            if value is None:
                continue
        plan.date = value
        if match:
            start = 0
            if number_line is not None and number_line.index == line.index:
                number_match = _NUMBER_RE.search(_fold_same_length(line.text))
                start = number_match.end() if number_match else 0
            place = line.text[start : match.start()].strip(" ,;:-–\t")
            if place and len(place) <= 60 and not _MOTTO_RES[1].search(_key(place)):
                plan.place = _clean_space(place)
        return


def _format_locality(text: str) -> str:
    """Turn "PHƯỜNG HẢI DƯƠNG" into "phường Hải Dương"."""
    text = _clean_space(text)
    if not text:
        return text
    if not _is_upper_line(text, 0.9):
        return text
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = _key(" ".join(words[i : i + 2]))
        single = _key(words[i])
        if i + 1 < len(words) and pair in _ADMIN_WORDS:
            out.append(_ADMIN_WORDS[pair])
            i += 2
            continue
        if single in _ADMIN_WORDS and (i == 0 or out[-1] in _ADMIN_WORDS.values()):
            out.append(_ADMIN_WORDS[single])
        elif any(ch.isdigit() for ch in words[i]):
            out.append(words[i])
        else:
            out.append(words[i][:1].upper() + words[i][1:].lower())
        i += 1
    return " ".join(out)


def _find_issuer(lines: list[_Line], plan: ParsedPlan, all_lines: list[_Line]) -> None:
    start = None
    for line in lines:
        if _UBND_RE.search(line.key):
            start = line
            break
    if start is None:
        return
    parts: list[str] = []
    match = _UBND_RE.search(start.key)
    rest_key = start.key[match.end() :]
    cut = _strip_motto(rest_key)
    parts.append(start.text[match.end() : match.end() + cut])
    for line in lines[start.index - lines[0].index + 1 :]:
        if line.blank or _SEPARATOR_RE.match(line.text):
            continue
        folded = _fold_same_length(line.text)
        if _NUMBER_RE.search(folded) or _HEADER_DATE_RE.search(line.key):
            break
        if _UBND_RE.search(line.key):
            # "UBND THÀNH PHỐ X / ỦY BAN NHÂN DÂN PHƯỜNG Y": the lower line is the issuer.
            parts = []
            match = _UBND_RE.search(line.key)
            parts.append(
                line.text[
                    match.end() : match.end() + _strip_motto(line.key[match.end() :])
                ]
            )
            continue
        cut = _strip_motto(line.key)
        piece = line.text[:cut]
        if not piece.strip():
            continue  # the motto column, read as a line of its own
        if not _is_upper_line(piece, 0.8):
            break
        parts.append(piece)
    locality = _clean_space(" ".join(p.strip(" -–_") for p in parts))
    locality = _vote_locality(locality, all_lines)
    plan.issuer = (
        f"Ủy ban nhân dân {_format_locality(locality)}".strip() if locality else None
    )
    if plan.issuer and plan.place:
        # The place line is often damaged by OCR more than the issuer's header.
        tail = _locality_name(locality)
        if tail and _similar(_key(tail), _key(plan.place)) >= 0.6:
            plan.place = _format_locality(tail) if _is_upper_line(tail, 0.9) else tail
    elif plan.issuer and not plan.place:
        tail = _locality_name(locality)
        plan.place = (
            _format_locality(tail) if _is_upper_line(tail, 0.9) else tail
        ) or None


def _vote_locality(locality: str, lines: list[_Line]) -> str:
    """Pick the most frequent restoration of the locality's name across the text.

    A restorer sees the header's capitals with little context and may pick a wrong
    tone ("HẢI ĐƯỜNG"); the same name recurs in the body, where most of its
    restorations agree.
    """
    words = locality.split()
    admin = [
        w for w in words if _key(w) in {"phuong", "xa", "thi", "tran", "dac", "khu"}
    ]
    name = words[len(admin) :] if words[: len(admin)] == admin else words
    target = [re.sub(r"\W", "", _key(w)) for w in name]
    if not 1 <= len(target) <= 4:
        return locality
    votes: dict[str, int] = {}
    for line in lines:
        raw_tokens = line.raw.split()
        res_tokens = line.text.split()
        if len(raw_tokens) != len(res_tokens):
            continue
        raw_keys = [re.sub(r"\W", "", _key(t)) for t in raw_tokens]
        res_keys = [re.sub(r"\W", "", _key(t)) for t in res_tokens]
        for i in range(len(raw_keys) - len(target) + 1):
            if (
                raw_keys[i : i + len(target)] == target
                or res_keys[i : i + len(target)] == target
            ):
                found = [
                    re.sub(r"^\W+|\W+$", "", t) for t in res_tokens[i : i + len(target)]
                ]
                form = " ".join(t[:1].upper() + t[1:].lower() for t in found)
                votes[form] = votes.get(form, 0) + 1
    if not votes:
        return locality
    best = max(votes.items(), key=lambda item: item[1])[0]
    current = " ".join(t[:1].upper() + t[1:].lower() for t in name)
    if votes.get(current, 0) >= votes[best]:
        return locality
    best_words = best.split()
    if _is_upper_line(" ".join(name), 0.9):
        best_words = [w.upper() for w in best_words]
    return " ".join(admin + best_words)


def _locality_name(locality: str) -> str:
    words = locality.split()
    while words and _key(words[0]) in {"phuong", "xa", "thi", "tran", "dac", "khu"}:
        words = words[1:]
    return " ".join(words)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _find_title(lines: list[_Line], type_index: int, plan: ParsedPlan) -> int:
    parts: list[str] = []
    i = type_index + 1
    blank_before = False
    while i < len(lines) and len(parts) < 6:
        line = lines[i]
        if line.blank:
            if parts:
                blank_before = True
            i += 1
            continue
        if _SEPARATOR_RE.match(line.text):
            if parts:
                i += 1
                break
            i += 1
            continue
        if parts and (
            _PREAMBLE_START_RE.match(line.key)
            or _is_terminal(parts[-1])
            or (blank_before and not _starts_lower(line.text))
            or (_is_upper_line(line.text) and not _is_upper_line(parts[-1]))
        ):
            break
        if not parts and _PREAMBLE_START_RE.match(line.key):
            break
        parts.append(line.text.strip())
        blank_before = False
        i += 1
    if parts:
        plan.title = _join_lines(parts)
    return i


def _join_lines(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += part
        else:
            out = f"{out} {part}" if out else part
    return _clean_space(out)
