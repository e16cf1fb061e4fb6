"""Shared fixtures of the outbox tests: a portal article tied to a plan task, and a local
imitation of the Zalo OA, Facebook Graph and YouTube Data APIs."""

import pytest
from django.core.cache import cache

from loa.core.testing.platforms import PlatformImitation, no_proxy

ZALO_TOKEN = "ZALO-OA-TOKEN-1"
FB_TOKEN = "FB-PAGE-TOKEN-2"
FB_PAGE = "1029384756"
YT_TOKEN = "YT-TOKEN-3"

# The canned successes of each platform, numbered by the request.
ANSWERS = {
    "zalo": lambda n, request: {
        "error": 0,
        "message": "Success",
        "data": {"message_id": f"z{n}"},
    },
    "facebook": lambda n, request: {"id": f"{FB_PAGE}_{n}"},
    "youtube": lambda n, request: {"id": f"vid{n}", "kind": "youtube#video"},
}


@pytest.fixture
def platforms(settings, monkeypatch):
    imitation = PlatformImitation(ANSWERS).start()
    no_proxy(monkeypatch)
    base = imitation.url
    settings.LOA_ZALO_OA_ACCESS_TOKEN = ZALO_TOKEN
    settings.LOA_ZALO_OA_API_URL = f"{base}/zalo"
    settings.LOA_FACEBOOK_PAGE_ID = FB_PAGE
    settings.LOA_FACEBOOK_PAGE_TOKEN = FB_TOKEN
    settings.LOA_FACEBOOK_API_URL = f"{base}/facebook/v21.0"
    settings.LOA_YOUTUBE_ACCESS_TOKEN = YT_TOKEN
    settings.LOA_YOUTUBE_API_URL = f"{base}/youtube"
    yield imitation
    imitation.stop()


@pytest.fixture(autouse=True)
def _outbox_settings(settings):
    settings.LOA_ZALO_OA_ACCESS_TOKEN = ""
    settings.LOA_FACEBOOK_PAGE_ID = ""
    settings.LOA_FACEBOOK_PAGE_TOKEN = ""
    settings.LOA_YOUTUBE_ACCESS_TOKEN = ""
    settings.LOA_CHANNELS_DEFAULT = []
    settings.LOA_CHANNELS_HOLD_MINUTES = 0
    settings.LOA_CHANNELS_MAX_ATTEMPTS = 3
    settings.LOA_CHANNELS_BACKOFF_SECONDS = 1
    settings.LOA_ZALO_PROMO_MONTHLY_QUOTA = 1000


@pytest.fixture
def section(db, settings, tmp_path):
    from loa.content.models import SectionPage
    from loa.content.starter import content_starter_load

    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    cache.clear()
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    return SectionPage.objects.get(slug="chuyen-doi-so")


@pytest.fixture
def task(db):
    """A task of the portal's ward (the ward its articles and deliveries belong to)."""
    from loa.core.tests.factories import ward_ensure
    from loa.plans.tests.factories import TaskFactory

    return TaskFactory(plan__ward=ward_ensure())


def make_article(
    parent,
    *,
    title="Phường ra mắt Tổ công nghệ số cộng đồng",
    task=None,
    slug=None,
    sapo="Sáng 5/3, phường ra mắt 12 Tổ công nghệ số cộng đồng.",
    body="<p>Các tổ sẽ giúp người dân cài VNeID và nộp hồ sơ trực tuyến.</p>",
    tags=(),
    publish=True,
):
    from loa.content.models import ArticlePage

    article = ArticlePage(
        title=title,
        slug=slug or "",
        sapo=sapo,
        body=[("paragraph", body)],
        related_task=task,
        live=False,
    )
    parent.add_child(instance=article)
    for tag in tags:
        article.tags.add(tag)
    revision = article.save_revision()
    if publish:
        revision.publish()
    article.refresh_from_db()
    return article
