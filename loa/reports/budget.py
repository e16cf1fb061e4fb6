"""Money: allocations per unit and source for a year, spending recorded against activities."""

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


@transaction.atomic
def allocation_set(
    *, ward: Ward, year: int, unit: Unit, source: str, amount: Decimal, note="", by=None
) -> BudgetAllocation:
    if unit.ward_id != ward.pk:
        raise ValidationError("Đơn vị không thuộc phường này.")
    if amount < 0:
        raise ValidationError("Số tiền không được âm.")
    allocation, created = BudgetAllocation.objects.update_or_create(
        ward=ward,
        year=year,
        unit=unit,
        source=source,
        defaults={"amount": amount, "note": note, "created_by": by},
    )
    audit_record(
        action="create" if created else "update",
        obj=allocation,
        actor=by,
        ward=ward,
        changes={"số tiền": format_number(amount)},
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
) -> Expense:
    if amount <= 0:
        raise ValidationError("Số tiền chi phải lớn hơn 0.")
    expense = Expense(
        ward=activity.ward,
        activity=activity,
        source=source,
        amount=amount,
        description=description.strip(),
        date=spent_on or activity.date,
        created_by=by,
    )
    expense.full_clean()
    expense.save()
    audit_record(action="create", obj=expense, actor=by, ward=activity.ward)
    return expense
