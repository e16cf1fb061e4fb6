"""Blocks: a section's lines grouped into items by bullet, number and wrapping."""

from __future__ import annotations

from dataclasses import dataclass

from .header import _join_lines
from .keys import _clean_space, _is_terminal, _key, _Line, _starts_lower, _word_count
from .regexes import _BULLET_RE, _SEPARATOR_RE, _TRAILING_PUNCT


@dataclass
class _Block:
    kind: str | None
    lines: list[_Line]
    marker_end: int

    @property
    def first_text(self) -> str:
        return self.lines[0].text[self.marker_end :].strip()

    @property
    def text(self) -> str:
        parts = [self.first_text] + [line.text for line in self.lines[1:]]
        return _join_lines(parts).strip(_TRAILING_PUNCT)

    @property
    def key(self) -> str:
        return _key(self.text)

    @property
    def raw_key(self) -> str:
        return _key(_clean_space(" ".join(line.raw for line in self.lines)))


def _bullet(line: _Line) -> tuple[str, int] | None:
    match = _BULLET_RE.match(line.text)
    if not match:
        return None
    kind = next(
        name
        for name in ("dash", "plus", "dot", "letter", "number")
        if match.group(name)
    )
    if kind == "letter" and not line.text[match.end() :].strip():
        return None
    return kind, match.end()


def _continues(block: _Block, line: _Line, blank_before: bool) -> bool:
    last = block.lines[-1].text
    if (
        not blank_before
        and _starts_lower(line.text)
        and not last.rstrip().endswith(":")
    ):
        # "… Kế hoạch này;" / "cung cấp đề cương …": one bullet wrapped after a ";".
        return True
    if _is_terminal(last):
        return False
    if blank_before:
        return _starts_lower(line.text)
    if _starts_lower(line.text):
        return True
    # A short unterminated line before a capitalised one is a heading of its own.
    return _word_count(last) > 10


def _blocks(lines: list[_Line]) -> list[_Block]:
    blocks: list[_Block] = []
    blank_before = False
    for line in lines:
        if line.blank or _SEPARATOR_RE.match(line.text):
            blank_before = True
            continue
        bullet = _bullet(line)
        if bullet:
            blocks.append(_Block(bullet[0], [line], bullet[1]))
        elif blocks and _continues(blocks[-1], line, blank_before):
            blocks[-1].lines.append(line)
        else:
            blocks.append(
                _Block(None, [line], len(line.text) - len(line.text.lstrip()))
            )
        blank_before = False
    return blocks
