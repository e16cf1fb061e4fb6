"""Units under "Tổ chức thực hiện" and their tasks: role, recurrence, deadline.

A damaged unit name is mended to the well-known name it is close to; the recurrence
rule is in the package docstring.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from dataclasses import dataclass

from .blocks import _Block
from .header import _join_lines, _similar
from .keys import _clean_space, _key, _letters, _Line, _starts_lower, _word_count
from .regexes import (
    _BUDGET_ONGOING_RE,
    _CHU_TRI_RE,
    _CHU_TRI_THAM_MUU_RE,
    _DE_NGHI_RE,
    _DUE_DAY_RE,
    _DUE_MONTH_RE,
    _DUE_QUARTER_RE,
    _DUE_YEAR_RE,
    _PHOI_HOP_RE,
    _RECURRENCES,
    _UNIT_ROLE_SUFFIX_RE,
)
from .result import ParsedPlan, ParsedTask, ParsedUnit, Recurrence, Role
from .vocabularies import _ORG_WORDS, _UNIT_NAMES, _WARD_LEVELS


def _title_like(block: _Block) -> bool:
    first = block.first_text
    return (
        bool(_letters(first))
        and _word_count(first) <= 22
        and not first.rstrip().endswith((".", ";"))
    )


def _org_like(name: str) -> bool:
    words = _key(_DE_NGHI_RE.sub("", _key(name), count=1)).split()
    if not words:
        return False
    first = re.sub(r"[^a-z]", "", words[0])
    if first in _ORG_WORDS:
        return True
    return len(first) >= 3 and any(
        len(word) == len(first) and _similar(first, word) >= 0.6 for word in _ORG_WORDS
    )


def _inline_unit_head(block: _Block) -> bool:
    """Whether the block names a unit before a colon and gives its task after it.

    "3.2. Đề nghị Ủy ban MTTQ Việt Nam xã và các đoàn thể: phối hợp tuyên truyền …"
    is too long and ends in a full stop, so it is not title-like, yet it opens a
    unit as much as "3.1. Phòng Kinh tế xã" does. A task that starts with a verb
    ("Tổ chức hội nghị: …") is no unit, so the name must hold no task verb.
    """
    first = block.first_text
    colon = first.find(":")
    if colon <= 0 or _word_count(first[colon + 1 :]) < 3:
        return False
    name = first[:colon]
    name_key = _key(name)
    suffix = _UNIT_ROLE_SUFFIX_RE.search(name_key)
    if suffix and suffix.start() > 0:
        name_key = name_key[: suffix.start()]
    return (
        _word_count(name) <= 14
        and _org_like(name)
        and not _ROLE_VERBS.search(_DE_NGHI_RE.sub("", name_key, count=1))
    )


def _unit_head_candidates(blocks: list[_Block]) -> list[_Block]:
    """Numbered or lettered blocks that may open a unit.

    Unit-and-task lines ("3.2. <unit>: <task>") count only beside title-like
    headings of the same kind, so a list of "1. …: …" items elsewhere stays tasks.
    """
    titles = [b for b in blocks if b.kind in ("number", "letter") and _title_like(b)]
    if not titles:
        return titles
    kind = titles[0].kind
    return [
        b for b in blocks if b in titles or (b.kind == kind and _inline_unit_head(b))
    ]


def _units(blocks: list[_Block], plan: ParsedPlan) -> list[ParsedUnit]:
    candidates = _unit_head_candidates(blocks)
    heads: set[int] = set()
    if candidates:
        kinds = {b.kind for b in candidates}
        letters_org = [
            b for b in candidates if b.kind == "letter" and _org_like(b.first_text)
        ]
        if len(kinds) > 1 and letters_org:
            # "1. Trách nhiệm của các đơn vị / a) Công an phường …": letters are units,
            # numbered lines without lettered children may be units too.
            heads.update(id(b) for b in letters_org)
            positions = [blocks.index(b) for b in candidates if b.kind == "number"]
            for n, pos in enumerate(positions):
                nxt = positions[n + 1] if n + 1 < len(positions) else len(blocks)
                children = [b for b in blocks[pos + 1 : nxt] if id(b) in heads]
                if not children and _org_like(blocks[pos].first_text):
                    heads.add(id(blocks[pos]))
        else:
            first_kind = candidates[0].kind
            heads.update(id(b) for b in candidates if b.kind == first_kind)
    units: list[ParsedUnit] = []
    if heads:
        current: ParsedUnit | None = None
        pending: list[_Block] = []
        inherited: str | None = None
        for block in blocks:
            if id(block) in heads:
                if current is not None:
                    current.tasks.extend(_tasks(pending, inherited, plan))
                current, first_task, inherited = _unit_from_heading(block)
                pending = [first_task] if first_task else []
                units.append(current)
            elif block.kind == "number" and any(id(b) in heads for b in blocks):
                # A numbered group heading ("1. Trách nhiệm của các đơn vị"):
                # close the current unit, the group line itself is no task.
                if (
                    current is not None
                    and block in candidates
                    and not _org_like(block.first_text)
                ):
                    current.tasks.extend(_tasks(pending, inherited, plan))
                    current, pending = None, []
                elif current is not None:
                    pending.append(block)
            elif current is not None:
                pending.append(block)
        if current is not None:
            current.tasks.extend(_tasks(pending, inherited, plan))
        return units
    # No unit headings: "- Công an phường: phối hợp …" or "Đề nghị Ủy ban MTTQ … phối hợp …".
    for block in blocks:
        unit = _unit_from_sentence(block, plan)
        if unit is not None:
            units.append(unit)
    return units


def _unit_from_heading(
    block: _Block,
) -> tuple[ParsedUnit, _Block | _TextBlock | None, str | None]:
    name_parts = [block.first_text]
    rest_lines: list[_Line] = []
    for line in block.lines[1:]:
        if not rest_lines and _starts_lower(line.text) and _word_count(line.text) <= 8:
            name_parts.append(line.text)
        else:
            rest_lines.append(line)
    name = _join_lines(name_parts)
    first_task: _TextBlock | None = None
    colon = name.find(":")
    if colon > 0 and _word_count(name[colon + 1 :]) >= 3:
        first_task = _TextBlock(name[colon + 1 :].strip(), "")
        name = name[:colon]
    if rest_lines:
        extra = _join_lines([line.text for line in rest_lines])
        raw = " ".join(line.raw for line in rest_lines)
        first_task = _TextBlock(
            f"{first_task.text} {extra}" if first_task else extra, raw
        )
    name, role = _clean_unit_name(name)
    return ParsedUnit(name=name), first_task, role


@dataclass
class _TextBlock:
    """A task that is not a whole block (split from a unit heading)."""

    text: str
    raw: str
    kind: str | None = None

    @property
    def key(self) -> str:
        return _key(self.text)

    @property
    def raw_key(self) -> str:
        return _key(self.raw)


def _clean_unit_name(name: str) -> tuple[str, str | None]:
    name = _clean_space(name).strip(" :.;,–-")
    key = _key(name)
    match = _DE_NGHI_RE.match(key)
    if match:
        name = name[match.end() :]
        key = key[match.end() :]
    role = None
    match = _UNIT_ROLE_SUFFIX_RE.search(key)
    if match and match.start() > 0:
        role = "chu_tri" if "chu" in match.group(1) else "phoi_hop"
        name = name[: match.start()]
    name = name.strip(" :.;,–-()")
    if name:
        name = name[0].upper() + name[1:]
    return _snap_unit_name(name), role


def _unit_compare_key(name: str) -> str:
    return _clean_space(re.sub(r"[^a-z0-9]+", " ", _key(name)))


_UNIT_CANDIDATES: list[tuple[str, str]] = []


def _unit_candidates() -> list[tuple[str, str]]:
    if not _UNIT_CANDIDATES:
        for template in _UNIT_NAMES:
            levels = _WARD_LEVELS if "{cap}" in template else [""]
            for level in levels:
                display = template.replace("{cap}", level).strip()
                _UNIT_CANDIDATES.append((_unit_compare_key(display), display))
    return _UNIT_CANDIDATES


def _snap_unit_name(name: str) -> str:
    """Replace a damaged unit name by the well-known name it is close to.

    Only the spelling is mended: a known name that lacks a word of the document's
    ("Phòng Kinh tế" for "Phòng Kinh tế xã") or adds one is a different unit.
    """
    key = _unit_compare_key(name)
    if not key:
        return name
    best, best_ratio = None, 0.0
    for cand_key, display in _unit_candidates():
        if abs(len(cand_key) - len(key)) > max(4, len(cand_key) // 5):
            continue
        if not _same_words(key, cand_key):
            continue
        ratio = _similar(key, cand_key)
        if ratio > best_ratio:
            best, best_ratio = display, ratio
    if best is not None and best_ratio >= 0.84:
        return best
    return name


def _same_words(key: str, cand_key: str) -> bool:
    """Whether two name keys differ only inside words, none added or dropped.

    Words are aligned; each differing run must still look like the other (OCR may
    damage "hội" into "hi" or split "văn" into "vă n"), not be missing.
    """
    words, cand_words = key.split(), cand_key.split()
    matcher = difflib.SequenceMatcher(None, words, cand_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace":
            return False
        if _similar("".join(words[i1:i2]), "".join(cand_words[j1:j2])) < 0.6:
            return False
    return True


_ROLE_VERBS = re.compile(
    r"\b(?:chu\s+tri|phoi\s+hop|chi\s+dao|tham\s+gia|tuyen\s+truyen|chu\s+dong|tiep\s+tuc"
    r"|quan\s+tam|huong\s+dan|van\s+dong|to\s+chuc|trien\s+khai|thuc\s+hien|dua\s+tin)\b"
)


def _unit_from_sentence(block: _Block, plan: ParsedPlan) -> ParsedUnit | None:
    text = block.text
    key = _key(text)
    raw = _clean_space(" ".join(line.raw for line in block.lines))
    colon = text.find(":")
    if 0 < colon and _word_count(text[:colon]) <= 14 and _org_like(text[:colon]):
        name, role = _clean_unit_name(text[:colon])
        task = _TextBlock(text[colon + 1 :].strip(), raw)
        return ParsedUnit(name=name, tasks=_tasks([task], role, plan))
    match = _DE_NGHI_RE.match(key)
    if not (
        match
        and key[match.start() : match.end()].strip().startswith(("de", "pe", "be"))
    ):
        return None
    # "Đề nghị <unit> phối hợp …": the unit name runs up to the first verb. Look for
    # it in the original too, by word position, in case restoration changed the verb.
    words = text.split()
    positions = []
    for candidate in (key, _key(raw)):
        verb = _ROLE_VERBS.search(candidate, match.end())
        if verb and (candidate is key or len(candidate.split()) == len(words)):
            positions.append(len(candidate[: verb.start()].split()))
    if not positions or min(positions) > 16:
        return None
    split = min(positions)
    name, role = _clean_unit_name(" ".join(words[:split]))
    rest = " ".join(words[split:])
    task = _TextBlock(rest[:1].upper() + rest[1:], raw)
    return ParsedUnit(name=name, tasks=_tasks([task], role, plan))


def _tasks(blocks: list, inherited: str | None, plan: ParsedPlan) -> list[ParsedTask]:
    """Turn the blocks under a unit into tasks; a lead-in ending in ":" is no task.

    The lead-in's role ("Chủ trì, phối hợp … các nội dung sau:") carries over to the
    sub-items under it, and the unit's own role (from its heading) to every task.
    """
    tasks: list[ParsedTask] = []
    lead_kind: str | None = None
    lead_role: str | None = None
    for n, block in enumerate(blocks):
        text = block.text
        if not text or _is_note(text):
            continue
        nxt = blocks[n + 1] if n + 1 < len(blocks) else None
        role = _role(block.key, block.raw_key)
        if (
            text.rstrip().endswith(":")
            and nxt is not None
            and nxt.kind is not None
            and nxt.kind != block.kind
        ):
            lead_kind, lead_role = nxt.kind, role
            continue
        if block.kind != lead_kind:
            lead_kind, lead_role = None, None
        text = text.rstrip(":").strip()
        tasks.append(
            ParsedTask(
                text=text[:1].upper() + text[1:],
                role=role or lead_role or inherited,
                recurrence=_recurrence(block.key) or _recurrence(block.raw_key),
                due=_due(block.raw_key, plan.date) or _due(block.key, plan.date),
            )
        )
    return tasks


def _is_note(text: str) -> bool:
    """A line wholly in brackets is a note ("(Chi tiết nhiệm vụ tại Phụ lục kèm
    theo)"), not something a unit must do."""
    text = text.strip().rstrip(".")
    return text.startswith("(") and text.endswith(")") and text.count("(") == 1


def _role(key: str, raw_key: str) -> Role | None:
    for candidate in (key, raw_key):
        match = _CHU_TRI_RE.search(candidate)
        if match and (
            _word_count(candidate[: match.start()]) <= 5
            or _CHU_TRI_THAM_MUU_RE.search(candidate)
        ):
            return "chu_tri"
        if _CHU_TRI_THAM_MUU_RE.search(candidate):
            return "chu_tri"
    for candidate in (key, raw_key):
        if _PHOI_HOP_RE.search(candidate):
            return "phoi_hop"
    return None


def _recurrence(key: str) -> Recurrence | None:
    for name, regex in _RECURRENCES:
        if name == "thuong_xuyen":
            stripped = _BUDGET_ONGOING_RE.sub(" ", key)
            if regex.search(stripped):
                return name
        elif regex.search(key):
            return name
    return None


def _month_end(year: int, month: int) -> dt.date | None:
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _due(key: str, plan_date: dt.date | None) -> dt.date | None:
    found: list[tuple[int, dt.date]] = []
    for match in _DUE_DAY_RE.finditer(key):
        year = (
            int(match.group(3))
            if match.group(3)
            else (plan_date.year if plan_date else None)
        )
        if year is None:
            continue
        try:
            found.append(
                (match.start(), dt.date(year, int(match.group(2)), int(match.group(1))))
            )
        except ValueError:
            continue
    for match in _DUE_MONTH_RE.finditer(key):
        month, year = int(match.group(2)), int(match.group(3))
        if match.group(1) == "truoc":
            month -= 1
            if month == 0:
                month, year = 12, year - 1
        value = _month_end(year, month)
        if value:
            found.append((match.start(), value))
    for match in _DUE_QUARTER_RE.finditer(key):
        quarter = _quarter_number(match.group(2))
        year = (
            int(match.group(3))
            if match.group(3)
            else (plan_date.year if plan_date else None)
        )
        if year is None:
            continue
        if match.group(1) == "truoc":
            quarter -= 1
            if quarter == 0:
                quarter, year = 4, year - 1
        value = _month_end(year, quarter * 3)
        if value:
            found.append((match.start(), value))
    for match in _DUE_YEAR_RE.finditer(key):
        value = _month_end(int(match.group(1)), 12)
        if value:
            found.append((match.start(), value))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _quarter_number(text: str) -> int:
    return {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(text) or int(text)
