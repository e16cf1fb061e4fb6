"""A 200-task plan import on SQLite while 8 officers save activities: errors and waits.

    python bench/bench_import_lock.py [--clients 8] [--tasks 200]

In a temporary LOA_DATA_DIR (SQLite in WAL mode, the settings of `make run`): migrate,
make a ward with a plan the clients record activities on, then

1. baseline: the clients save activities for a few seconds with nothing else running;
2. import: the same clients save while the seed plan (the OCR copy: extract, restore
   the diacritics, parse) is uploaded and then confirmed as a plan of `--tasks` tasks.

Printed: saves, errors ("database is locked" and any other), p50/p95/max save time
in both phases and their ratio, how long each of the import's write transactions
held SQLite's write lock (BEGIN IMMEDIATE to COMMIT), and the whole import's time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from datetime import date

from common import ROOT, django_setup

SEED = ROOT / "loa" / "data" / "seed" / "ke-hoach-77-KH-UBND-2026.ocr.txt"


class LockClock:
    """Times each write transaction of one thread's connection: BEGIN to COMMIT."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.held: list[float] = []
        self._began: float | None = None
        real_commit = connection._commit

        def commit():
            real_commit()
            if self._began is not None:
                self.held.append(time.perf_counter() - self._began)
                self._began = None

        connection._commit = commit
        connection.execute_wrappers.append(self._watch)

    def _watch(self, execute, sql, params, many, context):
        if sql.startswith("BEGIN"):
            self._began = time.perf_counter()
        return execute(sql, params, many, context)


def make_world():
    from loa.core.models import Unit, Ward
    from loa.plans import services

    ward = Ward.objects.create(slug="hai-duong", name="Hải Dương")
    unit = Unit.objects.create(ward=ward, name="Phòng Văn hóa - Xã hội")
    plan = services.plan_upload(
        ward=ward, data=SEED.read_bytes(), filename=SEED.name, by=None
    )
    plan = services.plan_confirm(
        plan=plan,
        header={},
        unit_map={unit.name: unit},
        tasks=[
            services.ReviewedTask(unit_name=unit.name, text=f"Nhiệm vụ {n}")
            for n in range(1, 9)
        ],
    )
    return ward, unit, list(plan.tasks.all())


def client_loop(task_ids, unit_id, stop, queue) -> None:
    """One officer in a process of its own, as gunicorn's workers are (no shared GIL)."""
    from django.db import OperationalError, connection

    from loa.core.models import Unit
    from loa.plans import services
    from loa.plans.models import Task

    unit = Unit.objects.get(pk=unit_id)
    tasks = list(Task.objects.filter(pk__in=task_ids).select_related("plan__ward"))
    times, errors, n = [], [], 0
    while not stop.is_set():
        n += 1
        start = time.perf_counter()
        try:
            services.activity_record(
                task=tasks[n % len(tasks)],
                unit=unit,
                kind="hoi_nghi",
                date=date.today(),
                title=f"Hội nghị lần {n}",
                attendees=30,
            )
        except OperationalError as exc:
            errors.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - every failure is a figure here
            errors.append(f"{type(exc).__name__}: {exc}")
        else:
            times.append(time.perf_counter() - start)
        time.sleep(0.02)  # an officer's click, not a tight loop
    connection.close()
    queue.put({"times": times, "errors": errors})


def run_clients(count, tasks, unit, during) -> dict:
    from django.db import connections

    connections.close_all()  # each forked client opens its own connection
    context = multiprocessing.get_context("fork")
    stop, queue = context.Event(), context.Queue()
    clients = [
        context.Process(
            target=client_loop, args=([t.pk for t in tasks], unit.pk, stop, queue)
        )
        for _ in range(count)
    ]
    for client in clients:
        client.start()
    try:
        time.sleep(1)  # every client connected and saving
        result = during()
    finally:
        stop.set()
        outs = [queue.get(timeout=60) for _ in clients]
        for client in clients:
            client.join()
    return {
        "times": [x for o in outs for x in o["times"]],
        "errors": [x for o in outs for x in o["errors"]],
        "result": result,
    }


def describe(times: list[float]) -> str:
    if not times:
        return "no save"
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"{len(times)} saves, p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="loa-bench-lock-") as data_dir:
        django_setup(data_dir=data_dir, cache_table=True)
        from loa.plans import services

        ward, unit, tasks = make_world()
        baseline = run_clients(args.clients, tasks, unit, lambda: time.sleep(5))

        def import_plan() -> dict:
            clock = LockClock()
            start = time.perf_counter()
            plan = services.plan_upload(
                ward=ward, data=SEED.read_bytes(), filename=SEED.name, by=None
            )
            uploaded = time.perf_counter()
            services.plan_confirm(
                plan=plan,
                header={},
                unit_map={unit.name: unit},
                tasks=[
                    services.ReviewedTask(
                        unit_name=unit.name, text=f"Nhiệm vụ thứ {n} của kế hoạch"
                    )
                    for n in range(1, args.tasks + 1)
                ],
            )
            end = time.perf_counter()
            return {
                "upload": uploaded - start,
                "confirm": end - uploaded,
                "held": clock.held,
            }

        loaded = run_clients(args.clients, tasks, unit, import_plan)
        result = loaded["result"]
        print(f"SQLite (WAL), {args.clients} clients saving activities")
        print(f"baseline (nothing else running): {describe(baseline['times'])}")
        print(f"  errors: {len(baseline['errors'])}")
        print(
            f"during the import of a {args.tasks}-task plan: {describe(loaded['times'])}"
        )
        print(f"  errors: {len(loaded['errors'])}")
        for message in sorted(set(loaded["errors"]))[:5]:
            print(f"    {message}")
        if baseline["times"] and loaded["times"]:
            ratio = max(loaded["times"]) / max(baseline["times"])
            print(f"  max save time, import / baseline: {ratio:.1f}x")
        held = result["held"]
        print(
            f"import: upload (read, restore, parse, save) {result['upload'] * 1000:.0f} ms, "
            f"confirm {result['confirm'] * 1000:.0f} ms"
        )
        print(
            f"  write transactions of the import: {len(held)}, longest "
            f"{max(held) * 1000:.1f} ms, all together {sum(held) * 1000:.1f} ms"
            if held
            else "  write transactions of the import: none measured"
        )


if __name__ == "__main__":
    main()
