"""Demo community digital teams for the seed ward (loaded by `loa setup`, idempotent)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from loa.core.models import ResidentialGroup, Ward

from .models import Team, TeamMember, TeamTarget

DEMO_TEAMS = 3


def learning_demo_load(*, ward: Ward) -> list[Team]:
    """A team for each of the first tổ dân phố, with targets for this year; the demo account
    `tocds` is a member of the first team so it can log visits."""
    year = timezone.localdate().year
    teams = []
    for group in ResidentialGroup.objects.filter(ward=ward).order_by("order")[
        :DEMO_TEAMS
    ]:
        team, _ = Team.objects.get_or_create(
            ward=ward,
            residential_group=group,
            defaults={"name": f"Tổ công nghệ số cộng đồng {group.name}"},
        )
        for metric, target in [
            (TeamTarget.Metric.HOUSEHOLDS, 120),
            (TeamTarget.Metric.VNEID_LEVEL2, 80),
            (TeamTarget.Metric.QR_PAYMENT, 60),
        ]:
            TeamTarget.objects.get_or_create(
                team=team, year=year, metric=metric, defaults={"target": target}
            )
        teams.append(team)
    user = get_user_model().objects.filter(username="tocds").first()
    if teams and user is not None and not TeamMember.objects.filter(user=user).exists():
        TeamMember.objects.create(
            team=teams[0],
            name="Thành viên Tổ công nghệ số cộng đồng",
            user=user,
            role=TeamMember.Role.LEADER,
        )
    _editors_can_edit_courses()
    return teams


def _editors_can_edit_courses() -> None:
    """Editors keep the course content in the admin (/django-admin/learning/)."""
    from django.contrib.auth.models import Group, Permission

    from loa.core import roles

    group, _ = Group.objects.get_or_create(name=roles.EDITOR)
    models = [
        "course",
        "lesson",
        "question",
        "choice",
        "skillarea",
        "track",
        "trackcourse",
    ]
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="learning", content_type__model__in=models
        )
    )
    get_user_model().objects.filter(groups=group).update(is_staff=True)
