"""Issue 15: "Gửi báo cáo" — a ward sends its report, the city reads only what was sent,
and city staff land on their city's dashboard with a menu that opens."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from loa.core import roles
from loa.core.models import AuditLog, Membership
from loa.core.tests.factories import UserFactory, staff_user
from loa.reports import services
from loa.reports.models import Commendation, ReportDraft, UnitNarrative

from .conftest import H1

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu"  # UserFactory's

# What the staff menu shows city staff (base.html, `is_city_staff`): each must open.
CITY_MENU = [
    "reports:dashboard",
    "reports:city_reports",
    "library:item_list",
    "two_factor_setup",
]


@pytest.fixture
def city_user(ward_a, ward_b):
    user = UserFactory(first_name="Cán bộ Sở")
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.CITY_STAFF)[0])
    Membership.objects.create(user=user, ward=None, city="Thành phố Hải Phòng")
    return user


@pytest.fixture
def draft_a(ward_a, manager_a):
    draft = services.draft_get_or_create(ward_a.plan, *H1, by=manager_a)
    return services.draft_update(
        draft,
        by=manager_a,
        number="15/BC-UBND",
        issued_date=H1[1],
        difficulties="Thiếu kinh phí in ấn.",
    )


def _submit(client, draft):
    return client.post(reverse("reports:draft_submit", args=[draft.pk]), follow=True)


# ---------------------------------------------------------------- the city's landing


def test_city_staff_land_on_the_city_dashboard_after_signing_in(client, city_user):
    response = client.post(
        reverse("login"),
        {"username": city_user.username, "password": PASSWORD},
        follow=True,
    )
    assert response.request["PATH_INFO"] == reverse("reports:dashboard")
    page = response.content.decode()
    assert "toàn thành phố" in page and "Không có quyền truy cập" not in page


def test_city_staff_opening_the_root_go_to_the_city_dashboard(client, city_user):
    client.force_login(city_user)
    for path in ("/", reverse("staff_home")):
        response = client.get(path)
        assert response.status_code == 302 and response.url == reverse(
            "reports:dashboard"
        ), path


def test_ward_staff_still_land_on_their_plans(client, manager_a):
    client.force_login(manager_a)
    response = client.get("/")
    assert response.url == reverse("plans:plan_list")


def test_every_page_of_the_city_menu_opens_for_city_staff(client, city_user):
    client.force_login(city_user)
    for name in CITY_MENU:
        response = client.get(reverse(name))
        assert response.status_code == 200, name


def test_templates_know_the_user_is_city_staff(client, city_user, manager_a):
    client.force_login(city_user)
    assert client.get(reverse("reports:dashboard")).context["is_city_staff"] is True
    client.force_login(manager_a)
    assert client.get(reverse("reports:dashboard")).context["is_city_staff"] is False


# ---------------------------------------------------------------- drafts vs sent reports


def test_the_city_never_sees_a_draft(client, city_user, draft_a):
    client.force_login(city_user)
    listing = client.get(reverse("reports:city_reports")).content.decode()
    assert "Chưa phường, xã nào gửi báo cáo." in listing
    for url in (
        reverse("reports:city_report", args=[draft_a.pk]),
        reverse("reports:city_report_export", args=[draft_a.pk, "docx"]),
        reverse("reports:draft_detail", args=[draft_a.pk]),
        reverse("reports:draft_export", args=[draft_a.pk, "docx"]),
    ):
        assert client.get(url).status_code == 404, url
    # The wards' draft list is not theirs: they are sent to what was submitted.
    response = client.get(reverse("reports:draft_list"))
    assert response.url == reverse("reports:city_reports")


def test_the_city_reads_and_downloads_a_submitted_report(
    client, city_user, manager_a, draft_a
):
    client.force_login(manager_a)
    _submit(client, draft_a)
    client.force_login(city_user)
    listing = client.get(reverse("reports:city_reports")).content.decode()
    assert "Phường Hải Dương" in listing and "15/BC-UBND" in listing
    detail = client.get(reverse("reports:city_report", args=[draft_a.pk]))
    assert detail.status_code == 200
    assert "Thiếu kinh phí in ấn." in detail.content.decode()
    for fmt in ("docx", "pdf", "xlsx"):
        response = client.get(
            reverse("reports:city_report_export", args=[draft_a.pk, fmt])
        )
        assert response.status_code == 200 and response.content, fmt


def test_another_citys_staff_do_not_see_the_submitted_report(
    client, manager_a, draft_a
):
    services.draft_submit(draft_a, by=manager_a)
    other = UserFactory()
    other.save()
    other.groups.add(Group.objects.get_or_create(name=roles.CITY_STAFF)[0])
    Membership.objects.create(user=other, ward=None, city="Thành phố Hà Nội")
    client.force_login(other)
    assert "15/BC-UBND" not in client.get(reverse("reports:city_reports")).text
    assert (
        client.get(reverse("reports:city_report", args=[draft_a.pk])).status_code == 404
    )


def test_ward_staff_do_not_open_the_citys_pages(client, manager_a, draft_a):
    services.draft_submit(draft_a, by=manager_a)
    client.force_login(manager_a)
    assert client.get(reverse("reports:city_reports")).status_code == 403
    assert (
        client.get(reverse("reports:city_report", args=[draft_a.pk])).status_code == 403
    )


# ---------------------------------------------------------------- submitting


def test_a_plan_manager_submits_and_the_submission_is_audited(
    client, manager_a, draft_a
):
    client.force_login(manager_a)
    page = _submit(client, draft_a).content.decode()
    assert "Đã gửi báo cáo lên Thành phố Hải Phòng." in page
    draft = ReportDraft.objects.get(pk=draft_a.pk)
    assert draft.submitted_at is not None and draft.submitted_by == manager_a
    entry = AuditLog.objects.get(
        object_type="reports.reportdraft",
        object_id=str(draft.pk),
        action="confirm",
    )
    assert entry.actor == manager_a and entry.ward == draft.ward
    assert entry.object_repr.startswith("Gửi Thành phố Hải Phòng: Báo cáo")


def test_the_draft_screen_offers_the_submit_button_to_plan_managers_only(
    client, manager_a, service_staff_a, draft_a
):
    url = reverse("reports:draft_detail", args=[draft_a.pk])
    client.force_login(manager_a)
    page = client.get(url).content.decode()
    assert "Gửi báo cáo</button>" in page and "Bản nháp" in page
    client.force_login(service_staff_a)
    assert "Gửi báo cáo</button>" not in client.get(url).content.decode()


def test_a_report_without_number_date_or_signer_is_not_sent(client, ward_a, manager_a):
    draft = services.draft_get_or_create(ward_a.plan, *H1, by=manager_a)
    client.force_login(manager_a)
    page = _submit(client, draft).content.decode()
    assert "Chưa gửi được: báo cáo còn thiếu số, ký hiệu, ngày ký." in page
    assert ReportDraft.objects.get(pk=draft.pk).submitted_at is None


def test_unit_staff_and_another_wards_officers_cannot_submit(
    client, ward_b, service_staff_a, city_user, draft_a
):
    other_leader = staff_user(ward=ward_b.ward, unit=ward_b.culture, role=roles.LEADER)
    client.force_login(other_leader)
    assert _submit(client, draft_a).status_code == 404
    client.force_login(city_user)
    assert _submit(client, draft_a).status_code == 404
    client.force_login(service_staff_a)
    page = _submit(client, draft_a).content.decode()
    assert "Chỉ lãnh đạo và Phòng Văn hóa - Xã hội" in page
    assert ReportDraft.objects.get(pk=draft_a.pk).submitted_at is None
    with pytest.raises(PermissionDenied):
        services.draft_submit(draft_a, by=other_leader)
    assert not AuditLog.objects.filter(action="confirm").exists()


# ---------------------------------------------------------------- frozen once sent


def test_a_submitted_report_is_frozen(client, ward_a, manager_a, draft_a):
    services.draft_submit(draft_a, by=manager_a)
    client.force_login(manager_a)
    page = client.post(
        reverse("reports:draft_update", args=[draft_a.pk]),
        {"number": "99/BC-UBND", "signer": "Người khác", "signing_authority": "TM."},
        follow=True,
    ).content.decode()
    assert "Báo cáo đã gửi thành phố lúc" in page and "không sửa được nữa" in page
    assert ReportDraft.objects.get(pk=draft_a.pk).number == "15/BC-UBND"
    client.post(
        reverse("reports:narrative_update", args=[draft_a.pk]),
        {"unit": ward_a.culture.pk, "text": "Sửa sau khi gửi"},
    )
    client.post(
        reverse("reports:commendation_add", args=[draft_a.pk]),
        {"kind": "ca_nhan", "name": "Ông A", "reason": "Tốt."},
    )
    assert not UnitNarrative.objects.filter(draft=draft_a).exists()
    assert not Commendation.objects.filter(draft=draft_a).exists()
    with pytest.raises(ValidationError):
        services.draft_submit(draft_a, by=manager_a)  # sent once only
    # The screen shows the state and no form to change the words.
    detail = client.get(reverse("reports:draft_detail", args=[draft_a.pk]))
    html = detail.content.decode()
    assert "Đã gửi" in html and "Rút lại để sửa" in html
    assert reverse("reports:draft_update", args=[draft_a.pk]) not in html


def test_withdrawing_reopens_the_report_and_hides_it_from_the_city(
    client, city_user, manager_a, draft_a
):
    services.draft_submit(draft_a, by=manager_a)
    client.force_login(manager_a)
    client.post(reverse("reports:draft_withdraw", args=[draft_a.pk]))
    draft = ReportDraft.objects.get(pk=draft_a.pk)
    assert draft.submitted_at is None and draft.submitted_by is None
    assert AuditLog.objects.filter(
        object_id=str(draft.pk), object_repr__startswith="Rút lại báo cáo đã gửi"
    ).exists()
    services.draft_update(draft, by=manager_a, number="16/BC-UBND")
    client.force_login(city_user)
    assert (
        client.get(reverse("reports:city_report", args=[draft.pk])).status_code == 404
    )


def test_the_ward_list_shows_which_reports_were_sent(client, manager_a, draft_a):
    services.draft_submit(draft_a, by=manager_a)
    client.force_login(manager_a)
    page = client.get(reverse("reports:draft_list")).content.decode()
    assert "Đã gửi" in page
