import json
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from loa.core import roles
from loa.core.models import ResidentialGroup
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.learning import teams
from loa.learning.models import (
    Attendance,
    ClassSession,
    Course,
    LearningSettings,
    SupportVisit,
    TeamMember,
    TeamTarget,
)
from loa.learning.tests.factories import LearnerFactory
from loa.plans.models import Activity
from loa.plans.tests.factories import PlanFactory, TaskFactory

API = "/api/learning/visits"


@pytest.fixture
def tward(db):
    return WardFactory(name="Hải Dương", slug="hai-duong-teams")


@pytest.fixture
def tgroup(tward):
    return ResidentialGroup.objects.create(ward=tward, name="Tổ dân phố số 3", order=3)


@pytest.fixture
def task(tward):
    plan = PlanFactory(ward=tward)
    TaskFactory(plan=plan, text="Tuyên truyền trên Cổng thông tin điện tử", order=1)
    return TaskFactory(
        plan=plan,
        text="Triển khai phong trào “Bình dân học vụ số” tại các tổ dân phố",
        order=2,
    )


@pytest.fixture
def team(tward, tgroup):
    return teams.team_create(ward=tward, residential_group=tgroup)


@pytest.fixture
def manager(tward):
    return staff_user(ward=tward, role=roles.CULTURE_STAFF)


@pytest.fixture
def member_user(tward, team):
    user = staff_user(ward=tward, role=roles.DIGITAL_TEAM)
    teams.team_member_add(
        team=team, name="Trần Văn Bình", role=TeamMember.Role.LEADER, user=user
    )
    return user


def _client(user, enforce_csrf=False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def _payload(**overrides) -> dict:
    payload = {
        "client_id": str(uuid.uuid4()),
        "household_code": "tdp3-012",
        "date": timezone.localdate().isoformat(),
        "helps": ["vneid_muc_2", "thanh_toan_qr"],
        "result": "xong",
        "people": 2,
        "note": "",
    }
    payload.update(overrides)
    return payload


def _post(client, payload, **headers):
    return client.post(
        API, data=json.dumps(payload), content_type="application/json", **headers
    )


# --- visits through the API ----------------------------------------------------------


def test_visit_posted_twice_with_same_client_id_is_recorded_once(member_user, task):
    client = _client(member_user)
    payload = _payload()

    first = _post(client, payload)
    second = _post(client, payload)

    assert first.status_code == 201, first.content
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert second.json()["created"] is False
    assert SupportVisit.objects.count() == 1
    assert Activity.objects.count() == 1


def test_visit_records_an_activity_against_the_plan_task(member_user, task, team):
    response = _post(_client(member_user), _payload(people=3))

    visit = SupportVisit.objects.get()
    activity = Activity.objects.get()
    assert response.json()["activity_id"] == activity.pk == visit.activity_id
    assert activity.task == task
    assert activity.unit == task.unit
    assert activity.kind == Activity.Kind.RESIDENT_SUPPORT
    assert activity.channel == Activity.Channel.IN_PERSON
    assert activity.households_helped == 3
    assert activity.created_by == member_user
    assert "hộ TDP3-012" in activity.title
    assert "Kích hoạt VNeID mức 2" in activity.title
    assert visit.member.user == member_user
    assert visit.household_code == "TDP3-012"


def test_first_visit_picks_the_digital_literacy_task_and_stores_it(team, task, manager):
    teams.visit_record(team=team, by=manager, household_code="A1", helps=["khac"])

    settings = LearningSettings.objects.get(ward=team.ward)
    assert settings.visit_task == task
    assert settings.class_task == task


def test_configured_visit_task_is_used(team, task, manager):
    other = TaskFactory(plan=task.plan, text="Việc khác", order=9)
    LearningSettings.objects.create(ward=team.ward, visit_task=other)

    visit, _ = teams.visit_record(
        team=team, by=manager, household_code="A1", helps=["khac"]
    )

    assert Activity.objects.get(pk=visit.activity_id).task == other


def test_without_keyword_task_the_first_task_of_the_ward_is_used(team, manager):
    plan = PlanFactory(ward=team.ward)
    first = TaskFactory(plan=plan, text="Việc thứ nhất", order=1)
    TaskFactory(plan=plan, text="Việc thứ hai", order=2)

    visit, _ = teams.visit_record(
        team=team, by=manager, household_code="A1", helps=["khac"]
    )

    assert Activity.objects.get(pk=visit.activity_id).task == first


def test_visit_in_a_ward_without_any_task_is_kept_without_activity(team, manager):
    visit, created = teams.visit_record(
        team=team, by=manager, household_code="A1", helps=["khac"]
    )

    assert created and visit.activity_id is None
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    "code",
    [
        "0912345678",
        "0912.345.678",
        "+84912345678",
        "001203004567",  # CCCD, 12 digits
        "123456789",  # CMND, 9 digits
        "HO-001203004567",
    ],
)
def test_household_code_that_looks_like_phone_or_id_is_refused(member_user, task, code):
    response = _post(_client(member_user), _payload(household_code=code))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "số điện thoại hoặc số CCCD/CMND" in body["errors"]["household_code"][0]
    assert SupportVisit.objects.count() == 0
    assert Activity.objects.count() == 0


def test_household_code_with_a_name_is_refused():
    with pytest.raises(ValidationError) as exc:
        teams.household_code_clean("Nguyễn Văn An")
    assert exc.value.code == "household_code_format"


def test_household_code_is_normalised_to_upper_case():
    assert teams.household_code_clean("  tdp3-012 ") == "TDP3-012"


def test_visit_dated_in_the_future_is_refused(member_user, task):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = _post(_client(member_user), _payload(date=tomorrow))

    assert response.status_code == 400
    assert "tương lai" in response.json()["errors"]["date"][0]


def test_visit_without_any_help_is_refused(member_user, task):
    response = _post(_client(member_user), _payload(helps=[]))

    assert response.status_code == 400
    assert "helps" in response.json()["errors"]


def test_phone_and_id_numbers_in_the_note_are_redacted(member_user, task):
    _post(_client(member_user), _payload(note="Gọi lại 0912345678, CCCD 001203004567"))

    note = SupportVisit.objects.get().note
    assert "0912345678" not in note and "001203004567" not in note
    assert "[số điện thoại]" in note


def test_visit_without_date_is_dated_today(member_user, task):
    payload = _payload()
    del payload["date"]

    _post(_client(member_user), payload)

    assert SupportVisit.objects.get().date == timezone.localdate()


def test_api_refuses_posts_without_csrf_token(member_user, task):
    client = _client(member_user, enforce_csrf=True)

    response = _post(client, _payload())

    assert response.status_code == 403
    assert "code" not in response.json()  # the script refreshes the cookie and retries
    assert SupportVisit.objects.count() == 0


def test_api_accepts_token_read_from_the_csrf_cookie(member_user, task):
    client = _client(member_user, enforce_csrf=True)
    page = client.get("/to-cong-nghe/ghi-ho-tro/")
    token = page.cookies["csrftoken"].value

    response = _post(client, _payload(), HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 201


def test_api_requires_a_signed_in_user(task):
    response = _post(Client(), _payload())

    assert response.status_code == 401


def test_staff_of_another_ward_cannot_post_to_a_team(team, task):
    stranger = staff_user(ward=WardFactory(), role=roles.CULTURE_STAFF)

    response = _post(_client(stranger), _payload(team_id=team.pk))

    assert response.status_code == 404
    assert SupportVisit.objects.count() == 0


def test_member_of_another_team_cannot_post_to_a_team(tward, team, task):
    other_group = ResidentialGroup.objects.create(ward=tward, name="Tổ dân phố số 4")
    other_team = teams.team_create(ward=tward, residential_group=other_group)
    user = staff_user(ward=tward, role=roles.DIGITAL_TEAM)
    teams.team_member_add(team=other_team, name="Lê Thị Cúc", user=user)

    response = _post(_client(user), _payload(team_id=team.pk))

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden_team"


def test_plan_manager_records_a_visit_for_a_chosen_team(manager, team, task):
    response = _post(_client(manager), _payload(team_id=team.pk))

    assert response.status_code == 201
    visit = SupportVisit.objects.get()
    assert visit.team == team and visit.member is None


def test_plan_manager_must_choose_a_team(manager, team, task):
    response = _post(_client(manager), _payload())

    assert response.status_code == 400
    assert response.json()["code"] == "team_missing"


def test_client_id_of_another_teams_visit_is_a_conflict(tward, team, manager, task):
    group = ResidentialGroup.objects.create(ward=tward, name="Tổ dân phố số 5")
    other_team = teams.team_create(ward=tward, residential_group=group)
    payload = _payload()
    _post(_client(manager), {**payload, "team_id": team.pk})

    response = _post(_client(manager), {**payload, "team_id": other_team.pk})

    assert response.status_code == 409
    assert SupportVisit.objects.count() == 1


def test_visit_form_posted_without_javascript_is_recorded_once(member_user, team, task):
    client = _client(member_user)
    data = {
        "client_id": str(uuid.uuid4()),
        "team": team.pk,
        "household_code": "TDP3-020",
        "date": timezone.localdate().isoformat(),
        "helps": ["dvc_truc_tuyen"],
        "result": "xong",
        "people": 1,
    }

    first = client.post("/to-cong-nghe/ghi-ho-tro/", data)
    second = client.post("/to-cong-nghe/ghi-ho-tro/", data)

    assert first.status_code == second.status_code == 302
    assert SupportVisit.objects.count() == 1
    assert Activity.objects.count() == 1


def test_visit_form_page_carries_the_offline_queue(member_user, team):
    response = _client(member_user).get("/to-cong-nghe/ghi-ho-tro/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "learning/visit.js" in html
    assert 'data-api-url="/api/learning/visits"' in html
    assert 'data-sw-url="/to-cong-nghe/sw.js"' in html
    assert "csrftoken" in response.cookies


def test_visit_form_is_refused_to_staff_not_in_any_team(tward, team):
    user = staff_user(ward=tward, unit=UnitFactory(ward=tward))

    assert _client(user).get("/to-cong-nghe/ghi-ho-tro/").status_code == 403


def test_service_worker_caches_the_form_page_and_its_static_files(client):
    response = client.get("/to-cong-nghe/sw.js")

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/to-cong-nghe/"
    assert '"/to-cong-nghe/ghi-ho-tro/"' in body
    assert "/static/learning/visit.js" in body
    assert "/static/core/loa.css" in body
    assert 'if (request.method !== "GET") return;' in body


# --- teams: pages and isolation -------------------------------------------------


def test_staff_of_another_ward_cannot_see_a_team(team):
    stranger = staff_user(ward=WardFactory(), role=roles.CULTURE_STAFF)
    client = _client(stranger)

    assert client.get(f"/to-cong-nghe/{team.pk}/").status_code == 404
    assert team.name not in client.get("/to-cong-nghe/").content.decode()


def test_staff_of_another_ward_cannot_add_members(team):
    stranger = staff_user(ward=WardFactory(), role=roles.CULTURE_STAFF)

    response = _client(stranger).post(
        f"/to-cong-nghe/{team.pk}/thanh-vien/", {"name": "Kẻ Lạ", "role": "thanh_vien"}
    )

    assert response.status_code == 404
    assert not TeamMember.objects.exists()


def test_plan_manager_creates_a_team_and_adds_a_member(manager, tward, tgroup):
    client = _client(manager)

    client.post("/to-cong-nghe/them/", {"residential_group": tgroup.pk})
    team = tgroup.digital_team
    client.post(
        f"/to-cong-nghe/{team.pk}/thanh-vien/",
        {"name": "Phạm Thị Dung", "role": "to_pho", "phone": "0912 345 678"},
    )

    assert team.name == "Tổ công nghệ số cộng đồng Tổ dân phố số 3"
    member = team.members.get()
    assert (member.role, member.phone) == ("to_pho", "0912345678")


def test_unit_staff_cannot_create_teams(tward, tgroup):
    user = staff_user(ward=tward, unit=UnitFactory(ward=tward))

    response = _client(user).post(
        "/to-cong-nghe/them/", {"residential_group": tgroup.pk}
    )

    assert response.status_code == 403


def test_member_account_of_another_ward_cannot_be_linked(team):
    stranger = staff_user(ward=WardFactory())

    with pytest.raises(ValidationError) as exc:
        teams.team_member_add(team=team, name="Ai Đó", user=stranger)
    assert exc.value.code == "user_other_ward"


def test_team_page_shows_targets_against_logged_work(manager, team, task):
    year = timezone.localdate().year
    teams.team_target_set(team=team, year=year, metric="ho_gia_dinh", target=10)
    teams.team_target_set(team=team, year=year, metric="vneid_muc_2", target=4)
    today = timezone.localdate()
    for code, helps, result in [
        ("TDP3-001", ["vneid_muc_2"], "xong"),
        ("TDP3-001", ["thanh_toan_qr"], "xong"),  # same household again
        ("TDP3-002", ["vneid_muc_2", "dvc_truc_tuyen"], "mot_phan"),
        ("TDP3-003", ["vneid_muc_2"], "chua_xong"),  # not activated: not counted
    ]:
        teams.visit_record(
            team=team,
            by=manager,
            household_code=code,
            helps=helps,
            result=result,
            date=today,
        )
    # Last year's visit counts for last year only.
    SupportVisit.objects.create(
        team=team,
        household_code="TDP3-099",
        date=date(year - 1, 6, 1),
        helps=["vneid_muc_2"],
    )

    progress = {p.metric: p for p in teams.team_progress(team, year)}

    assert (progress["ho_gia_dinh"].target, progress["ho_gia_dinh"].logged) == (10, 3)
    assert progress["ho_gia_dinh"].percent == 30
    assert (progress["vneid_muc_2"].target, progress["vneid_muc_2"].logged) == (4, 2)
    assert progress["thanh_toan_qr"].logged == 1
    assert progress["dvc_truc_tuyen"].logged == 1
    assert progress["thanh_toan_qr"].target is None
    html = _client(manager).get(f"/to-cong-nghe/{team.pk}/").content.decode()
    assert "50%" in html and "30%" in html and "TDP3-002" in html


def test_target_of_zero_removes_it(team):
    year = timezone.localdate().year
    teams.team_target_set(team=team, year=year, metric="ho_gia_dinh", target=10)

    teams.team_target_set(team=team, year=year, metric="ho_gia_dinh", target=0)

    assert not TeamTarget.objects.exists()


def test_target_set_through_the_page(manager, team):
    year = timezone.localdate().year

    _client(manager).post(
        f"/to-cong-nghe/{team.pk}/chi-tieu/",
        {"year": year, "metric": "thanh_toan_qr", "target": 25},
    )

    assert TeamTarget.objects.get(team=team).target == 25


def test_team_list_query_count_does_not_grow_with_teams(
    manager, tward, django_assert_max_num_queries
):
    for n in range(5):
        group = ResidentialGroup.objects.create(ward=tward, name=f"Tổ {n + 10}")
        teams.team_create(ward=tward, residential_group=group)

    client = _client(manager)

    with django_assert_max_num_queries(12):
        client.get("/to-cong-nghe/")


# --- classes ------------------------------------------------------------------------


@pytest.fixture
def session(tward, team, tgroup):
    course = Course.objects.create(slug="kns", title="Kỹ năng số cơ bản")
    return ClassSession.objects.create(
        ward=tward,
        course=course,
        team=team,
        date=timezone.localdate(),
        place="Nhà văn hóa tổ 3",
    )


def _attend(session, tgroup, n):
    for i in range(n):
        learner = LearnerFactory(
            ward=session.ward, residential_group=tgroup, name=f"Học viên {i}"
        )
        Attendance.objects.create(session=session, learner=learner)


def test_class_records_an_activity_with_its_attendance(session, tgroup, task, manager):
    _attend(session, tgroup, 3)

    activity = teams.class_session_record_activity(session=session, by=manager)

    assert activity.kind == Activity.Kind.CLASS
    assert activity.attendees == 3
    assert activity.task == task
    session.refresh_from_db()
    assert session.activity_id == activity.pk


def test_class_activity_follows_later_attendance_without_duplicates(
    session, tgroup, task, manager
):
    teams.class_session_record_activity(session=session, by=manager)
    _attend(session, tgroup, 2)

    activity = teams.class_session_record_activity(session=session, by=manager)
    again = teams.class_session_record_activity(session=session, by=manager)

    assert Activity.objects.count() == 1
    assert activity.attendees == 2 and again.pk == activity.pk


def test_future_class_records_no_activity_yet(session, task):
    session.date = timezone.localdate() + timedelta(days=3)

    assert teams.class_session_record_activity(session=session) is None
    assert not Activity.objects.exists()


# --- the offline queue in a real browser ---------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visit_saved_offline_is_sent_once_when_back_online(live_server, settings):
    import os

    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.fail("Thiếu chromium: chạy scripts/install-debian.sh")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ward = WardFactory()
    group = ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố số 1")
    team = teams.team_create(ward=ward, residential_group=group)
    user = staff_user(ward=ward, role=roles.DIGITAL_TEAM, username="tocongnghe")
    teams.team_member_add(team=team, name="Trần Văn Bình", user=user)
    TaskFactory(plan=PlanFactory(ward=ward), text="Bình dân học vụ số")
    form_url = f"{live_server.url}/to-cong-nghe/ghi-ho-tro/"

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{live_server.url}/dang-nhap/?next=/to-cong-nghe/ghi-ho-tro/")
        page.get_by_label("Tên đăng nhập").fill("tocongnghe")
        page.get_by_label("Mật khẩu").fill("mat-khau-thu")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(form_url)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now controlled by the service worker
        if os.environ.get("LOA_SHOT"):
            page.screenshot(path="/tmp/visit_form.png", full_page=True)

        context.set_offline(True)
        response = page.reload()
        assert response.from_service_worker  # opened from the worker's cache
        page.get_by_label("Mã hộ").fill("tdp1-007")
        page.get_by_label("Kích hoạt VNeID mức 2").check()
        page.get_by_role("button", name="Ghi lượt hỗ trợ").click()
        page.get_by_text("1 lượt chưa gửi").wait_for()
        page.get_by_text("Chưa gửi được, sẽ thử lại khi có mạng.").wait_for()
        assert SupportVisit.objects.count() == 0

        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.get_by_text("Đã gửi 1 lượt hỗ trợ.").wait_for()
        page.reload()
        page.evaluate("window.loaVisitQueue.flush()")
        assert page.evaluate("window.loaVisitQueue.pending().length") == 0
        browser.close()

    visit = SupportVisit.objects.get()
    assert visit.household_code == "TDP1-007"
    assert Activity.objects.filter(pk=visit.activity_id).count() == 1
