"""Each ward's public surface belongs to it, found from the address a visitor opened:
its portal tree, search and feed, its assistant and tickets, its volunteers; its editors
work only in its tree and choose only its tasks."""

import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from loa.assistant.models import Ticket, VolunteerRequest
from loa.content.models import ArticlePage, SectionPage
from loa.content.starter import content_starter_load
from loa.core import roles
from loa.core.models import ResidentialGroup, Ward
from loa.core.services import ward_address_set
from loa.core.tests.factories import WardFactory, staff_user
from loa.plans.tests.factories import TaskFactory

from .conftest import make_article

pytestmark = pytest.mark.django_db

HOST_B = "phuong-b.example.gov.vn"


@pytest.fixture
def wards(db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST_B, "anbinh.example.gov.vn"]
    cache.clear()
    a = WardFactory(name="An Bình", slug="an-binh")
    b = WardFactory(name="Bến Đò", slug="ben-do")
    content_starter_load()
    ward_address_set(ward=b, address=f"https://{HOST_B}")
    for ward in (a, b):
        ward.refresh_from_db()
        ResidentialGroup.objects.create(ward=ward, name=f"Tổ 1 {ward.name}")
    return a, b


def _section(ward, slug="chuyen-doi-so"):
    return SectionPage.objects.descendant_of(ward.site.root_page).get(slug=slug)


def test_each_ward_has_its_own_portal_at_its_own_address(wards, client):
    a, b = wards
    make_article(_section(b), title="Ngày hội số ở Bến Đò", slug="ngay-hoi-so")
    home_a = client.get("/").content.decode()
    home_b = client.get("/", HTTP_HOST=HOST_B).content.decode()
    assert "An Bình" in home_a and "Bến Đò" not in home_a
    assert "Bến Đò" in home_b and "An Bình" not in home_b
    section_b = client.get("/chuyen-doi-so/", HTTP_HOST=HOST_B).content.decode()
    assert "Ngày hội số ở Bến Đò" in section_b
    assert "Ngày hội số" not in client.get("/chuyen-doi-so/").content.decode()
    # Ward B's article is not a page of ward A's portal, nor in its search or feed.
    assert client.get("/chuyen-doi-so/ngay-hoi-so/").status_code == 404
    assert (
        client.get("/chuyen-doi-so/ngay-hoi-so/", HTTP_HOST=HOST_B).status_code == 200
    )
    link = 'href="/chuyen-doi-so/ngay-hoi-so/"'
    assert link not in client.get("/search/?q=ngay+hoi+so").content.decode()
    found = client.get("/search/?q=ngay+hoi+so", HTTP_HOST=HOST_B).content.decode()
    assert link in found
    assert "Ngày hội số" not in client.get("/rss/").content.decode()
    assert "Ngày hội số" in client.get("/rss/", HTTP_HOST=HOST_B).content.decode()


def test_assistant_answers_and_tickets_belong_to_the_ward_of_the_address(wards, client):
    a, b = wards
    question = "Sân bóng của tổ dân phố mở cửa đến mấy giờ tối thứ Bảy?"
    response = client.post(
        "/api/assistant/ask",
        data=json.dumps({"question": question}),
        content_type="application/json",
        HTTP_HOST=HOST_B,
    )
    assert response.status_code == 200
    assert not response.json()["answered"]
    assert list(Ticket.objects.values_list("ward", flat=True)) == [b.pk]
    # Ward B's staff see the ticket in their queue; ward A's do not.
    staff_b = staff_user(ward=b, role=roles.CULTURE_STAFF)
    staff_a = staff_user(ward=a, role=roles.CULTURE_STAFF)
    client.force_login(staff_b)
    assert question in client.get("/tro-ly/cau-hoi-cho/").content.decode()
    client.force_login(staff_a)
    assert question not in client.get("/tro-ly/cau-hoi-cho/").content.decode()


def test_a_declined_question_gives_the_contact_of_the_ward_of_the_address(
    wards, client
):
    """The assistant's "liên hệ …" is the contact line the ward's leader set on the
    portal screen: a resident at ward B's address is sent to ward B's office."""
    from loa.core.services import ward_profile_update

    a, b = wards
    contact_a = "Bộ phận một cửa UBND phường An Bình, số 1 Lê Lợi, 0225 3111 111"
    contact_b = "Bộ phận một cửa UBND phường Bến Đò, số 9 Bến Đò, 0225 3999 999"
    ward_profile_update(ward=a, contact_line=contact_a, phone="0225 3111 111")
    client.force_login(staff_user(ward=b, role=roles.LEADER))
    saved = client.post(
        "/cong-thong-tin/",
        {
            "public_address": f"https://{HOST_B}",
            "office_address": "Số 9 Bến Đò",
            "phone": "0225 3999 999",
            "contact_line": contact_b,
        },
    )
    assert saved.status_code == 302
    client.logout()
    question = "Sân bóng của tổ dân phố mở cửa đến mấy giờ tối thứ Bảy?"

    def ask(**host):
        response = client.post(
            "/api/assistant/ask",
            data=json.dumps({"question": question}),
            content_type="application/json",
            **host,
        )
        assert response.status_code == 200
        body = response.json()
        assert not body["answered"]
        return body["answer"]

    at_b = ask(HTTP_HOST=HOST_B)
    assert contact_b in at_b
    assert contact_a not in at_b and "0225 3111 111" not in at_b
    at_a = ask()
    assert contact_a in at_a
    assert contact_b not in at_a and "0225 3999 999" not in at_a


def test_volunteer_request_takes_only_a_tổ_dân_phố_of_the_ward_of_the_address(
    wards, client
):
    a, b = wards
    groups = client.get("/api/assistant/residential-groups", HTTP_HOST=HOST_B).json()
    assert [g["name"] for g in groups] == ["Tổ 1 Bến Đò"]
    group_a = ResidentialGroup.objects.get(ward=a)
    body = {"residential_group_id": group_a.pk, "question": "Nhờ cài VNeID"}
    refused = client.post(
        "/api/assistant/handoff",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_HOST=HOST_B,
    )
    assert refused.status_code == 404
    assert not VolunteerRequest.objects.exists()
    done = client.post(
        "/api/assistant/handoff",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert done.status_code == 200
    assert list(VolunteerRequest.objects.values_list("ward", flat=True)) == [a.pk]


def test_editor_edits_only_pages_of_their_own_ward(wards, client):
    a, b = wards
    editor_a = staff_user(ward=a, role=roles.EDITOR)
    article_a = ArticlePage.objects.descendant_of(a.site.root_page).first()
    article_b = ArticlePage.objects.descendant_of(b.site.root_page).first()
    client.force_login(editor_a)
    assert client.get(f"/cms/pages/{article_a.pk}/edit/").status_code == 200
    assert client.get(f"/cms/pages/{article_b.pk}/edit/").status_code in (302, 403)
    add_b = f"/cms/pages/add/content/articlepage/{_section(b).pk}/"
    assert client.get(add_b).status_code in (302, 403)
    # Moving to ward B moves the editor's rights with them.
    membership = editor_a.membership
    membership.ward = b
    membership.save()
    assert client.get(f"/cms/pages/{article_b.pk}/edit/").status_code == 200
    assert client.get(f"/cms/pages/{article_a.pk}/edit/").status_code in (302, 403)


def test_only_the_wards_own_approver_decides_its_articles(wards):
    a, b = wards
    approver_b = staff_user(ward=b, role=roles.APPROVER)
    steps = [t.specific for t in a.site.root_page.specific.get_workflow().tasks]
    assert not any(
        step.groups.filter(pk__in=approver_b.groups.all()).exists() for step in steps
    )


def test_task_chooser_lists_only_the_editors_ward_with_plan_and_unit(wards, client):
    a, b = wards
    own = TaskFactory(plan__ward=a, plan__number="12/KH-UBND", text="Việc của An Bình")
    TaskFactory(plan__ward=b, text="Việc của Bến Đò")
    client.force_login(staff_user(ward=a, role=roles.EDITOR))
    html = client.get("/cms/nhiem-vu-ke-hoach/").json()["html"]
    assert "Việc của An Bình" in html and "Việc của Bến Đò" not in html
    assert f"12/KH-UBND · {own.unit.name}" in html


def test_leader_sets_the_wards_address_on_the_portal_screen(wards, client):
    a, _ = wards
    leader = staff_user(ward=a, role=roles.LEADER)
    client.force_login(leader)
    page = client.get("/cong-thong-tin/")
    assert "chỉ mở được trên chính máy chủ" in page.content.decode()
    bad = client.post("/cong-thong-tin/", {"public_address": "phuong an binh"})
    assert bad.status_code == 400
    assert "https://ten-mien.gov.vn" in bad.content.decode()
    done = client.post(
        "/cong-thong-tin/",
        {
            "public_address": "https://anbinh.example.gov.vn/",
            "phone": "0225 3800 000",
            "responsible_person": "Chánh Văn phòng HĐND và UBND phường",
        },
    )
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.public_url == "https://anbinh.example.gov.vn"
    assert a.site.hostname == "anbinh.example.gov.vn" and a.site.port == 443
    client.logout()
    footer = client.get("/", HTTP_HOST="anbinh.example.gov.vn").content.decode()
    assert "Chánh Văn phòng HĐND và UBND phường" in footer
    # Other staff may not change it.
    client.force_login(staff_user(ward=a, role=roles.EDITOR))
    assert client.get("/cong-thong-tin/").status_code == 403


def test_check_warns_of_a_loopback_ward_address_in_production(wards, settings):
    from io import StringIO

    settings.LOA_PRODUCTION = True
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    text = out.getvalue()
    assert "loa.W001" in text and "An Bình" in text
    assert "loa.W002" in text  # ward B's host is not in ALLOWED_HOSTS


def test_ward_command_sets_the_address(wards):
    from io import StringIO

    out = StringIO()
    call_command(
        "ward", "set-address", "an-binh", "https://an-binh.example.vn", stdout=out
    )
    assert Ward.objects.get(slug="an-binh").public_url == "https://an-binh.example.vn"
    assert "https://an-binh.example.vn/" in out.getvalue()


def test_a_changed_footer_shows_at_once_on_cached_pages(wards, client):
    from loa.core.services import ward_profile_update

    a, _ = wards
    assert client.get("/")["X-Loa-Cache"] == "miss"
    assert client.get("/")["X-Loa-Cache"] == "hit"
    ward_profile_update(ward=a, phone="0220 3850 000")
    assert "0220 3850 000" in client.get("/").content.decode()
