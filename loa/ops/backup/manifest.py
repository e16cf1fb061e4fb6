"""Reading an archive whole and checking it against its manifest."""

from __future__ import annotations

import json
from pathlib import Path

from .archive import _copy_hashing, _members
from .errors import _READ_ERRORS, BackupError, _Corrupt, _corrupt_message, _reason
from .layout import (
    ENGINE_NAMES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_MAX_BYTES,
    POSTGRES_MEMBER,
    SQLITE_MEMBER,
)


def read_manifest(path: str | Path) -> dict:
    """Read the whole archive, check it against its manifest and return the manifest."""
    path = Path(path)
    seen: dict[str, tuple[int, str]] = {}
    manifest_bytes = None
    try:
        for member in _members(path):
            if member.name in seen or (
                member.name == MANIFEST and manifest_bytes is not None
            ):
                raise _Corrupt(f"tệp {member.name} xuất hiện hai lần")
            if member.name == MANIFEST:
                if member.size > MANIFEST_MAX_BYTES:
                    raise _Corrupt("manifest.json quá lớn")
                manifest_bytes = member.stream.read()
                continue
            seen[member.name] = (
                member.size,
                _copy_hashing(member.stream, None, member.size),
            )
        if manifest_bytes is None:
            raise _Corrupt("thiếu manifest.json")
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        _check_manifest_shape(manifest)
    except _READ_ERRORS as exc:
        raise BackupError(_corrupt_message(path, _reason(exc))) from exc
    listed = {f["path"]: (f["size"], f["sha256"]) for f in manifest["files"]}
    if len(listed) != len(manifest["files"]):
        raise BackupError(_corrupt_message(path, "manifest.json liệt kê trùng tệp"))
    for name in sorted(listed.keys() - seen.keys()):
        raise BackupError(_corrupt_message(path, f"thiếu tệp {name}"))
    for name in sorted(seen.keys() - listed.keys()):
        raise BackupError(
            _corrupt_message(path, f"tệp lạ {name} không có trong manifest.json")
        )
    for name, (size, sha256) in sorted(listed.items()):
        if seen[name] != (size, sha256):
            raise BackupError(
                _corrupt_message(path, f"tệp {name} sai mã kiểm tra sha256")
            )
    if manifest["database"]["file"] not in listed:
        raise BackupError(_corrupt_message(path, "thiếu tệp CSDL"))
    return manifest


def _check_manifest_shape(manifest) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _Corrupt("không phải bản sao lưu của Loa")
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise _Corrupt("manifest.json thiếu phiên bản định dạng")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu dùng định dạng {version}, mới hơn định dạng bản Loa này đọc được "
            f"({FORMAT_VERSION}): hãy nâng cấp Loa rồi khôi phục."
        )
    database = manifest.get("database")
    files = manifest.get("files")
    migrations = manifest.get("migrations")
    if (
        not isinstance(database, dict)
        or database.get("engine") not in ENGINE_NAMES
        or database.get("file") not in (SQLITE_MEMBER, POSTGRES_MEMBER)
        or not isinstance(files, list)
        or not isinstance(migrations, dict)
        or not all(
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and isinstance(f.get("size"), int)
            and isinstance(f.get("sha256"), str)
            for f in files
        )
    ):
        raise _Corrupt("manifest.json sai cấu trúc")
