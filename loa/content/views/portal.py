"""`/`: the portal's home page for visitors, their landing page for staff."""

from wagtail import views as wagtail_views
from wagtail.models import Site

from loa.core import views as core_views

from ..models import HomePage


def home(request):
    """`/`: staff go to their landing page (loa.core.views.home: city staff the city
    dashboard); everyone else reads the portal.

    Until the starter content made a portal HomePage the site root, visitors get the
    house landing page.
    """
    if request.user.is_authenticated:
        return core_views.home(request)  # each account's own landing page
    site = Site.find_for_request(request)
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return wagtail_views.serve(request, "")
    return core_views.home(request)
