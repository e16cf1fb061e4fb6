"""Every absolute link Loa hands out starts with its ward's own public address.

Two wards, each with its portal at its own address; every artefact is built for each
ward and its links read back: never the other ward's address, never a loopback host
(the install's base address or whatever host a request came in on).
"""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from io import StringIO
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from loa.assistant.answering import Answer, Citation
from loa.assistant.webhooks import format_reply
from loa.channels.adapters.zalo import ZaloAdapter
from loa.channels.models import Delivery, RadioSegment
from loa.channels.services.led import led_playlist
from loa.channels.services.outbox import (
    channel_choice_set,
    deliveries_schedule,
    package,
)
from loa.channels.services.printing import print_for_assistant, print_from_article
from loa.channels.services.radio import build_segment_dir
from loa.content.models import ArticlePage, SectionPage
from loa.core import roles
from loa.core.models import Notification
from loa.core.services import ward_address_set
from loa.core.tests.factories import WardFactory, staff_user
from loa.plans.services import reminders_send
from loa.plans.tests.factories import PlanFactory, TaskFactory

from .conftest import make_article
from .test_printing import _qr_texts, _text

pytestmark = pytest.mark.django_db

# The second on a port of its own: Wagtail's own site address would say "http://" there.
ADDRESSES = ("https://phuonga.example.gov.vn", "https://phuongb.example.gov.vn:8443")
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def wards(settings, tmp_path):
    """Two wards with their portals (sample articles included), each at its address."""
    from loa.content.starter import content_starter_load

    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    settings.ALLOWED_HOSTS = [".example.gov.vn", "127.0.0.1", "testserver"]
    cache.clear()
    made = [
        WardFactory(name="Hải An", slug="hai-an"),
        WardFactory(name="Lê Chân", slug="le-chan"),
    ]
    content_starter_load()
    for ward, address in zip(made, ADDRESSES, strict=True):
        ward.refresh_from_db()
        ward_address_set(ward=ward, address=address)
    return made


def each(wards):
    """Each ward with the other one: (a, b), then (b, a)."""
    return [(wards[0], wards[1]), (wards[1], wards[0])]


def assert_on_ward(link: str, ward, other) -> None:
    assert link.startswith(ward.public_url + "/"), link
    assert_not_foreign(link, other)


def assert_not_foreign(text: str, other) -> None:
    """No link of the text is on the other ward's address or on this machine."""
    for link in LINK.findall(text):
        assert not link.startswith(other.public_url), link
        assert "127.0.0.1" not in link and "localhost" not in link, link
        assert "testserver" not in link, link


def article_of(ward) -> ArticlePage:
    """A sample article (with its picture) of the ward's own portal."""
    return (
        ArticlePage.objects.live()
        .descendant_of(ward.site.root_page)
        .exclude(image=None)
        .order_by("pk")
        .first()
    )


def path_of(page) -> str:
    """The page's path on its portal (with several portals, `page.url` is absolute)."""
    return page.get_url_parts()[2]


def at_address(ward) -> dict:
    """Test client arguments of a request to the ward's own address."""
    parts = urlsplit(ward.public_url)
    return {
        "HTTP_HOST": parts.netloc,
        "SERVER_PORT": str(parts.port or 443),
        "secure": True,
    }


def section_of(ward) -> SectionPage:
    return SectionPage.objects.descendant_of(ward.site.root_page).get(
        slug="chuyen-doi-so"
    )


# ------------------------------------------------------------------ channels


def test_channel_packages_link_the_article_and_picture_on_its_wards_address(wards):
    for ward, other in each(wards):
        article = article_of(ward)
        channel_choice_set(page=article, channels=["zalo", "facebook", "youtube"])

        deliveries = deliveries_schedule(page=article)

        assert {d.channel for d in deliveries} == {"zalo", "facebook", "youtube"}
        for delivery in deliveries:
            parts = package(delivery)
            assert_on_ward(parts["page_url"], ward, other)
            assert_on_ward(parts["image_url"], ward, other)
            assert parts["page_url"] in parts["text"]
            assert_not_foreign(parts["text"], other)


def test_zalo_promotion_button_opens_the_article_on_its_wards_address(wards):
    for ward, other in each(wards):
        article = make_article(
            section_of(ward), task=TaskFactory(plan=PlanFactory(ward=ward))
        )
        channel_choice_set(page=article, channels=["zalo"])
        [delivery] = deliveries_schedule(page=article)
        assert delivery.ward == ward

        payload = ZaloAdapter().promotion_payload("zuser-1", delivery, None)

        [button] = payload["message"]["attachment"]["payload"]["buttons"]
        assert_on_ward(button["payload"]["url"], ward, other)
        assert_not_foreign(json.dumps(payload), other)


def test_led_playlist_items_link_to_their_wards_address(wards):
    for ward, other in each(wards):
        article = article_of(ward)
        Delivery.objects.create(
            ward=ward,
            page=article,
            channel="led",
            idempotency_key=Delivery.key_for(
                page_id=article.pk,
                channel="led",
                revision_id=article.latest_revision_id,
            ),
            title=article.title,
            status=Delivery.Status.MANUAL,
        )

        items = led_playlist(ward=ward, today=timezone.localdate())

        assert len(items) == 2  # the article, then the standing assistant item
        assert items[0]["url"] == ward.absolute_url(path_of(article))
        for item in items:
            assert_on_ward(item["url"], ward, other)
            assert_not_foreign(item["text"], other)
        assert items[-1]["url"] == ward.absolute_url("/tro-ly/")
        assert ward.absolute_url("/tro-ly/") in items[-1]["text"]


# ------------------------------------------------------------------ print


def test_poster_qr_leads_to_the_article_on_its_wards_address(wards, tmp_path):
    for ward, other in each(wards):
        article = article_of(ward)

        pdf = print_from_article(page=article, kind="poster")

        [qr] = _qr_texts(pdf, tmp_path)
        assert qr == ward.absolute_url(path_of(article))
        assert_on_ward(qr, ward, other)
        assert_not_foreign(_text(pdf), other)


def test_assistant_leaflet_qr_leads_to_the_wards_assistant(wards, tmp_path):
    for ward, other in each(wards):
        pdf = print_for_assistant(kind="leaflet", ward=ward)

        assert _qr_texts(pdf, tmp_path, page=1) == [ward.absolute_url("/tro-ly/")]
        assert_not_foreign(_text(pdf), other)


def test_print_command_puts_the_articles_own_wards_address_on_the_poster(
    wards, tmp_path
):
    for ward, other in each(wards):
        article = article_of(ward)
        output = tmp_path / f"{ward.slug}.pdf"

        call_command(
            "print",
            "poster",
            "--item",
            str(article.pk),
            "-o",
            str(output),
            stdout=StringIO(),
        )

        [qr] = _qr_texts(output.read_bytes(), tmp_path)
        assert_on_ward(qr, ward, other)


def test_print_command_finds_the_article_of_that_name_in_the_chosen_wards_portal(
    wards, tmp_path
):
    for ward, other in each(wards):
        article = article_of(ward)
        assert ArticlePage.objects.filter(slug=article.slug).count() == 2
        output = tmp_path / f"{ward.slug}.pdf"

        call_command(
            "print",
            "poster",
            "--article",
            article.slug,
            "--ward",
            ward.slug,
            "-o",
            str(output),
            stdout=StringIO(),
        )

        [qr] = _qr_texts(output.read_bytes(), tmp_path)
        assert qr == ward.absolute_url(path_of(article))
        assert_on_ward(qr, ward, other)


def test_print_command_refuses_a_ward_whose_portal_does_not_hold_the_article(
    wards, tmp_path
):
    ward, other = wards
    stderr = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command(
            "print",
            "poster",
            "--item",
            str(article_of(ward).pk),
            "--ward",
            other.slug,
            "-o",
            str(tmp_path / "x.pdf"),
            stderr=stderr,
        )

    assert exit_.value.code == 2
    assert "thuộc cổng thông tin" in stderr.getvalue()
    assert not (tmp_path / "x.pdf").exists()


def test_slogan_banner_qr_leads_to_the_assistant_of_the_chosen_ward(wards, tmp_path):
    from loa.channels.models import Slogan

    slogan = Slogan.objects.create(text="Chuyển đổi số vì nhân dân", is_approved=True)
    for ward, other in each(wards):
        output = tmp_path / f"{ward.slug}.pdf"

        call_command(
            "print",
            "banner",
            "--slogan",
            str(slogan.pk),
            "--ward",
            ward.slug,
            "-o",
            str(output),
            stdout=StringIO(),
        )

        pdf = output.read_bytes()
        assert _qr_texts(pdf, tmp_path) == [ward.absolute_url("/tro-ly/")]
        assert other.public_url.removeprefix("https://") not in _text(pdf)


# ------------------------------------------------------------------ radio


def test_radio_manifest_links_the_articles_on_the_segments_wards_address(
    wards, tmp_path
):
    from loa.channels.tests.test_radio_archive import _wav

    speaker = SimpleNamespace(synthesize=lambda text: _wav(0.2))
    for ward, other in each(wards):
        out = tmp_path / ward.slug

        build_segment_dir(
            articles=[article_of(ward)],
            week_start=datetime.date(2026, 3, 2),
            ward=ward,
            ward_name=ward.display_name,
            speaker=speaker,
            out_dir=out,
        )

        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        [item] = manifest["items"]
        assert_on_ward(item["url"], ward, other)


def _feed_links(content: bytes) -> list[str]:
    root = ET.fromstring(content)  # noqa: S314 - our own feed
    channel = root.find("channel")
    links = [channel.findtext("link")]
    links += [e.get("href") for e in channel if e.tag.endswith("}link")]
    for item in channel.findall("item"):
        links += [item.findtext("link"), item.find("enclosure").get("url")]
    return links


def test_radio_feed_links_are_on_the_wards_address_it_was_read_at(wards, client):
    for ward in wards:
        RadioSegment.objects.create(
            ward=ward,
            week="2026-W10",
            title=f"Chuyển đổi số — {ward.display_name}",
            audio=f"radio/2026-W10/{ward.slug}/segment.wav",
            size=100,
            approved_at=timezone.now(),
        )
    for ward, other in each(wards):
        response = client.get("/phat-thanh/rss/", **at_address(ward))

        assert response.status_code == 200
        links = _feed_links(response.content)
        assert len(links) == 4  # channel, atom:link self, item, enclosure
        for link in links:
            assert_on_ward(link, ward, other)


def test_radio_feed_read_at_a_bare_ip_address_still_links_the_wards_address(
    wards, client
):
    ward, other = wards  # the first ward's portal is the install's default site
    RadioSegment.objects.create(
        ward=ward,
        week="2026-W10",
        audio="radio/2026-W10/segment.wav",
        approved_at=timezone.now(),
    )

    response = client.get("/phat-thanh/rss/", HTTP_HOST="127.0.0.1")

    assert response.status_code == 200
    for link in _feed_links(response.content):
        assert_on_ward(link, ward, other)


# ------------------------------------------------------------------ portal pages


def test_article_canonical_and_picture_links_are_on_the_wards_address(wards, client):
    for ward, other in each(wards):
        article = article_of(ward)
        response = client.get(path_of(article), **at_address(ward))

        assert response.status_code == 200
        html = response.content.decode()
        canonical = ward.absolute_url(path_of(article))
        assert f'<link rel="canonical" href="{canonical}">' in html
        assert f'<meta property="og:image" content="{ward.public_url}/media/' in html
        assert_not_foreign(html, other)


def test_article_read_at_a_bare_ip_address_names_the_wards_address(wards, client):
    ward, _ = wards  # the install's default site
    article = article_of(ward)

    html = client.get(path_of(article), HTTP_HOST="127.0.0.1").content.decode()

    canonical = ward.absolute_url(path_of(article))
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert 'content="http://127.0.0.1' not in html


def test_approval_links_are_on_the_address_of_the_articles_ward(
    wards, django_capture_on_commit_callbacks
):
    for ward, other in each(wards):
        approver = staff_user(
            ward=ward, role=roles.APPROVER, email=f"duyet@{ward.slug}.example.vn"
        )
        editor = staff_user(ward=ward, role=roles.EDITOR)
        article = make_article(
            section_of(ward), title=f"Tin chờ duyệt {ward.name}", publish=False
        )
        mail.outbox = []

        with django_capture_on_commit_callbacks(execute=True):
            article.get_workflow().start(article, editor)

        note = Notification.objects.get(ward=ward, title__contains=article.title)
        assert_on_ward(note.url, ward, other)
        assert "/duyet/" in note.url
        ours = [m for m in mail.outbox if note.url in m.body]
        assert [m.to for m in ours] == [[approver.email]]
        assert_not_foreign(ours[0].body, other)


# ------------------------------------------------------------------ plans


def test_reminder_mail_links_the_task_on_its_wards_address(wards):
    today = datetime.date(2026, 5, 2)
    for ward, other in each(wards):
        task = TaskFactory(plan=PlanFactory(ward=ward), due_date=today.replace(day=1))
        staff_user(ward=ward, unit=task.unit, email=f"vhxh@{ward.slug}.example.vn")
        mail.outbox = []

        assert reminders_send(today=today, ward=ward) == 1

        [message] = mail.outbox
        assert ward.absolute_url(f"/nhiem-vu/{task.pk}/") in message.body
        assert_not_foreign(message.body, other)


# ------------------------------------------------------------------ assistant


def test_chat_reply_links_loas_own_pages_on_the_conversations_ward(wards):
    answer = Answer(
        text="Bạn mở ứng dụng VNeID và chọn Kích hoạt.",
        answered=True,
        kind="extractive",
        citations=[
            Citation(
                source="S", title="Hướng dẫn VNeID", url="/tro-ly/vneid/", quote=""
            )
        ],
    )
    for ward, other in each(wards):
        text = format_reply(answer, limit=2000, ward=ward)

        assert text.endswith(
            f"Nguồn: Hướng dẫn VNeID – {ward.public_url}/tro-ly/vneid/"
        )
        assert_not_foreign(text, other)


def test_chat_reply_without_a_ward_names_the_source_without_guessing_an_address():
    answer = Answer(
        text="Trả lời.",
        answered=True,
        kind="extractive",
        citations=[Citation(source="S", title="Hướng dẫn", url="/tro-ly/a/", quote="")],
    )

    assert format_reply(answer, limit=2000).endswith("Nguồn: Hướng dẫn")
