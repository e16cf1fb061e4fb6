"""What each indicator counts, as queries over recorded work (never a typed number).

Every function takes the wards the reader may see; nothing here trusts a ward id from
the request.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from loa.assistant.selectors import exchange_list
from loa.core.models import Ward
from loa.learning.selectors import (
    certificate_list_issued,
    learner_list_registered,
    support_visit_list,
)
from loa.plans.models import Activity

from .models import Indicator

M = Indicator.Measure
ACTIVITY_SUMS = {
    M.ATTENDEES: "attendees",
    M.COPIES: "copies",
    M.REACH: "reach",
    M.HOUSEHOLDS: "households_helped",
}
ACTIVITY_MEASURES = {M.ACTIVITIES, *ACTIVITY_SUMS}


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the ward's time zone, so indexes on timestamps are used."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def activities_in(
    wards: Iterable[Ward], start: date, end: date, *, unit=None, plan=None
) -> QuerySet[Activity]:
    qs = Activity.objects.filter(ward__in=list(wards), date__range=(start, end))
    if unit is not None:
        qs = qs.filter(unit=unit)
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    return qs


# ---------------------------------------------------------------- forms of communication

# The report counts each activity under exactly one form: by its kind, and for "Khác" by
# the channel it went out on. The order is the order of the report's sections.
FORMS = [
    ("hoi_nghi", "Hội nghị, hội thảo, tọa đàm"),
    ("phat_thanh", "Hệ thống truyền thanh cơ sở"),
    ("nen_tang_so", "Cổng thông tin điện tử và nền tảng số"),
    ("truc_quan", "Tuyên truyền trực quan, ấn phẩm in"),
    ("hoc_vu_so", "Phong trào \u201cBình dân học vụ số\u201d"),
    ("to_cong_nghe_so", "Tổ công nghệ số cộng đồng và các đơn vị hỗ trợ người dân"),
    ("khac", "Hình thức khác"),
]
FORM_LABELS = dict(FORMS)
# What each form counts, shown beside its figures (dashboard, report, workbooks).
FORM_DEFINITIONS = {
    "hoi_nghi": "tính từ: hoạt động loại “Hội nghị”; lượt người dự là tổng số người dự ghi kèm",
    "phat_thanh": "tính từ: hoạt động loại “Phát thanh” đơn vị ghi nhận (cả lượt phát "
    "không dựng trong Loa) và hoạt động khác phát trên Đài truyền thanh",
    "nen_tang_so": "tính từ: hoạt động loại “Tin bài” và hoạt động khác đăng trên Cổng "
    "thông tin điện tử, Zalo, Facebook, YouTube",
    "truc_quan": "tính từ: hoạt động loại “Trực quan” và hoạt động khác qua ấn phẩm in, "
    "màn hình LED; sản phẩm là tổng số bản ghi kèm",
    "hoc_vu_so": "tính từ: lớp, buổi hướng dẫn trực tiếp (hoạt động loại “Lớp học”); "
    "học viên tự đăng ký học trực tuyến đếm riêng ở “Học viên mới”",
    "to_cong_nghe_so": "tính từ: hoạt động loại “Hỗ trợ người dân” của mọi đơn vị: mỗi "
    "phiếu hỗ trợ tại nhà của Tổ công nghệ số cộng đồng và các đợt hỗ trợ đơn vị khác ghi",
    "khac": "tính từ: hoạt động không thuộc các hình thức trên",
}
_KIND_FORM = {
    Activity.Kind.CONFERENCE: "hoi_nghi",
    Activity.Kind.RADIO: "phat_thanh",
    Activity.Kind.ARTICLE: "nen_tang_so",
    Activity.Kind.VISUAL: "truc_quan",
    Activity.Kind.CLASS: "hoc_vu_so",
    Activity.Kind.RESIDENT_SUPPORT: "to_cong_nghe_so",
}
_CHANNEL_FORM = {
    Activity.Channel.RADIO: "phat_thanh",
    Activity.Channel.PORTAL: "nen_tang_so",
    Activity.Channel.ZALO: "nen_tang_so",
    Activity.Channel.FACEBOOK: "nen_tang_so",
    Activity.Channel.YOUTUBE: "nen_tang_so",
    Activity.Channel.PRINT: "truc_quan",
    Activity.Channel.LED: "truc_quan",
}


def activity_form(kind: str, channel: str) -> str:
    return _KIND_FORM.get(kind) or _CHANNEL_FORM.get(channel) or "khac"


def form_expression() -> Case:
    """activity_form() in SQL, so the database groups 1M rows instead of Python."""
    whens = [When(kind=k, then=Value(f)) for k, f in _KIND_FORM.items()]
    whens += [When(channel=c, then=Value(f)) for c, f in _CHANNEL_FORM.items()]
    return Case(*whens, default=Value("khac"), output_field=CharField())


# ---------------------------------------------------------------- indicators


def _activity_filter(indicator: Indicator) -> Q:
    q = Q()
    if indicator.kinds:
        q &= Q(kind__in=indicator.kinds)
    if indicator.channels:
        q &= Q(channel__in=indicator.channels)
    if indicator.unit_id:
        q &= Q(unit_id=indicator.unit_id)
    return q


def indicator_records(indicator: Indicator, start: date, end: date) -> QuerySet:
    """The records an indicator counts in a period: the evidence behind its figure."""
    ward = indicator.plan.ward
    measure = indicator.measure
    if measure in ACTIVITY_MEASURES:
        qs = activities_in([ward], start, end, plan=indicator.plan).filter(
            _activity_filter(indicator)
        )
        if measure in ACTIVITY_SUMS:
            qs = qs.filter(**{f"{ACTIVITY_SUMS[measure]}__gt": 0})
        return qs.select_related("unit", "task")
    # The learning figures are counted by the learning app, as on its own pages.
    period = {"wards": [ward], "start": start, "end": end}
    if measure == M.ASSISTANT_QUESTIONS:
        return exchange_list(**period)
    if measure == M.LEARNERS:
        return learner_list_registered(**period)
    if measure == M.CERTIFICATES:
        return certificate_list_issued(**period).select_related("learner", "course")
    if measure == M.SUPPORT_VISITS:
        return support_visit_list(**period)
    raise ValueError(f"unknown measure {measure!r}")


def indicator_value(indicator: Indicator, start: date, end: date) -> int:
    records = indicator_records(indicator, start, end)
    if indicator.measure in ACTIVITY_SUMS:
        column = ACTIVITY_SUMS[indicator.measure]
        return records.aggregate(n=Sum(column))["n"] or 0
    return records.count()


def periods(start: date, end: date, period: str) -> list[tuple[str, date, date]]:
    """Split [start, end] into the indicator's periods, clipped to the range."""
    if period == Indicator.Period.WHOLE:
        return [("Cả kỳ", start, end)]
    result = []
    cursor = start
    while cursor <= end:
        if period == Indicator.Period.MONTH:
            first = cursor.replace(day=1)
            nxt = (first + timedelta(days=32)).replace(day=1)
            label = f"Tháng {first.month:02d}/{first.year}"
        elif period == Indicator.Period.QUARTER:
            q = (cursor.month - 1) // 3
            first = date(cursor.year, 3 * q + 1, 1)
            nxt = date(cursor.year + (q == 3), (3 * q + 3) % 12 + 1, 1)
            label = f"Quý {'I II III IV'.split()[q]}/{first.year}"
        else:
            first = date(cursor.year, 1, 1)
            nxt = date(cursor.year + 1, 1, 1)
            label = f"Năm {first.year}"
        result.append((label, cursor, min(end, nxt - timedelta(days=1))))
        cursor = nxt
    return result


@dataclass
class PeriodFigure:
    label: str
    start: date
    end: date
    target: int
    actual: int

    @property
    def met(self) -> bool:
        return self.actual >= self.target


@dataclass
class IndicatorProgress:
    indicator: Indicator
    actual: int
    target: int
    periods: list[PeriodFigure] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.actual / self.target) if self.target else 100

    @property
    def met(self) -> bool:
        return self.actual >= self.target


def indicator_progress(
    indicator: Indicator, start: date, end: date
) -> IndicatorProgress:
    """Actual against target, period by period (a period cut by the range keeps its full
    target: a ward is asked for the month's number, not a share of it)."""
    rows = [
        PeriodFigure(label, s, e, indicator.target, indicator_value(indicator, s, e))
        for label, s, e in periods(start, end, indicator.period)
    ]
    return IndicatorProgress(
        indicator,
        actual=sum(r.actual for r in rows),
        target=sum(r.target for r in rows),
        periods=rows,
    )


def indicator_list_progress(plan, start: date, end: date) -> list[IndicatorProgress]:
    return [
        indicator_progress(i, start, end)
        for i in plan.indicators.select_related("plan__ward", "unit")
    ]


def activity_totals(qs: QuerySet[Activity]) -> dict:
    return qs.aggregate(
        count=Count("id"),
        attendees=Sum("attendees"),
        copies=Sum("copies"),
        reach=Sum("reach"),
        households=Sum("households_helped"),
    )
