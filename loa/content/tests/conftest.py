import pytest
from django.core.cache import cache

from loa.assistant import index


@pytest.fixture(autouse=True)
def _own_index_and_cache(settings, tmp_path):
    """Each test gets its own assistant index folder and an empty page cache."""
    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    index.forget_retriever()
    yield
    index.forget_retriever()


@pytest.fixture
def portal(db):
    from loa.content.starter import content_starter_load

    cache.clear()
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    return content_starter_load()


@pytest.fixture
def section(portal):
    from loa.content.models import SectionPage

    return SectionPage.objects.get(slug="chuyen-doi-so")


def make_article(parent, *, title, sapo="Sa pô của bài.", slug=None, publish=True):
    from loa.content.models import ArticlePage

    article = ArticlePage(
        title=title,
        slug=slug or "",
        sapo=sapo,
        body=[("paragraph", "<p>Nội dung bài viết để thử.</p>")],
        live=False,
    )
    parent.add_child(instance=article)
    revision = article.save_revision()
    if publish:
        revision.publish()
    article.refresh_from_db()
    return article
