"""`loa serve`: gunicorn for the web and one background worker (`loa worker`).

The worker is django-tasks-db's db_worker in the embedded setup, an RQ worker when
REDIS_URL is set. Deployments with several processes run `loa serve --no-worker` (or
gunicorn itself) and as many `loa worker` processes as they need (deploy/systemd).

`loa serve` is the worker's supervisor: a worker that dies (SQLite's "database is
locked", a crash in a job's library) is started again after a pause that doubles from
one second to a minute and goes back to one second once a worker has run a minute; every
exit and restart is logged. Both children die with `loa serve`, even when it is killed
with SIGKILL (see ``spawn``), so a restart never finds the port held by an orphaned
gunicorn. A port already in use, or gunicorn stopping by itself, ends `loa serve` with a
Vietnamese message and a non-zero exit status.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand

from loa.ops.gunicorn_logger import LOGGER_CLASS

logger = logging.getLogger(__name__)

WORKER_NAME = "tiến trình xử lý nền"

# Run by the child before it becomes the real program: Linux sends the child SIGTERM
# when the process that started it dies, however it dies (prctl PR_SET_PDEATHSIG; the
# setting survives exec). A prelude rather than ``preexec_fn``: preexec_fn runs Python
# between fork and exec, which can deadlock if any thread holds a lock at fork time, and
# a child that watches its parent's pid would need to be our own code, not gunicorn.
# The parent may already be gone before prctl: then the child stops at once. Elsewhere
# than Linux (no prctl) the children simply outlive a killed parent, as before.
_DIE_WITH_PARENT = r"""
import ctypes, os, signal, sys
try:
    arg = ctypes.c_ulong
    ctypes.CDLL(None).prctl(1, arg(signal.SIGTERM), arg(0), arg(0), arg(0))
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)
os.execvp(sys.argv[2], sys.argv[2:])
"""


def spawn(argv: list[str], *, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a child process that receives SIGTERM when this process dies."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and the caller's argv
        [sys.executable, "-I", "-S", "-c", _DIE_WITH_PARENT, str(os.getpid()), *argv],
        env=env,
    )


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def describe_exit(code: int) -> str:
    """Say in Vietnamese how a child process ended."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"bị dừng bởi tín hiệu {name}"
    return f"mã thoát {code}"


class Supervised:
    """Keep one child process running: start it again, after a pause, when it exits.

    The pause is ``base_delay`` after the first exit and doubles after each further one
    up to ``max_delay``; a child that ran ``healthy_after`` seconds before it exited
    counts as a first exit again. Call ``poll()`` often (``loa serve`` does every half
    second); nothing runs in a thread.
    """

    def __init__(
        self,
        argv: list[str],
        *,
        name: str = WORKER_NAME,
        env: dict[str, str] | None = None,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
        healthy_after: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        if base_delay <= 0 or max_delay < base_delay:
            raise ValueError("0 < base_delay <= max_delay")
        self.argv = argv
        self.name = name
        self.env = env
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.healthy_after = healthy_after
        self.clock = clock
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._next_delay = base_delay
        self._started_at = 0.0
        self._restart_at: float | None = None

    def start(self) -> None:
        self.process = spawn(self.argv, env=self.env)
        self._started_at = self.clock()
        self._restart_at = None

    def poll(self) -> None:
        """Notice that the child exited, and start it again once its pause is over."""
        if self.process is None:
            return
        now = self.clock()
        if self._restart_at is not None:
            if now >= self._restart_at:
                self.restarts += 1
                self.start()
                logger.warning(
                    "Đã khởi động lại %s (lần thứ %d, pid %d).",
                    self.name,
                    self.restarts,
                    self.process.pid,
                )
            return
        code = self.process.poll()
        if code is None:
            return
        if now - self._started_at >= self.healthy_after:
            self._next_delay = self.base_delay
        pause = self._next_delay
        self._next_delay = min(pause * 2, self.max_delay)
        self._restart_at = now + pause
        logger.error(
            "%s đã dừng (%s); sẽ khởi động lại sau %s giây.",
            self.name[:1].upper() + self.name[1:],
            describe_exit(code),
            _seconds(pause),
        )

    def stop(self, timeout: float = 10) -> None:
        """Stop the child (SIGTERM, then SIGKILL after ``timeout``) and do not restart it."""
        self._restart_at = None
        if self.process is not None:
            _terminate(self.process, timeout)


def _terminate(process: subprocess.Popen, timeout: float) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def port_problem(host: str, port: int) -> str | None:
    """Say in Vietnamese why gunicorn could not listen on host:port, or None if it can.

    The probe binds the way gunicorn does (SO_REUSEADDR, IPv6 for an IPv6 literal), so a
    connection still closing does not count, but another program listening does.
    """
    try:
        socket.inet_pton(socket.AF_INET6, host)
        family = socket.AF_INET6
    except OSError:
        family = socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except socket.gaierror:
        return f"Không tìm thấy địa chỉ {host} để mở máy chủ web (tham số --host)."
    except OverflowError:
        return f"Số cổng {port} không hợp lệ (từ 1 đến 65535)."
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return (
                f"Cổng {port} trên {host} đang được một chương trình khác dùng (có thể là"
                " một Loa cũ vẫn còn chạy). Hãy dừng chương trình đó, hoặc chọn cổng"
                " khác: loa serve --port <số cổng>."
            )
        if exc.errno == errno.EACCES:
            return (
                f"Không có quyền mở cổng {port}: cổng dưới 1024 cần quyền quản trị;"
                " hãy chọn cổng khác (loa serve --port 8000)."
            )
        if exc.errno == errno.EADDRNOTAVAIL:
            return f"Địa chỉ {host} không thuộc máy này (tham số --host)."
        name = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
        return f"Không mở được cổng {port} trên {host} ({name})."
    return None


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "loa.wsgi:application",
        "--bind",
        f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--logger-class",
        LOGGER_CLASS,
        "--timeout",
        "120",
    ]


WORKER_ARGV = [
    sys.executable,
    "-c",
    "from loa.cli import manage; manage(['loa', 'worker', '--no-schedule'])",
]


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
        host, port = options["host"], options["port"]
        # Checked before anything starts: gunicorn itself would retry for five seconds
        # and end with English lines in the log.
        problem = port_problem(host, port)
        if problem:
            self._fail(problem, 1)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "loa.settings.base"
            ),
        }
        self._schedule_jobs()
        worker = None
        if not options["no_worker"] and self._queue_needs_worker():
            worker = Supervised(WORKER_ARGV, env=env)
            worker.start()
        web = spawn(
            gunicorn_argv(host=host, port=port, workers=options["workers"]), env=env
        )
        self.stdout.write(f"Loa đang chạy tại http://{host}:{port}/ (Ctrl+C để dừng)")

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        previous = signal.signal(signal.SIGTERM, stop)
        code = None
        try:
            while not stopping:
                try:
                    code = web.wait(timeout=0.5)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if worker is not None:
                    worker.poll()
        except KeyboardInterrupt:
            pass
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            _terminate(web, 10)
            if worker is not None:
                worker.stop()
        if code:
            # gunicorn stopped by itself (a port taken in the meantime, a failing app
            # import): the caller (systemd, a script, a person) must see it failed.
            self._fail(
                f"Máy chủ web (gunicorn) đã dừng ({describe_exit(code)}); Loa dừng theo."
                " Xem các dòng báo lỗi phía trên.",
                code if code > 0 else 128 - code,
            )

    def _fail(self, message: str, status: int) -> None:
        # Written here rather than raised as CommandError, which would prefix the
        # sentence with "CommandError:" for the person reading it.
        self.stderr.write(message)
        sys.exit(status)

    def _queue_needs_worker(self) -> bool:
        from loa.ops.recurring import backend_kind

        return backend_kind() != "other"

    def _schedule_jobs(self) -> None:
        try:
            from loa.ops.recurring import schedule_recurring

            schedule_recurring()
        except Exception as exc:  # noqa: BLE001 - serving must not fail on a scheduling hiccup
            self.stderr.write(f"Chưa đặt lịch đôn đốc: {exc}")
