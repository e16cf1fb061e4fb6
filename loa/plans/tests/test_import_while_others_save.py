"""A plan import must not lock other users out of saving (issue 13, finding 3).

On SQLite a write transaction holds the database's single write lock: an import that
parsed (or OCR'd) inside one made every other user's save wait, then fail with
"database is locked". Here an officer records activities through the staff pages while
a manager's upload is stopped in the middle of its parse. bench/bench_import_lock.py
measures the same with 8 clients and a 200-task plan.
"""

import sqlite3
import threading
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.urls import reverse

from loa.core import roles
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans import services
from loa.plans.models import Activity, Plan
from loa.plans.tests.factories import PlanFactory, TaskFactory

SEED = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "seed"
    / "ke-hoach-77-KH-UBND-2026.ocr.txt"
)
SAVES = 5
# Longer than the saves take (well under a second), far shorter than busy_timeout (20 s):
# a save that waits on the import's lock shows as a parse that waited in vain.
PATIENCE = 5


@pytest.fixture
def database_on_file(transactional_db, tmp_path, monkeypatch):
    """Every thread's connection on one SQLite file opened as `make run` opens it.

    The SQLite test database lives in memory, shared through SQLite's cache: no WAL, and
    table locks that busy_timeout does not wait on. This copies the migrated test
    database to a file opened with the project's OPTIONS (WAL, BEGIN IMMEDIATE,
    busy_timeout). On PostgreSQL the test database is already a server every thread
    connects to.
    """
    if connection.vendor != "sqlite":
        yield
        return
    memory = connections[DEFAULT_DB_ALIAS]
    memory.ensure_connection()
    path = tmp_path / "loa.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        memory.connection.backup(copy)
    # Threads open their connections from these settings; the in-memory connection keeps
    # its own, so the test database survives for the tests after this one.
    monkeypatch.setitem(
        connections.settings,
        DEFAULT_DB_ALIAS,
        {**memory.settings_dict, "NAME": str(path)},
    )
    connections[DEFAULT_DB_ALIAS] = connections.create_connection(DEFAULT_DB_ALIAS)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)  # the file, as `make run` opens it
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections[DEFAULT_DB_ALIAS] = memory


def test_an_officer_saves_activities_while_a_plan_is_being_parsed(
    database_on_file, monkeypatch
):
    """Parsing and OCR take tens of seconds for a scan: other users' saves in that
    time must go through at once, not wait on the import or fail."""
    ward = WardFactory(name="Hải Dương")
    manager = staff_user(
        ward=ward,
        unit=UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội"),
        role=roles.CULTURE_STAFF,
    )
    task = TaskFactory(plan=PlanFactory(ward=ward))
    officer = staff_user(ward=ward, unit=task.unit)
    importing, officer_saved = Client(), Client()
    importing.force_login(manager)
    officer_saved.force_login(officer)

    parsing, saved_enough = threading.Event(), threading.Event()
    parse_waits: list[bool] = []
    real_parse = services.parse_plan

    def parse_held_open(text):
        parsing.set()
        parse_waits.append(saved_enough.wait(timeout=PATIENCE))
        return real_parse(text)

    monkeypatch.setattr(services, "parse_plan", parse_held_open)

    uploads, saves, failures = [], [], []

    def upload():
        try:
            plan_file = SimpleUploadedFile(
                SEED.name, SEED.read_bytes(), content_type="text/plain"
            )
            uploads.append(
                importing.post(reverse("plans:plan_upload"), {"file": plan_file})
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            failures.append(f"nhập kế hoạch: {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    def save_activities():
        try:
            if not parsing.wait(timeout=PATIENCE):
                return
            for n in range(1, SAVES + 1):
                response = officer_saved.post(
                    reverse("plans:activity_create", args=[task.pk]),
                    {
                        "kind": Activity.Kind.CONFERENCE,
                        "date": date.today().isoformat(),
                        "title": f"Hội nghị quán triệt lần {n}",
                        "attendees": "30",
                    },
                )
                saves.append(response.status_code)
            saved_enough.set()
        except Exception as exc:  # noqa: BLE001 - "database is locked" lands here
            failures.append(f"ghi hoạt động: {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=upload),
        threading.Thread(target=save_activities),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    assert failures == []
    assert parse_waits == [True], "the saves waited for the import to finish"
    assert saves == [302] * SAVES
    assert Activity.objects.filter(task=task, created_by=officer).count() == SAVES
    assert uploads[0].status_code == 302
    assert Plan.objects.get(ward=ward, status=Plan.Status.REVIEW).imported_by == manager


@pytest.mark.django_db
def test_sqlite_connections_wait_for_a_busy_database_longer_than_the_driver_default():
    """busy_timeout makes a save wait out another writer's short transaction instead of
    answering "database is locked" (an HTTP 500). Python's sqlite3 sets 5 s by itself,
    so only more than that is the project's own setting (loa/settings/base.py)."""
    if connection.vendor != "sqlite":
        pytest.skip("busy_timeout is SQLite's; PostgreSQL waits on row locks")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (busy_timeout_ms,) = cursor.fetchone()
    assert busy_timeout_ms > 5000
