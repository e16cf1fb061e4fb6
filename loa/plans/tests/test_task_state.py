from datetime import date

import pytest
from django.utils import timezone

from loa.plans.models import Task
from loa.plans.selectors import (
    task_list_needing_reminder,
    task_list_overdue,
    task_state,
)
from loa.plans.tests.factories import ActivityFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_open_task_past_due_date_is_overdue():
    task = TaskFactory(due_date=date(2026, 6, 30))
    assert task_state(task, today=date(2026, 7, 1)).status == Task.Status.OVERDUE


def test_task_with_activity_before_due_date_is_in_progress():
    task = TaskFactory(due_date=date(2026, 12, 15))
    ActivityFactory(task=task, date=date(2026, 3, 20))
    assert task_state(task, today=date(2026, 4, 1)).status == Task.Status.IN_PROGRESS


def test_task_without_activity_is_not_started():
    task = TaskFactory(due_date=date(2026, 12, 15))
    assert task_state(task, today=date(2026, 3, 10)).status == Task.Status.NOT_STARTED


def test_completed_task_is_done_even_after_its_due_date():
    task = TaskFactory(due_date=date(2026, 6, 30), completed_at=timezone.now())
    assert task_state(task, today=date(2026, 7, 10)).status == Task.Status.DONE


def test_weekly_task_reports_whether_this_week_has_an_activity():
    task = TaskFactory(recurrence=Task.Recurrence.WEEKLY)
    ActivityFactory(task=task, date=date(2026, 4, 6))  # Monday
    this_week = task_state(task, today=date(2026, 4, 10))
    next_week = task_state(task, today=date(2026, 4, 14))
    assert (
        this_week.period_ok is True
        and this_week.period_label == "Tuần này: đã có hoạt động"
    )
    assert next_week.period_ok is False and next_week.is_silent


def test_monthly_task_counts_activities_of_the_calendar_month():
    task = TaskFactory(recurrence=Task.Recurrence.ONGOING)
    ActivityFactory(task=task, date=date(2026, 4, 30))
    assert task_state(task, today=date(2026, 4, 30)).period_ok is True
    assert task_state(task, today=date(2026, 5, 1)).period_ok is False


def test_undated_task_without_activity_for_a_month_is_silent():
    task = TaskFactory()
    ActivityFactory(task=task, date=date(2026, 3, 10))
    assert not task_state(task, today=date(2026, 4, 1)).is_silent
    assert task_state(task, today=date(2026, 4, 20)).is_silent


def test_overdue_selector_lists_only_overdue_tasks_of_the_ward():
    overdue = TaskFactory(due_date=date(2026, 1, 1))
    TaskFactory(plan=overdue.plan, due_date=date(2026, 12, 1))
    TaskFactory(due_date=date(2026, 1, 1))  # another ward
    assert task_list_overdue(today=date(2026, 1, 2), ward=overdue.plan.ward) == [
        overdue
    ]


def test_tasks_needing_reminder_have_no_query_per_task(django_assert_max_num_queries):
    first = TaskFactory(due_date=date(2026, 1, 1))
    for _ in range(5):
        TaskFactory(plan=first.plan, due_date=date(2026, 1, 1))
    with django_assert_max_num_queries(2):
        assert len(task_list_needing_reminder(today=date(2026, 2, 1))) == 6
