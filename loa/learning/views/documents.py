"""Certificate and handout downloads, and the public verification of a certificate."""

from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from loa.core.access import user_ward
from loa.core.selectors import public_ward_or_404, ward_for_request

from .. import documents, services
from ..models import Certificate, Lesson


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    # An ASCII name for old browsers and phone download managers, the Vietnamese one
    # (RFC 6266 filename*) for everyone else.
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{documents.ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def verify_form(request):
    code = request.GET.get("ma", "")
    if code.strip():
        normalised = documents.normalise_code(code)
        if normalised.isascii() and normalised.isalnum():
            return redirect("learning:verify", code=normalised)
        if normalised:
            # No certificate code has other characters; a "/" could not even be put
            # in the verification URL (it was a server error).
            context = {"code": normalised[:40], "found": None}
            return render(request, "learning/verify.html", context, status=404)
    return render(request, "learning/verify.html", {"show_form": True})


# Never cached: a revoked certificate must stop verifying at once.
@never_cache
@require_GET
def verify(request, code: str):
    found = documents.verification(code, ward=public_ward_or_404(request))
    context = {
        "code": documents.normalise_code(code)[:40],
        "found": found,
        "national_platform": documents.NATIONAL_PLATFORM,
    }
    return render(
        request, "learning/verify.html", context, status=200 if found else 404
    )


@never_cache
@require_GET
def certificate_download(request, code: str):
    certificate = get_object_or_404(
        Certificate.objects.select_related("learner__ward", "course"),
        code=documents.normalise_code(code),
        is_revoked=False,
    )
    learner = services.learner_from_request(request)
    is_owner = learner is not None and learner.pk == certificate.learner_id
    is_ward_staff = user_ward(request.user) == certificate.learner.ward
    if not (is_owner or is_ward_staff):
        # 404, not 403: a stranger must not learn that the code exists.
        raise Http404
    content = documents.certificate_pdf(
        certificate=certificate, base_url=certificate.learner.ward.public_url
    )
    filename = f"Giấy chứng nhận {certificate.course.title} {certificate.code}.pdf"
    response = _pdf_response(content, filename)
    # never_cache already forbids storing; "private" keeps shared caches away too.
    patch_cache_control(response, private=True)
    return response


@require_GET
def handout_download(request, slug: str):
    lesson = get_object_or_404(
        Lesson.objects.select_related("course"), slug=slug, course__is_published=True
    )
    # Lessons are shared by every ward: the QR leads to the ward the handout was taken at.
    ward = ward_for_request(request)
    base_url = ward.public_url if ward else settings.WAGTAILADMIN_BASE_URL
    content = documents.handout_pdf(lesson=lesson, base_url=base_url)
    response = _pdf_response(content, f"{lesson.title}.pdf")
    # The same for everyone and nothing personal: fine for any cache for a while.
    patch_cache_control(response, public=True, max_age=3600)
    return response
