from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from wagtail import views as wagtail_views
from wagtail.models import Site

from loa.core import views as core_views

from .models import HomePage
from .search import MAX_QUERY_CHARS, query_terms
from .selectors import page_search

RESULTS_PER_PAGE = 10


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


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    terms = query_terms(query)
    page_obj = None
    if terms:
        page_obj = Paginator(
            page_search(query=query, site=Site.find_for_request(request)),
            RESULTS_PER_PAGE,
        ).get_page(request.GET.get("trang"))
    return render(
        request,
        "content/search.html",
        {"query": query, "terms": terms, "page_obj": page_obj},
    )
