"""Parse the text of an official plan (layout of Nghị định 30/2020/NĐ-CP) into data.

The parser works line by line on text that may come from OCR: diacritics lost,
Roman numerals turned into digits ("III." → "1.", "IV." → "111."), "/" read as "I",
page breaks in the middle of a paragraph. So:

* the text is restored to proper Vietnamese first (``loa.vn.restore``) when it needs
  it, and every line is matched on a *key*: the restored line folded to lowercase
  ASCII one character per character, so a match position in the key is the same
  position in the restored text;
* section headings are found by their words (MỤC ĐÍCH, YÊU CẦU / NỘI DUNG … /
  KINH PHÍ / TỔ CHỨC THỰC HIỆN …), never by their numbers;
* patterns on keys are loose where OCR is known to damage a word (``phdi hop``).

Recurrence rule: "thường xuyên" right after a budget word (kinh phí, ngân sách, dự
toán, chi, nguồn, vốn) names a kind of budget ("kinh phí thường xuyên"), not how
often a task recurs, so it is ignored there. When a task names several
recurrences the most specific one wins: hằng tuần > hằng tháng > hằng quý >
định kỳ > thường xuyên ("phát thanh định kỳ hằng tuần" is weekly).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from loa.vn import fold_lower, needs_restoration, nfc, parse_date, restore

Role = Literal["chu_tri", "phoi_hop"]
Recurrence = Literal["hang_tuan", "hang_thang", "hang_quy", "thuong_xuyen", "dinh_ky"]


class PlanParseError(ValueError):
    """The text is not a plan the parser can read; ``message`` is Vietnamese."""

    def __init__(self, message: str, *, code: str = "not_a_plan"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class ParsedTask:
    text: str
    role: Role | None = None
    recurrence: Recurrence | None = None
    due: dt.date | None = None

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "role": self.role,
            "recurrence": self.recurrence,
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass
class ParsedUnit:
    name: str
    tasks: list[ParsedTask] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"name": self.name, "tasks": [task.as_dict() for task in self.tasks]}


@dataclass
class ParsedSection:
    heading: str
    items: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"heading": self.heading, "items": list(self.items)}


@dataclass
class ParsedPlan:
    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None
    place: str | None = None
    title: str | None = None
    doc_type: str | None = None
    signer: str | None = None
    signer_position: str | None = None
    implements: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    units: list[ParsedUnit] = field(default_factory=list)
    restored_text: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the plan as plain JSON-able data (dates as ISO strings)."""
        return {
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "place": self.place,
            "title": self.title,
            "doc_type": self.doc_type,
            "signer": self.signer,
            "signer_position": self.signer_position,
            "implements": list(self.implements),
            "sections": [section.as_dict() for section in self.sections],
            "units": [unit.as_dict() for unit in self.units],
            "restored_text": self.restored_text,
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- keys


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    if ord(ch) < 128:
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    return base if ord(base) < 128 else ch


def _fold_same_length(text: str) -> str:
    """Fold diacritics one character per character, so offsets stay valid."""
    return "".join(_fold_char(ch) for ch in text)


def _key(text: str) -> str:
    folded = _fold_same_length(text)
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in folded)


def _clean_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isalpha()]


def _is_upper_line(text: str, threshold: float = 0.75) -> bool:
    letters = _letters(text)
    if len(letters) < 2:
        return False
    return sum(ch.isupper() for ch in letters) / len(letters) >= threshold


def _starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def _is_terminal(text: str) -> bool:
    return text.rstrip(" \t\"'”’»)*").endswith((".", ";", ":", "!", "?"))


def _word_count(text: str) -> int:
    return len(text.split())


@dataclass
class _Line:
    index: int
    raw: str
    text: str
    key: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


# ------------------------------------------------------------------ vocabularies

_DOC_TYPES = {
    "ke hoach": "Kế hoạch",
    "quyet dinh": "Quyết định",
    "chi thi": "Chỉ thị",
    "thong bao": "Thông báo",
    "bao cao": "Báo cáo",
    "huong dan": "Hướng dẫn",
    "chuong trinh": "Chương trình",
    "to trinh": "Tờ trình",
    "nghi quyet": "Nghị quyết",
    "de an": "Đề án",
    "phuong an": "Phương án",
    "quy che": "Quy chế",
    "quy dinh": "Quy định",
}

# Section heading words (folded) and the kind of section they open.
_HEADINGS: list[tuple[str, str]] = [
    ("muc dich", "purpose"),
    ("muc tieu", "purpose"),
    ("yeu cau", "purpose"),
    ("quan diem", "purpose"),
    ("noi dung", "content"),
    ("hinh thuc", "content"),
    ("phuong thuc", "content"),
    ("nhiem vu", "content"),
    ("giai phap", "content"),
    ("cac nhiem vu", "content"),
    ("doi tuong", "content"),
    ("pham vi", "content"),
    ("thoi gian", "content"),
    ("tien do", "content"),
    ("kinh phi", "budget"),
    ("nguon kinh phi", "budget"),
    ("to chuc thuc hien", "organisation"),
    ("phan cong nhiem vu", "organisation"),
    ("phan cong thuc hien", "organisation"),
    ("trach nhiem thuc hien", "organisation"),
    ("che do bao cao", "reporting"),
    ("che do thong tin", "reporting"),
    ("danh gia", "other"),
    ("ket qua", "other"),
]

# First words of unit names (folded) — used to tell a unit heading from a task.
_ORG_WORDS = {
    "phong",
    "van",
    "cong",
    "trung",
    "ban",
    "hoi",
    "doan",
    "uy",
    "ubnd",
    "ubmttq",
    "mttq",
    "mat",
    "tram",
    "cac",
    "truong",
    "to",
    "dang",
    "chi",
    "buu",
    "bch",
    "ho",
    "thanh",
    "lien",
    "ngan",
    "hop",
    "cong an",
    "quan",
    "ky",
}

# Canonical unit names; "{cap}" is the ward level (phường, xã …).
_UNIT_NAMES = [
    "Phòng Văn hóa - Xã hội",
    "Phòng Kinh tế",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Văn phòng HĐND và UBND {cap}",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {cap}",
    "Văn phòng Đảng ủy {cap}",
    "Trung tâm Dịch vụ sự nghiệp công",
    "Trung tâm Dịch vụ sự nghiệp công {cap}",
    "Trung tâm Phục vụ hành chính công",
    "Trung tâm Phục vụ hành chính công {cap}",
    "Công an {cap}",
    "Ban Chỉ huy quân sự {cap}",
    "Trạm Y tế {cap}",
    "Các phòng, ban, đơn vị",
    "Các phòng, ban, đơn vị {cap}",
    "Các phòng, ban, đơn vị thuộc UBND {cap}",
    "Các phòng, ban, đơn vị thuộc {cap}",
    "Mặt trận Tổ quốc Việt Nam {cap}",
    "Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội {cap}",
    "Ủy ban Mặt trận Tổ quốc Việt Nam {cap}",
    "Ủy ban MTTQ Việt Nam {cap}",
    "Ủy ban MTTQ Việt Nam {cap} và các tổ chức chính trị - xã hội",
    "Các tổ chức chính trị - xã hội {cap}",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh {cap}",
    "Hội Liên hiệp Phụ nữ {cap}",
    "Hội Cựu chiến binh {cap}",
    "Hội Nông dân {cap}",
    "Tổ công nghệ số cộng đồng",
    "Các tổ công nghệ số cộng đồng",
    "Các trường học trên địa bàn {cap}",
    "Các tổ dân phố",
    "Trưởng các tổ dân phố",
    "Các thôn, tổ dân phố",
]
_WARD_LEVELS = ["phường", "xã", "thị trấn", "đặc khu"]

_ADMIN_WORDS = {
    "phuong": "phường",
    "xa": "xã",
    "thi tran": "thị trấn",
    "dac khu": "đặc khu",
    "quan": "quận",
    "huyen": "huyện",
    "thi xa": "thị xã",
    "thanh pho": "thành phố",
    "tinh": "tỉnh",
}

_ACRONYMS = {
    "ubnd",
    "hdnd",
    "mttq",
    "khcn",
    "dmst",
    "cds",
    "cntt",
    "ubmttq",
    "nq/tw",
    "tw",
    "vhxh",
    "vh-xh",
    "cchc",
}

# Common Vietnamese name syllables: used when a signer's name lost its diacritics,
# where a general restorer has no context to choose (Văn or Vân?).
_SURNAMES = {
    "nguyen": "Nguyễn",
    "tran": "Trần",
    "le": "Lê",
    "pham": "Phạm",
    "hoang": "Hoàng",
    "huynh": "Huỳnh",
    "phan": "Phan",
    "vu": "Vũ",
    "vo": "Võ",
    "dang": "Đặng",
    "bui": "Bùi",
    "do": "Đỗ",
    "ho": "Hồ",
    "ngo": "Ngô",
    "duong": "Dương",
    "ly": "Lý",
    "dao": "Đào",
    "doan": "Đoàn",
    "trinh": "Trịnh",
    "dinh": "Đinh",
    "mai": "Mai",
    "truong": "Trương",
    "luong": "Lương",
    "ha": "Hà",
    "cao": "Cao",
    "lam": "Lâm",
    "ta": "Tạ",
    "to": "Tô",
    "vuong": "Vương",
    "chu": "Chu",
    "quach": "Quách",
    "thai": "Thái",
    "tong": "Tống",
    "nong": "Nông",
    "lai": "Lại",
    "khuc": "Khúc",
}
_MIDDLE_NAMES = {
    "thi": "Thị",
    "van": "Văn",
    "duc": "Đức",
    "huu": "Hữu",
    "ngoc": "Ngọc",
    "thanh": "Thanh",
    "minh": "Minh",
    "quoc": "Quốc",
    "xuan": "Xuân",
    "thu": "Thu",
    "kim": "Kim",
    "hong": "Hồng",
    "dinh": "Đình",
    "cong": "Công",
    "quang": "Quang",
    "thuy": "Thúy",
    "bich": "Bích",
    "hai": "Hải",
    "tuan": "Tuấn",
    "manh": "Mạnh",
    "trung": "Trung",
    "tien": "Tiến",
    "anh": "Anh",
    "phuong": "Phương",
    "my": "Mỹ",
    "khanh": "Khánh",
    "viet": "Việt",
    "the": "Thế",
    "ba": "Bá",
    "gia": "Gia",
}
_GIVEN_NAMES = {
    "van": "Vân",
    "anh": "Anh",
    "lan": "Lan",
    "ha": "Hà",
    "huong": "Hương",
    "thu": "Thu",
    "hoa": "Hoa",
    "hung": "Hùng",
    "dung": "Dũng",
    "tuan": "Tuấn",
    "minh": "Minh",
    "nam": "Nam",
    "hai": "Hải",
    "son": "Sơn",
    "long": "Long",
    "thanh": "Thanh",
    "trang": "Trang",
    "linh": "Linh",
    "nga": "Nga",
    "hang": "Hằng",
    "thuy": "Thủy",
    "phuong": "Phương",
    "quang": "Quang",
    "duc": "Đức",
    "binh": "Bình",
    "cuong": "Cường",
    "hieu": "Hiếu",
    "hoang": "Hoàng",
    "huy": "Huy",
    "khoa": "Khoa",
    "lam": "Lâm",
    "loan": "Loan",
    "mai": "Mai",
    "ngoc": "Ngọc",
    "nhung": "Nhung",
    "oanh": "Oanh",
    "quynh": "Quỳnh",
    "tam": "Tâm",
    "thao": "Thảo",
    "thang": "Thắng",
    "trung": "Trung",
    "tu": "Tú",
    "vinh": "Vinh",
    "yen": "Yến",
    "hanh": "Hạnh",
    "hien": "Hiền",
    "hue": "Huệ",
    "dat": "Đạt",
    "tien": "Tiến",
    "viet": "Việt",
    "phuc": "Phúc",
    "chi": "Chi",
    "giang": "Giang",
    "diep": "Diệp",
    "ly": "Ly",
}

# ----------------------------------------------------------------- regexes (keys)

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


# ------------------------------------------------------------------ entry point


def parse_plan(text: str) -> ParsedPlan:
    """Parse an official plan's text into a ParsedPlan; raise PlanParseError if not a plan."""
    if not isinstance(text, str) or not text.strip():
        raise PlanParseError(
            "Văn bản trống, không có nội dung để phân tích.", code="empty"
        )
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\x00", "")
    letters = _letters(text)
    if len(letters) < 20:
        raise PlanParseError(
            "Văn bản quá ngắn, không phải một kế hoạch có thể phân tích.",
            code="too_short",
        )

    plan = ParsedPlan()
    restored, was_restored = _restore(text)
    plan.restored_text = restored
    lines = [
        _Line(i, raw, res.rstrip(), _key(res.rstrip()))
        for i, (raw, res) in enumerate(
            zip(text.split("\n"), restored.split("\n"), strict=True)
        )
    ]

    type_index = _find_doc_type(lines, plan)
    header_end = type_index if type_index is not None else min(len(lines), 12)
    number_line = _find_number(lines[:header_end], plan)
    _find_date_place(lines[:header_end], plan, number_line)
    _find_issuer(lines[:header_end], plan, lines)
    if was_restored and plan.place:
        lines = _unify_place_name(lines, plan.place)
        plan.restored_text = "\n".join(line.text for line in lines)
    body_start = (
        _find_title(lines, type_index, plan) if type_index is not None else header_end
    )

    appendix = _find_appendix(lines, body_start)
    heading_indexes = [h for h in _find_headings(lines, body_start) if h[0] < appendix]
    if heading_indexes:
        first_heading = heading_indexes[0][0]
        _find_implements(lines[body_start:first_heading], plan)
        end = min(_find_body_end(lines, heading_indexes), appendix)
        _build_sections(lines, [h for h in heading_indexes if h[0] < end], end, plan)
        _find_signer(lines[end:appendix], plan)
        _add_appendix_tasks(lines[appendix:], plan)
    else:
        _find_signer(lines[max(body_start, appendix - 30) : appendix], plan)

    if not plan.sections or not (plan.number or plan.doc_type):
        raise PlanParseError(
            "Không nhận ra văn bản kế hoạch: không tìm thấy số, ký hiệu, loại văn bản"
            " hoặc các mục nội dung theo thể thức Nghị định 30/2020/NĐ-CP.",
            code="not_a_plan",
        )
    _add_warnings(plan, was_restored)
    return plan


# List markers "a)" only count as the first word of a line: elsewhere "B)" is an OCR
# reading of a word ("Bộ Chính trị") that the restorer should be free to fix.
_LIST_MARKER_RE = re.compile(r"[a-zđA-ZĐ]\)")
_PROTECTED_TOKEN_RE = re.compile(
    r"[-+•*–]"  # bullets
    r"|\(?\d+(?:[./-]\d+)*[.)/,;:]*"  # numbers, "1.", "30/6/2026."
    r"|[IVXLC]+(?:[./)]\S*)?"  # Roman numerals, "III/2026"
    r"|\S*\d\S*/\S*|\S*/\S*\d\S*"  # symbols with a slash and digits: "57-NQ/TW"
)


def _restore(text: str) -> tuple[str, bool]:
    if not needs_restoration(text):
        return text, False
    restored = nfc(restore(text))
    raw_lines = text.split("\n")
    if restored.count("\n") != len(raw_lines) - 1:
        # The restorer must keep line breaks; if it did not, restore line by line.
        restored = "\n".join(
            nfc(restore(line)) if line.strip() else line for line in raw_lines
        )
    lines = [
        _protect(raw, res)
        for raw, res in zip(raw_lines, restored.split("\n"), strict=True)
    ]
    return "\n".join(lines), True


def _unify_place_name(lines: list[_Line], place: str) -> list[_Line]:
    """Write the ward's own name the same way everywhere it is capitalised.

    The restorer reads each occurrence on its own and may give "Hải Đường" in one
    line and "Hải Dương" in the next; the header settled which one it is.
    """
    size = len(place.split())
    target = fold_lower(place)

    def unify(text: str) -> str:
        words = list(re.finditer(r"[^\W\d_]+", text))
        spans = []
        i = 0
        while i + size <= len(words):
            window = words[i : i + size]
            start, end = window[0].start(), window[-1].end()
            found = text[start:end]
            if (
                found[:1].isupper()
                and fold_lower(" ".join(w.group() for w in window)) == target
                and all(
                    text[a.end() : b.start()].isspace()
                    for a, b in zip(window, window[1:], strict=False)
                )
            ):
                spans.append((start, end, place.upper() if found.isupper() else place))
                i += size
            else:
                i += 1
        for start, end, value in reversed(spans):
            text = text[:start] + value + text[end:]
        return text

    result = []
    for line in lines:
        text = unify(line.text)
        result.append(
            line if text == line.text else _Line(line.index, line.raw, text, _key(text))
        )
    return result


def _protect(raw: str, restored: str) -> str:
    """Put back markers, numbers and symbols the restorer should not have touched."""
    raw_parts = re.split(r"(\s+)", raw)
    res_parts = re.split(r"(\s+)", restored)
    if len(raw_parts) != len(res_parts):
        return restored
    out = []
    first = next((n for n, part in enumerate(raw_parts) if n % 2 == 0 and part), -1)
    for n, (a, b) in enumerate(zip(raw_parts, res_parts, strict=True)):
        protected = _PROTECTED_TOKEN_RE.fullmatch(a) or (
            n == first and _LIST_MARKER_RE.fullmatch(a)
        )
        if n % 2 == 0 and a != b and protected:
            out.append(a)
        else:
            out.append(b)
    return "".join(out)


def _add_warnings(plan: ParsedPlan, was_restored: bool) -> None:
    warnings = plan.warnings
    if was_restored:
        warnings.insert(
            0,
            "Văn bản bị mất dấu tiếng Việt; nội dung đã được khôi phục dấu tự động,"
            " cần rà soát lại trước khi xác nhận.",
        )
    missing = [
        (plan.number, "Không tìm thấy số, ký hiệu văn bản."),
        (plan.date, "Không tìm thấy ngày ban hành."),
        (plan.issuer, "Không tìm thấy cơ quan ban hành."),
        (plan.title, "Không tìm thấy trích yếu (tên) của văn bản."),
        (plan.signer, "Không tìm thấy người ký văn bản."),
        (
            plan.units,
            "Không tìm thấy đơn vị nào được phân công trong mục Tổ chức thực hiện.",
        ),
    ]
    warnings.extend(message for value, message in missing if not value)
    for unit in plan.units:
        if not unit.tasks:
            warnings.append(f"Đơn vị “{unit.name}” chưa có nhiệm vụ nào được nhận ra.")


# ---------------------------------------------------------------------- header


def _find_doc_type(lines: list[_Line], plan: ParsedPlan) -> int | None:
    for line in lines[:30]:
        if (
            line.blank
            or not _is_upper_line(line.text, 0.8)
            or _word_count(line.text) > 4
        ):
            continue
        compact = _clean_space(re.sub(r"[^a-z ]", " ", line.key))
        for folded, display in _DOC_TYPES.items():
            if compact == folded or (
                len(compact) >= 6
                and difflib.SequenceMatcher(None, compact, folded).ratio() >= 0.85
            ):
                plan.doc_type = display
                return line.index
    return None


def _find_number(lines: list[_Line], plan: ParsedPlan) -> _Line | None:
    for line in lines:
        folded = _fold_same_length(line.text)
        match = _NUMBER_RE.search(folded)
        if not match:
            continue
        start, end = match.span(2)
        symbol = re.sub(r"\s+", "", line.text[start:end])
        plan.number = f"{int(match.group(1)):d}/{symbol}" if match.group(1) else symbol
        # Keep the leading zeros a document number might carry ("05/KH-UBND").
        plan.number = f"{match.group(1)}/{symbol}"
        return line
    return None


def _strip_motto(key: str) -> int:
    """Return where the national motto starts in a header key (or its length)."""
    cut = len(key)
    for regex in _MOTTO_RES:
        match = regex.search(key)
        if match:
            cut = min(cut, match.start())
    return cut


def _find_date_place(
    lines: list[_Line], plan: ParsedPlan, number_line: _Line | None
) -> None:
    for line in lines:
        match = _HEADER_DATE_RE.search(line.key)
        value = None
        if match:
            try:
                value = dt.date(
                    int(match.group(3)), int(match.group(2)), int(match.group(1))
                )
            except ValueError:
                value = None
        if value is None:
            value = parse_date(line.text) if "ng" in line.key else None
            if value is None:
                continue
        plan.date = value
        if match:
            start = 0
            if number_line is not None and number_line.index == line.index:
                number_match = _NUMBER_RE.search(_fold_same_length(line.text))
                start = number_match.end() if number_match else 0
            place = line.text[start : match.start()].strip(" ,;:-–\t")
            if place and len(place) <= 60 and not _MOTTO_RES[1].search(_key(place)):
                plan.place = _clean_space(place)
        return


def _format_locality(text: str) -> str:
    """Turn "PHƯỜNG HẢI DƯƠNG" into "phường Hải Dương"."""
    text = _clean_space(text)
    if not text:
        return text
    if not _is_upper_line(text, 0.9):
        return text
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = _key(" ".join(words[i : i + 2]))
        single = _key(words[i])
        if i + 1 < len(words) and pair in _ADMIN_WORDS:
            out.append(_ADMIN_WORDS[pair])
            i += 2
            continue
        if single in _ADMIN_WORDS and (i == 0 or out[-1] in _ADMIN_WORDS.values()):
            out.append(_ADMIN_WORDS[single])
        elif any(ch.isdigit() for ch in words[i]):
            out.append(words[i])
        else:
            out.append(words[i][:1].upper() + words[i][1:].lower())
        i += 1
    return " ".join(out)


def _find_issuer(lines: list[_Line], plan: ParsedPlan, all_lines: list[_Line]) -> None:
    start = None
    for line in lines:
        if _UBND_RE.search(line.key):
            start = line
            break
    if start is None:
        return
    parts: list[str] = []
    match = _UBND_RE.search(start.key)
    rest_key = start.key[match.end() :]
    cut = _strip_motto(rest_key)
    parts.append(start.text[match.end() : match.end() + cut])
    for line in lines[start.index - lines[0].index + 1 :]:
        if line.blank or _SEPARATOR_RE.match(line.text):
            continue
        folded = _fold_same_length(line.text)
        if _NUMBER_RE.search(folded) or _HEADER_DATE_RE.search(line.key):
            break
        if _UBND_RE.search(line.key):
            # "UBND THÀNH PHỐ X / ỦY BAN NHÂN DÂN PHƯỜNG Y": the lower line is the issuer.
            parts = []
            match = _UBND_RE.search(line.key)
            parts.append(
                line.text[
                    match.end() : match.end() + _strip_motto(line.key[match.end() :])
                ]
            )
            continue
        cut = _strip_motto(line.key)
        piece = line.text[:cut]
        if not piece.strip():
            continue  # the motto column, read as a line of its own
        if not _is_upper_line(piece, 0.8):
            break
        parts.append(piece)
    locality = _clean_space(" ".join(p.strip(" -–_") for p in parts))
    locality = _vote_locality(locality, all_lines)
    plan.issuer = (
        f"Ủy ban nhân dân {_format_locality(locality)}".strip() if locality else None
    )
    if plan.issuer and plan.place:
        # The place line is often damaged by OCR more than the issuer's header.
        tail = _locality_name(locality)
        if tail and _similar(_key(tail), _key(plan.place)) >= 0.6:
            plan.place = _format_locality(tail) if _is_upper_line(tail, 0.9) else tail
    elif plan.issuer and not plan.place:
        tail = _locality_name(locality)
        plan.place = (
            _format_locality(tail) if _is_upper_line(tail, 0.9) else tail
        ) or None


def _vote_locality(locality: str, lines: list[_Line]) -> str:
    """Pick the most frequent restoration of the locality's name across the text.

    A restorer sees the header's capitals with little context and may pick a wrong
    tone ("HẢI ĐƯỜNG"); the same name recurs in the body, where most of its
    restorations agree.
    """
    words = locality.split()
    admin = [
        w for w in words if _key(w) in {"phuong", "xa", "thi", "tran", "dac", "khu"}
    ]
    name = words[len(admin) :] if words[: len(admin)] == admin else words
    target = [re.sub(r"\W", "", _key(w)) for w in name]
    if not 1 <= len(target) <= 4:
        return locality
    votes: dict[str, int] = {}
    for line in lines:
        raw_tokens = line.raw.split()
        res_tokens = line.text.split()
        if len(raw_tokens) != len(res_tokens):
            continue
        raw_keys = [re.sub(r"\W", "", _key(t)) for t in raw_tokens]
        res_keys = [re.sub(r"\W", "", _key(t)) for t in res_tokens]
        for i in range(len(raw_keys) - len(target) + 1):
            if (
                raw_keys[i : i + len(target)] == target
                or res_keys[i : i + len(target)] == target
            ):
                found = [
                    re.sub(r"^\W+|\W+$", "", t) for t in res_tokens[i : i + len(target)]
                ]
                form = " ".join(t[:1].upper() + t[1:].lower() for t in found)
                votes[form] = votes.get(form, 0) + 1
    if not votes:
        return locality
    best = max(votes.items(), key=lambda item: item[1])[0]
    current = " ".join(t[:1].upper() + t[1:].lower() for t in name)
    if votes.get(current, 0) >= votes[best]:
        return locality
    best_words = best.split()
    if _is_upper_line(" ".join(name), 0.9):
        best_words = [w.upper() for w in best_words]
    return " ".join(admin + best_words)


def _locality_name(locality: str) -> str:
    words = locality.split()
    while words and _key(words[0]) in {"phuong", "xa", "thi", "tran", "dac", "khu"}:
        words = words[1:]
    return " ".join(words)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _find_title(lines: list[_Line], type_index: int, plan: ParsedPlan) -> int:
    parts: list[str] = []
    i = type_index + 1
    blank_before = False
    while i < len(lines) and len(parts) < 6:
        line = lines[i]
        if line.blank:
            if parts:
                blank_before = True
            i += 1
            continue
        if _SEPARATOR_RE.match(line.text):
            if parts:
                i += 1
                break
            i += 1
            continue
        if parts and (
            _PREAMBLE_START_RE.match(line.key)
            or _is_terminal(parts[-1])
            or (blank_before and not _starts_lower(line.text))
            or (_is_upper_line(line.text) and not _is_upper_line(parts[-1]))
        ):
            break
        if not parts and _PREAMBLE_START_RE.match(line.key):
            break
        parts.append(line.text.strip())
        blank_before = False
        i += 1
    if parts:
        plan.title = _join_lines(parts)
    return i


def _join_lines(parts: list[str]) -> str:
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += part
        else:
            out = f"{out} {part}" if out else part
    return _clean_space(out)


# -------------------------------------------------------------------- sections


def _heading_of(line: _Line) -> tuple[str, str, int] | None:
    """Return (display heading, kind, prefix kind) if the line is a section heading."""
    if line.blank or _word_count(line.text) > 16:
        return None
    prefix = _HEADING_PREFIX_RE.match(line.key)
    rest_key = line.key[prefix.end() :]
    rest_text = line.text[prefix.end() :]
    part = prefix.group("part")
    num = prefix.group("num")
    if prefix.group("letter") and not line.text[prefix.start("letter")].isupper():
        return None  # "a. …" is an item of a list, only "A. …" opens a section
    if not _letters(rest_text):
        return (_clean_space(line.text), "other", 2) if part else None
    if not _is_upper_line(rest_text):
        return None
    compact = _clean_space(re.sub(r"[^a-z0-9 ]", " ", rest_key))
    kind = None
    for words, heading_kind in _HEADINGS:
        head = compact[: len(words)]
        if head == words or (len(words) >= 7 and _similar(head, words) >= 0.8):
            kind = heading_kind
            break
    if kind is None:
        if _is_terminal(rest_text) or not (part or (num and _ROMAN_RE.match(num))):
            return None
        kind = "other"
    return _display_heading(rest_text), kind, 1


_CANONICAL_HEADINGS = [
    "Mục đích, yêu cầu",
    "Mục đích và yêu cầu",
    "Mục tiêu, yêu cầu",
    "Nội dung, hình thức tuyên truyền",
    "Nội dung và hình thức tuyên truyền",
    "Nội dung tuyên truyền",
    "Hình thức tuyên truyền",
    "Nhiệm vụ, giải pháp",
    "Nhiệm vụ và giải pháp",
    "Nhiệm vụ, giải pháp trọng tâm",
    "Kinh phí",
    "Kinh phí thực hiện",
    "Tổ chức thực hiện",
    "Chế độ báo cáo",
    "Chế độ thông tin, báo cáo",
]


def _display_heading(text: str) -> str:
    text = _clean_space(text).strip(" .:;-–")
    compact = _clean_space(re.sub(r"[^a-z0-9 ]", " ", _key(text)))
    for canonical in _CANONICAL_HEADINGS:
        canon_key = _clean_space(re.sub(r"[^a-z0-9 ]", " ", _key(canonical)))
        if compact == canon_key or _similar(compact, canon_key) >= 0.88:
            return canonical
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        folded = _key(word).strip(",.;:()")
        if folded in _ACRONYMS or any(ch.isdigit() for ch in word):
            out.append(word)
        elif i == 0:
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
    result = " ".join(out)
    return result.replace("việt nam", "Việt Nam")


def _find_headings(lines: list[_Line], start: int) -> list[tuple[int, str, str]]:
    found: list[tuple[int, str, str]] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if any(regex.match(line.key) for regex in _END_RES[:1]):
            break
        heading = _heading_of(line)
        if heading is None:
            i += 1
            continue
        display, kind, prefix_kind = heading
        if prefix_kind == 2:
            # "PHẦN I" / "PHẦN THỨ NHẤT" alone only labels the part: the heading
            # words on the next line are the section.
            j = i + 1
            while j < len(lines) and lines[j].blank:
                j += 1
            if (
                j < len(lines)
                and _is_upper_line(lines[j].text)
                and _word_count(lines[j].text) <= 14
            ):
                nxt = _heading_of(lines[j])
                words_display = nxt[0] if nxt else _display_heading(lines[j].text)
                found.append((i, words_display, nxt[1] if nxt else "other"))
                i = j + 1
                continue
        found.append((i, display, kind))
        i += 1
    return found


def _find_body_end(lines: list[_Line], headings: list[tuple[int, str, str]]) -> int:
    start = headings[0][0]
    end = len(lines)
    for line in lines[start + 1 :]:
        if any(regex.match(line.key) for regex in _END_RES):
            end = line.index
            break
    # Closing sentences ("Trong quá trình thực hiện, nếu có khó khăn …") only count
    # in the last section: the same words may open a paragraph earlier on.
    last = max((h[0] for h in headings if h[0] < end), default=start)
    for line in lines[last + 1 : end]:
        if _CLOSING_RE.match(line.key):
            return line.index
    return end


def _build_sections(
    lines: list[_Line], headings: list[tuple[int, str, str]], end: int, plan: ParsedPlan
) -> None:
    for n, (index, display, kind) in enumerate(headings):
        stop = headings[n + 1][0] if n + 1 < len(headings) else end
        body = list(lines[index + 1 : stop])
        # A "PHẦN I" heading may have consumed the next line as its words.
        if (
            body
            and not body[0].blank
            and _fold_same_length(display)
            == _fold_same_length(_display_heading(body[0].text))
        ):
            body = body[1:]
        blocks = _blocks(body)
        section = ParsedSection(
            heading=display, items=[b.text for b in blocks if b.text]
        )
        plan.sections.append(section)
        if kind == "organisation":
            plan.units.extend(_units(blocks, plan))
    _merge_units(plan)


def _merge_units(plan: ParsedPlan) -> None:
    merged: dict[str, ParsedUnit] = {}
    for unit in plan.units:
        key = _key(unit.name)
        if key in merged:
            merged[key].tasks.extend(unit.tasks)
        else:
            merged[key] = unit
    plan.units = list(merged.values())


# ---------------------------------------------------------------------- blocks


@dataclass
class _Block:
    kind: str | None
    lines: list[_Line]
    marker_end: int

    @property
    def first_text(self) -> str:
        return self.lines[0].text[self.marker_end :].strip()

    @property
    def text(self) -> str:
        parts = [self.first_text] + [line.text for line in self.lines[1:]]
        return _join_lines(parts).strip(_TRAILING_PUNCT)

    @property
    def key(self) -> str:
        return _key(self.text)

    @property
    def raw_key(self) -> str:
        return _key(_clean_space(" ".join(line.raw for line in self.lines)))


def _bullet(line: _Line) -> tuple[str, int] | None:
    match = _BULLET_RE.match(line.text)
    if not match:
        return None
    kind = next(
        name
        for name in ("dash", "plus", "dot", "letter", "number")
        if match.group(name)
    )
    if kind == "letter" and not line.text[match.end() :].strip():
        return None
    return kind, match.end()


def _continues(block: _Block, line: _Line, blank_before: bool) -> bool:
    last = block.lines[-1].text
    if (
        not blank_before
        and _starts_lower(line.text)
        and not last.rstrip().endswith(":")
    ):
        # "… Kế hoạch này;" / "cung cấp đề cương …": one bullet wrapped after a ";".
        return True
    if _is_terminal(last):
        return False
    if blank_before:
        return _starts_lower(line.text)
    if _starts_lower(line.text):
        return True
    # A short unterminated line before a capitalised one is a heading of its own.
    return _word_count(last) > 10


def _blocks(lines: list[_Line]) -> list[_Block]:
    blocks: list[_Block] = []
    blank_before = False
    for line in lines:
        if line.blank or _SEPARATOR_RE.match(line.text):
            blank_before = True
            continue
        bullet = _bullet(line)
        if bullet:
            blocks.append(_Block(bullet[0], [line], bullet[1]))
        elif blocks and _continues(blocks[-1], line, blank_before):
            blocks[-1].lines.append(line)
        else:
            blocks.append(
                _Block(None, [line], len(line.text) - len(line.text.lstrip()))
            )
        blank_before = False
    return blocks


# ----------------------------------------------------------------------- units


def _title_like(block: _Block) -> bool:
    first = block.first_text
    return (
        bool(_letters(first))
        and _word_count(first) <= 22
        and not first.rstrip().endswith((".", ";"))
    )


def _org_like(name: str) -> bool:
    words = _key(_DE_NGHI_RE.sub("", _key(name), count=1)).split()
    if not words:
        return False
    first = re.sub(r"[^a-z]", "", words[0])
    if first in _ORG_WORDS:
        return True
    return len(first) >= 3 and any(
        len(word) == len(first) and _similar(first, word) >= 0.6 for word in _ORG_WORDS
    )


def _inline_unit_head(block: _Block) -> bool:
    """Whether the block names a unit before a colon and gives its task after it.

    "3.2. Đề nghị Ủy ban MTTQ Việt Nam xã và các đoàn thể: phối hợp tuyên truyền …"
    is too long and ends in a full stop, so it is not title-like, yet it opens a
    unit as much as "3.1. Phòng Kinh tế xã" does. A task that starts with a verb
    ("Tổ chức hội nghị: …") is no unit, so the name must hold no task verb.
    """
    first = block.first_text
    colon = first.find(":")
    if colon <= 0 or _word_count(first[colon + 1 :]) < 3:
        return False
    name = first[:colon]
    name_key = _key(name)
    suffix = _UNIT_ROLE_SUFFIX_RE.search(name_key)
    if suffix and suffix.start() > 0:
        name_key = name_key[: suffix.start()]
    return (
        _word_count(name) <= 14
        and _org_like(name)
        and not _ROLE_VERBS.search(_DE_NGHI_RE.sub("", name_key, count=1))
    )


def _unit_head_candidates(blocks: list[_Block]) -> list[_Block]:
    """Numbered or lettered blocks that may open a unit.

    Unit-and-task lines ("3.2. <unit>: <task>") count only beside title-like
    headings of the same kind, so a list of "1. …: …" items elsewhere stays tasks.
    """
    titles = [b for b in blocks if b.kind in ("number", "letter") and _title_like(b)]
    if not titles:
        return titles
    kind = titles[0].kind
    return [
        b for b in blocks if b in titles or (b.kind == kind and _inline_unit_head(b))
    ]


def _units(blocks: list[_Block], plan: ParsedPlan) -> list[ParsedUnit]:
    candidates = _unit_head_candidates(blocks)
    heads: set[int] = set()
    if candidates:
        kinds = {b.kind for b in candidates}
        letters_org = [
            b for b in candidates if b.kind == "letter" and _org_like(b.first_text)
        ]
        if len(kinds) > 1 and letters_org:
            # "1. Trách nhiệm của các đơn vị / a) Công an phường …": letters are units,
            # numbered lines without lettered children may be units too.
            heads.update(id(b) for b in letters_org)
            positions = [blocks.index(b) for b in candidates if b.kind == "number"]
            for n, pos in enumerate(positions):
                nxt = positions[n + 1] if n + 1 < len(positions) else len(blocks)
                children = [b for b in blocks[pos + 1 : nxt] if id(b) in heads]
                if not children and _org_like(blocks[pos].first_text):
                    heads.add(id(blocks[pos]))
        else:
            first_kind = candidates[0].kind
            heads.update(id(b) for b in candidates if b.kind == first_kind)
    units: list[ParsedUnit] = []
    if heads:
        current: ParsedUnit | None = None
        pending: list[_Block] = []
        inherited: str | None = None
        for block in blocks:
            if id(block) in heads:
                if current is not None:
                    current.tasks.extend(_tasks(pending, inherited, plan))
                current, first_task, inherited = _unit_from_heading(block)
                pending = [first_task] if first_task else []
                units.append(current)
            elif block.kind == "number" and any(id(b) in heads for b in blocks):
                # A numbered group heading ("1. Trách nhiệm của các đơn vị"):
                # close the current unit, the group line itself is no task.
                if (
                    current is not None
                    and block in candidates
                    and not _org_like(block.first_text)
                ):
                    current.tasks.extend(_tasks(pending, inherited, plan))
                    current, pending = None, []
                elif current is not None:
                    pending.append(block)
            elif current is not None:
                pending.append(block)
        if current is not None:
            current.tasks.extend(_tasks(pending, inherited, plan))
        return units
    # No unit headings: "- Công an phường: phối hợp …" or "Đề nghị Ủy ban MTTQ … phối hợp …".
    for block in blocks:
        unit = _unit_from_sentence(block, plan)
        if unit is not None:
            units.append(unit)
    return units


def _unit_from_heading(
    block: _Block,
) -> tuple[ParsedUnit, _Block | _TextBlock | None, str | None]:
    name_parts = [block.first_text]
    rest_lines: list[_Line] = []
    for line in block.lines[1:]:
        if not rest_lines and _starts_lower(line.text) and _word_count(line.text) <= 8:
            name_parts.append(line.text)
        else:
            rest_lines.append(line)
    name = _join_lines(name_parts)
    first_task: _TextBlock | None = None
    colon = name.find(":")
    if colon > 0 and _word_count(name[colon + 1 :]) >= 3:
        first_task = _TextBlock(name[colon + 1 :].strip(), "")
        name = name[:colon]
    if rest_lines:
        extra = _join_lines([line.text for line in rest_lines])
        raw = " ".join(line.raw for line in rest_lines)
        first_task = _TextBlock(
            f"{first_task.text} {extra}" if first_task else extra, raw
        )
    name, role = _clean_unit_name(name)
    return ParsedUnit(name=name), first_task, role


@dataclass
class _TextBlock:
    """A task that is not a whole block (split from a unit heading)."""

    text: str
    raw: str
    kind: str | None = None

    @property
    def key(self) -> str:
        return _key(self.text)

    @property
    def raw_key(self) -> str:
        return _key(self.raw)


def _clean_unit_name(name: str) -> tuple[str, str | None]:
    name = _clean_space(name).strip(" :.;,–-")
    key = _key(name)
    match = _DE_NGHI_RE.match(key)
    if match:
        name = name[match.end() :]
        key = key[match.end() :]
    role = None
    match = _UNIT_ROLE_SUFFIX_RE.search(key)
    if match and match.start() > 0:
        role = "chu_tri" if "chu" in match.group(1) else "phoi_hop"
        name = name[: match.start()]
    name = name.strip(" :.;,–-()")
    if name:
        name = name[0].upper() + name[1:]
    return _snap_unit_name(name), role


def _unit_compare_key(name: str) -> str:
    return _clean_space(re.sub(r"[^a-z0-9]+", " ", _key(name)))


_UNIT_CANDIDATES: list[tuple[str, str]] = []


def _unit_candidates() -> list[tuple[str, str]]:
    if not _UNIT_CANDIDATES:
        for template in _UNIT_NAMES:
            levels = _WARD_LEVELS if "{cap}" in template else [""]
            for level in levels:
                display = template.replace("{cap}", level).strip()
                _UNIT_CANDIDATES.append((_unit_compare_key(display), display))
    return _UNIT_CANDIDATES


def _snap_unit_name(name: str) -> str:
    """Replace a damaged unit name by the well-known name it is close to.

    Only the spelling is mended: a known name that lacks a word of the document's
    ("Phòng Kinh tế" for "Phòng Kinh tế xã") or adds one is a different unit.
    """
    key = _unit_compare_key(name)
    if not key:
        return name
    best, best_ratio = None, 0.0
    for cand_key, display in _unit_candidates():
        if abs(len(cand_key) - len(key)) > max(4, len(cand_key) // 5):
            continue
        if not _same_words(key, cand_key):
            continue
        ratio = _similar(key, cand_key)
        if ratio > best_ratio:
            best, best_ratio = display, ratio
    if best is not None and best_ratio >= 0.84:
        return best
    return name


def _same_words(key: str, cand_key: str) -> bool:
    """Whether two name keys differ only inside words, none added or dropped.

    Words are aligned; each differing run must still look like the other (OCR may
    damage "hội" into "hi" or split "văn" into "vă n"), not be missing.
    """
    words, cand_words = key.split(), cand_key.split()
    matcher = difflib.SequenceMatcher(None, words, cand_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace":
            return False
        if _similar("".join(words[i1:i2]), "".join(cand_words[j1:j2])) < 0.6:
            return False
    return True


_ROLE_VERBS = re.compile(
    r"\b(?:chu\s+tri|phoi\s+hop|chi\s+dao|tham\s+gia|tuyen\s+truyen|chu\s+dong|tiep\s+tuc"
    r"|quan\s+tam|huong\s+dan|van\s+dong|to\s+chuc|trien\s+khai|thuc\s+hien|dua\s+tin)\b"
)


def _unit_from_sentence(block: _Block, plan: ParsedPlan) -> ParsedUnit | None:
    text = block.text
    key = _key(text)
    raw = _clean_space(" ".join(line.raw for line in block.lines))
    colon = text.find(":")
    if 0 < colon and _word_count(text[:colon]) <= 14 and _org_like(text[:colon]):
        name, role = _clean_unit_name(text[:colon])
        task = _TextBlock(text[colon + 1 :].strip(), raw)
        return ParsedUnit(name=name, tasks=_tasks([task], role, plan))
    match = _DE_NGHI_RE.match(key)
    if not (
        match
        and key[match.start() : match.end()].strip().startswith(("de", "pe", "be"))
    ):
        return None
    # "Đề nghị <unit> phối hợp …": the unit name runs up to the first verb. Look for
    # it in the original too, by word position, in case restoration changed the verb.
    words = text.split()
    positions = []
    for candidate in (key, _key(raw)):
        verb = _ROLE_VERBS.search(candidate, match.end())
        if verb and (candidate is key or len(candidate.split()) == len(words)):
            positions.append(len(candidate[: verb.start()].split()))
    if not positions or min(positions) > 16:
        return None
    split = min(positions)
    name, role = _clean_unit_name(" ".join(words[:split]))
    rest = " ".join(words[split:])
    task = _TextBlock(rest[:1].upper() + rest[1:], raw)
    return ParsedUnit(name=name, tasks=_tasks([task], role, plan))


def _tasks(blocks: list, inherited: str | None, plan: ParsedPlan) -> list[ParsedTask]:
    """Turn the blocks under a unit into tasks; a lead-in ending in ":" is no task.

    The lead-in's role ("Chủ trì, phối hợp … các nội dung sau:") carries over to the
    sub-items under it, and the unit's own role (from its heading) to every task.
    """
    tasks: list[ParsedTask] = []
    lead_kind: str | None = None
    lead_role: str | None = None
    for n, block in enumerate(blocks):
        text = block.text
        if not text or _is_note(text):
            continue
        nxt = blocks[n + 1] if n + 1 < len(blocks) else None
        role = _role(block.key, block.raw_key)
        if (
            text.rstrip().endswith(":")
            and nxt is not None
            and nxt.kind is not None
            and nxt.kind != block.kind
        ):
            lead_kind, lead_role = nxt.kind, role
            continue
        if block.kind != lead_kind:
            lead_kind, lead_role = None, None
        text = text.rstrip(":").strip()
        tasks.append(
            ParsedTask(
                text=text[:1].upper() + text[1:],
                role=role or lead_role or inherited,
                recurrence=_recurrence(block.key) or _recurrence(block.raw_key),
                due=_due(block.raw_key, plan.date) or _due(block.key, plan.date),
            )
        )
    return tasks


def _is_note(text: str) -> bool:
    """A line wholly in brackets is a note ("(Chi tiết nhiệm vụ tại Phụ lục kèm
    theo)"), not something a unit must do."""
    text = text.strip().rstrip(".")
    return text.startswith("(") and text.endswith(")") and text.count("(") == 1


def _role(key: str, raw_key: str) -> Role | None:
    for candidate in (key, raw_key):
        match = _CHU_TRI_RE.search(candidate)
        if match and (
            _word_count(candidate[: match.start()]) <= 5
            or _CHU_TRI_THAM_MUU_RE.search(candidate)
        ):
            return "chu_tri"
        if _CHU_TRI_THAM_MUU_RE.search(candidate):
            return "chu_tri"
    for candidate in (key, raw_key):
        if _PHOI_HOP_RE.search(candidate):
            return "phoi_hop"
    return None


def _recurrence(key: str) -> Recurrence | None:
    for name, regex in _RECURRENCES:
        if name == "thuong_xuyen":
            stripped = _BUDGET_ONGOING_RE.sub(" ", key)
            if regex.search(stripped):
                return name
        elif regex.search(key):
            return name
    return None


def _month_end(year: int, month: int) -> dt.date | None:
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _due(key: str, plan_date: dt.date | None) -> dt.date | None:
    found: list[tuple[int, dt.date]] = []
    for match in _DUE_DAY_RE.finditer(key):
        year = (
            int(match.group(3))
            if match.group(3)
            else (plan_date.year if plan_date else None)
        )
        if year is None:
            continue
        try:
            found.append(
                (match.start(), dt.date(year, int(match.group(2)), int(match.group(1))))
            )
        except ValueError:
            continue
    for match in _DUE_MONTH_RE.finditer(key):
        month, year = int(match.group(2)), int(match.group(3))
        if match.group(1) == "truoc":
            month -= 1
            if month == 0:
                month, year = 12, year - 1
        value = _month_end(year, month)
        if value:
            found.append((match.start(), value))
    for match in _DUE_QUARTER_RE.finditer(key):
        quarter = _quarter_number(match.group(2))
        year = (
            int(match.group(3))
            if match.group(3)
            else (plan_date.year if plan_date else None)
        )
        if year is None:
            continue
        if match.group(1) == "truoc":
            quarter -= 1
            if quarter == 0:
                quarter, year = 4, year - 1
        value = _month_end(year, quarter * 3)
        if value:
            found.append((match.start(), value))
    for match in _DUE_YEAR_RE.finditer(key):
        value = _month_end(int(match.group(1)), 12)
        if value:
            found.append((match.start(), value))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


# ---------------------------------------------------------------------- appendix

# "PHỤ LỤC", "PHỤ LỤC I", "Phụ lục số 02" alone on a line: the appendix starts.
_APPENDIX_RE = re.compile(r"^\W*ph\w?\s*l\w?c\b(?:\s+(?:so\s*)?(?:[ivx]+|\d+))?\W*$")
# Columns of an appendix table of tasks, tried in this order on each header cell.
_APPENDIX_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("lead", _CHU_TRI_RE),
    ("support", _PHOI_HOP_RE),
    ("time", re.compile(r"\b(?:thoi\s+(?:gian|han)|tien\s+do|han\s+hoan\s+thanh)\b")),
    ("content", re.compile(r"\b(?:noi\s+dung|nhiem\s+vu|cong\s+viec|hoat\s+dong)\b")),
]
_PERIOD_DAY_RE = re.compile(
    r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)"
)
_PERIOD_MONTH_RE = re.compile(r"\bthang\s*(\d{1,2})\s*(?:/|-|nam)\s*(\d{4})(?!\d)")
_PERIOD_QUARTER_RE = re.compile(
    r"\bquy\s+(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|-|nam)\s*(\d{4}))?"
)
_PERIOD_YEAR_RE = re.compile(r"\bnam\s+(\d{4})(?!\d)")


def _find_appendix(lines: list[_Line], start: int) -> int:
    """Return where an appendix ("PHỤ LỤC") starts, or the end of the text.

    The appendix follows the signature; its heading must not be read as the
    signer's name nor its rows as part of the last section. It is looked for only
    after the closing block ("Nơi nhận", "TM. ỦY BAN …") when there is one, so a
    "Phụ lục" line inside the body does not cut the plan short.
    """
    closing = next(
        (
            line.index
            for line in lines[start:]
            if any(regex.match(line.key) for regex in _END_RES)
        ),
        start,
    )
    for line in lines[closing:]:
        if _word_count(line.text) <= 4 and _APPENDIX_RE.match(line.key):
            return line.index
    return len(lines)


def _table_header(line: _Line) -> dict[str, int] | None:
    """Map the columns of a tab-separated header row, if it heads a task table."""
    cells = line.key.split("\t")
    if len(cells) < 3:
        return None
    columns: dict[str, int] = {}
    for n, cell in enumerate(cells):
        for name, regex in _APPENDIX_COLUMNS:
            if name not in columns and regex.search(cell):
                columns[name] = n
                break
    if "lead" not in columns or "content" not in columns:
        return None
    return columns


def _add_appendix_tasks(lines: list[_Line], plan: ParsedPlan) -> None:
    """Add the rows of an appendix table of tasks to their lead units.

    Each row (TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian) is a
    task its lead unit heads, due at the end of the period in the time column. It
    goes after the unit's tasks from the body; a lead unit the body does not
    name becomes a unit of its own.
    """
    columns: dict[str, int] | None = None
    for line in lines:
        if columns is None:
            columns = _table_header(line)
            continue
        task, lead = _appendix_row(line, columns, plan)
        if task is not None and lead:
            _unit_named(plan, lead).tasks.append(task)


def _appendix_row(
    line: _Line, columns: dict[str, int], plan: ParsedPlan
) -> tuple[ParsedTask | None, str]:
    cells = [_clean_space(cell) for cell in line.text.split("\t")]
    raw_cells = line.raw.split("\t")
    if len(cells) <= max(columns["lead"], columns["content"]):
        return None, ""
    text = cells[columns["content"]].strip(_TRAILING_PUNCT)
    lead, _ = _clean_unit_name(cells[columns["lead"]])
    if not _letters(text) or not lead:
        return None, ""
    time_at = columns.get("time")
    time_key = (
        _key(cells[time_at]) if time_at is not None and time_at < len(cells) else ""
    )
    raw_time_key = (
        _key(raw_cells[time_at])
        if time_at is not None and len(raw_cells) == len(cells)
        else ""
    )
    task = ParsedTask(
        text=text[:1].upper() + text[1:],
        role="chu_tri",
        recurrence=_recurrence(time_key) or _recurrence(_key(text)),
        due=_period_end(time_key, plan.date)
        or _period_end(raw_time_key, plan.date)
        or _due(_key(text), plan.date),
    )
    return task, lead


def _unit_named(plan: ParsedPlan, name: str) -> ParsedUnit:
    """Return the plan's unit of that name, adding it if the body has none."""
    key = _unit_compare_key(name)
    for unit in plan.units:
        if _unit_compare_key(unit.name) == key:
            return unit
    unit = ParsedUnit(name=name)
    plan.units.append(unit)
    return unit


def _period_end(key: str, plan_date: dt.date | None) -> dt.date | None:
    """Return when a time-column cell ends: the period it names is the deadline.

    "Trước ngày 20/11/2026" is a deadline as in the body; "Quý II/2026" ends on
    30/6/2026, "Tháng 12/2026" on 31/12/2026, "Năm 2026" on 31/12/2026. In a
    range ("Tháng 3 - tháng 5/2026") the last period counts.
    """
    if not key:
        return None
    due = _due(key, plan_date)
    if due is not None:
        return due
    days = list(_PERIOD_DAY_RE.finditer(key))
    if days:
        day, month, year = (int(group) for group in days[-1].groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    months = list(_PERIOD_MONTH_RE.finditer(key))
    if months:
        return _month_end(int(months[-1].group(2)), int(months[-1].group(1)))
    quarters = list(_PERIOD_QUARTER_RE.finditer(key))
    if quarters:
        last = quarters[-1]
        year = int(last.group(2)) if last.group(2) else None
        year = year or (plan_date.year if plan_date else None)
        if year is None:
            return None
        return _month_end(year, _quarter_number(last.group(1)) * 3)
    years = list(_PERIOD_YEAR_RE.finditer(key))
    if years:
        return _month_end(int(years[-1].group(1)), 12)
    return None


def _quarter_number(text: str) -> int:
    return {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(text) or int(text)


# ---------------------------------------------------------------- preamble, signer


def _find_implements(lines: list[_Line], plan: ParsedPlan) -> None:
    refs: list[str] = []
    for block in _blocks(lines):
        text = block.lines[0].text.strip()
        text = _join_lines([text] + [line.text for line in block.lines[1:]])
        key = _key(text)
        # "Căn cứ …" / "Thực hiện …" open a list of references; ";" separates them.
        cuts = sorted({0, *(m.end() for m in re.finditer(";", key)), len(text)})
        for a, b in zip(cuts, cuts[1:], strict=False):
            clause, clause_key = text[a:b], key[a:b]
            issuance = _ISSUANCE_RE.search(clause_key)
            if issuance:
                clause, clause_key = (
                    clause[: issuance.start()],
                    clause_key[: issuance.start()],
                )
            match = _REF_RE.search(clause_key)
            if not match:
                continue
            tail = clause_key[match.end() : match.end() + 40]
            is_law = clause_key[match.start() :].startswith("luat")
            if not is_law and not re.search(r"\d", tail):
                continue
            ref = _clean_space(clause[match.start() :]).strip(" ;,.")
            ref = ref[:1].upper() + ref[1:]
            if ref and ref not in refs:
                refs.append(ref)
    plan.implements = refs


_NAME_STOP = re.compile(
    r"\b(?:chu\s+tich|uy\s+ban|ubnd|noi\s+nhan|luu|nhu\s+tren|ky|dong\s+dau|phuong|xa)\b"
)


def _find_signer(lines: list[_Line], plan: ParsedPlan) -> None:
    if not lines:
        return
    folded = "\n".join(_fold_same_length(line.text) for line in lines)
    if re.search(r"\bPH[O0]\s+CH[UW]\s+T[IL1]CH\b", folded) or re.search(
        r"\bKT\s*\.", folded
    ):
        plan.signer_position = "Phó Chủ tịch"
    elif re.search(r"\bCH[UW]\s+T[IL1]CH\b", folded):
        plan.signer_position = "Chủ tịch"
    for line in reversed(lines):
        candidate = re.sub(r"\([^)]*\)", "", line.text).strip(" .")
        if not candidate:
            continue
        tokens = candidate.split()
        if not 2 <= len(tokens) <= 5:
            continue
        if not all(t[:1].isupper() and t.replace("-", "").isalpha() for t in tokens):
            continue
        if _NAME_STOP.search(_key(candidate)):
            continue
        raw = re.sub(r"\([^)]*\)", "", line.raw).strip(" .").split()
        if len(raw) == len(tokens) and all(t.isascii() for t in raw):
            # The original lost its diacritics: names need their own restoration.
            plan.signer = _restore_name(raw)
        else:
            plan.signer = " ".join(t[:1].upper() + t[1:].lower() for t in tokens)
        return


def _restore_name(tokens: list[str]) -> str:
    """Restore an unaccented personal name from tables of common name syllables."""
    out = []
    for n, token in enumerate(tokens):
        low = token.lower()
        if n == 0:
            table = _SURNAMES
        elif n == len(tokens) - 1:
            table = _GIVEN_NAMES
        else:
            table = _MIDDLE_NAMES
        word = table.get(low) or nfc(restore(token))
        out.append(word[:1].upper() + word[1:].lower())
    return " ".join(out)
