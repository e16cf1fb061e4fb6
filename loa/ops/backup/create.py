"""`loa backup`: the database first, then media, indexes and the key file, the manifest
last, written to a partial file that is renamed into place."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

from .archive import _archive_kind, _ArchiveWriter
from .database import (
    _applied_migrations,
    _engine,
    _pg_dump,
    _server_version,
    _sqlite_snapshot,
)
from .errors import BackupError
from .layout import (
    FORMAT,
    FORMAT_VERSION,
    INDEXES_PREFIX,
    MANIFEST,
    MEDIA_PREFIX,
    POSTGRES_MEMBER,
    SECRET_KEY_MEMBER,
    SQLITE_MEMBER,
    _fsync_dir,
    _now,
    _token,
    generated_secret_key_file,
    indexes_root,
    media_root,
)


@dataclass
class BackupResult:
    path: Path
    engine: str
    size: int
    media_files: int
    index_files: int


def create_backup(output: str | Path, *, using: str = "default") -> BackupResult:
    """Write the archive to `output` (.tar.gz, .tgz or .zip); return what it holds."""
    output = Path(output).expanduser().resolve()
    kind = _archive_kind(output.name)
    if kind is None:
        raise BackupError(
            f"Tên tệp sao lưu phải có đuôi .tar.gz hoặc .zip (đã cho: {output.name})."
        )
    if not output.parent.is_dir():
        raise BackupError(f"Không có thư mục {output.parent} để ghi tệp sao lưu.")
    for root in (media_root(), indexes_root()):
        if _inside(output, root):
            raise BackupError(
                f"Không ghi tệp sao lưu vào {root}: thư mục này được sao lưu. "
                "Hãy chọn nơi khác."
            )
    connection = connections[using]
    engine = _engine(connection)
    partial = output.with_name(f".{output.name}.{_token()}.partial")
    try:
        with tempfile.TemporaryDirectory(
            prefix=".loa-backup-", dir=output.parent
        ) as work:
            work = Path(work)
            if engine == "sqlite":
                db_file, db_member = work / "loa.sqlite3", SQLITE_MEMBER
                migrations = _sqlite_snapshot(connection, db_file)
            else:
                db_file, db_member = work / "loa.pgdump", POSTGRES_MEMBER
                migrations = _applied_migrations(connection)
                _pg_dump(connection, db_file)
            # The database first: files uploaded meanwhile are only extra, never missing.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as raw:
                with _ArchiveWriter(raw, kind) as archive:
                    archive.add_file(db_member, db_file)
                    media = archive.add_tree(MEDIA_PREFIX, media_root())
                    indexes = archive.add_tree(
                        INDEXES_PREFIX, indexes_root(), skip_hidden=True
                    )
                    key_file = generated_secret_key_file()
                    if key_file is not None:
                        archive.add_file(SECRET_KEY_MEMBER, key_file)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": _now().isoformat(timespec="seconds"),
                        "loa_version": loa_version(),
                        "database": {
                            "engine": engine,
                            "file": db_member,
                            "server_version": _server_version(connection),
                        },
                        "migrations": migrations,
                        "files": archive.files,
                    }
                    archive.add_bytes(
                        MANIFEST,
                        json.dumps(manifest, ensure_ascii=False, indent=1).encode(),
                    )
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(partial, output)
        _fsync_dir(output.parent)
    except OSError as exc:
        raise BackupError(
            f"Không ghi được tệp sao lưu {output}: {exc.strerror or exc}."
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=output,
        engine=engine,
        size=output.stat().st_size,
        media_files=media,
        index_files=indexes,
    )


def loa_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("loa")
    except PackageNotFoundError:
        return "không rõ"


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
