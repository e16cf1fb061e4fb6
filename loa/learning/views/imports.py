"""Learner and team member lists imported from .xlsx, and their templates."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render

from loa.core.errors import error_text

from .. import imports
from ..forms import ImportForm
from .access import require_manager


@login_required
def import_upload(request):
    ward = require_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        if upload.size > imports.MAX_FILE_BYTES:
            file_error = (
                "Tệp quá lớn (tối đa 20 MB). Vui lòng chia danh sách thành nhiều tệp."
            )
        else:
            try:
                report = imports.IMPORTERS[kind](
                    ward=ward, data=upload.read(), by=request.user
                )
            except ValidationError as exc:
                file_error = error_text(exc)
        if file_error:
            form.add_error("file", file_error)
    return render(
        request,
        "learning/import_upload.html",
        {"form": form, "report": report, "consent_note": imports.CONSENT_NOTE},
        status=400 if form.errors else 200,
    )


@login_required
def import_template(request, kind: str):
    require_manager(request)
    if kind not in imports.IMPORTERS:
        raise Http404
    response = HttpResponse(
        imports.import_template(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
    return response
