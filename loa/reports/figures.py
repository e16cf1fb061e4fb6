"""The dashboard's and the report's figures, all computed from records for given wards."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Count, Max, Sum
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from loa.assistant.selectors import assistant_totals
from loa.core.models import Unit, Ward
from loa.learning.selectors import learning_by_residential_group, learning_totals
from loa.plans.models import Activity, Plan, Task
from loa.plans.selectors import PLAN_HEAVY_FIELDS, task_state

from .budget import budget_by_source, budget_lines, overspent_lines
from .headlines import headline_figures
from .metrics import (
    FORM_DEFINITIONS,
    FORMS,
    activities_in,
    activity_totals,
    form_expression,
)

STATUS_ORDER = [value for value, _ in Task.Status.choices]
STATUS_LABELS = dict(Task.Status.choices)


@dataclass
class TaskRow:
    task: Task
    status: str
    label: str
    last_activity: date | None
    activity_count: int
    # The urging job's flag, as of the end of the period: no activity in the task's
    # current week, month or quarter, or none for LOA_SILENT_DAYS days.
    is_silent: bool = False
    period_label: str = ""

    @property
    def needs_urging(self) -> bool:
        """Overdue, not started, or silent: the tasks the report names and units are
        urged about (`plans.selectors.task_list_needing_reminder` on the same state)."""
        return self.status in (Task.Status.OVERDUE, Task.Status.NOT_STARTED) or (
            self.status != Task.Status.DONE and self.is_silent
        )


def task_rows(
    wards: Iterable[Ward],
    end: date,
    *,
    unit: Unit | None = None,
    plan: Plan | None = None,
) -> list[TaskRow]:
    """Every task's status as it stood at the end of the period (activities after it ignored)."""
    as_of = min(end, timezone.localdate())
    tasks = Task.objects.filter(
        plan__ward__in=list(wards),
        plan__status__in=[Plan.Status.ACTIVE, Plan.Status.CLOSED],
    )
    if plan is not None:
        tasks = tasks.filter(plan=plan)
    if unit is not None:
        tasks = tasks.filter(unit=unit)
    # Plans carry long texts (original, restored, parse): never read them per row.
    tasks = list(
        tasks.select_related("plan", "unit", "plan__ward").defer(
            *(f"plan__{name}" for name in PLAN_HEAVY_FIELDS)
        )
    )
    # One grouped pass over the (task, date) index instead of joining every activity.
    figures = {
        row["task"]: row
        for row in Activity.objects.filter(
            task__in=[t.pk for t in tasks], date__lte=as_of
        )
        .values("task")
        .annotate(last=Max("date"), n=Count("id"))
        .order_by()
    }
    for task in tasks:
        row = figures.get(task.pk, {})
        # Set as task_state reads it, so a task with no activity up to the end of the
        # period is not looked up again over all its activities (later ones included).
        task.last_activity_date, task.counted = row.get("last"), row.get("n", 0)
    rows = []
    for task in tasks:
        if task.completed_at and task.completed_at.date() > as_of:
            task.completed_at = None  # finished after the period: not yet done then
        state = task_state(task, today=as_of)
        rows.append(
            TaskRow(
                task,
                state.status,
                state.label,
                task.last_activity_date,
                task.counted,
                is_silent=state.is_silent,
                period_label=state.period_label,
            )
        )
    return rows


def tasks_by_unit(rows: list[TaskRow], *, with_ward: bool) -> list[dict]:
    table: dict[tuple, dict] = {}
    for row in rows:
        unit = row.task.unit
        key = (row.task.plan.ward.name if with_ward else "", unit.name)
        line = table.setdefault(
            key,
            {"ward": key[0], "unit": unit.name, "total": 0, "activities": 0}
            | dict.fromkeys(STATUS_ORDER, 0),
        )
        line["total"] += 1
        line[row.status] += 1
        line["activities"] += row.activity_count
    lines = [table[k] for k in sorted(table)]
    for line in lines:
        line["counts"] = [line[s] for s in STATUS_ORDER]
    return lines


def status_totals(rows: list[TaskRow]) -> list[dict]:
    counts = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    return [
        {"status": s, "label": STATUS_LABELS[s], "count": counts[s]}
        for s in STATUS_ORDER
    ]


def monthly_counts(qs) -> list[dict]:
    """Activities per (month, kind, channel) in one pass; the month as "YYYY-MM" text,
    cut from the ISO date so no per-row function runs (TruncMonth is one on SQLite)."""
    month = Substr(Cast("date", output_field=CharField()), 1, 7)
    return list(
        qs.annotate(month=month)
        .values("month", "kind", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )


def activities_by_month(counts: list[dict], group_field: str, labels: dict) -> dict:
    """{"months": ["01/2026", …], "series": [{"name": "Tin bài", "values": [...]}, …]}."""
    months = sorted({row["month"] for row in counts})
    grid: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in counts:
        grid[row[group_field] or ""][row["month"]] += row["n"]
    names = [f"{m[5:7]}/{m[:4]}" for m in months]
    order = list(labels)
    series = [
        {
            "name": labels.get(key, key or "Không ghi"),
            "values": [grid[key].get(m, 0) for m in months],
        }
        for key in sorted(grid, key=lambda k: order.index(k) if k in order else 99)
    ]
    rows = [[name] + [s["values"][i] for s in series] for i, name in enumerate(names)]
    return {"months": names, "series": series, "rows": rows}


def by_form(qs) -> list[dict]:
    """Count and totals per form of communication (each activity counted once)."""
    rows = {
        row["form"]: row
        for row in qs.annotate(form=form_expression())
        .values("form")
        .annotate(
            count=Count("id"),
            attendees=Sum("attendees"),
            copies=Sum("copies"),
            reach=Sum("reach"),
            households=Sum("households_helped"),
        )
    }
    result = []
    for key, label in FORMS:
        row = rows.get(key, {})
        result.append(
            {
                "form": key,
                "label": label,
                "definition": FORM_DEFINITIONS[key],
                "count": row.get("count", 0),
                "attendees": row.get("attendees") or 0,
                "copies": row.get("copies") or 0,
                "reach": row.get("reach") or 0,
                "households": row.get("households") or 0,
            }
        )
    return result


def by_unit(qs) -> list[dict]:
    return [
        {
            "unit": row["unit__name"],
            "count": row["count"],
            "attendees": row["attendees"] or 0,
            "copies": row["copies"] or 0,
            "reach": row["reach"] or 0,
            "households": row["households"] or 0,
        }
        for row in qs.values("unit__name")
        .annotate(
            count=Count("id"),
            attendees=Sum("attendees"),
            copies=Sum("copies"),
            reach=Sum("reach"),
            households=Sum("households_helped"),
        )
        .order_by("-count", "unit__name")
    ]


def assistant_figures(wards, start: date, end: date) -> dict:
    """Questions asked of the assistant in the period and the share it answered
    (counted by `loa.assistant.selectors`, as on the assistant's own pages)."""
    return assistant_totals(wards=wards, start=start, end=end)


def dashboard_figures(
    wards: Iterable[Ward], start: date, end: date, *, unit: Unit | None = None
) -> dict:
    """Everything the dashboard shows, for the wards the reader may see."""
    wards = list(wards)
    activities = activities_in(wards, start, end, unit=unit)
    rows = task_rows(wards, end, unit=unit)
    lines = budget_lines(wards, start, end, unit=unit)
    counts = monthly_counts(activities)
    forms = by_form(activities)
    assistant = assistant_figures(wards, start, end)
    learning = learning_totals(wards=wards, start=start, end=end)
    figures = {
        "start": start,
        "end": end,
        "wards": wards,
        "tasks_by_status": status_totals(rows),
        "tasks_by_unit": tasks_by_unit(rows, with_ward=len(wards) > 1),
        "task_total": len(rows),
        "activity_totals": activity_totals(activities),
        "by_kind": activities_by_month(counts, "kind", dict(Activity.Kind.choices)),
        "by_channel": activities_by_month(
            counts, "channel", dict(Activity.Channel.choices)
        ),
        "by_form": forms,
        "headlines": headline_figures(
            start=start,
            end=end,
            as_of=min(end, timezone.localdate()),
            rows=rows,
            forms=forms,
            learning=learning,
            assistant=assistant,
            ward_wide_note="; cả phường, không tách theo đơn vị" if unit else "",
        ),
        "urging": [r for r in rows if r.needs_urging],
        "assistant": assistant,
        "learning": learning,
        "budget": lines,
        "budget_by_source": budget_by_source(lines),
        "overspent": overspent_lines(lines),
        # The last level of the roll-up (city → ward → tổ dân phố).
        "by_residential_group": learning_by_residential_group(
            wards=wards, start=start, end=end
        ),
    }
    if len(wards) > 1:
        figures["per_ward"] = ward_rollup(wards, start, end)
    return figures


def ward_rollup(wards: list[Ward], start: date, end: date) -> list[dict]:
    """One line per ward and a total: the city's view."""
    result = []
    for ward in sorted(wards, key=lambda w: w.name):
        activities = activities_in([ward], start, end)
        totals = activity_totals(activities)
        rows = task_rows([ward], end)
        learning = learning_totals(wards=[ward], start=start, end=end)
        assistant = assistant_figures([ward], start, end)
        result.append(
            {
                "slug": ward.slug,
                "ward": ward.display_name,
                "tasks": len(rows),
                "done": sum(r.status == Task.Status.DONE for r in rows),
                "overdue": sum(r.status == Task.Status.OVERDUE for r in rows),
                "activities": totals["count"],
                "attendees": totals["attendees"] or 0,
                "questions": assistant["questions"],
                "learners": learning["learners"],
                "visits": learning["visits"],
            }
        )
    if result:
        total = {"slug": "", "ward": "Toàn thành phố"}
        for key in result[0]:
            if key not in ("slug", "ward"):
                total[key] = sum(r[key] for r in result)
        result.append(total)
    return result
