"""Fixed-window rate limits kept where page traffic cannot evict them.

Counters live in the "counters" cache (its own table without Redis, see settings), not
in the page cache: a stream of requests with unique query strings fills and culls the
page cache, and must never reset a limit on the way.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from .security import client_ip

logger = logging.getLogger(__name__)

TOO_FAST = "Bạn thao tác quá nhanh, vui lòng đợi một lát rồi thử lại."


def client_key(request) -> str:
    """Who is acting, for limits: the client address, hashed (no personal data kept)."""
    # The same address the login lockout uses: a client cannot forge it to dodge a limit.
    return hashlib.sha256(client_ip(request).encode()).hexdigest()[:16]


def limit_exceeded(*, scope: str, key: str, limit: int, seconds: int = 60) -> bool:
    """Count one action of `key` in `scope`; True once more than `limit` fall in a window."""
    counters = caches["counters"]
    window = int(time.time() // seconds)
    name = f"rate:{scope}:{key}:{window}"
    try:
        if counters.add(name, 1, timeout=seconds + 10):
            return limit < 1
        try:
            count = counters.incr(name)
        except ValueError:  # expired between the two calls
            counters.set(name, 1, timeout=seconds + 10)
            return limit < 1
    except Exception:  # noqa: BLE001 - a cache that does not answer (Redis down)
        # The "counters" cache is strict, for the webhooks' duplicate check; a limit is
        # only a brake: while it cannot count, nobody is held back.
        logger.warning("rate limit %s not counted: cache unavailable", scope)
        return False
    return count is not None and count > limit


def is_paused(*, scope: str, key: str) -> bool:
    """Whether `key` is in a pause `failure_record` started (checked before a try)."""
    try:
        return bool(caches["counters"].get(f"pause:{scope}:{key}"))
    except Exception:  # noqa: BLE001 - as in limit_exceeded: no brake while down
        return False


def failure_record(*, scope: str, key: str, limit: int, seconds: int = 60) -> None:
    """Count one failed try of `key`; past `limit` in a window, pause it `seconds`.

    For guesses (codes, keys): a failure is only known once the guess was checked, so
    the pause is kept apart and looked at before checking the next one, and right
    answers are never counted."""
    if limit_exceeded(scope=scope, key=key, limit=limit, seconds=seconds):
        try:
            caches["counters"].set(f"pause:{scope}:{key}", 1, timeout=seconds)
        except Exception:  # noqa: BLE001 - as in limit_exceeded: no brake while down
            logger.warning("pause %s not kept: cache unavailable", scope)


def too_many_requests(request, message: str = TOO_FAST) -> HttpResponse:
    """The Vietnamese page (or JSON for API calls) a client gets when it is over a limit."""
    if request.path.startswith("/api/") or request.headers.get("HX-Request"):
        return JsonResponse({"detail": message}, status=429)
    response = render(
        request, "core/too_many_requests.html", {"message": message}, status=429
    )
    response["Retry-After"] = "60"
    return response
