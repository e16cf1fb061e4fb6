"""Reads of plans and tasks, always scoped to the user's ward."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet

from loa.core.access import is_plan_manager, user_unit, user_ward
from loa.core.models import AuditLog, Membership, Unit, Ward

from .models import Activity, Plan, Task

SILENT_DAYS = getattr(settings, "LOA_SILENT_DAYS", 30)


@dataclass(frozen=True)
class TaskState:
    status: str
    label: str
    period_label: str = ""  # recurring tasks: "Tuần này: đã có hoạt động"
    period_ok: bool | None = None
    is_silent: bool = False


def recurrence_period(recurrence: str, today: date) -> tuple[date, str]:
    """Return the start of the current period of a recurring task and its name.

    Weekly tasks are checked by ISO week, quarterly by quarter; monthly, "thường xuyên"
    and "định kỳ" tasks by calendar month (a month is how ward reports count them).
    """
    if recurrence == Task.Recurrence.WEEKLY:
        return today - timedelta(days=today.weekday()), "Tuần này"
    if recurrence == Task.Recurrence.QUARTERLY:
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), "Quý này"
    return today.replace(day=1), "Tháng này"


def task_state(
    task: Task, *, today: date, last_activity_date: date | None = None
) -> TaskState:
    """Work out a task's status from its activities and dates (never typed by hand)."""
    if last_activity_date is None:
        last_activity_date = getattr(task, "last_activity_date", None)
        if (
            last_activity_date is None
            and not hasattr(task, "last_activity_date")
            and task.pk
        ):
            last_activity_date = task.activities.aggregate(m=Max("date"))["m"]
    started = task.plan.confirmed_at.date() if task.plan.confirmed_at else today
    labels = dict(Task.Status.choices)

    if task.completed_at:
        return TaskState(Task.Status.DONE, labels[Task.Status.DONE])
    if task.recurrence:
        period_start, period_name = recurrence_period(task.recurrence, today)
        period_ok = (
            last_activity_date is not None and last_activity_date >= period_start
        )
        status = (
            Task.Status.IN_PROGRESS if last_activity_date else Task.Status.NOT_STARTED
        )
        period_label = (
            f"{period_name}: {'đã có hoạt động' if period_ok else 'chưa có hoạt động'}"
        )
        silent = not period_ok and started < period_start
        return TaskState(status, labels[status], period_label, period_ok, silent)
    if task.due_date and task.due_date < today:
        return TaskState(Task.Status.OVERDUE, labels[Task.Status.OVERDUE])
    status = Task.Status.IN_PROGRESS if last_activity_date else Task.Status.NOT_STARTED
    reference = max(filter(None, [last_activity_date, started]))
    silent = (today - reference).days > SILENT_DAYS
    return TaskState(status, labels[status], is_silent=silent)


# A plan's long texts and parse (tens of kB of JSON) are never needed beside its tasks.
PLAN_HEAVY_FIELDS = ("original_text", "restored_text", "parsed", "sections")


def _with_activity_figures(qs: QuerySet[Task]) -> QuerySet[Task]:
    return (
        qs.select_related("plan", "unit")
        .defer(*(f"plan__{name}" for name in PLAN_HEAVY_FIELDS))
        .annotate(
            last_activity_date=Max("activities__date"),
            activity_count=Count("activities"),
        )
    )


def plan_list_for_user(user) -> QuerySet[Plan]:
    """Plans of the user's ward; plans still under review only for plan managers."""
    ward = user_ward(user)
    if ward is None:
        return Plan.objects.none()
    qs = Plan.objects.filter(ward=ward)
    if not is_plan_manager(user):
        qs = qs.exclude(status=Plan.Status.REVIEW)
    return qs.annotate(
        task_count=Count("tasks"), unit_count=Count("tasks__unit", distinct=True)
    )


def plan_list_for_ward(ward: Ward) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(ward=ward)
        .exclude(status=Plan.Status.REVIEW)
        .annotate(
            task_count=Count("tasks"), unit_count=Count("tasks__unit", distinct=True)
        )
    )


def task_list_for_user(
    user, *, plan: Plan | None = None, mine: bool = False
) -> QuerySet[Task]:
    """Tasks of the user's ward (of one plan, or of the user's own unit), with activity figures."""
    ward = user_ward(user)
    if ward is None:
        return Task.objects.none()
    qs = Task.objects.filter(
        plan__ward=ward, plan__status__in=[Plan.Status.ACTIVE, Plan.Status.CLOSED]
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    if mine:
        qs = qs.filter(unit=user_unit(user))
    return _with_activity_figures(qs)


def task_list_with_state(tasks: QuerySet[Task], *, today: date) -> list[Task]:
    """Evaluate the queryset and attach `state` to each task."""
    result = list(tasks)
    for task in result:
        task.state = task_state(task, today=today)
    return result


def task_list_needing_reminder(*, today: date, ward: Ward | None = None) -> list[Task]:
    """Overdue and silent tasks of active plans (all wards, or one)."""
    qs = Task.objects.filter(plan__status=Plan.Status.ACTIVE, completed_at__isnull=True)
    if ward is not None:
        qs = qs.filter(plan__ward=ward)
    tasks = task_list_with_state(
        _with_activity_figures(qs.select_related("plan__ward")), today=today
    )
    return [
        t for t in tasks if t.state.status == Task.Status.OVERDUE or t.state.is_silent
    ]


def task_list_overdue(*, today: date, ward: Ward | None = None) -> list[Task]:
    return [
        t
        for t in task_list_needing_reminder(today=today, ward=ward)
        if t.state.status == Task.Status.OVERDUE
    ]


def task_get_for_user(user, pk: int) -> Task | None:
    return (
        task_list_for_user(user)
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related("unit", "created_by"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def activity_list_for_user(user) -> QuerySet[Activity]:
    ward = user_ward(user)
    if ward is None:
        return Activity.objects.none()
    return Activity.objects.filter(ward=ward).select_related("task", "unit")


def unit_account_count(unit: Unit) -> int:
    """How many active staff accounts belong to the unit (who read its notices in Loa)."""
    return Membership.objects.filter(unit=unit, user__is_active=True).count()


def unit_ids_with_accounts(ward: Ward) -> set[int]:
    """The ward's units with at least one active staff account."""
    return set(
        Membership.objects.filter(
            ward=ward, unit__isnull=False, user__is_active=True
        ).values_list("unit_id", flat=True)
    )


def task_urges(task: Task) -> QuerySet[AuditLog]:
    """Every urging of the task, newest first: on the task itself (by staff or the daily
    job) and on its unit for the task's plan ("Đôn đốc" on the unit)."""
    on_task = Q(object_type=Task._meta.label_lower, object_id=str(task.pk))
    on_unit = Q(
        object_type=Unit._meta.label_lower,
        object_id=str(task.unit_id),
        changes__plan=task.plan_id,
    )
    return (
        AuditLog.objects.filter(ward=task.plan.ward_id, action=AuditLog.Action.REMIND)
        .filter(on_task | on_unit)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
