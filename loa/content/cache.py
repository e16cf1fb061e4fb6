"""Cache of rendered public pages for anonymous visitors.

Every key carries a site-wide content version; publishing, unpublishing, moving or
deleting any page bumps it, so one publish invalidates every cached page at once (a
page lists its siblings, the home page lists every section: per-page invalidation would
miss them). Old entries simply expire.
"""

from __future__ import annotations

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "loa:content:version"
# The house layout puts a CSRF token in <body hx-headers>; a cached copy gets the
# visitor's own token back in its place.
_CSRF_RE = re.compile(r'("X-CSRFToken": ")[A-Za-z0-9]{32,64}(")')
_CSRF_PLACEHOLDER = "__LOA_CSRF_TOKEN__"
HIT_HEADER = "X-Loa-Cache"


def cache_seconds() -> int:
    return int(getattr(settings, "LOA_PAGE_CACHE_SECONDS", 600))


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


def page_cache_key(request) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:40]
    return f"loa:content:page:{content_version()}:{digest}"


def is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.COOKIES.get(
        settings.SESSION_COOKIE_NAME
    ):
        return False  # decided without touching the session or the user
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
    entry = cache.get(page_cache_key(request))
    if entry is None:
        return None
    content = entry["content"]
    if _CSRF_PLACEHOLDER in content:
        content = content.replace(_CSRF_PLACEHOLDER, get_token(request))
    response = HttpResponse(content, content_type=entry["content_type"])
    response[HIT_HEADER] = "hit"
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
    ):
        return
    content = response.content.decode(response.charset or "utf-8")
    if "csrfmiddlewaretoken" in content:  # a page with a form belongs to its visitor
        return
    content = _CSRF_RE.sub(r"\g<1>" + _CSRF_PLACEHOLDER + r"\g<2>", content)
    cache.set(
        page_cache_key(request),
        {"content": content, "content_type": response["Content-Type"]},
        timeout=cache_seconds(),
    )
    response[HIT_HEADER] = "miss"
