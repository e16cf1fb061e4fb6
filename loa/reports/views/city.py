"""City staff: the reports their city's wards have sent ("Gửi báo cáo"), never a draft."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render

from loa.core.access import user_city
from loa.core.errors import error_text

from .. import services
from ..document import report_document
from ..selectors import submitted_report_get_for_city, submitted_reports_for_city


def _require_city(user) -> str:
    city = user_city(user)
    if not city:
        raise PermissionDenied(
            "Chỉ cán bộ thành phố xem trang này; báo cáo của phường nằm ở "
            "“Báo cáo định kỳ”."
        )
    return city


def _report(request, pk: int):
    _require_city(request.user)
    report = submitted_report_get_for_city(request.user, pk)
    if report is None:  # another city's, or a draft the ward has not sent
        raise Http404
    return report


@login_required
def city_report_list(request):
    city = _require_city(request.user)
    return render(
        request,
        "reports/city_report_list.html",
        {"city": city, "reports": submitted_reports_for_city(request.user)},
    )


@login_required
def city_report_detail(request, pk: int):
    report = _report(request, pk)
    return render(
        request,
        "reports/city_report_detail.html",
        {"draft": report, "doc": report_document(report)},
    )


@login_required
def city_report_export(request, pk: int, fmt: str):
    report = _report(request, pk)
    try:
        exported = services.report_export(report, fmt)
    except ValidationError as exc:
        raise Http404(error_text(exc)) from exc
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
