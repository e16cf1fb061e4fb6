"""Writes of the portal that other apps ask for (the city library's copies)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.html import escape
from wagtail.models import Site
from wagtail.rich_text import RichText

from loa.core.models import Ward

from .models import ArticlePage, SectionPage


def ward_first_section(ward: Ward) -> SectionPage:
    """The first chuyên mục of the ward's own portal (never another ward's)."""
    site = Site.objects.filter(ward=ward).select_related("root_page").first()
    section = (
        SectionPage.objects.descendant_of(site.root_page).order_by("path").first()
        if site is not None
        else None
    )
    if section is None:
        raise ValidationError(
            "Cổng thông tin của phường chưa có chuyên mục để nhận bài."
        )
    return section


def article_draft_create(
    *, ward: Ward, title: str, sapo: str, paragraphs: list[str], by=None
) -> ArticlePage:
    """A draft article in the ward's portal, from plain paragraphs; it goes through the
    ward's approval like any other."""
    section = ward_first_section(ward)
    page = ArticlePage(
        title=title,
        sapo=sapo,
        body=[("paragraph", RichText(f"<p>{escape(p)}</p>")) for p in paragraphs],
        owner=by,
        live=False,
    )
    section.add_child(instance=page)
    page.save_revision(user=by, log_action=True)
    return page
