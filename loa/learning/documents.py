"""Printable documents of Bình dân học vụ số: certificates, lesson handouts, and the
public verification of a certificate code.

PDFs go through `loa.core.pdf` (WeasyPrint, data: URIs only) and QR codes through
`loa.core.qr`.
"""

import re

from django.utils import timezone
from django.utils.safestring import mark_safe

from loa.core.markdown import render_document
from loa.core.pdf import pdf_from_template
from loa.core.qr import qr_data_uri
from loa.vn import fold, format_date

from .models import Certificate, Lesson

NATIONAL_PLATFORM = "binhdanhocvuso.gov.vn"

# Letters people type between groups, or pick up when copying from a PDF.
_CODE_NOISE = re.compile(r"[\s\-‐-―_.]+")


def normalise_code(code: str) -> str:
    """Return the code as stored: upper-case, without spaces or dashes."""
    return _CODE_NOISE.sub("", code or "").upper()


def verification_url(*, code: str, base_url: str) -> str:
    """Return the public verification address printed and encoded on a certificate."""
    return f"{base_url.rstrip('/')}/xac-minh/{code}/"


def lesson_url(*, lesson: Lesson, base_url: str) -> str:
    """Return the address of the lesson page, as encoded on its handout."""
    return f"{base_url.rstrip('/')}/hoc/bai/{lesson.slug}/"


def certificate_context(*, certificate: Certificate, base_url: str) -> dict:
    """Return what the certificate template shows, including the QR code."""
    learner = certificate.learner
    ward = learner.ward
    issued_on = timezone.localtime(certificate.issued_at).date()
    url = verification_url(code=certificate.code, base_url=base_url)
    return {
        "certificate": certificate,
        "learner_name": learner.name,
        "course_title": certificate.course.title,
        "authority_name": ward.authority_name,
        "ward": ward,
        "place": ward.name,
        "issued_on_words": format_date(issued_on),
        "code": certificate.code,
        "verification_url": url,
        "qr": qr_data_uri(url),
        "national_platform": NATIONAL_PLATFORM,
    }


def certificate_pdf(*, certificate: Certificate, base_url: str) -> bytes:
    """Render the certificate as an A4 landscape PDF with its code and QR code."""
    context = certificate_context(certificate=certificate, base_url=base_url)
    return pdf_from_template("learning/certificate_pdf.html", context)


def handout_context(*, lesson: Lesson, base_url: str) -> dict:
    """Return what the handout template shows, including the QR code to the lesson.

    Lessons are shared by every ward: `base_url` is the public address of the ward the
    handout is printed for (`ward.public_url`).
    """
    url = lesson_url(lesson=lesson, base_url=base_url)
    return {
        "lesson": lesson,
        "course": lesson.course,
        # Sanitised by nh3 in render_document: only plain text tags and http(s) links.
        "body": mark_safe(render_document(lesson.body)),  # noqa: S308
        "lesson_url": url,
        "qr": qr_data_uri(url),
        "national_platform": NATIONAL_PLATFORM,
    }


def handout_pdf(*, lesson: Lesson, base_url: str) -> bytes:
    """Render a lesson as an A4 handout in large print, with a QR code to its page."""
    return pdf_from_template(
        "learning/handout_pdf.html", handout_context(lesson=lesson, base_url=base_url)
    )


def verification(code: str, *, ward=None) -> dict | None:
    """Return what the public may know of a valid certificate, or None.

    Unknown, forged and revoked codes all give None, so the page cannot tell them apart.
    Only the name and the course are disclosed, with the date and the issuing ward:
    never the year of birth, the phone number or the tổ dân phố. With `ward`, only that
    ward's certificates (each ward verifies what it issued, at its own address).
    """
    normalised = normalise_code(code)
    if (
        not normalised
        or len(normalised) > Certificate._meta.get_field("code").max_length
    ):
        return None
    certificate = (
        Certificate.objects.select_related("learner__ward", "course")
        .filter(code=normalised, is_revoked=False)
        .filter(**({"learner__ward": ward} if ward is not None else {}))
        .first()
    )
    if certificate is None:
        return None
    return {
        "name": certificate.learner.name,
        "course": certificate.course.title,
        "issued_on": timezone.localtime(certificate.issued_at).date(),
        "ward": certificate.learner.ward.authority_name,
    }


def ascii_filename(name: str) -> str:
    """Fold a Vietnamese file name to safe ASCII: "Giấy chứng nhận" → "Giay-chung-nhan"."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", fold(stem)).strip("-") or "tai-lieu"
    return f"{stem}.{ext}" if ext else stem
