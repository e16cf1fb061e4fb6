"""`loa worker`: one background worker for the queue in use.

Without REDIS_URL: django-tasks-db's `db_worker` (jobs in the database). With REDIS_URL:
an RQ worker for django-tasks-rq (`rqworker default --with-scheduler`, the job class of
django-tasks-rq); any number of them may run side by side, on one host or several, and
each also moves jobs whose time has come from RQ's scheduled registry to the queue (RQ
lets one scheduler at a time do it). Before it starts, the worker books the recurring
jobs that are missing (`loa.ops.recurring`); an RQ worker also looks again every
LOA_RECURRING_CHECK_SECONDS (300): a Redis restarted without its data loses the bookings.
"""

import logging
import os
import threading
import uuid

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from loa.ops.recurring import backend_kind, schedule_recurring

logger = logging.getLogger(__name__)


def _keep_booked(every: float, stop: threading.Event) -> None:
    """Book missing recurring chains again and again (same lock as at start)."""
    while not stop.wait(every):
        try:
            booked = schedule_recurring()
            if booked:
                logger.warning("Recurring jobs were missing, booked again: %s", booked)
        except Exception:  # noqa: BLE001 - Redis or the database away: next round
            logger.warning("Recurring jobs not checked", exc_info=True)
        finally:
            # No connection of this thread may be open when RQ forks a job process.
            connections.close_all()


class Command(BaseCommand):
    help = "Chạy một tiến trình xử lý nền (hàng đợi trong CSDL, hoặc Redis khi có REDIS_URL)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst",
            action="store_true",
            help="xử lý hết các việc đang chờ rồi dừng (dùng khi kiểm thử)",
        )
        parser.add_argument(
            "--name",
            default=None,
            help="tiền tố tên tiến trình (RQ), thêm một đuôi ngẫu nhiên cho mỗi lần chạy",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="không đặt lịch các việc định kỳ khi khởi động",
        )

    def handle(self, *args, **options):
        kind = backend_kind()
        if not options["no_schedule"]:
            try:
                booked = schedule_recurring()
            except Exception as exc:  # noqa: BLE001 - a worker must start anyway
                self.stderr.write(f"Chưa đặt được lịch việc định kỳ: {exc}")
            else:
                if booked:
                    self.stdout.write("Đã đặt lịch: " + ", ".join(booked))
        # Nothing opened here may be shared with the processes RQ forks for each job.
        connections.close_all()
        verbosity = options["verbosity"]
        if kind == "rq":
            # RQ refuses a name still registered by a live-looking worker, and a worker
            # killed with SIGKILL stays registered for minutes: every start gets a new name.
            name = options["name"]
            if name:
                name = f"{name}-{uuid.uuid4().hex[:6]}"
            if not options["no_schedule"] and not options["burst"]:
                every = float(os.environ.get("LOA_RECURRING_CHECK_SECONDS", 300))
                threading.Thread(
                    target=_keep_booked,
                    args=(every, threading.Event()),
                    name="loa-recurring",
                    daemon=True,
                ).start()
            call_command(
                "rqworker",
                "default",
                with_scheduler=True,
                job_class="django_tasks_rq.Job",
                name=name,
                burst=options["burst"],
                verbosity=verbosity,
            )
        elif kind == "db":
            extra = {"batch": True} if options["burst"] else {}
            call_command("db_worker", reload=False, verbosity=verbosity, **extra)
        else:
            self.stderr.write(
                "Hàng đợi hiện tại chạy việc ngay trong tiến trình web; không cần worker."
            )
