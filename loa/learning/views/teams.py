"""Community digital teams: the list, a team, its members and yearly targets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from loa.core.errors import error_text

from .. import teams
from ..forms import MemberForm, TargetForm, TeamForm
from ..models import SupportVisit, TeamMember
from .access import require_manager, require_ward

# --- helpers -------------------------------------------------------------------------


def _team_or_404(request, pk: int):
    team = teams.team_get_for_user(request.user, pk)
    if team is None:
        raise Http404("Không tìm thấy tổ công nghệ số.")
    return team


# --- teams ---------------------------------------------------------------------------


@login_required
def team_list(request):
    ward = require_ward(request)
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
    ward = require_manager(request)
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
    require_ward(request)
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
    require_manager(request)
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
    ward = require_manager(request)
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
    require_manager(request)
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
