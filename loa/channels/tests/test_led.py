"""LED-board playlists: contents, order, the 14-day window, wards, downloads."""

import json
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from loa.channels.models import Delivery
from loa.channels.services.led import display_seconds, led_playlist
from loa.core import roles
from loa.core.tests.factories import WardFactory, staff_user
from loa.plans.models import Activity

from .conftest import make_article

pytestmark = pytest.mark.django_db
BASE = "https://phuong.example.vn"
ASSISTANT = f"Hỏi trợ lý chuyển đổi số: {BASE}/tro-ly/"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


@pytest.fixture
def ward(task):
    return task.plan.ward


@pytest.fixture
def today():
    return timezone.localdate()


def led_item(section, ward, *, title, days_ago, today, status="manual", task=None):
    article = make_article(section, title=title, task=task)
    published = timezone.make_aware(
        datetime.combine(today - timedelta(days=days_ago), time(9, 0))
    )
    Page.objects.filter(pk=article.pk).update(first_published_at=published)
    Delivery.objects.create(
        ward=ward,
        page=article,
        channel="led",
        idempotency_key=Delivery.key_for(
            page_id=article.pk, channel="led", revision_id=article.latest_revision_id
        ),
        title=title,
        status=status,
    )
    article.refresh_from_db()
    return article


def test_playlist_newest_first_within_14_days_with_assistant_last(section, ward, today):
    old = led_item(section, ward, title="Tin cũ quá hạn", days_ago=14, today=today)
    a = led_item(section, ward, title="Tin ngày cuối cửa sổ", days_ago=13, today=today)
    b = led_item(
        section, ward, title="Tin hôm nay", days_ago=0, today=today, status="sent"
    )
    c = led_item(section, ward, title="Tin hôm qua", days_ago=1, today=today)
    items = led_playlist(ward=ward, today=today)
    assert [i["text"] for i in items] == [
        "Tin hôm nay",
        "Tin hôm qua",
        "Tin ngày cuối cửa sổ",
        ASSISTANT,
    ]
    assert [i["url"] for i in items[:3]] == [b.full_url, c.full_url, a.full_url]
    assert old.full_url not in [i["url"] for i in items]
    assert items[-1]["url"] == f"{BASE}/tro-ly/"
    assert items[0]["seconds"] == 4 + round(len("Tin hôm nay") / 10)
    assert items[-1]["seconds"] == display_seconds(ASSISTANT)


def test_playlist_skips_other_statuses_channels_and_caps_at_ten(section, ward, today):
    for n in range(12):
        led_item(section, ward, title=f"Tin số {n}", days_ago=n % 5, today=today)
    led_item(section, ward, title="Tin lỗi", days_ago=0, today=today, status="failed")
    led_item(section, ward, title="Tin chờ", days_ago=0, today=today, status="queued")
    zalo = make_article(section, title="Tin Zalo")
    Delivery.objects.create(
        ward=ward, page=zalo, channel="zalo", idempotency_key="z", status="sent"
    )
    items = led_playlist(ward=ward, today=today)
    texts = [i["text"] for i in items]
    assert len(items) == 11 and texts[-1] == ASSISTANT
    assert not {"Tin lỗi", "Tin chờ", "Tin Zalo"} & set(texts)


def test_long_headline_is_shortened_to_120(section, ward, today):
    title = "Phường triển khai " + "chuyển đổi số toàn diện " * 7
    led_item(section, ward, title=title.strip(), days_ago=0, today=today)
    text = led_playlist(ward=ward, today=today)[0]["text"]
    assert len(text) <= 120 and text.endswith("…")


def test_empty_ward_has_only_the_assistant_item(ward, today):
    assert led_playlist(ward=ward, today=today) == [
        {
            "text": ASSISTANT,
            "seconds": display_seconds(ASSISTANT),
            "url": f"{BASE}/tro-ly/",
        }
    ]


def test_staff_page_downloads_and_ward_isolation(client, section, ward, today):
    led_item(
        section, ward, title="Phường ra mắt Tổ công nghệ số", days_ago=2, today=today
    )
    url = reverse("loa_channels:led_playlist")
    assert client.get(url).status_code == 302  # login required

    client.force_login(staff_user(ward=ward))
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Phường ra mắt Tổ công nghệ số" in html and ASSISTANT in html
    # A unit officer sees what waits; an editor marks it as shown.
    assert "Đã đưa lên màn hình</button>" not in html
    client.force_login(staff_user(ward=ward, role=roles.EDITOR))
    assert "Đã đưa lên màn hình</button>" in client.get(url).content.decode()

    txt = client.get(reverse("loa_channels:led_playlist_txt"))
    assert txt["Content-Type"] == "text/plain; charset=utf-8"
    assert txt.content.decode("utf-8").splitlines() == [
        f"{display_seconds('Phường ra mắt Tổ công nghệ số')}\tPhường ra mắt Tổ công nghệ số",
        f"{display_seconds(ASSISTANT)}\t{ASSISTANT}",
    ]
    data = json.loads(client.get(reverse("loa_channels:led_playlist_json")).content)
    assert data["items"] == led_playlist(ward=ward, today=today)
    assert data["date"] == today.isoformat()

    client.force_login(staff_user(ward=WardFactory()))
    html = client.get(url).content.decode()
    assert "Phường ra mắt Tổ công nghệ số" not in html
    other = client.get(reverse("loa_channels:led_playlist_txt")).content.decode()
    assert other.splitlines() == [f"{display_seconds(ASSISTANT)}\t{ASSISTANT}"]
    data = json.loads(client.get(reverse("loa_channels:led_playlist_json")).content)
    assert [i["text"] for i in data["items"]] == [ASSISTANT]


def test_user_without_ward_is_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("khach", password="x"))
    assert client.get(reverse("loa_channels:led_playlist")).status_code == 403
    assert client.get(reverse("loa_channels:led_playlist_txt")).status_code == 403


def test_mark_on_screen_records_sent_and_activity(client, section, task, ward, today):
    article = led_item(
        section, ward, title="Tin gắn nhiệm vụ", days_ago=1, today=today, task=task
    )
    client.force_login(staff_user(ward=ward, role=roles.EDITOR))
    response = client.post(reverse("loa_channels:led_playlist"), {"action": "posted"})
    assert response.status_code == 302
    delivery = Delivery.objects.get(page=article)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.external_url == f"{BASE}/kenh/led/"
    activity = Activity.objects.get(pk=delivery.activity_id)
    assert activity.task_id == task.pk
    assert activity.evidence_url == f"{BASE}/kenh/led/"
    # still on the playlist once sent; pressing again changes nothing
    assert led_playlist(ward=ward, today=today)[0]["text"] == "Tin gắn nhiệm vụ"
    client.post(reverse("loa_channels:led_playlist"), {"action": "posted"})
    assert Activity.objects.filter(pk=delivery.activity_id).count() == 1


def test_editors_reach_the_channel_pages_from_the_wagtail_admin(admin_client):
    page = admin_client.get("/cms/").content.decode()
    assert "/kenh/giao/" in page


def test_an_article_in_the_admin_listing_offers_the_channel_choice(admin_client):
    from loa.content.models import ArticlePage
    from loa.content.starter import content_starter_load
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    article = ArticlePage.objects.live().first()
    listing = admin_client.get(
        f"/cms/pages/{article.get_parent().pk}/"
    ).content.decode()
    assert f"/kenh/chon/{article.pk}/" in listing
