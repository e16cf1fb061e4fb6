"""`loa restore`: check the whole archive, stage it next to the targets, swap it in,
migrate; see the package's docstring for the order and what a failure leaves."""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections

from .archive import _copy_hashing, _members
from .database import _engine, _pg_restore
from .errors import _READ_ERRORS, BackupError, _Corrupt, _corrupt_message, _reason
from .layout import (
    ENGINE_NAMES,
    INDEXES_PREFIX,
    MANIFEST,
    MEDIA_PREFIX,
    SECRET_KEY_MEMBER,
    _fsync_dir,
    _token,
    generated_secret_key_file,
    indexes_root,
    media_root,
)
from .manifest import read_manifest


@dataclass
class RestoreResult:
    path: Path
    engine: str
    created_at: str
    loa_version: str
    media_files: int
    index_files: int
    migrations_applied: list[str] = field(default_factory=list)


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
