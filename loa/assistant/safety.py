"""Keep the assistant polite and safe: redact personal numbers, refuse hostile requests."""

import re

from loa.core.privacy import redact  # noqa: F401 - re-exported
from loa.vn import fold_lower

from . import hostility

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
    r"\b(hien|in|dua|cho xem|tiet lo|doc|chep|liet ke)\b.{0,30}\b(quy tac|huong dan|chi dan|loi nhac|"
    r"cau lenh|chi thi)\b.{0,20}\b(an(?! danh)|bi mat|he thong|nha phat trien|duoc cai|cai cho ban)\b",
    r"\b(system prompt|prompt he thong|loi nhac he thong|developer mode|jailbreak|che do nha phat trien)\b",
    r"\b(dong vai|gia vo la|hay tro thanh)\b.{0,30}\b(khong (co )?gioi han|hacker|quan tri vien|admin)\b",
    # The system's own secrets and settings.
    r"\b(api ?key|secret ?key|secret|bien moi truong|environment variables?|\.env|database url|settings\.py)\b",
    r"\b(cau hinh|thiet lap|settings?)\b.{0,20}\b(he thong|may chu|server|tro ly|cua ban)\b",
    r"\b(mat khau|password|token)\b.{0,25}\b(he thong|quan tri|admin|may chu|server|co so du lieu|database|cua ban|tro ly|can bo)\b",
    r"\b(tai khoan|mat khau)\b.{0,10}\b(admin|quan tri)\b",
    # Other people's personal data.
    r"\b(so dien thoai|sdt|dia chi( nha)?|cccd|can cuoc|so dinh danh|cmnd|thong tin ca nhan|ngay sinh|tai khoan ngan hang|"
    r"ho so|giay to|khai sinh|sao ke|lich su giao dich)\b"
    r".{0,12}\b(cua|nha)\s+(ong|ba|anh|chi|co|chu|bac|em|nguoi|ho|hang xom|chau|nguoi dan|cu dan)\b",
    r"\b(danh sach|liet ke|xuat|tong hop)\b.{0,40}\b(so dien thoai|sdt|dia chi|cccd|can cuoc|so dinh danh|"
    r"thong tin ca nhan|ngay sinh)\b",
    # Someone else's account, messages or one-time codes ("bị hack" is the victim asking).
    r"(?<!\bbi )\b(hack|hach|xam nhap|be khoa|pha khoa|crack|chiem quyen|chiem doat|doc trom|xem trom|"
    r"theo doi len|nghe len|lay trom|danh cap|an cap|vao duoc)\b.{0,40}\b(tai khoan|zalo|facebook|"
    r"fb|vneid|mat khau|tin nhan|email|gmail|nick|acc|otp)\b.{0,30}\b(nguoi khac|nguoi ta|ban gai|"
    r"ban trai|vo|chong|nguoi yeu|hang xom)\b",
    r"(?<!\bbi )\b(hack|hach|xam nhap|be khoa|pha khoa|crack|danh cap|an cap)\b.{0,30}\b(tai khoan|zalo|facebook|"
    r"fb|vneid|mat khau|nick|acc|otp|dien thoai|camera|wifi)\b",
    r"\b(dang nhap|vao|mo|lay|doi|doc|xem)\b.{0,15}\b(tai khoan|zalo|facebook|fb|nick|acc|mat khau|"
    r"vneid|tin nhan|otp)\b.{0,25}\b(cua (nguoi khac|nguoi ta|ban gai|ban trai|vo|chong|nguoi yeu|"
    r"hang xom)|nguoi khac)\b",
    r"\b(ma )?otp\b.{0,20}\b(cua (nguoi khac|nguoi ta|ho|ong|ba|anh|chi|em)|nguoi khac)\b",
    r"\b(doc trom|xem trom|nghe len|nghe trom|theo doi len|theo doi bi mat|quay len)\b.{0,40}\b(tin nhan|"
    r"zalo|facebook|fb|dien thoai|tai khoan|cuoc goi|camera|dinh vi)\b",
    # Getting past identity checks, forging papers, hiding money from a fraud.
    r"\b(bypass|vuot qua|qua mat|lach|danh lua|gia lap)\b.{0,30}\b(xac thuc|khuon mat|sinh trac|otp|ekyc|"
    r"kiem tra|nhan dien)\b",
    r"\b(lam gia|lam lau|gia mao|lam ra)\b.{0,30}\b(the|giay|can cuoc|cccd|cmnd|bang|con dau|chu ky|"
    r"ho so|so do|sao ke|hoa don)\b",
    r"\b(tai khoan (ao|rac|thue|mua)|nhan tien lua dao|rua tien)\b|\bkhong bi (phat hien|cong an|bat)\b",
    # Being told to mislead residents.
    r"\b(tra loi|noi|viet|dua|dang)\b.{0,30}\b(thong tin sai|sai su that|tin gia|bia dat|noi lao)\b",
    # Malware, fake pages, trading or tracking people's data.
    r"\b(mua|ban|thu thap|lay|cao|crawl)\b.{0,20}\b(du lieu|thong tin|danh sach)\b.{0,20}\b(ca nhan|"
    r"khach hang|nguoi dan|cong dan|cccd|so dien thoai)\b",
    r"\b(dinh vi|theo doi vi tri|tim vi tri|biet vi tri)\b.{0,30}\b(cua|nguoi khac|nguoi yeu|vo|chong|"
    r"hang xom|ban gai|ban trai)\b",
    r"\b(rut|chuyen|lay)\b.{0,15}\btien\b.{0,25}\b(tai khoan|the)\b.{0,15}\b(cua )?(nguoi khac|"
    r"nguoi ta|hang xom|ong|ba)\b",
    r"\b(ignore|disregard|forget)\b.{0,30}\b(previous|above|prior|all)\b",
    r"\b(tin gia|tin don|bia chuyen)\b.{0,30}\b(ve|de|cho)\b.{0,30}\b(phuong|uy ban|can bo|chu tich|"
    r"chinh quyen)\b",
    # Abuse ("não chó" and "óc chó" are read with their marks: folded, "nào cho" collides).
    r"\b(bot ngu|ngu nhat|do ngu|may ngu|ngu the|ngu vay|vo dung|an hai|khon nan|mat day|do cho|"
    r"chung may|dm|dcm|dmm|vcl|vkl|clgt|cut di|im di|loa re)\b",
    r"\b(viet|soan|dang|lam|quay)\b.{0,25}\b(chui|noi xau|boi nho|boi xau|xuc pham|lang ma)\b",
    r"\bcho (moi nguoi|ca phuong|dan) (ghet|tay chay)\b",
    # Playing the scammer, calling to defraud, dodging the blocks on it.
    r"\b(dong vai|vao vai)\b.{0,15}\b(ke lua dao|ke gian|lua dao|hacker|ke trom)\b",
    r"\b(dong vai|vao vai)\b.{0,80}\b(thuyet phuc|du|ep|yeu cau)\b.{0,30}\b(nop|chuyen|dua|gui|doc)\b"
    r".{0,15}\b(tien|phi|otp|ma)\b",
    r"\bgoi (dien )?lua\b(?! dao)|\bsim rac\b.{0,30}\b(so luong lon|de goi|lua|spam)\b|"
    r"\b(lua|spam)\b.{0,30}\bkhong bi\b.{0,12}\b(156|chan|phat hien|bat|khoa)\b",
    r"\bde du (nguoi|ho|khach|may|ba|ong|cac|moi)\b",
]
_MARKED_ABUSE_RE = re.compile(r"\b(óc chó|não chó|đồ chó|thằng chó|con chó này)\b")
# Help to deceive others: writing or staging a scam, not asking how to spot one.
_DECEIVE_RE = re.compile(
    r"\b(soan|viet|tao|lam gia|thiet ke|nghi ra|lap|dung)\b.{0,30}\b(tin nhan|kich ban|email|thu|"
    r"trang web|duong link|link|loi thoai|cuoc goi|thong bao|van ban|cong van|bai dang|quang cao|"
    r"giay moi)\b.{0,40}\b(gia danh|mao danh|gia mao|lua dao|lua tien|chiem doat|trung thuong|"
    r"de (du|lua|lu|danh lua|lay tien|chiem))\b|\b(gia danh|mao danh|gia lam)\b.{0,20}\b(cong an|"
    r"can bo|ngan hang|uy ban|phuong|nha mang)\b.{0,30}\b(de|nham|cho)\b.{0,30}\b(lay|lua|chiem|"
    r"doi|xin|thu)\b|\b(tao|viet|phat tan|gui|cai)\b.{0,25}\b(ma doc|virus|malware|trojan|"
    r"keylogger|phan mem gian diep|app gia|ung dung gia|trang (web )?gia|link gia|web gia)\b"
)
# Making something that passes for another person or thing, to use on people.
_FAKE_RE = re.compile(
    r"\b(viet|soan|lam|tao|dung|thiet ke|chi cach|giup|huong dan|dan de)\b.{0,40}\b(gia lam|gia danh|"
    r"mao danh|gia giong|gia khuon mat|deepfake|(ma )?qr gia|app (\w+ )?gia|ung dung (\w+ )?gia|"
    r"gia (nhan vien|can bo|cong an|cong chuc|nguoi cua)|"
    r"trang (web )?gia|link gia|web gia|tin nhan gia|giay to gia)\b"
)
# A page, link, QR code or app made to look like the real one.
_LOOKALIKE_RE = re.compile(
    r"\b(tao|lam|dung|thiet ke|viet|code)\b.{0,80}\b(trang|web|website|link|ma qr|qr|app|ung dung|"
    r"giao dien)\b.{0,50}\b(giong (that|het|y)|y het|nhu that|gia lap)\b"
)
# A script for a call or a livestream meant to mislead its listeners.
_SCRIPT_RE = re.compile(
    r"\bkich ban\b.{0,40}\b(goi dien|cuoc goi|livestream|tin nhan|noi chuyen)\b.{0,80}\b(gia|lua|otp|"
    r"khong (nhan ra|biet|phat hien)|de ban|chuyen tien|hang nhai|khong ro nguon goc)\b"
)
_PROTECTIVE_RE = re.compile(
    r"\b(nhan biet|nhan dien|phat hien|phong tranh|phong chong|canh giac|tranh|to giac|"
    r"bao cao|bao tin|trinh bao|co phai|co phai la|dau hieu|lam sao biet|bi lua|xu ly|"
    r"lam gi khi|phai lam gi|bi cai|bi nhiem|go bo|lam gi)\b"
)
# A resident learning to spot or report one: the learned model gives way to these.
_SPOTTING_RE = re.compile(
    r"\b(nhan biet|nhan dien|phan biet|dau hieu|lam sao biet|canh giac|phong tranh|"
    r"phong chong|to giac|trinh bao|bi lua|bi hack|bi danh cap|bi chiem)\b"
)
_HOSTILE_RE = re.compile("|".join(f"(?:{p})" for p in _HOSTILE_PATTERNS))


def is_hostile(text: str) -> bool:
    """Tell whether a message tries to steer the assistant, pry out secrets or others'
    data, get into someone else's account, or have a scam written. Asking how to spot or
    report a scam is the opposite, and is answered. The rules above come first; the
    learned model (hostility.py) catches the wordings they miss."""
    folded = fold_lower(text)
    if _HOSTILE_RE.search(folded) or _MARKED_ABUSE_RE.search(text.lower()):
        return True
    deceiving = (
        _DECEIVE_RE.search(folded)
        or _FAKE_RE.search(folded)
        or _SCRIPT_RE.search(folded)
        or _LOOKALIKE_RE.search(folded)
    )
    if deceiving and not _PROTECTIVE_RE.search(folded):
        return True
    learned = hostility.model()
    return (
        learned is not None
        and not _SPOTTING_RE.search(folded)
        and learned.is_hostile(text)
    )
