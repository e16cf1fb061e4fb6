"""The .tar.gz / .zip writer that hashes every file, and the member reader that checks
every name and size."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from .errors import _Corrupt
from .layout import (
    CHUNK,
    DATABASE_PREFIX,
    INDEXES_PREFIX,
    MANIFEST,
    MEDIA_PREFIX,
    SECRET_KEY_MEMBER,
    _now,
)


def _archive_kind(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".zip"):
        return "zip"
    if lower.endswith((".tar.gz", ".tgz")):
        return "tar.gz"
    return None


class _HashingReader(io.RawIOBase):
    """Read at most `size` bytes of a file, hashing what was read."""

    def __init__(self, f, size: int):
        self._f, self._left = f, size
        self.sha256 = hashlib.sha256()
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0 or n > self._left:
            n = self._left
        data = self._f.read(n)
        self._left -= len(data)
        self.read_bytes += len(data)
        self.sha256.update(data)
        return data

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


class _ArchiveWriter:
    def __init__(self, raw, kind: str):
        self.kind = kind
        self.files: list[dict] = []
        if kind == "zip":
            self._zip = zipfile.ZipFile(
                raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
            )
        else:
            self._tar = tarfile.open(
                fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=6
            )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.kind == "zip":
            self._zip.close()
        else:
            self._tar.close()

    def _write(self, name: str, size: int, mtime: float, f) -> dict:
        reader = _HashingReader(f, size)
        if self.kind == "zip":
            info = zipfile.ZipInfo(name, date_time=_zip_time(mtime))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.file_size = size
            with self._zip.open(info, "w", force_zip64=size > 2**31) as out:
                shutil.copyfileobj(reader, out, CHUNK)
        else:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = size, int(mtime), 0o644
            self._tar.addfile(info, reader)
        if reader.read_bytes != size:
            raise OSError(f"{name}: tệp bị cắt ngắn trong khi sao lưu")
        entry = {"path": name, "size": size, "sha256": reader.sha256.hexdigest()}
        if name != MANIFEST:
            self.files.append(entry)
        return entry

    def add_file(self, name: str, path: Path) -> None:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            self._write(name, st.st_size, st.st_mtime, f)

    def add_bytes(self, name: str, data: bytes) -> None:
        self._write(name, len(data), _now().timestamp(), io.BytesIO(data))

    def add_tree(self, prefix: str, root: Path, *, skip_hidden: bool = False) -> int:
        """Add every regular file under root (symlinks are not followed); return how many.

        skip_hidden leaves out names starting with "." (the index's lock and the
        temporary directories of a save in progress)."""
        if not root.is_dir():
            return 0
        count = 0
        for directory, dirnames, filenames in os.walk(root):
            dirnames.sort()
            if skip_hidden:
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for filename in sorted(filenames):
                if skip_hidden and filename.startswith("."):
                    continue
                path = Path(directory) / filename
                if path.is_symlink() or not path.is_file():
                    continue
                name = prefix + path.relative_to(root).as_posix()
                try:
                    self.add_file(name, path)
                except FileNotFoundError:
                    continue  # removed while we walked (an old index version)
                count += 1
        return count


def _zip_time(mtime: float) -> tuple[int, int, int, int, int, int]:
    t = datetime.fromtimestamp(max(mtime, 315532800))  # zip cannot store before 1980
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


@dataclass
class _Member:
    name: str
    size: int
    stream: object  # a binary file object


def _members(path: Path) -> Iterator[_Member]:
    """The archive's files in order; raises on anything that is not a plain file."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic.startswith(b"PK"):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    raise _Corrupt(f"mục thư mục lạ {info.filename}")
                with archive.open(info) as stream:
                    yield _Member(_check_name(info.filename), info.file_size, stream)
    elif magic.startswith(b"\x1f\x8b"):
        with tarfile.open(path, mode="r|gz") as archive:
            for info in archive:
                if not info.isfile():
                    raise _Corrupt(f"mục không phải tệp thường {info.name}")
                stream = archive.extractfile(info)
                yield _Member(_check_name(info.name), info.size, stream)
    else:
        raise _Corrupt("không phải tệp .tar.gz hay .zip")


def _check_name(name: str) -> str:
    pure = PurePosixPath(name)
    if (
        pure.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
        or "\x00" in name
        or not (
            name in (MANIFEST, SECRET_KEY_MEMBER)
            or name.startswith((DATABASE_PREFIX, MEDIA_PREFIX, INDEXES_PREFIX))
        )
    ):
        raise _Corrupt(f"đường dẫn không hợp lệ {name!r}")
    return name


def _copy_hashing(stream, out, expected_size: int) -> str:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    if size != expected_size:
        raise _Corrupt("kích thước tệp trong kho nén không khớp")
    return digest.hexdigest()
