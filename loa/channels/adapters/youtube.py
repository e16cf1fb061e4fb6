"""YouTube: a video's title (≤100) and description (≤5,000), uploaded with the Data API.

``POST {LOA_YOUTUBE_API_URL}/upload/youtube/v3/videos?part=snippet,status&uploadType=
multipart`` with ``Authorization: Bearer <token>`` and a ``multipart/related`` body (the
JSON resource, then the video bytes) answers ``{"id": VIDEO_ID}``; errors are HTTP 4xx/5xx
with ``{"error": {"code", "message"}}`` (quota: 403 ``quotaExceeded``; rate: 429).
A page without a video (`page.video`, a file) goes to manual mode.
"""

import json
import re
import uuid

from django.conf import settings

from .base import (
    Adapter,
    ManualOnly,
    SendResult,
    compose,
    hashtags,
    http_error,
    page_parts,
    request_json,
    shorten,
)

TITLE_LIMIT = 100
TEXT_LIMIT = 5_000


def page_video(page):
    """The page's video file, if it has one (articles carry none yet)."""
    video = getattr(getattr(page, "specific", page), "video", None)
    if video is None or hasattr(video, "read"):
        return video
    return getattr(video, "file", None)  # a Wagtail document


class YouTubeAdapter(Adapter):
    def __init__(self):
        super().__init__(
            channel="youtube",
            activity_channel="youtube",
            label="YouTube",
            limit=TEXT_LIMIT,
        )

    def is_configured(self) -> bool:
        return bool(settings.LOA_YOUTUBE_ACCESS_TOKEN)

    def render_title(self, page) -> str:
        # YouTube refuses "<" and ">" in titles.
        return shorten(re.sub(r"[<>]", "", page_parts(page)["title"]), TITLE_LIMIT)

    def render(self, page) -> str:
        parts = page_parts(page)
        text = compose(
            head=[
                parts["sapo"],
                f"Đọc toàn văn: {parts['url']}" if parts["url"] else "",
            ],
            body=parts["body"],
            tail=[hashtags(parts["tags"])],
            limit=TEXT_LIMIT,
        )
        return re.sub(r"[<>]", "", text)

    def send(self, delivery, *, now=None) -> SendResult:
        video = page_video(delivery.page)
        if video is None:
            raise ManualOnly(
                "Bài không có video: tải video lên YouTube thủ công rồi dán đường dẫn."
            )
        token = settings.LOA_YOUTUBE_ACCESS_TOKEN
        resource = {
            "snippet": {
                "title": delivery.title[:TITLE_LIMIT],
                "description": delivery.variant[:TEXT_LIMIT],
                "defaultLanguage": "vi",
            },
            "status": {"privacyStatus": "public"},
        }
        video.open("rb")
        try:
            data_bytes = video.read()
        finally:
            video.close()
        boundary = uuid.uuid4().hex
        body = (
            f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".encode()
            + json.dumps(resource, ensure_ascii=False).encode("utf-8")
            + f"\r\n--{boundary}\r\nContent-Type: video/*\r\n\r\n".encode()
            + data_bytes
            + f"\r\n--{boundary}--\r\n".encode()
        )
        url = (
            f"{settings.LOA_YOUTUBE_API_URL.rstrip('/')}/upload/youtube/v3/videos"
            "?part=snippet,status&uploadType=multipart"
        )
        status, data, headers = request_json(
            "POST",
            url,
            platform="YouTube",
            secret=token,
            body=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": f"multipart/related; boundary={boundary}",
            },
        )
        if status >= 400 or not isinstance(data, dict) or not data.get("id"):
            raise http_error("YouTube", status, data, headers, secret=token)
        video_id = str(data["id"])
        return SendResult(
            external_id=video_id,
            external_url=f"https://www.youtube.com/watch?v={video_id}",
        )
