"""The ward's slogans ("Khẩu hiệu"): the list, a form to propose one, and approval.

Who proposes and who approves is `services.slogans` (`can_propose_slogans`,
`can_approve_slogans`); another ward's slogan is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from loa.core.access import user_ward

from ..forms import SloganForm
from ..models import Slogan
from ..services import slogans


def _ward(request):
    ward = user_ward(request.user)
    if not slogans.can_propose_slogans(request.user, ward):
        raise PermissionDenied(
            f"Chỉ {slogans.PROPOSERS_TEXT} xem và đề xuất khẩu hiệu."
        )
    return ward


@login_required
@require_http_methods(["GET", "POST"])
def slogan_list(request):
    ward = _ward(request)
    form = SloganForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            slogan = slogans.slogan_create(
                ward=ward, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("text", message)
        else:
            messages.success(
                request, f"Đã thêm khẩu hiệu “{slogan.text}”; khẩu hiệu chờ duyệt."
            )
            return redirect("loa_channels:slogan_list")
    return render(
        request,
        "channels/slogan_list.html",
        {
            "form": form,
            "slogans": slogans.ward_slogans(ward).select_related(
                "created_by", "approved_by"
            ),
            "can_approve": slogans.can_approve_slogans(request.user, ward),
            "approvers": slogans.APPROVERS_TEXT,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def slogan_approve(request, pk: int):
    ward = _ward(request)
    slogan = get_object_or_404(Slogan, pk=pk, ward=ward)
    if not slogans.can_approve_slogans(request.user, ward):
        raise PermissionDenied(f"Chỉ {slogans.APPROVERS_TEXT} duyệt khẩu hiệu.")
    try:
        slogans.slogan_approve(slogan=slogan, by=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã duyệt khẩu hiệu “{slogan.text}”.")
    return redirect("loa_channels:slogan_list")
