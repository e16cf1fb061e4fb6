"""Reads of the channels app: deliveries and channel choices for the staff pages, the
approved radio segments of the public archive, and the content calendar (per ISO week,
what goes out on which channel, the weekly radio slot, and the weeks the ward's plan
expects something and nothing is planned)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from loa.plans.models import Plan, Task

from .models import Channel, ChannelChoice, Delivery, RadioSegment

WEEKS_BEFORE = 4
WEEKS_AFTER = 3
MISSING_FLAG = "Kế hoạch yêu cầu nhưng chưa có nội dung"


def channel_choice_for_page(page) -> ChannelChoice | None:
    """The channels an editor picked for the page, if any."""
    return ChannelChoice.objects.filter(page=page).first()


def delivery_list_for_page(page) -> QuerySet[Delivery]:
    """The page's deliveries, newest first."""
    return Delivery.objects.filter(page=page).order_by("-created_at")


def delivery_list_for_ward(ward) -> QuerySet[Delivery]:
    """Deliveries of the ward's own portal articles with their pages, newest first."""
    return (
        Delivery.objects.for_ward(ward).select_related("page").order_by("-created_at")
    )


def segment_list_approved(ward) -> QuerySet[RadioSegment]:
    """The ward's approved radio segments: the public podcast archive."""
    return RadioSegment.objects.filter(
        approved_at__isnull=False, ward=ward
    ).select_related("ward")


# ------------------------------------------------------------------ content calendar


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
        return week_label(self.start)

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


def week_label(monday: datetime.date) -> str:
    """The ISO week of a day as RadioSegment.week spells it: "2026-W48"."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _radio_segments(ward, first: datetime.date, last: datetime.date) -> dict:
    """{monday: [titles]} of the ward's radio segments (and the unassigned ones) for the
    weeks from `first` to `last`, newest build first."""
    mondays: dict[str, datetime.date] = {}
    monday = first
    while monday <= last:
        mondays[week_label(monday)] = monday
        monday += datetime.timedelta(weeks=1)
    segments = RadioSegment.objects.filter(week__in=mondays).only("week", "title")
    if ward is not None:
        segments = segments.filter(Q(ward=ward) | Q(ward__isnull=True))
    found: dict = {}
    for segment in segments:
        found.setdefault(mondays[segment.week], []).append(str(segment))
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
                radio_known=True,
                radio_titles=radio.get(monday, []),
                weekly_tasks=_weekly_task_count(ward, monday, weekly_tasks),
                is_current=monday == current,
            )
        )
    return weeks
