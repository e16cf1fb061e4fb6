"""Search of the ward's portal: its articles and guides, with or without diacritics."""

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Site

from ..search import MAX_QUERY_CHARS, query_terms
from ..selectors import page_search

RESULTS_PER_PAGE = 10


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
