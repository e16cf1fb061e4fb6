"""What a resident asks: the kind of answer wanted and the words the answer must be about.

`analyse_question` reads the question folded (so typing without diacritics changes
nothing) and returns its type (who, when, where, how many, yes/no, how, what for, what
is), the year it names, and its focus: the content words without question words and
without the names of the ward and city, which are the question's setting, not its
subject ("trường học của phường Hải Dương ở đâu?" is about "trường học").

`answer_has_type` then tells whether a candidate answer carries what the type asks for:
a body or person for "ai", a date or period for "khi nào", the year asked, a number for
"bao nhiêu", steps for "làm thế nào", a purpose for "để làm gì". Patterns, not a tagger:
they take microseconds, and underthesea's NER reads "Ủy ban" as a person's name.
"""

import re
from dataclasses import dataclass

from loa.vn import fold_lower, nfc

from .retrieval.tokens import is_stop_word

WHO, WHEN, WHERE, HOW_MANY, YES_NO, HOW, PURPOSE, WHAT, OTHER = (
    "ai",
    "khi_nao",
    "o_dau",
    "bao_nhieu",
    "co_khong",
    "lam_the_nao",
    "muc_dich",
    "la_gi",
    "khac",
)

# Tried in this order on the folded question; the first that matches decides.
_TYPE_PATTERNS: list[tuple[str, str]] = [
    (
        PURPOSE,
        r"\b(de lam gi|de lam j|nham (muc dich )?gi|muc dich|"
        r"y nghia|tai sao|vi sao|de lam chi|nham dieu gi|loi ich)\b",
    ),
    (
        HOW,
        # "cụ thể nào" and "cách làm hay" (a good practice) do not ask how
        r"\b(lam sao|lam the nao|lam ntn|(?<!cu )the nao|nhu the nao|ntn|bang cach nao|cach nao|"
        r"cach(?! mang| ly| lam (hay|moi|tot|hieu qua|sang tao))|cac buoc|nhung buoc|phai lam gi|lam gi de|"
        r"can lam gi|xu ly sao|xu ly the nao|thu tuc (the nao|ra sao|gi)|quy trinh (the nao|ra sao))\b",
    ),
    (
        YES_NO,
        r"\b(co|duoc|phai|da|co phai)\b.*\b(khong|ko|k|hong|chua|ko a|khong a)\s*\??$|"
        r"\b(co phai|phai khong|duoc khong|dung khong|co duoc)\b",
    ),
    # "hướng dẫn" asks how, unless the question is a yes/no one ("có được hướng dẫn
    # không?") or asks what ("hướng dẫn gì")
    (HOW, r"\bhuong dan\b(?! (gi|j|nhung gi|nhung thu gi)\b)"),
    (
        WHEN,
        r"\b(khi nao|bao gio|luc nao|ngay nao|thang nao|nam nao|quy nao|tuan nao|may gio|"
        r"thoi gian nao|thoi han|han chot|han cuoi|bao lau|den khi nao|ky nao|(tu )?hoi nao|"
        r"hom nao|bua nao|dip nao)\b",
    ),
    (
        HOW_MANY,
        r"\b(bao nhieu phan tram|bao nhieu %|het bao nhieu|bao nhieu|bn|may (nguoi|ho|lop|buoc|"
        r"muc|%|phan tram|nhiem vu|don vi|nam|lan|trieu|dong|ty)|so luong|ty le)\b|%",
    ),
    (
        WHAT,
        r"\b(khac nhau (o )?(cho|diem) nao|khac nhau the nao|khac gi nhau|khac nhau ra sao)\b",
    ),
    (
        WHERE,
        r"\b(o dau|cho nao|noi nao|tai dau|dia chi|o cho nao|dau)\s*\??$|\b(o dau|noi nao|cho nao|tai dau|"
        r"trang (web )?nao|website nao|ung dung nao|app nao|cong nao)\b",
    ),
    (
        WHO,
        r"\b(ai|co quan nao|don vi nao|bo phan nao|phong nao|nguoi nao|ben nao|"
        r"to chuc nao|cap nao|ai la nguoi)\b",
    ),
    (
        WHAT,
        r"\b(la gi|la j|la cai gi|nghia la|gom nhung (gi|thu gi|thu)|gom gi|nhung thu gi|"
        r"nhung thu|thu gi|nhung gi|gi|j)\b",
    ),
]
_TYPE_RES = [(kind, re.compile(pattern)) for kind, pattern in _TYPE_PATTERNS]
_YES_NO_MARKERS = re.compile(
    r"\b(co phai|phai khong|duoc khong|dung khong|co duoc|khong a|ko a|khong|ko|hong|chua)\b"
)
# Filler a resident adds that names no subject ("nói nôm na", "những thứ gì", "bây giờ").
_FILLER_RE = re.compile(
    r"\b((gom )?nhung thu( gi)?|thu gi|(noi )?nom na|(cho )?de hieu|bay gio|hien nay|luc nay|"
    r"tom tat|giai thich|cho biet|noi ro|lo bi|lo tay|hien (nay|tai|gio|co|dang)|"
    r"(ve )?van de( gi| nao)?(?=\W*$))\b"
)

# Words that only say what kind of answer is wanted, never what it is about.
_QUESTION_WORDS = set(
    """
    ai ak a ah ban bao bn co cach can cac cai chua da de den dau duoc gi gio giup
    j ko k khi khong la lam loi minh muon nao nay nhieu nhu nhung ntn o oi phai sao the
    thi toi tai vay voi xin em anh chi ong ba bac chu cho cua ve vi neu nhe nhi moi roi
    dang se vua biet duoc dc vs hok hong ko ak nha nhe z zay
    luon ha r bt e oi thiet nom na chau
    """.split()
)

# Compounds whose syllables fold like question words or particles ("đăng ký" is not
# "đang", "tài khoản" not "tại", "căn cước" not "cần"): kept whole in the focus.
_COMPOUNDS = frozenset(
    (
        "dang ky, co quan, ban hanh, ban chi, chu tich, chu tri, thi dua, vi dien, nha van, "
        "thoi gian, thoi han, moi truong, toi thieu, toi da, tai khoan, tai lieu, tai san, "
        "tai chinh, tai ve, tai ung, cua hang, can cuoc, can bo, the can, the ngan, co so, "
        "co hoi, co che, da nang, ve sinh, nha nuoc, chi tieu, chi dao, chi thi, chi so, "
        "ma qr, cho vay, vi pham, den bu, de an, de xuat, de nghi, don vi, the thao, nha o, "
        "so do, o to, hoi nghi, hoi dong, lam viec, tu van, thu tuc, dich vu, ung dung"
    ).split(", ")
)


def _compound_positions(words: list[str]) -> set[int]:
    kept = set()
    for n in range(len(words) - 1):
        if f"{words[n]} {words[n + 1]}".strip() in _COMPOUNDS:
            kept.update((n, n + 1))
    return kept


# A follow-up that points back ("nó", "luật đó", "lúc đó"): its subject is the earlier one.
REFERS_BACK_RE = re.compile(
    r"\bno\b|\b(luat|luc|hom|khi|van ban|cai|app|ung dung|nghi quyet|ke hoach|"
    r"chuong trinh|tai khoan|phong trao|to|trang|cong) (do|ay)\b"
)
_POINTER_RE = re.compile(r"\bno\b|\b(luc|hom|khi) (do|ay)\b|(?<=\w) (do|ay)\b")

# The setting a resident names without it being the subject: the ward, the city.
_PLACE_WORDS = re.compile(
    r"\b(phuong|thanh pho|tp|dia phuong|ubnd phuong|uy ban nhan dan phuong|"
    r"uy ban phuong|o day|cua minh|noi minh o|chung ta|ba con)\b"
)

_FOLLOW_UP_LEAD = re.compile(
    r"^(the con|vay con|con neu|con|the|vay|thi|nhu vay|nho)\b"
)

_ASKING = re.compile(
    r"\b((cho|xin) )?(toi|minh|em|chau|con) (xin |muon )?hoi\b|\bhoi (chut|ti|xiu)\b"
)

_YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_YEAR_LEAD_RE = re.compile(r"\b((vao|den|trong|tu) )?nam (?=(19[5-9]\d|20\d\d)\b)")

# The word after "bao nhiêu" / "mấy" names what is counted; an answer says it, or one
# of the words that stand for it ("bao nhiêu tiền" -> "50.000 đồng", "mấy phần trăm" -> "%").
_COUNTED_RE = re.compile(r"\b(?:bao nhieu|may)\s+(\w+)")
_COUNTED_ALIASES = {
    "tien": ("tien", "dong", "d", "vnd", "usd", "phi", "nghin", "trieu", "ty"),
    "phan": ("phan", "%"),
    "nguoi": ("nguoi", "vien", "luot", "ho"),  # thành viên, học viên, lượt, hộ
    "ki": ("ki", "ky"),
    "ky": ("ki", "ky"),
}


@dataclass(frozen=True)
class QuestionAnalysis:
    kind: str  # one of the constants above
    focus: str  # the question without question words and place names (folded)
    years: tuple[str, ...]  # the years the question names ("2030")
    numbers: tuple[
        str, ...
    ] = ()  # every number it names ("mức 2"), no answer to "bao nhiêu"
    counted: tuple[str, ...] = ()  # what "bao nhiêu"/"mấy" counts, any of these words

    def counts_named(self, text: str) -> bool:
        """Whether `text` speaks of what is counted: "có mấy mức?" is not answered by a
        passage with numbers but no "mức"."""
        if not self.counted:
            return True
        words = set(re.findall(r"\w+|%", fold_lower(text)))
        return bool(words & set(self.counted))

    @property
    def focus_terms(self) -> list[str]:
        return self.focus.split()


def analyse_question(
    question: str, *, place_names: tuple[str, ...] = ()
) -> QuestionAnalysis:
    """Read the question's type, the years it names and its focus.

    `place_names` are the names of the ward, its former names and its city ("Hải Dương",
    "Hải Phòng"): dropped from the focus, kept in the question for retrieval.
    """
    text = nfc(question)
    folded = fold_lower(text).strip()
    kind, focus = OTHER, folded
    for candidate, pattern in _TYPE_RES:
        if candidate == WHO and re.search(r"\bAI\b", text):
            continue  # "AI" in capitals is trí tuệ nhân tạo, not "who"
        if pattern.search(folded):
            kind = candidate
            # "nhằm mục đích gì" says the type only; "có … không" keeps what is between
            marker = _YES_NO_MARKERS if candidate == YES_NO else pattern
            focus = marker.sub(" ", folded)
            break
    for name in sorted(place_names, key=len, reverse=True):
        name = fold_lower(name).strip()
        if name:
            focus = re.sub(rf"\b{re.escape(name)}\b", " ", focus)
    focus = _PLACE_WORDS.sub(" ", focus)
    focus = _FILLER_RE.sub(" ", focus)
    focus = _YEAR_LEAD_RE.sub(" ", focus)  # "vào năm 2030": the year is kept in `years`
    if REFERS_BACK_RE.search(focus):
        focus = _POINTER_RE.sub(" ", focus)  # "luật đó" asks about the earlier "luật"
    focus = _FOLLOW_UP_LEAD.sub(" ", focus.strip())  # "còn …", "thế còn …"
    focus = _ASKING.sub(" ", focus)  # "cho tôi hỏi" (and not "hội", which folds alike)
    words = re.findall(r"\w+", focus)
    kept = _compound_positions(words)
    terms = [
        w
        for n, w in enumerate(words)
        if n in kept
        or (
            w not in _QUESTION_WORDS
            and not is_stop_word(w)
            and not _YEAR_RE.fullmatch(w)
        )
    ]
    return QuestionAnalysis(
        kind=kind,
        focus=" ".join(terms),
        years=tuple(_YEAR_RE.findall(folded)),
        numbers=tuple(re.findall(r"\d+", folded)),
        counted=_counted(folded) if kind == HOW_MANY else (),
    )


# The documents a resident asks about by kind: an answer that opens on another kind is
# about another document ("Nghị quyết 57 nhằm mục đích gì?" is not answered by "Kế hoạch
# nhằm nâng cao nhận thức về Nghị quyết 57").
_DOCUMENT_KIND_RE = re.compile(
    r"\b(nghi quyet|ke hoach|nghi dinh|quyet dinh|thong tu|chi thi|luat|chuong trinh|de an)\b"
)


def document_kind(text: str, *, opening: bool = False) -> str | None:
    """The kind of document `text` names first (folded), or only at its start."""
    folded = fold_lower(text).lstrip(" -•*\n")
    if opening:
        folded = re.sub(r"^(day|do|no) la ", "", folded)  # "Đây là kế hoạch …"
    match = (_DOCUMENT_KIND_RE.match if opening else _DOCUMENT_KIND_RE.search)(folded)
    return match.group(1) if match else None


# Details a question asks for that no type word says: a person's name, a phone number,
# an e-mail, a day, a body of a named kind. (question pattern on the folded question,
# what the answer must show)
_DETAILS_ASKED = {
    "person_name": (
        re.compile(
            r"\b(giam doc|truong phong|pho phong|chu tich|pho chu tich|bi thu|to truong|"
            r"truong ban|truong tram|can bo|nguoi phu trach)\b.{0,60}\b(ten (la )?(gi|j)|ho ten (la )?gi|"
            r"la ai)\s*\??$"
        ),
        re.compile(
            r"\b(ông|bà|đồng chí)\s+[A-ZĐ]\w*\s+[A-ZĐ]|"
            r"\b[A-ZĐ][a-zà-ỹ]+\s+[A-ZĐ][a-zà-ỹ]+\s+[A-ZĐ][a-zà-ỹ]+\b"
        ),
    ),
    "phone": (
        re.compile(
            r"\b(so dien thoai|sdt|hotline|duong day nong)\b( \w+){0,6} (la gi|la bao nhieu|"
            r"bao nhieu|la so nao|so nao|nao)\s*\??$|\b(cho|xin)( \w+)? (so dien thoai|sdt|hotline)\b"
        ),
        re.compile(r"\b\d{3,4}[ .]?\d{3}[ .]?\d{3,4}\b|\b1\d{2,3}\b|\b\d{4}\.\d{4}\b"),
    ),
    "email": (
        re.compile(r"\b(email|e mail|thu dien tu)\b"),
        re.compile(r"@\w"),
    ),
    # "ngày nào" wants a day, not the year in a law's number ("Luật số 93/2025/QH15")
    "day": (
        re.compile(
            r"\b(ngay nao|ngay may|ngay bao nhieu|hom nao|bua nao|ngay thang( nam)? nao)\b"
        ),
        re.compile(r"\b\d{1,2}/\d{1,2}\b|\bngày\s+\d{1,2}\b", re.IGNORECASE),
    ),
    # "mấy giờ", "giờ nào" want a clock time; "thứ mấy" a day of the week ("hằng tuần" is
    # neither)
    "clock": (
        re.compile(r"\b(may gio|gio nao|luc may gio|khung gio nao)\b"),
        re.compile(r"\b\d{1,2}\s*(giờ|h)\b|\b\d{1,2}[:h]\d{2}\b", re.IGNORECASE),
    ),
    "weekday": (
        # not an ordinal: "kỳ họp thứ mấy", "quan điểm thứ mấy"
        re.compile(r"\b(ngay|vao|hom|buoi|gio|tuan) thu (may|nao)\b|, thu may\b"),
        re.compile(r"\b(thứ (hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)\b", re.IGNORECASE),
    ),
    # "bộ nào", "cục nào" want that kind of body by its name ("Bộ Công an"); not "sở
    # nào", which folds as "số nào"
    **{
        f"body_{kind}": (
            re.compile(rf"\b{kind} nao\b"),
            re.compile(rf"\b{name}\s+[A-ZĐ]"),
        )
        for kind, name in (
            ("bo", "Bộ"),
            ("cuc", "Cục"),
            ("phong", "Phòng"),
            ("trung tam", "Trung tâm"),
        )
    },
}


def details_shown(question: str, text: str) -> bool:
    """Whether `text` shows every detail the question asks for by name ("số điện thoại
    của Trung tâm" wants a number, "giám đốc tên là gì" a person's name)."""
    folded = fold_lower(question)
    return all(
        shown.search(text)
        for asked, shown in _DETAILS_ASKED.values()
        if asked.search(folded)
    )


def _counted(folded: str) -> tuple[str, ...]:
    match = _COUNTED_RE.search(folded)
    if not match or match.group(1) in _QUESTION_WORDS or is_stop_word(match.group(1)):
        return ()
    word = match.group(1)
    return _COUNTED_ALIASES.get(word, (word,))


# What an answer of each type carries (patterns on the answer as written, with marks).
_BODY_RE = re.compile(
    r"\b(Phòng|UBND|Ủy ban|Uỷ ban|Bộ|Sở|Trung tâm|Công an|Mặt trận|Đoàn|Hội|Ban|Tổ|"
    r"Chủ tịch|Phó Chủ tịch|Bí thư|Tổng Bí thư|Thủ tướng|Chính phủ|Trung ương|Đảng ủy|"
    r"Văn phòng|Cục|Ngân hàng|Quốc hội|Hợp tác xã|Bưu điện|Viettel|VNPT|Tổng đài)\b|"
    r"\b(cơ quan|đơn vị|cán bộ|công an|người dân|doanh nghiệp|tổ công nghệ số|"
    r"tình nguyện viên|đoàn viên|bộ phận|chủ trì|phối hợp|phụ trách|giao)\b"
)
_DATE_RE = re.compile(
    r"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\b(ngày|tháng|năm|quý|tuần|hằng|hàng|định kỳ|"
    r"trước|sau|từ|đến|trong|giai đoạn|thời hạn|thường xuyên|kịp thời|ngay)\b.{0,12}"
    r"(\d|[IVX]+\b|tuần|tháng|năm|quý|ngày|khi|lúc)|\b(19|20)\d\d\b|"
    r"\b(thường xuyên|hằng (ngày|tuần|tháng|năm|quý)|định kỳ|ngay khi|ngay lập tức)\b",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(
    r"\d|\b(một|hai|bốn|sáu|bảy|tám|chín|mười|trăm|nghìn|ngàn|triệu|tỷ|"
    r"phần trăm|miễn phí|không mất phí|không thu phí|toàn bộ|tất cả|100%)\b",
    re.IGNORECASE,
)
_PLACE_RE = re.compile(
    r"\b(tại|ở|trên|qua|vào|địa chỉ|trang|cổng|ứng dụng|website|trụ sở|nhà văn hóa|"
    r"bộ phận|điểm|quầy|app|mục|http|www\.|\.gov\.vn|\.vn)\b",
    re.IGNORECASE,
)
_STEPS_RE = re.compile(
    r"(^|\n)\s*(\d+[.)]|[-+•]|Bước \d)\s+|\b(bước|chọn|nhấn|bấm|mở|vào|đăng nhập|"
    r"truy cập|mang|nộp|liên hệ|cài đặt|quét|điền|nhập|gọi|đến|đăng ký|kiểm tra|"
    r"xác thực|cập nhật|tải|gửi|báo|chặn|không)\b",
    re.IGNORECASE,
)
_PURPOSE_RE = re.compile(
    r"\b(nhằm|để|mục đích|mục tiêu|góp phần|nâng cao|bảo đảm|đảm bảo|giúp|phục vụ|"
    r"thúc đẩy|tạo|hướng tới|phát triển|tăng cường|vì|bởi|là do|do đó|phổ cập|chống|hỗ trợ|khuyến khích|"
    r"bảo vệ|phòng|tránh|ngăn|xóa|đưa|lan tỏa|thay đổi)\b",
    re.IGNORECASE,
)
_NOT_A_COUNT_RE = re.compile(
    r"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\b(ngày|tháng|năm|số|khóa|khoá|mức|điều|khoản|mục|phụ lục|"
    r"nghị quyết|kế hoạch|quyết định|nghị định|thông tư|chỉ thị|luật|NQ|KH)\s+\d+|"
    r"\b\d+\s*[-/]\s*[A-ZĐ]+(/[A-ZĐ]+)?\b|\b(19|20)\d\d\b",
    re.IGNORECASE,
)
_NAMED_BODY_RE = re.compile(
    r"\b(Phòng|Ủy ban|Uỷ ban|UBND|Trung tâm|Công an|Mặt trận|Đoàn|Hội|Ban|Bộ|Sở|Tổ|Văn phòng|"
    r"Đảng ủy|Cục|Chủ tịch|Bí thư|Tổng Bí thư|Thủ tướng)\s+[A-ZĐÀ-Ỹ]|\b(UBND|Chính phủ|Quốc hội)\b|"
    # named in lower case: "Trung tâm phục vụ hành chính công", "Công an phường"
    r"\b(Trung tâm|Công an|Ủy ban|Bộ phận) (phục vụ|hành chính|nhân dân|phường|xã|tiếp nhận)\b"
)
# "Báo ở đâu?" is answered by whom to tell as much as by a place: a named body or a
# hotline ("Công an phường", "gọi 156").
_WHERE_RE = re.compile(
    f"(?i:{_PLACE_RE.pattern})|{_NAMED_BODY_RE.pattern}|"
    r"(?i:\b(gọi|nhắn|tổng đài|đường dây nóng)\b.{0,25}\d{3})"
)
_TYPE_CHECKS = {
    WHO: _BODY_RE,
    WHEN: _DATE_RE,
    HOW_MANY: _NUMBER_RE,
    WHERE: _WHERE_RE,
    HOW: _STEPS_RE,
    PURPOSE: _PURPOSE_RE,
}


def names_a_body(text: str) -> bool:
    """Whether the text names a body or person by its name ("Phòng Văn hóa - Xã hội",
    not "Phòng thực hiện…")."""
    return bool(_NAMED_BODY_RE.search(text))


def answer_has_type(
    analysis: QuestionAnalysis, text: str, *, context: str = ""
) -> bool:
    """Whether `text` carries what the question's type asks for, and every year it names
    (a year may stand in `context`, the passage's title: "Kế hoạch … năm 2025")."""
    folded = fold_lower(f"{context}\n{text}")
    if any(year not in folded for year in analysis.years):
        return False
    places = type_positions(analysis, text)
    return places is None or bool(places)


def type_positions(analysis: QuestionAnalysis, text: str) -> list[int] | None:
    """Where in `text` what the question's type asks for stands (character offsets), or
    None for a type with no such mark (là gì, có … không)."""
    check = _TYPE_CHECKS.get(analysis.kind)
    if check is None:
        return None
    if analysis.kind == HOW_MANY:
        # A date or a document's number is no count, nor is "mức 2" named by the question
        # (blanked to the same length, so offsets stay those of the text).
        def blank(match: re.Match) -> str:
            return " " * len(match.group(0))

        text = _NOT_A_COUNT_RE.sub(blank, text)
        if analysis.numbers:
            text = re.sub(rf"\b({'|'.join(analysis.numbers)})\b", blank, text)
    return [match.start() for match in check.finditer(text)]
