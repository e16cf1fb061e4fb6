"""The one JSON-over-HTTP client for the platforms Loa talks to (Zalo OA, Facebook Graph,
YouTube, an OpenAI-compatible endpoint), standard library only.

Failures come back as `HttpFailure` with a Vietnamese message free of the caller's
secret (tokens travel in URLs and headers and must never reach a log line or the UI).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException


class HttpFailure(Exception):
    """No answer. `is_ambiguous`: the request went out and the answer was lost, so the
    platform may have acted on it (a retry could post twice)."""

    def __init__(self, message: str, *, is_ambiguous: bool = False):
        super().__init__(message)
        self.is_ambiguous = is_ambiguous


@dataclass
class JsonAnswer:
    status: int
    data: object  # the parsed JSON; {} for an empty body; None when it is not JSON
    headers: dict  # lower-case names
    body: bytes = b""  # as received (a service may answer with audio, not JSON)


def scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def json_request(
    method: str,
    url: str,
    *,
    platform: str,
    secret: str = "",
    body: bytes | dict | None = None,
    headers: dict | None = None,
    timeout: float = 10,
) -> JsonAnswer:
    """Send one request (a dict body is sent as UTF-8 JSON) and read the JSON answer,
    whatever its HTTP status: platforms explain refusals in the body."""
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
    request = urllib.request.Request(  # noqa: S310 - URLs come from settings, not users
        url, data=body, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw, got = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        status, raw, got = exc.code, exc.read(), dict(exc.headers or {})
    except urllib.error.URLError as exc:
        # urllib wraps only failures before the request was fully sent (connect, write):
        # the platform has not seen it, so a retry cannot act twice.
        reason = scrub(str(exc.reason), secret)[:200]
        raise HttpFailure(f"Không kết nối được tới {platform}: {reason}") from None
    except (OSError, HTTPException) as exc:
        raise HttpFailure(
            f"Mất kết nối với {platform} khi chờ trả lời: {scrub(str(exc), secret)[:200]}",
            is_ambiguous=True,
        ) from None
    try:
        data = json.loads(raw.decode("utf-8")) if raw else {}
    except (UnicodeDecodeError, ValueError):
        data = None
    return JsonAnswer(status, data, {k.lower(): v for k, v in got.items()}, raw)


def error_detail(data: object, *, secret: str = "") -> tuple[str, str]:
    """(code, message) of a platform's refusal: Graph API and Google APIs nest them in
    {"error": {"code", "message"}}, Zalo puts {"error": <code>, "message"} at the top."""
    code, detail = "", ""
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            code, detail = error.get("code", ""), error.get("message", "")
        else:
            code, detail = error, data.get("message", "")
    elif data is None:
        detail = "phản hồi không phải JSON"
    return str(code or ""), scrub(str(detail or ""), secret)[:200]
