"""Indicators (chỉ tiêu): progress and records of one, and setting them for a plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from loa.plans.models import Activity, Plan

from .. import services
from ..forms import IndicatorForm
from ..metrics import indicator_progress, indicator_records
from ..models import Indicator
from ..selectors import indicator_get_for_user, plans_for_scope, reader_scope
from .dashboard import _period


def _managed_plan(request, pk: int) -> Plan:
    scope = reader_scope(request.user)
    if not scope.is_manager:
        raise PermissionDenied("Chỉ lãnh đạo và Phòng Văn hóa - Xã hội đặt chỉ tiêu.")
    return get_object_or_404(plans_for_scope(scope), pk=pk)


@login_required
def indicator_detail(request, pk: int):
    indicator = indicator_get_for_user(request.user, pk)
    if indicator is None:
        raise Http404
    scope = reader_scope(request.user)
    form, _, _ = _period(request, scope)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    progress = indicator_progress(indicator, start, end)
    records = indicator_records(indicator, start, end)
    page = Paginator(records, 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "reports/indicator_detail.html",
        {
            "indicator": indicator,
            "progress": progress,
            "page": page,
            "form": form,
            "is_activity": records.model is Activity,
            "model_name": records.model._meta.verbose_name,
            "query": request.GET.urlencode(),
            "can_edit": scope.is_manager,
        },
    )


@login_required
def indicator_edit(request, plan_pk: int, pk: int | None = None):
    plan = _managed_plan(request, plan_pk)
    instance = get_object_or_404(Indicator, pk=pk, plan=plan) if pk else None
    form = IndicatorForm(request.POST or None, instance=instance, plan=plan)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "delete" and instance is not None:
            services.indicator_delete(instance, by=request.user)
            messages.success(request, "Đã xóa chỉ tiêu.")
            return redirect("reports:dashboard")
        try:
            indicator = services.indicator_save(
                form.save(commit=False), by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lưu chỉ tiêu “{indicator.name}”.")
            return redirect("reports:indicator_detail", pk=indicator.pk)
    return render(
        request,
        "reports/indicator_form.html",
        {"form": form, "plan": plan, "indicator": instance},
    )
