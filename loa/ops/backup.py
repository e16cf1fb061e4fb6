"""`loa backup` and `loa restore`: one archive with the database, media files and indexes.

The archive is a .tar.gz (default) or a .zip:

    database/loa.sqlite3        SQLite: a snapshot taken with sqlite3's online backup API
    database/loa.pgdump         PostgreSQL: `pg_dump --format=custom`
    media/...                   MEDIA_ROOT (evidence, plan files, images, documents)
    indexes/...                 the directory holding the assistant's index (and any other)
    secret/secret_key           the install's generated SECRET_KEY file, when it has one
    manifest.json               written last: format, created_at, database engine, Loa
                                version, applied migrations per app, every file with sha256

No setting and no environment variable goes into the archive (a SECRET_KEY set in the
environment, tokens). An install that runs on its generated key file (LOA_DATA_DIR/
secret_key, `make run`) has that file archived, so a restored install keeps its sessions
and links. The database itself holds accounts (password hashes) and personal data: keep
backups as safe as the server (the archive is created with mode 0600).

Restoring reads the whole archive once to check the manifest, the engine, the migrations
and every checksum before anything is written; a corrupt, truncated, tampered or foreign
archive is refused and nothing changes. It then unpacks into temporary places next to the
targets and swaps them in:

- SQLite: the staged file replaces the database file with os.replace() (atomic);
- PostgreSQL: one psql transaction drops the tables of the current schema and runs the
  script of `pg_restore --clean --if-exists`, so a failure leaves the database as it was,
  and tables of a newer schema do not survive next to an older backup;
- media and indexes: the staged directory is renamed into place;

then runs `migrate` so an older backup comes up to the current schema. Stop `loa serve`
and the workers before restoring: a process that keeps the old SQLite file open would
write into a file that is no longer the database.
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections

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


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the user (Vietnamese)."""


@dataclass
class BackupResult:
    path: Path
    engine: str
    size: int
    media_files: int
    index_files: int


@dataclass
class RestoreResult:
    path: Path
    engine: str
    created_at: str
    loa_version: str
    media_files: int
    index_files: int
    migrations_applied: list[str] = field(default_factory=list)


# -- locations -------------------------------------------------------------------------


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def indexes_root() -> Path:
    """LOA_DATA_DIR/indexes: the parent of the assistant's index directory."""
    return Path(settings.LOA_ASSISTANT_INDEX_DIR).resolve().parent


def loa_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("loa")
    except PackageNotFoundError:
        return "không rõ"


def _engine(connection) -> str:
    if connection.vendor not in ENGINE_NAMES:
        raise BackupError(
            f"Chỉ sao lưu, khôi phục được CSDL SQLite hoặc PostgreSQL "
            f"(đang dùng {connection.vendor})."
        )
    return connection.vendor


def _token() -> str:
    return secrets.token_hex(4)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


# -- backup ----------------------------------------------------------------------------


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


def _server_version(connection) -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    version = connection.pg_version
    return f"{version // 10000}.{version % 10000}"


def _sqlite_snapshot(connection, target: Path) -> dict[str, list[str]]:
    """Copy the live database with the online backup API (a consistent snapshot even
    while other processes write: one step under one read transaction)."""
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        # A standalone file: no -wal to carry along, readable wherever it is unpacked.
        destination.execute("PRAGMA journal_mode=DELETE")
        rows = destination.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Không sao chép được CSDL SQLite: {exc}.") from exc
    finally:
        destination.close()
    return _group_migrations(rows)


def _applied_migrations(connection) -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    return _group_migrations(recorder.migration_qs.values_list("app", "name"))


def _group_migrations(rows) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app, name in rows:
        grouped.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(grouped.items())}


# -- PostgreSQL tools ------------------------------------------------------------------


def _pg_tool(connection, name: str) -> str:
    """The client tool of the server's major version (Debian: /usr/lib/postgresql/N/bin),
    else the closest newer one, else the one on PATH."""
    major = connection.pg_version // 10000
    found: dict[int, str] = {}
    for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}"):
        match = re.search(r"/postgresql/(\d+)/bin/", path)
        if match and os.access(path, os.X_OK):
            found[int(match.group(1))] = path
    if major in found:
        return found[major]
    newer = sorted(v for v in found if v > major)
    if newer:
        return found[newer[0]]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(
        f"Không tìm thấy {name} (PostgreSQL {major}): cài gói postgresql-client "
        "(scripts/install-debian.sh)."
    )


def _pg_env(connection) -> dict[str, str]:
    """libpq's environment for DATABASES[...] (the password never goes on a command line)."""
    from django.db.backends.postgresql.client import DatabaseClient

    params = connection.settings_dict
    _, extra = DatabaseClient.settings_to_cmd_args_env(params, [])
    env = dict(os.environ)  # libpq settings Django's connection also reads (PGSSLMODE…)
    env.update(extra or {})
    if params.get("OPTIONS", {}).get("options"):
        env["PGOPTIONS"] = str(params["OPTIONS"]["options"])
    for key, value in (
        ("PGHOST", params.get("HOST")),
        ("PGPORT", params.get("PORT")),
        ("PGUSER", params.get("USER")),
        ("PGDATABASE", params.get("NAME")),
    ):
        if value:
            env[key] = str(value)
    env["PGCONNECT_TIMEOUT"] = "10"
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed tool paths, no shell
            args,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
    except OSError as exc:
        raise BackupError(f"Không chạy được {args[0]}: {exc.strerror or exc}.") from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        tail = " | ".join(detail[-3:]) if detail else f"mã lỗi {result.returncode}"
        raise BackupError(f"{what} ({Path(args[0]).name}: {tail}).")


def _pg_dump(connection, target: Path) -> None:
    tool = _pg_tool(connection, "pg_dump")
    _run(
        [tool, "--format=custom", "--no-password", f"--file={target}"],
        _pg_env(connection),
        "Không sao lưu được CSDL PostgreSQL",
    )


# The prelude of the restoring transaction: drop every table of the schemas Django uses
# (so tables of a newer schema cannot block the restore or survive it), waiting at most
# a minute for processes that still use them (longer means the app is still running).
_PG_PRELUDE = """
SET lock_timeout = '60s';
DO $loa$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT n.nspname, c.relname, c.relkind
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm')
      AND n.nspname = ANY (pg_catalog.current_schemas(false))
      AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_depend d
        WHERE d.classid = 'pg_catalog.pg_class'::regclass
          AND d.objid = c.oid AND d.deptype = 'e'
      )
  LOOP
    EXECUTE format(
      CASE r.relkind
        WHEN 'v' THEN 'DROP VIEW IF EXISTS %I.%I CASCADE'
        WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS %I.%I CASCADE'
        ELSE 'DROP TABLE IF EXISTS %I.%I CASCADE'
      END,
      r.nspname, r.relname);
  END LOOP;
END
$loa$;
RESET lock_timeout;
"""


def _pg_restore(connection, dump: Path, work: Path) -> None:
    env = _pg_env(connection)
    script = work / "restore.sql"
    prelude = work / "prelude.sql"
    prelude.write_text(_PG_PRELUDE, encoding="utf-8")
    # The whole script first: a pg_restore that stops half-way must not reach psql.
    _run(
        [
            _pg_tool(connection, "pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            f"--file={script}",
            str(dump),
        ],
        env,
        "Không đọc được bản sao lưu CSDL PostgreSQL",
    )
    connections.close_all()  # Django reconnects on its next query
    _run(
        [
            _pg_tool(connection, "psql"),
            "--no-psqlrc",
            "--quiet",
            "--no-password",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={prelude}",
            f"--file={script}",
        ],
        env,
        "Không khôi phục được CSDL PostgreSQL, CSDL giữ nguyên như trước",
    )


# -- archives --------------------------------------------------------------------------


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


class _Corrupt(Exception):
    """The archive cannot be trusted; the message says why (Vietnamese)."""


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


# -- restore ---------------------------------------------------------------------------


def restore_backup(
    archive: str | Path, *, force: bool = False, using: str = "default"
) -> RestoreResult:
    """Replace the database, media and indexes with the archive's; see the module doc."""
    archive = Path(archive).expanduser().resolve()
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}.")
    connection = connections[using]
    engine = _engine(connection)
    manifest = read_manifest(archive)  # raises before anything is touched
    theirs = manifest["database"]["engine"]
    if theirs != engine:
        raise BackupError(
            f"Bản sao lưu chứa CSDL {ENGINE_NAMES[theirs]} nhưng Loa đang dùng "
            f"{ENGINE_NAMES[engine]}: không khôi phục được giữa hai loại CSDL khác nhau."
        )
    _check_migrations_known(manifest["migrations"])
    if not force:
        filled = _filled_tables(connection)
        if filled:
            raise BackupError(
                f"CSDL hiện đã có dữ liệu ({', '.join(filled[:5])}"
                f"{', …' if len(filled) > 5 else ''}); khôi phục sẽ thay toàn bộ. "
                "Thêm --force nếu chắc chắn muốn ghi đè."
            )
    if engine == "sqlite" and connection.is_in_memory_db():
        raise BackupError("CSDL SQLite đang nằm trong bộ nhớ: không khôi phục được.")

    staged = _Staging(connection, engine)
    try:
        media_count, index_count = staged.unpack(archive, manifest)
        try:
            _bump_index_versions(staged.indexes, indexes_root())
            staged.match_owners()
            os.sync()
        except OSError as exc:
            raise BackupError(
                f"Không chuẩn bị được dữ liệu khôi phục ({exc.strerror or exc}): "
                "không khôi phục, dữ liệu hiện tại giữ nguyên."
            ) from exc
        staged.swap_database()  # from here on the current data is replaced
        staged.swap_secret_key()
        for staged_dir, target in (
            (staged.media, media_root()),
            (staged.indexes, indexes_root()),
        ):
            try:
                _swap_dir(staged_dir, target)
            except OSError as exc:
                raise BackupError(
                    f"Đã khôi phục CSDL nhưng không thay được thư mục {target} "
                    f"({exc.strerror or exc}): hãy sửa lỗi rồi chạy lại lệnh khôi phục."
                ) from exc
    finally:
        staged.cleanup()

    from loa.assistant.index import forget_retriever

    forget_retriever()
    applied = _migrate(using)
    _clear_caches()
    return RestoreResult(
        path=archive,
        engine=engine,
        created_at=str(manifest.get("created_at", "")),
        loa_version=str(manifest.get("loa_version", "")),
        media_files=media_count,
        index_files=index_count,
        migrations_applied=applied,
    )


def _check_migrations_known(migrations: dict) -> None:
    """Refuse a backup made by a newer Loa (migrations this code does not have)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or ())
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(migrations.items())
        if app in loader.migrated_apps
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "Bản sao lưu được tạo bởi phiên bản Loa mới hơn (có migration bản này chưa "
            f"có: {', '.join(unknown[:5])}{', …' if len(unknown) > 5 else ''}): "
            "hãy nâng cấp Loa rồi khôi phục."
        )


def _filled_tables(connection) -> list[str]:
    """Names of the kinds of records the database already holds (Loa's data, accounts)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    try:
        tables = set(connection.introspection.table_names())
    except Exception as exc:  # noqa: BLE001 - an unreachable database is not "empty"
        raise BackupError(f"Không kiểm tra được CSDL hiện tại: {exc}.") from exc
    filled = []
    for model in apps.get_models():
        ours = model._meta.app_config.name.startswith("loa.") or model is user_model
        if not ours or model._meta.proxy or model._meta.db_table not in tables:
            continue
        if model._base_manager.using(connection.alias).exists():
            filled.append(str(model._meta.verbose_name_plural))
    return filled


class _Staging:
    """Temporary places next to each target, removed unless swapped in."""

    def __init__(self, connection, engine: str):
        self.connection, self.engine = connection, engine
        token = _token()
        self.media = _sibling(media_root(), f"restore-{token}")
        self.indexes = _sibling(indexes_root(), f"restore-{token}")
        data_dir = Path(getattr(settings, "DATA_DIR", tempfile.gettempdir()))
        self.work = data_dir / f".restore-{token}"
        if engine == "sqlite":
            target = Path(connection.settings_dict["NAME"]).resolve()
            self.database = target.with_name(f".{target.name}.restore-{token}")
        else:
            self.database = self.work / "loa.pgdump"

    def unpack(self, archive: Path, manifest: dict) -> tuple[int, int]:
        expected = {f["path"]: f for f in manifest["files"]}
        db_member = manifest["database"]["file"]
        counts = {MEDIA_PREFIX: 0, INDEXES_PREFIX: 0}
        try:
            for directory in (self.media, self.indexes, self.work):
                directory.mkdir(parents=True)
            for member in _members(archive):
                if member.name == MANIFEST:
                    continue
                if member.name == db_member:
                    target = self.database
                elif member.name.startswith(MEDIA_PREFIX):
                    target = self.media / member.name[len(MEDIA_PREFIX) :]
                elif member.name.startswith(INDEXES_PREFIX):
                    target = self.indexes / member.name[len(INDEXES_PREFIX) :]
                elif member.name == SECRET_KEY_MEMBER:
                    target = self.work / "secret_key"
                else:
                    raise _Corrupt(f"tệp lạ {member.name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "xb") as out:
                    digest = _copy_hashing(member.stream, out, member.size)
                    if member.name == db_member:
                        out.flush()
                        os.fsync(out.fileno())
                if digest != expected[member.name]["sha256"]:
                    raise _Corrupt(f"tệp {member.name} sai mã kiểm tra sha256")
                for prefix in counts:
                    if member.name.startswith(prefix):
                        counts[prefix] += 1
        except (_Corrupt, KeyError) as exc:
            raise BackupError(_corrupt_message(archive, _reason(exc))) from exc
        except OSError as exc:
            if isinstance(exc, gzip.BadGzipFile):
                raise BackupError(_corrupt_message(archive, _reason(exc))) from exc
            raise BackupError(
                f"Không giải nén được bản sao lưu ({exc.strerror or exc}; ổ đĩa đầy?): "
                "không khôi phục, dữ liệu hiện tại giữ nguyên."
            ) from exc
        except _READ_ERRORS as exc:
            raise BackupError(_corrupt_message(archive, _reason(exc))) from exc
        if self.engine == "sqlite":
            self._check_sqlite_file()
        return counts[MEDIA_PREFIX], counts[INDEXES_PREFIX]

    def _check_sqlite_file(self) -> None:
        try:
            with contextlib.closing(sqlite3.connect(self.database)) as db:
                result = db.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            result = (str(exc),)
        if not result or result[0] != "ok":
            raise BackupError(
                f"CSDL SQLite trong bản sao lưu bị hỏng ({result[0] if result else '?'}): "
                "không khôi phục, dữ liệu hiện tại giữ nguyên."
            )

    def match_owners(self) -> None:
        """Restored files get the owner (and the database file the mode) of what they
        replace, so the app's user can still write them when root ran the restore."""
        _match_owner(self.media, media_root())
        _match_owner(self.indexes, indexes_root())
        if self.engine == "sqlite":
            target = Path(self.connection.settings_dict["NAME"]).resolve()
            _match_owner(self.database, target)
            if target.exists():
                shutil.copymode(target, self.database)

    def swap_secret_key(self) -> None:
        """Put the archived key file in place (used from the next start), if both the
        archive and this install use a generated key file."""
        staged, target = self.work / "secret_key", generated_secret_key_file()
        if staged.exists() and target is not None:
            os.chmod(staged, 0o600)
            _match_owner(staged, target)
            os.replace(staged, target)

    def swap_database(self) -> None:
        if self.engine == "postgresql":
            _pg_restore(self.connection, self.database, self.work)
            return
        target = Path(self.connection.settings_dict["NAME"]).resolve()
        connections.close_all()
        try:
            if target.exists():
                # Fold the write-ahead log into the old file so no -wal of the old
                # database is left for SQLite to replay onto the new one.
                with contextlib.closing(sqlite3.connect(target, timeout=20)) as db:
                    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            os.replace(self.database, target)
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(
                f"Không thay được tệp CSDL {target} ({exc}; ứng dụng còn đang chạy?): "
                "không khôi phục, dữ liệu hiện tại giữ nguyên."
            ) from exc
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        _fsync_dir(target.parent)

    def cleanup(self) -> None:
        for path in (self.media, self.indexes, self.work):
            shutil.rmtree(path, ignore_errors=True)
        if self.engine == "sqlite":
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.database}{suffix}").unlink(missing_ok=True)


def _sibling(target: Path, suffix: str) -> Path:
    return target.with_name(f".{target.name}.{suffix}")


def _match_owner(staged: Path, like: Path) -> None:
    if os.geteuid() != 0:
        return  # files we create are ours already, as the replaced ones were
    while not like.exists() and like != like.parent:
        like = like.parent
    st = like.stat()
    if (st.st_uid, st.st_gid) == (0, 0):
        return
    paths = [staged, *staged.rglob("*")] if staged.is_dir() else [staged]
    for path in paths:
        os.chown(path, st.st_uid, st.st_gid, follow_symlinks=False)


def _swap_dir(staged: Path, target: Path) -> None:
    """Put `staged` in place of `target` with two renames; the old one is then removed."""
    old = _sibling(target, f"old-{_token()}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.rename(target, old)
    os.rename(staged, target)
    _fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def _bump_index_versions(staged: Path, current: Path) -> None:
    """Give each restored index a version number above the one in use, so that running
    processes, which reload only when the number changes, pick it up (layout of
    loa.assistant.retrieval.retriever: CURRENT names the vNNNNNNNN directory in use)."""
    for current_file in staged.rglob("CURRENT"):
        directory = current_file.parent
        try:
            restored = int(current_file.read_text().strip() or 0)
            in_use = int(
                (current / directory.relative_to(staged) / "CURRENT").read_text()
            )
        except (OSError, ValueError):
            continue
        source = directory / f"v{restored:08d}"
        if not restored or in_use < restored or not source.is_dir():
            continue
        bumped = in_use + 1
        os.rename(source, directory / f"v{bumped:08d}")
        current_file.write_text(f"{bumped}\n")


def _migrate(using: str) -> list[str]:
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[using]
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate", database=using, interactive=False, verbosity=0)
        call_command("createcachetable", database=using, verbosity=0)
    except Exception as exc:  # noqa: BLE001 - the data is restored; say what is left to do
        raise BackupError(
            "Đã khôi phục dữ liệu nhưng chưa cập nhật được CSDL lên phiên bản hiện tại "
            f"({type(exc).__name__}: {exc}). Hãy chạy `loa migrate`."
        ) from exc
    return [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]


def _clear_caches() -> None:
    """Cached pages and figures describe the data before the restore."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        with contextlib.suppress(Exception):
            cache.clear()


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
