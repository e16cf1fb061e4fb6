"""Serve cached portal pages before Wagtail's site and page lookups."""

from django.urls import Resolver404, resolve

from .cache import cached_response

# Wagtail's pages, and `/` which shows the portal's home page to visitors.
PORTAL_URL_NAMES = frozenset({"wagtail_serve", "home"})


def _is_portal_path(path: str) -> bool:
    """Only paths Wagtail serves can be cached pages; everything else is left alone."""
    try:
        return resolve(path).url_name in PORTAL_URL_NAMES
    except Resolver404:
        return False


class PageCacheMiddleware:
    """A cache hit for an anonymous visitor costs two cache reads and nothing else.

    Only pages the portal stored (public Wagtail pages without view restrictions) are
    ever in the cache, so any hit is safe to serve to anyone without a session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and _is_portal_path(request.path_info):
            hit = cached_response(request)
            if hit is not None:
                return hit
        return self.get_response(request)
