"""`/`: the portal's home page for visitors, the plan list for staff."""

from django.shortcuts import redirect
from wagtail import views as wagtail_views
from wagtail.models import Site

from loa.core import views as core_views

from ..models import HomePage


def home(request):
    """`/`: staff go to their work (as before); everyone else reads the portal.

    Until the starter content made a portal HomePage the site root, visitors get the
    house landing page.
    """
    if request.user.is_authenticated:
        return redirect("plans:plan_list")
    site = Site.find_for_request(request)
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return wagtail_views.serve(request, "")
    return core_views.home(request)
