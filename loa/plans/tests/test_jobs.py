from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from loa.plans.jobs import next_reminder_at, reminders_schedule_ensure

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_next_reminder_is_at_seven_today_when_it_is_still_early():
    assert next_reminder_at(datetime(2026, 11, 26, 6, 0, tzinfo=HCM)) == datetime(
        2026, 11, 26, 7, 0, tzinfo=HCM
    )


def test_next_reminder_is_tomorrow_once_seven_has_passed():
    assert next_reminder_at(datetime(2026, 11, 26, 7, 0, tzinfo=HCM)) == datetime(
        2026, 11, 27, 7, 0, tzinfo=HCM
    )


@pytest.mark.django_db
def test_daily_reminder_is_booked_once_in_the_database_queue(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}
    }  # django-tasks resets on change
    assert reminders_schedule_ensure() is True
    assert reminders_schedule_ensure() is False
    booked = DBTaskResult.objects.get()
    assert booked.task_path == "loa.plans.jobs.reminders_send_job"
    assert booked.run_after.astimezone(HCM).hour == 7
