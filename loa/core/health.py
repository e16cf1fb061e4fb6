"""Liveness and readiness probes for the load balancer and the process supervisor.

`/healthz` only says the process answers (no database access). `/readyz` checks the
database, the cache and the task queue; it never raises and reports no personal data.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
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


def check_queue() -> str:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    module = type(backend).__module__
    if module.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.only("pk").exists()
    elif module.startswith("django_tasks_rq"):
        import django_rq

        for queue_name in backend.queues:
            django_rq.get_queue(queue_name).connection.ping()
    # Other backends (immediate, dummy) have nothing external to reach.
    return OK


CHECKS = {"database": check_database, "cache": check_cache, "queue": check_queue}


def _run(name: str) -> str:
    try:
        return CHECKS[name]()
    except Exception as exc:  # noqa: BLE001 - a probe must answer, not crash
        logger.warning("readyz: %s check failed", name, exc_info=True)
        return _error(name, exc)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    try:
        results = {name: _run(name) for name in CHECKS}
    except Exception as exc:  # noqa: BLE001 - never raise
        results = {name: _error(name, exc) for name in CHECKS}
    status = 200 if all(v == OK for v in results.values()) else 503
    return JsonResponse(
        results, status=status, json_dumps_params={"ensure_ascii": False}
    )
