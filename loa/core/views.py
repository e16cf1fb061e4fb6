from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .access import is_plan_manager
from .selectors import audit_list_for_user, notification_list_for_user
from .services import notification_mark_read


def home(request):
    if request.user.is_authenticated:
        return redirect("plans:plan_list")
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
