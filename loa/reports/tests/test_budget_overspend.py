"""Issue 15: overspending is warned before saving and flagged in words; the unit the
plan charges with budget advice enters allocations."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from loa.core import roles
from loa.core.models import AuditLog
from loa.core.tests.factories import UnitFactory, staff_user
from loa.plans.models import Task
from loa.plans.tests.factories import TaskFactory
from loa.reports.budget import OverspendError, allocation_set
from loa.reports.models import BudgetAllocation, Expense, FundingSource
from loa.reports.services import draft_get_or_create, report_export

from .conftest import H1

pytestmark = pytest.mark.django_db
NSNN = FundingSource.STATE_BUDGET


@pytest.fixture
def economy(ward_a):
    """Phòng Kinh tế, Hạ tầng và Đô thị, charged by the plan with budget advice."""
    unit = UnitFactory(ward=ward_a.ward, name="Phòng Kinh tế, Hạ tầng và Đô thị")
    TaskFactory(
        plan=ward_a.plan,
        unit=unit,
        role=Task.Role.LEAD,
        text="Căn cứ khả năng cân đối ngân sách, chủ trì tham mưu cho UBND phường "
        "bố trí kinh phí thường xuyên để thực hiện các nhiệm vụ của Kế hoạch.",
    )
    return unit


@pytest.fixture
def kinhte(ward_a, economy):
    return staff_user(ward=ward_a.ward, unit=economy, role=roles.UNIT_STAFF)


def _allocation(ward_a, amount: str, **extra) -> dict:
    return {
        "year": "2026",
        "unit": str(ward_a.culture.pk),
        "source": NSNN,
        "amount": amount,
        "note": "",
    } | extra


def test_the_budget_advice_unit_saves_an_allocation(client, ward_a, kinhte):
    client.force_login(kinhte)
    page = client.get(reverse("reports:budget"), {"nam": 2026}).content.decode()
    assert "Nhập dự toán" in page
    response = client.post(
        reverse("reports:budget") + "?nam=2026", _allocation(ward_a, "20000000")
    )
    assert response.status_code == 302
    assert BudgetAllocation.objects.get(unit=ward_a.culture).amount == 20_000_000


def test_another_units_officer_cannot_save_an_allocation(
    client, ward_a, economy, service_staff_a
):
    client.force_login(service_staff_a)
    page = client.get(reverse("reports:budget"), {"nam": 2026}).content.decode()
    assert "Nhập dự toán" not in page
    response = client.post(reverse("reports:budget"), _allocation(ward_a, "20000000"))
    assert response.status_code == 403
    assert not BudgetAllocation.objects.exists()


def test_an_allocation_below_what_was_spent_is_warned_and_saved_only_when_confirmed(
    client, money_a, kinhte
):
    """The culture unit spent 2.900.000 in 2026 (April and July)."""
    client.force_login(kinhte)
    url = reverse("reports:budget") + "?nam=2026"
    page = client.post(url, _allocation(money_a, "2000000")).content.decode()
    assert "Vượt dự toán: Phòng Văn hóa - Xã hội (Ngân sách nhà nước)" in page
    assert "vượt 900.000 đồng" in page
    assert "Xác nhận lưu khi vượt dự toán" in page
    assert BudgetAllocation.objects.get(unit=money_a.culture).amount == 10_000_000

    confirmed = _allocation(money_a, "2000000", overspend_confirmed="on")
    assert client.post(url, confirmed).status_code == 302
    assert BudgetAllocation.objects.get(unit=money_a.culture).amount == 2_000_000
    audit = AuditLog.objects.filter(action="update").latest("pk")
    assert audit.changes.get("vượt dự toán") == "900.000"


def test_an_expense_beyond_the_allocation_is_warned_before_saving(
    client, money_a, manager_a
):
    client.force_login(manager_a)
    activity = money_a.plan.tasks.get(text="Tổ chức hội nghị quán triệt").activities
    url = reverse("reports:expense_create", args=[activity.first().pk])
    data = {
        "source": NSNN,
        "amount": "9000000",
        "spent_on": "2026-03-05",
        "description": "Thuê hội trường",
    }
    before = Expense.objects.count()
    page = client.post(url, data).content.decode()
    # 2.900.000 spent in 2026 + 9.000.000 against 10.000.000 allocated.
    assert "Vượt dự toán" in page and "vượt 1.900.000 đồng" in page
    assert Expense.objects.count() == before
    assert client.post(url, data | {"overspend_confirmed": "on"}).status_code == 302
    assert Expense.objects.count() == before + 1


def test_the_service_refuses_an_unconfirmed_overspend(money_a):
    with pytest.raises(OverspendError, match="vượt 900.000 đồng"):
        allocation_set(
            ward=money_a.ward,
            year=2026,
            unit=money_a.culture,
            source=NSNN,
            amount=Decimal(2_000_000),
        )


def test_overspending_is_flagged_in_words_on_the_dashboard_and_in_the_report(
    client, money_a, manager_a
):
    allocation_set(
        ward=money_a.ward,
        year=2026,
        unit=money_a.culture,
        source=NSNN,
        amount=Decimal(1_000_000),
        overspend_confirmed=True,
    )
    client.force_login(manager_a)
    page = client.get(
        reverse("reports:dashboard"), {"start": "2026-01-01", "end": "2026-06-30"}
    ).content.decode()
    assert (
        "Chi vượt dự toán: Phòng Văn hóa - Xã hội (Ngân sách nhà nước) đã chi "
        "2.500.000 đồng từ đầu năm, dự toán 1.000.000 đồng, vượt 1.500.000 đồng."
    ) in page
    draft = draft_get_or_create(money_a.plan, *H1, by=manager_a)
    docx_text = report_export(draft, "docx").content
    from docx import Document

    document = Document(io.BytesIO(docx_text))
    text = "\n".join(p.text for p in document.paragraphs)
    # By source: 1.000.000 planned, 3.500.000 spent (the service centre's 1.000.000 too).
    assert "vượt dự toán 2.500.000 đồng" in text
    assert "-2.500.000" not in text and "−2.500.000" not in text
    assert "Chi vượt dự toán: Phòng Văn hóa - Xã hội (Ngân sách nhà nước)" in text
    book = load_workbook(io.BytesIO(report_export(draft, "xlsx").content))
    header, *rows = book["Kinh phí"].iter_rows(values_only=True)
    assert header[-2:] == ("Còn lại", "Vượt dự toán")
    assert rows == [
        ("Ngân sách nhà nước", 1_000_000, 3_500_000, 3_500_000, 0, 2_500_000)
    ]


def test_the_budget_units_rule_reads_the_plan_not_a_unit_name(ward_a, kinhte):
    from loa.reports.selectors import budget_task_list, can_enter_budget

    assert [t.unit.name for t in budget_task_list(ward_a.ward)] == [
        "Phòng Kinh tế, Hạ tầng và Đô thị"
    ]
    assert can_enter_budget(kinhte)
    # Without the task (another plan, no budget advice) the same unit may not.
    Task.objects.filter(unit__name="Phòng Kinh tế, Hạ tầng và Đô thị").delete()
    assert not can_enter_budget(kinhte)
