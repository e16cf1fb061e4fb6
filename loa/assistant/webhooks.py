"""Webhooks of Facebook Messenger and Zalo OA: verify, answer, and reply through a job.

What the platforms send and expect, and where it is documented:

Facebook Messenger — Meta, "Webhooks for Messenger Platform"
(https://developers.facebook.com/docs/messenger-platform/webhook-reference) and "Webhooks:
Get Started" (https://developers.facebook.com/docs/graph-api/webhooks/getting-started):
- Verification: ``GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…``; answer the
  challenge (as is, 200) when the token is the one set in the App Dashboard, 403 otherwise.
- Events: ``POST {"object": "page", "entry": [{"id", "time", "messaging": [{"sender":
  {"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp", "message": {"mid", "text"}}]}]}``.
  Deliveries are batched (several entries and events per request). The page's own messages
  come back as echoes (``message.is_echo``); delivery and read receipts carry ``delivery`` /
  ``read`` instead of ``message``; images and stickers come as ``message.attachments``
  (stickers also ``message.sticker_id``) without ``text``.
- Signature: header ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed
  with the app secret>``; checked on the raw bytes before parsing.
- Answer 200 quickly; Meta redelivers events that fail or time out, so ``mid`` is deduplicated.
  ``entry.time`` and ``messaging[].timestamp`` are in milliseconds since the epoch.
- Replies: Send API (https://developers.facebook.com/docs/messenger-platform/reference/send-api),
  see ``channels_out.send_messenger``; text up to 2000 characters.

Zalo Official Account — Zalo for Developers, OA webhook ("Xác thực sự kiện webhook"); the
payload as shown in integration docs of Zalo OA partners (e.g. docs.a4b.vn, XBot "Zalo push")
and read by chatwoot (``app/services/zalo/incoming_message_service.rb``):
- Events: ``POST {"app_id", "user_id_by_app", "event_name": "user_send_text", "sender":
  {"id": USER_ID}, "recipient": {"id": OA_ID}, "message": {"msg_id", "text"},
  "timestamp": "1699003881354"}``; other messages are ``user_send_image``,
  ``user_send_sticker``, ``user_send_gif``, ``user_send_file``, ``user_send_audio``,
  ``user_send_video``, ``user_send_location``, ``user_send_link``; receipts are
  ``user_received_message`` / ``user_seen_message``.
- Signature: header ``X-ZEvent-Signature: mac=<hex SHA-256(app_id + raw body + timestamp +
  OA secret key)>`` — a plain SHA-256 over the concatenation, not an HMAC; ``timestamp`` is
  the field of the body; the key is the OA secret key, not the app secret. The formula is the
  one chatwoot verifies (``app/jobs/webhooks/zalo_events_job.rb``: ``"mac=#{sha256(app_id +
  post_body + timestamp + oa_secret_key)}"``) and the order described in
  https://hainh.me/zalo-api-php-webhook-callback-official-account.html (app id, JSON body,
  timestamp from that JSON, OA secret key). Because the timestamp sits inside the body, the
  body is parsed before the check; a malformed body is refused (400) without being used.
- Answer 200 within 2 seconds; Zalo redelivers otherwise (for up to 12 hours, same source),
  so ``msg_id`` is deduplicated. ``timestamp`` is in milliseconds since the epoch.
- Replies: OA API v3 customer-service message, see ``channels_out.send_zalo``.

Replays: a signed event captured once stays validly signed forever. An event is answered
only if its platform timestamp is within ``LOA_WEBHOOK_MAX_AGE_SECONDS`` of now, and its
message id is remembered for longer than that window can admit it, so a replay inside the
window is caught as a duplicate and one after it as too old.

The answer itself is computed here (retrieval is fast); the network call to the platform
runs in ``reply_send_job`` after the transaction commits.
"""

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
)
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from loa.channels.services import followers
from loa.core.selectors import ward_for_public

from . import services
from .api import lesson_url
from .channels_out import MESSENGER_TEXT_LIMIT, ZALO_TEXT_LIMIT
from .jobs import reply_send_job
from .models import Conversation

logger = logging.getLogger(__name__)

NON_TEXT_NOTE = (
    "Trợ lý hiện chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi bằng chữ nhé."
)
RATE_NOTE = (
    "Bạn đang hỏi quá nhanh. Vui lòng đợi khoảng một phút rồi gửi câu hỏi tiếp theo. "
    "Xin cảm ơn!"
)
BAD_JSON = "Dữ liệu gửi tới không phải JSON hợp lệ."
BAD_SIGNATURE = "Chữ ký không hợp lệ."
NOT_CONFIGURED = "Kênh này chưa được bật."

# A message id seen within this time is a platform's redelivery, not a new question.
# Never shorter than twice the replay window, see _seen_ttl().
SEEN_TTL_SECONDS = 24 * 60 * 60
# How old (or how far ahead of our clock) a platform's timestamp may be; the setting
# LOA_WEBHOOK_MAX_AGE_SECONDS overrides it.
MAX_AGE_SECONDS = 60 * 60
# The rate-limit note is sent at most once per window of the per-minute allowance.
RATE_NOTE_TTL_SECONDS = 60
# A sender's next message continues their conversation if the last exchange is this recent.
CONVERSATION_GAP = timedelta(hours=24)
MAX_SOURCES = 2

TEXT_LIMITS = {
    Conversation.Channel.MESSENGER: MESSENGER_TEXT_LIMIT,
    Conversation.Channel.ZALO: ZALO_TEXT_LIMIT,
}
ZALO_NON_TEXT_EVENTS = {
    "user_send_image",
    "user_send_sticker",
    "user_send_gif",
    "user_send_file",
    "user_send_audio",
    "user_send_video",
    "user_send_location",
    "user_send_link",
    "user_send_business_card",
}


@dataclass
class Incoming:
    channel: str
    sender_id: str
    message_id: str
    text: str | None  # None: not a text message (image, sticker, file…)


# ------------------------------------------------------------------ views


@csrf_exempt
@require_http_methods(["GET", "POST"])
def messenger_webhook(request):
    if request.method == "GET":
        return _messenger_verify(request)
    secret = settings.LOA_MESSENGER_APP_SECRET
    if not secret:
        return HttpResponseNotFound(NOT_CONFIGURED)
    body = request.body
    if not _messenger_signature_ok(
        body, request.headers.get("X-Hub-Signature-256", ""), secret
    ):
        return HttpResponseForbidden(BAD_SIGNATURE)
    payload = _load_json(body)
    if payload is None:
        return HttpResponseBadRequest(BAD_JSON)
    if payload.get("object") == "page":
        for incoming in _messenger_messages(payload):
            _handle(incoming)
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


@csrf_exempt
@require_POST
def zalo_webhook(request):
    secret, app_id = settings.LOA_ZALO_OA_SECRET, settings.LOA_ZALO_APP_ID
    if not (secret and app_id):
        return HttpResponseNotFound(NOT_CONFIGURED)
    body = request.body
    signature = request.headers.get("X-ZEvent-Signature", "")
    if not signature:
        return HttpResponseForbidden(BAD_SIGNATURE)
    payload = _load_json(body)
    if payload is None:
        return HttpResponseBadRequest(BAD_JSON)
    if not _zalo_signature_ok(body, payload, signature, app_id=app_id, secret=secret):
        return HttpResponseForbidden(BAD_SIGNATURE)
    if not _is_fresh(Conversation.Channel.ZALO, payload.get("timestamp")):
        return HttpResponse("OK", content_type="text/plain")
    incoming = _zalo_message(payload)
    if incoming is not None:
        _handle(incoming)
    return HttpResponse("OK", content_type="text/plain")


# ------------------------------------------------------------------ verification


def _messenger_verify(request) -> HttpResponse:
    token = settings.LOA_MESSENGER_VERIFY_TOKEN
    if not token:
        return HttpResponseNotFound(NOT_CONFIGURED)
    given = request.GET.get("hub.verify_token", "")
    if request.GET.get("hub.mode") == "subscribe" and hmac.compare_digest(
        given.encode(), token.encode()
    ):
        # text/plain so the echoed challenge can never be rendered as HTML.
        return HttpResponse(
            request.GET.get("hub.challenge", ""), content_type="text/plain"
        )
    return HttpResponseForbidden(BAD_SIGNATURE)


def _messenger_signature_ok(body: bytes, header: str, secret: str) -> bool:
    algorithm, _, given = header.partition("=")
    if algorithm != "sha256" or not given:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(given.strip().lower().encode(), expected.encode())


def _zalo_signature_ok(
    body: bytes, payload: dict, header: str, *, app_id: str, secret: str
) -> bool:
    timestamp = payload.get("timestamp", "")
    if isinstance(timestamp, bool) or not isinstance(timestamp, str | int):
        return False
    digest = hashlib.sha256(
        app_id.encode() + body + str(timestamp).encode() + secret.encode()
    ).hexdigest()
    return hmac.compare_digest(header.strip().encode(), f"mac={digest}".encode())


# ------------------------------------------------------------------ parsing


def _load_json(body: bytes) -> dict | None:
    try:
        payload = json.loads(body.decode("utf-8"))
    # RecursionError: arrays nested thousands deep, which Zalo's body (parsed before
    # its signature can be checked) would otherwise turn into a server error.
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(payload, dict) or not _is_storable(payload):
        return None
    return payload


def _is_storable(value) -> bool:
    """Tell whether every string in value can be hashed, stored and sent on.

    JSON may spell half of a surrogate pair ("\\ud83d") on its own: Python keeps it as a
    lone surrogate, which no database, hash or HTTP client can encode, so the request
    failed with a 500 and the platform redelivered it. Such a body is no more text than
    invalid UTF-8 bytes are, and neither platform sends one, so it is refused as
    malformed (400) before any part of it is used, like the JSON API does (loa.api).
    NUL is refused with it: PostgreSQL text cannot hold it.
    """
    pending = [value]  # a loop, not recursion: any nesting json.loads accepted
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                return False
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


def _max_age_seconds() -> int:
    return int(getattr(settings, "LOA_WEBHOOK_MAX_AGE_SECONDS", MAX_AGE_SECONDS))


def _seen_ttl() -> int:
    # Timestamps up to the window ahead of our clock are admitted (clock skew), so an
    # event can stay admissible for up to twice the window after it first arrives: its
    # id must be remembered at least that long.
    return max(SEEN_TTL_SECONDS, 2 * _max_age_seconds())


def _is_fresh(channel: str, *stamps) -> bool:
    """Tell whether an event's platform timestamps (milliseconds) are within the window.

    A stale event is ignored with a 200, not refused: the platforms redeliver whatever
    is not answered 200 (Zalo for up to 12 hours, Meta for hours too), so an error would
    make a late genuine delivery come back again and again, while a replayer learns
    nothing from the answer either way.

    An event without a timestamp is accepted: not every event type carries one (the
    platforms stamp their message events). Only the de-duplication guards such an
    event, for as long as its id is remembered.
    """
    now_ms = time.time() * 1000
    window_ms = _max_age_seconds() * 1000
    for stamp in stamps:
        if stamp is None or stamp == "":
            continue
        try:
            stamp_ms = int(stamp)
        except (TypeError, ValueError, OverflowError):
            stamp_ms = None
        if (
            isinstance(stamp, bool)
            or stamp_ms is None
            or abs(now_ms - stamp_ms) > window_ms
        ):
            logger.warning(
                "Ignored a %s webhook event outside the replay window (timestamp %r).",
                channel,
                str(stamp)[:20],
            )
            return False
    return True


def _dig(data, *keys) -> str:
    for key in keys:
        if not isinstance(data, dict):
            return ""
        data = data.get(key)
    return (
        str(data) if isinstance(data, str | int) and not isinstance(data, bool) else ""
    )


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


def _messenger_messages(payload: dict) -> list[Incoming]:
    messages = []
    for entry in _as_list(payload.get("entry")):
        if not isinstance(entry, dict):
            continue
        for event in _as_list(entry.get("messaging")):
            if not isinstance(event, dict):
                continue
            message = event.get("message")
            # Delivery and read receipts, postbacks and reactions carry no "message".
            if not isinstance(message, dict) or message.get("is_echo"):
                continue
            if not _is_fresh(
                Conversation.Channel.MESSENGER,
                event.get("timestamp"),
                entry.get("time"),
            ):
                continue
            text = message.get("text")
            messages.append(
                Incoming(
                    channel=Conversation.Channel.MESSENGER,
                    sender_id=_dig(event, "sender", "id"),
                    message_id=_dig(message, "mid"),
                    text=text if isinstance(text, str) else None,
                )
            )
    return messages


def _zalo_message(payload: dict) -> Incoming | None:
    event = payload.get("event_name")
    if event == "user_send_text":
        message = payload.get("message")
        text = message.get("text") if isinstance(message, dict) else None
        text = text if isinstance(text, str) else None
    elif event in ZALO_NON_TEXT_EVENTS:
        text = None
    else:  # follows, receipts, the OA's own messages, anonymous users…
        return None
    return Incoming(
        channel=Conversation.Channel.ZALO,
        sender_id=_dig(payload, "sender", "id"),
        message_id=_dig(payload, "message", "msg_id"),
        text=text,
    )


# ------------------------------------------------------------------ answering


def _handle(incoming: Incoming) -> None:
    """Answer one message once, and queue the reply to be sent after commit."""
    if not incoming.sender_id:
        return
    seen_key = ""
    if incoming.message_id:
        digest = hashlib.sha256(incoming.message_id.encode()).hexdigest()[:32]
        seen_key = f"assistant-webhook-seen:{incoming.channel}:{digest}"
        # The counters cache: strict (if Redis does not answer, the platform gets an
        # error and sends the message again later rather than it being taken for a
        # duplicate), and kept apart from the page cache, whose churn could otherwise
        # evict the key and let a replay be answered again.
        if not caches["counters"].add(seen_key, 1, timeout=_seen_ttl()):
            return  # a redelivery of a message already answered
    try:
        with transaction.atomic():
            follower = None
            if (
                incoming.channel == Conversation.Channel.ZALO
                and incoming.text is not None
            ):
                # Opens Zalo's 48-hour window for replies to this follower.
                follower = followers.touch(incoming.sender_id)
            reply = _reply_for(incoming, follower)
            if reply:
                channel, recipient = incoming.channel, incoming.sender_id
                transaction.on_commit(
                    lambda: reply_send_job.enqueue(str(channel), recipient, reply)
                )
    except BaseException:
        # Let the platform's redelivery try again rather than dropping the question.
        if seen_key:
            caches["counters"].delete(seen_key)
        raise


def _reply_for(incoming: Incoming, follower=None) -> str:
    sender_key = hashlib.sha256(
        f"{incoming.channel}:{incoming.sender_id}".encode()
    ).hexdigest()[:16]
    if services.rate_limit_exceeded(client_key=f"webhook:{sender_key}"):
        if caches["counters"].add(
            f"assistant-webhook-rate-note:{sender_key}", 1, RATE_NOTE_TTL_SECONDS
        ):
            return RATE_NOTE
        return ""
    if incoming.text is None:
        return NON_TEXT_NOTE
    question = incoming.text.strip()
    if not question:
        return ""
    ward = ward_for_public(settings.LOA_WEBHOOK_WARD or None)
    hint = ""
    if follower is not None:
        # The short flow to choose a tổ dân phố answers instead of the assistant.
        group_reply = followers.group_reply(follower, ward, question)
        if group_reply is not None:
            return group_reply[: TEXT_LIMITS[incoming.channel]]
        hint = followers.hint_once(follower, ward)
    result = services.question_answer(
        question=question,
        conversation_id=_recent_conversation_id(incoming.channel, incoming.sender_id),
        channel=incoming.channel,
        ward=ward,
        external_user=incoming.sender_id,
    )
    # Links start with the address of the ward the conversation belongs to.
    ward = getattr(getattr(result, "conversation", None), "ward", None) or ward
    if not hint:
        return format_reply(
            result.answer, limit=TEXT_LIMITS[incoming.channel], ward=ward
        )
    limit = TEXT_LIMITS[incoming.channel] - len(hint) - 2
    return format_reply(result.answer, limit=limit, ward=ward) + "\n\n" + hint


def _recent_conversation_id(channel: str, sender_id: str):
    since = timezone.now() - CONVERSATION_GAP
    return (
        Conversation.objects.filter(
            channel=channel,
            external_user=sender_id[:200],
            exchanges__created_at__gte=since,
        )
        .order_by("-exchanges__created_at")
        .values_list("pk", flat=True)
        .first()
    )


def format_reply(answer, *, limit: int, ward=None) -> str:
    """Lay out an answer for a chat: the text, then up to two sources, within the limit.

    A source on Loa itself is linked on the ward's public address; with no ward to
    take an address from, such a source is named without its link.
    """
    footer: list[str] = []
    seen: set[tuple[str, str]] = set()
    for citation in answer.citations:
        title = (citation.title or citation.source or "").strip()
        url = _absolute_url(citation.url, ward)
        if not title or (title, url) in seen:
            continue
        seen.add((title, url))
        line = f"Nguồn: {title[:150]}"
        footer.append(f"{line} – {url}" if url else line)
        if len(footer) == MAX_SOURCES:
            break
    lesson = _absolute_url(lesson_url(answer.lesson_slug), ward)
    if lesson:
        footer.append(f"Bài học Bình dân học vụ số: {lesson}")
    tail = ("\n\n" + "\n".join(footer)) if footer else ""
    tail = tail[: limit // 2]  # the answer itself always keeps most of the room
    body = answer.text.strip()
    room = limit - len(tail)
    if len(body) > room:
        body = body[: room - 1].rstrip() + "…"
    return (body + tail)[:limit]


def _absolute_url(url: str | None, ward=None) -> str:
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    # A path alone is no link in a chat, and another host would be a guess.
    return ward.absolute_url(url) if ward is not None else ""
