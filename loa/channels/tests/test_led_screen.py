"""The public full-screen LED page: both layouts, the JSON it polls, ward choice."""

import json

import pytest
from django.utils import timezone

from loa.core.tests.factories import WardFactory

from .test_led import ASSISTANT, BASE, led_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


@pytest.fixture
def ward(task):
    return task.plan.ward


def test_16_9_layout_renders_the_playlist_without_login(client, ward, section):
    # The ward made first is the one whose portal the test client's address opens.
    today = timezone.localdate()
    led_item(section, ward, title="Tin mới cho màn hình", days_ago=0, today=today)
    response = client.get("/led/cong-uy-ban/?layout=169")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="layout-169"' in html
    assert "Tin mới cho màn hình" in html
    embedded = html.split('id="led-playlist" type="application/json">')[1]
    items = json.loads(embedded.split("</script>")[0])["items"]
    assert items[0]["text"].startswith("Tin mới cho màn hình")
    assert items[-1]["text"] == ASSISTANT
    assert 'data-json="/led/cong-uy-ban/playlist.json"' in html
    assert "60000" in html  # polls every 60 s
    assert "<link" not in html and "src=" not in html  # no external assets


def test_strip_layout_and_the_only_ward_by_default(client, ward):
    response = client.get("/led/cho-trung-tam/?layout=strip")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="layout-strip"' in html
    assert "@keyframes scroll" in html


def test_unknown_layout_falls_back_to_16_9(client, ward):
    response = client.get(f"/led/a/?layout=xyz&phuong={ward.slug}")
    assert 'class="layout-169"' in response.content.decode()


def test_playlist_json_is_public_and_current(client, ward, section):
    led_item(section, ward, title="Tin JSON", days_ago=1, today=timezone.localdate())
    response = client.get("/led/cong-uy-ban/playlist.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "no-cache" in response["Cache-Control"]
    body = json.loads(response.content)
    texts = [item["text"] for item in body["items"]]
    assert texts[0].startswith("Tin JSON")
    assert texts[-1] == ASSISTANT
    assert all(item["seconds"] > 0 for item in body["items"])


def test_ambiguous_or_unknown_ward_is_404(client, ward):
    WardFactory(name="Phường khác", slug="phuong-khac")
    assert client.get("/led/a/").status_code == 404
    # A parameter no longer picks the ward: the address does.
    assert client.get("/led/a/playlist.json?phuong=phuong-khac").status_code == 404
