"""Community digital teams (tổ công nghệ số cộng đồng): services and selectors.

Teams, members and yearly targets are kept by the ward's plan managers; members record
support visits from a phone, often offline, so `visit_record` is idempotent by the
client-generated `client_id`. Every visit and class records an Activity against the plan
task named in `LearningSettings` (chosen automatically the first time).
"""

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from loa.core.access import is_plan_manager, user_ward
from loa.core.models import AuditLog, ResidentialGroup, Ward
from loa.core.privacy import PHONE_RE, normalize_phone, redact
from loa.core.services import audit_record
from loa.plans.models import Activity, Plan, Task
from loa.plans.services import activity_delete, activity_record
from loa.vn import fold_lower, nfc

from .models import (
    ClassSession,
    LearningSettings,
    SupportVisit,
    Team,
    TeamMember,
    TeamTarget,
)

logger = logging.getLogger(__name__)

# A household code is a short code the team agrees on ("TDP3-012"): no spaces, no
# diacritics, so that a name cannot be typed in its place by accident.
HOUSEHOLD_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9./_-]{0,29}$")
# Nine or more digits anywhere is an ID card (9 or 12 digits) or a phone number (10-11).
MAX_CODE_DIGITS = 8

# Plan tasks whose text mentions these count for the ward's digital-literacy work.
DEFAULT_TASK_KEYWORDS = ("binh dan hoc vu so", "cong nghe so")


# --- validation helpers -------------------------------------------------------------


def household_code_clean(raw: str) -> str:
    """Return the household code in upper case, refusing anything that looks personal."""
    code = nfc(raw or "").strip().upper()
    if not code:
        raise ValidationError(
            "Vui lòng nhập mã hộ, ví dụ TDP3-012.", code="household_code_missing"
        )
    digits = sum(ch.isdigit() for ch in code)
    if PHONE_RE.search(code) or digits > MAX_CODE_DIGITS:
        raise ValidationError(
            "Mã hộ trông giống số điện thoại hoặc số CCCD/CMND. Chỉ ghi mã hộ do tổ quy "
            "ước (ví dụ TDP3-012), không ghi số điện thoại, số định danh hay họ tên.",
            code="household_code_personal",
        )
    if not HOUSEHOLD_CODE_RE.match(code):
        raise ValidationError(
            "Mã hộ chỉ gồm chữ cái không dấu, chữ số và dấu gạch, không có dấu cách "
            "(ví dụ TDP3-012); không ghi họ tên.",
            code="household_code_format",
        )
    return code


def _team_label(team: Team) -> str:
    # Team names often already read "Tổ công nghệ số cộng đồng TDP 3".
    if fold_lower(team.name).startswith("to cong nghe so"):
        return team.name
    return f"Tổ công nghệ số {team.name}"


# --- settings: which plan task visits and classes count for -------------------------


def task_default_for_ward(ward: Ward) -> Task | None:
    """Pick the plan task the ward's digital-literacy work most plausibly serves."""
    tasks = list(
        Task.objects.filter(plan__ward=ward)
        .exclude(plan__status=Plan.Status.REVIEW)
        .select_related("plan", "unit")
        .order_by("plan__issued_date", "plan_id", "order", "pk")
    )
    active = [t for t in tasks if t.plan.status == Plan.Status.ACTIVE]
    for task in active:
        folded = fold_lower(task.text)
        if any(keyword in folded for keyword in DEFAULT_TASK_KEYWORDS):
            return task
    if active:
        return active[0]
    return tasks[0] if tasks else None


def learning_settings_ensure(*, ward: Ward) -> LearningSettings:
    """Return the ward's LearningSettings, filling missing tasks with the default task."""
    ls, _ = LearningSettings.objects.select_related(
        "visit_task__plan", "class_task__plan"
    ).get_or_create(ward=ward)
    changed = []
    default: Task | None = None
    for field in ("visit_task", "class_task"):
        task = getattr(ls, field)
        # A task of another ward (set by hand in the admin) would file the Activity there.
        if task is None or task.plan.ward_id != ward.pk:
            if default is None:
                default = task_default_for_ward(ward)
            if default is not None or task is not None:
                setattr(ls, field, default)
                changed.append(field)
    if changed:
        ls.save(update_fields=changed)
    return ls


# --- teams, members, targets --------------------------------------------------------


@transaction.atomic
def team_create(
    *, ward: Ward, residential_group: ResidentialGroup, name: str = "", by=None
) -> Team:
    """Create the community digital team of one tổ dân phố."""
    if residential_group.ward_id != ward.pk:
        raise ValidationError("Tổ dân phố không thuộc phường này.", code="other_ward")
    if Team.objects.filter(residential_group=residential_group).exists():
        raise ValidationError(
            "%(group)s đã có tổ công nghệ số cộng đồng.",
            code="team_exists",
            params={"group": residential_group.name},
        )
    name = " ".join((name or "").split()) or (
        f"Tổ công nghệ số cộng đồng {residential_group.name}"
    )
    team = Team(ward=ward, residential_group=residential_group, name=name)
    team.full_clean()
    team.save()
    audit_record(action=AuditLog.Action.CREATE, obj=team, actor=by, ward=ward)
    return team


@transaction.atomic
def team_member_add(
    *,
    team: Team,
    name: str,
    role: str = TeamMember.Role.MEMBER,
    phone: str = "",
    user=None,
    by=None,
) -> TeamMember:
    """Add a member to a team, optionally linked to a staff account of the same ward."""
    name = " ".join(nfc(name or "").split())
    if not name:
        raise ValidationError("Vui lòng nhập họ và tên.", code="name_missing")
    if role not in TeamMember.Role.values:
        raise ValidationError("Vai trò không hợp lệ.", code="bad_role")
    phone = normalize_phone(phone)
    if user is not None:
        if user_ward(user) is None or user_ward(user).pk != team.ward_id:
            raise ValidationError(
                "Tài khoản không thuộc phường này.", code="user_other_ward"
            )
        if TeamMember.objects.filter(user=user).exists():
            raise ValidationError(
                "Tài khoản này đã gắn với một thành viên tổ khác.", code="user_taken"
            )
    if TeamMember.objects.filter(team=team, name=name, phone=phone).exists():
        raise ValidationError(
            "%(name)s đã có trong tổ.", code="member_exists", params={"name": name}
        )
    member = TeamMember(team=team, name=name, role=role, phone=phone, user=user)
    member.full_clean()
    member.save()
    audit_record(action=AuditLog.Action.CREATE, obj=member, actor=by, ward=team.ward)
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember, by=None) -> None:
    """Remove a member; their past visits stay, without the member link."""
    audit_record(
        action=AuditLog.Action.DELETE, obj=member, actor=by, ward=member.team.ward
    )
    member.delete()


@transaction.atomic
def team_target_set(
    *, team: Team, year: int, metric: str, target: int, by=None
) -> TeamTarget | None:
    """Set one yearly target of a team; a target of 0 removes it."""
    if metric not in TeamTarget.Metric.values:
        raise ValidationError("Chỉ tiêu không hợp lệ.", code="bad_metric")
    if not 2000 <= year <= 2100:
        raise ValidationError("Năm không hợp lệ.", code="bad_year")
    if target < 0:
        raise ValidationError("Mục tiêu phải là số không âm.", code="bad_target")
    if target == 0:
        TeamTarget.objects.filter(team=team, year=year, metric=metric).delete()
        return None
    obj, created = TeamTarget.objects.update_or_create(
        team=team, year=year, metric=metric, defaults={"target": target}
    )
    audit_record(
        action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
        obj=obj,
        actor=by,
        ward=team.ward,
        object_repr=f"{team.name}: {obj.get_metric_display()} {year}",
        changes={"target": target},
    )
    return obj


# --- visits --------------------------------------------------------------------------


def _visit_title(visit: SupportVisit, team: Team) -> str:
    labels = dict(SupportVisit.Help.choices)
    helped = ", ".join(labels[h] for h in visit.helps) or "hỗ trợ kỹ năng số"
    title = f"{_team_label(team)} hỗ trợ hộ {visit.household_code}: {helped}"
    return title[:300]


def _replayed(existing: SupportVisit, team: Team) -> tuple[SupportVisit, bool]:
    if existing.team_id != team.pk:
        # Never reveal or touch another team's visit through a reused id.
        raise ValidationError(
            "Mã gửi của lượt hỗ trợ đã được dùng cho tổ khác.",
            code="client_id_conflict",
        )
    return existing, False


def visit_record(
    *,
    team: Team,
    by=None,
    client_id: uuid.UUID | str | None = None,
    household_code: str,
    date: date | None = None,
    helps: list[str],
    result: str = SupportVisit.Result.DONE,
    people: int = 1,
    note: str = "",
    member: TeamMember | None = None,
) -> tuple[SupportVisit, bool]:
    """Record a support visit and its Activity once; a repeated client_id returns the first.

    Returns the visit and whether it was created now. Phones replay their offline queue
    until the server confirms, so the same submission can arrive several times.
    """
    client_id = uuid.UUID(str(client_id)) if client_id else uuid.uuid4()
    existing = SupportVisit.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _replayed(existing, team)

    today = timezone.localdate()
    visit_date = date or today
    errors: dict[str, list[ValidationError]] = {}
    try:
        household_code = household_code_clean(household_code)
    except ValidationError as exc:
        errors["household_code"] = [exc]
    if visit_date > today:
        errors["date"] = [
            ValidationError("Ngày hỗ trợ không được ở tương lai.", code="future_date")
        ]
    helps = list(dict.fromkeys(helps or []))
    unknown = [h for h in helps if h not in SupportVisit.Help.values]
    if unknown or not helps:
        errors["helps"] = [
            ValidationError(
                "Vui lòng chọn ít nhất một việc đã hỗ trợ.", code="helps_missing"
            )
            if not unknown
            else ValidationError("Việc hỗ trợ không hợp lệ.", code="bad_help")
        ]
    if result not in SupportVisit.Result.values:
        errors["result"] = [ValidationError("Kết quả không hợp lệ.", code="bad_result")]
    if not 1 <= people <= 100:
        errors["people"] = [
            ValidationError("Số người phải từ 1 đến 100.", code="bad_people")
        ]
    if member is not None and member.team_id != team.pk:
        member = None
    if errors:
        raise ValidationError(errors)

    visit = SupportVisit(
        client_id=client_id,
        team=team,
        member=member,
        household_code=household_code,
        date=visit_date,
        helps=helps,
        result=result,
        people=people,
        note=redact(" ".join((note or "").split()))[:300],
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    visit.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            visit.save()
            task = learning_settings_ensure(ward=team.ward).visit_task
            if task is None:
                logger.warning(
                    "Ward %s has no plan task; visit %s recorded without Activity",
                    team.ward_id,
                    visit.pk,
                )
            else:
                activity = activity_record(
                    task=task,
                    unit=task.unit,
                    by=by,
                    kind=Activity.Kind.RESIDENT_SUPPORT,
                    date=visit_date,
                    title=_visit_title(visit, team),
                    households_helped=people,
                    channel=Activity.Channel.IN_PERSON,
                    note=visit.note,
                )
                visit.activity_id = activity.pk
                visit.save(update_fields=["activity_id"])
    except IntegrityError:
        # Two sends of one submission raced; the other one won.
        existing = SupportVisit.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _replayed(existing, team)
    return visit, True


def class_session_record_activity(*, session: ClassSession, by=None) -> Activity | None:
    """Record (or bring up to date) the Activity of a face-to-face class.

    Call it when attendance changes; a class dated in the future records nothing yet.
    Returns None when the class is in the future or the ward has no plan task.
    """
    if session.date > timezone.localdate():
        return None
    attendees = session.attendance.count()
    with transaction.atomic():
        current = (
            Activity.objects.filter(pk=session.activity_id).first()
            if session.activity_id
            else None
        )
        if current is not None and current.attendees == attendees:
            return current
        task = current.task if current is not None else None
        if task is None:
            task = learning_settings_ensure(ward=session.ward).class_task
        if task is None:
            return None
        if current is not None:
            # Plans offers no update service; replace the Activity to keep counts true.
            activity_delete(activity=current, by=by)
        where = f" tại {session.place}" if session.place else ""
        by_team = f" ({_team_label(session.team)})" if session.team_id else ""
        activity = activity_record(
            task=task,
            unit=task.unit,
            by=by,
            kind=Activity.Kind.CLASS,
            date=session.date,
            title=f"Lớp Bình dân học vụ số: {session.course.title}{where}{by_team}"[
                :300
            ],
            attendees=attendees,
            channel=Activity.Channel.IN_PERSON,
        )
        ClassSession.objects.filter(pk=session.pk).update(activity_id=activity.pk)
        session.activity_id = activity.pk
    return activity


# --- selectors -----------------------------------------------------------------------


def team_list_for_user(user) -> QuerySet[Team]:
    """List the teams of the user's ward with member and this year's visit counts."""
    ward = user_ward(user)
    if ward is None:
        return Team.objects.none()
    year = timezone.localdate().year
    return (
        Team.objects.filter(ward=ward)
        .select_related("residential_group")
        .annotate(
            member_count=Count("members", distinct=True),
            visit_count=Count(
                "visits", filter=Q(visits__date__year=year), distinct=True
            ),
        )
    )


def team_get_for_user(user, pk: int) -> Team | None:
    """Return a team of the user's ward, or None."""
    ward = user_ward(user)
    if ward is None:
        return None
    return (
        Team.objects.filter(ward=ward, pk=pk)
        .select_related("residential_group", "ward")
        .first()
    )


def member_for_user(user) -> TeamMember | None:
    """Return the team member linked to the user's account, within the user's ward."""
    ward = user_ward(user)
    if ward is None:
        return None
    return (
        TeamMember.objects.filter(user=user, team__ward=ward)
        .select_related("team")
        .first()
    )


def teams_recordable_by(user) -> QuerySet[Team]:
    """List the teams the user may record visits for: all for plan managers, else their own."""
    ward = user_ward(user)
    if ward is None:
        return Team.objects.none()
    teams = Team.objects.filter(ward=ward).select_related("residential_group")
    if is_plan_manager(user):
        return teams
    return teams.filter(members__user=user)


def can_manage_teams(user) -> bool:
    return is_plan_manager(user)


@dataclass
class TargetProgress:
    metric: str
    label: str
    target: int | None
    logged: int

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return min(100, round(100 * self.logged / self.target))


# Which help of a visit counts towards which target metric.
METRIC_HELP = {
    TeamTarget.Metric.VNEID_LEVEL2: SupportVisit.Help.VNEID_LEVEL2,
    TeamTarget.Metric.QR_PAYMENT: SupportVisit.Help.QR_PAYMENT,
    TeamTarget.Metric.ONLINE_SERVICE: SupportVisit.Help.ONLINE_SERVICE,
}


def team_logged_counts(team: Team, year: int) -> dict[str, int]:
    """Count what the team logged in a year, per target metric.

    Households are distinct household codes over all visits. The other metrics count
    visits whose helps include the matching kind, leaving out visits marked "chưa xong"
    (an activation that did not happen is no activation). Counted in Python because
    JSON containment is not portable to SQLite, and a team logs hundreds, not millions.
    """
    rows = SupportVisit.objects.filter(team=team, date__year=year).values_list(
        "household_code", "helps", "result"
    )
    households: set[str] = set()
    counts = dict.fromkeys(TeamTarget.Metric.values, 0)
    for code, helps, result in rows:
        households.add(code)
        if result == SupportVisit.Result.NOT_DONE:
            continue
        for metric, help_kind in METRIC_HELP.items():
            if help_kind in (helps or []):
                counts[metric] += 1
    counts[TeamTarget.Metric.HOUSEHOLDS] = len(households)
    return counts


def team_progress(team: Team, year: int) -> list[TargetProgress]:
    """Return every metric with the team's target for the year and what was logged."""
    targets = dict(
        TeamTarget.objects.filter(team=team, year=year).values_list("metric", "target")
    )
    logged = team_logged_counts(team, year)
    return [
        TargetProgress(
            metric=metric,
            label=label,
            target=targets.get(metric),
            logged=logged[metric],
        )
        for metric, label in TeamTarget.Metric.choices
    ]


def visit_list_for_team(team: Team) -> QuerySet[SupportVisit]:
    return SupportVisit.objects.filter(team=team).select_related("member")


def class_list_for_team(team: Team) -> QuerySet[ClassSession]:
    return (
        ClassSession.objects.filter(team=team)
        .select_related("course")
        .annotate(attendee_count=Count("attendance"))
    )
