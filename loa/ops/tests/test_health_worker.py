"""/readyz tells a dead or stuck worker by the wait of the oldest due job (database queue)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("database_queue"),
]


@pytest.fixture
def database_queue():
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        LOA_READY_MAX_JOB_DELAY_SECONDS=300,
    ):
        yield


def job(*, waited: timedelta, scheduled: bool = False, status: str = "READY"):
    """A job row as django-tasks-db writes it, queued `waited` ago (or due since then)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    row = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="loa.plans.jobs.reminders_send_job",
        backend_name="default",
        run_after=now - waited if scheduled else get_date_max(),
        status=status,
    )
    queued_at = now - waited - (timedelta(days=1) if scheduled else timedelta(0))
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=queued_at)
    return row


def test_readyz_reports_no_waiting_job_when_the_queue_is_empty(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content.decode()
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "queue": "ok",
        "oldest_waiting_job_seconds": None,
    }


def test_readyz_is_ok_while_the_oldest_due_job_waited_less_than_the_limit(client):
    job(waited=timedelta(seconds=40))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert 40 <= response.json()["oldest_waiting_job_seconds"] < 300


def test_readyz_answers_503_when_a_due_job_waited_past_the_limit(client):
    job(waited=timedelta(seconds=20))
    job(waited=timedelta(minutes=12))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["cache"] == "ok"
    assert 720 <= body["oldest_waiting_job_seconds"] < 800
    assert body["queue"].startswith("lỗi: có việc nền đến hạn đã chờ 7")
    assert "quá 300 giây" in body["queue"]
    assert "tiến trình xử lý nền đã dừng hoặc bị treo" in body["queue"]


def test_scheduled_job_counts_from_its_due_time_not_from_when_it_was_queued(client):
    job(waited=timedelta(seconds=30), scheduled=True)  # queued a day and 30 s ago
    response = client.get("/readyz")
    assert response.status_code == 200
    assert 30 <= response.json()["oldest_waiting_job_seconds"] < 300


def test_jobs_not_yet_due_running_or_finished_do_not_count(client):
    job(waited=-timedelta(hours=2), scheduled=True)  # due in two hours
    job(waited=timedelta(hours=1), status="RUNNING")
    job(waited=timedelta(hours=1), status="SUCCESSFUL")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["oldest_waiting_job_seconds"] is None


def test_a_limit_of_zero_turns_the_waiting_check_off(client, settings):
    settings.LOA_READY_MAX_JOB_DELAY_SECONDS = 0
    job(waited=timedelta(hours=3))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["oldest_waiting_job_seconds"] >= 3 * 3600
