"""The content calendar: per ISO week, what goes out on which channel, the weekly radio
slot, and the weeks the ward's plan expects something and nothing is planned."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from loa.plans.models import Plan, Task

from .models import Channel, Delivery

WEEKS_BEFORE = 4
WEEKS_AFTER = 3
MISSING_FLAG = "Kế hoạch yêu cầu nhưng chưa có nội dung"


@dataclass
class ChannelWeek:
    channel: str
    label: str
    titles: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.titles)


@dataclass
class CalendarWeek:
    start: datetime.date
    channels: list[ChannelWeek]
    radio_known: bool
    radio_titles: list[str] = field(default_factory=list)
    weekly_tasks: int = 0
    is_current: bool = False

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def delivery_count(self) -> int:
        return sum(c.count for c in self.channels)

    @property
    def has_radio(self) -> bool:
        return bool(self.radio_titles)

    @property
    def is_missing(self) -> bool:
        """The plan has weekly tasks and the week has no delivery and no radio segment."""
        return self.weekly_tasks > 0 and not self.delivery_count and not self.has_radio

    @property
    def flag(self) -> str:
        return MISSING_FLAG if self.is_missing else ""


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _radio_model():
    """The RadioSegment model when the app provides one, else None."""
    if not apps.is_installed("loa.channels"):
        return None
    try:
        return apps.get_model("loa_channels", "RadioSegment")
    except LookupError:
        pass
    try:
        from . import models as channel_models
    except ImportError:  # pragma: no cover
        return None
    return getattr(channel_models, "RadioSegment", None)


def _segment_week(segment) -> datetime.date | None:
    """The Monday of the week a segment is for, whatever the model calls that field."""
    for name in ("week_start", "week_of", "starts_on", "week_date"):
        value = getattr(segment, name, None)
        if isinstance(value, datetime.datetime):
            return week_start(timezone.localtime(value).date())
        if isinstance(value, datetime.date):
            return week_start(value)
    week = getattr(segment, "week", None)
    if isinstance(week, datetime.date):
        return week_start(week)
    if isinstance(week, str) and week:
        try:
            return datetime.datetime.strptime(week + "-1", "%G-W%V-%u").date()
        except ValueError:
            return None
    year = getattr(segment, "iso_year", None) or getattr(segment, "year", None)
    number = getattr(segment, "iso_week", None)
    if isinstance(number, int) and isinstance(year, int):
        return datetime.date.fromisocalendar(year, number, 1)
    for name in ("broadcast_at", "air_at", "scheduled_at", "created_at"):
        value = getattr(segment, name, None)
        if isinstance(value, datetime.datetime):
            return week_start(timezone.localtime(value).date())
        if isinstance(value, datetime.date):
            return week_start(value)
    return None


def _radio_segments(ward, first: datetime.date, last: datetime.date) -> dict | None:
    """{monday: [titles]} for the weeks in range, or None when there is no such model."""
    model = _radio_model()
    if model is None:
        return None
    names = {f.name for f in model._meta.get_fields()}
    qs = model.objects.all()
    if "ward" in names and ward is not None:
        qs = qs.filter(Q(ward=ward) | Q(ward__isnull=True))
    found: dict = {}
    for segment in qs[:2000]:
        monday = _segment_week(segment)
        if monday is None or not first <= monday <= last:
            continue
        title = getattr(segment, "title", "") or str(segment)
        found.setdefault(monday, []).append(title)
    return found


def _weekly_task_count(ward, monday: datetime.date, tasks) -> int:
    """Weekly tasks of the active plan that still apply in the week of `monday`."""
    return sum(1 for t in tasks if t.due_date is None or t.due_date >= monday)


def content_calendar(*, ward, today: datetime.date | None = None) -> list[CalendarWeek]:
    """The 8 ISO weeks around `today` (4 before, this one, 3 after) for `ward`."""
    today = today or timezone.localdate()
    current = week_start(today)
    first = current - datetime.timedelta(weeks=WEEKS_BEFORE)
    mondays = [
        first + datetime.timedelta(weeks=i)
        for i in range(WEEKS_BEFORE + 1 + WEEKS_AFTER)
    ]
    last = mondays[-1]
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min), tz)
    hi = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=7), datetime.time.min),
        tz,
    )
    deliveries = (
        Delivery.objects.for_ward(ward)
        .filter(
            Q(sent_at__gte=lo, sent_at__lt=hi)
            | Q(sent_at__isnull=True, created_at__gte=lo, created_at__lt=hi)
        )
        .order_by("created_at", "pk")
    )
    by_week: dict = {m: {c.value: [] for c in Channel} for m in mondays}
    for d in deliveries:
        at = timezone.localtime(d.sent_at or d.created_at).date()
        bucket = by_week.get(week_start(at))
        if bucket is None:
            continue
        bucket.setdefault(d.channel, []).append(d.title or f"Trang #{d.page_id}")

    radio = _radio_segments(ward, first, last)
    weekly_tasks = (
        list(
            Task.objects.filter(
                plan__ward=ward,
                plan__status=Plan.Status.ACTIVE,
                recurrence=Task.Recurrence.WEEKLY,
                completed_at__isnull=True,
            ).only("pk", "due_date")
        )
        if ward is not None
        else []
    )

    labels = dict(Channel.choices)
    weeks = []
    for monday in mondays:
        weeks.append(
            CalendarWeek(
                start=monday,
                channels=[
                    ChannelWeek(channel=c, label=labels.get(c, c), titles=titles)
                    for c, titles in by_week[monday].items()
                ],
                radio_known=radio is not None,
                radio_titles=(radio or {}).get(monday, []),
                weekly_tasks=_weekly_task_count(ward, monday, weekly_tasks),
                is_current=monday == current,
            )
        )
    return weeks
