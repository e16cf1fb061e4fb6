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
    """Urge units about overdue and silent tasks, then book tomorrow's run."""
    from .services import reminders_send

    sent = reminders_send()
    if reschedule:
        reminders_send_job.using(run_after=next_reminder_at()).enqueue(reschedule=True)
    return sent
