import pytest
from django.core.exceptions import ValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Site

from loa.content.models import (
    ArticlePage,
    GuidePage,
    HomePage,
    PlanPage,
    SectionPage,
)
from loa.content.starter import WORKFLOW_NAME, content_starter_load
from loa.content.wards import ward_for_page
from loa.core import roles
from loa.core.tests.factories import UnitFactory, UserFactory
from loa.plans.models import Plan, Task

from .conftest import make_article

pytestmark = pytest.mark.django_db


def test_home_page_is_the_site_root_and_lists_sections_in_vietnamese(portal, client):
    assert Site.objects.get(is_default_site=True).root_page.specific == portal["home"]
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số" in html
    assert "Chuyển đổi số là gì? Hiểu đơn giản trong ba phút" in html
    assert 'aria-label="Chuyên mục"' in html


def test_logged_in_staff_at_root_go_to_their_plan_list(portal, client):
    user = UserFactory()
    user.save()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/ke-hoach/"


def test_root_without_portal_home_shows_the_house_landing_page(db, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "core/home.html" in [t.name for t in response.templates]


def test_section_page_lists_its_articles(section, client):
    response = client.get(section.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cảnh giác cuộc gọi giả danh công an, cán bộ phường" in html
    assert "ai cũng học được kỹ năng số" not in html  # another section's article


def test_section_page_paginates_articles(section, client):
    for n in range(11):
        make_article(section, title=f"Bài thử số {n}", slug=f"bai-thu-{n}")
    first = client.get(section.url).content.decode()
    second = client.get(section.url + "?trang=2").content.decode()
    assert "Trang 1/2" in first
    assert "Trang 2/2" in second


def test_article_page_renders_body_quote_tags_and_date(portal, client):
    article = ArticlePage.objects.get(slug="chuyen-doi-so-la-gi")
    html = client.get(article.url).content.decode()
    assert "<blockquote>" in html
    assert "Nghị quyết 57" in html
    assert "Đăng ngày" in html
    assert "<article" in html


def test_article_has_open_graph_and_twitter_tags(section, client):
    image = Image.objects.create(title="Ảnh thử", file=get_test_image_file())
    article = make_article(
        section, title="Bài có ảnh", slug="bai-co-anh", publish=False
    )
    article.image = image
    article.image_alt = "Người dân dùng điện thoại"
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert '<meta property="og:title" content="Bài có ảnh">' in html
    assert '<meta property="og:description" content="Sa pô của bài.">' in html
    # Shared links are on the ward's address, not on the host the page was read at.
    base = ward_for_page(article).public_url
    assert f'<link rel="canonical" href="{base}/chuyen-doi-so/bai-co-anh/">' in html
    assert (
        f'<meta property="og:url" content="{base}/chuyen-doi-so/bai-co-anh/">' in html
    )
    assert f'property="og:image" content="{base}/media/images/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'alt="Người dân dùng điện thoại"' in html


def test_article_image_needs_a_description(section):
    image = Image.objects.create(title="Ảnh thử", file=get_test_image_file())
    article = ArticlePage(
        title="Bài", slug="bai", sapo="Sa pô", body=[], image=image, image_alt=""
    )
    with pytest.raises(ValidationError) as excinfo:
        section.add_child(instance=article)
    assert "image_alt" in excinfo.value.message_dict


def test_guide_page_renders_its_steps(portal, client):
    guide = GuidePage(
        title="Cài ứng dụng VNeID",
        slug="cai-vneid",
        intro="Ba bước đơn giản.",
        steps=[
            ("step", {"title": "Mở kho ứng dụng", "body": "<p>Tìm VNeID.</p>"}),
            ("step", {"title": "Cài đặt", "body": "<p>Bấm Cài đặt.</p>"}),
        ],
    )
    portal["home"].add_child(instance=guide)
    guide.save_revision().publish()
    html = client.get(guide.url).content.decode()
    assert '<ol class="steps">' in html
    assert "Mở kho ứng dụng" in html


def test_plan_page_shows_sections_and_tasks_read_only(portal, client):
    unit = UnitFactory(name="Phòng Văn hóa - Xã hội")
    plan = Plan.objects.create(
        ward=unit.ward,
        status=Plan.Status.ACTIVE,
        number="12/KH-UBND",
        title="Tuyên truyền về chuyển đổi số năm 2025",
        sections=[{"heading": "I. MỤC ĐÍCH", "items": ["Nâng cao nhận thức."]}],
    )
    Task.objects.create(plan=plan, unit=unit, text="Đăng tin trên cổng thông tin")
    page = PlanPage(title="Kế hoạch tuyên truyền CĐS", slug="ke-hoach-12", plan=plan)
    portal["home"].add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "I. MỤC ĐÍCH" in html
    assert "Phòng Văn hóa - Xã hội" in html
    assert "Đăng tin trên cổng thông tin" in html
    assert 'method="post"' not in html.split("<main>")[1]


def test_articles_live_only_under_a_section():
    assert not ArticlePage.can_exist_under(HomePage())
    assert ArticlePage.can_exist_under(SectionPage())
    assert not SectionPage.can_exist_under(SectionPage())
    assert HomePage.allowed_parent_page_models() == [Page]


def test_draft_article_is_not_found_for_visitors(section, client):
    draft = make_article(section, title="Bản nháp", slug="ban-nhap", publish=False)
    assert not draft.live
    assert client.get("/chuyen-doi-so/ban-nhap/").status_code == 404


def test_starter_loader_is_idempotent(portal):
    counts = (
        Page.objects.count(),
        ArticlePage.objects.count(),
        SectionPage.objects.count(),
    )
    again = content_starter_load()
    assert again["sections"] == again["articles"] == 0
    assert counts == (
        Page.objects.count(),
        ArticlePage.objects.count(),
        SectionPage.objects.count(),
    )
    assert (ArticlePage.objects.live().count(), SectionPage.objects.count()) == (3, 5)
    # Wagtail's welcome page is gone: root + home + 5 sections + 3 articles.
    assert Page.objects.count() == 10


def test_starter_sets_up_the_review_workflow_and_roles(portal):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    from loa.content.starter import ward_group_name

    home, ward = portal["home"], portal["ward"]
    workflow = home.get_workflow()
    assert workflow.name == f"{WORKFLOW_NAME} — {ward.display_name}"
    steps = [t.specific for t in workflow.tasks]
    assert [s.name for s in steps] == [roles.APPROVER, roles.LEADER]
    # Only the ward's own approver and leader decide its articles.
    assert [list(s.groups.values_list("name", flat=True)) for s in steps] == [
        [ward_group_name(roles.APPROVER, ward)],
        [ward_group_name(roles.LEADER, ward)],
    ]
    editor_perms = set(
        GroupPagePermission.objects.filter(
            group=Group.objects.get(name=ward_group_name(roles.EDITOR, ward)),
            page=home,
        ).values_list("permission__codename", flat=True)
    )
    assert editor_perms == {"add_page", "change_page"}
    # The install-wide role groups hold no page rights (they would reach every ward).
    assert not GroupPagePermission.objects.filter(group__name__in=roles.ALL_ROLES)
    # Only the leader publishes (through the workflow's last approval).
    publishers = set(
        GroupPagePermission.objects.filter(
            page=home, permission__codename="publish_page"
        ).values_list("group__name", flat=True)
    )
    assert publishers == {ward_group_name(roles.LEADER, ward)}


def test_editor_form_for_an_article_opens_in_wagtail_admin(section, client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("bientap", password="x")
    client.force_login(admin)
    url = f"/cms/pages/add/content/articlepage/{section.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sa pô" in html
    assert "Chọn nhiệm vụ kế hoạch" in html
    assert client.get("/cms/nhiem-vu-ke-hoach/").status_code == 200
