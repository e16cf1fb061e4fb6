"""Diacritic restoration for Vietnamese text that lost its marks or went through OCR.

How it works: each word token gets a short list of candidate syllables from a
noisy-channel model (what an OCR engine or a mark-stripping keyboard does to a
syllable), then a beam search picks the sequence that a syllable trigram model
(``loa.vn.lm``) finds most likely. Tokens that are numbers, abbreviations or
foreign words pass through. The text between tokens is copied as is, so line
breaks, punctuation and spacing survive; each token keeps its case pattern.
"""

from __future__ import annotations

import math
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
# A glyph may stand for two key letters ("¢" for "co"); its evidence then has one
# code per letter ("PX").
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
    "e": [("c", 0.6, "P")],  # final "c" read as "e": "chire" = "chức"
    "m": [("n", 0.7, "P")],  # "ưn" read as "im"/"m": "timg" = "từng"
    "6": [("o", 0.25, "X")],
    "0": [("o", 0.35, "X")],
    "1": [("l", 0.3, "P"), ("i", 0.45, "X")],
    "4": [("a", 0.4, "X")],
    "3": [("a", 0.6, "X")],
    "5": [("s", 0.5, "P")],
    "8": [("a", 0.8, "X")],
    "¢": [
        ("", 0.1, None),
        ("o", 0.5, "X"),
        ("e", 0.5, "X"),
        ("c", 0.4, "P"),
        ("co", 0.8, "PX"),  # a marked "ó"/"ô" after "c" run into one glyph
    ],
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
MAX_CANDIDATES = 12
# No syllable is read from more glyphs than this; a longer run (a code, a URL, OCR
# junk, a line of "xxxx") is kept as written. Without the cap _readings grows with
# the square of the token and a single long token took minutes.
MAX_TOKEN_GLYPHS = 24
EXTRA_READINGS = 4
EXTRA_MARGIN = 0.5
PRIOR_WEIGHT = 0.5
CHANNEL_WEIGHT = 7.0
BEAM = 16
CLEAN_CHANGE_COST = 3.0


@dataclass(frozen=True)
class Mode:
    """Costs that depend on how much the text can be trusted as written."""

    missing_mark: float
    wrong_mark: float
    confusion_factor: float


NOISY = Mode(missing_mark=0.08, wrong_mark=0.15, confusion_factor=1.0)
CLEAN = Mode(missing_mark=1.2, wrong_mark=1.5, confusion_factor=5.0)


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
                bucket.append(
                    (total + cost, text + key, units + ((glyphs, key, evidence),))
                )
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

    def __init__(self, syllables: list[str], counts: dict[str, int]) -> None:
        self.syllables = set(syllables)
        total = sum(counts.get(s, 0) for s in syllables) + len(syllables)
        # Unigram cost, used only to choose which candidates reach the decoder.
        self.prior = {s: -math.log((counts.get(s, 0) + 1) / total) for s in syllables}
        self.by_key: dict[str, list[str]] = {}
        for syl in syllables:
            self.by_key.setdefault(key_of(syl), []).append(syl)
        self.deletes: dict[str, list[tuple[str, int]]] = {}
        for key in self.by_key:
            if len(key) < 2:
                continue
            for pos in range(len(key)):
                self.deletes.setdefault(key[:pos] + key[pos + 1 :], []).append(
                    (key, pos)
                )


def _candidates(token: str, lexicon: Lexicon, mode: Mode) -> list[tuple[str, float]]:
    """Return (syllable, channel cost) candidates for a lowercase token.

    The best MAX_CANDIDATES come first, then up to EXTRA_READINGS frequent
    syllables of other close readings.
    """
    if len(token) > MAX_TOKEN_GLYPHS:
        return []
    scored: dict[str, float] = {}
    for text, reading_cost, units in _readings(token, mode):
        # One (evidence, key letter) per key letter; a glyph that stands for two
        # letters ("¢" for "co") carries one evidence code per letter.
        aligned = [
            (u[2] if len(u[1]) == 1 else u[2][k], letter)
            for u in units
            for k, letter in enumerate(u[1])
        ]
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
    if not scored:
        return []
    best = min(scored.values())
    ranked = sorted(
        ((syl, cost) for syl, cost in scored.items() if cost <= best + 3.0),
        key=lambda item: (
            CHANNEL_WEIGHT * item[1] + PRIOR_WEIGHT * lexicon.prior[item[0]]
        ),
    )
    picked = ranked[:MAX_CANDIDATES]
    # Spellings of one reading can fill the list ("mé": mé, mẹ, mê, mế, mẽ ...);
    # the most frequent syllables among the other close readings ("mô") get a
    # place too.
    extra = sorted(
        (item for item in ranked[MAX_CANDIDATES:] if item[1] <= best + EXTRA_MARGIN),
        key=lambda item: lexicon.prior[item[0]],
    )
    return picked + extra[:EXTRA_READINGS]


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------

# "&" is OCR for a marked vowel: at the end of a word ("K&" = "Kế") or between a
# letter and a lowercase letter ("v&i" = "với"), not in "R&D".
_TOKEN_RE = re.compile(r"(?:[^\W_]|[¢€§¥]|(?<=[^\W\d_])&(?=[a-zđ]))+(?:&(?![^\W_]))?")


def _apply_case(pattern: str, word: str) -> str:
    letters = [ch for ch in pattern if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return word.upper()
    if pattern[:1].isupper() or (
        letters and letters[0].isupper() and not pattern[:1].isalpha()
    ):
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
    # "Số:77" -> "Số: 77".
    text = re.sub(r"(?<!\w)(S[o6ố0dbé]|SỐ|SO):(?=\d)", r"\1: ", text)
    # Roman numeral headings read as "|." or "11.".
    text = re.sub(r"(?m)^\|(?=\.)", "I", text)
    text = re.sub(
        r"(?m)^(1{2,3})(?=\.\s*[A-ZĐ][A-ZĐ ,]+$)", lambda m: "I" * len(m.group(1)), text
    )
    return text


def _mark_ratio(tokens: list[str]) -> float:
    words = [t for t in tokens if t.isalpha() and is_syllable(fold(t).lower())]
    if not words:
        return 0.0
    return sum(has_marks(t) for t in words) / len(words)


def _mode_for(tokens: list[str], lexicon: Lexicon) -> Mode:
    """Trust the marks as written only in text that looks well typed.

    OCR output keeps some marks ("quyét"), so many marked syllables alone do not
    make text clean; it must also be mostly known syllables without digit or
    symbol noise.
    """
    if not tokens or _mark_ratio(tokens) < 0.55:
        return NOISY
    unknown = sum(
        1
        for t in tokens
        if any(ch in NOISE_CHARS or ch.isdigit() for ch in t)
        and not t.isdigit()
        or t.isalpha()
        and t.lower() == t
        and tone_new_style(t.lower()) not in lexicon.syllables
    )
    return CLEAN if unknown / len(tokens) < 0.08 else NOISY


def _slots(text: str, model: LanguageModel, lexicon: Lexicon) -> list[_Slot | str]:
    tokens = list(_TOKEN_RE.finditer(text))
    doc_mode = _mode_for([m.group() for m in tokens], lexicon)
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
                _mode_for(line_tokens, lexicon) if len(line_tokens) >= 8 else doc_mode
            )
        mode = line_modes[line_start]
        # A lone letter followed by ")" with no "(" before it: OCR of "ộ" ("B)" = "Bộ").
        if (
            end < len(text)
            and text[end] == ")"
            and len(token) == 1
            and text.rfind("(", line_start, start) < 0
            and text[line_start:start].strip()
        ):
            token, end = token + ")", end + 1
        gap = text[last:start]
        items.append(gap)
        items.append(
            _slot(
                token,
                start,
                end,
                mode,
                upper_lines[line_start],
                model,
                lexicon,
                text[end : end + 1],
                text[max(0, start - 8) : start],
            )
        )
        last = end
    items.append(text[last:])
    return items


@lru_cache(maxsize=50000)
def _cached_candidates(lower: str, clean: bool) -> tuple[tuple[str, float], ...]:
    model, lexicon = _resources()
    return tuple(_candidates(lower, lexicon, CLEAN if clean else NOISY))


def _slot(
    token: str,
    start: int,
    end: int,
    mode: Mode,
    upper_line: bool,
    model: LanguageModel,
    lexicon: Lexicon,
    text_after: str = "",
    text_before: str = "",
) -> _Slot:
    lower = token.lower()
    if token.isdigit():
        return _Slot(start, end, token, NUM, [])
    if _ROMAN_RE.match(token) and text_after.startswith("."):
        return _Slot(start, end, token, UNK, [])
    # List markers and references: "b) ...", "điểm c khoản 2"; a lone letter in
    # well-typed text is meant as written.
    if (
        len(token) == 1
        and token.isalpha()
        and (
            mode is CLEAN
            or text_after in (")", ".")
            or _LETTER_REF_RE.search(text_before)
        )
    ):
        return _Slot(start, end, token, model_token(model, lower), [])
    abbr = _abbreviation(token)
    normal = tone_new_style(lower)
    if abbr and not (upper_line and is_syllable(fold(lower))):
        if abbr.upper() == token.upper() or not is_syllable(fold(lower)):
            out = abbr if token != token.upper() or abbr.isupper() else abbr
            return _Slot(start, end, out, abbr.lower(), [])
    candidates: list[tuple[str, int, float, str]] = []
    if _FOREIGN_RE.search(lower) and not any(ch.isdigit() for ch in lower):
        return _Slot(start, end, token, model_token(model, lower), [])
    known = normal in lexicon.syllables
    if known:
        # Already a known syllable as written: offer it at no cost, whatever the mode.
        candidates.append((normal, model.token_id(normal), 0.0, token))
    # In text that keeps its marks, a known marked syllable is very likely right.
    change_cost = (
        CLEAN_CHANGE_COST if (known and mode is CLEAN and has_marks(lower)) else 0.0
    )
    for syl, cost in _cached_candidates(lower, mode is CLEAN):
        if syl == normal:
            continue
        cost += change_cost
        candidates.append((syl, model.token_id(syl), cost, _apply_case(token, syl)))
    if normal not in lexicon.syllables:
        noisy = any(ch.isdigit() or ch in NOISE_CHARS for ch in token)
        keep = KEEP_NOISY_COST if noisy else KEEP_COST
        if is_syllable(fold(lower)) and not noisy:
            keep += 0.6
        candidates.append((lower, model_token_id(model, lower), keep, token))
    candidates.sort(key=lambda item: item[2])
    limit = MAX_CANDIDATES + EXTRA_READINGS + 1
    return _Slot(start, end, token, None, candidates[:limit])


def model_token(model: LanguageModel, token: str) -> str:
    return token if token in model.index else UNK


def model_token_id(model: LanguageModel, token: str) -> int:
    return model.token_id(token)


_FOREIGN_RE = re.compile(r"[fz]")
_LETTER_REF_RE = re.compile(r"(?i)(?:điểm|diem|đi[eê]m)\s+$")
_ROMAN_RE = re.compile(r"^[IVX]{1,4}$")
_GAP_RE = re.compile(r"[.;!?]+|[,:()\-/]")


def _gap_tokens(gap: str) -> list[str]:
    out: list[str] = []
    for piece in _GAP_RE.findall(gap):
        out.append(BOS if piece[0] in ".;!?" else piece)
    return out


@lru_cache(maxsize=1)
def _resources() -> tuple[LanguageModel, Lexicon]:
    model, lexicon_words = load_model()
    counts = dict(zip(model.vocab, model.counts, strict=True))
    return model, Lexicon(lexicon_words, counts)


def _decode(items: list[_Slot | str], model: LanguageModel) -> dict[int, str]:
    """Beam search over the slots; return the chosen output per slot start."""
    bos = model.bos_id
    # state (a, b) -> (cost, back-pointer chain of (slot start, output))
    states: dict[tuple[int, int], tuple[float, tuple | None]] = {
        (bos, bos): (0.0, None)
    }

    def advance(token_id: int) -> None:
        nonlocal states
        new: dict[tuple[int, int], tuple[float, tuple | None]] = {}
        for (a, b), (cost, chain) in states.items():
            key = (b, token_id)
            value = cost + model.cost(a, b, token_id)
            if key not in new or value < new[key][0]:
                new[key] = (value, chain)
        states = new

    for item in items:
        if isinstance(item, str):
            for tok in _gap_tokens(item):
                advance(model.token_id(tok))
            continue
        if item.fixed is not None:
            advance(model.token_id(item.fixed))
            chain_out = item.original
            states = {
                k: (c, (item.start, chain_out, ch)) for k, (c, ch) in states.items()
            }
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
