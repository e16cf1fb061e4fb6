import importlib
import re
import unicodedata

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db.models import TextField, Value
from django.db.models.functions import Concat, Substr
from django.utils import translation
from django.utils.encoding import iri_to_uri
from wagtail.admin.forms.pages import CopyForm
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from loa.content.models import ArticlePage, HomePage, SectionPage
from loa.content.slugs import (
    ascii_slug,
    page_slug_asciify,
    slug_for_new_page,
    slug_input_formatters,
)
from loa.vn import fold

from .conftest import make_article

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậ eèéẻẽẹêềếểễệ iìíỉĩị oòóỏõọôồốổỗộơờớởỡợ uùúủũụưừứửữự yỳýỷỹỵ đ"
)


# --- ascii_slug ------------------------------------------------------------------


def test_ascii_slug_folds_a_vietnamese_title():
    title = "Cảnh giác cuộc gọi giả danh công an"
    assert ascii_slug(title) == "canh-giac-cuoc-goi-gia-danh-cong-an"


def test_ascii_slug_turns_d_with_stroke_into_d():
    assert ascii_slug("Đăng ký đường dây nóng") == "dang-ky-duong-day-nong"


def test_ascii_slug_folds_horned_u_and_o():
    assert ascii_slug("Ưu tiên người cao tuổi ở Sơn Trà") == (
        "uu-tien-nguoi-cao-tuoi-o-son-tra"
    )


def test_ascii_slug_folds_every_vietnamese_letter_in_both_cases():
    letters = VIETNAMESE_LETTERS + " " + VIETNAMESE_LETTERS.upper()
    assert ascii_slug(letters, max_length=500).replace("-", "").isalpha()
    assert set(ascii_slug(letters, max_length=500)) <= set("aeiouyd-")


def test_ascii_slug_folds_decomposed_text_like_composed_text():
    title = "Bình dân học vụ số"
    assert ascii_slug(unicodedata.normalize("NFD", title)) == "binh-dan-hoc-vu-so"


def test_ascii_slug_joins_words_across_punctuation_and_spaces():
    title = "  Hỏi – đáp: CĐS là gì? (Phần 2) "
    assert ascii_slug(title) == "hoi-dap-cds-la-gi-phan-2"


def test_ascii_slug_of_a_long_title_is_cut_at_a_word_boundary():
    title = (
        "Hướng dẫn chi tiết cách cài đặt ứng dụng định danh điện tử VNeID mức độ hai "
        "cho người cao tuổi tại các tổ dân phố trên địa bàn phường"
    )
    full = ascii_slug(title, max_length=1000)
    slug = ascii_slug(title)
    assert len(full) > 80
    assert len(slug) <= 80
    assert full.startswith(slug + "-")
    assert slug == (
        "huong-dan-chi-tiet-cach-cai-dat-ung-dung-dinh-danh-dien-tu-vneid-muc-do-hai-cho"
    )


def test_ascii_slug_cuts_inside_a_word_longer_than_the_limit():
    assert ascii_slug("Xin chào " + "a" * 100, max_length=10) == "xin-chao"
    assert ascii_slug("a" * 100, max_length=10) == "a" * 10


def test_ascii_slug_of_a_title_without_letters_or_digits_is_empty():
    assert ascii_slug("??? – !!!") == ""


def test_new_page_with_a_title_without_letters_gets_the_fallback_slug():
    assert slug_for_new_page("???") == "trang"


def test_admin_slug_formatters_fold_like_the_vietnamese_toolkit():
    text = VIETNAMESE_LETTERS + " " + VIETNAMESE_LETTERS.upper()
    for pattern, replacement in slug_input_formatters():
        text = re.sub(pattern, replacement, text)
    assert text == fold(VIETNAMESE_LETTERS + " " + VIETNAMESE_LETTERS.upper())
    assert text.isascii()


# --- Pages -----------------------------------------------------------------------


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Cổng thông tin", slug="cong-thu"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    cache.clear()
    return home


@pytest.fixture
def security(home):
    return home.add_child(
        instance=SectionPage(title="An ninh trật tự", slug="an-ninh-trat-tu")
    )


def give_legacy_slug(page, slug):
    """Give the page a Vietnamese slug, as pages made before ASCII slugs have one."""
    page.refresh_from_db()
    old_url_path = page.url_path
    new_url_path = page.get_parent().url_path + slug + "/"
    Page.objects.filter(path__startswith=page.path).update(
        url_path=Concat(
            Value(new_url_path),
            Substr("url_path", len(old_url_path) + 1),
            output_field=TextField(),
        )
    )
    Page.objects.filter(pk=page.pk).update(slug=slug)
    revision = page.latest_revision
    if revision is not None:
        revision.content["slug"] = slug
        revision.save(update_fields=["content"])
    page.refresh_from_db()
    cache.clear()
    return page


LEGACY_SLUG = "cảnh-giác-cuộc-gọi-giả-danh-công-an"
ASCII_SLUG = "canh-giac-cuoc-goi-gia-danh-cong-an"


@pytest.fixture
def legacy_article(security):
    article = make_article(security, title="Cảnh giác cuộc gọi", slug="tam")
    return give_legacy_slug(article, LEGACY_SLUG)


def test_asciify_gives_the_page_its_folded_slug(legacy_article):
    assert page_slug_asciify(page=legacy_article) is True
    legacy_article.refresh_from_db()
    assert legacy_article.slug == ASCII_SLUG
    assert legacy_article.url_path == f"/cong-thu/an-ninh-trat-tu/{ASCII_SLUG}/"


def test_old_address_of_an_asciified_page_redirects_permanently(
    legacy_article, client, django_capture_on_commit_callbacks
):
    old_url = legacy_article.url
    with django_capture_on_commit_callbacks(execute=True):
        page_slug_asciify(page=legacy_article)
    legacy_article.refresh_from_db()

    response = client.get(iri_to_uri(old_url))

    assert response.status_code == 301
    assert response["Location"] == legacy_article.url
    assert client.get(legacy_article.url).status_code == 200


def test_asciify_redirect_is_stored_normalised_for_the_site(legacy_article):
    page_slug_asciify(page=legacy_article)
    redirect = Redirect.objects.get(redirect_page=legacy_article)
    assert redirect.old_path == f"/an-ninh-trat-tu/{LEGACY_SLUG}"
    assert redirect.site == Site.objects.get(is_default_site=True)
    assert redirect.is_permanent


def test_asciify_moves_subpages_and_redirects_their_old_addresses(security, client):
    article = make_article(security, title="Bài thử", slug="bai-thu")
    section = give_legacy_slug(security, "an-ninh-trật-tự")
    article.refresh_from_db()
    old_article_url = article.url

    page_slug_asciify(page=section)

    article.refresh_from_db()
    assert article.url_path == "/cong-thu/an-ninh-trat-tu/bai-thu/"
    response = client.get(iri_to_uri(old_article_url))
    assert response.status_code == 301
    assert response["Location"] == article.url


def test_asciify_adds_a_suffix_when_a_sibling_has_the_folded_slug(
    security, legacy_article
):
    make_article(security, title="Bài cũ", slug=ASCII_SLUG)
    make_article(security, title="Bài cũ nữa", slug=ASCII_SLUG + "-2")

    page_slug_asciify(page=legacy_article)

    legacy_article.refresh_from_db()
    assert legacy_article.slug == ASCII_SLUG + "-3"


def test_asciify_leaves_a_page_with_an_ascii_slug_alone(security):
    article = make_article(security, title="Bài thử", slug="bai-thu")
    assert page_slug_asciify(page=article) is False
    assert not Redirect.objects.exists()


def test_asciify_makes_no_revision_and_leaves_live_content_unchanged(legacy_article):
    revisions = legacy_article.revisions.count()
    page_slug_asciify(page=legacy_article)
    article = ArticlePage.objects.get(pk=legacy_article.pk)
    assert article.revisions.count() == revisions
    assert article.live and not article.has_unpublished_changes
    assert article.title == "Cảnh giác cuộc gọi"


def test_publishing_the_latest_revision_after_asciify_keeps_the_ascii_slug(
    legacy_article,
):
    page_slug_asciify(page=legacy_article)
    legacy_article.refresh_from_db()
    legacy_article.latest_revision.publish()
    assert ArticlePage.objects.get(pk=legacy_article.pk).slug == ASCII_SLUG


def test_new_page_slug_gets_a_suffix_when_a_sibling_has_it(security):
    make_article(security, title="Bài thử", slug="dang-ky-duong-day-nong")
    slug = slug_for_new_page("Đăng ký đường dây nóng", parent=security)
    assert slug == "dang-ky-duong-day-nong-2"


def test_copy_form_refuses_a_vietnamese_slug_with_a_vietnamese_message(
    legacy_article, admin_user
):
    data = {
        "new_title": "Bản sao",
        "new_slug": "bản-sao",
        "new_parent_page": legacy_article.get_parent().pk,
    }
    with translation.override("vi"):
        form = CopyForm(data, page=legacy_article, user=admin_user)
        assert not form.is_valid()
        assert form.errors["new_slug"] == [
            "Đường dẫn chỉ được gồm chữ cái không dấu, chữ số, dấu gạch dưới hoặc "
            "gạch ngang, ví dụ: canh-giac-lua-dao."
        ]


def test_migration_renames_vietnamese_slugs_and_redirects_old_addresses(
    security, client
):
    migration = importlib.import_module("loa.content.migrations.0002_ascii_slugs")
    article = make_article(security, title="Cảnh giác cuộc gọi", slug="tam")
    give_legacy_slug(article, LEGACY_SLUG)
    give_legacy_slug(security, "an-ninh-trật-tự")
    article.refresh_from_db()
    old_article_url = article.url

    migration.ascii_slugs(apps, None)

    article.refresh_from_db()
    assert article.slug == ASCII_SLUG
    assert article.url_path == f"/cong-thu/an-ninh-trat-tu/{ASCII_SLUG}/"
    assert article.latest_revision.content["slug"] == ASCII_SLUG
    cache.clear()
    response = client.get(iri_to_uri(old_article_url))
    assert response.status_code == 301
    assert response["Location"] == article.url
    assert client.get(iri_to_uri("/an-ninh-trật-tự/")).status_code == 301
