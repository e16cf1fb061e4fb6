"""The recurring jobs are booked once each in the database queue, whoever asks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from loa.assistant.jobs import next_purge_at
from loa.ops.recurring import schedule_recurring

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def test_every_chain_is_booked_once_in_the_database_queue(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}
    }  # django-tasks resets on change
    assert sorted(schedule_recurring()) == [
        "loa.assistant.jobs.transcripts_purge_job",
        "loa.channels.jobs.deliveries_resume_job",
        "loa.content.jobs.publish_scheduled_job",
        "loa.plans.jobs.reminders_send_job",
    ]
    assert schedule_recurring() == []  # a second start books nothing
    booked = {row.task_path: row for row in DBTaskResult.objects.all()}
    assert len(booked) == 4
    reminder = booked["loa.plans.jobs.reminders_send_job"]
    assert reminder.run_after.astimezone(HCM).hour == 7


def test_chat_transcripts_are_purged_at_three_at_night():
    assert next_purge_at(datetime(2026, 11, 26, 2, 0, tzinfo=HCM)) == datetime(
        2026, 11, 26, 3, 0, tzinfo=HCM
    )
    assert next_purge_at(datetime(2026, 11, 26, 3, 0, tzinfo=HCM)) == datetime(
        2026, 11, 27, 3, 0, tzinfo=HCM
    )


def test_the_purge_job_applies_the_retention_and_books_tomorrow(settings):
    from django_tasks_db.models import DBTaskResult

    from loa.assistant.jobs import transcripts_purge_job

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    transcripts_purge_job.call(reschedule=True)
    (row,) = DBTaskResult.objects.all()
    assert row.task_path == "loa.assistant.jobs.transcripts_purge_job"
