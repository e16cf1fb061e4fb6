"""What the bench scripts share: paths, Django in a temporary data dir, timing, tables.

Imported as ``common`` (each script's own folder, bench/, is first on sys.path when it
runs); importing it puts the repository root on sys.path so that `loa` imports too.
"""

from __future__ import annotations

import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
for _path in (str(BENCH), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from loa.core.testing.platforms import free_port  # noqa: E402

__all__ = [
    "BENCH",
    "ROOT",
    "QueryTimer",
    "chunks",
    "db_size",
    "django_setup",
    "explain",
    "free_port",
    "insert",
    "next_id",
    "section",
    "table",
    "timed",
]


# -- output ----------------------------------------------------------------------------


def table(headers: list[str], rows: list[list], right: set[int] | None = None) -> str:
    """Plain aligned text table; columns in `right` (default: all but the first) align right."""
    right = set(range(1, len(headers))) if right is None else right
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def section(title: str) -> None:
    print(f"\n== {title} ==\n", flush=True)


# -- timing ----------------------------------------------------------------------------


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, list[float], object]:
    """Call fn `repeat` times; return the median seconds, every sample and the last result."""
    samples = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples), samples, result


# -- Django ----------------------------------------------------------------------------


def django_setup(
    prefix: str = "loa-bench-",
    *,
    data_dir: Path | str | None = None,
    keep_database_url: bool = False,
    cache_table: bool = True,
) -> tuple[Path, float]:
    """Start Django with loa.settings.base in a fresh LOA_DATA_DIR and migrate.

    The data dir is a new temporary one named `prefix…` unless `data_dir` is given;
    SQLite in it unless `keep_database_url`. Return the data dir and the seconds from
    `django.setup()` to the end of the migrations (and `createcachetable`).
    """
    data_dir = Path(data_dir or tempfile.mkdtemp(prefix=prefix))
    os.environ["LOA_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "loa.settings.base"
    if not keep_database_url:
        os.environ.pop("DATABASE_URL", None)
    started = time.perf_counter()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if cache_table:
        call_command("createcachetable", verbosity=0)
    return data_dir, time.perf_counter() - started


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    it = iter(iterable)
    while batch := list(itertools.islice(it, size)):
        yield batch


def insert(model, fields: list[str], rows: Iterable, batch: int = 50_000) -> int:
    """Raw executemany of already-adapted values, one transaction per call."""
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the models
    n = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in chunks(rows, batch):
            cursor.executemany(sql, chunk)
            n += len(chunk)
    return n


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class QueryTimer:
    """execute_wrapper that records (sql, params, seconds) of every query."""

    def __init__(self):
        self.queries: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, params, time.perf_counter() - start))


def explain(sql: str, params) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def db_size(limit: int) -> tuple[int, list[tuple[str, int]]]:
    """Return the database's size in bytes and its `limit` largest tables with theirs."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT %s",
                [limit],
            )
            return total, list(cursor.fetchall())
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        total = pages * cursor.fetchone()[0]
        try:
            # Table plus its indexes (dbstat is compiled into most SQLite builds).
            cursor.execute(
                "SELECT COALESCE(m.tbl_name, s.name), SUM(s.pgsize) FROM dbstat s "
                "LEFT JOIN sqlite_master m ON m.name = s.name "
                "GROUP BY 1 ORDER BY 2 DESC LIMIT %s",
                [limit],
            )
            tables = list(cursor.fetchall())
        except Exception:  # noqa: BLE001 - dbstat is not compiled into every SQLite
            tables = []
    return total, tables
