"""What every channel adapter offers, the errors it raises, and shared text helpers."""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import strip_tags

from loa.core import http
from loa.vn import fold

TIMEOUT_SECONDS = 15
BASE_HASHTAGS = ["#ChuyenDoiSo", "#NQ57"]


@dataclass
class SendResult:
    external_id: str = ""
    external_url: str = ""
    reach: int | None = None


class AdapterError(Exception):
    """A send failed; the message is Vietnamese and free of secrets.

    `is_ambiguous` means the platform may have received the post (the connection broke
    after the request went out): retrying could post twice, so a person checks instead.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        is_retryable: bool = True,
        is_ambiguous: bool = False,
    ):
        super().__init__(message)
        self.retry_after = retry_after
        self.is_retryable = is_retryable
        self.is_ambiguous = is_ambiguous


class ManualOnly(Exception):  # noqa: N818 - a state, not a failure
    """This delivery cannot go through the API; staff post it by hand."""


class RuleWait(Exception):  # noqa: N818 - a state, not a failure
    """A platform rule forbids sending now; `until` is the next allowed moment (or None)."""

    def __init__(self, reason: str, until: datetime | None):
        super().__init__(reason)
        self.reason = reason
        self.until = until


@dataclass
class Adapter(ABC):
    """One channel: renders its own variant of an article and sends a delivery."""

    channel: str
    activity_channel: str
    label: str
    limit: int
    extra: dict = field(default_factory=dict)

    def is_configured(self) -> bool:
        return False

    @abstractmethod
    def render(self, page) -> str:
        """The channel's variant of the page, within the platform's limits."""

    def render_title(self, page) -> str:
        return page.title

    def send(self, delivery, *, now: datetime | None = None) -> SendResult:
        raise ManualOnly(f"Kênh {self.label} đăng thủ công.")


# ------------------------------------------------------------------ text


def page_link(page, *, ward=None) -> str:
    """The page's full link on its ward's public address (`ward`, else the page's own).

    An article-like stand-in that is no saved Wagtail page gives its own `full_url`.
    """
    from wagtail.models import Page

    from loa.content.wards import page_public_url

    if not isinstance(page, Page) or page.pk is None:
        return getattr(page, "full_url", "") or ""
    return page_public_url(page, ward=ward)


def page_parts(page) -> dict:
    """The pieces every rendering uses, read from an article-like page."""
    from loa.content.models import stream_text

    specific = getattr(page, "specific", page)
    tags = []
    if hasattr(specific, "tags"):
        try:
            tags = list(specific.tags.names())
        except ValueError:  # an unsaved page has no tags yet
            tags = []
    body = getattr(specific, "body", None)
    return {
        "title": specific.title.strip(),
        "sapo": strip_tags(getattr(specific, "sapo", "") or "").strip(),
        "body": body if isinstance(body, str) else stream_text(body),
        "url": page_link(specific),
        "tags": tags,
    }


def hashtag(text: str) -> str:
    """Turn a tag ("chuyển đổi số") into a hashtag platforms link (#ChuyenDoiSo)."""
    words = re.findall(r"\w+", fold(text))
    joined = "".join(w[:1].upper() + w[1:] for w in words)
    return f"#{joined}" if joined else ""


def hashtags(tags: list[str]) -> str:
    seen: list[str] = []
    for tag in BASE_HASHTAGS + [hashtag(t) for t in tags]:
        if tag and tag.lower() not in {s.lower() for s in seen}:
            seen.append(tag)
    return " ".join(seen)


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary within `limit` characters, ending with an ellipsis."""
    text = re.sub(r"[ \t]+", " ", text).strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[:limit]
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def compose(*, head: list[str], body: str, tail: list[str], limit: int) -> str:
    """Head and tail kept whole; the body shortened to fill what room is left."""
    head_text = "\n\n".join(p for p in head if p)
    tail_text = "\n\n".join(p for p in tail if p)
    fixed = len(head_text) + len(tail_text) + 4
    room = limit - fixed
    parts = [head_text]
    if body and room > 40:
        parts.append(shorten(body, room))
    parts.append(tail_text)
    text = "\n\n".join(p for p in parts if p)
    return text if len(text) <= limit else shorten(text, limit)


# ------------------------------------------------------------------ HTTP


def request_json(
    method: str,
    url: str,
    *,
    platform: str,
    secret: str,
    body: bytes | None = None,
    headers: dict | None = None,
) -> tuple[int, object, dict]:
    """Send one request; return (status, parsed JSON or None, response headers).

    Connection failures raise AdapterError: refused before sending is safe to retry,
    a break after the request went out is ambiguous.
    """
    try:
        answer = http.json_request(
            method,
            url,
            platform=platform,
            secret=secret,
            body=body,
            headers=headers,
            timeout=TIMEOUT_SECONDS,
        )
    except http.HttpFailure as exc:
        raise AdapterError(str(exc), is_ambiguous=exc.is_ambiguous) from None
    return answer.status, answer.data, answer.headers


def http_error(platform: str, status: int, data: object, headers: dict, *, secret: str):
    """The AdapterError for a refused request: 429 and 5xx retry, other 4xx do not."""
    code, detail = http.error_detail(data, secret=secret)
    retry_after = None
    if headers.get("retry-after", "").strip().isdigit():
        retry_after = float(headers["retry-after"].strip())
    is_rate_limit = status == 429 or code in {"4", "17", "32", "613", "-32"}
    message = f"{platform} từ chối (HTTP {status}, mã lỗi {code or '?'}): {detail}"
    if is_rate_limit:
        message = f"{platform} báo gửi quá nhanh, sẽ thử lại sau. " + message
    return AdapterError(
        message,
        retry_after=retry_after,
        is_retryable=is_rate_limit or status >= 500,
    )


scrub = http.scrub
