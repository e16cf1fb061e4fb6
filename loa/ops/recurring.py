"""Book the recurring jobs once, whatever queue runs them.

Four jobs recur by booking their own next run when they finish (a chain): the daily
urging (`plans.jobs.reminders_send_job`), scheduled publishing
(`content.jobs.publish_scheduled_job`), the look for waiting deliveries
(`channels.jobs.deliveries_resume_job`) and the chat transcripts' retention
(`assistant.jobs.transcripts_purge_job`). `schedule_recurring()` starts a chain that is
missing; `loa setup`, `loa serve` and `loa worker` call it.

- django-tasks-db (no REDIS_URL): `chain_ensure()`: a READY row of the job in the
  database means it is booked.
- django-tasks-rq (REDIS_URL): the same rule on Redis: a job of that task waiting in the
  queue or in RQ's scheduled registry means booked. Workers starting together take a
  Redis lock, so only one of them books. A job of that task found *running* may belong
  to a worker that was just killed (its chain then ends with it); RQ declares such a job
  abandoned once the worker's heartbeat has been missing for at most 90 s, so instead of
  guessing, a recheck is booked a few minutes later (`recurring_recheck_job`), which
  starts the chain if it is gone by then.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Longer than RQ's limit for a running job without heartbeat (monitoring interval + 60 s).
RECHECK_AFTER = timedelta(minutes=3)
RECHECK_MAX_ATTEMPTS = 5
LOCK_NAME = "loa:recurring:lock"


def backend_kind() -> str:
    """'db' (django-tasks-db), 'rq' (django-tasks-rq) or 'other' (immediate, dummy)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_db"):
        return "db"
    if backend.startswith("django_tasks_rq"):
        return "rq"
    return "other"


def recurring_jobs() -> list[tuple]:
    """(task, when its next run is due) for every chain."""
    from loa.assistant.jobs import next_purge_at, transcripts_purge_job
    from loa.channels.jobs import RESUME_EVERY, deliveries_resume_job
    from loa.content.jobs import next_publish_check_at, publish_scheduled_job
    from loa.plans.jobs import next_reminder_at, reminders_send_job

    return [
        (reminders_send_job, next_reminder_at),
        (publish_scheduled_job, next_publish_check_at),
        (deliveries_resume_job, lambda: timezone.now() + RESUME_EVERY),
        (transcripts_purge_job, next_purge_at),
    ]


def chain_ensure(job, next_at) -> bool:
    """Book `job` at `next_at()` unless a run of it already waits in the database queue;
    True when it booked one."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(
        task_path=job.module_path, status=TaskResultStatus.READY
    ).exists():
        return False
    job.using(run_after=next_at()).enqueue(reschedule=True)
    return True


def schedule_recurring() -> list[str]:
    """Start every missing chain; return the task paths booked now."""
    kind = backend_kind()
    if kind == "db":
        return [
            job.module_path
            for job, next_at in recurring_jobs()
            if chain_ensure(job, next_at)
        ]
    if kind == "rq":
        return _rq_ensure(attempt=1)
    return []


def _rq_paths(connection, job_ids) -> set[str]:
    from rq.job import Job

    jobs = Job.fetch_many(list(job_ids), connection=connection) if job_ids else []
    return {job.func_name for job in jobs if job is not None}


def _rq_ensure(*, attempt: int) -> list[str]:
    import django_rq
    from rq.registry import ScheduledJobRegistry, StartedJobRegistry

    queue = django_rq.get_queue("default")
    connection = queue.connection
    booked: list[str] = []
    with connection.lock(LOCK_NAME, timeout=60, blocking_timeout=30):
        waiting = set(queue.get_job_ids())
        waiting |= set(ScheduledJobRegistry(queue=queue).get_job_ids())
        # get_job_ids() first moves abandoned jobs (no heartbeat) out of the registry.
        running = set(StartedJobRegistry(queue=queue).get_job_ids())
        waiting_paths = _rq_paths(connection, waiting)
        running_paths = _rq_paths(connection, running)
        unsure = False
        for job, next_at in recurring_jobs():
            path = job.module_path
            if path in waiting_paths:
                continue
            if path in running_paths:
                unsure = True
                continue
            job.using(run_after=next_at()).enqueue(reschedule=True)
            booked.append(path)
        recheck = recurring_recheck_job.module_path
        if unsure and attempt <= RECHECK_MAX_ATTEMPTS and recheck not in waiting_paths:
            recurring_recheck_job.using(
                run_after=timezone.now() + RECHECK_AFTER
            ).enqueue(attempt=attempt + 1)
    if booked:
        logger.info("Recurring jobs booked: %s", ", ".join(booked))
    return booked


@task()
def recurring_recheck_job(attempt: int = 2) -> list[str]:
    """Start chains whose last run was left behind by a killed worker (RQ only)."""
    if backend_kind() != "rq":
        return []
    return _rq_ensure(attempt=attempt)
