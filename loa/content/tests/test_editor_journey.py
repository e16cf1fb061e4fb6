"""The editor's journey (issue 15): "Viết bài" opens Wagtail's editor in the ward's
portal, the editor reads Vietnamese there, /cms/ signs in through Loa's login, and the
author hears from Loa when an article is returned or published."""

import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import TaskState

from loa.content.models import ArticlePage, SectionPage
from loa.content.starter import PAGE_PERMISSIONS
from loa.core import roles
from loa.core.context_processors import ARTICLE_WRITERS
from loa.core.models import Notification, Ward
from loa.core.tests.factories import WardFactory, staff_user

from .conftest import make_article

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "content" / "locale" / "vi" / "LC_MESSAGES"


@pytest.fixture
def ward(portal):
    return portal["ward"]


@pytest.fixture
def editor(ward):
    return staff_user(ward=ward, role=roles.EDITOR, username="bientap")


@pytest.fixture
def approver(ward):
    return staff_user(ward=ward, role=roles.APPROVER, username="duyet")


@pytest.fixture
def leader(ward):
    return staff_user(ward=ward, role=roles.LEADER, username="lanhdao")


# ---- the editor's screens in Vietnamese


def test_the_article_editor_speaks_vietnamese(client, editor, section):
    client.force_login(editor)
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["content", "articlepage", section.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    for vietnamese in ("Lưu bản nháp", "Thêm thao tác", "Gửi duyệt", "Tiêu đề"):
        assert vietnamese in html, vietnamese
    for english in ("Save draft", "More actions", "Page title", "Submit to "):
        assert english not in html, english


def test_a_slug_in_use_is_explained_in_vietnamese(client, editor, section):
    existing = make_article(section, title="Đã có bài này", slug="da-co-bai-nay")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", section.pk])
    response = client.post(
        url,
        {
            "title": "Bài khác",
            "slug": existing.slug,
            "sapo": "Sa pô.",
            "body-count": "0",
        },
    )
    html = response.content.decode()
    assert "is already in use" not in html
    assert "Đường dẫn “da-co-bai-nay” đã có bài khác dùng" in html


def test_the_workflow_buttons_and_messages_are_vietnamese(
    client, editor, approver, section
):
    article = make_article(section, title="Bài chờ duyệt", publish=False)
    article.get_workflow().start(article, editor)
    client.force_login(approver)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content
    html = html.decode()
    assert "Trả lại để sửa" in html and "Phê duyệt" in html
    assert "Request changes" not in html and "Approve" not in html


def test_the_admin_scripts_catalogue_is_vietnamese(client, editor):
    client.force_login(editor)
    text = client.get("/cms/jsi18n/").content.decode("utf-8")
    # "Insert a block", the body's block chooser (the catalogue escapes non-ASCII).
    assert json.dumps("Chèn khối")[1:-1] in text


def _po_entries(path: Path) -> dict:
    """msgid (or msgid with its plural) → msgstr of a .po file, the fuzzy ones left out."""
    entries, current, key, fuzzy = {}, {}, None, False

    def flush():
        if "msgid" in current and current["msgid"] and not fuzzy:
            msgstr = current.get("msgstr", current.get("msgstr[0]", ""))
            entries[(current.get("msgctxt"), current["msgid"])] = msgstr

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            flush()
            current, key, fuzzy = {}, None, False
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += _unquote(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = _unquote(value)
    return entries


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


CORE_LOCALE = Path(settings.BASE_DIR) / "core" / "locale" / "vi" / "LC_MESSAGES"


@pytest.mark.parametrize(
    ("folder", "domain"),
    [(LOCALE, "django"), (LOCALE, "djangojs"), (CORE_LOCALE, "django")],
)
def test_the_compiled_catalogue_matches_its_source(folder, domain):
    po = _po_entries(folder / f"{domain}.po")
    with (folder / f"{domain}.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = {key: value for key, value in compiled._catalog.items() if key != ""}
    expected = {}
    for (context, msgid), msgstr in po.items():
        name = f"{context}\x04{msgid}" if context else msgid
        if msgstr:
            expected[name] = msgstr
    found = {
        (key[0] if isinstance(key, tuple) else key): value
        for key, value in catalog.items()
    }
    assert found == expected, (
        f"{folder}/{domain}.mo is out of date: "
        f"msgfmt --check -o {domain}.mo {domain}.po"
    )


def test_the_admin_offers_only_vietnamese():
    assert settings.WAGTAILADMIN_PERMITTED_LANGUAGES == [("vi", "Tiếng Việt")]


# ---- the login


def test_wagtails_login_page_sends_to_loas_login(client):
    response = client.get("/cms/login/?next=/cms/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/cms/pages/"
    response = client.get("/cms/login/?next=https://lua-dao.example/")
    assert response["Location"] == f"{reverse('login')}?next=/cms/"


def test_a_signed_out_officer_opening_the_editor_signs_in_at_loa(client, editor):
    response = client.get("/cms/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/cms/pages/")
    page = client.get(response["Location"])
    assert "Đăng nhập" in page.content.decode()
    assert "Sign in" not in page.content.decode()
    editor.set_password("mat-khau-thu-nghiem-2026")
    editor.save()
    done = client.post(
        reverse("login"),
        {
            "username": editor.username,
            "password": "mat-khau-thu-nghiem-2026",
            "next": "/cms/pages/",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/cms/pages/"


def test_a_signed_in_editor_at_the_cms_login_goes_on(client, editor):
    client.force_login(editor)
    response = client.get("/cms/login/?next=/cms/pages/")
    assert response["Location"] == "/cms/pages/"


# ---- "Viết bài"


def test_write_lists_the_wards_sections_and_opens_the_editor(client, editor, ward):
    client.force_login(editor)
    response = client.get(reverse("content:article_write"))
    assert response.status_code == 200
    html = response.content.decode()
    own = SectionPage.objects.descendant_of(ward.site.root_page)
    assert own.count() == 5
    for section in own:
        url = reverse(
            "wagtailadmin_pages:add", args=["content", "articlepage", section.pk]
        )
        assert url in html
    editor_page = client.get(
        reverse(
            "wagtailadmin_pages:add",
            args=["content", "articlepage", own.first().pk],
        )
    )
    assert editor_page.status_code == 200


def test_write_goes_straight_to_the_editor_when_there_is_one_section(
    client, editor, ward
):
    sections = list(SectionPage.objects.descendant_of(ward.site.root_page))
    for section in sections[1:]:
        section.delete()
    client.force_login(editor)
    response = client.get(reverse("content:article_write"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=["content", "articlepage", sections[0].pk]
    )


def test_write_never_offers_another_wards_sections(client, ward):
    from loa.content.starter import content_starter_load

    other = WardFactory(name="Thành Đông", slug="thanh-dong")
    content_starter_load()
    user = staff_user(ward=other, role=roles.EDITOR)
    client.force_login(user)
    html = client.get(reverse("content:article_write")).content.decode()
    for section in SectionPage.objects.descendant_of(ward.site.root_page):
        assert f"/articlepage/{section.pk}/" not in html
    for section in SectionPage.objects.descendant_of(
        Ward.objects.get(pk=other.pk).site.root_page
    ):
        assert f"/articlepage/{section.pk}/" in html


def test_write_is_refused_to_staff_without_editing_rights(client, ward):
    client.force_login(staff_user(ward=ward, role=roles.UNIT_STAFF))
    response = client.get(reverse("content:article_write"))
    assert response.status_code == 403
    assert "chưa có quyền viết bài" in response.content.decode()


def test_the_menu_condition_follows_who_may_add_pages(client, ward):
    adders = {role for role, rights in PAGE_PERMISSIONS.items() if "add_page" in rights}
    assert adders == ARTICLE_WRITERS
    for role in roles.ALL_ROLES:
        if role == roles.CITY_STAFF:
            continue
        user = staff_user(ward=ward, role=role)
        client.force_login(user)
        response = client.get(reverse("content:article_write"))
        assert response.context["can_write_articles"] == (role in adders), role
        assert (response.status_code == 200) == (role in adders), role


def test_the_culture_office_edits_a_copied_library_article(client, ward, editor):
    """Phòng VH-XH copies the city's articles: it lands in the editor of the copy,
    not on a login page."""
    from loa.content.services import article_draft_create

    officer = staff_user(ward=ward, role=roles.CULTURE_STAFF)
    page = article_draft_create(
        ward=ward, title="Chợ 4.0", sapo="Sa pô.", paragraphs=["Đoạn một."], by=officer
    )
    client.force_login(officer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert "Lưu bản nháp" in response.content.decode()


# ---- notifications to the author


def _decide(article, user, action, comment=""):
    state = TaskState.objects.get(
        workflow_state=article.current_workflow_state,
        status=TaskState.STATUS_IN_PROGRESS,
    )
    state.task.specific.on_action(state.specific, user, action, comment=comment)


def test_the_author_hears_when_the_article_is_returned(
    client, editor, approver, section
):
    article = make_article(section, title="Bài cần sửa", publish=False)
    ArticlePage.objects.filter(pk=article.pk).update(owner=editor)
    article.refresh_from_db()
    article.get_workflow().start(article, editor)
    _decide(article, approver, "reject", "Thiếu nguồn của số liệu")
    notice = Notification.objects.get(recipient=editor)
    assert notice.title == "Bài bị trả lại: Bài cần sửa"
    assert "Thiếu nguồn của số liệu" in notice.body
    assert notice.url == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert not Notification.objects.filter(
        recipient=approver, title__startswith="Bài bị"
    )
    # The link opens the editor for the author.
    client.force_login(editor)
    assert client.get(notice.url).status_code == 200
    # The notice shows in the author's own list.
    listing = client.get(reverse("core:notification_list")).content.decode()
    assert "Bài bị trả lại: Bài cần sửa" in listing


def test_the_author_hears_when_the_article_is_published(
    editor, approver, leader, section
):
    article = make_article(section, title="Bài sẽ đăng", publish=False)
    ArticlePage.objects.filter(pk=article.pk).update(owner=editor)
    article.refresh_from_db()
    article.get_workflow().start(article, editor)
    _decide(article, approver, "approve")
    assert not Notification.objects.filter(title__startswith="Bài đã xuất bản")
    _decide(article, leader, "approve")
    article.refresh_from_db()
    assert article.live
    notice = Notification.objects.get(recipient=editor, title__startswith="Bài đã")
    assert notice.title == "Bài đã xuất bản: Bài sẽ đăng"
    assert notice.url.endswith(article.url)
    assert notice.url.startswith("http")
    # Nobody else gets it, and the leader who published is not told of their own act.
    assert Notification.objects.filter(title__startswith="Bài đã").count() == 1


def test_an_article_of_nobody_notifies_nobody(section):
    make_article(section, title="Bài mẫu", publish=True)
    assert not Notification.objects.filter(title__startswith="Bài đã").exists()
