"""Login lockout (django-axes), TOTP two-factor (django-otp), Content-Security-Policy
(django-csp) and password rules (issue 7)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from loa.core import roles
from loa.core.testing import browser
from loa.core.tests.factories import (
    UnitFactory,
    WardFactory,
    shared_memo,
    staff_user,
)

PASSWORD = "mat-khau-thu"  # the factories' password
LOCKED = "Đăng nhập sai quá nhiều lần"

# Lockout stays ON in these tests (the test settings turn axes off for client.login()).
axes_on = override_settings(AXES_ENABLED=True)


def _user(**kwargs):
    ward = WardFactory()
    return staff_user(ward=ward, unit=UnitFactory(ward=ward), **kwargs)


def _login(client, username, password, path="/dang-nhap/", **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


# --- Lockout --------------------------------------------------------------------------


@pytest.mark.django_db
@axes_on
def test_five_wrong_passwords_lock_the_login_with_a_vietnamese_message(client):
    user = _user(username="canbo-khoa")
    for _ in range(4):
        response = _login(client, user.username, "sai-mat-khau")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()

    response = _login(client, user.username, "sai-mat-khau")
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in page and "15 phút" in page
    # Still the login page (its form), not a bare error.
    assert 'name="password"' in page and "<h1>Đăng nhập</h1>" in page

    # While locked, even the right password is refused.
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session

    # The same username from another address is not locked (username + address).
    response = _login(client, user.username, PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@axes_on
@pytest.mark.parametrize("path", ["/django-admin/login/"])
def test_the_admin_logins_show_the_same_lockout_message(client, path):
    user = _user(username="bientap-khoa", is_staff=True, is_superuser=True)
    for _ in range(5):
        response = _login(client, user.username, "sai-mat-khau", path=path)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    response = _login(client, user.username, PASSWORD, path=path)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@axes_on
def test_a_locked_user_logs_in_after_the_cool_off(client):
    user = _user(username="canbo-cho")
    for _ in range(5):
        _login(client, user.username, "sai-mat-khau")
    assert _login(client, user.username, PASSWORD).status_code == 429

    # 16 minutes later (the records of the failures are moved back in time).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    # A successful login wipes the failures.
    assert not AccessAttempt.objects.filter(username=user.username).exists()


@pytest.mark.django_db
@axes_on
@override_settings(AXES_COOLOFF_TIME=timedelta(seconds=1))
def test_a_short_cool_off_setting_unlocks_by_itself(client):
    import time

    user = _user(username="canbo-ngan")
    for _ in range(5):
        _login(client, user.username, "sai-mat-khau")
    assert _login(client, user.username, PASSWORD).status_code == 429
    time.sleep(1.2)
    assert _login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
@axes_on
def test_failures_spread_over_more_than_the_window_do_not_lock(client):
    user = _user(username="canbo-thinh-thoang")
    for _ in range(4):
        _login(client, user.username, "sai-mat-khau")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _login(client, user.username, "sai-mat-khau")
    assert response.status_code == 200 and LOCKED not in response.content.decode()


@pytest.mark.parametrize(
    ("behind_proxy", "expected"), [(False, "127.0.0.1"), (True, "203.0.113.7")]
)
def test_the_locked_address_is_the_one_nginx_saw(rf, settings, behind_proxy, expected):
    from loa.core.security import client_ip

    settings.LOA_BEHIND_PROXY = behind_proxy
    request = rf.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert client_ip(request) == expected  # the forged first entry is never used


# --- Two-factor ----------------------------------------------------------------------


def _code(device, drift=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def _enrol(client, user):
    client.force_login(user)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Xác nhận và bật" in html
    # Opening the page stores no device; the key shown waits in the session.
    assert not TOTPDevice.objects.filter(user=user).exists()
    secret = re.search(r'<code class="secret">([^<]+)</code>', html).group(1)
    again = client.get(reverse("two_factor_setup")).content.decode()
    assert secret in again  # the same key until it is confirmed
    device = TOTPDevice(user=user, key=client.session["loa_2fa_enrol_key"])
    response = client.post(
        reverse("two_factor_setup"), {"action": "enable", "ma": _code(device)}
    )
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and "loa_2fa_enrol_key" not in client.session
    return device


@pytest.mark.django_db
def test_staff_enrol_with_the_qr_code_and_then_need_the_code_after_the_password(client):
    user = _user(username="canbo-2fa")
    staff_page = reverse("plans:plan_list")
    device = _enrol(client, user)
    # The enrolling session itself counts as verified.
    assert client.get(staff_page).status_code == 200

    client.post(reverse("logout"))
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    # Password alone: every staff page sends to the code page.
    response = client.get(staff_page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    page = client.get(response["Location"]).content.decode()
    assert "Nhập mã xác thực" in page

    response = client.post(
        reverse("two_factor_verify"), {"ma": "000000", "next": staff_page}
    )
    assert response.status_code == 200
    assert "Mã không đúng" in response.content.decode()
    assert client.get(staff_page).status_code == 302

    # The next 30-second step's code (the enrolment code cannot be replayed).
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(
        reverse("two_factor_verify"), {"ma": _code(device, drift=1), "next": staff_page}
    )
    assert response.status_code == 302 and response["Location"] == staff_page
    assert client.get(staff_page).status_code == 200


@pytest.mark.django_db
def test_wagtails_login_takes_no_password_and_sends_to_loas_own(client):
    """One place where passwords are tried, locked out and followed by the code."""
    for method in (client.get, client.post):
        response = method("/cms/login/", {"username": "x", "password": "y"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_wagtail_admin_also_waits_for_the_code(client):
    user = _user(username="bientap-2fa", is_staff=True, is_superuser=True)
    _enrol(client, user)
    client.post(reverse("logout"))
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


@pytest.mark.django_db
def test_a_code_for_the_api_is_asked_in_json(client):
    user = _user(username="canbo-api")
    _enrol(client, user)
    client.post(reverse("logout"))
    _login(client, user.username, PASSWORD)
    response = client.get("/api/assistant/residential-groups")
    assert response.status_code == 403
    assert "mã xác thực" in response.json()["detail"]


@pytest.mark.django_db
def test_users_who_did_not_enrol_are_not_affected(client):
    user = _user(username="canbo-thuong")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("plans:plan_list")).status_code == 200
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert reverse("two_factor_setup") in page  # the staff menu links the page


@pytest.mark.django_db
@override_settings(LOA_REQUIRE_2FA=True)
def test_required_two_factor_sends_users_without_a_device_to_enrol(client):
    user = _user(username="canbo-batbuoc")
    client.force_login(user)
    response = client.get(reverse("plans:plan_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(response["Location"]).content.decode()
    assert "Phường yêu cầu" in page


@pytest.mark.django_db
def test_turning_two_factor_off_needs_a_current_code(client):
    user = _user(username="canbo-tat")
    device = _enrol(client, user)
    response = client.post(
        reverse("two_factor_setup"), {"action": "disable", "ma": "123456"}
    )
    assert TOTPDevice.objects.filter(user=user).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post(
        reverse("two_factor_setup"),
        {"action": "disable", "ma": _code(device, drift=1)},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_form_posted_without_its_token_gets_a_vietnamese_page(client):
    from django.test import Client

    user = _user(username="canbo-csrf")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post(reverse("two_factor_setup"), {"action": "enable"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Biểu mẫu chưa được gửi" in page and "Chưa có gì bị thay đổi" in page
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_bad_request_gets_a_vietnamese_page(client):
    response = client.get("/", HTTP_HOST="khong-hop-le.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_the_code_page_refuses_an_outside_next(client):
    user = _user(username="canbo-next")
    device = _enrol(client, user)
    client.post(reverse("logout"))
    _login(client, user.username, PASSWORD)
    response = client.post(
        reverse("two_factor_verify"),
        {"ma": _code(device, drift=1), "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    # Not the outside address: the landing page of the account's role (core.views.home).
    assert response["Location"] == reverse("staff_home")


# --- Content-Security-Policy ---------------------------------------------------------


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.django_db
def test_csp_header_on_portal_staff_pages_and_the_api(client):
    portal = _policy(client.get("/"))
    api = _policy(client.get("/api/openapi.json"))
    client.force_login(_user())
    staff = _policy(client.get(reverse("plans:plan_list")))
    for policy in (portal, staff, api):
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"  # no inline script, no eval
        assert policy["frame-ancestors"] == "'none'"
        assert policy["object-src"] == "'none'"
        assert policy["img-src"] == "'self' data:"


@pytest.mark.django_db
def test_csp_is_relaxed_only_for_wagtails_admin(client):
    policy = _policy(client.get("/cms/login/"))
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["frame-ancestors"] == "'self'"  # Wagtail's preview iframe
    for path in ("/django-admin/login/", "/dang-nhap/"):
        policy = _policy(client.get(path))
        assert policy["script-src"] == "'self'", path
        assert policy["frame-ancestors"] == "'none'", path


@pytest.mark.django_db
def test_an_inline_script_with_the_nonce_is_allowed_on_the_led_screen(client):
    WardFactory()  # the deployment's only ward
    response = client.get("/led/man-hinh-1/")
    assert response.status_code == 200
    nonce = re.search(r'<script nonce="([^"]+)"', response.content.decode()).group(1)
    assert _policy(response)["script-src"] == f"'self' 'nonce-{nonce}'"


def test_an_admin_response_carrying_the_portal_policy_gets_the_admin_one(rf):
    """Wagtail's preview runs a fake request for the page's URL through the middleware:
    the portal policy (frame-ancestors 'none') must not stay on the /cms/ response."""
    from django.http import HttpResponse

    from loa.core.security import ContentSecurityPolicyMiddleware

    inner = HttpResponse("preview")
    inner["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    middleware = ContentSecurityPolicyMiddleware(lambda request: inner)
    policy = _policy(middleware(rf.get("/cms/pages/3/edit/preview/")))
    assert policy["frame-ancestors"] == "'self'"
    assert "'unsafe-inline'" in policy["script-src"]


# --- Password rules ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_short_password_is_refused_in_vietnamese():
    user = _user(username="canbo-matkhau")
    with pytest.raises(ValidationError) as error:
        validate_password("ngan-9", user=user)
    messages = " ".join(error.value.messages)
    assert "Mật khẩu quá ngắn" in messages and "10 ký tự" in messages

    form = SetPasswordForm(
        user, data={"new_password1": "123456789", "new_password2": "123456789"}
    )
    assert not form.is_valid()
    errors = " ".join(form.errors["new_password2"])
    assert "Mật khẩu quá ngắn" in errors
    assert "Mật khẩu này quá phổ biến" in errors
    assert "Mật khẩu này hoàn toàn là số" in errors

    validate_password("Phuong-so-2026", user=user)  # 14 characters: accepted


# --- In a real browser ---------------------------------------------------------------


@pytest.fixture
def chromium_page():
    with browser.chromium_page() as page:
        yield page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_portal_home_and_chat_widget_work_under_the_policy(
    live_server, chromium_page, settings, tmp_path
):
    from django.conf import settings as django_settings
    from wagtail.models import Collection, Locale, Page

    from loa.assistant import index
    from loa.assistant.models import FAQ
    from loa.assistant.services import faq_save
    from loa.content.starter import content_starter_load

    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    index.forget_retriever()
    Locale.objects.get_or_create(language_code=django_settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    faq_save(
        faq=FAQ(
            external_id="faq-dvc",
            topic="dvc",
            question="Cổng Dịch vụ công quốc gia là gì?",
            variants="cong dich vu cong quoc gia la gi",
            answer="Cổng Dịch vụ công quốc gia là nơi nộp hồ sơ trực tuyến.",
            source="Văn phòng Chính phủ",
        )
    )

    page = chromium_page
    violations = []
    page.on(
        "console",
        lambda m: (
            violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    response = page.goto(f"{live_server.url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_role("button", name="Hỏi trợ lý").click()
    page.get_by_role("textbox", name="Câu hỏi").fill("Cổng dịch vụ công quốc gia là gì")
    page.get_by_role("button", name="Gửi").click()
    page.get_by_text(re.compile("nơi nộp hồ sơ trực tuyến")).wait_for()
    assert violations == []
    index.forget_retriever()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_lockout_message_in_a_real_browser(live_server, chromium_page, settings):
    settings.AXES_ENABLED = True
    user = _user(username="canbo-trinh-duyet")
    page = chromium_page
    page.goto(f"{live_server.url}/dang-nhap/")
    for _ in range(5):
        page.get_by_label("Tên đăng nhập").fill(user.username)
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
    assert page.get_by_text(LOCKED).is_visible()


@pytest.mark.django_db
def test_a_role_given_or_taken_away_counts_on_the_next_page(client, settings):
    from django.contrib.auth.models import Group

    shared_memo(settings)
    ward = WardFactory()
    user = staff_user(ward=ward, unit=UnitFactory(ward=ward), role=roles.UNIT_STAFF)
    client.force_login(user)
    audit = reverse("core:audit_list")
    assert client.get(audit).status_code == 403  # the roles are now in the cache
    leaders = Group.objects.get_or_create(name=roles.LEADER)[0]
    user.groups.add(leaders)
    assert client.get(audit).status_code == 200
    leaders.user_set.remove(user)  # from the group's side
    assert client.get(audit).status_code == 403
