from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from loa.plans.models import Activity, Task
from loa.plans.tests.factories import ActivityFactory
from loa.reports.budget import budget_by_source, budget_lines, expense_record
from loa.reports.figures import dashboard_figures, task_rows
from loa.reports.metrics import indicator_progress, indicator_records, periods
from loa.reports.models import FundingSource, Indicator

from .conftest import H1

pytestmark = pytest.mark.django_db
K = Activity.Kind


def test_dashboard_counts_match_the_hand_count(ward_a, ward_b):
    f = dashboard_figures([ward_a.ward], *H1)
    assert f["activity_totals"]["count"] == 8
    h = f["headlines"]
    # The cards read the forms of communication: the "other" item on Zalo is counted
    # with the three articles under digital platforms, as in the "Theo hình thức" table.
    assert (h["articles"].value, h["radio"].value, h["print_runs"].value) == (4, 1, 1)
    assert h["print_runs"].detail == "20 sản phẩm"
    assert (h["conferences"].value, h["conferences"].detail) == (2, "120 lượt người dự")
    forms = {row["form"]: row for row in f["by_form"]}
    # Two articles and the "other" item on Zalo go under digital platforms... plus the third article.
    assert forms["nen_tang_so"]["count"] == 4
    assert forms["nen_tang_so"]["reach"] == 300
    assert forms["phat_thanh"]["count"] == 1 and forms["phat_thanh"]["reach"] == 1000
    assert forms["hoi_nghi"]["attendees"] == 120
    assert sum(row["count"] for row in f["by_form"]) == 8  # each activity counted once
    assert f["assistant"] == {"questions": 3, "answered": 2, "share": 67}


def test_activities_by_month_and_kind_are_counted_per_month(ward_a):
    f = dashboard_figures([ward_a.ward], *H1)
    by_kind = f["by_kind"]
    assert by_kind["months"] == [
        "01/2026",
        "02/2026",
        "03/2026",
        "04/2026",
        "05/2026",
        "06/2026",
    ]
    articles = next(s for s in by_kind["series"] if s["name"] == "Tin bài")
    assert articles["values"] == [1, 2, 0, 0, 0, 0]
    assert by_kind["rows"][1][0] == "02/2026"


def test_another_wards_work_never_enters_the_figures(ward_a, ward_b):
    before = dashboard_figures([ward_a.ward], *H1)
    ActivityFactory(
        task=ward_b.culture_task, kind=K.ARTICLE, date=date(2026, 3, 3), reach=5000
    )
    after = dashboard_figures([ward_a.ward], *H1)
    for key in (
        "activity_totals",
        "headlines",
        "by_form",
        "assistant",
        "learning",
        "tasks_by_status",
    ):
        assert before[key] == after[key], key
    assert [
        line.planned for line in after["budget"]
    ] == []  # ward B's 77.000.000 is not ours
    units = {row["unit"] for row in after["tasks_by_unit"]}
    assert units == {"Phòng Văn hóa - Xã hội", "Trung tâm Dịch vụ sự nghiệp công"}


def test_city_roll_up_adds_up_the_wards(ward_a, ward_b):
    f = dashboard_figures([ward_a.ward, ward_b.ward], *H1)
    assert f["activity_totals"]["count"] == 8 + 28
    per_ward = {row["ward"]: row for row in f["per_ward"]}
    assert per_ward["phường Hải Dương"]["activities"] == 8
    assert per_ward["phường Thành Đông"]["activities"] == 28
    assert per_ward["Toàn thành phố"]["activities"] == 36
    assert per_ward["Toàn thành phố"]["questions"] == 4


def test_task_status_is_as_it_stood_at_the_end_of_the_period(ward_a):
    at_march = {
        r.task.pk: r.status for r in task_rows([ward_a.ward], date(2026, 3, 31))
    }
    at_june = {r.task.pk: r.status for r in task_rows([ward_a.ward], date(2026, 6, 30))}
    assert at_march[ward_a.late_task.pk] == Task.Status.NOT_STARTED  # not yet due
    assert at_june[ward_a.late_task.pk] == Task.Status.OVERDUE
    assert at_june[ward_a.culture_task.pk] == Task.Status.IN_PROGRESS


def test_a_task_finished_after_the_period_was_not_done_in_it(ward_a):
    from django.utils import timezone

    Task.objects.filter(pk=ward_a.service_task.pk).update(
        completed_at=timezone.make_aware(timezone.datetime(2026, 8, 1, 9, 0))
    )
    june = {r.task.pk: r.status for r in task_rows([ward_a.ward], date(2026, 6, 30))}
    august = {r.task.pk: r.status for r in task_rows([ward_a.ward], date(2026, 8, 31))}
    assert june[ward_a.service_task.pk] == Task.Status.IN_PROGRESS
    assert august[ward_a.service_task.pk] == Task.Status.DONE


def test_indicator_counts_per_month_against_its_target(ward_a):
    indicator = Indicator.objects.create(
        plan=ward_a.plan,
        name="Tin bài",
        measure=Indicator.Measure.ACTIVITIES,
        kinds=[K.ARTICLE],
        target=2,
        period=Indicator.Period.MONTH,
    )
    progress = indicator_progress(indicator, date(2026, 1, 1), date(2026, 3, 31))
    assert [(p.label, p.actual, p.target) for p in progress.periods] == [
        ("Tháng 01/2026", 1, 2),
        ("Tháng 02/2026", 2, 2),
        ("Tháng 03/2026", 0, 2),
    ]
    assert (progress.actual, progress.target, progress.percent, progress.met) == (
        3,
        6,
        50,
        False,
    )
    titles = set(indicator_records(indicator, *H1).values_list("title", flat=True))
    assert titles == {"Tin tháng 1", "Tin tháng 2", "Tin tháng 2 số hai"}


@pytest.mark.parametrize(
    ("measure", "kinds", "expected"),
    [
        (Indicator.Measure.ATTENDEES, [K.CONFERENCE], 120),
        (Indicator.Measure.COPIES, [], 20),
        (Indicator.Measure.REACH, [], 1300),
        (Indicator.Measure.ASSISTANT_QUESTIONS, [], 3),
        (Indicator.Measure.LEARNERS, [], 0),
    ],
)
def test_each_measure_counts_what_it_says(ward_a, ward_b, measure, kinds, expected):
    indicator = Indicator.objects.create(
        plan=ward_a.plan,
        name="x",
        measure=measure,
        kinds=kinds,
        target=1,
        period=Indicator.Period.WHOLE,
    )
    assert indicator_progress(indicator, *H1).actual == expected


def test_quarters_and_years_split_the_period():
    assert [
        p[0]
        for p in periods(date(2026, 2, 15), date(2026, 7, 3), Indicator.Period.QUARTER)
    ] == [
        "Quý I/2026",
        "Quý II/2026",
        "Quý III/2026",
    ]
    assert periods(date(2025, 12, 1), date(2026, 1, 31), Indicator.Period.YEAR)[1][
        1:
    ] == (date(2026, 1, 1), date(2026, 1, 31))
    assert periods(date(2026, 10, 5), date(2026, 12, 31), Indicator.Period.QUARTER) == [
        ("Quý IV/2026", date(2026, 10, 5), date(2026, 12, 31))
    ]


def test_budget_planned_spent_and_balance(money_a, ward_b):
    lines = {
        (line.unit, line.source): line for line in budget_lines([money_a.ward], *H1)
    }
    culture = lines[("Phòng Văn hóa - Xã hội", "Ngân sách nhà nước")]
    assert (culture.planned, culture.spent, culture.spent_year, culture.balance) == (
        Decimal(10_000_000),
        Decimal(2_500_000),
        Decimal(2_500_000),
        Decimal(7_500_000),
    )
    service = lines[("Trung tâm Dịch vụ sự nghiệp công", "Ngân sách nhà nước")]
    assert (service.planned, service.spent) == (0, Decimal(1_000_000))
    total = budget_by_source(list(lines.values()))[0]
    assert (total.planned, total.spent, total.balance) == (
        Decimal(10_000_000),
        Decimal(3_500_000),
        Decimal(6_500_000),
    )
    july = budget_lines([money_a.ward], date(2026, 7, 1), date(2026, 7, 31))
    assert sum(line.spent for line in july) == Decimal(400_000)
    assert sum(line.spent_year for line in july) == Decimal(3_900_000)


def test_spending_must_be_positive(ward_a):
    activity = Activity.objects.filter(ward=ward_a.ward).first()
    with pytest.raises(ValidationError, match="lớn hơn 0"):
        expense_record(
            activity=activity,
            source=FundingSource.STATE_BUDGET,
            amount=Decimal(0),
            description="x",
        )


def test_roll_up_reaches_the_residential_groups(ward_a, ward_b):
    from django.utils import timezone

    from loa.core.models import ResidentialGroup
    from loa.learning.models import Learner

    group_1 = ResidentialGroup.objects.create(
        ward=ward_a.ward, name="Tổ dân phố số 1", order=1
    )
    group_2 = ResidentialGroup.objects.create(
        ward=ward_a.ward, name="Tổ dân phố số 2", order=2
    )
    other = ResidentialGroup.objects.create(
        ward=ward_b.ward, name="Tổ dân phố số 1", order=1
    )
    when = timezone.make_aware(timezone.datetime(2026, 3, 1, 9, 0))
    for group, count in ((group_1, 2), (group_2, 1), (other, 5)):
        for i in range(count):
            Learner.objects.create(
                ward=group.ward,
                name=f"Học viên {i}",
                birth_year=1960,
                residential_group=group,
                consent_at=when,
                created_at=when,
            )
    rows = dashboard_figures([ward_a.ward], *H1)["by_residential_group"]
    assert [(r["group"], r["learners"]) for r in rows] == [
        ("Tổ dân phố số 1", 2),
        ("Tổ dân phố số 2", 1),
    ]
    city = dashboard_figures([ward_a.ward, ward_b.ward], *H1)["by_residential_group"]
    assert sum(r["learners"] for r in city) == 8 and len(city) == 3
