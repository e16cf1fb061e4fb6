"""Keep only what a language model wrote that the cited passages support.

A sentence is supported when every number it states occurs in the passages and most of
its content syllables (folded, function words left out) do too. Unsupported sentences
are dropped, not reworded: a resident reads fewer words, never an invented fact.
"""

import re

from loa.vn import fold_lower, nfc

from .retrieval.tokens import is_stop_word

SUPPORT_MIN = 0.75  # share of a sentence's content syllables found in the passages

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n+")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_MARKER_RE = re.compile(r"\[\d+\]")


def _numbers(text: str) -> set[str]:
    return {n.replace(".", "").replace(",", "") for n in _NUMBER_RE.findall(text)}


def _syllables(text: str) -> list[str]:
    return [
        s
        for s in re.findall(r"[^\W\d_]+", fold_lower(text))
        if not is_stop_word(s) and len(s) > 1
    ]


def sentence_supported(sentence: str, passages: list[str]) -> bool:
    source = nfc("\n".join(passages))
    words = set(_syllables(source))
    body = _MARKER_RE.sub("", sentence)
    if not _numbers(body) <= _numbers(source):
        return False
    syllables = _syllables(body)
    if not syllables:
        return False
    return sum(s in words for s in syllables) / len(syllables) >= SUPPORT_MIN


def supported_text(written: str, passages: list[str]) -> str:
    """The sentences of `written` the passages support, in order; "" when none is."""
    kept = [
        piece.strip()
        for piece in _SENTENCE_RE.split(nfc(written))
        if piece.strip() and sentence_supported(piece, passages)
    ]
    return " ".join(kept)
