"""Zalo OA followers: the 48-hour reply window and the short flow to choose a tổ dân phố.

Every text a follower sends to the OA opens Zalo's 48-hour window for customer-service
replies (``ZaloFollower.last_message_at``). A follower tags themself with their tổ dân phố
by sending "tổ 3" (or "tổ dân phố số 3", "chọn tổ", "đăng ký tổ"…), so a notice can be sent
to one tổ. The webhook (``loa.assistant.webhooks``) calls the helpers here.
"""

import hashlib
import re
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from loa.core.models import ResidentialGroup
from loa.vn import fold_lower

from ..models import ZaloFollower

GROUP_SET = "Đã ghi nhận bạn thuộc {name}. Phường sẽ gửi thông báo của tổ qua Zalo này."
GROUP_LIST = "Vui lòng gửi: tổ <số>. Các tổ của phường: {names}."
GROUP_NONE = "Phường chưa khai báo danh sách tổ dân phố trên hệ thống."
GROUP_HINT = 'Gửi "tổ <số>" để nhận thông báo của tổ dân phố bạn.'
# The hint is shown once per follower; the cache remembers it this long.
HINT_TTL_SECONDS = int(timedelta(days=30).total_seconds())

# Bare commands that open the flow: the answer is the list of the ward's tổ.
_OPENERS = {
    "chon to",
    "to dan pho",
    "dang ky to",
    "chon to dan pho",
    "dang ky to dan pho",
}
# "chọn tổ 3", "đăng ký tổ dân phố số 5", "tổ dân phố Hòa Bình", "tổ số 3", "tổ 3".
_PREFIX_RE = re.compile(r"^(?:chon |dang ky )?to (?:dan pho )?(?:so )?(?P<rest>.+)$")
_EXPLICIT_RE = re.compile(
    r"^(?:chon |dang ky )?to (?:dan pho|so)\b|^(?:chon|dang ky) to\b"
)
_GROUP_PREFIX_RE = re.compile(r"^to (?:dan pho )?(?:so )?")
_NUMBER_RE = re.compile(r"\d+")


def _normal(text: str) -> str:
    folded = fold_lower(text)
    folded = re.sub(r"[^\w\s]", " ", folded)
    return " ".join(folded.split())


def touch(user_id: str, *, now=None) -> ZaloFollower:
    """Record that the follower just wrote to the OA (opens the 48-hour reply window)."""
    now = now or timezone.now()
    follower, created = ZaloFollower.objects.get_or_create(
        user_id=user_id[:64], defaults={"last_message_at": now}
    )
    if not created:
        follower.last_message_at = now
        follower.save(update_fields=["last_message_at"])
    return follower


def _groups(ward) -> list[ResidentialGroup]:
    if ward is None:
        return []
    return list(ResidentialGroup.objects.filter(ward=ward))


def _match(rest: str, groups: list[ResidentialGroup]) -> ResidentialGroup | None:
    if rest.isdigit():
        wanted = int(rest)
        for group in groups:
            numbers = _NUMBER_RE.findall(fold_lower(group.name))
            if numbers and int(numbers[-1]) == wanted:
                return group
        return None
    for group in groups:
        name = _normal(group.name)
        if rest in (name, _GROUP_PREFIX_RE.sub("", name)):
            return group
    return None


def group_reply(follower: ZaloFollower, ward, text: str) -> str | None:
    """The flow's reply if the text is about choosing a tổ dân phố, else None.

    "tổ <number>" and the explicit forms ("tổ dân phố …", "tổ số …", "chọn tổ …",
    "đăng ký tổ …") always belong to the flow; "tổ <name>" only when the name is one of the
    ward's tổ, so a question such as "tờ khai …" (folded "to khai …") still reaches the
    assistant.
    """
    normal = _normal(text)
    groups = _groups(ward)
    if normal in _OPENERS:
        return _list_reply(groups)
    found = _PREFIX_RE.match(normal)
    if not found:
        return None
    rest = found.group("rest")
    group = _match(rest, groups)
    if group is None:
        if rest.isdigit() or _EXPLICIT_RE.match(normal):
            return _list_reply(groups)
        return None
    follower.residential_group = group
    follower.save(update_fields=["residential_group"])
    return GROUP_SET.format(name=group.name)


def _list_reply(groups: list[ResidentialGroup]) -> str:
    if not groups:
        return GROUP_NONE
    return GROUP_LIST.format(names=", ".join(group.name for group in groups))


def hint_once(follower: ZaloFollower, ward) -> str:
    """The line inviting a follower without a tổ to choose one; given once per follower."""
    if follower.residential_group_id is not None or ward is None:
        return ""
    if not ResidentialGroup.objects.filter(ward=ward).exists():
        return ""
    digest = hashlib.sha256(follower.user_id.encode()).hexdigest()[:32]
    if not cache.add(f"zalo-group-hint:{digest}", 1, timeout=HINT_TTL_SECONDS):
        return ""
    return GROUP_HINT
