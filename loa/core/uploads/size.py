"""Size: refuse a file over the site limit before its bytes are read or kept."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from .errors import UploadError

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 20 * MB


def max_upload_bytes() -> int:
    """The site-wide upload limit (settings.LOA_MAX_UPLOAD_BYTES)."""
    from django.conf import settings

    try:
        return int(getattr(settings, "LOA_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))
    except Exception:  # noqa: BLE001 - settings not configured (scripts, child processes)
        return DEFAULT_MAX_UPLOAD_BYTES


def _human(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f}".rstrip("0").rstrip(".") + " MB"
    return f"{max(size // 1024, 1)} KB"


def too_large(size: int, limit: int) -> UploadError:
    return UploadError(
        f"Tệp quá lớn ({_human(size)}); dung lượng tối đa là {_human(limit)}.",
        code="too_large",
    )


def check_size(size: int | None, limit: int | None = None) -> None:
    """Refuse by the declared size, before a byte is read."""
    limit = max_upload_bytes() if limit is None else limit
    if size is not None and size > limit:
        raise too_large(size, limit)


class _Discarded(io.RawIOBase):
    """The bytes of a file over the limit, which were never kept."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise UploadError(
            "Tệp vượt quá dung lượng cho phép nên không được lưu lại.", code="too_large"
        )


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the limit: its real size, none of its bytes."""

    def __init__(self, name: str, content_type: str, size: int, charset=None):
        super().__init__(_Discarded(), name, content_type, size, charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: stop keeping a file once it passes the site limit.

    The request body is still read to its end (the browser must get an answer), but the
    chunks past the limit go nowhere: the memory and temporary-file handlers after this one
    never see them. The form then finds an ``OversizedUpload`` whose size is over the limit
    and refuses it with its usual Vietnamese message; reading it raises ``UploadError``.
    What the later handlers kept of the file until then (a temporary file on disk, for
    an upload over FILE_UPLOAD_MAX_MEMORY_SIZE) is deleted at once: Django never hands
    it out, so nothing else would remove it before the request is garbage-collected,
    or ever if the process is killed meanwhile.
    """

    files_before: dict[int, object] | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = max_upload_bytes()
        self.received = 0
        # Which file each later handler holds now, before it starts one for this upload
        # (a handler keeps the file of an earlier field, already handed out, until then).
        self.files_before = {
            id(handler): getattr(handler, "file", None) for handler in self._later()
        }

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.files_before is not None:
                self._drop_later_copies()
            return None  # swallowed: later handlers get nothing more of this file
        return raw_data

    def _later(self) -> list[FileUploadHandler]:
        handlers = getattr(self.request, "upload_handlers", None) or []
        return [handler for handler in handlers if handler is not self]

    def _drop_later_copies(self) -> None:
        before, self.files_before = self.files_before or {}, None
        for handler in self._later():
            started = getattr(handler, "file", None)
            if started is not None and started is not before.get(id(handler)):
                # TemporaryFileUploadHandler closes and deletes its temporary file.
                handler.upload_interrupted()

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(
                self.file_name, self.content_type, self.received, self.charset
            )
        return None
