"""Liveness and readiness probes for the load balancer and the process supervisor.

`/healthz` only says the process answers (no database access). `/readyz` checks the
database, the cache and the task queue; it never raises and reports no personal data.

With the database queue (the embedded setup, where `loa serve` runs the worker next to
the web) the queue check also measures how long the oldest job whose time has come has
waited without a worker taking it ("oldest_waiting_job_seconds" in the answer, null when
none waits): past LOA_READY_MAX_JOB_DELAY_SECONDS the worker is dead or stuck, and
deliveries, scheduled publishing and urging have stopped, so /readyz answers 503.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

OK = "ok"


FAILURES = {
    "database": "không truy vấn được cơ sở dữ liệu",
    "cache": "không ghi/đọc được bộ đệm",
    "queue": "không truy cập được hàng đợi tác vụ",
}


def _error(name: str, exc: BaseException) -> str:
    # The exception class only: its message may carry hosts, paths or credentials.
    return f"lỗi: {FAILURES[name]} ({type(exc).__name__})"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    if not row or row[0] != 1:
        return "lỗi: cơ sở dữ liệu trả về kết quả không đúng"
    return OK


def check_cache() -> str:
    # A unique, short-lived key: concurrent probes never collide and nothing lingers.
    key = f"loa:readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache = caches["strict"]  # the "default" name hides a Redis failure as a miss
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        return "lỗi: bộ đệm không trả lại giá trị vừa ghi"
    return OK


def oldest_waiting_job_seconds(backend_alias: str) -> int | None:
    """Return how long the oldest due, not yet started job of a database queue waited."""
    from django.db.models import Min, Q
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A job to run at once has run_after = the far future (django-tasks-db's own
    # convention) and is due since it was queued; a scheduled one since its run_after.
    never = get_date_max()
    due = (
        DBTaskResult.objects.ready()
        .filter(backend_name=backend_alias)
        .aggregate(
            queued=Min("enqueued_at", filter=Q(run_after=never)),
            scheduled=Min("run_after", filter=~Q(run_after=never)),
        )
    )
    times = [at for at in due.values() if at is not None]
    if not times:
        return None
    return max(0, int((timezone.now() - min(times)).total_seconds()))


def check_queue() -> str | tuple[str, dict]:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    module = type(backend).__module__
    if module.startswith("django_tasks_db"):
        waited = oldest_waiting_job_seconds(DEFAULT_TASK_BACKEND_ALIAS)
        figures = {"oldest_waiting_job_seconds": waited}
        limit = settings.LOA_READY_MAX_JOB_DELAY_SECONDS
        if limit and waited is not None and waited > limit:
            return (
                f"lỗi: có việc nền đến hạn đã chờ {waited} giây mà chưa được xử lý"
                f" (quá {limit} giây): tiến trình xử lý nền đã dừng hoặc bị treo",
                figures,
            )
        return OK, figures
    if module.startswith("django_tasks_rq"):
        import django_rq

        for queue_name in backend.queues:
            django_rq.get_queue(queue_name).connection.ping()
        # No waiting-time check here: with Redis the workers are processes of their own
        # (loa-worker@N, possibly on other hosts) watched by systemd, and a web process
        # that serves well must not be taken out of the load balancer because of them.
    # Other backends (immediate, dummy) have nothing external to reach.
    return OK


CHECKS = {"database": check_database, "cache": check_cache, "queue": check_queue}


def _run(name: str) -> tuple[str, dict]:
    """Return a check's verdict and the figures it measured (possibly none)."""
    try:
        outcome = CHECKS[name]()
    except Exception as exc:  # noqa: BLE001 - a probe must answer, not crash
        logger.warning("readyz: %s check failed", name, exc_info=True)
        return _error(name, exc), {}
    if isinstance(outcome, tuple):
        return outcome
    return outcome, {}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    figures: dict = {}
    try:
        results = {}
        for name in CHECKS:
            results[name], measured = _run(name)
            figures.update(measured)
    except Exception as exc:  # noqa: BLE001 - never raise
        results = {name: _error(name, exc) for name in CHECKS}
        figures = {}
    status = 200 if all(v == OK for v in results.values()) else 503
    return JsonResponse(
        {**results, **figures}, status=status, json_dumps_params={"ensure_ascii": False}
    )
