"""Background jobs of the content app (django-tasks)."""

from datetime import datetime, timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

PUBLISH_SCHEDULED_JOB_PATH = "loa.content.jobs.publish_scheduled_job"
PUBLISH_SCHEDULED_EVERY = timedelta(minutes=5)


def next_publish_check_at(now: datetime | None = None) -> datetime:
    """When the scheduled-publishing check runs next."""
    return (now or timezone.now()) + PUBLISH_SCHEDULED_EVERY


@task()
def publish_scheduled_job(reschedule: bool = True) -> None:
    """Publish pages whose go-live time has come and unpublish expired ones; rebook."""
    try:
        # Wagtail's own command: it publishes the approved revision (go_live_at is
        # only ever set on a revision that went through the workflow or was published by
        # someone allowed to publish), and sends page_published like any other publish.
        call_command("publish_scheduled", verbosity=0)
    finally:
        if reschedule:
            publish_scheduled_job.using(run_after=next_publish_check_at()).enqueue(
                reschedule=True
            )
