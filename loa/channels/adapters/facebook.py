"""Facebook Page: a post with the article's link (Graph API ``/{page-id}/feed``).

``POST {LOA_FACEBOOK_API_URL}/{LOA_FACEBOOK_PAGE_ID}/feed`` (form-encoded ``message``,
``link``, ``access_token``) answers ``{"id": "<page-id>_<post-id>"}``; errors come as
HTTP 4xx/5xx with ``{"error": {"message", "type", "code"}}``, rate limits as codes 4, 17,
32 or 613 (or HTTP 429). A post may hold 63,206 characters; a readable one keeps ~1,500.
"""

import urllib.parse

from django.conf import settings

from .base import (
    Adapter,
    SendResult,
    compose,
    hashtags,
    http_error,
    page_link,
    page_parts,
    request_json,
)

HARD_LIMIT = 63_206
TEXT_LIMIT = 1_500


class FacebookAdapter(Adapter):
    def __init__(self):
        super().__init__(
            channel="facebook",
            activity_channel="facebook",
            label="Facebook",
            limit=HARD_LIMIT,
        )

    def is_configured(self) -> bool:
        return bool(settings.LOA_FACEBOOK_PAGE_ID and settings.LOA_FACEBOOK_PAGE_TOKEN)

    def render(self, page) -> str:
        parts = page_parts(page)
        return compose(
            head=[parts["title"].upper(), parts["sapo"]],
            body=parts["body"],
            tail=[
                f"👉 Đọc toàn văn: {parts['url']}" if parts["url"] else "",
                hashtags(parts["tags"]),
            ],
            limit=TEXT_LIMIT,
        )

    def send(self, delivery, *, now=None) -> SendResult:
        token, page_id = settings.LOA_FACEBOOK_PAGE_TOKEN, settings.LOA_FACEBOOK_PAGE_ID
        fields = {"message": delivery.variant[:HARD_LIMIT], "access_token": token}
        link = page_link(delivery.page, ward=delivery.ward)
        if link:
            fields["link"] = link
        url = f"{settings.LOA_FACEBOOK_API_URL.rstrip('/')}/{page_id}/feed"
        status, data, headers = request_json(
            "POST",
            url,
            platform="Facebook",
            secret=token,
            body=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status >= 400 or not isinstance(data, dict) or "error" in data:
            raise http_error("Facebook", status, data, headers, secret=token)
        post_id = str(data.get("id", ""))
        return SendResult(
            external_id=post_id,
            external_url=f"https://www.facebook.com/{post_id}" if post_id else "",
        )
