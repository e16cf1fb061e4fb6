"""Zalo followers through the OA webhook: the 48-hour window and choosing a tổ dân phố."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from loa.assistant import services
from loa.assistant.answering import Answer
from loa.assistant.models import Exchange
from loa.assistant.tests import test_webhooks as signed
from loa.assistant.tests.test_webhooks import post_zalo, zalo_event
from loa.channels.models import ZaloFollower
from loa.channels.services.followers import GROUP_HINT
from loa.core.models import ResidentialGroup, Ward

# The signed-request fixtures of the webhook tests: the settings of both channels
# (autouse), the imitation of the platforms' APIs and a cleared cache.
_channels = signed._channels
platform = signed.platform
fresh_cache = signed.fresh_cache

CONFIRM_3 = (
    "Đã ghi nhận bạn thuộc Tổ dân phố số 3. "
    "Phường sẽ gửi thông báo của tổ qua Zalo này."
)


@pytest.fixture
def ward(db, settings):
    ward = Ward.objects.create(slug="phuong-thu", name="Phường Thử")
    for n in (1, 2, 3):
        ResidentialGroup.objects.create(ward=ward, name=f"Tổ dân phố số {n}", order=n)
    ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố Hòa Bình", order=4)
    settings.LOA_WEBHOOK_WARD = ward.slug
    return ward


@pytest.fixture
def canned_answer(monkeypatch):
    answer = Answer(
        text="Bạn mở ứng dụng VNeID và chọn Kích hoạt.",
        answered=True,
        kind="extractive",
        citations=[],
    )
    monkeypatch.setattr(
        services, "question_answer", lambda **kwargs: SimpleNamespace(answer=answer)
    )


def send(client, capture, text, *, msg_id, sender="zuser-1"):
    with capture(execute=True):
        response = post_zalo(client, zalo_event(text, sender=sender, msg_id=msg_id))
    assert response.status_code == 200


@pytest.mark.django_db
def test_text_message_records_the_followers_last_message(
    client,
    platform,
    fresh_cache,
    ward,
    canned_answer,
    django_capture_on_commit_callbacks,
):
    before = timezone.now()
    send(client, django_capture_on_commit_callbacks, "xin chào", msg_id="m1")
    follower = ZaloFollower.objects.get(user_id="zuser-1")
    assert follower.last_message_at >= before

    old = timezone.now() - timedelta(days=3)
    ZaloFollower.objects.filter(pk=follower.pk).update(last_message_at=old)
    send(client, django_capture_on_commit_callbacks, "cảm ơn", msg_id="m2")
    follower.refresh_from_db()
    assert follower.last_message_at >= before and ZaloFollower.objects.count() == 1


@pytest.mark.django_db
def test_non_text_and_unsigned_messages_do_not_touch_followers(
    client, platform, fresh_cache, ward, django_capture_on_commit_callbacks
):
    post_zalo(client, zalo_event("tổ 3", msg_id="bad"), signature="mac=" + "0" * 64)
    with django_capture_on_commit_callbacks(execute=True):
        post_zalo(client, zalo_event(event="user_send_image", msg_id="img"))
    assert ZaloFollower.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["tổ 3", "Tổ dân phố số 3", "to dan pho so 3", "đăng ký tổ 03", "chọn tổ số 3"],
)
def test_choosing_a_group_by_number_tags_the_follower(
    client,
    platform,
    fresh_cache,
    ward,
    canned_answer,
    django_capture_on_commit_callbacks,
    text,
):
    send(client, django_capture_on_commit_callbacks, text, msg_id="m1")
    follower = ZaloFollower.objects.get(user_id="zuser-1")
    assert follower.residential_group.name == "Tổ dân phố số 3"
    assert platform.texts() == [CONFIRM_3]
    assert Exchange.objects.count() == 0  # not a question for the assistant


@pytest.mark.django_db
def test_choosing_a_group_by_name(
    client, platform, fresh_cache, ward, django_capture_on_commit_callbacks
):
    send(client, django_capture_on_commit_callbacks, "to hoa binh", msg_id="m1")
    assert ZaloFollower.objects.get().residential_group.name == "Tổ dân phố Hòa Bình"
    assert platform.texts()[0].startswith("Đã ghi nhận bạn thuộc Tổ dân phố Hòa Bình.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["tổ 9", "chọn tổ", "tổ dân phố", "tổ dân phố Ba Đình"]
)
def test_unknown_group_or_bare_command_replies_the_list(
    client,
    platform,
    fresh_cache,
    ward,
    canned_answer,
    django_capture_on_commit_callbacks,
    text,
):
    send(client, django_capture_on_commit_callbacks, text, msg_id="m1")
    assert platform.texts() == [
        "Vui lòng gửi: tổ <số>. Các tổ của phường: Tổ dân phố số 1, "
        "Tổ dân phố số 2, Tổ dân phố số 3, Tổ dân phố Hòa Bình."
    ]
    assert ZaloFollower.objects.get().residential_group is None
    assert Exchange.objects.count() == 0


@pytest.mark.django_db
def test_a_question_starting_with_to_still_reaches_the_assistant(
    client,
    platform,
    fresh_cache,
    ward,
    canned_answer,
    django_capture_on_commit_callbacks,
):
    send(
        client,
        django_capture_on_commit_callbacks,
        "tờ khai thuế nộp ở đâu",
        msg_id="m1",
    )
    [text] = platform.texts()
    assert text.startswith("Bạn mở ứng dụng VNeID")


@pytest.mark.django_db
def test_hint_line_is_added_once_to_a_follower_without_a_group(
    client,
    platform,
    fresh_cache,
    ward,
    canned_answer,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    send(client, capture, "kích hoạt VNeID", msg_id="m1")
    send(client, capture, "kích hoạt VNeID thế nào", msg_id="m2")
    first, second = platform.texts()
    assert first == (
        "Bạn mở ứng dụng VNeID và chọn Kích hoạt.\n\n"
        'Gửi "tổ <số>" để nhận thông báo của tổ dân phố bạn.'
    )
    assert first.endswith(GROUP_HINT) and GROUP_HINT not in second
    assert second == "Bạn mở ứng dụng VNeID và chọn Kích hoạt."


@pytest.mark.django_db
def test_no_hint_for_a_follower_who_has_a_group(
    client,
    platform,
    fresh_cache,
    ward,
    canned_answer,
    django_capture_on_commit_callbacks,
):
    ZaloFollower.objects.create(
        user_id="zuser-1", residential_group=ward.residential_groups.first()
    )
    send(client, django_capture_on_commit_callbacks, "kích hoạt VNeID", msg_id="m1")
    assert platform.texts() == ["Bạn mở ứng dụng VNeID và chọn Kích hoạt."]
