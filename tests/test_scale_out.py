"""Scale-out on loopback: two web processes and two RQ workers share Redis and a database.

The test starts its own redis-server on a free port and, when the suite runs on
PostgreSQL (DATABASE_URL=postgres://…), a fresh database on that server (dropped at the
end); on SQLite the processes share one SQLite file in a temporary LOA_DATA_DIR. Then:

- a session created by logging in on web A is valid on web B (and is kept in Redis);
- deliveries re-sent through web A ("Gửi lại") are each executed exactly once by the two
  workers, and a job enqueued twice for the same delivery still sends it once (counted
  by a local imitation of the Facebook Graph API);
- the cache is shared: the assistant's per-client limit counts questions asked on A and
  on B together.

The schema is created without running the migrations (`migrate --run-syncdb` with
migrations off) so that the test stays well under a minute.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest

from loa.core.testing.platforms import PlatformImitation, free_port

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-thu-scale"
DELIVERIES = 6
RATE = 2  # questions per client per minute on the web processes

SETUP = r"""
import json, sys
from django.conf import settings


class _Off(dict):
    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return None


settings.MIGRATION_MODULES = _Off()  # tables straight from the models: seconds, not a minute
import django

django.setup()
from django.core.management import call_command

call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
from wagtail.models import Locale, Page

from loa.channels.models import Delivery
from loa.core import roles
from loa.core.tests.factories import WardFactory, staff_user

Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
root = Page.add_root(title="Gốc", slug="goc")
ward = WardFactory(name="Phường Thử Tải", slug="phuong-thu-tai")
staff_user(
    ward=ward, username="canbo-tai", password=sys.argv[1], role=roles.EDITOR
)
ids = []
for n in range(int(sys.argv[2]) + 1):
    delivery = Delivery.objects.create(
        ward=ward,
        page=root,
        channel="facebook",
        idempotency_key=f"scale:{n}",
        title=f"Tin thử tải số {n}",
        variant=f"Tin thử tải số {n}",
        status=Delivery.Status.MANUAL if n else Delivery.Status.QUEUED,
    )
    ids.append(delivery.pk)
print("IDS " + json.dumps(ids))
"""

CHECK = r"""
import json
import django

django.setup()
from loa.channels.models import Delivery, DeliveryAttempt

rows = []
for d in Delivery.objects.order_by("pk"):
    ok = DeliveryAttempt.objects.filter(delivery=d, is_ok=True).count()
    rows.append([d.pk, d.status, ok])
print("ROWS " + json.dumps(rows))
"""


class Facebook(PlatformImitation):
    """Counts posts per message; answers like the Graph API after a short delay."""

    def __init__(self):
        # Long enough for two workers to overlap.
        super().__init__({"*": lambda n, request: {"id": f"1029_{n}"}}, delay=0.05)
        self.start()

    @property
    def messages(self) -> Counter[str]:
        with self.lock:
            return Counter(r.get("form", {}).get("message", "") for r in self.requests)

    def total(self) -> int:
        with self.lock:
            return len(self.requests)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One cookie jar for every port of 127.0.0.1, like a browser behind a balancer."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPCookieProcessor(self.jar),
            NoRedirect,
        )

    def request(self, url, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        req = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace"), dict(exc.headers)

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def form_token(self, url):
        status, html, _ = self.request(url)
        assert status == 200, (url, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Cluster:
    """Redis, (PostgreSQL database), two gunicorn masters and two `loa worker`s."""

    def __init__(self, tmp: Path, facebook: Facebook):
        self.tmp = tmp
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.pg_admin_url = None
        self.pg_db = None
        self.redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "loa.settings.base",
            "PYTHONPATH": str(ROOT),
            "LOA_DATA_DIR": str(tmp / "data"),
            "REDIS_URL": self.redis_url,
            "LOA_FACEBOOK_PAGE_ID": "1029",
            "LOA_FACEBOOK_PAGE_TOKEN": "FB-TOKEN-SCALE",
            "LOA_FACEBOOK_API_URL": f"http://127.0.0.1:{facebook.port}/v21.0",
            "LOA_CHANNELS_DEFAULT": "",
            "LOA_ASSISTANT_RATE_PER_MINUTE": str(RATE),
            # Workers look for lost recurring bookings every second (300 s by default).
            "LOA_RECURRING_CHECK_SECONDS": "1",
            "no_proxy": "127.0.0.1,localhost",
        }
        for name in ("LOA_LLM_URL", "DEBUG", "LOA_QUEUE_REDIS_URL", "http_proxy"):
            self.env.pop(name, None)
        self.env.pop("HTTP_PROXY", None)
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            self.pg_admin_url = url
            self.pg_db = f"loa_scale_{uuid.uuid4().hex[:8]}"
            parts = urllib.parse.urlsplit(url)
            self.env["DATABASE_URL"] = urllib.parse.urlunsplit(
                parts._replace(path="/" + self.pg_db)
            )
        else:
            self.env.pop("DATABASE_URL", None)

    @property
    def database(self) -> str:
        return "PostgreSQL" if self.pg_db else "SQLite"

    def start(self, name, args, env=None):
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the dir
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stopped by process group, nothing else
        )
        self.processes.append((name, process))
        return process

    def log(self, name) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def create_database(self):
        if not self.pg_db:
            return
        import psycopg

        with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.pg_db}"')

    def drop_database(self):
        if not self.pg_db:
            return
        import psycopg

        with (
            contextlib.suppress(Exception),
            psycopg.connect(self.pg_admin_url, autocommit=True) as conn,
        ):
            conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_db}" WITH (FORCE)')

    def python(self, script, *args, timeout=120) -> str:
        out = subprocess.run(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout

    def stop(self):
        for _, process in reversed(self.processes):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.drop_database()


def wait_for(predicate, timeout, what, cluster=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            if predicate():
                return
        if cluster is not None:
            for name, process in cluster.processes:
                if process.poll() is not None:
                    pytest.fail(f"{name} đã dừng:\n{cluster.log(name)}")
        time.sleep(0.2)
    logs = ""
    if cluster is not None:
        logs = "\n".join(f"--- {n}\n{cluster.log(n)}" for n, _ in cluster.processes)
    pytest.fail(f"quá {timeout} s chờ {what}\n{logs}")


def http_status(url) -> int:
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            url, timeout=5
        ) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def cluster():
    if not shutil.which("redis-server"):
        pytest.fail("Thiếu redis-server: chạy scripts/install-debian.sh")
    tmp = Path(tempfile.mkdtemp(prefix="loa-scale-"))
    (tmp / "data").mkdir()
    facebook = Facebook()
    cluster = Cluster(tmp, facebook)
    cluster.facebook = facebook
    try:
        cluster.start(
            "redis",
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(cluster.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp),
            ],
        )
        cluster.create_database()
        yield cluster
    finally:
        cluster.stop()
        facebook.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_two_web_processes_and_two_workers_share_sessions_queue_and_cache(cluster):
    import redis
    from rq import Queue
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry, StartedJobRegistry

    ids = json.loads(
        next(
            line[4:]
            for line in cluster.python(SETUP, PASSWORD, str(DELIVERIES)).splitlines()
            if line.startswith("IDS ")
        )
    )
    queued_id, retried_ids = ids[0], ids[1:]
    web = {}
    for name in ("A", "B"):
        port = free_port()
        web[name] = f"http://127.0.0.1:{port}"
        cluster.start(
            f"web-{name}",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "loa.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
        )
    for n in (1, 2):
        cluster.start(
            f"worker-{n}",
            [
                sys.executable,
                "-c",
                "from loa.cli import main; main()",
                "worker",
                "--name",
                f"scale-{n}",
            ],
        )
    r = redis.Redis.from_url(cluster.redis_url)
    for name, base in web.items():
        wait_for(
            lambda base=base: http_status(f"{base}/readyz") == 200,
            60,
            f"/readyz của web {name}",
            cluster,
        )
    wait_for(
        lambda: len(r.smembers("rq:workers:default")) == 2,
        60,
        "hai worker RQ",
        cluster,
    )
    # Both workers booked the missing recurring jobs at start: each exactly once.
    scheduled = ScheduledJobRegistry("default", connection=r).get_job_ids()
    booked = Counter(
        job.func_name for job in Job.fetch_many(scheduled, connection=r) if job
    )
    assert booked == {
        "loa.plans.jobs.reminders_send_job": 1,
        "loa.content.jobs.publish_scheduled_job": 1,
        "loa.channels.jobs.deliveries_resume_job": 1,
        "loa.assistant.jobs.transcripts_purge_job": 1,
    }, booked

    # A session created on A is valid on B.
    browser = Browser()
    token = browser.form_token(f"{web['A']}/dang-nhap/")
    status, _, headers = browser.request(
        f"{web['A']}/dang-nhap/",
        {
            "username": "canbo-tai",
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{web['A']}/dang-nhap/"},
    )
    assert status == 302, "đăng nhập trên A không thành công"
    session_key = browser.cookie("sessionid")
    assert session_key
    status, html, _ = browser.request(f"{web['B']}/kenh/giao/")
    assert status == 200 and f"/kenh/giao/{retried_ids[0]}/" in html
    anonymous_status, _, anonymous_headers = Browser().request(f"{web['B']}/kenh/giao/")
    assert anonymous_status == 302 and "/dang-nhap/" in anonymous_headers["Location"]
    assert any(session_key.encode() in key for key in r.scan_iter("loa:*session*")), (
        "phiên đăng nhập không nằm trong Redis"
    )

    # Deliveries re-sent through A are executed once each by the two workers.
    for pk in retried_ids:
        url = f"{web['A']}/kenh/giao/{pk}/"
        token = browser.form_token(url)
        status, _, _ = browser.request(
            url,
            {"action": "retry", "csrfmiddlewaretoken": token},
            headers={"Referer": url},
        )
        assert status == 302, f"gửi lại tin {pk} trên A không được"
    # The same job twice for one delivery (a duplicate in the queue): still one post.
    queue = Queue("default", connection=r)
    for _ in range(2):
        queue.enqueue(
            "loa.channels.jobs.delivery_send_job",
            queued_id,
            meta={"backend_name": "default"},
        )
    facebook = cluster.facebook
    expected = len(retried_ids) + 1
    wait_for(
        lambda: (
            facebook.total() >= expected
            and queue.count == 0
            and not StartedJobRegistry(queue=queue).get_job_ids()
        ),
        45,
        "các tin được gửi",
        cluster,
    )
    time.sleep(1.0)  # a second post would show up here
    assert facebook.total() == expected
    assert set(facebook.messages.values()) == {1}, facebook.messages
    rows = json.loads(
        next(
            line[5:]
            for line in cluster.python(CHECK).splitlines()
            if line.startswith("ROWS ")
        )
    )
    assert [(status, ok) for _, status, ok in rows] == [("sent", 1)] * expected

    # The cache is shared: the per-client question limit counts A and B together.
    if time.time() % 60 > 50:  # the limit counts per clock minute
        time.sleep(61 - time.time() % 60)
    asked = []
    for name in ("A", "B", "A", "B"):
        status, _, _ = browser.request(
            f"{web[name]}/api/assistant/ask",
            json.dumps({"question": "Nghị quyết 57 là gì?"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        asked.append(status)
    assert asked == [200] * RATE + [429] * (4 - RATE), asked

    # Redis stops. The cache only speeds things up: visitors, signed-in staff (sessions
    # are written through to the database) and residents asking go on from the database,
    # and /readyz reports the cache down. Redis comes back empty: all is ready again.
    redis_args = next(p.args for n, p in cluster.processes if n == "redis")
    for name, process in cluster.processes:
        if name == "redis":
            process.terminate()
            process.wait(timeout=10)
    cluster.processes = [(n, p) for n, p in cluster.processes if n != "redis"]
    for name, base in web.items():
        assert http_status(f"{base}/readyz") == 503, name
        assert Browser().request(f"{base}/")[0] == 200, name
        status, html, _ = browser.request(f"{base}/kenh/giao/")
        assert status == 200 and f"/kenh/giao/{retried_ids[0]}/" in html, name
        status, body, _ = browser.request(
            f"{base}/api/assistant/ask",
            json.dumps({"question": "Nghị quyết 57 là gì?"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert status == 200 and json.loads(body)["answer"], name
    cluster.start("redis", redis_args)
    for name, base in web.items():
        wait_for(
            lambda base=base: http_status(f"{base}/readyz") == 200,
            30,
            f"/readyz của web {name} sau khi Redis chạy lại",
        )

    # Redis came back empty: the running workers book the recurring jobs again, once.
    def rebooked():
        ids = ScheduledJobRegistry("default", connection=r).get_job_ids()
        jobs = Counter(
            job.func_name for job in Job.fetch_many(ids, connection=r) if job
        )
        return jobs == booked

    wait_for(rebooked, 30, "các việc định kỳ được đặt lại", cluster)
