"""Serve cached portal pages before URL routing and Wagtail's site and page lookups."""

from .cache import cached_response


class PageCacheMiddleware:
    """A cache hit for an anonymous visitor costs two cache reads and nothing else.

    Only pages the portal stored (public Wagtail pages without view restrictions) are
    ever in the cache, so any hit is safe to serve to anyone without a session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    # Never portal pages: no cache read for them (the API, probes, admins, files).
    SKIP = ("/api/", "/healthz", "/readyz", "/cms/", "/django-admin/", "/static/", "/media/")

    def __call__(self, request):
        if request.path.startswith(self.SKIP):
            return self.get_response(request)
        hit = cached_response(request)
        if hit is not None:
            return hit
        return self.get_response(request)
