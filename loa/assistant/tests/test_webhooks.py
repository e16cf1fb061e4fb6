"""Messenger and Zalo OA webhooks, and the replies sent back to an imitation of each platform."""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from loa.assistant import services, webhooks
from loa.assistant.answering import Answer, Citation
from loa.assistant.channels_out import ChannelError, send_messenger, send_zalo
from loa.assistant.jobs import REPLY_MAX_ATTEMPTS, reply_send_job
from loa.assistant.models import Conversation, Exchange
from loa.core.models import Ward
from loa.core.services import ward_address_set
from loa.core.testing.platforms import PlatformImitation, no_proxy
from loa.core.tests.factories import WardFactory

APP_SECRET = "messenger-app-secret"
VERIFY_TOKEN = "verify-me"
PAGE_TOKEN = "PAGE-TOKEN-123"
ZALO_APP_ID = "2553928453557884079"
ZALO_SECRET = "zalo-oa-secret"
ZALO_TOKEN = "ZALO-TOKEN-456"
BASE_URL = "https://phuong.example.vn"


class MessagingImitation(PlatformImitation):
    """A local stand-in for the Graph API and the Zalo OA API: records requests, answers canned."""

    def __init__(self):
        super().__init__(
            {
                "zalo": {
                    "error": 0,
                    "message": "Success",
                    "data": {"message_id": "z1"},
                },
                "*": {"recipient_id": "psid", "message_id": "m_1"},  # Messenger
            }
        )

    def texts(self) -> list[str]:
        return [r["json"]["message"]["text"] for r in self.requests]


@pytest.fixture
def platform(settings, monkeypatch):
    imitation = MessagingImitation().start()
    no_proxy(monkeypatch)
    settings.LOA_MESSENGER_API_URL = f"{imitation.url}/v21.0"
    settings.LOA_ZALO_API_URL = f"{imitation.url}/zalo"
    yield imitation
    imitation.stop()


@pytest.fixture(autouse=True)
def _channels(settings, monkeypatch):
    settings.LOA_MESSENGER_APP_SECRET = APP_SECRET
    settings.LOA_MESSENGER_VERIFY_TOKEN = VERIFY_TOKEN
    settings.LOA_MESSENGER_PAGE_TOKEN = PAGE_TOKEN
    settings.LOA_ZALO_APP_ID = ZALO_APP_ID
    settings.LOA_ZALO_OA_SECRET = ZALO_SECRET
    settings.LOA_ZALO_ACCESS_TOKEN = ZALO_TOKEN
    settings.LOA_WEBHOOK_WARD = ""
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    # The per-minute rate window must not roll over in the middle of a test.
    monkeypatch.setattr(
        services,
        "time",
        SimpleNamespace(time=lambda: 1_800_000_000.0, perf_counter=time.perf_counter),
    )


@pytest.fixture
def fresh_cache(db):
    cache.clear()


def now_ms() -> int:
    """The platforms' timestamps: milliseconds since the epoch."""
    return int(time.time() * 1000)


def messenger_event(
    text=None, *, sender="psid-1", mid="mid.1", timestamp=None, **message
):
    if text is not None:
        message["text"] = text
    message.setdefault("mid", mid)
    # Stamped now: events older than the replay window are ignored.
    timestamp = now_ms() if timestamp is None else timestamp
    return {
        "object": "page",
        "entry": [
            {
                "id": "page-1",
                "time": timestamp,
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": "page-1"},
                        "timestamp": timestamp,
                        "message": message,
                    }
                ],
            }
        ],
    }


def post_messenger(client, payload, *, signature="sign", secret=APP_SECRET, body=None):
    body = (
        body if body is not None else json.dumps(payload, ensure_ascii=False).encode()
    )
    headers = {}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = (
            "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        )
    elif signature:
        headers["X-Hub-Signature-256"] = signature
    return client.post(
        reverse("assistant:messenger_webhook"),
        data=body,
        content_type="application/json",
        headers=headers,
    )


def zalo_event(
    text=None,
    *,
    event="user_send_text",
    sender="zuser-1",
    msg_id="zmsg-1",
    timestamp=None,
):
    message = {"msg_id": msg_id}
    if text is not None:
        message["text"] = text
    return {
        "app_id": ZALO_APP_ID,
        "user_id_by_app": "979122185046046317",
        "event_name": event,
        "sender": {"id": sender},
        "recipient": {"id": "oa-1"},
        "message": message,
        # Stamped now: events older than the replay window are ignored.
        "timestamp": str(now_ms() if timestamp is None else timestamp),
    }


def post_zalo(client, payload, *, signature="sign", secret=ZALO_SECRET):
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {}
    if signature == "sign":
        mac = hashlib.sha256(
            ZALO_APP_ID.encode()
            + body
            + payload["timestamp"].encode()
            + secret.encode()
        )
        headers["X-ZEvent-Signature"] = "mac=" + mac.hexdigest()
    elif signature:
        headers["X-ZEvent-Signature"] = signature
    return client.post(
        reverse("assistant:zalo_webhook"),
        data=body,
        content_type="application/json",
        headers=headers,
    )


# ------------------------------------------------------------------ Messenger verification


def test_messenger_verification_echoes_the_challenge_for_the_right_token(client):
    response = client.get(
        reverse("assistant:messenger_webhook"),
        {
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert response.status_code == 200 and response.content == b"1158201444"


def test_messenger_verification_refuses_a_wrong_token(client):
    response = client.get(
        reverse("assistant:messenger_webhook"),
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "guess",
            "hub.challenge": "1158201444",
        },
    )
    assert response.status_code == 403 and b"1158201444" not in response.content


@pytest.mark.django_db
def test_unconfigured_channels_are_not_found(client, settings):
    settings.LOA_MESSENGER_APP_SECRET = settings.LOA_MESSENGER_VERIFY_TOKEN = ""
    settings.LOA_ZALO_OA_SECRET = ""
    assert (
        post_messenger(client, messenger_event("xin chào"), secret="").status_code
        == 404
    )
    assert (
        client.get(
            reverse("assistant:messenger_webhook"),
            {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        ).status_code
        == 404
    )
    assert post_zalo(client, zalo_event("xin chào")).status_code == 404
    assert Exchange.objects.count() == 0


# ------------------------------------------------------------------ Messenger messages


@pytest.mark.django_db
def test_signed_messenger_message_is_answered_through_the_send_api(
    client, platform, fresh_cache, small_kb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_messenger(
            client, messenger_event("cong dich vu cong quoc gia la gi")
        )
    assert response.status_code == 200
    [sent] = platform.requests
    assert sent["path"] == "/v21.0/me/messages" and sent["query"]["access_token"] == [
        PAGE_TOKEN
    ]
    assert (
        sent["json"]["recipient"] == {"id": "psid-1"}
        and sent["json"]["messaging_type"] == "RESPONSE"
    )
    assert "nộp hồ sơ thủ tục hành chính trực tuyến" in sent["json"]["message"]["text"]
    assert "Nguồn: " in sent["json"]["message"]["text"]
    exchange = Exchange.objects.get()
    assert exchange.conversation.channel == Conversation.Channel.MESSENGER
    assert exchange.conversation.external_user == "psid-1"


@pytest.mark.django_db
def test_messenger_message_gets_a_reply_even_with_an_empty_knowledge_base(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, messenger_event("thủ tục cấp sổ đỏ mất bao lâu"))
    [text] = platform.texts()
    assert text.strip() and len(text) <= 2000
    assert Exchange.objects.get().answered is False


@pytest.mark.django_db
def test_messenger_message_with_a_bad_signature_is_refused_and_not_stored(
    client, platform, fresh_cache
):
    response = post_messenger(
        client, messenger_event("xin chào"), signature="sha256=" + "0" * 64
    )
    assert response.status_code == 403
    assert Exchange.objects.count() == 0 and Conversation.objects.count() == 0
    assert platform.requests == []


@pytest.mark.django_db
def test_messenger_message_signed_with_another_secret_is_refused(
    client, platform, fresh_cache
):
    assert (
        post_messenger(
            client, messenger_event("xin chào"), secret="not-the-secret"
        ).status_code
        == 403
    )
    assert Exchange.objects.count() == 0


@pytest.mark.django_db
def test_messenger_message_without_a_signature_is_refused(
    client, platform, fresh_cache
):
    assert (
        post_messenger(client, messenger_event("xin chào"), signature=None).status_code
        == 403
    )
    assert Exchange.objects.count() == 0 and platform.requests == []


@pytest.mark.django_db
def test_malformed_messenger_body_is_a_bad_request_in_vietnamese(client, fresh_cache):
    response = post_messenger(client, None, body=b'{"object": "page", "entry": [')
    assert response.status_code == 400 and "JSON" in response.content.decode()
    assert Exchange.objects.count() == 0


@pytest.mark.django_db
def test_echoes_and_receipts_are_ignored(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    payload = {
        "object": "page",
        "entry": [
            {
                "id": "page-1",
                "time": now_ms(),
                "messaging": [
                    {
                        "sender": {"id": "page-1"},
                        "recipient": {"id": "psid-1"},
                        "message": {
                            "mid": "m.echo",
                            "text": "trả lời cũ",
                            "is_echo": True,
                        },
                    },
                    {
                        "sender": {"id": "psid-1"},
                        "recipient": {"id": "page-1"},
                        "delivery": {"mids": ["m.x"], "watermark": 1},
                    },
                    {
                        "sender": {"id": "psid-1"},
                        "recipient": {"id": "page-1"},
                        "read": {"watermark": 1},
                    },
                ],
            }
        ],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post_messenger(client, payload)
    assert response.status_code == 200
    assert Exchange.objects.count() == 0 and platform.requests == []


@pytest.mark.django_db
def test_sticker_on_messenger_gets_the_text_only_note(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    sticker = messenger_event(
        sticker_id=369239263222822,
        attachments=[{"type": "image", "payload": {"url": "https://x/y.png"}}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, sticker)
    assert platform.texts() == [webhooks.NON_TEXT_NOTE]
    assert "Trợ lý hiện chỉ đọc được tin nhắn chữ." in webhooks.NON_TEXT_NOTE
    assert Exchange.objects.count() == 0


@pytest.mark.django_db
def test_redelivered_message_is_answered_once(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    payload = messenger_event("DVC là gì", mid="mid.same")
    with django_capture_on_commit_callbacks(execute=True):
        first = post_messenger(client, payload)
    with django_capture_on_commit_callbacks(execute=True):
        again = post_messenger(client, payload)
    assert first.status_code == again.status_code == 200
    assert Exchange.objects.count() == 1 and len(platform.requests) == 1


@pytest.mark.django_db
def test_sender_over_the_rate_limit_gets_one_polite_note_then_nothing(
    client, platform, fresh_cache, settings, django_capture_on_commit_callbacks
):
    settings.LOA_ASSISTANT_RATE_PER_MINUTE = 2
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            post_messenger(client, messenger_event(f"câu hỏi số {n}", mid=f"mid.{n}"))
    texts = platform.texts()
    assert (
        len(texts) == 3
        and texts[2] == webhooks.RATE_NOTE
        and "hỏi quá nhanh" in texts[2]
    )
    assert Exchange.objects.count() == 2


@pytest.mark.django_db
def test_rate_limit_of_one_sender_leaves_others_alone(
    client, platform, fresh_cache, settings, django_capture_on_commit_callbacks
):
    settings.LOA_ASSISTANT_RATE_PER_MINUTE = 1
    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, messenger_event("câu một", sender="a", mid="m.a1"))
        post_messenger(client, messenger_event("câu hai", sender="a", mid="m.a2"))
        post_messenger(client, messenger_event("câu ba", sender="b", mid="m.b1"))
    assert Exchange.objects.filter(conversation__external_user="b").count() == 1


@pytest.mark.django_db
def test_follow_up_from_the_same_sender_continues_the_conversation(
    client, platform, fresh_cache, small_kb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(
            client, messenger_event("kich hoat vneid muc 2 o dau", mid="m.1")
        )
        post_messenger(client, messenger_event("cần mang giấy tờ gì?", mid="m.2"))
        post_messenger(
            client, messenger_event("xin chào", sender="psid-other", mid="m.3")
        )
    mine = Conversation.objects.get(external_user="psid-1")
    assert mine.exchanges.count() == 2
    assert (
        Conversation.objects.filter(channel=Conversation.Channel.MESSENGER).count() == 2
    )


@pytest.mark.django_db
def test_sender_back_after_a_day_starts_a_new_conversation(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, messenger_event("DVC là gì", mid="m.1"))
    Exchange.objects.update(created_at=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, messenger_event("DVC là gì", mid="m.2"))
    assert Conversation.objects.filter(external_user="psid-1").count() == 2


@pytest.mark.django_db
def test_reply_carries_the_answer_and_two_sources_with_absolute_links(
    client, platform, fresh_cache, monkeypatch, django_capture_on_commit_callbacks
):
    # Loa's own pages are linked on the address of the ward the chat belongs to.
    ward_address_set(ward=WardFactory(), address=BASE_URL)
    answer = Answer(
        text="Bạn mở ứng dụng VNeID và chọn Kích hoạt.",
        answered=True,
        kind="extractive",
        citations=[
            Citation(
                source="Bộ Công an",
                title="Hướng dẫn VNeID",
                url="/tro-ly/huong-dan/vneid/",
                quote="",
            ),
            Citation(
                source="Bộ Công an",
                title="Hướng dẫn VNeID",
                url="/tro-ly/huong-dan/vneid/",
                quote="",
            ),
            Citation(
                source="Cổng DVC",
                title="Dịch vụ công",
                url="https://dichvucong.gov.vn",
                quote="",
            ),
            Citation(source="Khác", title="Nguồn thứ ba", url=None, quote=""),
        ],
    )
    monkeypatch.setattr(
        services, "question_answer", lambda **kwargs: SimpleNamespace(answer=answer)
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, messenger_event("kích hoạt VNeID"))
    [text] = platform.texts()
    assert text == (
        "Bạn mở ứng dụng VNeID và chọn Kích hoạt.\n\n"
        f"Nguồn: Hướng dẫn VNeID – {BASE_URL}/tro-ly/huong-dan/vneid/\n"
        "Nguồn: Dịch vụ công – https://dichvucong.gov.vn"
    )


def test_long_answer_is_trimmed_to_the_platform_limit_keeping_its_sources():
    answer = Answer(
        text="Chữ " * 1000,
        answered=True,
        kind="extractive",
        citations=[Citation(source="S", title="Hướng dẫn", url="/a/", quote="")],
    )
    text = webhooks.format_reply(answer, limit=2000, ward=Ward(public_address=BASE_URL))
    assert len(text) <= 2000
    assert text.endswith(f"Nguồn: Hướng dẫn – {BASE_URL}/a/") and "…" in text


# ------------------------------------------------------------------ Zalo


@pytest.mark.django_db
def test_signed_zalo_message_is_answered_through_the_cs_message_api(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_zalo(client, zalo_event("dịch vụ công trực tuyến là gì"))
    assert response.status_code == 200
    [sent] = platform.requests
    assert (
        sent["path"] == "/zalo/v3.0/oa/message/cs"
        and sent["headers"]["access_token"] == ZALO_TOKEN
    )
    assert (
        sent["json"]["recipient"] == {"user_id": "zuser-1"}
        and sent["json"]["message"]["text"].strip()
    )
    assert Exchange.objects.get().conversation.channel == Conversation.Channel.ZALO


@pytest.mark.django_db
def test_zalo_message_with_an_invalid_signature_is_refused(
    client, platform, fresh_cache
):
    assert (
        post_zalo(
            client, zalo_event("xin chào"), secret="not-the-oa-secret"
        ).status_code
        == 403
    )
    assert (
        post_zalo(
            client, zalo_event("xin chào"), signature="mac=" + "0" * 64
        ).status_code
        == 403
    )
    assert post_zalo(client, zalo_event("xin chào"), signature=None).status_code == 403
    assert Exchange.objects.count() == 0 and platform.requests == []


@pytest.mark.django_db
def test_zalo_body_changed_after_signing_is_refused(client, fresh_cache):
    payload = zalo_event("xin chào")
    body = json.dumps(payload).encode()
    mac = hashlib.sha256(
        ZALO_APP_ID.encode()
        + body
        + payload["timestamp"].encode()
        + ZALO_SECRET.encode()
    ).hexdigest()
    tampered = body.replace(b"zuser-1", b"zuser-2")
    response = client.post(
        reverse("assistant:zalo_webhook"),
        data=tampered,
        content_type="application/json",
        headers={"X-ZEvent-Signature": f"mac={mac}"},
    )
    assert response.status_code == 403 and Exchange.objects.count() == 0


@pytest.mark.django_db
def test_image_on_zalo_gets_the_text_only_note(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_zalo(client, zalo_event(event="user_send_image"))
    assert platform.texts() == [webhooks.NON_TEXT_NOTE]


@pytest.mark.django_db
def test_zalo_follow_and_seen_events_are_ignored(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_zalo(client, zalo_event(event="follow")).status_code == 200
        assert (
            post_zalo(
                client, zalo_event(event="user_seen_message", msg_id="z2")
            ).status_code
            == 200
        )
    assert platform.requests == [] and Exchange.objects.count() == 0


@pytest.mark.django_db
def test_redelivered_zalo_message_is_answered_once(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            post_zalo(client, zalo_event("DVC là gì", msg_id="z-same"))
    assert Exchange.objects.count() == 1 and len(platform.requests) == 1


# ------------------------------------------------------------------ sending and retries


def test_zalo_error_code_in_a_200_answer_raises_channel_error(platform):
    platform.answer_next(
        None, 200, {"error": -216, "message": "Access token is invalid"}
    )
    with pytest.raises(ChannelError) as caught:
        send_zalo("zuser-1", "xin chào")
    assert "-216" in str(caught.value) and ZALO_TOKEN not in str(caught.value)


def test_graph_api_error_raises_channel_error_without_the_token(platform):
    platform.answer_next(
        None,
        400,
        {
            "error": {
                "message": "Invalid OAuth access token.",
                "type": "OAuthException",
                "code": 190,
            }
        },
    )
    with pytest.raises(ChannelError) as caught:
        send_messenger("psid-1", "xin chào")
    assert "190" in str(caught.value) and PAGE_TOKEN not in str(caught.value)


def test_unreachable_platform_raises_channel_error(settings):
    settings.LOA_ZALO_API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(ChannelError):
        send_zalo("zuser-1", "xin chào")


def test_send_is_trimmed_to_the_platform_limit(platform):
    send_messenger("psid-1", "a" * 5000)
    assert len(platform.texts()[0]) == 2000


def test_failed_reply_is_retried_a_bounded_number_of_times_then_logged(
    platform, caplog
):
    platform.answer_next(
        None, 200, {"error": -32, "message": "Rate limit exceeded"}, times=10
    )
    with caplog.at_level(logging.WARNING, logger="loa.assistant.jobs"):
        reply_send_job.enqueue("zalo", "zuser-1", "xin chào")
    assert len(platform.requests) == REPLY_MAX_ATTEMPTS
    [record] = [r for r in caplog.records if r.name == "loa.assistant.jobs"]
    assert "zalo" in record.getMessage() and ZALO_TOKEN not in record.getMessage()


def test_failed_reply_goes_through_on_a_later_attempt(platform):
    platform.answer_next(None, 500, {"error": {"message": "Temporary", "code": 2}})
    reply_send_job.enqueue("messenger", "psid-1", "xin chào")
    assert len(platform.requests) == 2 and platform.texts() == ["xin chào", "xin chào"]
