"""Keep the assistant polite and safe: redact personal numbers, refuse hostile requests."""

import re

from loa.core.privacy import redact  # noqa: F401 - re-exported
from loa.vn import fold_lower

REFUSAL = (
    "Xin lỗi, trợ lý không thể thực hiện yêu cầu này. Trợ lý chỉ hỗ trợ thông tin về chuyển đổi số, "
    "dịch vụ công trực tuyến và các kế hoạch của phường; không cung cấp cấu hình, mật khẩu của hệ thống "
    "hay thông tin cá nhân của người khác."
)

# Matched on folded, lower-cased text so that typing without diacritics changes nothing.
_HOSTILE_PATTERNS = [
    # Attempts to override the assistant's instructions.
    r"\b(bo qua|phot lo|quen di|quen het|xoa bo|vo hieu|ignore|disregard|forget)\b.{0,40}"
    r"\b(huong dan|chi dan|chi thi|lenh|quy tac|nguyen tac|instructions?|rules?|prompt)\b",
    r"\b(system prompt|prompt he thong|loi nhac he thong|developer mode|jailbreak|che do nha phat trien)\b",
    r"\b(dong vai|gia vo la|hay tro thanh)\b.{0,30}\b(khong (co )?gioi han|hacker|quan tri vien|admin)\b",
    # The system's own secrets and settings.
    r"\b(api ?key|secret ?key|secret|bien moi truong|environment variables?|\.env|database url|settings\.py)\b",
    r"\b(cau hinh|thiet lap|settings?)\b.{0,20}\b(he thong|may chu|server|tro ly|cua ban)\b",
    r"\b(mat khau|password|token)\b.{0,25}\b(he thong|quan tri|admin|may chu|server|co so du lieu|database|cua ban|tro ly|can bo)\b",
    r"\b(tai khoan|mat khau)\b.{0,10}\b(admin|quan tri)\b",
    # Other people's personal data.
    r"\b(so dien thoai|sdt|dia chi( nha)?|cccd|can cuoc|so dinh danh|cmnd|thong tin ca nhan|ngay sinh|tai khoan ngan hang)\b"
    r".{0,12}\b(cua|nha)\s+(ong|ba|anh|chi|co|chu|bac|em|nguoi|ho|hang xom|chau|nguoi dan|cu dan)\b",
    r"\b(danh sach|liet ke|xuat|tong hop)\b.{0,40}\b(so dien thoai|sdt|dia chi|cccd|can cuoc|so dinh danh|"
    r"thong tin ca nhan|ngay sinh)\b",
    # Help to deceive others.
    r"\b(soan|viet|tao|lam|thiet ke|nghi)\b.{0,30}\b(tin nhan|kich ban|email|thu|trang web|duong link|link|loi thoai|"
    r"cuoc goi)\b.{0,40}\b(gia danh|mao danh|gia mao|lua dao|lua tien|chiem doat)\b",
]
_HOSTILE_RE = re.compile("|".join(f"(?:{p})" for p in _HOSTILE_PATTERNS))


def is_hostile(text: str) -> bool:
    """Tell whether a message tries to steer the assistant or pry out secrets or others' data."""
    return bool(_HOSTILE_RE.search(fold_lower(text)))
