"""Chat shorthand ("teencode") residents type on phones, spelled out for matching.

"dki vneid mức 2 ở đâu z ad" reads as "đăng ký vneid mức 2 ở đâu vậy": the question words
(bn, j, ntn, ko) decide what kind of answer is asked for, and the words they hide are what
the knowledge base is searched with. Only whole words, case-insensitive; "50k" and "k+"
stay as they are.
"""

import re

from loa.vn.text import nfc

SHORTHAND = {
    # question words and particles
    "bn": "bao nhiêu",
    "bnh": "bao nhiêu",
    "j": "gì",
    "ji": "gì",
    "ntn": "như thế nào",
    "ko": "không",
    "k": "không",
    "kh": "không",
    "hok": "không",
    "hem": "không",
    "hông": "không",
    "khum": "không",
    "z": "vậy",
    "zậy": "vậy",
    "dzậy": "vậy",
    "v": "vậy",
    "thui": "thôi",
    "ak": "à",
    "ah": "à",
    "h": "giờ",
    "r": "rồi",
    "e": "em",
    "bt": "biết",
    "bik": "biết",
    "ns": "nói",
    "fb": "Facebook",
    "ad": "",  # "hỏi ad": the person asked, not the subject
    "admin": "",
    # verbs and nouns
    "dc": "được",
    "đc": "được",
    "dk": "đăng ký",
    "đk": "đăng ký",
    "dki": "đăng ký",
    "đki": "đăng ký",
    "mk": "mình",
    "mik": "mình",
    "vs": "với",
    "cx": "cũng",
    "cg": "cũng",
    "ng": "người",
    "nhìu": "nhiều",
    "bít": "biết",
    "lm": "làm",
    "ms": "mới",
    "trc": "trước",
    "tk": "tài khoản",
    "stk": "số tài khoản",
    "ck": "chuyển khoản",
    "sđt": "số điện thoại",
    "sdt": "số điện thoại",
    "đt": "điện thoại",
    "dt": "điện thoại",
    "app": "ứng dụng",
    "onl": "trực tuyến",
    "online": "trực tuyến",
    "hs": "hồ sơ",
    "mn": "mọi người",
    "ms2": "mức 2",
}
_WORD_RE = re.compile(
    r"(?<![\w%+])("
    + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True))
    + r")(?![\w%+])",
    re.IGNORECASE,
)


def _spelled(match: re.Match) -> str:
    word = match.group(1)
    if len(word) == 1 and word.isupper():
        return word  # "vitamin K", "phương án V": a letter, not shorthand
    return SHORTHAND[word.lower()]


# "mk" is "mình" (I), except after what one does to a password ("quên mk").
_PASSWORD_RE = re.compile(
    r"\b(quên|đổi|đặt|nhập|lấy lại|sai|khôi phục|reset|quen|doi|dat|nhap|lay lai)\s+(mk|mật khẩu|pass)\b",
    re.IGNORECASE,
)


def expand_shorthand(text: str) -> str:
    """The text with chat shorthand spelled out (NFC, spaces tidied)."""
    text = _PASSWORD_RE.sub(lambda m: f"{m.group(1)} mật khẩu", nfc(text))
    expanded = _WORD_RE.sub(_spelled, text)
    return re.sub(r"\s{2,}", " ", expanded).strip()
