"""Script injection and CSRF (issue 7): every user string is rendered inert.

Payloads go into what residents and staff type: article title, sapo and body; plan task
text; chat questions; names of learners, team members, teams, tổ dân phố and units;
class places; report narratives and commendations; knowledge-document links. Each page
that shows them is fetched and read with an HTML parser: no ``<script>`` carries the
payload, no ``on…`` attribute carries it, no ``href``/``src``/``action`` is a
``javascript:`` URL, and the raw payload never appears unescaped (the pygal SVG charts of
the dashboard are inline in the page, so their labels are checked the same way).

CSRF: every view of Loa's URL conf that is not explicitly exempt refuses a POST without
a token (``Client(enforce_csrf_checks=True)``, signed in as a superuser, so that the only
possible refusal is the CSRF one). The exempt views are listed here with the reason.
"""

from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.http import HttpResponseForbidden
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from loa.assistant import index
from loa.assistant.models import FAQ, Ticket, VolunteerRequest
from loa.core import roles
from loa.core.models import Notification, ResidentialGroup, Unit
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.learning.models import (
    Attendance,
    Certificate,
    ClassSession,
    Course,
    Learner,
    Lesson,
    Team,
    TeamMember,
)
from loa.plans.models import Activity
from loa.plans.tests.factories import ActivityFactory, PlanFactory, TaskFactory
from loa.reports.budget import allocation_set
from loa.reports.models import Commendation, FundingSource, UnitNarrative
from loa.reports.services import draft_get_or_create

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
XSS = SCRIPT + IMG
RAW = (SCRIPT, IMG, "<img src=x", "onerror=alert(1)>")


class _Inspector(HTMLParser):
    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in_script = True
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "alert(1)" in value:
                self.problems.append(f"<{tag} {name}={value!r}>")
            # Browsers drop leading spaces and control characters before the scheme.
            bare = "".join(ch for ch in value if ch > " ").lower()
            if name in self.URL_ATTRS and bare.startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append(f"<img src=x> from a payload: {attrs!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(1)" in data:
            self.problems.append(f"<script>{data[:80]}</script>")


def assert_inert(response, where: str = "", status: int = 200) -> str:
    """The page renders and no payload became markup."""
    assert response.status_code == status, (where, response.status_code)
    html = response.content.decode()
    for raw in RAW:
        assert raw not in html, f"{where}: unescaped {raw!r}"
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, (where, inspector.problems)
    return html


def shown(html: str) -> bool:
    """The payload is on the page as text (escaped), so the test looked at the right page."""
    return "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "alert(1)" in html


@pytest.fixture(autouse=True)
def _own_index_and_cache(db, settings, tmp_path):
    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    settings.LOA_ASSISTANT_RATE_PER_MINUTE = 1000
    index.forget_retriever()
    cache.clear()
    yield
    index.forget_retriever()


@pytest.fixture
def ward(db):
    return WardFactory(name="Hải Dương", slug="hai-duong")


@pytest.fixture
def leader(ward):
    unit = UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội")
    return staff_user(
        ward=ward, unit=unit, role=roles.LEADER, is_superuser=True, is_staff=True
    )


@pytest.fixture
def staff(leader):
    client = Client()
    client.force_login(leader)
    return client


# ------------------------------------------------------------------------ portal


@pytest.fixture
def portal(db):
    from loa.content.starter import content_starter_load
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    return content_starter_load()


def test_article_title_sapo_and_body_are_inert_on_the_portal(ward, portal):
    from loa.content.models import ArticlePage, SectionPage

    section = SectionPage.objects.get(slug="chuyen-doi-so")
    article = ArticlePage(
        title=f"Tin {XSS}",
        slug="tin-thu-tiem-ma",
        sapo=f"Sa pô {XSS} {JS_URL}",
        body=[
            (
                "paragraph",
                f"<p>Đoạn {SCRIPT}<img src=x onerror=alert(1)>"
                f'<a href="{JS_URL}">bấm</a><a href=" JaVaScRiPt:alert(1)">2</a></p>',
            ),
            ("quote", {"text": f"Trích {XSS}", "attribution": f"Người {IMG}"}),
        ],
    )
    article.tags.add(f"thẻ {IMG}")
    section.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()

    anonymous = Client()
    html = assert_inert(anonymous.get(article.url), "article")
    assert shown(html) and "bấm" in html
    assert shown(assert_inert(anonymous.get(section.url), "section"))
    assert shown(assert_inert(anonymous.get("/"), "home"))
    # The search page highlights matches itself (mark_safe around escaped pieces).
    for query in ("Tin", "alert", SCRIPT, IMG):
        assert_inert(anonymous.get("/search/", {"q": query}), f"search {query!r}")
    feed = anonymous.get("/rss/").content.decode()
    assert SCRIPT not in feed and IMG not in feed


def test_plan_task_text_is_inert_on_staff_pages_and_the_public_plan_page(
    ward, leader, staff, portal
):
    from loa.content.models import HomePage, PlanPage

    unit = Unit.objects.get(ward=ward)
    plan = PlanFactory(
        ward=ward,
        number=f"77/KH {IMG}",
        title=f"Kế hoạch {XSS}",
        signer=f"Người ký {IMG}",
        issuer=f"UBND {SCRIPT}",
    )
    task = TaskFactory(plan=plan, unit=unit, text=f"Nhiệm vụ {XSS} {JS_URL}")
    ActivityFactory(task=task, title=f"Hoạt động {XSS}", note=f"Ghi chú {IMG}")
    for url in (
        "/nhiem-vu/",
        f"/nhiem-vu/{task.pk}/",
        "/ke-hoach/",
        f"/ke-hoach/{plan.pk}/",
    ):
        assert shown(assert_inert(staff.get(url), url))
    home = HomePage.objects.first()
    page = PlanPage(title=f"Kế hoạch {XSS}", slug="ke-hoach-77", plan=plan, intro=IMG)
    home.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    assert shown(assert_inert(Client().get(page.url), "public plan page"))


# ------------------------------------------------------------------------ assistant


def test_chat_question_is_inert_in_the_answer_and_in_the_staff_queue(ward, staff):
    question = f"Lệ phí kích hoạt VNeID mức 2 {XSS} {JS_URL} là bao nhiêu tiền?"
    response = Client().post(
        "/api/assistant/ask", {"question": question}, content_type="application/json"
    )
    assert response.status_code == 200
    assert not response.json()["answered"]
    ticket = Ticket.objects.get()
    assert SCRIPT in ticket.question  # stored as typed; escaping is the page's work
    assert shown(assert_inert(staff.get("/tro-ly/cau-hoi-cho/"), "ticket queue"))
    assert shown(assert_inert(staff.get(f"/tro-ly/cau-hoi-cho/{ticket.pk}/"), "ticket"))
    assert_inert(staff.get("/tro-ly/thong-ke/"), "usage")
    # The chat page without JavaScript shows the question back.
    assert shown(
        assert_inert(Client().post("/tro-ly/", {"question": question}), "chat")
    )


def test_handoff_contact_is_inert_on_the_volunteer_requests_page(ward, staff):
    group = ResidentialGroup.objects.create(ward=ward, name=f"Tổ {IMG}", order=1)
    response = Client().post(
        "/api/assistant/handoff",
        {
            "residential_group_id": group.pk,
            "question": f"Cần giúp {XSS}",
            "contact_name": f"Bà {SCRIPT}",
            "contact_phone": "0912345678",
            "consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert VolunteerRequest.objects.exists()
    assert shown(assert_inert(staff.get("/tro-ly/can-ho-tro/"), "volunteer requests"))


def test_a_javascript_link_of_a_knowledge_document_is_never_a_citation_link(
    ward, django_capture_on_commit_callbacks
):
    """A knowledge document's or FAQ's "url" is free text in the staff form; the chat
    page and the widget made it the citation's link, so "javascript:…" ran on click."""
    from loa.assistant.models import KnowledgeDocument
    from loa.assistant.services import document_save, faq_save

    with django_capture_on_commit_callbacks(execute=True):
        document_save(
            doc=KnowledgeDocument(
                external_id="doc-js",
                kind="guide",
                title="Hướng dẫn kích hoạt VNeID mức 2",
                source="Công an phường",
                url=JS_URL,
                text="## Kích hoạt VNeID mức 2\nMang thẻ căn cước đến công an phường "
                "để kích hoạt tài khoản định danh điện tử VNeID mức 2.\n",
            )
        )
        faq_save(
            faq=FAQ(
                external_id="faq-js",
                question="Cổng Dịch vụ công quốc gia là gì?",
                variants="cong dich vu cong quoc gia la gi",
                answer="Là nơi nộp hồ sơ thủ tục hành chính trực tuyến.",
                source="Văn phòng Chính phủ",
                url="\x01javascript:alert(1)",
            )
        )
    for question in (
        "Kích hoạt VNeID mức 2 ở đâu?",
        "Cổng Dịch vụ công quốc gia là gì?",
    ):
        api = Client().post(
            "/api/assistant/ask",
            {"question": question},
            content_type="application/json",
        )
        citations = api.json()["citations"]
        assert citations, question
        assert all(
            c["url"] is None or "javascript" not in c["url"].lower() for c in citations
        )
        assert_inert(Client().post("/tro-ly/", {"question": question}), question)


# ------------------------------------------------------------------------ learning


@pytest.fixture
def learning_world(ward):
    course = Course.objects.create(slug="vneid", title=f"Khóa {IMG}", pass_mark=70)
    lesson = Lesson.objects.create(
        course=course, slug="vneid-1", title=f"Bài {SCRIPT}", order=1, body="Nội dung"
    )
    group = ResidentialGroup.objects.create(
        ward=ward, name=f"Tổ dân phố {IMG}", order=1
    )
    team = Team.objects.create(ward=ward, residential_group=group, name=f"Tổ {XSS}")
    TeamMember.objects.create(team=team, name=f"Anh {XSS}"[:120], phone="0912000111")
    learner = Learner.objects.create(
        ward=ward,
        name=f"Bà {XSS}"[:120],
        birth_year=1958,
        residential_group=group,
        consent_at=timezone.now(),
    )
    certificate = Certificate.objects.create(learner=learner, course=course)
    session = ClassSession.objects.create(
        ward=ward,
        course=course,
        lesson=lesson,
        team=team,
        residential_group=group,
        date=timezone.localdate() + timedelta(days=3),
        place=f"Nhà văn hóa {XSS}",
    )
    Attendance.objects.create(session=session, learner=learner)
    return {"team": team, "certificate": certificate, "session": session}


def test_learner_and_team_names_are_inert_on_the_learning_staff_pages(
    staff, learning_world
):
    pages = [
        "/hoc/quan-ly/",
        "/hoc/quan-ly/lop/",
        f"/hoc/quan-ly/lop/{learning_world['session'].pk}/",
        "/to-cong-nghe/",
        f"/to-cong-nghe/{learning_world['team'].pk}/",
    ]
    for url in pages:
        assert shown(assert_inert(staff.get(url), url))


def test_learner_name_is_inert_on_the_certificate_verification_page(learning_world):
    code = learning_world["certificate"].code
    anonymous = Client()
    assert shown(assert_inert(anonymous.get(f"/xac-minh/{code}/"), "verify"))
    # A typed code with "/" in it was a server error (no URL can hold it); now it is
    # "not found", with the code shown back as text.
    html = assert_inert(anonymous.get("/xac-minh/", {"ma": XSS}), "verify form", 404)
    assert "&lt;SCRIPT&gt;" in html
    assert anonymous.get("/xac-minh/", {"ma": "AB/CD?x#1"}).status_code == 404
    assert shown(assert_inert(anonymous.get("/hoc/lop/"), "classes for residents"))


# ------------------------------------------------------------------------ reports


def test_unit_names_are_escaped_in_the_dashboard_svg_and_narratives(
    ward, leader, staff
):
    unit = UnitFactory(ward=ward, name=f"Đơn vị {XSS}")
    plan = PlanFactory(ward=ward)
    task = TaskFactory(plan=plan, unit=unit, text="Đăng tin")
    ActivityFactory(
        task=task,
        kind=Activity.Kind.ARTICLE,
        date=timezone.localdate(),
        title=f"Tin {IMG}",
    )
    allocation_set(
        ward=ward,
        year=timezone.localdate().year,
        unit=unit,
        source=FundingSource.STATE_BUDGET,
        amount=Decimal(1_000_000),
        note=f"Ghi chú {XSS}",
    )
    today = timezone.localdate()
    draft = draft_get_or_create(plan, date(today.year, 1, 1), today)
    draft.introduction = f"Mở đầu {XSS}"
    draft.difficulties = f"Khó khăn {IMG}"
    draft.signer = f"Ký {SCRIPT}"[:120]
    draft.save()
    UnitNarrative.objects.create(draft=draft, unit=unit, text=f"Lời văn {XSS} {JS_URL}")
    Commendation.objects.create(
        draft=draft, kind=Commendation.Kind.UNIT, name=f"Tập thể {IMG}", reason=SCRIPT
    )
    Notification.objects.create(ward=ward, title=f"Thông báo {XSS}", body=IMG)

    html = assert_inert(staff.get("/bao-cao/"), "dashboard")
    assert "<svg" in html and shown(html)
    # The chart labels are inside <svg>: the escaped name is there, the tag is not.
    svg = html[html.index("<svg") :]
    assert "Đơn vị &lt;script&gt;" in svg
    assert shown(assert_inert(staff.get("/bao-cao/kinh-phi/"), "budget"))
    assert shown(assert_inert(staff.get(f"/bao-cao/ky/{draft.pk}/"), "report draft"))
    assert_inert(staff.get("/bao-cao/ky/"), "report list")
    assert shown(assert_inert(staff.get("/thong-bao/"), "notifications"))


def test_the_chart_functions_escape_every_label():
    from loa.reports import charts

    rows = [
        {
            "ward": f"Phường {IMG}",
            "unit": f"Đơn vị {XSS}",
            "chua_thuc_hien": 1,
            "dang_thuc_hien": 2,
            "qua_han": 0,
            "hoan_thanh": 3,
        }
    ]
    statuses = [("chua_thuc_hien", SCRIPT), ("hoan_thanh", IMG)]
    svgs = [
        charts.tasks_by_unit(rows, statuses),
        charts.tasks_by_status(
            [{"status": "qua_han", "label": f"Quá hạn {XSS}", "count": 2}], title=XSS
        ),
        charts.monthly(
            {"months": [SCRIPT, "T2"], "series": [{"name": IMG, "values": [1, 2]}]},
            title=f"Tiêu đề {XSS}",
        ),
    ]
    for svg in svgs:
        for raw in RAW:
            assert raw not in svg
        inspector = _Inspector()
        inspector.feed(svg)
        assert not inspector.problems
        assert "&lt;script&gt;" in svg


# ------------------------------------------------------------------------ CSRF


def csrf_refused(request, reason=""):
    return HttpResponseForbidden("csrf-refused-by-the-test")


# Views of Loa that take a POST without Django's CSRF token, and why that is safe.
CSRF_EXEMPT = {
    # Signed by the platform (app secret / OA secret); no cookie is involved.
    "assistant:zalo_webhook",
    "assistant:messenger_webhook",
    # The smart radio's log upload: a device with a bearer token, no session.
    "loa_channels:airing_log",
    # django-ninja: every operation is exempt from the middleware; operations with
    # session auth (learning API) check CSRF themselves (tested below), the public
    # assistant operations take no cookie at all.
    "api:*",
}


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry


# Third-party admin trees (their own CSRF protection, not Loa's URL conf) and Wagtail's
# catch-all page server.
THIRD_PARTY_PREFIXES = ("cms/", "django-admin/", "documents/", "_util/")


def _loa_post_targets():
    """Every URL of Loa's URL conf, with its converters filled in (the CSRF check runs
    before the view, so the object need not exist)."""
    import re

    targets = []
    for route, name, entry in _patterns():
        if route.startswith(THIRD_PARTY_PREFIXES) or name.endswith("wagtail_serve"):
            continue
        if route.startswith("^") or "(?P" in route:
            continue
        path = re.sub(r"<int:\w+>", "1", route)
        path = re.sub(r"<(?:str|slug|path):\w+>", "x", path)
        path = re.sub(r"<\w+>", "x", path)
        targets.append(("/" + path, name, entry.callback))
    return targets


def _exempt(name: str) -> bool:
    return name in CSRF_EXEMPT or any(
        e.endswith(":*") and name.startswith(e[:-1]) for e in CSRF_EXEMPT
    )


def test_the_url_conf_has_loa_post_views_to_check():
    names = {name for _path, name, _cb in _loa_post_targets()}
    # A sample across apps, so that an empty enumeration cannot pass the next test.
    for expected in (
        "plans:plan_upload",
        "plans:task_complete",
        "assistant:ticket_answer",
        "reports:narrative_update",
        "learning:team_member_add",
        "core:notification_read",
        "logout",
        "login",
    ):
        assert expected in names, expected
    assert len(names) > 60


def test_only_the_listed_views_are_exempt_from_csrf():
    exempt = {
        name
        for _path, name, callback in _loa_post_targets()
        if getattr(callback, "csrf_exempt", False)
    }
    unexpected = {name for name in exempt if not _exempt(name)}
    assert not unexpected, f"csrf_exempt views not in CSRF_EXEMPT: {sorted(unexpected)}"


@override_settings(CSRF_FAILURE_VIEW="tests.test_injection.csrf_refused")
def test_every_staff_post_without_a_token_is_refused(leader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    # A page with a form sets the CSRF cookie, as in a browser: the POSTs below carry
    # the cookie but no token, as a forged cross-site form would.
    client.get("/ke-hoach/nhap/")
    assert "csrftoken" in client.cookies
    allowed = []
    checked = 0
    for path, name, callback in _loa_post_targets():
        if getattr(callback, "csrf_exempt", False):
            continue
        checked += 1
        response = client.post(path, {"q": "1", "text": "x"})
        if response.status_code != 403 or b"csrf-refused-by-the-test" not in (
            response.content
        ):
            allowed.append((name, path, response.status_code))
    assert not allowed, f"POST without a CSRF token was not refused: {allowed}"
    assert checked > 60


@pytest.mark.parametrize(
    "html",
    [
        f"<p>{SCRIPT}</p>",
        '<p><img src=x onerror="alert(1)"></p>',
        f'<a href="{JS_URL}">x</a>',
        '<a href="\x01 javascript:alert(1)">x</a>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_the_checker_catches_a_live_payload(html):
    class Page:
        status_code = 200
        content = html.encode()

    with pytest.raises(AssertionError):
        assert_inert(Page())


@override_settings(CSRF_FAILURE_VIEW="tests.test_injection.csrf_refused")
def test_the_session_authenticated_api_checks_csrf_itself(leader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    response = client.post(
        "/api/learning/visits",
        {"client_id": "e3e70682-c209-4cac-a29f-6fbed82c07cd", "household_code": "H1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "code" not in response.json()  # visit.js reads this as "refresh the token"
