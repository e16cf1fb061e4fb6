"""`loa serve`: gunicorn for the web and one background worker (`loa worker`).

The worker is django-tasks-db's db_worker in the embedded setup, an RQ worker when
REDIS_URL is set. Deployments with several processes run `loa serve --no-worker` (or
gunicorn itself) and as many `loa worker` processes as they need (deploy/systemd).
"""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand

from loa.core.gunicorn_logger import LOGGER_CLASS


class Command(BaseCommand):
    help = "Chạy Loa (máy chủ web và tiến trình xử lý nền)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", 8000))
        )
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2))
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="không chạy tiến trình xử lý nền"
        )

    def handle(self, *args, **options):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "loa.settings.base"
            ),
        }
        self._schedule_jobs()
        processes = []
        if not options["no_worker"]:
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter and module
                    [
                        sys.executable,
                        "-c",
                        "from loa.cli import manage; manage(['loa', 'worker', '--no-schedule'])",
                    ],
                    env=env,
                )
            )
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "loa.wsgi:application",
                    "--bind",
                    f"{options['host']}:{options['port']}",
                    "--workers",
                    str(options["workers"]),
                    "--access-logfile",
                    "-",
                    "--logger-class",
                    LOGGER_CLASS,
                    "--timeout",
                    "120",
                ],
                env=env,
            )
        )
        self.stdout.write(
            f"Loa đang chạy tại http://{options['host']}:{options['port']}/ (Ctrl+C để dừng)"
        )

        def stop(*_):
            for p in processes:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            processes[-1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()

    def _schedule_jobs(self) -> None:
        try:
            from loa.plans.recurring import schedule_recurring

            schedule_recurring()
        except Exception as exc:  # noqa: BLE001 - serving must not fail on a scheduling hiccup
            self.stderr.write(f"Chưa đặt lịch đôn đốc: {exc}")
