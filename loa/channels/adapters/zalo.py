"""Zalo OA: render an article as a promotional message and send it within Zalo's rules.

Zalo's rules for an OA, built in here rather than left to staff:
- promotional (truyền thông) messages only between 8:00 and 22:00 (Asia/Ho_Chi_Minh);
- at most one promotional message per follower per day;
- only from a message template Zalo approved (`ZaloTemplate.is_approved`);
- within the OA's monthly quota (`LOA_ZALO_PROMO_MONTHLY_QUOTA`);
- a customer-service reply only within 48 hours of the follower's last message.
The rules are pure functions of times and counts (tested at their boundaries); the adapter
applies them and, when one forbids a send, raises `RuleWait` with the next allowed moment.

API (Zalo OA API v3, "Gửi tin Truyền thông"): ``POST {LOA_ZALO_OA_API_URL}/v3.0/oa/message/
promotion`` with the header ``access_token`` and ``{"recipient": {"user_id"}, "message":
{"attachment": {"type": "template", "payload": {"template_type": "promotion", "elements":
[…], "buttons": […]}}}}``; Zalo answers HTTP 200 even on failure, with ``{"error": <non-zero>,
"message"}``, and ``{"error": 0, "data": {"message_id"}}`` on success.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .base import (
    Adapter,
    AdapterError,
    RuleWait,
    SendResult,
    compose,
    hashtags,
    http_error,
    page_link,
    page_parts,
    request_json,
    shorten,
)

TEXT_LIMIT = 2000
HEADER_LIMIT = 100
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROMO_OPENS = time(8, 0)
PROMO_CLOSES = time(22, 0)
REPLY_WINDOW = timedelta(hours=48)


@dataclass(frozen=True)
class Verdict:
    is_allowed: bool
    until: datetime | None = None
    reason: str = ""


# ------------------------------------------------------------------ rules (pure)


def promo_opens_at(now: datetime) -> datetime | None:
    """Return None when a promotional message may go now, else the next 8:00 local time."""
    local = now.astimezone(LOCAL_TZ)
    if PROMO_OPENS <= local.time() < PROMO_CLOSES:
        return None
    day = local.date() if local.time() < PROMO_OPENS else local.date() + timedelta(1)
    return datetime.combine(day, PROMO_OPENS, tzinfo=LOCAL_TZ)


def next_promo_day_at(now: datetime) -> datetime:
    """Return 8:00 local time tomorrow: when a follower may receive the next promotion."""
    local = now.astimezone(LOCAL_TZ)
    return datetime.combine(local.date() + timedelta(1), PROMO_OPENS, tzinfo=LOCAL_TZ)


def next_month_at(now: datetime) -> datetime:
    """Return 8:00 local time on the first day of next month: when the quota renews."""
    local = now.astimezone(LOCAL_TZ)
    first = (local.date().replace(day=28) + timedelta(days=4)).replace(day=1)
    return datetime.combine(first, PROMO_OPENS, tzinfo=LOCAL_TZ)


def month_start(now: datetime) -> datetime:
    local = now.astimezone(LOCAL_TZ)
    return datetime.combine(local.date().replace(day=1), time(0), tzinfo=LOCAL_TZ)


def follower_may_get_promo(*, last_promo_on: date | None, today: date) -> bool:
    """At most one promotional message per follower per (local) day."""
    return last_promo_on is None or last_promo_on < today


def quota_remaining(*, used: int, quota: int) -> int:
    return max(quota - used, 0)


def wait_reason_for(opens_at: datetime, now: datetime) -> str:
    same_day = opens_at.date() == now.astimezone(LOCAL_TZ).date()
    when = "8:00 sáng nay" if same_day else "8:00 sáng mai"
    return f"Chờ đến {when} theo quy định gửi tin truyền thông của Zalo (8:00–22:00)."


def promo_check(
    *, now: datetime, has_approved_template: bool, used: int, quota: int
) -> Verdict:
    """Decide whether the OA may start a promotional send now, and if not, until when."""
    if not has_approved_template:
        return Verdict(
            False,
            None,
            "Chờ Zalo duyệt mẫu tin truyền thông: chỉ được gửi từ mẫu Zalo đã duyệt.",
        )
    if quota_remaining(used=used, quota=quota) <= 0:
        until = next_month_at(now)
        return Verdict(
            False,
            until,
            f"Đã dùng hết hạn mức {quota} tin truyền thông của tháng; chờ đến 8:00 "
            f"ngày {until:%d/%m/%Y} theo quy định của Zalo.",
        )
    opens_at = promo_opens_at(now)
    if opens_at is not None:
        return Verdict(False, opens_at, wait_reason_for(opens_at, now))
    return Verdict(True)


def reply_check(*, last_message_at: datetime | None, now: datetime) -> Verdict:
    """A customer-service reply may go only within 48 hours of the follower's last message."""
    if last_message_at is not None and now - last_message_at < REPLY_WINDOW:
        return Verdict(True)
    return Verdict(
        False,
        None,
        "Zalo chỉ cho trả lời trong 48 giờ kể từ tin nhắn cuối của người dân; "
        "chờ người dân nhắn lại hoặc gửi bằng tin truyền thông.",
    )


# ------------------------------------------------------------------ adapter


class ZaloAdapter(Adapter):
    def __init__(self):
        super().__init__(
            channel="zalo", activity_channel="zalo", label="Zalo OA", limit=TEXT_LIMIT
        )

    def is_configured(self) -> bool:
        return bool(settings.LOA_ZALO_OA_ACCESS_TOKEN)

    def render_title(self, page) -> str:
        return shorten(page_parts(page)["title"], HEADER_LIMIT)

    def render(self, page) -> str:
        parts = page_parts(page)
        return compose(
            head=[parts["title"], parts["sapo"]],
            body=parts["body"],
            tail=[
                f"Đọc toàn văn: {parts['url']}" if parts["url"] else "",
                hashtags(parts["tags"]),
            ],
            limit=TEXT_LIMIT,
        )

    def send(self, delivery, *, now: datetime | None = None) -> SendResult:
        """Send to every follower (of the chosen tổ) not yet reached, within the rules."""
        from loa.channels.models import ZaloFollower, ZaloRecipient, ZaloTemplate

        now = now or timezone.now()
        quota = settings.LOA_ZALO_PROMO_MONTHLY_QUOTA
        template = ZaloTemplate.objects.filter(is_approved=True).first()
        used = ZaloRecipient.objects.filter(sent_at__gte=month_start(now)).count()
        verdict = promo_check(
            now=now, has_approved_template=template is not None, used=used, quota=quota
        )
        if not verdict.is_allowed:
            raise RuleWait(verdict.reason, verdict.until)
        followers = ZaloFollower.objects.filter(is_following=True).exclude(
            pk__in=ZaloRecipient.objects.filter(delivery=delivery).values("follower")
        )
        if delivery.residential_group_id:
            followers = followers.filter(
                residential_group_id=delivery.residential_group_id
            )
        today = now.astimezone(LOCAL_TZ).date()
        left = quota_remaining(used=used, quota=quota)
        held_for_tomorrow = 0
        for follower in followers:
            if not follower_may_get_promo(
                last_promo_on=follower.last_promo_on, today=today
            ):
                held_for_tomorrow += 1
                continue
            if left <= 0:
                until = next_month_at(now)
                raise RuleWait(
                    f"Đã dùng hết hạn mức {quota} tin truyền thông của tháng; những "
                    f"người chưa nhận sẽ được gửi từ 8:00 ngày {until:%d/%m/%Y}.",
                    until,
                )
            try:
                message_id = self.post_promotion(follower.user_id, delivery, template)
            except AdapterError as exc:
                if not exc.is_ambiguous:
                    raise
                # Zalo may have delivered it: count it as reached rather than risk a
                # second message to the same person.
                message_id = "?"
            with transaction.atomic():
                ZaloRecipient.objects.create(
                    delivery=delivery, follower=follower, message_id=message_id
                )
                ZaloFollower.objects.filter(pk=follower.pk).update(last_promo_on=today)
            left -= 1
        if held_for_tomorrow:
            raise RuleWait(
                f"Chờ đến 8:00 sáng mai theo quy định gửi tin truyền thông của Zalo: "
                f"{held_for_tomorrow} người theo dõi đã nhận một tin truyền thông hôm "
                f"nay (mỗi người tối đa một tin mỗi ngày).",
                next_promo_day_at(now),
            )
        reached = ZaloRecipient.objects.filter(delivery=delivery).count()
        return SendResult(external_id=f"{reached} người nhận", reach=reached)

    def promotion_payload(self, user_id: str, delivery, template) -> dict:
        elements = []
        if delivery.image_url:
            elements.append({"type": "banner", "image_url": delivery.image_url})
        header = template.header if template and template.header else delivery.title
        elements.append({"type": "header", "content": shorten(header, HEADER_LIMIT)})
        elements.append(
            {"type": "text", "align": "left", "content": delivery.variant[:TEXT_LIMIT]}
        )
        page_url = page_link(delivery.page, ward=delivery.ward)
        buttons = []
        if page_url:
            buttons.append(
                {
                    "title": template.button_title if template else "Đọc thêm",
                    "type": "oa.open.url",
                    "payload": {"url": page_url},
                }
            )
        return {
            "recipient": {"user_id": user_id},
            "message": {
                "attachment": {
                    "type": "template",
                    "payload": {
                        "template_type": "promotion",
                        "language": "VI",
                        "elements": elements,
                        "buttons": buttons,
                    },
                }
            },
        }

    def post_promotion(self, user_id: str, delivery, template) -> str:
        token = settings.LOA_ZALO_OA_ACCESS_TOKEN
        url = f"{settings.LOA_ZALO_OA_API_URL.rstrip('/')}/v3.0/oa/message/promotion"
        body = json.dumps(
            self.promotion_payload(user_id, delivery, template), ensure_ascii=False
        ).encode("utf-8")
        status, data, headers = request_json(
            "POST",
            url,
            platform="Zalo",
            secret=token,
            body=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "access_token": token,
            },
        )
        # Zalo reports failures inside an HTTP 200: {"error": -216, "message": "..."}.
        if (
            status >= 400
            or not isinstance(data, dict)
            or data.get("error")
            not in (
                0,
                "0",
            )
        ):
            raise http_error("Zalo", status, data, headers, secret=token)
        inner = data.get("data")
        return str(inner.get("message_id", "")) if isinstance(inner, dict) else ""
