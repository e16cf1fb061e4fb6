"""Vietnamese text rewritten for reading aloud (radio scripts, text-to-speech).

`reading_text` turns what an editor writes into what a reader (or a TTS voice) should
say: numbers, dates, times, money, percentages, document numbers, abbreviations, web
addresses and hotlines become words, and Markdown/HTML markup is dropped. Paragraphs
(blank-line separated) are kept so a caller can pause between them.

Rules that need a choice, and the choice made:

- Cardinals follow Northern broadcast usage: "nghìn" (not "ngàn"), "linh" for a zero
  tens digit ("105" → "một trăm linh năm"), "không trăm" inside a number ("2026" → "hai
  nghìn không trăm hai mươi sáu"), "mốt" and "lăm" after a tens word, "bốn" for a final
  4 ("24" → "hai mươi bốn"). Months use "tư" ("tháng tư").
- "." between digit groups of three is the thousands separator and "," the decimal
  comma, as Vietnamese writes them ("50.000", "3,5").
- Document numbers ("57-NQ/TW", "30/2020/NĐ-CP", "01-KH/BCĐTW") are read as a title, the
  way newsreaders say them: "<loại văn bản> số <số> [năm <năm>] của <cơ quan ban hành>",
  with the type and issuer codes expanded through `loa.vn.ABBREVIATIONS` (a compound
  issuer such as BCĐTW is split into known parts: Ban Chỉ đạo + Trung ương). The type
  is not repeated when the text already names it: "Nghị quyết 57-NQ/TW" → "Nghị quyết
  số năm mươi bảy của Trung ương". Codes that cannot be expanded are spelled with
  Vietnamese letter names ("en quy").
- An abbreviation in parentheses right after its own full form ("đổi mới sáng tạo
  (ĐMST)") is dropped, so the listener does not hear the same words twice.
- Digit runs of 3–5 digits after "gọi", "tổng đài", "đường dây nóng", "hotline" or a
  bare "số" (not a document's "số") are read digit by digit, as are numbers written
  with a leading zero ("0912 345 678"), because that is how people dial them.
- Web addresses lose their scheme; each label that splits into Vietnamese syllables
  gets its diacritics back ("binhdanhocvuso" → "bình dân học vụ số"), the rest is kept
  as written, and "." is read "chấm" ("gov chấm vn"); "@" is "a còng".
"""

from __future__ import annotations

import html
import re

from loa.vn.abbreviations import ABBREVIATIONS
from loa.vn.syllable import is_syllable
from loa.vn.text import fold, fold_lower, nfc

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
MONTHS = [
    "",
    "một",
    "hai",
    "ba",
    "tư",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
]
# Vietnamese names of Latin letters, for codes that have no expansion.
LETTERS = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "giây",
    "K": "ca",
    "L": "e lờ",
    "M": "em",
    "N": "en",
    "O": "o",
    "P": "pê",
    "Q": "quy",
    "R": "e rờ",
    "S": "ét",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê kép",
    "X": "ích",
    "Y": "i dài",
    "Z": "dét",
}
# Readings for listeners that differ from the written expansion in loa.vn: "mã QR"
# would become "mã mã phản hồi nhanh", and nobody says VNeID's full name aloud.
SPOKEN = {
    "QR": "cu a",
    "VNeID": "vê nê ai đi",
    "GDP": "tổng sản phẩm trong nước",
    "OTP": "ô tê pê",
    "VNĐ": "đồng",
    "VND": "đồng",
    "HD": "Hướng dẫn",
}
# Document type codes read as the type's name (the first code of "57-NQ/TW").
DOCUMENT_TYPES = {
    code: ABBREVIATIONS.get(code, SPOKEN.get(code, ""))
    for code in ("NQ", "KH", "NĐ", "QĐ", "TT", "CT", "CV", "TB", "BC", "HD")
}
_DOC_WORDS = (
    "nghị quyết|nghị định|quyết định|kế hoạch|thông tư|chỉ thị|công văn|thông báo"
    "|báo cáo|hướng dẫn|luật|văn bản"
)

_UPPER = "A-ZĐÀ-Ỹ"


def number_words(value: int) -> str:
    """Read a non-negative integer in Vietnamese words.

    >>> number_words(2026)
    'hai nghìn không trăm hai mươi sáu'
    """
    if value < 0:
        return "âm " + number_words(-value)
    if value < 1000:
        return _hundreds(value, full=False)
    if value >= 10**9:
        high, low = divmod(value, 10**9)
        rest = _below_billion(low, leading=False) if low else ""
        return (number_words(high) + " tỷ " + rest).strip()
    return _below_billion(value, leading=True)


def _below_billion(value: int, *, leading: bool) -> str:
    groups = [(value // 10**6) % 1000, (value // 1000) % 1000, value % 1000]
    scales = ["triệu", "nghìn", ""]
    parts: list[str] = []
    for group, scale in zip(groups, scales, strict=True):
        if group == 0:
            continue
        # Only the first group of the whole number may drop "không trăm"/"linh".
        words = _hundreds(group, full=not (leading and not parts))
        parts.append(f"{words} {scale}".strip())
    return " ".join(parts)


def _hundreds(value: int, *, full: bool) -> str:
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
        if units or not words:
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(DIGITS[units])
    return " ".join(words)


def digits_words(digits: str) -> str:
    """Read a digit string one digit at a time ("113" → "một một ba")."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


def decimal_words(text: str) -> str:
    """Read a number as written in Vietnamese ("50.000", "3,5", "2026")."""
    whole, _, frac = text.partition(",")
    words = number_words(int(whole.replace(".", "")))
    if frac:
        if frac.startswith("0") or len(frac) > 3:
            words += " phẩy " + digits_words(frac)
        else:
            words += " phẩy " + number_words(int(frac))
    return words


def date_words(day: int | None, month: int | None, year: int | None) -> str:
    """Read a date without the leading "ngày": "bốn tháng ba năm hai nghìn ..."."""
    parts = []
    if day is not None:
        parts.append(number_words(day))
    if month is not None:
        parts.append("tháng " + MONTHS[month])
    if year is not None:
        parts.append("năm " + number_words(year))
    return " ".join(parts)


def spell(code: str) -> str:
    """Spell capital letters with their Vietnamese names ("NQ" → "en quy")."""
    out = []
    for ch in code:
        if ch.upper() in LETTERS:
            out.append(LETTERS[ch.upper()])
        elif ch.isdigit():
            out.append(DIGITS[int(ch)])
    return " ".join(out)


def code_words(code: str) -> str:
    """Expand an issuer or type code, splitting compounds into known abbreviations."""
    if code in SPOKEN:
        return SPOKEN[code]
    if code in ABBREVIATIONS:
        return ABBREVIATIONS[code]
    # Greedy longest-prefix split: "BCĐTW" → "BCĐ" + "TW".
    pieces, rest = [], code
    while rest:
        for end in range(len(rest), 0, -1):
            if rest[:end] in ABBREVIATIONS and end > 1:
                pieces.append(ABBREVIATIONS[rest[:end]])
                rest = rest[end:]
                break
        else:
            return spell(code)
    return " ".join(pieces)


# --- markup ---------------------------------------------------------------------

_BLOCK_TAG = re.compile(r"(?i)</?(p|div|h[1-6]|li|ul|ol|blockquote|tr|section)\b[^>]*>")
_BR_TAG = re.compile(r"(?i)<br\s*/?>")
_ANY_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"(?is)<(script|style)\b.*?</\1>")


def strip_markup(text: str) -> str:
    """Drop HTML tags and Markdown marks, keeping paragraphs apart by blank lines."""
    text = _SCRIPT.sub(" ", text)
    text = _BLOCK_TAG.sub("\n\n", text)
    text = _BR_TAG.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", text)  # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # links keep their text
    text = re.sub(r"(?m)^[ \t]{0,3}#{1,6}\s+", "", text)  # headings
    text = re.sub(r"(?m)^[ \t]{0,3}>\s?", "", text)  # quotes
    text = re.sub(r"(?m)^[ \t]*(?:[-*+•]|\d+[.)])\s+", "", text)  # list items
    text = re.sub(r"`{1,3}", "", text)
    text = re.sub(r"(\*\*|__|\*|(?<!\w)_(?=\w)|(?<=\w)_(?!\w))", "", text)
    text = re.sub(r"(?m)^[ \t]*([-*_][ \t]*){3,}$", "", text)  # rules
    return text


# --- web addresses ----------------------------------------------------------------

_URL = re.compile(
    r"(?i)\b(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov|edu|info|io))"
    r"(/[^\s,;)]*)?"
)
_EMAIL = re.compile(r"(?i)\b([a-z0-9._%+-]+)@((?:[a-z0-9-]+\.)+[a-z]{2,})\b")


def _segmentations(label: str, limit: int = 64) -> list[list[str]]:
    """Return the ways to split a run of letters into Vietnamese syllable shapes.

    Fewest syllables first; vowel-initial pieces cost more, since a coda consonant
    followed by an onset is the usual reading ("binh dan", not "bin hdan").
    """
    n = len(label)
    found: list[tuple[float, list[str]]] = []
    # splits[i]: the rest label[i:] splits into syllables. The walk only steps to such
    # positions, so it never re-explores a dead end ("aaaa…aq" used to take minutes).
    splits = [False] * n + [True]
    for i in range(n - 1, -1, -1):
        splits[i] = any(
            splits[j] and is_syllable(label[i:j])
            for j in range(i + 1, min(n, i + 7) + 1)
        )

    def walk(i: int, parts: list[str], cost: float) -> None:
        if len(found) >= limit:
            return
        if i == n:
            found.append((cost, parts))
            return
        for j in range(min(n, i + 7), i, -1):
            piece = label[i:j]
            if splits[j] and is_syllable(piece):
                step = 1.0 + (0.6 if piece[0] in "aeiouy" else 0.0)
                walk(j, [*parts, piece], cost + step)

    walk(0, [], 0.0)
    found.sort(key=lambda item: item[0])
    best = found[0][0] if found else 0.0
    return [parts for cost, parts in found if cost <= best + 0.01]


def label_words(label: str) -> str:
    """Read one label of a host name: restore Vietnamese syllables if it is made of them.

    Among equally short splits the language model of `loa.vn` picks the likeliest
    ("binh dan hoc vu so", not "binh da nhoc vu so").
    """
    lower = label.lower()
    options = _segmentations(lower) if lower.isalpha() and len(lower) > 3 else []
    options = [parts for parts in options if len(parts) >= 2]
    if not options:
        return lower
    from loa.vn.lm import lm_tokens, load_model
    from loa.vn.restore import restore

    model, _lexicon = load_model()
    readings = [restore(" ".join(parts)).lower() for parts in options]
    return min(readings, key=lambda text: model.sentence_cost(lm_tokens(text)))


def host_words(host: str) -> str:
    """Read a host name: "binhdanhocvuso.gov.vn" → "bình dân học vụ số chấm gov chấm vn"."""
    return " chấm ".join(label_words(label) for label in host.split(".") if label)


def _url(match: re.Match[str]) -> str:
    words = host_words(match.group(1))
    path = (match.group(2) or "").strip("/")
    if path:
        segments = [s for s in re.split(r"[/\-_.?=&#]+", path) if s]
        words += " gạch chéo " + " ".join(label_words(s) for s in segments)
    return words


def _email(match: re.Match[str]) -> str:
    local = " chấm ".join(label_words(p) for p in match.group(1).split(".") if p)
    return f"{local} a còng {host_words(match.group(2))}"


# --- document numbers, dates and times ---------------------------------------------

_DOCUMENT = re.compile(
    rf"(?<![\w/.])(\d{{1,5}})(?:/(\d{{4}}))?[-/]([{_UPPER}][A-Za-zĐđ&]*)"
    rf"((?:[-/][{_UPPER}][A-Za-zĐđ&]*)*)(?![\w/])"
)


def _document(match: re.Match[str], text: str) -> str:
    number, year, type_code, issuers = match.groups()
    if type_code not in DOCUMENT_TYPES:
        return match.group(0)
    before = fold_lower(text[max(0, match.start() - 24) : match.start()]).rstrip()
    type_name = DOCUMENT_TYPES[type_code]
    words: list[str] = []
    named = before.endswith(fold_lower(type_name)) or before.endswith(
        fold_lower(type_name) + " so"
    )
    if not named:
        words.append(type_name)
    if not before.endswith(" so") and before != "so":
        words.append("số")
    words.append(number_words(int(number)))
    if year:
        words.append("năm " + number_words(int(year)))
    codes = [c for c in re.split(r"[-/]", issuers) if c]
    # "57-NQ/TW của Bộ Chính trị": the text names the issuer itself.
    if codes and not re.match(r"\s*của\b", text[match.end() :]):
        words.append("của " + " ".join(code_words(c) for c in codes))
    return " ".join(words)


_NUMERIC_DATE = re.compile(r"(?<![\d/.,])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/])")
_DAY_MONTH = re.compile(
    r"(?i)\b(ngày|sáng|chiều|tối|trưa|đêm|hôm)\s+(\d{1,2})/(\d{1,2})(?![\d/])"
)
_MONTH_YEAR = re.compile(r"(?i)\b(tháng)\s+(\d{1,2})[/-](\d{4})(?!\d)")
_MONTH = re.compile(r"(?i)\b(tháng)\s+(\d{1,2})(?![\d/,.:])")
_TIME = re.compile(r"(?<![\d:,.])(\d{1,2})(?::|h|g)(\d{2})?(?![\w:])")
_ORDINAL = re.compile(r"(?i)\b(thứ)\s+(\d{1,3})(?!\d)")
_RANGE = re.compile(r"(?<=\d)\s*[–—-]\s*(?=\d)")
_DIAL = re.compile(
    r"(?i)\b(gọi(?: số| đến số| tới số| điện| đến| tới)?|tổng đài|đường dây nóng"
    r"|hotline|số điện thoại|điện thoại|số)\s+(\d{3,11})(?![\d.,])"
)
_PHONE = re.compile(
    r"(?<![\d.,])0\d{2,3}(?:[ .]?\d{3}){2}\d?(?![\d,])|(?<![\d.,])0\d{3,}"
)
_CURRENCY = re.compile(r"(?<=\d)\s*(?:đ|VNĐ|VND|đồng)(?![\w])")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\d])(\s*%)?")


def _date(match: re.Match[str], text: str) -> str:
    day, _sep, month, year = match.groups()
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return match.group(0)
    before = fold_lower(text[max(0, match.start() - 6) : match.start()]).rstrip()
    prefix = "" if before.endswith("ngay") else "ngày "
    return prefix + date_words(int(day), int(month), int(year))


def _time(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 24 or minute > 59:
        return match.group(0)
    words = number_words(hour) + " giờ"
    if minute:
        words += " " + number_words(minute) + " phút"
    return words


def _ordinal(match: re.Match[str]) -> str:
    n = int(match.group(2))
    word = {1: "nhất", 4: "tư"}.get(n, number_words(n))
    return f"{match.group(1)} {word}"


def _dial(match: re.Match[str], text: str) -> str:
    lead = match.group(1)
    if lead.lower() == "số":
        if len(match.group(2)) > 5:
            return match.group(0)
        before = fold_lower(text[max(0, match.start() - 14) : match.start()]).rstrip()
        if re.search(fold_lower(_DOC_WORDS) + r"$", before):
            return match.group(0)
    return f"{lead} {digits_words(match.group(2))}"


def _number(match: re.Match[str]) -> str:
    whole, frac, percent = match.groups()
    text = whole + ("," + frac if frac else "")
    words = decimal_words(text)
    if percent:
        words += " phần trăm"
    return words


# --- abbreviations --------------------------------------------------------------

_PAREN_ABBR = re.compile(rf"\s*\(([{_UPPER}][A-Za-zĐđ&]{{1,7}})\)")
_CAPS_WORD = rf"[{_UPPER}][A-Za-zĐđ{_UPPER}&]*[{_UPPER}]"
_CAPS = re.compile(rf"(?<![\w&-])({_CAPS_WORD}(?:-{_CAPS_WORD})?)(?![\w&-])")


def _drop_repeated_abbreviation(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        full = ABBREVIATIONS.get(code)
        if not full:
            return match.group(0)
        wanted = [w for w in fold_lower(full).split() if w not in {"va", "-"}]
        before = re.findall(r"\w+", fold_lower(text[: match.start()]))[-12:]
        return "" if wanted and all(w in before for w in wanted) else match.group(0)

    return _PAREN_ABBR.sub(replace, text)


def _abbreviation(match: re.Match[str]) -> str:
    token = match.group(1)
    if token in SPOKEN:
        return SPOKEN[token]
    if token in ABBREVIATIONS:
        return ABBREVIATIONS[token]
    if token.upper() != token:
        return token
    if "-" in token:
        return " ".join(code_words(p) for p in token.split("-"))
    # Upper-case headline words ("CẢNH GIÁC") are words, not acronyms.
    if is_syllable(token.lower()) or fold(token) != token:
        return token
    return code_words(token)


# --- the whole ------------------------------------------------------------------


def reading_text(text: str) -> str:
    """Rewrite Vietnamese text the way it should be read aloud.

    >>> reading_text("Ngày 4/3/2026, 80% hộ dân dùng CĐS.")
    'Ngày bốn tháng ba năm hai nghìn không trăm hai mươi sáu, tám mươi phần trăm hộ dân dùng chuyển đổi số.'
    """
    text = nfc(strip_markup(text))
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(
        out for out in (_reading_paragraph(p) for p in paragraphs) if out
    )


def _reading_paragraph(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = _EMAIL.sub(_email, text)
    text = _URL.sub(_url, text)
    text = _DOCUMENT.sub(lambda m: _document(m, m.string), text)
    text = _NUMERIC_DATE.sub(lambda m: _date(m, m.string), text)
    text = _DAY_MONTH.sub(
        lambda m: (
            f"{m.group(1)} "
            + ("" if m.group(1).lower() == "ngày" else "ngày ")
            + date_words(int(m.group(2)), int(m.group(3)), None)
            if 1 <= int(m.group(3)) <= 12
            else m.group(0)
        ),
        text,
    )
    text = _MONTH_YEAR.sub(
        lambda m: (
            f"{m.group(1)} {MONTHS[int(m.group(2))]} năm "
            + number_words(int(m.group(3)))
            if 1 <= int(m.group(2)) <= 12
            else m.group(0)
        ),
        text,
    )
    text = _MONTH.sub(
        lambda m: (
            f"{m.group(1)} {MONTHS[int(m.group(2))]}"
            if 1 <= int(m.group(2)) <= 12
            else m.group(0)
        ),
        text,
    )
    text = _RANGE.sub(" đến ", text)
    text = _ORDINAL.sub(_ordinal, text)  # before times: "Tin thứ 1:" is no "một giờ"
    text = _TIME.sub(_time, text)
    text = _DIAL.sub(lambda m: _dial(m, m.string), text)
    text = _PHONE.sub(lambda m: digits_words(m.group(0)), text)
    text = _CURRENCY.sub(" đồng", text)
    text = _NUMBER.sub(_number, text)
    text = _drop_repeated_abbreviation(text)
    text = _CAPS.sub(_abbreviation, text)
    text = re.sub(r"\s*&\s*", " và ", text)
    text = re.sub(r"[“”\"«»*#~^|<>\[\]{}]", "", text)
    text = re.sub(r"\s*[–—]\s*|\s+-\s+", ", ", text)
    text = re.sub(r"\s*[()]\s*", ", ", text)
    text = text.replace("…", "...").replace("/", " ")
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*([,.;:!?])", r"\1", text)
    text = re.sub(r"([.;:!?])\s*,", r"\1", text)
    text = re.sub(r"^[,\s]+|[,\s]+$", "", text)
    return re.sub(r"\s{2,}", " ", text).strip()
