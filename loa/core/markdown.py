"""Markdown (knowledge documents, course lessons) as safe HTML with an anchor per section."""

import re

import markdown
import nh3

from loa.vn import fold_lower

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "br",
    "blockquote",
    "code",
}


def section_anchor(heading: str) -> str:
    """A stable ASCII anchor for a heading: "Các bước kích hoạt" → "cac-buoc-kich-hoat"."""
    return re.sub(r"[^a-z0-9]+", "-", fold_lower(heading)).strip("-") or "muc"


def render_document(text: str) -> str:
    """Markdown to sanitised HTML; headings get the anchors that citations link to."""
    md = markdown.Markdown(
        extensions=["toc", "sane_lists"],
        extension_configs={
            "toc": {"slugify": lambda value, separator: section_anchor(value)}
        },
    )
    html = md.convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"h1"},
        attributes={"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}},
        url_schemes={"http", "https", "mailto"},
    )
