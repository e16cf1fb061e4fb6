"""The portal's Wagtail images under MEDIA_ROOT, served by Loa when no web server does.

Under `loa serve` (gunicorn, no nginx) nothing else answers /media/, so the pictures of
portal articles would be broken. Only Wagtail's two image folders are public:
`original_images/` (uploads, re-encoded without metadata by loa.content.image_forms) and
`images/` (renditions). Everything else under MEDIA_ROOT stays private and answers 404
here: plan files (`plans/`), activity evidence (`evidence/`), documents (`documents/`)
and radio segments (`radio/`) each have a view that checks who asks.

Behind nginx, `LOA_SERVE_MEDIA=0` leaves the images to deploy/nginx/loa.conf.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
)
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

PUBLIC_FOLDERS = ("original_images", "images")

# What Wagtail can store (WAGTAILIMAGES_EXTENSIONS and the rendition output formats).
# An SVG is left out on purpose: opened directly, it runs scripts on our origin.
CONTENT_TYPES = {
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}

# A day, not a year: names are not content hashes. A rendition is named after the
# original's file name and the filter, and the original keeps the name it was uploaded
# under, so an image deleted and uploaded again under the same name gets the same URLs.
MAX_AGE_SECONDS = 24 * 60 * 60


def is_enabled() -> bool:
    # DEBUG keeps what `static(MEDIA_URL)` gave `runserver`, for these folders only.
    return bool(settings.LOA_SERVE_MEDIA or settings.DEBUG)


def public_image_file(path: str) -> Path | None:
    """Return the file of a public image path, or None for anything else.

    The path must be `<public folder>/<file name>` exactly, as Wagtail stores them: no
    sub-folder, no "..", no hidden file, a known image extension, and a regular file
    that (symbolic links resolved) stays inside its folder.
    """
    folder, _, name = path.partition("/")
    if folder not in PUBLIC_FOLDERS or not name:
        return None
    if "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
        return None
    if os.path.splitext(name)[1].lower() not in CONTENT_TYPES:
        return None
    root = (Path(settings.MEDIA_ROOT) / folder).resolve()
    try:
        resolved = (root / name).resolve()
    except (OSError, RuntimeError):
        return None
    if resolved.parent != root or not resolved.is_file():
        return None
    return resolved


@require_safe
def public_image(request: HttpRequest, path: str) -> HttpResponse:
    if not is_enabled():
        raise Http404("Không tìm thấy ảnh.")
    file = public_image_file(path)
    if file is None:
        raise Http404("Không tìm thấy ảnh.")
    stat = file.stat()
    if not was_modified_since(
        request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime
    ):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            file.open("rb"),
            content_type=CONTENT_TYPES[file.suffix.lower()],
        )
    response.headers["Last-Modified"] = http_date(stat.st_mtime)
    patch_cache_control(response, public=True, max_age=MAX_AGE_SECONDS)
    return response
