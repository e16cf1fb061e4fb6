"""Letters and syllables: marks of a letter and the shape of a Vietnamese syllable."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SHAPES = {"\u0302": "^", "\u0306": "(", "\u031b": "+"}
TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
VOWELS = frozenset("aeiouy")

# Onset + nucleus + coda, on folded lowercase text ("đ" folded to "d").
_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?:[aeiouy]{1,3})"
    r"(?:ng|nh|ch|[cmnpt])?"
)


@lru_cache(maxsize=4096)
def letter_marks(ch: str) -> tuple[str, str, str]:
    """Return (base letter, shape mark, tone mark) of one lowercase letter.

    "ế" gives ("e", "^", "1"); "đ" stays its own base letter.
    """
    if ch == "đ":
        return ("đ", "", "")
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    shape = tone = ""
    for mark in decomposed[1:]:
        if mark in SHAPES:
            shape = SHAPES[mark]
        elif mark in TONES:
            tone = TONES[mark]
    return (base, shape, tone)


@lru_cache(maxsize=65536)
def key_of(syllable: str) -> str:
    """Return the lookup key of a lowercase syllable: marks removed, "đ" kept."""
    return "".join(letter_marks(ch)[0] for ch in syllable)


@lru_cache(maxsize=65536)
def is_syllable(text: str) -> bool:
    """Tell whether a lowercase token has the shape of a Vietnamese syllable."""
    tones = 0
    folded = []
    for ch in text:
        base, _shape, tone = letter_marks(ch)
        if tone:
            tones += 1
            if base not in VOWELS:
                return False
        folded.append("d" if base == "đ" else base)
    if tones > 1:
        return False
    return bool(_SYLLABLE_RE.fullmatch("".join(folded)))


def has_marks(text: str) -> bool:
    """Tell whether any letter carries a Vietnamese diacritic (or is "đ")."""
    return any(
        letter_marks(ch)[1] or letter_marks(ch)[2] or ch == "đ" for ch in text.lower()
    )


_NEW_STYLE = re.compile(
    r"^(?P<onset>[^aeiouy]*)(?P<v1>[oòóỏõọ])(?P<v2>[aàáảãạeèéẻẽẹ])$|"
    r"^(?P<onset2>[^aeiouy]*)(?P<u>[uùúủũụ])(?P<y>[yỳýỷỹỵ])$"
)


@lru_cache(maxsize=65536)
def tone_new_style(syllable: str) -> str:
    """Move the tone of "oa", "oe", "uy" without coda to the first vowel ("hoà" → "hòa")."""
    lower = syllable
    match = _NEW_STYLE.match(lower)
    if not match:
        return syllable
    if match.group("v1"):
        onset, v1, v2 = match.group("onset"), match.group("v1"), match.group("v2")
    else:
        onset, v1, v2 = match.group("onset2"), match.group("u"), match.group("y")
        if onset.endswith("q"):
            return syllable
    if onset.endswith("g") and v1 in "iì":
        return syllable
    b1, _, t1 = letter_marks(v1)
    b2, s2, t2 = letter_marks(v2)
    tone = t1 or t2
    if not tone or t1:
        return syllable
    return onset + _compose(b1, "", tone) + _compose(b2, s2, "")


_TONE_MARKS = {
    "1": "\u0301",
    "2": "\u0300",
    "3": "\u0309",
    "4": "\u0303",
    "5": "\u0323",
}
_SHAPE_MARKS = {"^": "\u0302", "(": "\u0306", "+": "\u031b"}


def _compose(base: str, shape: str, tone: str) -> str:
    return unicodedata.normalize(
        "NFC", base + _SHAPE_MARKS.get(shape, "") + _TONE_MARKS.get(tone, "")
    )
