"""Reads of the portal: diacritic-insensitive search."""

from __future__ import annotations

from .models import ArticlePage, GuidePage
from .search import folded_words, query_terms

MAX_RESULTS = 200


def site_pages(model, site):
    """Live public pages of one type on one site (a ward's portal), or none."""
    if site is None:
        return model.objects.none()
    return model.objects.live().public().descendant_of(site.root_page, inclusive=True)


def page_search(*, query: str, site) -> list:
    """Return the site's live public articles and guides that have every word of the query.

    Both sides are folded (no diacritics, lowercase), so "chuyen doi so" finds
    "chuyển đổi số". Pages with the whole phrase, then with it in the title, come first.
    """
    terms = query_terms(query)
    if not terms:
        return []
    phrase = " " + " ".join(terms) + " "
    results = []
    for model in (ArticlePage, GuidePage):
        qs = site_pages(model, site)
        for term in terms:
            qs = qs.filter(search_text_folded__contains=f" {term} ")
        results.extend(qs.order_by("-first_published_at")[:MAX_RESULTS])

    def rank(page):
        title = " " + " ".join(folded_words(page.title)) + " "
        return (
            phrase in title,
            phrase in page.search_text_folded,
            page.first_published_at.timestamp() if page.first_published_at else 0,
        )

    results.sort(key=rank, reverse=True)
    return results
