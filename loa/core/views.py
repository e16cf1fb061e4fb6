from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import roles
from .access import is_plan_manager, user_city, user_roles, user_ward
from .forms import WardPortalForm
from .models import Ward
from .selectors import audit_list_for_user, notification_list_for_user
from .services import (
    PORTAL_PROFILE_FIELDS,
    is_loopback_address,
    notification_mark_read,
    ward_address_set,
    ward_profile_update,
)


def staff_landing(user) -> str:
    """The URL name a signed-in person starts from: city staff read their city's
    dashboard (they have no ward plan), every other account the ward's plans."""
    if user_city(user):
        return "reports:dashboard"
    return "plans:plan_list"


def home(request):
    if request.user.is_authenticated:
        return redirect(staff_landing(request.user))
    return render(request, "core/home.html")


@login_required
def notification_list(request):
    notes = notification_list_for_user(request.user).select_related("unit")
    page = Paginator(notes, 30).get_page(request.GET.get("trang"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    note = get_object_or_404(notification_list_for_user(request.user), pk=pk)
    notification_mark_read(notification=note)
    if request.htmx:
        return render(request, "core/_notification.html", {"note": note})
    return redirect(note.url or "core:notification_list")


@login_required
def audit_list(request):
    if not is_plan_manager(request.user):
        raise PermissionDenied(
            "Chỉ lãnh đạo UBND và Phòng Văn hóa - Xã hội xem được nhật ký."
        )
    page = Paginator(audit_list_for_user(request.user), 50).get_page(
        request.GET.get("trang")
    )
    return render(request, "core/audit_list.html", {"page": page})


@login_required
def ward_portal(request):
    """The ward's portal settings: its address (every link Loa hands out starts with
    it), the footer and the assistant's contact line. Leaders and the administrator."""
    ward = user_ward(request.user)
    if ward is None or not (
        request.user.is_superuser or roles.LEADER in user_roles(request.user)
    ):
        raise PermissionDenied(
            "Chỉ lãnh đạo UBND hoặc quản trị hệ thống sửa được cổng thông tin."
        )
    form = WardPortalForm(request.POST or None, instance=ward)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The form wrote its values onto `ward`; the services compare with what is saved.
        ward = Ward.objects.get(pk=ward.pk)
        try:
            ward_address_set(
                ward=ward, address=data["public_address"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("public_address", exc)
        else:
            ward_profile_update(
                ward=ward,
                actor=request.user,
                **{name: data[name] for name in PORTAL_PROFILE_FIELDS},
            )
            messages.success(request, "Đã lưu thông tin cổng thông tin.")
            return redirect("core:ward_portal")
        ward.refresh_from_db()
    return render(
        request,
        "core/ward_portal.html",
        {
            "form": form,
            "ward": ward,
            "is_loopback": is_loopback_address(ward.public_url),
            "is_production": settings.LOA_PRODUCTION,
        },
        status=400 if form.errors else 200,
    )
