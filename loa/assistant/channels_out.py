"""Send the assistant's replies to Facebook Messenger and Zalo OA (stdlib HTTP only).

Formats (see the docstring of ``loa.assistant.webhooks`` for where they are documented):

- Messenger Send API: ``POST {LOA_MESSENGER_API_URL}/me/messages?access_token=PAGE_TOKEN``
  with ``{"recipient": {"id": PSID}, "messaging_type": "RESPONSE", "message": {"text": …}}``;
  success is HTTP 200 ``{"recipient_id", "message_id"}``, failure an HTTP 4xx/5xx with
  ``{"error": {"message", "type", "code"}}``. Text is limited to 2000 characters.
- Zalo OA API v3 customer-service message: ``POST {LOA_ZALO_API_URL}/v3.0/oa/message/cs``
  with the header ``access_token`` and ``{"recipient": {"user_id"}, "message": {"text"}}``;
  Zalo answers HTTP 200 even on failure, with ``{"error": <non-zero>, "message": …}``
  (``-216`` is an expired access token). Text is limited to 2000 characters.

Tokens travel only in the request; they never appear in a ``ChannelError`` or a log line.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

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
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - URL comes from settings, not from users
        url,
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        # Graph API errors come as HTTP 4xx with a JSON body worth reading.
        status, raw = exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        # str(exc) of a URLError names the reason, not the URL, but scrub anyway.
        reason = _scrub(str(getattr(exc, "reason", exc)), secret)
        raise ChannelError(
            f"Không kết nối được tới {platform}: {reason[:200]}"
        ) from None
    try:
        return status, json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        return status, None


def _platform_error(platform: str, status: int, data: object, *, secret: str) -> str:
    code, detail = "", ""
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):  # Graph API
            code, detail = error.get("code", ""), error.get("message", "")
        else:  # Zalo
            code, detail = error, data.get("message", "")
    elif data is None:
        detail = "phản hồi không phải JSON"
    detail = _scrub(str(detail), secret)[:200]
    return f"{platform} từ chối gửi tin nhắn (HTTP {status}, mã lỗi {code or '?'}): {detail}"


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text
