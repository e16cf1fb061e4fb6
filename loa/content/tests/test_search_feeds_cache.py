import xml.etree.ElementTree as ET

import pytest

from loa.content.cache import HIT_HEADER
from loa.content.models import ArticlePage

from .conftest import make_article

pytestmark = pytest.mark.django_db


def test_search_without_diacritics_finds_article_with_them(portal, client):
    response = client.get("/search/", {"q": "chuyen doi so"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>Chuyển đổi số</mark> là gì? Hiểu đơn giản trong ba phút" in html
    assert "Có " in html and "kết quả" in html


def test_search_with_diacritics_and_other_case_also_matches(portal, client):
    html = client.get("/search/", {"q": "GIẢ DANH công an"}).content.decode()
    assert "Cảnh giác cuộc gọi <mark>giả danh công an</mark>" in html


def test_search_shows_hostile_input_escaped(portal, client):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Không tìm thấy bài viết nào" in html


def test_search_with_no_query_explains_what_to_type(portal, client):
    html = client.get("/search/").content.decode()
    assert "Nhập từ cần tìm" in html


def test_search_does_not_find_drafts(section, client):
    make_article(section, title="Bí mật chưa đăng", slug="bi-mat", publish=False)
    html = client.get("/search/", {"q": "bi mat chua dang"}).content.decode()
    assert "Không tìm thấy bài viết nào" in html


def test_search_results_are_paginated(section, client):
    for n in range(12):
        make_article(section, title=f"Tin thử nghiệm {n}", slug=f"tin-thu-{n}")
    html = client.get("/search/", {"q": "thu nghiem", "trang": 2}).content.decode()
    assert "Trang 2/2" in html
    assert "q=thu%20nghiem&amp;trang=1" in html


@pytest.mark.parametrize("url", ["/rss/", "/atom/"])
def test_feeds_are_valid_xml_with_latest_published_article_and_no_drafts(
    section, client, url
):
    make_article(section, title="Tin mới nhất", slug="tin-moi-nhat")
    make_article(section, title="Bản nháp chưa duyệt", slug="ban-nhap", publish=False)
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    text = response.content.decode()
    assert "Tin bài mới — Cổng thông tin phường" in text
    if url == "/rss/":
        titles = [e.text for e in root.iter("item/title")] or [
            i.find("title").text for i in root.iter("item")
        ]
    else:
        ns = "{http://www.w3.org/2005/Atom}"
        titles = [e.find(f"{ns}title").text for e in root.iter(f"{ns}entry")]
    assert titles[0] == "Tin mới nhất"
    assert "Bản nháp chưa duyệt" not in titles
    assert "http://testserver/chuyen-doi-so/tin-moi-nhat/" in text


def test_second_anonymous_request_is_served_from_cache(portal, client):
    article = ArticlePage.objects.get(slug="chuyen-doi-so-la-gi")
    first = client.get(article.url)
    second = client.get(article.url)
    assert first[HIT_HEADER] == "miss"
    assert second[HIT_HEADER] == "hit"
    assert second.content.decode().count("Chuyển đổi số là gì?") >= 1
    # The same bytes suit every visitor: no token, no cookie; nginx may keep it briefly.
    assert "csrf" not in second.content.decode().lower()
    assert not second.cookies
    assert second["X-Accel-Expires"] == first["X-Accel-Expires"] == "10"


def test_a_page_with_a_form_is_not_cached(portal, client, settings):
    from django.core.cache import cache
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from loa.content import cache as page_cache

    article = ArticlePage.objects.get(slug="chuyen-doi-so-la-gi")
    response = client.get(article.url)
    request = response.wsgi_request
    cache.clear()
    get_token(request)  # what {% csrf_token %} in a template does
    page_cache.cache_store(request, HttpResponse(response.content))
    assert client.get(article.url)[HIT_HEADER] == "miss"


def test_a_cache_hit_skips_routing_and_the_database(portal, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    settings.CACHES = {**settings.CACHES, "default": memory, "pages": memory}
    article = ArticlePage.objects.get(slug="chuyen-doi-so-la-gi")
    client.get(article.url)
    with CaptureQueriesContext(connection) as queries:
        hit = client.get(article.url)
    assert hit[HIT_HEADER] == "hit" and hit["X-Frame-Options"]
    assert len(queries) == 0
    # A signed-in visitor never gets the anonymous copy.
    from loa.core.tests.factories import UserFactory

    user = UserFactory()
    user.save()
    client.force_login(user)
    assert client.get(article.url).get(HIT_HEADER) != "hit"


def test_publishing_a_new_revision_invalidates_cached_pages(
    portal, client, django_capture_on_commit_callbacks
):
    article = ArticlePage.objects.get(slug="chuyen-doi-so-la-gi")
    client.get(article.url)
    client.get("/")
    assert client.get(article.url)[HIT_HEADER] == "hit"
    article.title = "Chuyển đổi số: bài đã cập nhật"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    page = client.get(article.url)
    home = client.get("/")
    assert page[HIT_HEADER] == "miss"
    assert "Chuyển đổi số: bài đã cập nhật" in page.content.decode()
    assert "Chuyển đổi số: bài đã cập nhật" in home.content.decode()


def test_unpublishing_removes_page_from_cache(portal, client):
    article = ArticlePage.objects.get(slug="chuyen-doi-so-la-gi")
    assert client.get(article.url).status_code == 200
    article.unpublish()
    assert client.get(article.url).status_code == 404


def test_logged_in_users_are_never_served_or_stored_in_cache(portal, client):
    from loa.core.tests.factories import UserFactory

    article = ArticlePage.objects.get(slug="chuyen-doi-so-la-gi")
    user = UserFactory()
    user.save()
    client.force_login(user)
    for _ in range(2):
        page = client.get(article.url)
        assert HIT_HEADER not in page and "X-Accel-Expires" not in page
    client.logout()
    assert client.get(article.url)[HIT_HEADER] == "miss"


def test_published_article_is_found_by_the_assistant(
    section, django_capture_on_commit_callbacks
):
    from loa.assistant.index import get_retriever

    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            section,
            title="Phường mở lớp dạy dùng ví điện tử cho người cao tuổi",
            sapo="Lớp học ví điện tử miễn phí mỗi sáng thứ Bảy tại nhà văn hóa.",
            slug="lop-vi-dien-tu",
        )
    hits = get_retriever().search("lop hoc vi dien tu cho nguoi cao tuoi", k=3)
    assert hits
    assert hits[0].passage.doc_id == f"page:{article.pk}"


def test_unique_query_strings_neither_bypass_nor_flood_the_page_cache(portal, client):
    """`/?x=1`, `/?x=2`… are the one cached home page; a page number is its own page."""
    from django.core.cache import caches

    home = client.get("/")
    assert home[HIT_HEADER] == "miss"
    table_before = _page_cache_rows()
    for n in range(30):
        response = client.get(f"/?x={n}")
        assert response[HIT_HEADER] == "hit"
        assert response.content == home.content
    assert _page_cache_rows() == table_before
    assert client.get("/?trang=2").get(HIT_HEADER) == "miss"
    assert client.get("/?trang=quá-dài").get(HIT_HEADER) is None  # not stored at all
    assert caches["pages"] is not caches["default"]


def _page_cache_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM loa_page_cache")
        return cursor.fetchone()[0]


def test_page_churn_does_not_reset_the_assistants_rate_limit(
    portal, client, settings, monkeypatch
):
    """A flood of unique pages used to cull the shared cache and with it the counters."""
    from types import SimpleNamespace

    from loa.core import ratelimit

    # One clock minute for the whole test: the limit counts per minute.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1.8e9))
    settings.LOA_ASSISTANT_RATE_PER_MINUTE = 3
    # Small page caches, so that 60 pages surely cull them.
    small = {"OPTIONS": {"MAX_ENTRIES": 20, "CULL_FREQUENCY": 1}}
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], **small},
        "pages": {**settings.CACHES["pages"], **small},
    }
    asked = [
        client.post(
            "/api/assistant/ask", {"question": "VNeID là gì?"}, "application/json"
        )
        for _ in range(3)
    ]
    assert [r.status_code for r in asked] == [200, 200, 200]
    for n in range(60):
        client.get(f"/?trang={n}")
    again = client.post(
        "/api/assistant/ask", {"question": "VNeID là gì?"}, "application/json"
    )
    assert again.status_code == 429
