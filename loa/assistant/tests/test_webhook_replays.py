"""Webhook bodies that are not text, replays of signed events, and where duplicates are kept."""

import hashlib
import json
import logging

import pytest
from django.core.cache import caches
from django.urls import reverse

from loa.assistant import services, webhooks
from loa.assistant.models import Conversation, Exchange
from loa.assistant.tests import test_webhooks as signed
from loa.assistant.tests.test_webhooks import (
    ZALO_APP_ID,
    ZALO_SECRET,
    messenger_event,
    now_ms,
    post_messenger,
    post_zalo,
    zalo_event,
)

# The signed-request fixtures of the webhook tests: the settings of both channels
# (autouse), the imitation of the platforms' APIs and a cleared cache.
_channels = signed._channels
platform = signed.platform
fresh_cache = signed.fresh_cache

LONE_SURROGATE = "\ud83d"  # the first half of an emoji's surrogate pair, on its own
TWO_YEARS_MS = 2 * 365 * 24 * 60 * 60 * 1000


def post_zalo_body(client, body: bytes, timestamp: str):
    """Post a raw Zalo body, signed as Zalo signs it."""
    mac = hashlib.sha256(
        ZALO_APP_ID.encode() + body + timestamp.encode() + ZALO_SECRET.encode()
    ).hexdigest()
    return client.post(
        reverse("assistant:zalo_webhook"),
        data=body,
        content_type="application/json",
        headers={"X-ZEvent-Signature": f"mac={mac}"},
    )


def churn_other_caches(entries: int = 2000) -> None:
    """Fill the page and default caches the way a crawl of the portal would."""
    for alias in ("default", "pages"):
        for n in range(entries):
            caches[alias].set(f"page-view:/tin-tuc/{n}/", "<html>…</html>", 3600)


# ------------------------------------------------------------------ lone surrogates


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["text", "sender", "msg_id"])
def test_signed_zalo_message_with_a_lone_surrogate_is_a_bad_request(
    client, platform, fresh_cache, django_capture_on_commit_callbacks, where
):
    payload = zalo_event("xin chào", msg_id="z-surrogate")
    if where == "text":
        payload["message"]["text"] = f"hỏi {LONE_SURROGATE}"
    elif where == "sender":
        payload["sender"]["id"] = f"zuser-{LONE_SURROGATE}"
    else:
        payload["message"]["msg_id"] = f"z-{LONE_SURROGATE}"
    # ensure_ascii spells the lone half as "\ud83d", as a JSON body on the wire would.
    body = json.dumps(payload).encode()
    assert b"\\ud83d" in body

    with django_capture_on_commit_callbacks(execute=True):
        response = post_zalo_body(client, body, payload["timestamp"])

    assert response.status_code == 400
    assert "JSON" in response.content.decode()
    assert Exchange.objects.count() == 0 and platform.requests == []


@pytest.mark.django_db
def test_signed_messenger_message_with_a_lone_surrogate_is_a_bad_request(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    body = json.dumps(messenger_event(f"hỏi {LONE_SURROGATE} gì")).encode()
    assert b"\\ud83d" in body

    with django_capture_on_commit_callbacks(execute=True):
        response = post_messenger(client, None, body=body)

    assert response.status_code == 400
    assert Exchange.objects.count() == 0 and platform.requests == []


@pytest.mark.django_db
def test_signed_message_with_a_nul_character_is_a_bad_request(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    # PostgreSQL text cannot hold NUL: storing it failed the request with a 500.
    with django_capture_on_commit_callbacks(execute=True):
        response = post_messenger(client, messenger_event("hỏi\x00 gì"))
    assert response.status_code == 400
    assert Exchange.objects.count() == 0 and platform.requests == []


@pytest.mark.django_db
def test_zalo_body_nested_thousands_deep_is_a_bad_request(client, fresh_cache):
    # Zalo's body is parsed before its signature can be checked: anyone can send this.
    response = client.post(
        reverse("assistant:zalo_webhook"),
        data=b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        content_type="application/json",
        headers={"X-ZEvent-Signature": "mac=" + "0" * 64},
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_emoji_written_as_a_surrogate_pair_is_still_answered(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    # "\ud83d\ude00" together is one emoji (😀): valid text, not a lone surrogate.
    body = json.dumps(zalo_event("DVC là gì 😀", msg_id="z-emoji")).encode()
    assert b"\\ud83d\\ude00" in body

    with django_capture_on_commit_callbacks(execute=True):
        response = post_zalo_body(client, body, json.loads(body)["timestamp"])

    assert response.status_code == 200
    assert Exchange.objects.get().question.endswith("😀")


# ------------------------------------------------------------------ duplicates


@pytest.mark.django_db
def test_replayed_zalo_message_is_answered_once_even_after_page_cache_churn(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    payload = zalo_event("DVC là gì", msg_id="z-replayed")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_zalo(client, payload).status_code == 200

    churn_other_caches()

    with django_capture_on_commit_callbacks(execute=True):
        assert post_zalo(client, payload).status_code == 200
    assert Exchange.objects.count() == 1 and len(platform.requests) == 1


@pytest.mark.django_db
def test_rate_note_is_sent_once_even_after_page_cache_churn(
    client, platform, fresh_cache, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "rate_limit_exceeded", lambda **kwargs: True)
    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, messenger_event("câu một", mid="m.rate-1"))

    churn_other_caches()

    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, messenger_event("câu hai", mid="m.rate-2"))
    assert platform.texts() == [webhooks.RATE_NOTE]


@pytest.mark.django_db
def test_duplicate_keys_are_kept_at_least_as_long_as_the_replay_window(
    client, platform, fresh_cache, settings, monkeypatch
):
    settings.LOA_WEBHOOK_MAX_AGE_SECONDS = 3 * 24 * 60 * 60
    counters = caches["counters"]
    timeouts = []
    add = counters.add

    def spy(key, value, timeout=None, version=None):
        if key.startswith("assistant-webhook-seen:"):
            timeouts.append(timeout)
        return add(key, value, timeout=timeout, version=version)

    monkeypatch.setattr(counters, "add", spy)

    post_zalo(client, zalo_event("DVC là gì", msg_id="z-ttl"))

    # Stamps up to the window ahead of our clock are admitted (clock skew), so such an
    # event stays admissible for twice the window after it arrives.
    assert timeouts == [2 * settings.LOA_WEBHOOK_MAX_AGE_SECONDS]


# ------------------------------------------------------------------ replay window


@pytest.mark.django_db
def test_signed_zalo_message_stamped_two_years_ago_is_not_answered(
    client, platform, fresh_cache, caplog, django_capture_on_commit_callbacks
):
    old = zalo_event("DVC là gì", msg_id="z-old", timestamp=now_ms() - TWO_YEARS_MS)
    with (
        caplog.at_level(logging.INFO, logger="loa.assistant.webhooks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_zalo(client, old)

    # 200: the platform must not keep redelivering it; it is simply not answered.
    assert response.status_code == 200
    assert Exchange.objects.count() == 0 and platform.requests == []
    assert Conversation.objects.count() == 0
    assert any("replay window" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_signed_messenger_message_stamped_two_years_ago_is_not_answered(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    old = messenger_event("DVC là gì", mid="m.old", timestamp=now_ms() - TWO_YEARS_MS)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_messenger(client, old)

    assert response.status_code == 200
    assert Exchange.objects.count() == 0 and platform.requests == []


@pytest.mark.django_db
def test_old_messenger_event_in_a_batch_is_skipped_and_a_fresh_one_answered(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    payload = messenger_event("câu mới", mid="m.new")
    [stale] = messenger_event(
        "câu cũ", mid="m.stale", timestamp=now_ms() - TWO_YEARS_MS
    )["entry"]
    payload["entry"].append(stale)

    with django_capture_on_commit_callbacks(execute=True):
        post_messenger(client, payload)

    assert [e.question for e in Exchange.objects.all()] == ["câu mới"]


@pytest.mark.django_db
def test_message_stamped_far_ahead_of_our_clock_is_not_answered(
    client, platform, fresh_cache, settings, django_capture_on_commit_callbacks
):
    settings.LOA_WEBHOOK_MAX_AGE_SECONDS = 3600
    ahead = zalo_event("DVC là gì", msg_id="z-ahead", timestamp=now_ms() + 7_200_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_zalo(client, ahead).status_code == 200
    assert Exchange.objects.count() == 0 and platform.requests == []


@pytest.mark.django_db
def test_message_a_few_minutes_old_is_answered(
    client, platform, fresh_cache, settings, django_capture_on_commit_callbacks
):
    settings.LOA_WEBHOOK_MAX_AGE_SECONDS = 3600
    late = zalo_event("DVC là gì", msg_id="z-late", timestamp=now_ms() - 5 * 60_000)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_zalo(client, late).status_code == 200
    assert Exchange.objects.count() == 1 and len(platform.requests) == 1


@pytest.mark.django_db
def test_zalo_event_without_a_timestamp_is_still_answered(
    client, platform, fresh_cache, django_capture_on_commit_callbacks
):
    # Not every event type carries a timestamp; such events are not refused for it.
    payload = zalo_event("DVC là gì", msg_id="z-unstamped")
    payload["timestamp"] = ""
    with django_capture_on_commit_callbacks(execute=True):
        assert post_zalo(client, payload).status_code == 200
    assert Exchange.objects.count() == 1
