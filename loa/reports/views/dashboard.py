"""The dashboard: figures, charts and tables for a period, and its workbook."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from openpyxl import Workbook

from loa.core.models import Unit
from loa.core.spreadsheets import append_row

from .. import charts
from ..figures import STATUS_LABELS, STATUS_ORDER, dashboard_figures
from ..forms import PeriodForm
from ..metrics import indicator_list_progress
from ..render import XLSX_TYPE
from ..selectors import plans_for_scope, reader_scope
from ..tables import BUDGET_TABLE, FORM_TABLE, HEADLINE_TABLE


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
    sheet(FORM_TABLE.sheet, FORM_TABLE.header, FORM_TABLE.rows(f["by_form"]))
    figures = list(f["headlines"].values())
    sheet(HEADLINE_TABLE.sheet, HEADLINE_TABLE.header, HEADLINE_TABLE.rows(figures))
    sheet(
        "Kinh phí",
        ["Đơn vị"] + BUDGET_TABLE.header,
        [
            [b.unit] + row
            for b, row in zip(f["budget"], BUDGET_TABLE.rows(f["budget"]), strict=True)
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
