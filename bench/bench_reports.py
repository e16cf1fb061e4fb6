"""Benchmark the reports app (dashboard figures, report export): ``python bench/bench_reports.py``.

Runs in a fresh temporary LOA_DATA_DIR (DJANGO_SETTINGS_MODULE=loa.settings.base,
migrate). SQLite unless DATABASE_URL is set.

Setup: the seed ward "hai-duong" with the seed plan 77/KH-UBND (`loa.plans.demo.demo_load`:
11 tasks over 5 units, 4 demo activities), a second ward "le-chan" with the same plan
imported (its own units and tasks), 4 indicators on the seed plan (so_hoat_dong of
"tin_bai" per month, so_nguoi_du of "hoi_nghi" per quarter, so_san_pham per year,
luot_hoi_dap per month), budget allocations for 2024-2026 and the two report drafts.

Activities are synthesised with raw executemany in big transactions (indexes kept, as
bench_learning does): dates uniform over 2024-01-01..2026-11-25, 80% in the seed ward and
20% in the second ward (so every query must filter by ward), task and unit consistent
(the task's unit, the task's plan's ward), kind and channel consistent, the numbers
(attendees, copies, reach, households_helped) NULL except for the kinds that have them;
1% of the activities have an Expense. The rows of each batch go in date order (activities
are recorded as the work is done; --shuffled for random order). The same database grows from 100,000 to 1,000,000
activities; at each size, for 2026-01-01..2026-06-30 and for the year 2026:

- `dashboard_figures([ward], start, end)`: first call (fresh connection) and median of 5,
  SQL queries (CaptureQueriesContext), the slowest queries re-run with execute + fetchall
  (best of 3) and the EXPLAIN (QUERY) PLAN of the slowest;
- `report_document(draft)` (the figures of the report without rendering) and
  `report_export(draft, fmt)` for docx, pdf, xlsx: median of 3;
- baseline in the same run: ``SELECT COUNT(*) FROM plans_activity WHERE ward_id = ? AND
  date BETWEEN ? AND ?`` (median of 5), and every time as a ratio of it;
- sanity checks: the dashboard's activity_totals count equals the direct COUNT with the
  ward filter, and the second ward does have rows in the period.

    --scale 0.1       a tenth of the rows (quick check)
    --shuffled        insert the rows of each batch in random date order (worst case
                      for a date range: its rows are spread over the whole table) instead
                      of date order (activities are recorded as the work is done)
    --keep            keep the temporary data dir
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import common
from common import QueryTimer, explain, insert, next_id, section, table, timed

SIZES = [100_000, 1_000_000]
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2026, 11, 25)
SECOND_WARD_SHARE = 0.20
EXPENSE_SHARE = 0.01
PERIODS = [
    ("6 tháng đầu năm 2026", date(2026, 1, 1), date(2026, 6, 30)),
    ("năm 2026", date(2026, 1, 1), date(2026, 12, 31)),
]
FORMATS = ["docx", "pdf", "xlsx"]
SECOND_WARD = {
    "slug": "le-chan",
    "name": "Lê Chân",
    "province": "Thành phố Hải Phòng",
}

# kind: (weight, [(channel, weight)], numbers: (column, share with a value, low, high))
KINDS = {
    "tin_bai": (
        30,
        [("cong_ttdt", 40), ("zalo", 30), ("facebook", 25), ("youtube", 5)],
        ("reach", 0.6, 100, 8_000),
    ),
    "phat_thanh": (15, [("dai_truyen_thanh", 100)], ("reach", 0.5, 1_000, 12_000)),
    "truc_quan": (12, [("in_an", 70), ("man_hinh_led", 30)], ("copies", 0.85, 5, 500)),
    "hoi_nghi": (8, [("truc_tiep", 90), ("zalo", 10)], ("attendees", 0.9, 30, 300)),
    "lop_hoc": (8, [("truc_tiep", 80), ("zalo", 20)], ("attendees", 0.9, 8, 60)),
    "ho_tro_nguoi_dan": (15, [("truc_tiep", 100)], ("households_helped", 0.9, 1, 25)),
    "khac": (
        12,
        [("", 30), ("khac", 30), ("zalo", 20), ("facebook", 10), ("man_hinh_led", 10)],
        ("reach", 0.1, 50, 2_000),
    ),
}
TITLES = {
    "tin_bai": [
        "Tin bài: {t} trên địa bàn phường",
        "Đăng tin hướng dẫn {t}",
        "Bài viết: {t} — kết quả bước đầu",
    ],
    "phat_thanh": [
        "Chuyên mục \u201cChuyển đổi số\u201d: {t}",
        "Bản tin phát thanh về {t}",
    ],
    "truc_quan": [
        "Treo băng-rôn, pa-nô tuyên truyền {t}",
        "In và phát tờ rơi về {t}",
        "Trình chiếu trên màn hình LED nội dung {t}",
    ],
    "hoi_nghi": ["Hội nghị quán triệt {t}", "Tọa đàm về {t}"],
    "lop_hoc": ["Lớp hướng dẫn {t} cho người dân", "Buổi học kỹ năng số: {t}"],
    "ho_tro_nguoi_dan": [
        "Tổ công nghệ số cộng đồng hỗ trợ {t} tại nhà",
        "Hỗ trợ người dân {t}",
    ],
    "khac": ["Hoạt động khác: {t}", "Phối hợp tuyên truyền {t}"],
}
TOPICS = [
    "Nghị quyết 57-NQ/TW về phát triển khoa học, công nghệ, đổi mới sáng tạo",
    "kích hoạt tài khoản định danh điện tử mức 2",
    "nộp hồ sơ dịch vụ công trực tuyến",
    "thanh toán không dùng tiền mặt",
    "phòng chống lừa đảo trực tuyến",
    "phong trào \u201cBình dân học vụ số\u201d",
    "cài đặt và sử dụng ứng dụng VNeID",
    "bảo vệ dữ liệu cá nhân trên không gian mạng",
]
SOURCES = [("ngan_sach", 70), ("long_ghep", 15), ("xa_hoi_hoa", 10), ("khac", 5)]
EXPENSE_TEXTS = [
    "In băng-rôn, pa-nô",
    "In tờ rơi",
    "Nước uống, tài liệu hội nghị",
    "Bồi dưỡng báo cáo viên",
    "Thuê màn hình, âm thanh",
    "Nhuận bút tin bài",
]


# -- output ----------------------------------------------------------------------------


def markdown(headers: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(headers) + " |"]
    out.append("|" + "|".join(["---"] + ["---:"] * (len(headers) - 1)) + "|")
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def fmt_ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}" if seconds >= 0.01 else f"{1000 * seconds:.2f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.0f}x" if b and a / b >= 10 else (f"{a / b:.1f}x" if b else "—")


def _short_sql(sql: str, width: int = 150) -> str:
    sql = re.sub(r'"(plans|reports|core|learning|assistant)_(\w+)"', r"\1_\2", sql)
    sql = re.sub(r"\s+", " ", sql)
    return sql if len(sql) <= width else sql[: width - 1] + "…"


# -- setup -----------------------------------------------------------------------------


def django_setup(keep_database_url: bool) -> tuple[Path, float]:
    os.environ.pop("DEBUG", None)
    os.environ.setdefault("LOA_LOG_LEVEL", "WARNING")
    return common.django_setup(
        "loa-bench-reports-", keep_database_url=keep_database_url
    )


def wards_setup() -> dict:
    """The seed ward and plan, a second ward with its own copy of the plan, indicators,
    allocations and the two drafts."""
    from loa.core.models import Unit, Ward
    from loa.plans.demo import SEED_PLAN, demo_load
    from loa.plans.services import plan_import
    from loa.reports.models import BudgetAllocation, Indicator
    from loa.reports.services import draft_get_or_create

    seed = demo_load()
    ward, plan = seed["ward"], seed["plan"]
    ward2 = Ward.objects.create(kind=Ward.Kind.WARD, **SECOND_WARD)
    plan2 = plan_import(
        ward=ward2, data=SEED_PLAN.read_bytes(), filename=SEED_PLAN.name
    )

    M, P = Indicator.Measure, Indicator.Period
    Indicator.objects.bulk_create(
        [
            Indicator(
                plan=plan,
                name="Tin, bài trên Cổng thông tin điện tử và nền tảng số",
                measure=M.ACTIVITIES,
                kinds=["tin_bai"],
                target=300,
                period=P.MONTH,
                order=1,
            ),
            Indicator(
                plan=plan,
                name="Lượt người dự hội nghị, tọa đàm",
                measure=M.ATTENDEES,
                kinds=["hoi_nghi"],
                target=20_000,
                period=P.QUARTER,
                order=2,
            ),
            Indicator(
                plan=plan,
                name="Sản phẩm tuyên truyền (băng-rôn, pa-nô, tờ rơi)",
                measure=M.COPIES,
                target=1_000_000,
                period=P.YEAR,
                order=3,
            ),
            Indicator(
                plan=plan,
                name="Lượt hỏi - đáp của trợ lý ảo",
                measure=M.ASSISTANT_QUESTIONS,
                target=200,
                period=P.MONTH,
                order=4,
            ),
        ]
    )
    rng = random.Random(77)  # noqa: S311 - reproducible data, not security
    allocations = []
    for w, p in ((ward, plan), (ward2, plan2)):
        unit_ids = sorted(set(p.tasks.values_list("unit_id", flat=True)))
        for year in (2024, 2025, 2026):
            for unit_id in unit_ids:
                for source in ("ngan_sach", "xa_hoi_hoa"):
                    if source == "xa_hoi_hoa" and rng.random() < 0.5:
                        continue
                    allocations.append(
                        BudgetAllocation(
                            ward=w,
                            year=year,
                            unit_id=unit_id,
                            source=source,
                            amount=rng.randint(20, 300) * 1_000_000,
                        )
                    )
    BudgetAllocation.objects.bulk_create(allocations)
    drafts = {
        label: draft_get_or_create(plan, start, end) for label, start, end in PERIODS
    }
    return {
        "ward": ward,
        "plan": plan,
        "ward2": ward2,
        "plan2": plan2,
        "tasks": {
            w.pk: list(p.tasks.values_list("pk", "unit_id"))
            for w, p in ((ward, plan), (ward2, plan2))
        },
        "units": Unit.objects.filter(ward=ward).count(),
        "indicators": Indicator.objects.filter(plan=plan).count(),
        "allocations": len(allocations),
        "drafts": drafts,
    }


# -- synthesis -------------------------------------------------------------------------


class Synthesiser:
    """Adds activities (and their expenses) to reach a total, with one reproducible stream."""

    def __init__(self, setup: dict):
        from django.db import connection

        ops = connection.ops
        self.rng = random.Random(20260101)  # noqa: S311 - reproducible data, not security
        self.ward1 = setup["ward"].pk
        self.ward2 = setup["ward2"].pk
        self.tasks = setup["tasks"]
        self.added = 0
        days = (LAST_DAY - FIRST_DAY).days + 1
        self.days = [FIRST_DAY + timedelta(days=i) for i in range(days)]
        self.date_values = [ops.adapt_datefield_value(d) for d in self.days]
        # Recorded the same day, in office hours (Asia/Ho_Chi_Minh = UTC+7).
        self.created_values = [
            ops.adapt_datetimefield_value(datetime.combine(d, dtime(2, 30), tzinfo=UTC))
            for d in self.days
        ]
        self.kinds = list(KINDS)
        self.kind_weights = [KINDS[k][0] for k in self.kinds]
        self.channels = {k: [c for c, _ in KINDS[k][1]] for k in self.kinds}
        self.channel_weights = {k: [w for _, w in KINDS[k][1]] for k in self.kinds}
        self.titles = {
            k: [t.format(t=topic) for t in TITLES[k] for topic in TOPICS]
            for k in self.kinds
        }
        self.number_columns = [
            "attendees",
            "copies",
            "reach",
            "households_helped",
        ]

    def grow(self, total: int, *, shuffled: bool) -> dict:
        from django.db import connection

        from loa.plans.models import Activity
        from loa.reports.models import Expense

        n = total - self.added
        rng = self.rng
        timings = {}
        t = time.perf_counter()
        first_id = next_id(Activity)
        kinds = rng.choices(self.kinds, weights=self.kind_weights, k=n)
        days = [rng.randrange(len(self.days)) for _ in range(n)]
        if not shuffled:
            days.sort()  # recorded as the work is done: row order follows the date
        expenses = []

        def activities():
            for i, (kind, day) in enumerate(zip(kinds, days, strict=True)):
                ward = self.ward2 if rng.random() < SECOND_WARD_SHARE else self.ward1
                task, unit = rng.choice(self.tasks[ward])
                channel = rng.choices(
                    self.channels[kind], weights=self.channel_weights[kind]
                )[0]
                numbers = [None, None, None, None]
                column, share, low, high = KINDS[kind][2]
                if rng.random() < share:
                    numbers[self.number_columns.index(column)] = rng.randint(low, high)
                pk = first_id + i
                if rng.random() < EXPENSE_SHARE:
                    expenses.append((pk, ward, day))
                yield (
                    pk,
                    ward,
                    task,
                    unit,
                    kind,
                    self.date_values[day],
                    rng.choice(self.titles[kind]),
                    channel,
                    *numbers,
                    "",
                    "",
                    "",
                    None,
                    self.created_values[day],
                )

        inserted = insert(
            Activity,
            [
                "id",
                "ward",
                "task",
                "unit",
                "kind",
                "date",
                "title",
                "channel",
                *self.number_columns,
                "note",
                "evidence_file",
                "evidence_url",
                "created_by",
                "created_at",
            ],
            activities(),
        )
        timings["activities"] = (inserted, time.perf_counter() - t)

        t = time.perf_counter()
        sources = [s for s, _ in SOURCES]
        weights = [w for _, w in SOURCES]
        timings["expenses"] = (
            insert(
                Expense,
                [
                    "ward",
                    "activity",
                    "source",
                    "amount",
                    "date",
                    "description",
                    "created_by",
                    "created_at",
                ],
                (
                    (
                        ward,
                        pk,
                        rng.choices(sources, weights=weights)[0],
                        rng.randint(5, 200) * 100_000,
                        self.date_values[day],
                        rng.choice(EXPENSE_TEXTS),
                        None,
                        self.created_values[day],
                    )
                    for pk, ward, day in expenses
                ),
            ),
            time.perf_counter() - t,
        )
        if connection.vendor == "postgresql":  # explicit ids: move the sequence on
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Activity]):
                    cursor.execute(sql)
        self.added = total
        return timings


# -- measuring -------------------------------------------------------------------------


def profile_queries(fn) -> list[tuple[str, object, float, int]]:
    """Every query of one call of fn, each re-run with execute + fetchall (best of 3):
    SQLite does part of the work while rows are fetched, so the wrapper's time is short."""
    from django.db import connection

    timer = QueryTimer()
    with connection.execute_wrapper(timer):
        fn()
    timed = []
    with connection.cursor() as cursor:
        for sql, params, _ in timer.queries:
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                best = min(best, time.perf_counter() - t)
            timed.append((sql, params, best, len(rows)))
    return sorted(timed, key=lambda q: -q[2])


def query_count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def direct_count(ward_ids: list[int], start: date, end: date) -> int:
    from django.db import connection

    from loa.plans.models import Activity

    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ward_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {qn(Activity._meta.db_table)} "  # noqa: S608
            f"WHERE {qn('ward_id')} IN ({marks}) AND {qn('date')} BETWEEN %s AND %s",
            [
                *ward_ids,
                connection.ops.adapt_datefield_value(start),
                connection.ops.adapt_datefield_value(end),
            ],
        )
        return cursor.fetchone()[0]


def baseline(ward_id: int, start: date, end: date) -> tuple[float, int]:
    """The bare COUNT(*) with the ward and date filters, median of 5."""
    median, _, n = timed(lambda: direct_count([ward_id], start, end), 5)
    return median, n


def measure_period(setup: dict, label: str, start: date, end: date) -> dict:
    from django.db import connection

    from loa.reports.document import report_document
    from loa.reports.figures import dashboard_figures
    from loa.reports.services import report_export

    ward, ward2 = setup["ward"], setup["ward2"]
    draft = setup["drafts"][label]

    def dashboard():
        return dashboard_figures([ward], start, end)

    connection.close()  # a fresh connection: SQLite's page cache starts empty
    t = time.perf_counter()
    figures = dashboard()
    first = time.perf_counter() - t
    dash_median, dash_samples, _ = timed(dashboard, 5)
    dash_queries = query_count(dashboard)
    dash_profile = profile_queries(dashboard)

    doc_median, _, _ = timed(lambda: report_document(draft), 3)
    doc_queries = query_count(lambda: report_document(draft))
    doc_profile = profile_queries(lambda: report_document(draft))
    exports = {}
    for fmt in FORMATS:
        median, samples, report = timed(lambda fmt=fmt: report_export(draft, fmt), 3)
        exports[fmt] = {
            "median": median,
            "samples": samples,
            "bytes": len(report.content),
        }

    base, n_ward1 = baseline(ward.pk, start, end)
    n_ward2 = direct_count([ward2.pk], start, end)
    n_both = direct_count([ward.pk, ward2.pk], start, end)
    totals = figures["activity_totals"]
    checks = [
        ("dashboard activity_totals.count = COUNT(*) ward 1", totals["count"], n_ward1),
        (
            "sum of by_form counts = COUNT(*) ward 1",
            sum(r["count"] for r in figures["by_form"]),
            n_ward1,
        ),
        (
            "sum of by_kind series = COUNT(*) ward 1",
            sum(sum(s["values"]) for s in figures["by_kind"]["series"]),
            n_ward1,
        ),
    ]
    return {
        "label": label,
        "start": start,
        "end": end,
        "first": first,
        "median": dash_median,
        "samples": dash_samples,
        "queries": dash_queries,
        "profile": dash_profile,
        "doc_median": doc_median,
        "doc_queries": doc_queries,
        "doc_profile": doc_profile,
        "exports": exports,
        "baseline": base,
        "n_ward1": n_ward1,
        "n_ward2": n_ward2,
        "n_both": n_both,
        "checks": checks,
        "tasks": figures["task_total"],
    }


def report_period(m: dict) -> None:
    base = m["baseline"]
    print(
        f"-- {m['label']} ({m['start']:%d/%m/%Y}–{m['end']:%d/%m/%Y}): "
        f"{m['n_ward1']:,} activities of ward 1 in the period "
        f"(ward 2: {m['n_ward2']:,}; both: {m['n_both']:,})\n"
    )
    rows = [
        [
            "baseline: SELECT COUNT(*) … ward_id=? AND date BETWEEN",
            fmt_ms(base),
            "",
            1,
            "1x",
            "",
        ],
        [
            "dashboard_figures([ward], start, end)",
            fmt_ms(m["median"]),
            fmt_ms(m["first"]),
            m["queries"],
            ratio(m["median"], base),
            "",
        ],
        [
            "report_document(draft) (figures, no rendering)",
            fmt_ms(m["doc_median"]),
            "",
            m["doc_queries"],
            ratio(m["doc_median"], base),
            "",
        ],
    ]
    for fmt, e in m["exports"].items():
        rows.append(
            [
                f"report_export(draft, {fmt!r})",
                fmt_ms(e["median"]),
                fmt_ms(e["samples"][0]),
                m["doc_queries"],
                ratio(e["median"], base),
                f"{e['bytes'] / 1024:.0f}",
            ]
        )
    print(
        table(
            ["measure", "median ms", "first ms", "SQL queries", "x baseline", "KB"],
            rows,
        )
    )
    print(
        f"dashboard runs (ms): {', '.join(fmt_ms(s) for s in m['samples'])}; "
        "first = first call on a fresh connection; exports: median of 3, "
        "first = first of those 3"
    )
    for title, profile in (
        ("dashboard_figures", m["profile"]),
        ("report_document", m["doc_profile"]),
    ):
        total = sum(q[2] for q in profile)
        print(
            f"\nslowest queries of one {title} call (execute + fetchall, best of 3; "
            f"all {len(profile)} queries: {fmt_ms(total)} ms):"
        )
        print(
            table(
                ["ms", "share", "rows", "query"],
                [
                    [fmt_ms(s), f"{100 * s / total:.0f}%", n, _short_sql(sql)]
                    for sql, _, s, n in profile[:4]
                ],
                right={0, 1, 2},
            )
        )
    sql, params, s, _ = m["profile"][0]
    print(f"\nEXPLAIN QUERY PLAN of the slowest dashboard query ({fmt_ms(s)} ms):")
    print(f"   {_short_sql(sql, 2000)}")
    print(f"   params: {params!r}")
    for line in explain(sql, params):
        print(f"   | {line}")
    print("\nsanity checks (figure vs. direct count):")
    print(
        table(
            ["check", "figure", "expected", "ok"],
            [
                [n, f"{a:,}", f"{b:,}", "yes" if a == b else "NO"]
                for n, a, b in m["checks"]
            ],
        )
    )
    isolated = m["n_ward2"] > 0 and m["checks"][0][1] != m["n_both"]
    print(
        f"ward isolation: ward 2 has {m['n_ward2']:,} rows in the period and the figure "
        f"{'does not include' if isolated else 'MAY INCLUDE'} them\n"
    )


# -- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--shuffled",
        action="store_true",
        help="insert each batch in random date order (back-dated entries: worst case)",
    )
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    run_started = time.perf_counter()

    data_dir, setup_s = django_setup(
        keep_database_url=bool(os.environ.get("DATABASE_URL"))
    )
    from django.conf import settings
    from django.db import connection

    from loa.plans.models import Activity
    from loa.reports.models import Expense

    t = time.perf_counter()
    setup = wards_setup()
    seed_s = time.perf_counter() - t
    db_label = (
        f"PostgreSQL ({settings.DATABASES['default'].get('NAME')})"
        if connection.vendor == "postgresql"
        else f"SQLite {connection.Database.sqlite_version} (WAL, synchronous=NORMAL), "
        "no DATABASE_URL"
    )
    print("Loa — reports benchmark (dashboard figures, report export)")
    print(f"database: {db_label}")
    print(f"data dir: {data_dir}  (migrate {setup_s:.1f} s, seed {seed_s:.1f} s)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load}"
    )
    print(
        f"ward 1: {setup['ward'].display_name}, plan {setup['plan'].number}: "
        f"{len(setup['tasks'][setup['ward'].pk])} tasks, {setup['units']} units, "
        f"{setup['indicators']} indicators; ward 2: {setup['ward2'].display_name} "
        f"({len(setup['tasks'][setup['ward2'].pk])} tasks); {setup['allocations']} budget "
        f"allocations; activities {FIRST_DAY:%d/%m/%Y}–{LAST_DAY:%d/%m/%Y}, "
        f"{100 * SECOND_WARD_SHARE:.0f}% in ward 2, {100 * EXPENSE_SHARE:.0f}% with an expense, "
        f"rows inserted in {'random date order' if args.shuffled else 'date order'}"
    )

    synth = Synthesiser(setup)
    results = []
    for size in SIZES:
        target = int(size * args.scale)
        section(f"{target:,} activities")
        t = time.perf_counter()
        timings = synth.grow(target, shuffled=args.shuffled)
        grow_s = time.perf_counter() - t
        print(
            table(
                ["table", "rows inserted", "seconds"],
                [[k, f"{n:,}", f"{s:.1f}"] for k, (n, s) in timings.items()],
            )
        )
        total_activities = Activity.objects.count()
        print(
            f"grown in {grow_s:.1f} s (raw executemany, one transaction per table, indexes "
            f"kept); now {total_activities:,} activities "
            f"({Activity.objects.filter(ward=setup['ward']).count():,} in ward 1), "
            f"{Expense.objects.count():,} expenses\n"
        )
        measures = []
        for label, start, end in PERIODS:
            m = measure_period(setup, label, start, end)
            report_period(m)
            measures.append(m)
        size_bytes, tables = common.db_size(4)
        print(f"database size: {size_bytes / 2**20:.1f} MiB")
        if tables:
            print(
                table(
                    ["table (with its indexes)", "MiB"],
                    [[name, f"{s / 2**20:.1f}"] for name, s in tables],
                )
            )
        results.append((total_activities, size_bytes, measures))

    section("Summary (Markdown)")
    rows = []
    for total, size_bytes, measures in results:
        for m in measures:
            base = m["baseline"]
            slowest = m["profile"][0]
            rows.append(
                [
                    f"{total:,}",
                    m["label"],
                    f"{m['n_ward1']:,}",
                    fmt_ms(base),
                    f"{fmt_ms(m['median'])} ({ratio(m['median'], base)})",
                    fmt_ms(m["first"]),
                    m["queries"],
                    fmt_ms(slowest[2]),
                    *(f"{fmt_ms(m['exports'][f]['median'])}" for f in FORMATS),
                    f"{size_bytes / 2**20:.0f}",
                    "yes" if all(a == b for _, a, b in m["checks"]) else "NO",
                ]
            )
    print(
        markdown(
            [
                "activities (2 wards)",
                "period",
                "ward 1 rows in period",
                "COUNT(*) ms",
                "dashboard median ms (x COUNT)",
                "dashboard first ms",
                "queries",
                "slowest query ms",
                "docx ms",
                "pdf ms",
                "xlsx ms",
                "DB MiB",
                "totals = COUNT",
            ],
            rows,
        )
    )
    print(
        f"\n{db_label.split(' (')[0]}; rows inserted in "
        f"{'random date order' if args.shuffled else 'date order'}; "
        "medians: dashboard of 5, exports of 3; COUNT(*) = the bare count of "
        "plans_activity with ward_id=? AND date BETWEEN ? AND ?"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\ntotal run time {time.perf_counter() - run_started:.0f} s; load average {load}"
    )
    connection.close()
    if args.keep:
        print(f"kept {data_dir}")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
