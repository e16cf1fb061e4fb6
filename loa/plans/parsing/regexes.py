"""Patterns matched on keys, loose where OCR is known to damage a word."""

from __future__ import annotations

import re

from .result import Recurrence

_NUMBER_RE = re.compile(
    r"(?<![A-Za-z])S[A-Za-z0-9]?\s*(?:[:;.]\s*|\s+(?=\d{1,5}\s*/))(\d{1,5})\s*"
    r"(?:[/|\\Il1]\s*)?([A-Z]{1,5}(?:\s?-\s?[A-Z0-9]{1,10}){1,3})(?![A-Za-z])"
)
_HEADER_DATE_RE = re.compile(
    r"ng\w{1,3}\s*(\d{1,2})\s+th\w{1,4}\s*(\d{1,2})\s+n\w{1,3}\s*(\d{4})(?!\d)"
)
_UBND_RE = re.compile(r"^\W*(?:u\w?\s*ban\s+nh\w{1,3}n\s+d\w{1,2}n|ubnd)\b")
_MOTTO_RES = [
    re.compile(
        r"c\w{1,3}ng\s+h\w{1,3}\s+x\w{1,2}\s+h\w{1,3}\s+ch\w{1,2}\s+ngh\w{1,3}\s+vi\w{1,3}\s+nam"
    ),
    re.compile(
        r"\S{2,4}\s+\S{2,4}\s*[-–—]\s*\S{1,3}\s+\S{1,3}\s*[-–—]\s*h\w{2,4}\s+ph\w{2,4}"
    ),
    re.compile(r"d\w{1,2}ng\s+c\w{1,2}ng\s+s\w{1,2}n\s+vi\w{1,2}t\s+nam"),
]
# "PHẦN THỨ NHẤT" / "PHẦN I", "III." (or its OCR forms), "2." and "A. " (the letter
# outline some wards use: A. MỤC ĐÍCH, YÊU CẦU / B. NHIỆM VỤ, GIẢI PHÁP).
_HEADING_PREFIX_RE = re.compile(
    r"^\s*(?:(?P<part>ph\w{1,2}n\s+(?:thu\s+\w+|[ivxlc]+\b|\d+))\s*[.:\-–]?\s*"
    r"|(?P<letter>[a-h])\s*\.\s+"
    r"|(?P<num>[ivxlc|!1l]{1,5}|\d{1,3})\s*[.)/:]\s*)?"
)
_ROMAN_RE = re.compile(r"^[ivx]+$")
_BULLET_RE = re.compile(
    r"^\s*(?:(?P<dash>[-–—])|(?P<plus>\+)|(?P<dot>[•●▪◦*·])"
    r"|(?P<letter>[a-zđ])\s*\)|(?P<number>\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)](?!\d))\s*"
)
_END_RES = [
    re.compile(r"^\W*n\w{1,2}i\s+nh\w{1,3}n\s*:?"),
    re.compile(
        r"^\W*tr\w{1,2}n\s+d\w{1,3}\s+\S{1,2}\s+(?:k\S{0,2}\s+hoach|quyet|chuong|bao|huong)"
    ),
    re.compile(r"^\W*(?:tm|kt|tl|tuq|q)\s*\.\s*(?:uy\s+ban|chu\s+tich|ubnd)"),
]
# Closing sentences that end the last section without a "Trên đây là …" line.
_CLOSING_RE = re.compile(
    r"^\s*(?:trong\s+qua\s+trinh\s+(?:trien\s+khai\s+|to\s+chuc\s+)?thuc\s+hien"
    r"|tren\s+day\s+\S{1,2}\b)"
)
_SEPARATOR_RE = re.compile(r"^\s*[-_=*.…–—]{3,}\s*$")
_PREAMBLE_START_RE = re.compile(
    r"^\W*(?:c\w{1,2}n\s+c\w{1,2}|th\w{1,2}c\s+hi\w{1,2}n|theo\b|de\s+trien|nham\b)"
)
_REF_RE = re.compile(
    r"\b(?:k\S{0,2}\s+hoach|ngh\w{0,2}\s+quy\w{1,2}t|quy\w{1,2}t\s+d\w{1,2}nh|chi\s+thi"
    r"|ket\s+luan|cong\s+van|thong\s+tu|nghi\s+dinh|huong\s+dan|chuong\s+trinh"
    r"|thong\s+bao|de\s+an|luat)\b"
)
_ISSUANCE_RE = re.compile(
    r"(?:^|[,.]\s*)(?:u\w?\s*ban\s+nh\w{1,3}n\s+d\w{1,2}n|ubnd)\b.*?\bban\s+hanh\b"
)
_CHU_TRI_RE = re.compile(r"\bch[uw]\s+tr[ijl1]\b")
_CHU_TRI_THAM_MUU_RE = re.compile(
    r"\bch[uw]\s+tr[ijl1]\s*,?\s*(?:ph\S{1,3}\s+h[o0]p\s*,?\s*)?tham\s+m[uw]u\b"
)
_PHOI_HOP_RE = re.compile(r"\bph(?:oi|o1|01|0i|di|ei|bi|ol|dl|6i|61|ti)\s+h[o0]p\b")
_BUDGET_ONGOING_RE = re.compile(
    r"\b(?:kinh\s+phi|ngan\s+sach|du\s+toan|chi|nguon|von)\s+thuong\s+xuyen\b"
)
_RECURRENCES: list[tuple[Recurrence, re.Pattern[str]]] = [
    ("hang_tuan", re.compile(r"\bhang\s+tuan\b")),
    ("hang_thang", re.compile(r"\bhang\s+thang\b")),
    ("hang_quy", re.compile(r"\bhang\s+quy\b")),
    ("dinh_ky", re.compile(r"\bdinh\s+ky\b")),
    ("thuong_xuyen", re.compile(r"\bthuong\s+xuyen\b")),
]
# "đến (hết) ngày …" ends a date range ("từ ngày 01/10 đến hết ngày 10/10/2026"):
# the task is due when the range ends; its start is no deadline.
_DEADLINE = (
    r"(?:tr\w{1,3}c|cham\s+nhat(?:\s+la)?|han\s+chot|thoi\s+han|han|khong\s+muon\s+hon"
    r"|xong\s+truoc|vao|\bden(?:\s+het)?)"
)
_DUE_DAY_RE = re.compile(
    _DEADLINE + r"\s*:?\s*(?:ngay\s*)?(\d{1,2})\s*(?:thang\s*|[/.-]\s*)(\d{1,2})"
    r"(?:\s*(?:nam\s*|[/.-]\s*)(\d{4}))?(?!\d)"
)
_DUE_MONTH_RE = re.compile(
    r"\b(trong|truoc|cuoi|het|den)\s+thang\s*(\d{1,2})\s*(?:/|nam\s*|-)\s*(\d{4})(?!\d)"
)
_DUE_QUARTER_RE = re.compile(
    r"\b(trong|truoc|cuoi|het)\s+quy\s+(iv|iii|ii|i|[1-4])\b\s*(?:/|nam\s*|-)?\s*(\d{4})?"
)
_DUE_YEAR_RE = re.compile(
    r"\bhoan\s+thanh\s+(?:trong|truoc|trong\s+nam)\s+(?:nam\s+)?(\d{4})(?!\d)"
)
_DE_NGHI_RE = re.compile(r"^\W*(?:[dpb]\w?\s*ngh[il1]|giao|trach\s+nhiem\s+cua)\s+")
_UNIT_ROLE_SUFFIX_RE = re.compile(
    r"\s*[(,:–-]?\s*(?:co\s+quan\s+|don\s+vi\s+)?(chu\s+tri|phoi\s+hop)\)?\s*[:.]?\s*$"
)
_TRAILING_PUNCT = " \t;,"
