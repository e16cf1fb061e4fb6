from django import template
from wagtail.models import Site

from ..search import highlight, snippet

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_sections(context):
    """Return the live chuyên mục of the current site, for the portal menu."""
    from ..models import SectionPage

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(SectionPage.objects.child_of(site.root_page).live().public())


@register.simple_tag
def highlight_terms(text, terms):
    return highlight(text, terms)


@register.simple_tag
def search_snippet(page, terms):
    from ..models import stream_text

    specific = page.specific
    text = getattr(specific, "sapo", "") or getattr(specific, "intro", "")
    body = getattr(specific, "body", None) or getattr(specific, "steps", None)
    return snippet(f"{text} {stream_text(body)}", terms)
