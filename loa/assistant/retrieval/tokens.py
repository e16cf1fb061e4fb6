"""Turn Vietnamese text into the tokens the lexical index and its queries share.

One tokenizer serves both sides; the only differences are deliberate and listed here:

- folded syllables ("chuyen", "doi", "so"): lowercase with diacritics removed, so a
  query typed without diacritics matches text written with them;
- folded syllable bigrams ("chuyen_doi", "doi_so"), never across punctuation, which
  restore some of the word order folding and single syllables lose;
- exact forms ("=chuyển"): the lowercase syllable with its diacritics (tone placement
  normalised, "hoà" = "hòa"). Documents always emit them; a query emits them only when
  it carries diacritics itself, so "thuế nhà" outranks "thuê nhà" for a query typed
  with marks while "thue nha" treats both alike;
- word tokens (documents only, by default): underthesea words of three or more syllables,
  folded and joined with "_" ("ho_chi_minh"); two-syllable words are already
  covered by the bigrams;
- abbreviations: a token `loa.vn.abbreviation_lookup` knows (written in capitals, or not
  shaped like a Vietnamese syllable: "cds", "dvc", "nq") adds a concept token
  ("#chuyen_doi_so") and the folded syllables and bigrams of its full form; the full
  phrase written out adds the same concept token, so "CĐS" and "chuyển đổi số" meet
  from either side;
- document numbers: a number next to a document-type abbreviation or its phrase
  ("57-NQ/TW", "NQ57", "nq 57", "Nghị quyết số 57") adds "nq:57"; leading zeros are
  dropped from every number ("02" = "2");
- letters and digits glued together are split ("nq57" → "nq", "57"); one-letter
  syllables ("ở", "ý") are kept.

Stop words are kept in the BM25 tokens (IDF weighs them down) and only dropped by
`coverage_units`, which describes what share of a query a passage covers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from loa.vn import ABBREVIATIONS, abbreviation_lookup, nfc
from loa.vn import fold_lower as _fold_lower
from loa.vn.syllable import is_syllable, tone_new_style

# Both spellings are correct after these onsets ("kí"/"ký", "lí"/"lý", "mĩ"/"mỹ", "tỉ"/"tỷ",
# "hi vọng"/"hy vọng", "quí"/"quý"): matched as one ("kí tự" finds "ký tự").
_Y_AS_I_RE = re.compile(r"\b(k|l|m|t|s|h|qu)y\b")


@lru_cache(maxsize=65536)
def fold_lower(text: str) -> str:
    """Fold diacritics and lowercase (cached: the same syllables recur all the time)."""
    return _Y_AS_I_RE.sub(r"\1i", _fold_lower(text))


# Bump when the tokens change: a saved index built with another version is re-tokenised.
TOKENIZER_VERSION = 2

EXACT_PREFIX = "="
CONCEPT_PREFIX = "#"
WORD_MIN_SYLLABLES = 3

# Punctuation that ends a phrase; "." and "," between digits ("4.0", "1,5") do not.
_BREAK_RE = re.compile(r"[.,](?!\d)|(?<!\d)[.,]|[;:!?…\n\r\t()\[\]{}\"“”‘’«»|•·*›»]+")
_SPAN_RE = re.compile(r"[\w&]+(?:-[\w&]+)*")
_WORD_RE = re.compile(r"\w+")
_PIECE_RE = re.compile(r"\d+|[^\W\d_]+")

# Abbreviations that name a kind of document, so "57" next to them is a document number.
_DOCUMENT_TYPES = {"NQ", "NĐ", "QĐ", "TT", "CT", "KH", "TB", "BC", "CV"}

# Function words dropped from coverage (not from BM25). Written with diacritics; a
# query syllable without diacritics is compared folded, except for the folded forms
# listed in _AMBIGUOUS_FOLDED, which are also common content words ("căn", "đăng", "tài").
STOP_WORDS = frozenset(
    """
    à ạ ai anh bao bị bởi các cái cần chị cho chứ có còn của cũng đã đang đâu để đến đi
    được gì hay hoặc hỏi khi không kia là làm mà mình muốn này nào nay nên nếu nhé nhỉ
    như những nhiêu nữa ở ơi phải ra rồi sao sẽ tại thế thể thì thôi theo tôi trong từ
    và vào vậy về vì với xin em một
    """.split()
)
_AMBIGUOUS_FOLDED = frozenset(
    "anh bao can chi cho co con cung da dang dau de di do hoi ma minh nay the thi "
    "tai tu vay ve vi".split()
)
_STOP_FOLDED = frozenset(fold_lower(w) for w in STOP_WORDS) - _AMBIGUOUS_FOLDED


def _phrase_key(text: str) -> tuple[str, ...]:
    return tuple(_WORD_RE.findall(fold_lower(text)))


def _concept(canonical: str) -> str:
    return CONCEPT_PREFIX + "_".join(_phrase_key(ABBREVIATIONS[canonical]))


# Full phrase (folded syllables) → canonical abbreviation, for phrases of 2+ syllables.
_PHRASES: dict[tuple[str, ...], str] = {}
for _abbr, _full in ABBREVIATIONS.items():
    _key = _phrase_key(_full)
    if len(_key) >= 2:
        # Prefer the document-type abbreviation when two share a phrase.
        if _key not in _PHRASES or _abbr in _DOCUMENT_TYPES:
            _PHRASES[_key] = _abbr
_PHRASE_LENGTHS = sorted({len(k) for k in _PHRASES}, reverse=True)
_PHRASE_FIRSTS = {k[0] for k in _PHRASES}


@lru_cache(maxsize=8192)
def _accept_abbreviation(raw: str) -> str | None:
    """Return the canonical abbreviation a raw token stands for, or None.

    Capitals ("AI", "TT") or a shape no Vietnamese syllable has ("cds", "nq", "vneid")
    mark an abbreviation; "ai" (who) and "Ai" at the start of a sentence do not.
    """
    canonical = abbreviation_lookup(raw)
    if canonical is None:
        return None
    if raw == canonical or (raw.isupper() and len(raw) >= 2):
        return canonical
    if not is_syllable(raw.lower()):
        return canonical
    return None


@lru_cache(maxsize=65536)
def _exact(lower: str) -> str:
    return EXACT_PREFIX + tone_new_style(lower)


def _number(piece: str) -> str:
    return piece.lstrip("0") or "0"


@lru_cache(maxsize=256)
def _expansion_tokens(canonical: str) -> tuple[str, ...]:
    syllables = _phrase_key(ABBREVIATIONS[canonical])
    bigrams = [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]
    return (_concept(canonical), *syllables, *bigrams)


class _Unit:
    """One syllable or number of the text, with what it stands for."""

    __slots__ = ("folded", "lower", "is_number", "abbreviation")

    def __init__(
        self, folded: str, lower: str, is_number: bool, abbreviation: str | None
    ):
        self.folded = folded
        self.lower = lower
        self.is_number = is_number
        self.abbreviation = abbreviation


def _segments(text: str) -> list[list[_Unit]]:
    """Split text into phrases of units; abbreviations are resolved on the raw case."""
    segments = []
    for part in _BREAK_RE.split(text):
        units: list[_Unit] = []
        for span in _SPAN_RE.findall(part):
            whole = _accept_abbreviation(span) if ("-" in span or "&" in span) else None
            pieces = _PIECE_RE.findall(span)
            for i, piece in enumerate(pieces):
                if piece.isdigit():
                    units.append(_Unit(_number(piece), piece, True, None))
                    continue
                lower = piece.lower()
                abbreviation = whole if (whole and i == 0) else None
                if abbreviation is None and whole is None:
                    abbreviation = _accept_abbreviation(piece)
                units.append(_Unit(fold_lower(piece), lower, False, abbreviation))
        if units:
            segments.append(units)
    return segments


def _phrase_matches(folded: list[str]) -> list[tuple[int, int, str]]:
    """Find written-out abbreviation phrases: (start, end, canonical), longest first."""
    found = []
    i = 0
    n = len(folded)
    while i < n:
        if folded[i] in _PHRASE_FIRSTS:
            for length in _PHRASE_LENGTHS:
                if i + length <= n:
                    canonical = _PHRASES.get(tuple(folded[i : i + length]))
                    if canonical:
                        found.append((i, i + length, canonical))
                        i += length - 1
                        break
        i += 1
    return found


def _document_numbers(units: list[_Unit], start: int, end: int, code: str) -> list[str]:
    """Numbers that belong to a document-type mention spanning units[start:end]."""
    numbers = []
    after = end
    if after < len(units) and units[after].folded == "so":  # "Nghị quyết số 57"
        after += 1
    if after < len(units) and units[after].is_number:
        numbers.append(units[after].folded)
    # "57-NQ/TW", "13/2023/NĐ-CP": up to two numbers right before the type.
    before = start - 1
    while before >= 0 and before >= start - 2 and units[before].is_number:
        numbers.append(units[before].folded)
        before -= 1
    return [f"{code}:{n}" for n in numbers]


def _tokens(text: str, *, exact: bool, segment_words: bool) -> list[str]:
    text = nfc(text)
    tokens: list[str] = []
    for units in _segments(text):
        folded = [u.folded for u in units]
        tokens.extend(folded)
        if exact:
            tokens.extend(_exact(u.lower) for u in units if is_syllable(u.lower))
        tokens.extend(f"{a}_{b}" for a, b in zip(folded, folded[1:], strict=False))
        mentions = [
            (i, i + 1, u.abbreviation) for i, u in enumerate(units) if u.abbreviation
        ]
        for _start, _end, canonical in mentions:
            tokens.extend(_expansion_tokens(canonical))
        for start, end, canonical in _phrase_matches(folded):
            tokens.append(_concept(canonical))
            mentions.append((start, end, canonical))
        numbers: set[str] = set()
        for start, end, canonical in mentions:
            if canonical in _DOCUMENT_TYPES:
                code = fold_lower(canonical)
                numbers.update(_document_numbers(units, start, end, code))
        tokens.extend(sorted(numbers))
    if segment_words:
        tokens.extend(_word_tokens(text))
    return tokens


def _word_tokens(text: str) -> list[str]:
    # Imported late: underthesea loads its model on first use.
    from loa.vn import words

    out = []
    for word in words(text):
        parts = word.split()
        if len(parts) >= WORD_MIN_SYLLABLES and all(
            _WORD_RE.fullmatch(p) for p in parts
        ):
            out.append("_".join(fold_lower(p) for p in parts))
    return out


def has_diacritics(text: str) -> bool:
    """Tell whether the text carries any Vietnamese diacritic (or "đ")."""
    text = nfc(text).lower()
    return fold_lower(text) != text


def document_tokens(text: str, *, segment_words: bool = True) -> list[str]:
    """Return the index tokens of a passage's text (title and body joined)."""
    return _tokens(text, exact=True, segment_words=segment_words)


def query_tokens(text: str, *, segment_words: bool = False) -> list[str]:
    """Return the tokens of a query; exact forms only if the query has diacritics."""
    return _tokens(text, exact=has_diacritics(text), segment_words=segment_words)


def is_stop_word(syllable: str) -> bool:
    """Tell whether a lowercase NFC syllable is a function word."""
    if syllable in STOP_WORDS:
        return True
    return fold_lower(syllable) == syllable and syllable in _STOP_FOLDED


def coverage_units(query: str) -> list[frozenset[str]]:
    """Return the query's distinct content units, each as the tokens that cover it.

    A unit is a folded syllable that is not a stop word; an abbreviation is covered
    by itself or by its concept token (which the written-out phrase also emits).
    """
    units: dict[str, frozenset[str]] = {}
    for segment in _segments(nfc(query)):
        for unit in segment:
            if unit.folded in units:
                continue
            if unit.abbreviation:
                units[unit.folded] = frozenset(
                    {unit.folded, _concept(unit.abbreviation)}
                )
            elif unit.is_number or not is_stop_word(unit.lower):
                units[unit.folded] = frozenset({unit.folded})
    return list(units.values())
