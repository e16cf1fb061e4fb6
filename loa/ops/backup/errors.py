"""What goes wrong: the user's error, a corrupt archive and the words that explain it."""

from __future__ import annotations

import gzip
import json
import tarfile
import zipfile
import zlib
from pathlib import Path


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the user (Vietnamese)."""


class _Corrupt(Exception):
    """The archive cannot be trusted; the message says why (Vietnamese)."""


_READ_ERRORS = (
    _Corrupt,
    tarfile.TarError,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    gzip.BadGzipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    TypeError,
    UnicodeDecodeError,
)


def _corrupt_message(path: Path, reason: str) -> str:
    return (
        f"Tệp sao lưu {path.name} bị hỏng hoặc không đầy đủ ({reason}): "
        "không khôi phục, dữ liệu hiện tại giữ nguyên."
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, _Corrupt):
        return str(exc)
    if isinstance(exc, EOFError | zlib.error | gzip.BadGzipFile | tarfile.ReadError):
        return "tệp nén bị cắt cụt hoặc sai dữ liệu"
    if isinstance(exc, zipfile.BadZipFile):
        return "tệp .zip bị cắt cụt hoặc sai dữ liệu"
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return "manifest.json không đọc được"
    if isinstance(exc, KeyError | ValueError | TypeError):
        return "manifest.json sai cấu trúc"
    if isinstance(exc, OSError):
        return f"lỗi đọc tệp: {exc.strerror or exc}"
    return type(exc).__name__
