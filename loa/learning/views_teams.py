"""Staff and member pages of the community digital teams, the offline visit form, imports.

The lead includes `teams_urlpatterns` in the app's urls (namespace "learning").
"""

import hashlib
import json
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from loa.core.access import user_ward
from loa.core.errors import error_text
from loa.core.models import ResidentialGroup
from loa.core.privacy import validate_phone

from . import imports, teams
from .models import SupportVisit, TeamMember, TeamTarget

SERVICE_WORKER_SOURCE = Path(__file__).parent / "static" / "learning" / "visit-sw.js"


# --- forms ---------------------------------------------------------------------------


class TeamForm(forms.Form):
    residential_group = forms.ModelChoiceField(
        label="Tổ dân phố",
        queryset=ResidentialGroup.objects.none(),
        empty_label="— Chọn tổ dân phố —",
        error_messages={"required": "Vui lòng chọn tổ dân phố."},
    )
    name = forms.CharField(
        label="Tên tổ (để trống: “Tổ công nghệ số cộng đồng” + tên tổ dân phố)",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residential_group"].queryset = ResidentialGroup.objects.filter(
            ward=ward, digital_team__isnull=True
        )


class MemberForm(forms.Form):
    name = forms.CharField(
        label="Họ và tên",
        max_length=120,
        error_messages={"required": "Vui lòng nhập họ và tên."},
    )
    role = forms.ChoiceField(
        label="Vai trò", choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER
    )
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        required=False,
        validators=[validate_phone],
    )
    user = forms.ModelChoiceField(
        label="Tài khoản đăng nhập (nếu thành viên tự ghi lượt hỗ trợ)",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="— Không gắn tài khoản —",
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(membership__ward=ward, digital_team_member__isnull=True)
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.username})"
        )


class TargetForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    metric = forms.ChoiceField(label="Chỉ tiêu", choices=TeamTarget.Metric.choices)
    target = forms.IntegerField(
        label="Mục tiêu (0 để bỏ chỉ tiêu)",
        min_value=0,
        max_value=1_000_000,
        error_messages={"required": "Vui lòng nhập mục tiêu."},
    )


class VisitForm(forms.Form):
    """Used when the page is posted without JavaScript; visit.js posts JSON instead."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    team = forms.ModelChoiceField(
        label="Tổ", queryset=None, empty_label=None, required=True
    )
    household_code = forms.CharField(label="Mã hộ", max_length=60)
    date = forms.DateField(
        label="Ngày hỗ trợ", widget=forms.DateInput(attrs={"type": "date"})
    )
    helps = forms.MultipleChoiceField(
        label="Đã hỗ trợ",
        choices=SupportVisit.Help.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Vui lòng chọn ít nhất một việc đã hỗ trợ."},
    )
    result = forms.ChoiceField(
        label="Kết quả",
        choices=SupportVisit.Result.choices,
        initial=SupportVisit.Result.DONE,
        widget=forms.RadioSelect,
    )
    people = forms.IntegerField(
        label="Số người được hỗ trợ", min_value=1, max_value=100, initial=1
    )
    note = forms.CharField(
        label="Ghi chú ngắn (không bắt buộc)", max_length=300, required=False
    )

    def __init__(self, *args, team_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_queryset


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Danh sách",
        choices=[
            ("hoc-vien", "Học viên Bình dân học vụ số"),
            ("thanh-vien-to", "Thành viên tổ công nghệ số cộng đồng"),
        ],
    )
    file = forms.FileField(
        label="Tệp Excel (.xlsx, tối đa 20 MB)",
        error_messages={"required": "Vui lòng chọn tệp .xlsx."},
    )


# --- helpers -------------------------------------------------------------------------


def _require_ward(request):
    ward = user_ward(request.user)
    if ward is None:
        raise PermissionDenied("Tài khoản chưa được gán vào phường nào.")
    return ward


def _require_manager(request):
    ward = _require_ward(request)
    if not teams.can_manage_teams(request.user):
        raise PermissionDenied(
            "Chỉ lãnh đạo UBND và Phòng Văn hóa - Xã hội được làm việc này."
        )
    return ward


def _team_or_404(request, pk: int):
    team = teams.team_get_for_user(request.user, pk)
    if team is None:
        raise Http404("Không tìm thấy tổ công nghệ số.")
    return team


# --- teams ---------------------------------------------------------------------------


@login_required
def team_list(request):
    ward = _require_ward(request)
    year = timezone.localdate().year
    team_rows = list(teams.team_list_for_user(request.user))
    return render(
        request,
        "learning/team_list.html",
        {
            "teams": team_rows,
            "year": year,
            "can_manage": teams.can_manage_teams(request.user),
            "form": TeamForm(ward=ward),
            "my_member": teams.member_for_user(request.user),
            "can_record": teams.teams_recordable_by(request.user).exists(),
        },
    )


@login_required
@require_POST
def team_create(request):
    ward = _require_manager(request)
    form = TeamForm(request.POST, ward=ward)
    if form.is_valid():
        try:
            team = teams.team_create(
                ward=ward,
                residential_group=form.cleaned_data["residential_group"],
                name=form.cleaned_data["name"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"Đã lập {team.name}.")
            return redirect("learning:team_detail", pk=team.pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("learning:team_list")


@login_required
def team_detail(request, pk: int):
    _require_ward(request)
    team = _team_or_404(request, pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    can_manage = teams.can_manage_teams(request.user)
    visits = teams.visit_list_for_team(team)
    help_labels = dict(SupportVisit.Help.choices)
    visit_rows = [
        {"visit": v, "helps": [help_labels.get(h, h) for h in v.helps]}
        for v in visits[:50]
    ]
    return render(
        request,
        "learning/team_detail.html",
        {
            "team": team,
            "year": year,
            "years": range(today.year, today.year - 4, -1),
            "progress": teams.team_progress(team, year),
            "members": team.members.select_related("user").order_by("role", "name"),
            "visit_rows": visit_rows,
            "visit_total": visits.count(),
            "classes": teams.class_list_for_team(team)[:50],
            "can_manage": can_manage,
            "can_record": teams.teams_recordable_by(request.user)
            .filter(pk=team.pk)
            .exists(),
            "member_form": MemberForm(ward=team.ward) if can_manage else None,
            "target_form": TargetForm(initial={"year": year}) if can_manage else None,
        },
    )


@login_required
@require_POST
def team_member_add(request, pk: int):
    _require_manager(request)
    team = _team_or_404(request, pk)
    form = MemberForm(request.POST, ward=team.ward)
    if form.is_valid():
        try:
            member = teams.team_member_add(
                team=team, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"Đã thêm {member.name} vào tổ.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("learning:team_detail", pk=team.pk)


@login_required
@require_POST
def team_member_remove(request, pk: int):
    ward = _require_manager(request)
    member = get_object_or_404(
        TeamMember.objects.select_related("team"), pk=pk, team__ward=ward
    )
    team_pk = member.team_id
    teams.team_member_remove(member=member, by=request.user)
    messages.success(request, f"Đã xóa {member.name} khỏi tổ.")
    return redirect("learning:team_detail", pk=team_pk)


@login_required
@require_POST
def team_target_set(request, pk: int):
    _require_manager(request)
    team = _team_or_404(request, pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            teams.team_target_set(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Đã lưu chỉ tiêu.")
        year = form.cleaned_data["year"]
        return redirect(
            reverse("learning:team_detail", args=[team.pk]) + f"?nam={year}"
        )
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("learning:team_detail", pk=team.pk)


# --- the visit form (works offline) ----------------------------------------------


@never_cache
@ensure_csrf_cookie
@login_required
def visit_form(request):
    _require_ward(request)
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


# --- imports -------------------------------------------------------------------------


@login_required
def import_upload(request):
    ward = _require_manager(request)
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
    _require_manager(request)
    if kind not in imports.IMPORTERS:
        raise Http404
    response = HttpResponse(
        imports.import_template(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.xlsx"'
    return response


teams_urlpatterns = [
    path("to-cong-nghe/", team_list, name="team_list"),
    path("to-cong-nghe/them/", team_create, name="team_create"),
    path("to-cong-nghe/<int:pk>/", team_detail, name="team_detail"),
    path("to-cong-nghe/<int:pk>/thanh-vien/", team_member_add, name="team_member_add"),
    path(
        "to-cong-nghe/thanh-vien/<int:pk>/xoa/",
        team_member_remove,
        name="team_member_remove",
    ),
    path("to-cong-nghe/<int:pk>/chi-tieu/", team_target_set, name="team_target_set"),
    path("to-cong-nghe/ghi-ho-tro/", visit_form, name="visit_form"),
    path("to-cong-nghe/sw.js", visit_service_worker, name="visit_sw"),
    path("hoc/quan-ly/nhap-danh-sach/", import_upload, name="import_upload"),
    path(
        "hoc/quan-ly/nhap-danh-sach/mau-<slug:kind>.xlsx",
        import_template,
        name="import_template",
    ),
]
