"""The print desk ("Ấn phẩm"): choose one of the ward's published articles or approved
slogans and a format, preview the print-ready PDF in the page, download it.

Printing changes nothing, so the form is sent by GET and the PDF's address carries the
same choice: `?nguon=a12&loai=poster` (`xem=1` shows it inline for the preview). Only the
ward's own published articles and approved slogans are offered or accepted; anything else
is a 404 and no PDF is made.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from loa.core.access import can_manage_ward_posts, user_ward

from ..forms import PrintForm
from ..services import printing
from ..services.slogans import approved_slogans


def _desk_ward(request):
    ward = user_ward(request.user)
    if not can_manage_ward_posts(request.user, ward):
        raise PermissionDenied(
            "Chỉ lãnh đạo phường, Phòng Văn hóa - Xã hội, biên tập viên và người "
            "duyệt in ấn phẩm."
        )
    return ward


def _form(request, ward):
    return PrintForm(
        request.GET or None,
        articles=printing.ward_articles(ward),
        slogans=approved_slogans(ward),
        kinds=printing.KIND_LABELS,
    )


@login_required
@require_GET
def print_desk(request):
    ward = _desk_ward(request)
    form = _form(request, ward)
    chosen = form.is_valid()
    return render(
        request,
        "channels/print_desk.html",
        {
            "form": form,
            "chosen": chosen,
            "query": request.GET.urlencode() if chosen else "",
            "kind_label": printing.KIND_LABELS.get(form.cleaned_data["loai"])
            if chosen
            else "",
        },
    )


@login_required
@require_GET
def print_file(request):
    ward = _desk_ward(request)
    form = _form(request, ward)
    if not form.is_valid():
        raise Http404("Không có ấn phẩm này.")
    try:
        printed = printing.desk_print(
            ward=ward,
            kind=form.cleaned_data["loai"],
            to_assistant=form.cleaned_data["tro_ly"],
            **form.source(),
        )
    except ObjectDoesNotExist:
        raise Http404("Không có ấn phẩm này.") from None
    except ValueError as error:
        return HttpResponse(
            str(error), status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(printed.pdf, content_type="application/pdf")
    disposition = "inline" if request.GET.get("xem") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{printed.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
