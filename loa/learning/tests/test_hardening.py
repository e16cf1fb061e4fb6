"""The learner pages against a probe: no open redirect, limits on sign-up and check-in,
and the access key kept out of addresses and logs."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from loa.core.logs import RedactFilter
from loa.core.models import ResidentialGroup
from loa.core.tests.factories import WardFactory
from loa.learning import services
from loa.learning.models import Attendance, Learner
from loa.learning.tests.factories import LearnerFactory
from loa.learning.views import classes, learners

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters(db):
    """Limits counted in one test must not carry over (the table outlives a test that
    commits, such as a live-server one)."""
    caches["counters"].clear()
    yield
    caches["counters"].clear()


def _sign_up_data(group, name="Trần Văn Ba"):
    return {
        "name": name,
        "birth_year": "1950",
        "residential_group": group.pk,
        "target_group": "nguoi_dan",
        "consent": "on",
    }


def _learner(ward, group, name="Lê Thị Hoa"):
    return LearnerFactory(ward=ward, residential_group=group, name=name)


def _todays_class(ward, course):
    return services.class_session_create(
        ward=ward,
        course=course,
        lesson=course.lessons.first(),
        date=timezone.localdate(),
        place="Nhà văn hóa tổ 3",
    )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# ------------------------------------------------------------------ open redirect


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http://testserver.evil.example/hoc/",
        "javascript:alert(1)",
    ],
)
def test_sign_up_never_sends_the_learner_off_site(client, group, target):
    response = client.post(
        reverse("learning:register") + "?" + f"tiep={target}", _sign_up_data(group)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:home")
    assert Learner.objects.count() == 1


def test_sign_up_returns_to_the_local_page_it_came_from(client, group):
    response = client.post(
        reverse("learning:register") + "?tiep=/hoc/khoa/vneid/", _sign_up_data(group)
    )
    assert response["Location"] == "/hoc/khoa/vneid/"


def test_check_in_link_survives_sign_up_and_cannot_smuggle_a_target(client, group):
    sent = client.get(reverse("learning:check_in") + "?ma=123456")
    assert sent["Location"] == (
        reverse("learning:register") + "?tiep=%2Fhoc%2Fdiem-danh%2F%3Fma%3D123456"
    )
    back = client.post(sent["Location"], _sign_up_data(group))
    assert back["Location"] == "/hoc/diem-danh/?ma=123456"
    # A crafted code cannot add a second "tiep" pointing elsewhere.
    client.cookies.clear()
    sent = client.get(
        reverse("learning:check_in"), {"ma": "1&tiep=https://evil.example/"}
    )
    back = client.post(sent["Location"], _sign_up_data(group, name="Người khác"))
    assert back["Location"].startswith("/hoc/diem-danh/?ma=1")
    assert "evil.example" not in back["Location"].split("?", 1)[0]


def test_pages_that_need_a_sign_up_come_back_to_themselves(client, course):
    lesson = course.lessons.first()
    response = client.post(reverse("learning:lesson_by_slug", args=[lesson.slug]))
    assert response["Location"] == (
        reverse("learning:register") + f"?tiep=%2Fhoc%2Fbai%2F{lesson.slug}%2F"
    )
    response = client.post(reverse("learning:quiz_start", args=[course.slug]))
    assert response["Location"] == (
        reverse("learning:register") + f"?tiep=%2Fhoc%2Fkhoa%2F{course.slug}%2F"
    )


# ------------------------------------------------------------------ sign-up limit


def test_sign_ups_from_one_address_are_limited_in_vietnamese(
    client, group, monkeypatch
):
    monkeypatch.setattr(learners, "SIGN_UPS_PER_ADDRESS", 2)
    url = reverse("learning:register")
    for n in range(2):
        assert client.post(url, _sign_up_data(group, f"Người {n}")).status_code == 302
    refused = client.post(url, _sign_up_data(group, "Người thứ ba"))
    assert refused.status_code == 429
    assert "nhiều lượt đăng ký" in refused.content.decode()
    assert Learner.objects.count() == 2
    # Another address still signs up.
    other = client.post(url, _sign_up_data(group, "Hàng xóm"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302 and Learner.objects.count() == 3


def test_a_form_sent_back_with_mistakes_does_not_count_as_a_sign_up(
    client, group, monkeypatch
):
    monkeypatch.setattr(learners, "SIGN_UPS_PER_ADDRESS", 1)
    url = reverse("learning:register")
    for _ in range(3):
        assert client.post(url, {"name": "Thiếu thông tin"}).status_code == 400
    assert client.post(url, _sign_up_data(group)).status_code == 302


# ------------------------------------------------------------------ check-in limits


def test_wrong_check_in_codes_from_one_address_pause_it(
    client, learner, course, ward, monkeypatch
):
    monkeypatch.setattr(classes, "CHECK_IN_FAILURES_PER_ADDRESS", 3)
    session = _todays_class(ward, course)
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    url = reverse("learning:check_in")
    for _ in range(4):
        wrong = client.post(url, {"code": _wrong(session.attendance_code)})
        assert wrong.status_code == 200 and "không đúng" in wrong.content.decode()
    # Even the right code waits now: otherwise the pause would not slow guessing.
    paused = client.post(url, {"code": session.attendance_code})
    assert paused.status_code == 429
    assert "nhập sai mã điểm danh" in paused.content.decode()
    assert not Attendance.objects.exists()
    with freeze_time(timezone.now() + timedelta(minutes=2)):
        done = client.post(url, {"code": session.attendance_code})
    assert done.status_code == 302 and Attendance.objects.count() == 1


def test_guessing_codes_from_many_addresses_pauses_the_ward_only(
    client, learner, course, ward, group, monkeypatch
):
    monkeypatch.setattr(classes, "CHECK_IN_FAILURES_PER_WARD", 5)
    session = _todays_class(ward, course)
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    url = reverse("learning:check_in")
    for n in range(6):  # one wrong code from each of six addresses
        client.post(
            url, {"code": _wrong(session.attendance_code)}, REMOTE_ADDR=f"10.0.0.{n}"
        )
    paused = client.post(url, {"code": session.attendance_code}, REMOTE_ADDR="10.9.9.9")
    assert paused.status_code == 429 and not Attendance.objects.exists()
    # Another ward's class goes on.
    ward_b = WardFactory(name="Lê Chân", slug="le-chan")
    group_b = ResidentialGroup.objects.create(ward=ward_b, name="Tổ 1", order=1)
    session_b = _todays_class(ward_b, course)
    client.cookies[services.LEARNER_COOKIE] = _learner(ward_b, group_b).access_key
    done = client.post(url, {"code": session_b.attendance_code}, REMOTE_ADDR="10.9.9.9")
    assert done.status_code == 302 and Attendance.objects.count() == 1


def test_a_whole_class_checks_in_over_one_wifi(client, course, ward, group):
    session = _todays_class(ward, course)
    url = reverse("learning:check_in")
    count = classes.CHECK_IN_FAILURES_PER_ADDRESS + 5
    for n in range(count):
        client.cookies[services.LEARNER_COOKIE] = _learner(
            ward, group, f"Học viên {n}"
        ).access_key
        assert client.post(url, {"code": session.attendance_code}).status_code == 302
    assert Attendance.objects.filter(session=session).count() == count


# ------------------------------------------------------------------ the access key


def test_resume_page_takes_the_key_in_a_form(client, learner):
    url = reverse("learning:resume")
    assert url == "/hoc/tiep-tuc/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Tiếp tục học" in page.content.decode() and 'method="post"' in (
        page.content.decode()
    )
    response = client.post(url, {"key": f"  {learner.access_key} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:home")
    assert client.cookies[services.LEARNER_COOKIE].value == learner.access_key


def test_resume_form_takes_a_pasted_old_link(client, learner):
    response = client.post(
        reverse("learning:resume"),
        {"key": f"https://hai-duong.example/hoc/tiep-tuc/{learner.access_key}/"},
    )
    assert response.status_code == 302
    assert client.cookies[services.LEARNER_COOKIE].value == learner.access_key


def test_resume_form_refuses_a_wrong_key_in_vietnamese(client, learner):
    response = client.post(reverse("learning:resume"), {"key": "khong-phai-ma"})
    assert response.status_code == 400
    assert "Mã tiếp tục học không đúng" in response.content.decode()
    assert services.LEARNER_COOKIE not in client.cookies


def test_an_old_link_still_works_and_leaves_the_key_out_of_the_address(client, learner):
    response = client.get(f"/hoc/tiep-tuc/{learner.access_key}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:home")
    assert learner.access_key not in response["Location"]
    assert "no-store" in response["Cache-Control"]
    assert client.cookies[services.LEARNER_COOKIE].value == learner.access_key
    home = client.get(response["Location"]).content.decode()
    assert learner.name in home


def test_an_old_link_with_a_wrong_key_leads_to_the_form(client, learner):
    response = client.get("/hoc/tiep-tuc/khong-phai-ma/", follow=True)
    assert response.redirect_chain == [(reverse("learning:resume"), 302)]
    assert "Mã tiếp tục học không đúng" in response.content.decode()
    assert services.LEARNER_COOKIE not in client.cookies


def test_my_data_shows_the_key_to_type_in_not_a_link_carrying_it(client, learner):
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    page = client.get(reverse("learning:my_data")).content.decode()
    assert learner.access_key in page
    assert f"tiep-tuc/{learner.access_key}" not in page
    assert f'href="{reverse("learning:resume")}"' in page


def test_no_page_links_to_an_address_with_the_key(client, learner, course):
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    for url in (
        reverse("learning:home"),
        reverse("learning:my_data"),
        reverse("learning:course", args=[course.slug]),
        reverse("learning:resume"),
    ):
        assert f"/{learner.access_key}" not in client.get(url).content.decode()


def _log_line(message, *args) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    logger = logging.getLogger(f"loa.test.hardening.{id(stream)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.warning(message, *args)
    return stream.getvalue()


@pytest.mark.parametrize(
    "path",
    [
        "/hoc/tiep-tuc/{key}/",
        "/hoc/tiep-tuc/{key}",
        "/hoc/dang-ky/?tiep=%2Fhoc%2Ftiep-tuc%2F{key}%2F",
    ],
)
def test_the_key_in_an_old_link_is_redacted_from_logs(path):
    key = "Ab3_x-Y9kLmN0pQrStUvWx"
    line = _log_line('%s "GET %s HTTP/1.1" 302', "127.0.0.1", path.format(key=key))
    assert key not in line
    assert "[mã đã ẩn]" in line
    # The form's own address stays readable.
    assert _log_line("GET /hoc/tiep-tuc/ HTTP/1.1").strip() == (
        "GET /hoc/tiep-tuc/ HTTP/1.1"
    )


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_gunicorn_access_line_of_an_old_link_has_no_key(
    tmp_path, monkeypatch, log_format
):
    from gunicorn.config import Config

    from loa.ops.gunicorn_logger import RedactingLogger

    monkeypatch.setenv("LOA_LOG_FORMAT", log_format)
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = RedactingLogger(config)
    key = "Ab3_x-Y9kLmN0pQrStUvWx"
    logger.access_log.info(
        '%s "%s" %s', "127.0.0.1", f"GET /hoc/tiep-tuc/{key}/ HTTP/1.1", "302"
    )
    for handler in logger.access_log.handlers:
        handler.flush()
    access = (tmp_path / "access.log").read_text()
    assert key not in access and "/hoc/tiep-tuc/" in access
