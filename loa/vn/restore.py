"""Diacritic restoration for Vietnamese text that lost its marks or went through OCR.

How it works: each word token gets a short list of candidate syllables from a
noisy-channel model (what an OCR engine or a mark-stripping keyboard does to a
syllable), then a beam search picks the sequence that a syllable trigram model
(``loa.vn.lm``) finds most likely. Tokens that are numbers, abbreviations or
foreign words pass through. The text between tokens is copied as is, so line
breaks, punctuation and spacing survive; each token keeps its case pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loa.vn.abbreviations import ABBREVIATIONS, abbreviation_lookup
from loa.vn.lm import BOS, NUM, UNK, LanguageModel, load_model
from loa.vn.syllable import has_marks, is_syllable, key_of, letter_marks, tone_new_style
from loa.vn.text import fold, nfc

# ---------------------------------------------------------------------------
# Channel model: how a noisy glyph (or glyph pair) may read as a key letter.
# A key letter is a letter without marks, "đ" kept apart from "d". Evidence says
# what the glyph tells about the marks of the letter it stands for:
#   "P" plain letter (marks, if any, were lost), "X" some mark was there,
#   "H" a horn was there ("w" for "ư"), ("M", shape, tone) marks as written.
# ---------------------------------------------------------------------------

NOISE_CHARS = "¢€§¥&)’'`"
_CONFUSIONS: dict[str, list[tuple[str, float, object]]] = {
    "d": [("đ", 0.05, "P"), ("o", 0.6, "X"), ("a", 0.7, "X")],
    "b": [("đ", 0.5, "P"), ("o", 0.6, "X")],
    "p": [("đ", 0.5, "P")],
    "i": [("u", 0.7, "X"), ("a", 0.7, "X")],
    "t": [("u", 0.8, "X")],
    "y": [("u", 0.6, "X")],
    "w": [("u", 0.15, "H"), ("o", 0.7, "H")],
    "j": [("i", 0.3, "X")],
    "l": [("i", 0.5, "X")],
    "g": [("o", 0.7, "X")],
    "c": [("e", 0.9, "X")],
    "6": [("o", 0.25, "X")],
    "0": [("o", 0.35, "X")],
    "1": [("l", 0.3, "P"), ("i", 0.45, "X")],
    "4": [("a", 0.4, "X")],
    "3": [("a", 0.6, "X")],
    "5": [("s", 0.5, "P")],
    "8": [("a", 0.8, "X")],
    "¢": [("", 0.1, None), ("o", 0.5, "X"), ("e", 0.5, "X"), ("c", 0.4, "P")],
    "€": [("e", 0.2, "X"), ("", 0.3, None)],
    "§": [("o", 0.2, "X"), ("", 0.3, None)],
    "¥": [("y", 0.2, "X"), ("", 0.3, None)],
    "&": [("e", 0.3, "X"), ("o", 0.5, "X")],
    ")": [("o", 0.4, "X")],
    "’": [("", 0.1, None)],
    "'": [("", 0.3, None)],
    "`": [("", 0.2, None)],
}
_PAIRS: dict[str, list[tuple[str, float, object]]] = {
    "ii": [("u", 0.5, "X"), ("a", 0.9, "X")],
    "ir": [("u", 0.45, "X")],
    "ur": [("u", 0.45, "X")],
    "ti": [("u", 0.6, "X")],
    "tu": [("u", 0.6, "X")],
    "tr": [("u", 0.7, "X")],
    "it": [("u", 0.6, "X")],
    "yu": [("u", 0.4, "X")],
    "rn": [("m", 0.5, "P")],
    "o6": [("o", 0.2, "X")],
    "6o": [("o", 0.2, "X")],
    "0o": [("o", 0.3, "X")],
    "o0": [("o", 0.3, "X")],
    "og": [("o", 0.4, "X")],
    "dp": [("đ", 0.3, "P")],
    "pd": [("đ", 0.3, "P")],
    "db": [("đ", 0.3, "P")],
    "bd": [("đ", 0.3, "P")],
    "pb": [("đ", 0.3, "P")],
    "bb": [("đ", 0.3, "P")],
}
_OTHER_VOWELS = {"e": ("o", "a"), "o": ("e", "a"), "a": ("o", "e")}
DELETE_COST = 1.0
INSERT_COST = {"vowel": 0.8, "consonant": 1.1}
KEEP_COST = 1.4
KEEP_NOISY_COST = 2.6
MAX_READINGS = 48
MAX_CANDIDATES = 8
CHANNEL_WEIGHT = 3.0
BEAM = 16


@dataclass(frozen=True)
class Mode:
    """Costs that depend on how much the text can be trusted as written."""

    missing_mark: float
    wrong_mark: float
    confusion_factor: float


NOISY = Mode(missing_mark=0.08, wrong_mark=0.15, confusion_factor=1.0)
CLEAN = Mode(missing_mark=1.2, wrong_mark=1.5, confusion_factor=3.0)


def _glyph_options(ch: str, mode: Mode) -> list[tuple[str, float, object]]:
    base, shape, tone = letter_marks(ch)
    options: list[tuple[str, float, object]] = []
    if base.isalpha() and base.isascii() or base == "đ":
        evidence: object = ("M", shape, tone) if (shape or tone) else "P"
        options.append((base, 0.0, evidence))
        for key, cost, ev in _CONFUSIONS.get(base, ()):
            options.append((key, cost * mode.confusion_factor, ev))
        if (shape or tone) and base in _OTHER_VOWELS:
            for other in _OTHER_VOWELS[base]:
                options.append((other, 0.5 * mode.confusion_factor, "X"))
    else:
        for key, cost, ev in _CONFUSIONS.get(ch, ()):
            options.append((key, cost * mode.confusion_factor, ev))
    options.append(("", DELETE_COST, None))
    return options


def _readings(token: str, mode: Mode) -> list[tuple[str, float, tuple]]:
    """Return the cheapest readings of a lowercase token as key strings.

    Each reading carries its alignment: one (glyphs, key letter, evidence) unit per
    glyph or glyph pair, in order.
    """
    beams: dict[int, list[tuple[float, str, tuple]]] = {0: [(0.0, "", ())]}
    length = len(token)
    for pos in range(length):
        current = beams.pop(pos, [])
        if not current:
            continue
        current.sort(key=lambda item: item[0])
        current = current[:MAX_READINGS]
        steps = [(1, token[pos], opt) for opt in _glyph_options(token[pos], mode)]
        pair = token[pos : pos + 2]
        if len(pair) == 2 and pair in _PAIRS:
            steps += [
                (2, pair, (k, c * mode.confusion_factor, e)) for k, c, e in _PAIRS[pair]
            ]
        for width, glyphs, (key, cost, evidence) in steps:
            bucket = beams.setdefault(pos + width, [])
            for total, text, units in current:
                bucket.append((total + cost, text + key, units + ((glyphs, key, evidence),)))
    final = beams.get(length, [])
    best: dict[str, tuple[float, str, tuple]] = {}
    for total, text, units in final:
        if text and (text not in best or total < best[text][0]):
            best[text] = (total, text, units)
    ranked = sorted(best.values(), key=lambda item: item[0])[:MAX_READINGS]
    return [(text, total, units) for total, text, units in ranked]


def _mark_cost(evidence: object, letter: str, mode: Mode) -> float:
    _base, shape, tone = letter_marks(letter)
    if evidence == "P":
        return mode.missing_mark * ((shape != "") + (tone != ""))
    if evidence == "X":
        return 0.0 if (shape or tone) else 0.25
    if evidence == "H":
        return 0.0 if shape == "+" else 0.3
    if isinstance(evidence, tuple):
        _m, n_shape, n_tone = evidence
        cost = 0.0
        if n_shape != shape:
            cost += mode.missing_mark if not n_shape else mode.wrong_mark * 2
        if n_tone != tone:
            cost += mode.missing_mark if not n_tone else mode.wrong_mark
        return cost
    return 0.0


class Lexicon:
    """Known syllables indexed by key, with one-deletion neighbours."""

    def __init__(self, syllables: list[str]) -> None:
        self.syllables = set(syllables)
        self.by_key: dict[str, list[str]] = {}
        for syl in syllables:
            self.by_key.setdefault(key_of(syl), []).append(syl)
        self.deletes: dict[str, list[tuple[str, int]]] = {}
        for key in self.by_key:
            if len(key) < 2:
                continue
            for pos in range(len(key)):
                self.deletes.setdefault(key[:pos] + key[pos + 1 :], []).append((key, pos))


def _candidates(token: str, lexicon: Lexicon, mode: Mode) -> list[tuple[str, float]]:
    """Return (syllable, channel cost) candidates for a lowercase token, best first."""
    scored: dict[str, float] = {}
    for text, reading_cost, units in _readings(token, mode):
        aligned = [(u[2], u[1]) for u in units if u[1]]
        options: list[tuple[str, float, int]] = []
        if text in lexicon.by_key:
            options.append((text, 0.0, -1))
        for key, pos in lexicon.deletes.get(text, ()):
            kind = "vowel" if key[pos] in "aeiouy" else "consonant"
            options.append((key, INSERT_COST[kind], pos))
        for key, extra, inserted in options:
            for syl in lexicon.by_key[key]:
                cost = reading_cost + extra
                unit = 0
                for index, letter in enumerate(syl):
                    if index == inserted:
                        continue
                    cost += _mark_cost(aligned[unit][0], letter, mode)
                    unit += 1
                if cost < scored.get(syl, 1e9):
                    scored[syl] = cost
    ranked = sorted(scored.items(), key=lambda item: item[1])
    if not ranked:
        return []
    limit = ranked[0][1] + 3.0
    return [item for item in ranked[:MAX_CANDIDATES] if item[1] <= limit]


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"(?:[^\W_]|[¢€§¥])+(?:&(?![^\W_]))?")
def _apply_case(pattern: str, word: str) -> str:
    letters = [ch for ch in pattern if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return word.upper()
    if pattern[:1].isupper() or (letters and letters[0].isupper() and not pattern[:1].isalpha()):
        return word[:1].upper() + word[1:]
    return word


_D_VARIANTS = "(?:D|P|B|DB|PB|BB|BD|PD|DP|BP)"
_ABBR_FUZZY = [
    (re.compile("^" + fold(abbr).upper().replace("D", _D_VARIANTS) + "$"), abbr)
    for abbr in ABBREVIATIONS
    if "Đ" in abbr and len(abbr) >= 3 and "-" not in abbr
]


def _abbreviation(token: str) -> str | None:
    upper_letters = sum(ch.isupper() for ch in token)
    if upper_letters < 2:
        return None
    found = abbreviation_lookup(token)
    if found:
        return found
    folded = fold(token).upper()
    for pattern, abbr in _ABBR_FUZZY:
        if pattern.match(folded):
            return abbr
    return None


@dataclass
class _Slot:
    start: int
    end: int
    original: str
    fixed: str | None  # LM token when the slot is not restored
    candidates: list[tuple[str, int, float, str]]  # (lm token, id, cost, output)


def _pre_fix(text: str) -> str:
    # "77/KH-UBND" read as "77 IKH-UBND": the slash became a capital I.
    text = re.sub(r"(\d)\s+[Il|](?=[A-ZĐ]{1,6}-[A-ZĐ]{2,})", r"\1/", text)
    # "số 57-NQ/TW" read as "50 57-NQ/TW".
    text = re.sub(r"(?<![\w/.,])5[0O](?=\s+\d{1,4}\s*[-/])", "so", text)
    # Roman numeral headings read as "|." or "11.".
    text = re.sub(r"(?m)^\|(?=\.)", "I", text)
    text = re.sub(r"(?m)^(1{2,3})(?=\.\s*[A-ZĐ][A-ZĐ ,]+$)", lambda m: "I" * len(m.group(1)), text)
    return text


def _mark_ratio(tokens: list[str]) -> float:
    words = [t for t in tokens if t.isalpha() and is_syllable(fold(t).lower())]
    if not words:
        return 0.0
    return sum(has_marks(t) for t in words) / len(words)


def _mode_for(ratio: float) -> Mode:
    return CLEAN if ratio >= 0.55 else NOISY


def _slots(text: str, model: LanguageModel, lexicon: Lexicon) -> list[_Slot | str]:
    tokens = [m for m in _TOKEN_RE.finditer(text)]
    doc_mode = _mode_for(_mark_ratio([m.group() for m in tokens]))
    upper_lines: dict[int, bool] = {}
    line_modes: dict[int, Mode] = {}
    items: list[_Slot | str] = []
    last = 0
    for match in tokens:
        start, end = match.span()
        token = match.group()
        if token.endswith("&") and len(token) > 2:
            token, end = token[:-1], end - 1
        line_start = text.rfind("\n", 0, start) + 1
        if line_start not in line_modes:
            line_end = text.find("\n", line_start)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            line_tokens = _TOKEN_RE.findall(line)
            letters = [ch for ch in line if ch.isalpha()]
            upper_lines[line_start] = bool(letters) and sum(
                ch.isupper() for ch in letters
            ) > 0.7 * len(letters)
            line_modes[line_start] = (
                _mode_for(_mark_ratio(line_tokens)) if len(line_tokens) >= 8 else doc_mode
            )
        mode = line_modes[line_start]
        # A lone letter followed by ")" with no "(" before it: OCR of "ộ" ("B)" = "Bộ").
        if (
            end < len(text)
            and text[end] == ")"
            and len(token) == 1
            and text.rfind("(", line_start, start) < 0
        ):
            token, end = token + ")", end + 1
        gap = text[last:start]
        items.append(gap)
        items.append(_slot(token, start, end, mode, upper_lines[line_start], model, lexicon))
        last = end
    items.append(text[last:])
    return items


@lru_cache(maxsize=50000)
def _cached_candidates(lower: str, clean: bool) -> tuple[tuple[str, float], ...]:
    model, lexicon = _resources()
    return tuple(_candidates(lower, lexicon, CLEAN if clean else NOISY))


def _slot(token: str, start: int, end: int, mode: Mode, upper_line: bool,
          model: LanguageModel, lexicon: Lexicon) -> _Slot:
    lower = token.lower()
    if token.isdigit():
        return _Slot(start, end, token, NUM, [])
    letters = [ch for ch in token if ch.isalpha()]
    # Product names and foreign words with inner capitals ("VNeID", "YouTube").
    if len(letters) >= 3 and any(ch.isupper() for ch in letters[1:]) and any(
        ch.islower() for ch in letters
    ) and _abbreviation(token) is None:
        return _Slot(start, end, token, model_token(model, lower), [])
    abbr = _abbreviation(token)
    normal = tone_new_style(lower)
    if abbr and not (upper_line and is_syllable(fold(lower))):
        if abbr.upper() == token.upper() or not is_syllable(fold(lower)):
            out = abbr if token != token.upper() or abbr.isupper() else abbr
            return _Slot(start, end, out, abbr.lower(), [])
    candidates: list[tuple[str, int, float, str]] = []
    if normal in lexicon.syllables:
        # Already a known syllable as written: offer it at no cost, whatever the mode.
        candidates.append((normal, model.token_id(normal), 0.0, token))
    for syl, cost in _cached_candidates(lower, mode is CLEAN):
        if syl == normal:
            continue
        candidates.append((syl, model.token_id(syl), cost, _apply_case(token, syl)))
    if normal not in lexicon.syllables:
        noisy = any(ch.isdigit() or ch in NOISE_CHARS for ch in token)
        keep = KEEP_NOISY_COST if noisy else KEEP_COST
        if is_syllable(fold(lower)) and not noisy:
            keep += 0.6
        candidates.append((lower, model_token_id(model, lower), keep, token))
    candidates.sort(key=lambda item: item[2])
    return _Slot(start, end, token, None, candidates[: MAX_CANDIDATES + 1])


def model_token(model: LanguageModel, token: str) -> str:
    return token if token in model.index else UNK


def model_token_id(model: LanguageModel, token: str) -> int:
    return model.token_id(token)


_GAP_RE = re.compile(r"[.;!?]+|[,:()\-/]")


def _gap_tokens(gap: str) -> list[str]:
    out: list[str] = []
    for piece in _GAP_RE.findall(gap):
        out.append(BOS if piece[0] in ".;!?" else piece)
    return out


@lru_cache(maxsize=1)
def _resources() -> tuple[LanguageModel, Lexicon]:
    model, lexicon_words = load_model()
    return model, Lexicon(lexicon_words)


def _decode(items: list[_Slot | str], model: LanguageModel) -> dict[int, str]:
    """Beam search over the slots; return the chosen output per slot start."""
    bos = model.bos_id
    # state (a, b) -> (cost, back-pointer chain of (slot start, output))
    states: dict[tuple[int, int], tuple[float, tuple | None]] = {(bos, bos): (0.0, None)}

    def advance(token_id: int, choices: list[tuple[int, float, tuple | None]] | None) -> None:
        nonlocal states
        new: dict[tuple[int, int], tuple[float, tuple | None]] = {}
        for (a, b), (cost, chain) in states.items():
            step = model.cost(a, b, token_id) if choices is None else 0.0
            if choices is None:
                key = (b, token_id)
                value = cost + step
                if key not in new or value < new[key][0]:
                    new[key] = (value, chain)
                continue
        states = new

    for item in items:
        if isinstance(item, str):
            for tok in _gap_tokens(item):
                advance(model.token_id(tok), None)
            continue
        if item.fixed is not None:
            advance(model.token_id(item.fixed), None)
            chain_out = item.original
            states = {k: (c, (item.start, chain_out, ch)) for k, (c, ch) in states.items()}
            continue
        new: dict[tuple[int, int], tuple[float, tuple | None]] = {}
        for (a, b), (cost, chain) in states.items():
            for _lm, cid, ccost, output in item.candidates:
                value = cost + model.cost(a, b, cid) + CHANNEL_WEIGHT * ccost
                key = (b, cid)
                if key not in new or value < new[key][0]:
                    new[key] = (value, (item.start, output, chain))
        if len(new) > BEAM:
            states = dict(sorted(new.items(), key=lambda kv: kv[1][0])[:BEAM])
        else:
            states = new
    best = min(states.values(), key=lambda v: v[0])
    chosen: dict[int, str] = {}
    chain = best[1]
    while chain is not None:
        start, output, chain = chain
        chosen.setdefault(start, output)
    return chosen


def restore(text: str) -> str:
    """Put back the diacritics of Vietnamese text that lost them or went through OCR.

    Line breaks, punctuation, spacing and numbers are kept; each word keeps its
    case pattern (UPPER, Title, lower). Text that already has its marks comes
    back essentially unchanged.
    """
    text = nfc(text)
    if not text.strip():
        return text
    model, lexicon = _resources()
    fixed = _pre_fix(text)
    items = _slots(fixed, model, lexicon)
    chosen = _decode(items, model)
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        else:
            out.append(chosen.get(item.start, item.original))
    return "".join(out)


def needs_restoration(text: str) -> bool:
    """Tell whether text looks stripped of diacritics or damaged by OCR."""
    tokens = _TOKEN_RE.findall(nfc(text))
    words = [t for t in tokens if t.isalpha()]
    if len(words) < 3:
        return False
    noisy = sum(
        1
        for t in tokens
        if any(ch in NOISE_CHARS for ch in t)
        or (any(ch.isdigit() for ch in t) and any(ch.isalpha() for ch in t))
    )
    return _mark_ratio(words) < 0.5 or noisy / len(tokens) > 0.05
