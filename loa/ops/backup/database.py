"""The database's part: SQLite's online snapshot, pg_dump and pg_restore, migrations."""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

from .errors import BackupError
from .layout import ENGINE_NAMES


def _engine(connection) -> str:
    if connection.vendor not in ENGINE_NAMES:
        raise BackupError(
            f"Chỉ sao lưu, khôi phục được CSDL SQLite hoặc PostgreSQL "
            f"(đang dùng {connection.vendor})."
        )
    return connection.vendor


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
