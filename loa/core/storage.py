"""Uploaded files on the local disk, refused cleanly when the disk is full.

Django's FileSystemStorage lets a full disk (ENOSPC, or a quota: EDQUOT) escape as an
OSError: the visitor gets the generic error page, and the half-written file stays in
MEDIA_ROOT. Here the half-written file is removed and the error becomes a
ValidationError with a Vietnamese sentence, which the upload forms (plans, activity
evidence) show next to the form. Files already stored are never touched.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)

DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
DISK_FULL_MESSAGE = (
    "Máy chủ đã hết dung lượng lưu trữ nên tệp chưa được lưu. Vui lòng báo cán bộ "
    "quản trị hệ thống giải phóng dung lượng rồi gửi lại; các tệp đã lưu trước đó "
    "không bị ảnh hưởng."
)


class DiskFullError(ValidationError):
    """The upload did not fit on the disk; nothing of it was kept."""

    def __init__(self):
        super().__init__(DISK_FULL_MESSAGE, code="disk_full")


class LoaFileSystemStorage(FileSystemStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saving = threading.local()

    def get_available_name(self, name, max_length=None):
        name = super().get_available_name(name, max_length=max_length)
        # FileSystemStorage._save picks another name when it lost a race for this one.
        self._saving.name = name
        return name

    def _save(self, name, content):
        self._saving.name = name
        try:
            return super()._save(name, content)
        except OSError as exc:
            if exc.errno not in DISK_FULL_ERRNOS:
                raise
            if not getattr(self, "_allow_overwrite", False):
                # Opened with O_EXCL: the file under the name in use is this upload's
                # partial copy, never an older file.
                with contextlib.suppress(OSError):
                    os.remove(self.path(self._saving.name))
            logger.error("Upload not stored, the disk is full: %s", name)
            raise DiskFullError() from exc
