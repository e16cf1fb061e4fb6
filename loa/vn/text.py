"""Normalisation, folding and tokenisation of Vietnamese text."""

from __future__ import annotations

import re
import unicodedata

_WORD_RE = re.compile(r"\w+")

# Marks removed by folding; "đ" is a separate letter in Unicode and needs its own map.
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Return the text in Unicode NFC form (the form Vietnamese text is stored in)."""
    return unicodedata.normalize("NFC", text)


def _is_mark(ch: str) -> bool:
    # Marks start at U+0300. A nonzero combining class is not enough: the combining
    # grapheme joiner (U+034F) and other nonspacing marks have class 0.
    return ch >= "\u0300" and (
        unicodedata.combining(ch) != 0 or unicodedata.category(ch) in ("Mn", "Me")
    )


def fold(text: str) -> str:
    """Remove Vietnamese diacritics (and đ → d), keeping case; for matching only.

    Every combining mark goes, so the result never carries one.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if not _is_mark(ch))
    return unicodedata.normalize("NFC", stripped)


def fold_lower(text: str) -> str:
    """Fold diacritics and lowercase."""
    return fold(text).lower()


def syllables(text: str) -> list[str]:
    """Split Vietnamese text into lowercase NFC syllables."""
    return _WORD_RE.findall(nfc(text).lower())


def words(text: str) -> list[str]:
    """Split text into lowercase NFC words with underthesea's word segmenter.

    Multi-syllable words come back joined by a space ("chuyển đổi").
    """
    text = nfc(text)
    if not text.strip():
        return []
    if not text.isascii():
        # A lone surrogate (from a "\\ud800" JSON escape) made underthesea raise.
        text = text.encode("utf-8", "replace").decode("utf-8")
    # Imported late: underthesea takes half a second to load its models.
    from underthesea import word_tokenize

    tokens = word_tokenize(text)
    return [t.lower() for t in tokens if _WORD_RE.search(t)]


def format_number(value) -> str:
    """Write a whole number the Vietnamese way, dots between thousands: 1.250.000."""
    number = round(value or 0)
    return f"{number:,}".replace(",", ".")
