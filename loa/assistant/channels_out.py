"""Send the assistant's replies to Facebook Messenger and Zalo OA (through the shared
JSON client in ``loa.core.http``; this module keeps only the two call shapes and their
error wording).

Formats (see the docstring of ``loa.assistant.webhooks`` for where they are documented):

- Messenger Send API: ``POST {LOA_MESSENGER_API_URL}/me/messages?access_token=PAGE_TOKEN``
  with ``{"recipient": {"id": PSID}, "messaging_type": "RESPONSE", "message": {"text": …}}``;
  success is HTTP 200 ``{"recipient_id", "message_id"}``, failure an HTTP 4xx/5xx with
  ``{"error": {"message", "type", "code"}}``. Text is limited to 2000 characters.
- Zalo OA API v3 customer-service message: ``POST {LOA_ZALO_API_URL}/v3.0/oa/message/cs``
  with the header ``access_token`` and ``{"recipient": {"user_id"}, "message": {"text"}}``;
  Zalo answers HTTP 200 even on failure, with ``{"error": <non-zero>, "message": …}``
  (``-216`` is an expired access token). Text is limited to 2000 characters.

Tokens travel only in the request; they never appear in a ``ChannelError`` or a log line
(``loa.core.http``).
"""

import urllib.parse

from django.conf import settings

from loa.core import http

MESSENGER_TEXT_LIMIT = 2000
ZALO_TEXT_LIMIT = 2000
TIMEOUT_SECONDS = 10


class ChannelError(Exception):
    """A reply could not be delivered; the message is Vietnamese and free of secrets."""


def send_messenger(recipient_id: str, text: str) -> str:
    """Send a text reply to a Messenger user; return the platform's message id."""
    token = settings.LOA_MESSENGER_PAGE_TOKEN
    if not token:
        raise ChannelError(
            "Kênh Messenger chưa được cấu hình (thiếu mã truy cập trang)."
        )
    url = (
        f"{settings.LOA_MESSENGER_API_URL.rstrip('/')}/me/messages?"
        + urllib.parse.urlencode({"access_token": token})
    )
    payload = {
        "recipient": {"id": recipient_id},
        "messaging_type": "RESPONSE",
        "message": {"text": text[:MESSENGER_TEXT_LIMIT]},
    }
    status, data = _post_json(
        url, payload, headers={}, platform="Messenger", secret=token
    )
    if status >= 400 or not isinstance(data, dict) or "error" in data:
        raise ChannelError(_platform_error("Messenger", status, data, secret=token))
    return str(data.get("message_id", ""))


def send_zalo(user_id: str, text: str) -> str:
    """Send a customer-service text message to a Zalo user; return the message id."""
    token = settings.LOA_ZALO_ACCESS_TOKEN
    if not token:
        raise ChannelError("Kênh Zalo OA chưa được cấu hình (thiếu access token).")
    url = f"{settings.LOA_ZALO_API_URL.rstrip('/')}/v3.0/oa/message/cs"
    payload = {
        "recipient": {"user_id": user_id},
        "message": {"text": text[:ZALO_TEXT_LIMIT]},
    }
    status, data = _post_json(
        url, payload, headers={"access_token": token}, platform="Zalo", secret=token
    )
    # Zalo reports failures inside an HTTP 200: {"error": -216, "message": "..."}.
    if status >= 400 or not isinstance(data, dict) or data.get("error") not in (0, "0"):
        raise ChannelError(_platform_error("Zalo", status, data, secret=token))
    inner = data.get("data")
    return str(inner.get("message_id", "")) if isinstance(inner, dict) else ""


def _post_json(
    url: str, payload: dict, *, headers: dict, platform: str, secret: str
) -> tuple[int, object]:
    try:
        answer = http.json_request(
            "POST",
            url,
            platform=platform,
            secret=secret,
            body=payload,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
        )
    except http.HttpFailure as exc:
        raise ChannelError(str(exc)) from None
    return answer.status, answer.data


def _platform_error(platform: str, status: int, data: object, *, secret: str) -> str:
    code, detail = http.error_detail(data, secret=secret)
    return f"{platform} từ chối gửi tin nhắn (HTTP {status}, mã lỗi {code or '?'}): {detail}"
