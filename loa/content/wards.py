"""Which ward a Wagtail page belongs to, and the page's links on that ward's address."""

from __future__ import annotations

from loa.core.models import Ward
from loa.core.selectors import ward_for_public


def ward_for_page(page) -> Ward | None:
    """Return the ward whose portal holds the page, else the only active ward.

    A ward's portal is its Wagtail site: the page belongs to the ward whose site's root
    page is the page itself or one of its ancestors (the deepest one, should portals
    ever nest).
    """
    if getattr(page, "path", None):
        ward = (
            Ward.objects.filter(site__root_page__in=page.get_ancestors(inclusive=True))
            .order_by("-site__root_page__depth")
            .first()
        )
        if ward is not None:
            return ward
    return ward_for_public(None)


def page_public_root(page, *, ward: Ward | None = None) -> str:
    """Return the address the page's links start with, "scheme://host[:port]".

    The ward's configured address (`ward`, else the page's own ward); only a page no
    ward can be found for keeps its Wagtail site's address.
    """
    ward = ward or ward_for_page(page)
    if ward is not None:
        return ward.public_url
    parts = page.get_url_parts()
    return (parts[1] or "").rstrip("/") if parts else ""


def page_public_url(page, *, ward: Ward | None = None, request=None) -> str:
    """Return the page's full link on its ward's address ("" for a page with no URL).

    The path is Wagtail's (relative to the portal's root); the scheme and host are the
    ward's, whatever host the page was reached at or rendered for.
    """
    parts = page.get_url_parts(request)
    if parts is None:
        return ""
    return page_public_root(page, ward=ward) + parts[2]
