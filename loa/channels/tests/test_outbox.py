"""The outbox: deliveries scheduled on publish, sent once, retried, manual mode, Zalo rules."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from loa.channels.adapters import ADAPTERS
from loa.channels.jobs import delivery_send_job
from loa.channels.models import Delivery, ZaloFollower, ZaloTemplate
from loa.channels.services import outbox
from loa.core import roles
from loa.core.models import ResidentialGroup
from loa.core.tests.factories import WardFactory, staff_user
from loa.plans.models import Activity

from .conftest import make_article

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def publish_with(section, channels, capture, *, task=None, **kwargs):
    article = make_article(section, task=task, publish=False, **kwargs)
    outbox.channel_choice_set(page=article, channels=channels)
    with capture(execute=True):
        article.save_revision().publish()
    return article


# ------------------------------------------------------------------ scheduling


def test_publishing_creates_one_delivery_per_chosen_channel_keyed_by_revision(
    section, task, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["zalo", "facebook"], django_capture_on_commit_callbacks, task=task
    )
    deliveries = Delivery.objects.filter(page=article).order_by("channel")
    assert [d.channel for d in deliveries] == ["facebook", "zalo"]
    revision_id = article.get_latest_revision().pk
    assert deliveries[0].idempotency_key == f"{article.pk}:facebook:{revision_id}"
    assert deliveries[0].ward == task.plan.ward


def test_scheduling_the_same_revision_twice_creates_nothing_new(
    section, django_capture_on_commit_callbacks
):
    article = publish_with(section, ["facebook"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = outbox.deliveries_schedule(
            page=article, revision=article.get_latest_revision()
        )
    assert again == []
    assert Delivery.objects.filter(page=article).count() == 1


def test_republishing_an_edited_article_does_not_send_it_again(
    section, django_capture_on_commit_callbacks
):
    article = publish_with(section, ["facebook"], django_capture_on_commit_callbacks)
    article.sapo = "Sửa lỗi chính tả."
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert Delivery.objects.filter(page=article).count() == 1


def test_article_without_chosen_channels_goes_nowhere(
    section, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(section)
    assert not Delivery.objects.filter(page=article).exists()


# ------------------------------------------------------------------ manual mode


def test_without_tokens_deliveries_wait_for_staff_with_a_copy_ready_package(
    section, task, client, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    assert delivery.status == Delivery.Status.MANUAL
    client.force_login(staff_user(ward=task.plan.ward, role=roles.EDITOR))
    html = client.get(f"/kenh/giao/{delivery.pk}/").content.decode()
    assert article.full_url in html
    assert "#ChuyenDoiSo" in html
    assert "Đã đăng" in html


def test_posted_form_marks_the_delivery_sent_and_records_the_activity(
    section, task, client, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    client.force_login(staff_user(ward=task.plan.ward, role=roles.EDITOR))
    response = client.post(
        f"/kenh/giao/{delivery.pk}/",
        {
            "action": "posted",
            "url": "https://www.facebook.com/phuong/posts/1",
            "reach": "250",
        },
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    activity = Activity.objects.get(pk=delivery.activity_id)
    assert (activity.task, activity.kind, activity.channel) == (
        task,
        "tin_bai",
        "facebook",
    )
    assert activity.evidence_url == "https://www.facebook.com/phuong/posts/1"
    assert activity.reach == 250


def test_posted_form_refuses_something_that_is_not_a_link(
    section, task, client, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["led"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    client.force_login(staff_user(ward=task.plan.ward, role=roles.EDITOR))
    html = client.post(
        f"/kenh/giao/{delivery.pk}/", {"action": "posted", "url": "javascript:alert(1)"}
    ).content.decode()
    assert "đường dẫn hợp lệ" in html
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.MANUAL


def test_over_long_variant_is_refused_in_vietnamese(
    section, task, client, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["zalo"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    client.force_login(staff_user(ward=task.plan.ward, role=roles.EDITOR))
    html = client.post(
        f"/kenh/giao/{delivery.pk}/",
        {"action": "variant", "title": "T", "variant": "a" * 2001},
        follow=True,
    ).content.decode()
    assert "vượt giới hạn 2000 ký tự của kênh Zalo OA" in html
    delivery.refresh_from_db()
    assert len(delivery.variant) < 2001


def test_script_in_an_edited_variant_is_shown_as_text(
    section, task, client, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["led"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    client.force_login(staff_user(ward=task.plan.ward, role=roles.EDITOR))
    html = client.post(
        f"/kenh/giao/{delivery.pk}/",
        {"action": "variant", "title": "T", "variant": "<script>alert(1)</script>"},
        follow=True,
    ).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_staff_of_another_ward_see_none_of_the_wards_deliveries(
    section, task, client, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["led"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    client.force_login(staff_user(ward=WardFactory()))
    assert client.get(f"/kenh/giao/{delivery.pk}/").status_code == 404
    assert article.title not in client.get("/kenh/giao/").content.decode()
    assert client.get(f"/kenh/chon/{article.pk}/").status_code == 404


def test_editor_chooses_channels_on_the_staff_form(section, task, client):
    article = make_article(section, task=task, publish=False)
    client.force_login(staff_user(ward=task.plan.ward, role=roles.EDITOR))
    response = client.post(f"/kenh/chon/{article.pk}/", {"channels": ["zalo", "led"]})
    assert response.status_code == 302
    assert article.channel_choice.channels == ["zalo", "led"]


# ------------------------------------------------------------------ sending through APIs


def test_sent_delivery_records_the_activity_with_the_post_url(
    section, task, platforms, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 1
    activity = Activity.objects.get(pk=delivery.activity_id)
    assert activity.channel == "facebook"
    assert activity.evidence_url == delivery.external_url
    assert activity.date == timezone.localdate()


def test_rerunning_the_job_of_a_sent_delivery_sends_nothing(
    section, task, platforms, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    delivery_send_job.enqueue(delivery.pk)
    delivery_send_job.enqueue(delivery.pk)
    assert len(platforms.of("facebook")) == 1
    assert Activity.objects.filter(task=task).count() == 1


def test_server_errors_are_retried_with_backoff_until_sent(
    section, task, platforms, django_capture_on_commit_callbacks
):
    platforms.answer_next(
        "facebook", 503, {"error": {"message": "down", "code": 2}}, times=2
    )
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 3
    assert [a.is_ok for a in delivery.attempt_log.all()] == [False, False, True]
    assert len(platforms.of("facebook")) == 3


def test_retries_are_bounded_and_leave_the_delivery_failed(
    section, task, platforms, django_capture_on_commit_callbacks
):
    platforms.answer_next(
        "facebook", 500, {"error": {"message": "down", "code": 2}}, times=10
    )
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 3
    assert len(platforms.of("facebook")) == 3
    assert "HTTP 500" in delivery.last_error


def test_rate_limit_waits_at_least_as_long_as_the_platform_asks(
    section, task, platforms, monkeypatch
):
    article = make_article(section, task=task)
    outbox.channel_choice_set(page=article, channels=["facebook"])
    delivery = Delivery.objects.create(
        page=article, channel="facebook", idempotency_key="k", variant="Tin."
    )
    platforms.answer_next(
        "facebook",
        429,
        {"error": {"message": "limit", "code": 32}},
        headers={"Retry-After": "600"},
    )
    now = timezone.now()
    outcome = outbox.delivery_send(delivery_id=delivery.pk, now=now)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.QUEUED
    assert outcome.retry_at == now + timedelta(seconds=600)
    assert "quá nhanh" in delivery.last_error


def test_lost_answer_goes_to_a_person_instead_of_posting_twice(
    section, task, platforms, django_capture_on_commit_callbacks
):
    platforms.answer_next("facebook", 0, {})
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    assert delivery.status == Delivery.Status.MANUAL
    assert "Không rõ bài đã lên Facebook" in delivery.last_error
    assert len(platforms.of("facebook")) == 1


def test_interrupted_send_is_handed_to_a_person(section, task):
    article = make_article(section, task=task)
    delivery = Delivery.objects.create(
        page=article,
        channel="facebook",
        idempotency_key="k2",
        status=Delivery.Status.SENDING,
        sending_at=timezone.now() - timedelta(hours=1),
    )
    outbox.deliveries_resume_due()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.MANUAL


def test_a_queue_that_does_not_answer_loses_no_delivery(
    section, task, monkeypatch, django_capture_on_commit_callbacks
):
    from types import SimpleNamespace

    from loa.channels import jobs

    class Queue:
        def __init__(self, up):
            self.up, self.queued = up, []

        def get_backend(self):
            return SimpleNamespace(supports_defer=False)

        def enqueue(self, delivery_id):
            if not self.up:
                raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")
            self.queued.append(delivery_id)

    monkeypatch.setattr(jobs, "delivery_send_job", Queue(up=False))
    # Publishing still succeeds (the editor sees no error) and the delivery is kept.
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    assert delivery.status == Delivery.Status.QUEUED
    # The queue is back: the resume pass queues what was missed.
    queue = Queue(up=True)
    monkeypatch.setattr(jobs, "delivery_send_job", queue)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.deliveries_resume_due()
    assert queue.queued == [delivery.pk]


def test_channel_down_mid_run_loses_nothing_and_sends_each_delivery_once(
    section, task, platforms, monkeypatch, django_capture_on_commit_callbacks
):
    articles = [
        make_article(
            section, task=task, title=f"Tin số {n}", slug=f"tin-so-{n}", publish=False
        )
        for n in range(5)
    ]
    for article in articles:
        outbox.channel_choice_set(page=article, channels=["facebook"])
    adapter = ADAPTERS["facebook"]
    real_send = type(adapter).send
    sent = []

    def send_then_fail(self, delivery, **kwargs):
        result = real_send(self, delivery, **kwargs)
        sent.append(delivery.pk)
        if len(sent) == 2:
            platforms.server.stop()  # the channel goes down in the middle of the run
        return result

    monkeypatch.setattr(type(adapter), "send", send_then_fail)
    with django_capture_on_commit_callbacks(execute=True):
        for article in articles:
            article.save_revision().publish()
    deliveries = list(Delivery.objects.filter(page__in=articles).order_by("pk"))
    statuses = [d.status for d in deliveries]
    assert statuses.count(Delivery.Status.SENT) == 2
    assert statuses.count(Delivery.Status.FAILED) == 3

    platforms.server.start()  # back on the same port
    for delivery in deliveries:  # every job runs again, sent ones included
        delivery_send_job.enqueue(delivery.pk)
    for delivery in deliveries:
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.SENT
    messages = [r["form"]["message"] for r in platforms.of("facebook")]
    for article in articles:
        assert sum(article.title.upper() in m for m in messages) == 1
    assert Activity.objects.filter(task=task, channel="facebook").count() == 5


# ------------------------------------------------------------------ Zalo rules in the outbox


@pytest.fixture
def zalo_setup(section, task, platforms):
    ward = task.plan.ward
    group_1 = ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố số 1")
    group_2 = ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố số 2")
    ZaloTemplate.objects.create(name="Tin bài", is_approved=True)
    ZaloFollower.objects.create(user_id="a1", residential_group=group_1)
    ZaloFollower.objects.create(user_id="a2", residential_group=group_1)
    ZaloFollower.objects.create(user_id="b1", residential_group=group_2)
    return {"group_1": group_1, "group_2": group_2}


def zalo_delivery(section, task, key, group=None):
    article = make_article(
        section, task=task, title=f"Thông báo {key}", slug=f"tb-{key}"
    )
    return Delivery.objects.create(
        page=article,
        channel="zalo",
        idempotency_key=key,
        title=article.title,
        variant="Thông báo của phường.",
        residential_group=group,
    )


def test_zalo_send_at_night_waits_until_8_tomorrow_and_says_so(
    section, task, zalo_setup, platforms
):
    delivery = zalo_delivery(section, task, "z1")
    outbox.delivery_send(
        delivery_id=delivery.pk, now=datetime(2026, 3, 10, 22, 30, tzinfo=HCM)
    )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.WAITING
    assert delivery.next_attempt_at == datetime(2026, 3, 11, 8, 0, tzinfo=HCM)
    assert delivery.last_error.startswith(
        "Chờ đến 8:00 sáng mai theo quy định gửi tin truyền thông của Zalo"
    )
    assert platforms.of("zalo") == []

    outbox.delivery_send(
        delivery_id=delivery.pk, now=datetime(2026, 3, 11, 8, 0, tzinfo=HCM)
    )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.reach == 3
    assert Activity.objects.get(pk=delivery.activity_id).reach == 3


def test_zalo_notice_for_one_residential_group_reaches_only_its_followers(
    section, task, zalo_setup, platforms
):
    delivery = zalo_delivery(section, task, "z2", group=zalo_setup["group_2"])
    outbox.delivery_send(
        delivery_id=delivery.pk, now=datetime(2026, 3, 10, 9, tzinfo=HCM)
    )
    assert [r["json"]["recipient"]["user_id"] for r in platforms.of("zalo")] == ["b1"]


def test_second_zalo_promo_the_same_day_waits_for_followers_already_reached(
    section, task, zalo_setup, platforms
):
    first = zalo_delivery(section, task, "z3", group=zalo_setup["group_1"])
    second = zalo_delivery(section, task, "z4")
    morning = datetime(2026, 3, 10, 9, tzinfo=HCM)
    outbox.delivery_send(delivery_id=first.pk, now=morning)
    outbox.delivery_send(delivery_id=second.pk, now=morning + timedelta(hours=1))
    second.refresh_from_db()
    assert second.status == Delivery.Status.WAITING
    assert second.next_attempt_at == datetime(2026, 3, 11, 8, tzinfo=HCM)
    assert "2 người theo dõi đã nhận một tin truyền thông hôm nay" in second.last_error
    assert [r["json"]["recipient"]["user_id"] for r in platforms.of("zalo")] == [
        "a1",
        "a2",
        "b1",
    ]

    outbox.delivery_send(
        delivery_id=second.pk, now=datetime(2026, 3, 11, 8, tzinfo=HCM)
    )
    second.refresh_from_db()
    assert second.status == Delivery.Status.SENT
    assert second.reach == 3  # b1 yesterday, a1 and a2 today; nobody twice
    assert len(platforms.of("zalo")) == 5


def test_zalo_quota_exhausted_midway_waits_for_next_month(
    section, task, zalo_setup, platforms, settings
):
    settings.LOA_ZALO_PROMO_MONTHLY_QUOTA = 2
    delivery = zalo_delivery(section, task, "z5")
    outbox.delivery_send(
        delivery_id=delivery.pk, now=datetime(2026, 3, 10, 9, tzinfo=HCM)
    )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.WAITING
    assert delivery.next_attempt_at == datetime(2026, 4, 1, 8, tzinfo=HCM)
    assert len(platforms.of("zalo")) == 2


def test_zalo_without_an_approved_template_waits(section, task, zalo_setup, platforms):
    ZaloTemplate.objects.update(is_approved=False)
    delivery = zalo_delivery(section, task, "z6")
    outbox.delivery_send(
        delivery_id=delivery.pk, now=datetime(2026, 3, 10, 9, tzinfo=HCM)
    )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.WAITING
    assert "mẫu" in delivery.last_error
    assert platforms.of("zalo") == []


# ------------------------------------------------------------------ whose posts these are


def test_an_article_without_a_task_has_deliveries_of_its_portals_ward(
    section, client, django_capture_on_commit_callbacks
):
    """Such deliveries used to have no ward, so any ward's staff could rewrite them."""
    from loa.content.wards import ward_for_page

    article = publish_with(section, ["zalo"], django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(page=article)
    assert delivery.ward == ward_for_page(article) is not None
    outsider = staff_user(ward=WardFactory(), role=roles.EDITOR)
    client.force_login(outsider)
    response = client.post(
        f"/kenh/giao/{delivery.pk}/",
        {"action": "variant", "title": "Thông báo", "variant": "Chuyển khoản phí"},
    )
    assert response.status_code == 404
    assert article.title not in client.get("/kenh/giao/").content.decode()
    delivery.refresh_from_db()
    assert "Chuyển khoản" not in delivery.variant


def test_a_unit_officer_of_the_ward_cannot_rewrite_or_mark_its_posts(
    section, task, client, django_capture_on_commit_callbacks
):
    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    client.force_login(staff_user(ward=task.plan.ward, unit=task.unit))
    for data in (
        {"action": "variant", "title": "Giả", "variant": "Nộp phí tại đây"},
        {"action": "posted", "url": "https://example.com/gia"},
    ):
        assert client.post(f"/kenh/giao/{delivery.pk}/", data).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.MANUAL
    assert "Nộp phí" not in delivery.variant and not delivery.external_url


def test_edits_and_marks_of_a_post_are_audited(
    section, task, client, django_capture_on_commit_callbacks
):
    from loa.core.models import AuditLog

    article = publish_with(
        section, ["facebook"], django_capture_on_commit_callbacks, task=task
    )
    delivery = Delivery.objects.get(page=article)
    editor = staff_user(ward=task.plan.ward, role=roles.EDITOR)
    client.force_login(editor)
    client.post(
        f"/kenh/giao/{delivery.pk}/",
        {"action": "variant", "title": "Tiêu đề mới", "variant": "Nội dung mới"},
    )
    client.post(
        f"/kenh/giao/{delivery.pk}/",
        {"action": "posted", "url": "https://www.facebook.com/phuong/posts/9"},
    )
    rows = [
        row
        for row in AuditLog.objects.filter(actor=editor).order_by("id")
        if row.changes.get("channel") == "facebook"
    ]
    assert [r.changes["event"] for r in rows] == [
        "Sửa nội dung đăng",
        "Ghi nhận đã đăng",
    ]
    assert rows[0].changes["after"]["variant"] == "Nội dung mới"
    assert rows[1].changes["url"] == "https://www.facebook.com/phuong/posts/9"
    assert all(r.ward == task.plan.ward for r in rows)
