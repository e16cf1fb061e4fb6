"""Cache of rendered public pages for anonymous visitors.

Every key carries a site-wide content version; publishing, unpublishing, moving or
deleting any page bumps it, so one publish invalidates every cached page at once (a
page lists its siblings, the home page lists every section: per-page invalidation would
miss them). Old entries simply expire.

Pages live in their own cache ("pages"), and the key keeps only the query parameters a
page reads (``trang``, the page number): ``/?x=1``, ``/?x=2``… are all the one cached
home page, so unique query strings can neither bypass the cache nor flood it, and
nothing else (rate-limit counters, the webhooks' duplicate keys) shares its table.

A cached page is the same for every anonymous visitor (it holds no CSRF token and sets
no cookie), so nginx may keep it too for a few seconds: such responses carry
``X-Accel-Expires`` (``LOA_EDGE_CACHE_SECONDS``) and deploy/nginx/loa-page-cache.conf
caches only what carries it. A publish then reaches visitors within those seconds.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse

VERSION_KEY = "loa:content:version"
HIT_HEADER = "X-Loa-Cache"
# nginx's own cache time for a response (it never passes the header on to the visitor).
EDGE_HEADER = "X-Accel-Expires"


def cache_seconds() -> int:
    return int(getattr(settings, "LOA_PAGE_CACHE_SECONDS", 600))


def edge_cache_seconds() -> int:
    return int(getattr(settings, "LOA_EDGE_CACHE_SECONDS", 10))


def _mark(response: HttpResponse, status: str) -> None:
    response[HIT_HEADER] = status
    if edge_cache_seconds() > 0:
        response[EDGE_HEADER] = str(edge_cache_seconds())


def content_version() -> int:
    """Return the current content version (created on first use)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def content_version_bump() -> int:
    """Start a new content version; every cached page is then stale."""
    # A clock value, not a counter: a lost key can never bring an old version back.
    version = max(time.time_ns(), (cache.get(VERSION_KEY) or 0) + 1)
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def _page_number(request) -> str | None:
    """The one query parameter portal pages read (loa.content.models: `trang`) as a
    plain number, "" without one; None when it is something else (not cached: the
    paginator would show page 1 or the last page for it)."""
    value = request.GET.get("trang")
    if value is None:
        return ""
    return value if value.isascii() and value.isdigit() and len(value) <= 4 else None


def page_cache_key(request) -> str:
    raw = f"{request.get_host()}|{request.path}|{_page_number(request)}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:40]
    return f"loa:content:page:{content_version()}:{digest}"


def is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.COOKIES.get(
        settings.SESSION_COOKIE_NAME
    ):
        return False  # decided without touching the session or the user
    if _page_number(request) is None:
        return False
    user = getattr(request, "user", None)
    return (
        not (user is not None and user.is_authenticated)
        and not getattr(request, "is_preview", False)
        and not getattr(request, "is_dummy", False)
    )


def cached_response(request) -> HttpResponse | None:
    """Return the cached page for this anonymous request, if any."""
    if not is_cacheable_request(request):
        return None
    entry = caches["pages"].get(page_cache_key(request))
    if entry is None:
        return None
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    _mark(response, "hit")
    return response


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and (storage.used or len(storage)))


def cache_store(request, response) -> None:
    """Keep a rendered page for later anonymous visitors when it is safe to share."""
    if not is_cacheable_request(request) or response.status_code != 200:
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if (
        response.cookies
        or response.has_header("Cache-Control")
        or _has_messages(request)
        # A page that used the visitor's CSRF token (a form) belongs to that visitor.
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        return
    caches["pages"].set(
        page_cache_key(request),
        {
            "content": response.content.decode(response.charset or "utf-8"),
            "content_type": response["Content-Type"],
        },
        timeout=cache_seconds(),
    )
    _mark(response, "miss")
