"""The content calendar: deliveries per ISO week and channel, the radio slot, the flag."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from loa.channels.models import Delivery
from loa.channels.selectors import MISSING_FLAG, content_calendar, week_start
from loa.core.tests.factories import WardFactory, staff_user
from loa.plans.models import Plan, Task
from loa.plans.tests.factories import TaskFactory
from loa.vn.dates import week_label_of

from .conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(task):
    return task.plan.ward


def _at(day: datetime.date, hour=9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def deliver(article, ward, channel, *, created, sent=None, title=None):
    return Delivery.objects.create(
        ward=ward,
        page=article,
        channel=channel,
        idempotency_key=f"{article.pk}:{channel}:{created.isoformat()}",
        title=title or article.title,
        status=Delivery.Status.SENT if sent else Delivery.Status.QUEUED,
        created_at=created,
        sent_at=sent,
    )


def test_eight_iso_weeks_with_deliveries_per_channel(section, ward):
    today = datetime.date(2026, 11, 26)  # Thursday of 2026-W48
    monday = week_start(today)
    article = make_article(section, title="Ra mắt Tổ công nghệ số")
    other = make_article(section, title="Hướng dẫn cài VNeID")
    deliver(article, ward, "zalo", created=_at(monday))
    deliver(article, ward, "facebook", created=_at(monday + datetime.timedelta(days=2)))
    deliver(other, ward, "zalo", created=_at(monday + datetime.timedelta(days=6), 20))
    # created last week, sent this week: counted where it went out
    deliver(
        other,
        ward,
        "led",
        created=_at(monday - datetime.timedelta(days=2)),
        sent=_at(monday + datetime.timedelta(days=1)),
    )
    # another ward's delivery is not shown
    stranger = WardFactory()
    deliver(other, stranger, "youtube", created=_at(monday))

    weeks = content_calendar(ward=ward, today=today)
    assert [w.label for w in weeks] == [f"2026-W{n}" for n in range(44, 52)]
    assert [w.is_current for w in weeks].count(True) == 1
    this = weeks[4]
    assert this.label == "2026-W48" and this.is_current
    counts = {c.channel: c.count for c in this.channels}
    assert counts == {"zalo": 2, "facebook": 1, "youtube": 0, "led": 1}
    zalo = next(c for c in this.channels if c.channel == "zalo")
    assert zalo.titles == ["Ra mắt Tổ công nghệ số", "Hướng dẫn cài VNeID"]
    assert weeks[3].delivery_count == 0  # the LED item counts in the week it was sent


def test_flag_when_weekly_task_and_nothing_planned(section, ward, task):
    today = datetime.date(2026, 11, 26)
    assert task.plan.status == Plan.Status.ACTIVE
    weeks = content_calendar(ward=ward, today=today)
    assert not any(w.is_missing for w in weeks)  # no weekly task yet

    TaskFactory(plan=task.plan, recurrence=Task.Recurrence.WEEKLY)
    article = make_article(section, title="Tin tuần này")
    deliver(article, ward, "zalo", created=_at(week_start(today)))
    weeks = content_calendar(ward=ward, today=today)
    assert [w.is_missing for w in weeks] == [True] * 4 + [False] + [True] * 3
    assert weeks[0].flag == MISSING_FLAG and weeks[4].flag == ""

    # a closed plan expects nothing
    Plan.objects.filter(pk=task.plan.pk).update(status=Plan.Status.CLOSED)
    assert not any(w.is_missing for w in content_calendar(ward=ward, today=today))


def test_weeks_without_a_radio_segment_have_no_radio(ward):
    weeks = content_calendar(ward=ward, today=datetime.date(2026, 11, 26))
    assert all(w.radio_known for w in weeks)
    assert not any(w.has_radio for w in weeks)


def test_radio_segment_fills_the_week(monkeypatch, ward, task):
    """A week with a segment is not flagged."""
    from loa.channels import selectors

    today = datetime.date(2026, 11, 26)
    TaskFactory(plan=task.plan, recurrence=Task.Recurrence.WEEKLY)
    monday = week_start(today)
    monkeypatch.setattr(
        selectors,
        "_radio_segments",
        lambda ward, first, last: {monday: ["Chuyển đổi số tuần 48"]},
    )
    weeks = content_calendar(ward=ward, today=today)
    assert weeks[4].has_radio and not weeks[4].is_missing
    assert weeks[3].radio_known and weeks[3].is_missing


def test_page_login_ward_and_flag(client, section, ward, task, django_user_model):
    url = reverse("loa_channels:calendar")
    assert url == "/kenh/lich/"
    assert client.get(url).status_code == 302

    client.force_login(django_user_model.objects.create_user("khach", password="x"))
    assert client.get(url).status_code == 403

    TaskFactory(plan=task.plan, recurrence=Task.Recurrence.WEEKLY)
    article = make_article(section, title="Tin lịch nội dung của phường")
    deliver(article, ward, "zalo", created=timezone.now())
    client.force_login(staff_user(ward=ward))
    html = client.get(url).content.decode()
    assert "Lịch nội dung" in html
    assert "Tin lịch nội dung của phường" in html
    assert MISSING_FLAG in html
    # Weeks as people read them, never as ISO codes.
    assert week_label_of(timezone.localdate()).capitalize() in html
    year, week, _ = timezone.localdate().isocalendar()
    assert f"{year}-W{week:02d}" not in html

    client.force_login(staff_user(ward=WardFactory()))
    html = client.get(url).content.decode()
    assert "Tin lịch nội dung của phường" not in html
    assert MISSING_FLAG not in html


def test_real_radio_segment_counts_for_its_week(ward, task):
    from django.apps import apps

    try:
        segment_model = apps.get_model("loa_channels", "RadioSegment")
    except LookupError:
        pytest.skip("RadioSegment is not installed")
    today = datetime.date(2026, 11, 26)
    TaskFactory(plan=task.plan, recurrence=Task.Recurrence.WEEKLY)
    segment_model.objects.create(
        week="2026-W48", ward=ward, title="Chuyển đổi số tuần 48", audio="segment.wav"
    )
    segment_model.objects.create(
        week="2026-W47", ward=WardFactory(), title="Phường khác", audio="segment.wav"
    )
    weeks = content_calendar(ward=ward, today=today)
    assert weeks[4].radio_titles == ["Chuyển đổi số tuần 48"]
    assert not weeks[4].is_missing
    assert weeks[3].radio_titles == [] and weeks[3].is_missing
