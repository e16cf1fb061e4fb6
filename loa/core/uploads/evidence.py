"""Evidence: what an activity's evidence file may be, checked before it is stored."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from .errors import UploadError
from .images import image_reencode
from .kinds import IMAGE_KINDS, kind_name, sniff
from .office import check_office_zip
from .size import check_size

EVIDENCE_KINDS = {
    "jpeg": ".jpg",
    "png": ".png",
    "webp": ".webp",
    "gif": ".gif",
    "pdf": ".pdf",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "mp3": ".mp3",
    "m4a": ".m4a",
    "wav": ".wav",
    "mp4": ".mp4",
}


def evidence_clean(upload) -> UploadedFile:
    """Check an activity's evidence file and return what may be stored.

    Size first (declared, before reading), then the real type from the bytes: only
    ``EVIDENCE_KINDS``; a photo is re-encoded without metadata; a .docx/.xlsx passes the
    zip and XML guards. The returned file is named after its real type.
    """
    check_size(getattr(upload, "size", None))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    check_size(len(data))
    if not data:
        raise UploadError("Tệp minh chứng rỗng.", code="empty")
    kind = sniff(data)
    if kind not in EVIDENCE_KINDS:
        raise UploadError(
            f"Không nhận tệp minh chứng là {kind_name(kind)}; chỉ nhận ảnh (JPEG, PNG, "
            "WebP, GIF), PDF, Word .docx, Excel .xlsx, âm thanh (MP3, M4A, WAV) hoặc "
            "video MP4.",
            code="unsupported",
        )
    content_type = {
        "jpeg": "image/jpeg",
        "png": "image/png",
        "webp": "image/webp",
        "gif": "image/gif",
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "mp3": "audio/mpeg",
        "m4a": "audio/mp4",
        "wav": "audio/wav",
        "mp4": "video/mp4",
    }[kind]
    if kind in IMAGE_KINDS:
        data, _fmt = image_reencode(data)
    elif kind in ("docx", "xlsx"):
        check_office_zip(data)
    stem = Path(upload.name or "minh-chung").stem[:100] or "minh-chung"
    return SimpleUploadedFile(stem + EVIDENCE_KINDS[kind], data, content_type)
