"""Money: allocations per unit and source for a year, spending recorded against activities.

Spending above a line's allocation (a unit, a source, a year) is never saved silently:
`allocation_set` and `expense_record` raise `OverspendError` with the figures unless the
person confirmed it, and every overspent line is flagged in words on the dashboard and
in the report (`overspent_lines`, `overspend_sentence`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from loa.core.models import Unit, Ward
from loa.core.services import audit_record
from loa.plans.models import Activity
from loa.vn import format_number

from .models import BudgetAllocation, Expense, FundingSource


@dataclass
class BudgetLine:
    unit: str
    source: str
    planned: Decimal
    spent: Decimal  # in the period asked
    spent_year: Decimal  # from 1 January to the end of the period

    @property
    def balance(self) -> Decimal:
        return self.planned - self.spent_year

    @property
    def overspent(self) -> bool:
        return self.spent_year > self.planned

    @property
    def overspend(self) -> Decimal:
        """How much was spent beyond the allocation (0 when within it)."""
        return max(self.spent_year - self.planned, Decimal(0))


def budget_lines(
    wards: Iterable[Ward], start: date, end: date, *, unit: Unit | None = None
) -> list[BudgetLine]:
    """Planned vs spent per unit and source for the year(s) the period falls in."""
    wards = list(wards)
    years = range(start.year, end.year + 1)
    allocations = BudgetAllocation.objects.filter(ward__in=wards, year__in=years)
    expenses = Expense.objects.filter(ward__in=wards)
    if unit is not None:
        allocations = allocations.filter(unit=unit)
        expenses = expenses.filter(activity__unit=unit)
    sources = dict(FundingSource.choices)
    planned = {
        (row["unit__name"], row["source"]): row["total"]
        for row in allocations.values("unit__name", "source").annotate(
            total=Sum("amount")
        )
    }

    def spent_by(qs):
        return {
            (row["activity__unit__name"], row["source"]): row["total"]
            for row in qs.values("activity__unit__name", "source").annotate(
                total=Sum("amount")
            )
        }

    spent = spent_by(expenses.filter(date__range=(start, end)))
    spent_year = spent_by(expenses.filter(date__range=(date(start.year, 1, 1), end)))
    keys = sorted(set(planned) | set(spent) | set(spent_year))
    zero = Decimal(0)
    return [
        BudgetLine(
            unit=unit_name,
            source=sources.get(source, source),
            planned=planned.get((unit_name, source), zero),
            spent=spent.get((unit_name, source), zero),
            spent_year=spent_year.get((unit_name, source), zero),
        )
        for unit_name, source in keys
    ]


def budget_by_source(lines: list[BudgetLine]) -> list[BudgetLine]:
    """The same lines summed over units: what the report's budget paragraph states."""
    totals: dict[str, BudgetLine] = {}
    for line in lines:
        total = totals.setdefault(
            line.source, BudgetLine("", line.source, Decimal(0), Decimal(0), Decimal(0))
        )
        total.planned += line.planned
        total.spent += line.spent
        total.spent_year += line.spent_year
    order = [label for _, label in FundingSource.choices]
    return sorted(totals.values(), key=lambda t: order.index(t.source))


def overspent_lines(lines: list[BudgetLine]) -> list[BudgetLine]:
    """The lines whose spending since 1 January passed their allocation."""
    return [line for line in lines if line.overspent]


def overspend_sentence(line: BudgetLine) -> str:
    """The words that flag an overspent line, on the dashboard and in the report."""
    who = f"{line.unit} ({line.source})" if line.unit else line.source
    return (
        f"Chi vượt dự toán: {who} đã chi {format_number(line.spent_year)} đồng từ đầu năm, "
        f"dự toán {format_number(line.planned)} đồng, vượt {format_number(line.overspend)} đồng."
    )


@dataclass(frozen=True)
class Overspend:
    """What saving would leave: a line's spending in the year above its allocation."""

    unit: Unit
    source: str
    year: int
    planned: Decimal
    spent: Decimal

    @property
    def over(self) -> Decimal:
        return self.spent - self.planned

    @property
    def message(self) -> str:
        source = dict(FundingSource.choices).get(self.source, self.source)
        planned = (
            f"dự toán {format_number(self.planned)} đồng"
            if self.planned
            else "chưa có dự toán"
        )
        return (
            f"Vượt dự toán: {self.unit.name} ({source}) năm {self.year} sẽ có "
            f"{format_number(self.spent)} đồng đã chi, {planned}, vượt "
            f"{format_number(self.over)} đồng. Đánh dấu “Xác nhận lưu khi vượt dự toán” "
            "để vẫn lưu; khoản vượt sẽ được nêu trên trang số liệu và trong báo cáo."
        )


class OverspendError(ValidationError):
    """Saving would leave spending above the allocation and was not confirmed."""

    def __init__(self, overspend: Overspend):
        super().__init__(overspend.message, code="overspend")
        self.overspend = overspend


def _spent_in_year(ward: Ward, year: int, unit: Unit, source: str) -> Decimal:
    return Expense.objects.filter(
        ward=ward, activity__unit=unit, source=source, date__year=year
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _planned(ward: Ward, year: int, unit: Unit, source: str) -> Decimal:
    allocation = BudgetAllocation.objects.filter(
        ward=ward, year=year, unit=unit, source=source
    ).first()
    return allocation.amount if allocation else Decimal(0)


def allocation_overspend(
    *, ward: Ward, year: int, unit: Unit, source: str, amount: Decimal
) -> Overspend | None:
    """The overspend an allocation of `amount` would leave, given what was spent."""
    spent = _spent_in_year(ward, year, unit, source)
    if spent > amount:
        return Overspend(unit, source, year, amount, spent)
    return None


def expense_overspend(
    *, activity: Activity, source: str, amount: Decimal, spent_on: date
) -> Overspend | None:
    """The overspend recording this expense would leave on its unit's line."""
    ward, unit, year = activity.ward, activity.unit, spent_on.year
    spent = _spent_in_year(ward, year, unit, source) + amount
    planned = _planned(ward, year, unit, source)
    if spent > planned:
        return Overspend(unit, source, year, planned, spent)
    return None


@transaction.atomic
def allocation_set(
    *,
    ward: Ward,
    year: int,
    unit: Unit,
    source: str,
    amount: Decimal,
    note="",
    by=None,
    overspend_confirmed: bool = False,
) -> BudgetAllocation:
    """Set a unit's allocation from a source for a year; an amount below what the unit
    already spent from it is saved only when `overspend_confirmed`."""
    if unit.ward_id != ward.pk:
        raise ValidationError("Đơn vị không thuộc phường này.")
    if amount < 0:
        raise ValidationError("Số tiền không được âm.")
    overspend = allocation_overspend(
        ward=ward, year=year, unit=unit, source=source, amount=amount
    )
    if overspend and not overspend_confirmed:
        raise OverspendError(overspend)
    allocation, created = BudgetAllocation.objects.update_or_create(
        ward=ward,
        year=year,
        unit=unit,
        source=source,
        defaults={"amount": amount, "note": note, "created_by": by},
    )
    changes = {"số tiền": format_number(amount)}
    if overspend:
        changes["vượt dự toán"] = format_number(overspend.over)
    audit_record(
        action="create" if created else "update",
        obj=allocation,
        actor=by,
        ward=ward,
        changes=changes,
    )
    return allocation


@transaction.atomic
def expense_record(
    *,
    activity: Activity,
    source: str,
    amount: Decimal,
    description: str,
    spent_on: date | None = None,
    by=None,
    overspend_confirmed: bool = False,
) -> Expense:
    """Record money spent on an activity; spending beyond its unit's allocation for
    the source and year is saved only when `overspend_confirmed`."""
    if amount <= 0:
        raise ValidationError("Số tiền chi phải lớn hơn 0.")
    spent_on = spent_on or activity.date
    overspend = expense_overspend(
        activity=activity, source=source, amount=amount, spent_on=spent_on
    )
    if overspend and not overspend_confirmed:
        raise OverspendError(overspend)
    expense = Expense(
        ward=activity.ward,
        activity=activity,
        source=source,
        amount=amount,
        description=description.strip(),
        date=spent_on,
        created_by=by,
    )
    expense.full_clean()
    expense.save()
    audit_record(
        action="create",
        obj=expense,
        actor=by,
        ward=activity.ward,
        changes={"vượt dự toán": format_number(overspend.over)} if overspend else None,
    )
    return expense
