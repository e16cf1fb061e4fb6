"""Background jobs of the plans app (django-tasks; "task" elsewhere means a plan task)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

REMINDER_JOB_PATH = "loa.plans.jobs.reminders_send_job"


def next_reminder_at(now: datetime | None = None) -> datetime:
    """The next daily urging time, LOA_REMINDER_HOUR o'clock local time."""
    now = timezone.localtime(now or timezone.now())
    at = timezone.make_aware(
        datetime.combine(now.date(), time(settings.LOA_REMINDER_HOUR))
    )
    return at if at > now else at + timedelta(days=1)


@task()
def reminders_send_job(reschedule: bool = True) -> int:
    """Urge units about overdue and silent tasks, then book tomorrow's run.

    The daily run also applies the chat transcripts' retention (LOA_CHAT_RETENTION_DAYS).
    """
    from loa.assistant.services import transcripts_purge

    from .services import reminders_send

    sent = reminders_send()
    transcripts_purge()
    if reschedule:
        reminders_send_job.using(run_after=next_reminder_at()).enqueue(reschedule=True)
    return sent


def reminders_schedule_ensure() -> bool:
    """Book the daily urging job unless one is already waiting; True when it booked one."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return False
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=REMINDER_JOB_PATH, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    reminders_send_job.using(run_after=next_reminder_at()).enqueue(reschedule=True)
    return True
