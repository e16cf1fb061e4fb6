"""`loa serve` keeps its worker running, takes its children down with it, and fails loudly."""

import io
import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from loa.ops.management.commands import serve
from loa.ops.management.commands.serve import Supervised

EXITS_AT_ONCE = [sys.executable, "-c", "import sys; sys.exit(1)"]
MAIN_DIR = Path(__file__).resolve().parents[3]


class Clock:
    """A monotonic clock the test moves by hand; the child processes are real."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def wait_for_exit(child: Supervised) -> None:
    child.process.wait(timeout=30)


def pauses_logged(caplog) -> list[str]:
    return [
        r.getMessage().split("sau ")[1].split(" giây")[0]
        for r in caplog.records
        if "sẽ khởi động lại sau" in r.getMessage()
    ]


def test_worker_that_exits_is_restarted_after_pauses_that_double_up_to_the_maximum(
    caplog,
):
    caplog.set_level(logging.INFO, logger=serve.__name__)
    clock = Clock()
    child = Supervised(
        EXITS_AT_ONCE, base_delay=1, max_delay=4, healthy_after=60, clock=clock
    )
    child.start()
    try:
        for pause in (1, 2, 4, 4):
            first_pid = child.process.pid
            wait_for_exit(child)
            child.poll()  # notices the exit
            clock.now += pause - 0.01
            child.poll()
            assert child.process.pid == first_pid, "restarted before its pause"
            clock.now += 0.01
            child.poll()
            assert child.process.pid != first_pid
        assert child.restarts == 4
    finally:
        child.stop()
    assert pauses_logged(caplog) == ["1", "2", "4", "4"]
    messages = [r.getMessage() for r in caplog.records]
    assert "Tiến trình xử lý nền đã dừng (mã thoát 1)" in messages[0]
    assert any(
        "Đã khởi động lại tiến trình xử lý nền (lần thứ 4" in m for m in messages
    )


def test_worker_that_ran_long_enough_is_restarted_after_the_first_pause_again(caplog):
    caplog.set_level(logging.INFO, logger=serve.__name__)
    clock = Clock()
    child = Supervised(
        EXITS_AT_ONCE, base_delay=1, max_delay=60, healthy_after=30, clock=clock
    )
    child.start()
    try:
        for ran in (0, 0, 0, 31):  # three quick crashes, then one after a long run
            clock.now += ran
            wait_for_exit(child)
            child.poll()
            clock.now += 60
            child.poll()
    finally:
        child.stop()
    assert pauses_logged(caplog) == ["1", "2", "4", "1"]


def test_supervision_with_real_time_restarts_a_crashing_child_quickly():
    child = Supervised(EXITS_AT_ONCE, base_delay=0.05, max_delay=0.1)
    child.start()
    deadline = time.monotonic() + 30
    try:
        while child.restarts < 3:
            assert time.monotonic() < deadline, "the child was not restarted"
            child.poll()
            time.sleep(0.01)
    finally:
        child.stop()
    assert child.process.poll() is not None


def test_stopped_child_is_not_restarted():
    clock = Clock()
    child = Supervised(EXITS_AT_ONCE, base_delay=1, clock=clock)
    child.start()
    wait_for_exit(child)
    child.poll()
    child.stop()
    clock.now += 120
    child.poll()
    assert child.restarts == 0


def _gone(pid: int) -> bool:
    # Reparented to a PID 1 that may not reap: a zombie is as dead as it gets.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_children_die_when_loa_serve_is_killed_with_sigkill(tmp_path):
    pid_file = tmp_path / "child.pid"
    child_code = (
        "import os, pathlib, time;"
        f"pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid()));"
        "time.sleep(120)"
    )
    script = textwrap.dedent(
        f"""
        import sys, time
        from loa.ops.management.commands.serve import Supervised
        child = Supervised([sys.executable, "-c", {child_code!r}])
        child.start()
        while True:
            child.poll()
            time.sleep(0.1)
        """
    )
    supervisor = subprocess.Popen(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", script], cwd=MAIN_DIR, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert supervisor.poll() is None, "the supervisor stopped"
            assert time.monotonic() < deadline, "the child did not start"
            time.sleep(0.05)
        child_pid = int(pid_file.read_text())
        assert not _gone(child_pid)
        supervisor.kill()
        supervisor.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not _gone(child_pid):
            assert time.monotonic() < deadline, "the child outlived loa serve"
            time.sleep(0.05)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        if pid_file.exists() and pid_file.read_text():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
            except ProcessLookupError:
                pass


def _listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def test_port_problem_tells_a_port_in_use_and_accepts_a_free_one():
    with _listening_socket() as taken:
        port = taken.getsockname()[1]
        problem = serve.port_problem("127.0.0.1", port)
        assert problem and f"Cổng {port}" in problem and "đang được" in problem
    assert serve.port_problem("127.0.0.1", port) is None


@pytest.mark.slow
def test_loa_serve_on_a_port_in_use_exits_non_zero_with_a_vietnamese_message(
    tmp_path,
):
    loa = str(Path(sys.executable).with_name("loa"))
    env = {**os.environ, "LOA_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command's own default
    with _listening_socket() as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(  # noqa: S603 - the installed console script
            [loa, "serve", "--port", str(port), "--no-worker"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode != 0, result.stdout + result.stderr
    assert f"Cổng {port} trên 127.0.0.1 đang được" in result.stderr
    assert "Loa đang chạy" not in result.stdout


def test_loa_serve_exits_with_gunicorns_status_when_gunicorn_stops(monkeypatch):
    monkeypatch.setattr(
        serve,
        "gunicorn_argv",
        lambda **kwargs: [sys.executable, "-c", "import sys; sys.exit(3)"],
    )
    monkeypatch.setattr(serve.Command, "_schedule_jobs", lambda self: None)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    stderr = io.StringIO()
    handler = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as exited:
        call_command(
            "serve",
            "--no-worker",
            "--port",
            str(port),
            stdout=io.StringIO(),
            stderr=stderr,
        )
    assert exited.value.code == 3
    assert "Máy chủ web (gunicorn) đã dừng (mã thoát 3)" in stderr.getvalue()
    assert signal.getsignal(signal.SIGTERM) == handler
