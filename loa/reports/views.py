"""Dashboard, indicators, budget and periodic reports: thin views over services."""

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from loa.core.access import can_act_for_unit
from loa.core.errors import error_text
from loa.core.models import Unit
from loa.core.spreadsheets import append_row
from loa.plans.models import Activity, Plan

from . import budget, charts, services
from .document import report_document
from .figures import STATUS_LABELS, STATUS_ORDER, dashboard_figures
from .forms import (
    AllocationForm,
    CommendationForm,
    DraftForm,
    ExpenseForm,
    IndicatorForm,
    NarrativeForm,
    NewDraftForm,
    PeriodForm,
)
from .metrics import indicator_list_progress, indicator_progress, indicator_records
from .models import BudgetAllocation, Commendation, Expense, Indicator, ReportDraft
from .render import XLSX_TYPE
from .selectors import (
    draft_get_for_user,
    indicator_get_for_user,
    plans_for_scope,
    reader_scope,
)
from .tables import FORM_SHEET, form_table


def _period(request, scope) -> tuple[PeriodForm, list, Unit | None]:
    form = PeriodForm(request.GET or None, scope=scope)
    if not form.is_valid():
        form = PeriodForm({}, scope=scope)
        form.is_valid()
        if request.GET:
            messages.error(request, "Kỳ lọc không hợp lệ; đang hiện cả năm nay.")
    data = form.data.copy()
    if (
        data.get("start") != form.cleaned_data["start"].isoformat()
        or data.get("end") != form.cleaned_data["end"].isoformat()
    ):
        # Show the dates actually used (a preset or the default year) in the date fields.
        data["start"] = form.cleaned_data["start"].isoformat()
        data["end"] = form.cleaned_data["end"].isoformat()
        form = PeriodForm(data, scope=scope)
        form.is_valid()
    wards, unit = form.selection()
    return form, wards, unit


# ---------------------------------------------------------------- dashboard


@login_required
def dashboard(request):
    scope = reader_scope(request.user)
    form, wards, unit = _period(request, scope)
    f = dashboard_figures(
        wards, form.cleaned_data["start"], form.cleaned_data["end"], unit=unit
    )
    statuses = [(s, STATUS_LABELS[s]) for s in STATUS_ORDER]
    chart_svgs = {
        "status": charts.tasks_by_status(f["tasks_by_status"]),
        "units": charts.tasks_by_unit(f["tasks_by_unit"], statuses),
        "kinds": charts.monthly(f["by_kind"], "Hoạt động theo loại, theo tháng"),
        "channels": charts.monthly(f["by_channel"], "Hoạt động theo kênh, theo tháng"),
        "budget": charts.budget(f["budget"]),
    }
    plans = list(plans_for_scope(scope)) if not scope.is_city else []
    progress = []
    for plan in plans:
        progress += indicator_list_progress(plan, f["start"], f["end"])
    return render(
        request,
        "reports/dashboard.html",
        {
            "f": f,
            "form": form,
            "scope": scope,
            "unit": unit,
            "charts": chart_svgs,
            "statuses": statuses,
            "progress": progress,
            "plans": plans,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def dashboard_xlsx(request):
    """The dashboard's tables as a workbook, one sheet per table."""
    scope = reader_scope(request.user)
    form, wards, unit = _period(request, scope)
    f = dashboard_figures(
        wards, form.cleaned_data["start"], form.cleaned_data["end"], unit=unit
    )
    book = Workbook()
    book.remove(book.active)

    def sheet(title, header, rows):
        ws = book.create_sheet(title[:31])
        append_row(ws, header)
        for row in rows:
            append_row(ws, row)
        ws.freeze_panes = "A2"

    sheet(
        "Nhiệm vụ theo trạng thái",
        ["Trạng thái", "Số nhiệm vụ"],
        [(r["label"], r["count"]) for r in f["tasks_by_status"]],
    )
    sheet(
        "Nhiệm vụ theo đơn vị",
        ["Phường", "Đơn vị", "Tổng"]
        + [STATUS_LABELS[s] for s in STATUS_ORDER]
        + ["Hoạt động"],
        [
            [r["ward"], r["unit"], r["total"]]
            + [r[s] for s in STATUS_ORDER]
            + [r["activities"]]
            for r in f["tasks_by_unit"]
        ],
    )
    for key, title in (
        ("by_kind", "Hoạt động theo loại"),
        ("by_channel", "Hoạt động theo kênh"),
    ):
        sheet(
            title,
            ["Tháng"] + [s["name"] for s in f[key]["series"]],
            [
                [m] + [s["values"][i] for s in f[key]["series"]]
                for i, m in enumerate(f[key]["months"])
            ],
        )
    sheet(FORM_SHEET, *form_table(f["by_form"]))
    c, a, lf = f["communication"], f["assistant"], f["learning"]
    sheet(
        "Tổng hợp",
        ["Chỉ số", "Giá trị"],
        [
            ("Tin bài", c["articles"]),
            ("Chuyên mục phát thanh", c["radio"]),
            ("Đợt trực quan, in ấn", c["print_runs"]),
            ("Sản phẩm in", c["print_copies"]),
            ("Hội nghị", c["conferences"]),
            ("Lượt người dự hội nghị", c["attendees"]),
            ("Lượt hỏi trợ lý", a["questions"]),
            ("Lượt trả lời được", a["answered"]),
            ("Tỉ lệ trả lời được (%)", a["share"]),
            ("Học viên mới", lf["learners"]),
            ("Giấy chứng nhận", lf["certificates"]),
            ("Lượt hỗ trợ tại nhà", lf["visits"]),
            ("Người được hỗ trợ", lf["people_helped"]),
        ],
    )
    sheet(
        "Kinh phí",
        ["Đơn vị", "Nguồn", "Dự toán", "Chi trong kỳ", "Lũy kế năm", "Còn lại"],
        [
            (
                b.unit,
                b.source,
                int(b.planned),
                int(b.spent),
                int(b.spent_year),
                int(b.balance),
            )
            for b in f["budget"]
        ],
    )
    sheet(
        "Theo tổ dân phố",
        [
            "Phường",
            "Tổ dân phố",
            "Học viên mới",
            "Giấy chứng nhận",
            "Lượt hỗ trợ tại nhà",
            "Người được hỗ trợ",
        ],
        [
            (
                r["ward"],
                r["group"],
                r["learners"],
                r["certificates"],
                r["visits"],
                r["people"],
            )
            for r in f["by_residential_group"]
        ],
    )
    if "per_ward" in f:
        sheet(
            "Theo phường",
            [
                "Phường",
                "Nhiệm vụ",
                "Hoàn thành",
                "Quá hạn",
                "Hoạt động",
                "Lượt người dự",
                "Lượt hỏi trợ lý",
                "Học viên",
                "Lượt hỗ trợ",
            ],
            [
                (
                    r["ward"],
                    r["tasks"],
                    r["done"],
                    r["overdue"],
                    r["activities"],
                    r["attendees"],
                    r["questions"],
                    r["learners"],
                    r["visits"],
                )
                for r in f["per_ward"]
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="so-lieu-{f["start"]:%Y%m%d}-{f["end"]:%Y%m%d}.xlsx"'
    )
    return response


# ---------------------------------------------------------------- indicators


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


# ---------------------------------------------------------------- budget


@login_required
def budget_view(request):
    scope = reader_scope(request.user)
    if scope.is_city:
        raise PermissionDenied("Cán bộ thành phố xem kinh phí trên trang số liệu.")
    ward = scope.ward
    try:
        year = int(request.GET.get("nam") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    start, end = date(year, 1, 1), date(year, 12, 31)
    form = AllocationForm(request.POST or None, ward=ward, initial={"year": year})
    if request.method == "POST":
        if not scope.is_manager:
            raise PermissionDenied(
                "Chỉ lãnh đạo và Phòng Văn hóa - Xã hội nhập dự toán."
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                budget.allocation_set(ward=ward, by=request.user, **data)
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
    if scope.unit is not None:
        allocations = allocations.filter(unit=scope.unit)
        expenses = expenses.filter(activity__unit=scope.unit)
        activities = activities.filter(unit=scope.unit)
    lines = budget.budget_lines([ward], start, end, unit=scope.unit)
    return render(
        request,
        "reports/budget.html",
        {
            "year": year,
            "form": form if scope.is_manager else None,
            "allocations": allocations,
            "expenses": expenses[:200],
            "lines": lines,
            "by_source": budget.budget_by_source(lines),
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
            budget.expense_record(activity=activity, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã ghi khoản chi.")
            return redirect(f"{reverse('reports:budget')}?nam={activity.date.year}")
    return render(
        request, "reports/expense_form.html", {"form": form, "activity": activity}
    )


# ---------------------------------------------------------------- periodic reports


@login_required
def draft_list(request):
    scope = reader_scope(request.user)
    plans = plans_for_scope(scope)
    form = NewDraftForm(request.POST or None, plans=plans)
    if request.method == "POST":
        if not scope.is_manager:
            raise PermissionDenied(
                "Chỉ lãnh đạo và Phòng Văn hóa - Xã hội lập báo cáo."
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                draft = services.draft_get_or_create(
                    data["plan"], data["start"], data["end"], by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("reports:draft_detail", pk=draft.pk)
    drafts = ReportDraft.objects.filter(ward__in=scope.wards).select_related(
        "plan", "ward"
    )
    return render(
        request,
        "reports/draft_list.html",
        {"drafts": drafts, "form": form if scope.is_manager else None, "scope": scope},
    )


@login_required
def draft_detail(request, pk: int):
    draft = draft_get_for_user(request.user, pk)
    if draft is None:
        raise Http404
    scope = reader_scope(request.user)
    units = Unit.objects.filter(ward=draft.ward)
    writable_units = [u for u in units if can_act_for_unit(request.user, u)]
    draft_form = DraftForm(instance=draft) if scope.is_manager else None
    narratives = {n.unit_id: n for n in draft.narratives.all()}
    narrative_forms = [
        (
            unit,
            NarrativeForm(
                initial={
                    "unit": unit.pk,
                    "text": narratives[unit.pk].text if unit.pk in narratives else "",
                },
                units=units,
            ),
        )
        for unit in writable_units
    ]
    return render(
        request,
        "reports/draft_detail.html",
        {
            "draft": draft,
            "doc": report_document(draft),
            "draft_form": draft_form,
            "narrative_forms": narrative_forms,
            "commendation_form": CommendationForm(ward=draft.ward)
            if scope.is_manager
            else None,
            "commendations": draft.commendations.select_related("unit"),
            "can_manage": scope.is_manager,
        },
    )


def _draft_for_change(request, pk: int) -> ReportDraft:
    draft = draft_get_for_user(request.user, pk)
    if draft is None:
        raise Http404
    return draft


@login_required
@require_POST
def draft_update(request, pk: int):
    draft = _draft_for_change(request, pk)
    form = DraftForm(request.POST, instance=ReportDraft.objects.get(pk=draft.pk))
    if form.is_valid():
        try:
            services.draft_update(
                draft, by=request.user, **{k: form.cleaned_data[k] for k in form.fields}
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Đã lưu phần lời của báo cáo.")
    else:
        messages.error(
            request,
            "Chưa lưu được: "
            + "; ".join(e for errs in form.errors.values() for e in errs),
        )
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
@require_POST
def narrative_update(request, pk: int):
    draft = _draft_for_change(request, pk)
    form = NarrativeForm(request.POST, units=Unit.objects.filter(ward=draft.ward))
    if form.is_valid():
        try:
            services.narrative_set(
                draft,
                unit=form.cleaned_data["unit"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, f"Đã lưu phần viết của {form.cleaned_data['unit'].name}."
            )
    else:
        messages.error(request, "Chưa lưu được phần viết: nội dung không hợp lệ.")
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
@require_POST
def commendation_add(request, pk: int):
    draft = _draft_for_change(request, pk)
    form = CommendationForm(request.POST, ward=draft.ward)
    if form.is_valid():
        try:
            services.commendation_add(draft, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Đã thêm vào danh sách biểu dương.")
    else:
        messages.error(request, "Chưa thêm được: cần loại, tên và thành tích.")
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
@require_POST
def commendation_remove(request, pk: int, item: int):
    draft = _draft_for_change(request, pk)
    commendation = get_object_or_404(Commendation, pk=item, draft=draft)
    try:
        services.commendation_remove(commendation, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
def draft_export(request, pk: int, fmt: str):
    draft = draft_get_for_user(request.user, pk)
    if draft is None:
        raise Http404
    try:
        report = services.report_export(draft, fmt)
    except ValidationError as exc:
        raise Http404(error_text(exc)) from exc
    response = HttpResponse(report.content, content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response
