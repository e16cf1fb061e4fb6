"""Who reads which figures, and reads of drafts and indicators scoped to the reader."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from loa.core.access import (
    is_plan_manager,
    user_city,
    user_unit,
    user_ward,
    ward_required,
    wards_for_figures,
)
from loa.core.models import Unit, Ward
from loa.plans.models import Plan, Task
from loa.vn import fold_lower

from .models import Indicator, ReportDraft


@dataclass
class Scope:
    wards: list[Ward]
    unit: Unit | None  # a unit's own staff see only their unit
    is_city: bool
    is_manager: bool

    @property
    def ward(self) -> Ward | None:
        return self.wards[0] if len(self.wards) == 1 else None


def reader_scope(user) -> Scope:
    """Leaders and the lead unit read their whole ward, city staff every ward of the
    city, other staff their own unit's figures; anyone else nothing."""
    if user_city(user):
        wards = wards_for_figures(user)
        return Scope(wards, None, True, False)
    ward = ward_required(user)
    if is_plan_manager(user):
        return Scope([ward], None, False, True)
    unit = user_unit(user)
    if unit is None:
        raise PermissionDenied(
            "Chỉ lãnh đạo, Phòng Văn hóa - Xã hội và cán bộ các đơn vị xem được số liệu."
        )
    return Scope([ward], unit, False, False)


def budget_task_list(ward: Ward) -> list[Task]:
    """The tasks by which a ward's plans charge a unit with budget advice.

    A task of a confirmed plan (active or closed) that the unit leads (chủ trì, or no
    role written) and whose text is about advising on money: it says "tham mưu" and
    "kinh phí" or "ngân sách", as Kế hoạch 77 charges Phòng Kinh tế, Hạ tầng và Đô thị
    ("chủ trì tham mưu cho UBND phường bố trí kinh phí thường xuyên…").
    """
    tasks = (
        Task.objects.filter(
            plan__ward=ward,
            plan__status__in=[Plan.Status.ACTIVE, Plan.Status.CLOSED],
        )
        .exclude(role=Task.Role.SUPPORT)
        .select_related("unit")
    )
    result = []
    for task in tasks:
        words = fold_lower(task.text)
        if "tham muu" in words and ("kinh phi" in words or "ngan sach" in words):
            result.append(task)
    return result


def can_enter_budget(user) -> bool:
    """Leaders and Phòng Văn hóa - Xã hội, and the staff of a unit the plan charges
    with budget advice (`budget_task_list`), enter a ward's allocations."""
    if user_city(user):
        return False
    ward = user_ward(user)
    if ward is None:
        return False
    if is_plan_manager(user):
        return True
    unit = user_unit(user)
    return unit is not None and any(
        task.unit_id == unit.pk for task in budget_task_list(ward)
    )


def plans_for_scope(scope: Scope):
    return (
        Plan.objects.filter(ward__in=scope.wards)
        .exclude(status=Plan.Status.REVIEW)
        .select_related("ward")
        .order_by("ward__name", "-issued_date")
    )


def draft_get_for_user(user, pk: int) -> ReportDraft | None:
    """A draft of the reader's ward. Drafts are the ward's own work: city staff never
    open one here; they read the submitted reports (`submitted_report_get_for_city`)."""
    scope = reader_scope(user)
    if scope.is_city:
        return None
    return (
        ReportDraft.objects.filter(pk=pk, ward__in=scope.wards)
        .select_related("plan__ward", "ward", "submitted_by")
        .first()
    )


def submitted_reports_for_city(user):
    """The reports the wards of the city staff's city have sent ("Gửi báo cáo"), newest
    first (a ward merged since keeps the reports it sent); nothing for anyone else,
    and never a draft."""
    city = user_city(user)
    if not city:
        return ReportDraft.objects.none()
    return (
        ReportDraft.objects.filter(ward__province=city, submitted_at__isnull=False)
        .select_related("plan__ward", "ward", "submitted_by")
        .order_by("-submitted_at", "-pk")
    )


def submitted_report_get_for_city(user, pk: int) -> ReportDraft | None:
    return submitted_reports_for_city(user).filter(pk=pk).first()


def indicator_get_for_user(user, pk: int) -> Indicator | None:
    scope = reader_scope(user)
    return (
        Indicator.objects.filter(pk=pk, plan__ward__in=scope.wards)
        .select_related("plan__ward", "unit")
        .first()
    )


PRESETS = [
    ("thang", "Tháng này"),
    ("quy", "Quý này"),
    ("6thang", "6 tháng"),
    ("nam", "Cả năm"),
]


def preset_period(name: str, today: date | None = None) -> tuple[date, date]:
    """The reporting periods a ward uses: this month, quarter, half-year, year."""
    today = today or timezone.localdate()
    if name == "thang":
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    elif name == "quy":
        q = (today.month - 1) // 3
        start = date(today.year, 3 * q + 1, 1)
        end = (date(today.year + (q == 3), (3 * q + 3) % 12 + 1, 1)) - timedelta(days=1)
    elif name == "6thang":
        first_half = today.month <= 6
        start = date(today.year, 1 if first_half else 7, 1)
        end = date(today.year, 6, 30) if first_half else date(today.year, 12, 31)
    else:
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    return start, end
