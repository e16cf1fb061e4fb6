"""Diacritic-insensitive search of portal pages (pure functions, no database)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from loa.vn import fold_lower, nfc

_WORD_RE = re.compile(r"\w+")
MAX_QUERY_CHARS = 200


def folded_words(text: str) -> list[str]:
    """Return the folded, lowercase words of the text."""
    return _WORD_RE.findall(fold_lower(nfc(text or "")))


def folded_index_text(*parts: str) -> str:
    """Return the text stored for search: folded words between single spaces.

    The leading and trailing spaces let a query word match whole words only
    (`contains(" " + word + " ")`), so "so" finds "số" but not "sống" or "also".
    """
    words = []
    for part in parts:
        words.extend(folded_words(part))
    return " " + " ".join(words) + " "


def query_terms(query: str) -> list[str]:
    """Return the distinct folded words of a query, in order."""
    seen: list[str] = []
    for word in folded_words((query or "")[:MAX_QUERY_CHARS]):
        if word not in seen:
            seen.append(word)
    return seen[:12]


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """Fold text character by character, remembering each folded char's origin."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for f in fold_lower(ch):
            out.append(f)
            origin.append(i)
    return "".join(out), origin


def _match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    folded, origin = _folded_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        for m in re.finditer(r"(?<!\w)" + re.escape(term) + r"(?!\w)", folded):
            spans.append((origin[m.start()], origin[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        # Adjacent matched words read as one phrase: "<mark>chuyển đổi số</mark>".
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escape the text and wrap the words that match the query in <mark>."""
    text = nfc(text or "")
    pieces = []
    pos = 0
    for start, end in _match_spans(text, terms):
        pieces.append(escape(text[pos:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    pieces.append(escape(text[pos:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def snippet(text: str, terms: list[str], width: int = 220) -> SafeString:
    """Return a highlighted excerpt around the first match (or the text's start)."""
    text = " ".join(nfc(text or "").split())
    spans = _match_spans(text, terms)
    start = 0
    if spans and spans[0][0] > width // 3:
        start = text.rfind(" ", 0, spans[0][0] - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    excerpt = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(excerpt, terms) + suffix)  # noqa: S308
