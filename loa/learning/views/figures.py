"""The ward's learning figures for staff, on the page and as a workbook."""

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from ..selectors import learning_figures
from .access import require_ward


@login_required
def figures(request):
    require_ward(request)
    return render(
        request, "learning/figures.html", {"f": learning_figures(ward=request.ward)}
    )


@login_required
def figures_xlsx(request):
    """The figures as a workbook, one sheet per table."""
    from openpyxl import Workbook

    from loa.core.spreadsheets import append_row

    require_ward(request)
    f = learning_figures(ward=request.ward)
    book = Workbook()
    sheet = book.active
    sheet.title = "Theo tổ dân phố"
    append_row(sheet, ["Tổ dân phố", "Học viên", "Hoàn thành", "Giấy chứng nhận"])
    for row in f["by_residential_group"]:
        append_row(
            sheet, [row["name"], row["learners"], row["completed"], row["certificates"]]
        )
    sheet = book.create_sheet("Theo đối tượng")
    append_row(sheet, ["Đối tượng", "Học viên", "Hoàn thành"])
    for row in f["by_target_group"]:
        append_row(sheet, [row["name"], row["learners"], row["completed"]])
    sheet = book.create_sheet("Theo khóa học")
    append_row(
        sheet,
        [
            "Khóa học",
            "Đã tham gia",
            "Hoàn thành",
            "Giấy chứng nhận",
            "Lượt kiểm tra",
            "Tỉ lệ đạt",
        ],
    )
    for row in f["by_course"]:
        append_row(
            sheet,
            [
                row["title"],
                row["enrolled"],
                row["completed"],
                row["certificates"],
                row["attempts"],
                row["pass_rate"],
            ],
        )
    sheet = book.create_sheet("Hỗ trợ người dân")
    append_row(sheet, ["Nội dung hỗ trợ", "Số lượt"])
    for row in f["visits_by_kind"]:
        append_row(sheet, [row["name"], row["count"]])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="binh-dan-hoc-vu-so.xlsx"'
    return response
