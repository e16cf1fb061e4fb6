"""Every PDF Loa makes is an HTML template laid out by WeasyPrint, through here.

The fonts are the Noto family from Debian's fonts-noto-core, which cover every Vietnamese
letter. Rendering fetches nothing but data: URIs (QR codes, pictures handed over as
data): a link typed by a user into a lesson, an article or a report can never make the
server open a URL or read a file.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# WeasyPrint logs seven INFO lines per document; the root logger runs at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def html_layout(html: str):
    """The laid-out document (pages can be counted before writing the PDF)."""
    return HTML(
        string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})
    ).render()


def pdf_from_html(html: str) -> bytes:
    return html_layout(html).write_pdf()


def pdf_from_template(template: str, context: dict) -> bytes:
    return pdf_from_html(render_to_string(template, context))
