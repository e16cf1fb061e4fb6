"""Reads of the portal: diacritic-insensitive search."""

from __future__ import annotations

from .models import ArticlePage, GuidePage
from .search import folded_words, query_terms

MAX_RESULTS = 200


def page_search(*, query: str) -> list:
    """Return live public articles and guides whose text has every word of the query.

    Both sides are folded (no diacritics, lowercase), so "chuyen doi so" finds
    "chuyển đổi số". Pages with the whole phrase, then with it in the title, come first.
    """
    terms = query_terms(query)
    if not terms:
        return []
    phrase = " " + " ".join(terms) + " "
    results = []
    for model in (ArticlePage, GuidePage):
        qs = model.objects.live().public()
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
