"""The archive's member names and format, and the install's folders that go into it."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import datetime
from pathlib import Path

from django.conf import settings

FORMAT = "loa-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
INDEXES_PREFIX = "indexes/"
SQLITE_MEMBER = "database/loa.sqlite3"
SECRET_KEY_MEMBER = "secret/secret_key"  # noqa: S105 - a path in the archive
POSTGRES_MEMBER = "database/loa.pgdump"
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def indexes_root() -> Path:
    """LOA_DATA_DIR/indexes: the parent of the assistant's index directory."""
    return Path(settings.LOA_ASSISTANT_INDEX_DIR).resolve().parent


def generated_secret_key_file() -> Path | None:
    """The install's generated key file, if the running key is that file's key (and not
    a SECRET_KEY from the environment)."""
    path = getattr(settings, "LOA_SECRET_KEY_FILE", None)
    if path is None or not Path(path).is_file():
        return None
    try:
        key = Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(path) if key == settings.SECRET_KEY else None


def _now() -> datetime:
    from django.utils import timezone

    return timezone.localtime()


def _token() -> str:
    return secrets.token_hex(4)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
