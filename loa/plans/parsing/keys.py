"""Lines and their keys, folded one character per character so offsets stay valid.

A key is the (restored) line folded to lowercase ASCII: a match position in a key
is the same position in the line's text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    if ord(ch) < 128:
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if ord(base) < 128 else ch


def _fold_same_length(text: str) -> str:
    """Fold diacritics one character per character, so offsets stay valid."""
    return "".join(_fold_char(ch) for ch in text)


def _key(text: str) -> str:
    folded = _fold_same_length(text)
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in folded)


def _clean_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isalpha()]


def _is_upper_line(text: str, threshold: float = 0.75) -> bool:
    letters = _letters(text)
    if len(letters) < 2:
        return False
    return sum(ch.isupper() for ch in letters) / len(letters) >= threshold


def _starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def _is_terminal(text: str) -> bool:
    return text.rstrip(" \t\"'”’»)*").endswith((".", ";", ":", "!", "?"))


def _word_count(text: str) -> int:
    return len(text.split())


@dataclass
class _Line:
    index: int
    raw: str
    text: str
    key: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()
