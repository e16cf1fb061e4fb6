"""Budget: a year's allocations, spending and balances; recording an expense."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from loa.core.access import can_act_for_unit
from loa.plans.models import Activity

from .. import budget, charts
from ..forms import AllocationForm, ExpenseForm
from ..models import BudgetAllocation, Expense
from ..selectors import can_enter_budget, reader_scope


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
def budget_view(request):
    scope = reader_scope(request.user)
    if scope.is_city:
        raise PermissionDenied("Cán bộ thành phố xem kinh phí trên trang số liệu.")
    ward = scope.ward
    may_enter = can_enter_budget(request.user)
    # Whoever enters the ward's allocations reads the whole ward's budget.
    unit = None if may_enter else scope.unit
    year = _year(request)
    start, end = date(year, 1, 1), date(year, 12, 31)
    form = AllocationForm(request.POST or None, ward=ward, initial={"year": year})
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(
                "Chỉ lãnh đạo, Phòng Văn hóa - Xã hội và đơn vị được kế hoạch giao "
                "tham mưu kinh phí nhập dự toán."
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                budget.allocation_set(
                    ward=ward,
                    by=request.user,
                    overspend_confirmed=form.overspend_confirmed(),
                    **data,
                )
            except budget.OverspendError as exc:
                form.overspend_ask(exc)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Đã lưu dự toán.")
                return redirect(f"{request.path}?nam={data['year']}")
    allocations = BudgetAllocation.objects.filter(ward=ward, year=year).select_related(
        "unit"
    )
    expenses = Expense.objects.filter(ward=ward, date__year=year).select_related(
        "activity__unit"
    )
    activities = Activity.objects.filter(ward=ward, date__year=year).select_related(
        "unit"
    )
    if unit is not None:
        allocations = allocations.filter(unit=unit)
        expenses = expenses.filter(activity__unit=unit)
    if not scope.is_manager and scope.unit is not None:
        # Expenses are recorded by the unit that did the work.
        activities = activities.filter(unit=scope.unit)
    lines = budget.budget_lines([ward], start, end, unit=unit)
    return render(
        request,
        "reports/budget.html",
        {
            "year": year,
            "form": form if may_enter else None,
            "allocations": allocations,
            "expenses": expenses[:200],
            "lines": lines,
            "by_source": budget.budget_by_source(lines),
            "overspent": budget.overspent_lines(lines),
            "chart": charts.budget(lines),
            "activities": Paginator(activities, 30).get_page(request.GET.get("trang")),
        },
    )


@login_required
def expense_create(request, activity_pk: int):
    scope = reader_scope(request.user)
    activity = get_object_or_404(
        Activity.objects.select_related("unit", "task"),
        pk=activity_pk,
        ward__in=scope.wards,
    )
    if scope.is_city or not can_act_for_unit(request.user, activity.unit):
        raise PermissionDenied("Bạn chỉ ghi khoản chi cho hoạt động của đơn vị mình.")
    form = ExpenseForm(request.POST or None, initial={"spent_on": activity.date})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            budget.expense_record(
                activity=activity,
                by=request.user,
                overspend_confirmed=form.overspend_confirmed(),
                **data,
            )
        except budget.OverspendError as exc:
            form.overspend_ask(exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã ghi khoản chi.")
            return redirect(f"{reverse('reports:budget')}?nam={activity.date.year}")
    return render(
        request, "reports/expense_form.html", {"form": form, "activity": activity}
    )
