import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import override_settings

from loa.ops import health

MAIN_DIR = Path(__file__).resolve().parents[3]


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database access would fail the test outright.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ok_when_database_cache_and_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content.decode()
    assert response.json() == {"database": "ok", "cache": "ok", "queue": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_readyz_queries_the_table_of_the_database_task_queue(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["queue"] == "ok"
    table = DBTaskResult._meta.db_table
    assert any(table in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_readyz_reports_a_failing_cache_with_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis://secret@cache:6379 refused")

    from django.core.cache import caches

    monkeypatch.setattr(caches["strict"], "set", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["queue"] == "ok"
    assert body["cache"] == "lỗi: không ghi/đọc được bộ đệm (ConnectionError)"
    # The exception's message (hosts, credentials) is not shown.
    assert "secret" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_reports_a_failing_database_with_503(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("could not connect to server at 10.0.0.5")

    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == (
        "lỗi: không truy vấn được cơ sở dữ liệu (OperationalError)"
    )
    assert "10.0.0.5" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_never_raises_even_if_every_check_fails(client, monkeypatch):
    def boom():
        raise RuntimeError("boom")

    monkeypatch.setattr(health, "CHECKS", dict.fromkeys(health.CHECKS, boom))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert all(v.startswith("lỗi: ") for v in response.json().values())


@pytest.mark.django_db
def test_probes_are_not_served_from_the_portal_page_cache(client):
    # The Wagtail catch-all comes last: the probe paths resolve to their own views.
    from django.urls import resolve

    assert resolve("/healthz").func is health.healthz
    assert resolve("/readyz").func is health.readyz
    first = client.get("/healthz")
    second = client.get("/healthz")
    for response in (first, second):
        assert response.status_code == 200
        assert "X-Loa-Cache" not in response


def test_check_deploy_reports_no_issues_with_production_settings(tmp_path):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "loa.settings.production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "ALLOWED_HOSTS": "loa.example.vn",
        "LOA_DATA_DIR": str(tmp_path / "data"),
    }
    for name in (
        "DEBUG",
        "DATABASE_URL",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests in this process only
    ):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=MAIN_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
