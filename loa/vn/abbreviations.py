"""Administrative abbreviations used in Vietnamese state documents."""

from __future__ import annotations

import re

from loa.vn.text import fold, nfc

ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "KH": "Kế hoạch",
    "NQ": "Nghị quyết",
    "TW": "Trung ương",
    "NĐ": "Nghị định",
    "CP": "Chính phủ",
    "QĐ": "Quyết định",
    "TT": "Thông tư",
    "CT": "Chỉ thị",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "CV": "Công văn",
    "TTg": "Thủ tướng",
    "KHCN": "khoa học và công nghệ",
    "KH&CN": "khoa học và công nghệ",
    "ĐMST": "đổi mới sáng tạo",
    "CĐS": "chuyển đổi số",
    "DVC": "dịch vụ công",
    "DVCTT": "dịch vụ công trực tuyến",
    "TTHC": "thủ tục hành chính",
    "MTTQ": "Mặt trận Tổ quốc",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "VHXH": "Văn hóa - Xã hội",
    "BCH": "Ban Chấp hành",
    "BCĐ": "Ban Chỉ đạo",
    "BCHQS": "Ban Chỉ huy quân sự",
    "CNTT": "công nghệ thông tin",
    "TDP": "tổ dân phố",
    "VNeID": "ứng dụng định danh điện tử quốc gia",
    "CCCD": "căn cước công dân",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "KT-XH": "kinh tế - xã hội",
    "KTXH": "kinh tế - xã hội",
    "HĐND-UBND": "Hội đồng nhân dân và Ủy ban nhân dân",
    "VP": "Văn phòng",
    "CB": "cán bộ",
    "CBCCVC": "cán bộ, công chức, viên chức",
    "CCVC": "công chức, viên chức",
    "ĐTN": "Đoàn Thanh niên",
    "HLHPN": "Hội Liên hiệp Phụ nữ",
    "HCCB": "Hội Cựu chiến binh",
    "HND": "Hội Nông dân",
    "PCT": "Phó Chủ tịch",
    "TM": "Thay mặt",
    "KT": "Ký thay",
    "TL": "Thừa lệnh",
    "VT": "Văn thư",
    "VN": "Việt Nam",
    "CSDL": "cơ sở dữ liệu",
    "AI": "trí tuệ nhân tạo",
    "ATTT": "an toàn thông tin",
    "QR": "mã phản hồi nhanh",
    "TP": "thành phố",
    "THTT": "thông tin và truyền thông",
    "TT&TT": "thông tin và truyền thông",
    "BHXH": "bảo hiểm xã hội",
    "BHYT": "bảo hiểm y tế",
}

_BY_FOLDED: dict[str, str] = {}
for _abbr in ABBREVIATIONS:
    _BY_FOLDED.setdefault(fold(_abbr).upper(), _abbr)

_TOKEN_RE = re.compile(r"(?<![\w&-])([A-Za-zĐđ][\w&]*(?:-[A-Za-zĐđ][\w&]*)?)(?![\w&])")


def abbreviation_lookup(token: str) -> str | None:
    """Return the canonical abbreviation for a token, with or without diacritics.

    "CDS", "cđs" and "CĐS" all give "CĐS"; unknown tokens give None.
    """
    token = nfc(token.strip())
    if not token:
        return None
    if token in ABBREVIATIONS:
        return token
    return _BY_FOLDED.get(fold(token).upper())


def expand_abbreviations(text: str) -> str:
    """Replace upper-case administrative abbreviations with their full Vietnamese form.

    Only tokens written in capitals (as abbreviations are) are expanded, so ordinary
    words such as "ai" or "tb" in running text stay untouched; "VNeID" is the one
    mixed-case abbreviation and is left as the product name it is.
    """
    text = nfc(text)

    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token == "VNeID" or token.upper() != token:  # noqa: S105
            return token
        canonical = abbreviation_lookup(token)
        if canonical is None:
            if "-" in token:
                parts = token.split("-")
                found = [abbreviation_lookup(p) for p in parts]
                if all(found):
                    return " - ".join(ABBREVIATIONS[f] for f in found if f)
            return token
        return ABBREVIATIONS[canonical]

    return _TOKEN_RE.sub(replace, text)
