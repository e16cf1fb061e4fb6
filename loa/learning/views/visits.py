"""The support-visit form, which works offline, and the service worker behind it."""

import hashlib
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie

from loa.core.errors import error_text

from .. import teams
from ..forms import VisitForm
from ..models import SupportVisit
from .access import require_ward

SERVICE_WORKER_SOURCE = (
    Path(__file__).parent.parent / "static" / "learning" / "visit-sw.js"
)


@never_cache
@ensure_csrf_cookie
@login_required
def visit_form(request):
    require_ward(request)
    team_queryset = teams.teams_recordable_by(request.user)
    if not team_queryset.exists():
        raise PermissionDenied(
            "Tài khoản của bạn chưa được gắn với tổ công nghệ số nào. Vui lòng liên hệ "
            "Phòng Văn hóa - Xã hội."
        )
    member = teams.member_for_user(request.user)
    initial = {
        "client_id": uuid.uuid4(),
        "date": timezone.localdate(),
        "team": member.team if member else team_queryset.first(),
        "people": 1,
        "result": SupportVisit.Result.DONE,
    }
    form = VisitForm(request.POST or None, initial=initial, team_queryset=team_queryset)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            team = data["team"]
            try:
                _visit, created = teams.visit_record(
                    team=team,
                    by=request.user,
                    client_id=data["client_id"],
                    household_code=data["household_code"],
                    date=data["date"],
                    helps=data["helps"],
                    result=data["result"],
                    people=data["people"],
                    note=data["note"],
                    member=member if member and member.team_id == team.pk else None,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request,
                    "Đã ghi lượt hỗ trợ."
                    if created
                    else "Lượt hỗ trợ này đã được ghi trước đó.",
                )
                return redirect("learning:visit_form")
        status = 400
    return render(
        request,
        "learning/team_visit_form.html",
        {
            "form": form,
            "single_team": team_queryset.count() == 1,
            "member": member,
            "api_url": _api_url(),
            "sw_url": reverse("learning:visit_sw"),
            "sw_scope": reverse("learning:team_list"),
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        },
        status=status,
    )


def _api_url() -> str:
    try:
        return reverse("api:learning_visit_create")
    except NoReverseMatch:
        # The lead mounts the router at /api/learning/; keep the page usable meanwhile.
        return "/api/learning/visits"


def _precache_urls() -> list[str]:
    return [
        reverse("learning:visit_form"),
        static("core/loa.css"),
        static("django_htmx/htmx-2.min.js"),
        static("learning/visit.js"),
    ]


def visit_service_worker(request):
    """Serve the service worker from /…/to-cong-nghe/ so that it may control the form."""
    source = SERVICE_WORKER_SOURCE.read_text(encoding="utf-8")
    urls = _precache_urls()
    version = hashlib.sha256((source + "|".join(urls)).encode()).hexdigest()[:12]
    head = (
        f'const LOA_CACHE = "loa-visit-{version}";\n'
        f"const LOA_PRECACHE = {json.dumps(urls)};\n"
        f'const LOA_FORM_URL = "{reverse("learning:visit_form")}";\n'
    )
    response = HttpResponse(
        head + source, content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = reverse("learning:team_list")
    response["Cache-Control"] = "no-cache"
    return response
