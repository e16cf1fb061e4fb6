import io
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from loa.core import roles
from loa.core.models import AuditLog, Membership
from loa.core.tests.factories import UserFactory, staff_user
from loa.plans.models import Activity
from loa.reports.models import Expense, Indicator, ReportDraft, UnitNarrative
from loa.reports.services import draft_get_or_create

from .conftest import H1

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


@pytest.fixture
def city_user(ward_a, ward_b):
    user = UserFactory()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.CITY_STAFF)[0])
    Membership.objects.create(user=user, ward=None, city="Thành phố Hải Phòng")
    return user


@pytest.fixture
def draft_a(ward_a, manager_a):
    return draft_get_or_create(ward_a.plan, *H1, by=manager_a)


def test_leader_dashboard_shows_the_figures_charts_and_tables(
    client, manager_a, ward_b
):
    client.force_login(manager_a)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert "<svg" in page and "Nhiệm vụ theo trạng thái" in page
    assert "120 lượt người dự" in page  # conferences
    assert "<strong>3</strong> lượt hỏi trợ lý ảo (67% trả lời được)" in page
    assert "Thành Đông" not in page


def test_dashboard_xlsx_has_a_sheet_per_table(client, manager_a):
    client.force_login(manager_a)
    response = client.get(reverse("reports:dashboard_xlsx"), PERIOD)
    book = load_workbook(io.BytesIO(response.content))
    assert "Nhiệm vụ theo đơn vị" in book.sheetnames and "Kinh phí" in book.sheetnames
    summary = {
        row[0]: row[1:]
        for row in book["Số liệu chính"].iter_rows(min_row=2, values_only=True)
    }
    assert summary["hội nghị, hội thảo, tọa đàm"][:2] == (2, "120 lượt người dự")


def test_unit_staff_see_only_their_units_figures(client, service_staff_a):
    client.force_login(service_staff_a)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert "Trung tâm Dịch vụ sự nghiệp công" in page
    assert "Phòng Văn hóa - Xã hội" not in page
    assert "0 lượt người dự" in page  # conferences belong to the other unit


def test_city_staff_see_every_ward_and_the_roll_up(client, city_user):
    client.force_login(city_user)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert (
        "Toàn thành phố" in page
        and "Phường Thành Đông" in page
        and "Phường Hải Dương" in page
    )
    one = client.get(
        reverse("reports:dashboard"), PERIOD | {"ward": "thanh-dong-test"}
    ).content.decode()
    assert (
        "Toàn thành phố" not in one
        and "Phòng Văn hóa - Xã hội phường Thành Đông" in one
    )


def test_city_staff_cannot_change_a_ward(client, city_user, draft_a):
    client.force_login(city_user)
    # A ward's draft is not even found by the city (issue 15: only sent reports).
    assert (
        client.get(reverse("reports:draft_detail", args=[draft_a.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("reports:draft_update", args=[draft_a.pk]),
        {"difficulties": "x", "signer": "x"},
    )
    assert response.status_code == 404
    assert ReportDraft.objects.get(pk=draft_a.pk).difficulties == ""


def test_another_wards_staff_cannot_reach_a_draft_or_indicator(
    client, ward_a, ward_b, draft_a
):
    other = staff_user(ward=ward_b.ward, unit=ward_b.culture, role=roles.LEADER)
    indicator = Indicator.objects.create(
        plan=ward_a.plan, name="x", measure=Indicator.Measure.ACTIVITIES, target=1
    )
    client.force_login(other)
    for url in (
        reverse("reports:draft_detail", args=[draft_a.pk]),
        reverse("reports:draft_export", args=[draft_a.pk, "docx"]),
        reverse("reports:indicator_detail", args=[indicator.pk]),
        reverse("reports:indicator_edit", args=[ward_a.plan.pk, indicator.pk]),
    ):
        assert client.get(url).status_code == 404, url
    activity = Activity.objects.filter(ward=ward_a.ward).first()
    assert (
        client.get(reverse("reports:expense_create", args=[activity.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("reports:narrative_update", args=[draft_a.pk]),
        {"unit": ward_a.culture.pk, "text": "x"},
    )
    assert response.status_code == 404
    assert not UnitNarrative.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, draft_a):
    for url in (
        reverse("reports:dashboard"),
        reverse("reports:draft_export", args=[draft_a.pk, "pdf"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_manager_sets_an_indicator_and_reads_its_evidence(client, manager_a, ward_a):
    client.force_login(manager_a)
    response = client.post(
        reverse("reports:indicator_create", args=[ward_a.plan.pk]),
        {
            "name": "Tin bài mỗi tháng",
            "measure": "so_hoat_dong",
            "kinds": ["tin_bai"],
            "target": "2",
            "period": "thang",
            "order": "0",
        },
    )
    indicator = Indicator.objects.get(name="Tin bài mỗi tháng")
    assert response.status_code == 302
    page = client.get(
        reverse("reports:indicator_detail", args=[indicator.pk]), PERIOD
    ).content.decode()
    assert (
        "Tin tháng 1" in page
        and "Tin tháng 2 số hai" in page
        and "Hội nghị quán triệt" not in page
    )
    assert "Thực hiện <strong>3</strong> / chỉ tiêu 12 (25%)" in page
    assert AuditLog.objects.filter(
        object_type="reports.indicator", action="create"
    ).exists()


def test_unit_staff_cannot_set_indicators(client, service_staff_a, ward_a):
    client.force_login(service_staff_a)
    assert (
        client.get(
            reverse("reports:indicator_create", args=[ward_a.plan.pk])
        ).status_code
        == 403
    )


def test_expense_only_for_own_units_activity(client, service_staff_a, ward_a):
    client.force_login(service_staff_a)
    own = Activity.objects.get(title="Tin tháng 1")
    other = Activity.objects.get(title="Hội nghị quán triệt")
    data = {
        "source": "ngan_sach",
        "amount": "1500000",
        "spent_on": "2026-01-10",
        "description": "Nhuận bút",
    }
    assert (
        client.post(
            reverse("reports:expense_create", args=[other.pk]), data
        ).status_code
        == 403
    )
    # The service centre has no allocation: the spending is an overspend, confirmed.
    url = reverse("reports:expense_create", args=[own.pk])
    assert "Vượt dự toán" in client.post(url, data).content.decode()
    assert client.post(url, data | {"overspend_confirmed": "on"}).status_code == 302
    assert Expense.objects.get().amount == 1_500_000


@pytest.mark.parametrize("amount", ["-5", "abc", "1" * 20])
def test_bad_amounts_get_a_vietnamese_message_and_save_nothing(
    client, manager_a, ward_a, amount
):
    client.force_login(manager_a)
    response = client.post(
        reverse("reports:budget"),
        {
            "year": "2026",
            "unit": ward_a.culture.pk,
            "source": "ngan_sach",
            "amount": amount,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert any(
        word in page
        for word in ("Nhập một số", "Đảm bảo", "lớn hơn hoặc bằng", "không quá")
    )
    from loa.reports.models import BudgetAllocation

    assert not BudgetAllocation.objects.exists()


def test_manager_writes_the_draft_and_hostile_text_is_shown_as_text(
    client, manager_a, draft_a, ward_a
):
    client.force_login(manager_a)
    client.post(
        reverse("reports:draft_update", args=[draft_a.pk]),
        {
            "difficulties": "<script>alert(1)</script> Thiếu kinh phí",
            "signer": "Phạm Thị Thanh Vân",
            "signing_authority": "",
            "signer_position": "CHỦ TỊCH",
        },
    )
    client.post(
        reverse("reports:narrative_update", args=[draft_a.pk]),
        {"unit": ward_a.culture.pk, "text": "<img src=x onerror=alert(2)>"},
    )
    page = client.get(
        reverse("reports:draft_detail", args=[draft_a.pk])
    ).content.decode()
    assert (
        "<script>alert(1)</script>" not in page
        and "&lt;script&gt;alert(1)&lt;/script&gt; Thiếu kinh phí" in page
    )
    assert "<img src=x" not in page
    response = client.get(reverse("reports:draft_export", args=[draft_a.pk, "docx"]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert (
        'filename="bao-cao-77-KH-UBND-20260101-20260630.docx"'
        in response["Content-Disposition"]
    )


def test_new_draft_from_a_preset_period(client, manager_a, ward_a):
    client.force_login(manager_a)
    response = client.post(
        reverse("reports:draft_list"), {"plan": ward_a.plan.pk, "preset": "nam"}
    )
    draft = ReportDraft.objects.get()
    assert response["Location"] == reverse("reports:draft_detail", args=[draft.pk])
    assert (draft.period_from.month, draft.period_to.month, draft.period_to.day) == (
        1,
        12,
        31,
    )


def test_a_wrong_period_filter_says_so_in_vietnamese(client, manager_a):
    client.force_login(manager_a)
    page = client.get(
        reverse("reports:dashboard"), {"start": "2026-07-01", "end": "2026-01-01"}
    ).content.decode()
    assert "Kỳ lọc không hợp lệ" in page


def test_unknown_export_format_is_not_found(client, manager_a, draft_a):
    client.force_login(manager_a)
    assert (
        client.get(
            reverse("reports:draft_export", args=[draft_a.pk, "exe"])
        ).status_code
        == 404
    )


def test_demo_data_loads_months_of_work(db):
    from loa.plans.demo import demo_load
    from loa.reports.demo import reports_demo_load

    result = demo_load()
    assert reports_demo_load(plan=result["plan"]) is True
    months = {
        d.month
        for d in Activity.objects.filter(ward=result["ward"]).dates("date", "month")
    }
    assert len(months) >= 3
    assert reports_demo_load(plan=result["plan"]) is False  # idempotent
    assert (
        Membership.objects.get(user__username="thanhpho").city == "Thành phố Hải Phòng"
    )
    assert date(2026, 6, 30) in {d.period_to for d in ReportDraft.objects.all()}
