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
    wards_for_figures,
)
from loa.core.models import Unit, Ward
from loa.plans.models import Plan

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
    ward = user_ward(user)
    if ward is None:
        raise PermissionDenied("Tài khoản chưa được gán vào phường nào.")
    if is_plan_manager(user):
        return Scope([ward], None, False, True)
    unit = user_unit(user)
    if unit is None:
        raise PermissionDenied(
            "Chỉ lãnh đạo, Phòng Văn hóa - Xã hội và cán bộ các đơn vị xem được số liệu."
        )
    return Scope([ward], unit, False, False)


def plans_for_scope(scope: Scope):
    return (
        Plan.objects.filter(ward__in=scope.wards)
        .exclude(status=Plan.Status.REVIEW)
        .select_related("ward")
        .order_by("ward__name", "-issued_date")
    )


def draft_get_for_user(user, pk: int) -> ReportDraft | None:
    scope = reader_scope(user)
    return (
        ReportDraft.objects.filter(pk=pk, ward__in=scope.wards)
        .select_related("plan__ward", "ward")
        .first()
    )


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
