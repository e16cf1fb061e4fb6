"""Benchmark the "Bình dân học vụ số" pages and figures: ``python bench/bench_learning.py``.

Runs in a fresh temporary LOA_DATA_DIR (DJANGO_SETTINGS_MODULE=loa.settings.base,
migrate, createcachetable, one ward with 30 tổ dân phố, the starter courses of
`loa.learning.starter.learning_starter_load` — or, if that is missing or fails, one
hand-made lesson of ~500 words with 12 questions). SQLite unless DATABASE_URL is set.

1. Page weight of the lesson page (/hoc/bai/<slug>/, the starter lesson of median length,
   for a registered learner: cookie `loa_hoc_vien`) and the quiz page (/hoc/kiem-tra/<pk>/,
   a fresh attempt of the same course) as a phone downloads them: the HTML (raw and gzip
   level 6) plus every stylesheet, script and image the HTML references (link, script,
   img/source tags) and every url()/@import inside those stylesheets. Each asset is
   fetched through Django's test Client (WhiteNoise with WHITENOISE_USE_FINDERS, so the
   Cache-Control header is the real one); compressed sizes are gzip -9 and brotli q11,
   what WhiteNoise's CompressedStaticFilesStorage precomputes at collectstatic.
   Load time over "Regular 3G" (Chrome DevTools preset): 750 kbit/s down, 100 ms RTT;
   see LOAD_MODEL below for the arithmetic.
2. Server time in process with the test Client, warm (10 warm-up requests, then 200 timed):
   median and p95 of the lesson and quiz pages beside, in the same run, a trivial view
   (HttpResponse("ok") registered in front of loa.urls, so it pays the full middleware
   stack) and the /hoc/ home page; SQL queries per request. Repeated after step 3 on the
   large database.
3. Statistics at scale: synthesised with raw executemany in transactions — 100,000
   learners over 30 tổ dân phố and 3 target groups, 200,000 quiz attempts (60,000 passed,
   one per certificate; 8,000 never submitted), 1,000,000 QuizAnswer rows (5-6 per
   submitted attempt), 60,000 certificates (0.5% revoked), 300,000 lesson progress rows,
   20,000 support visits by 30 teams. Then `learning_figures(ward=...)`: first call and
   median of 5, SQL queries, the slowest queries with their EXPLAIN (QUERY) PLAN, a sanity
   check of the totals, and the database size. Baseline in the same run: a bare
   SELECT COUNT(*) over the quiz answers.

    --scale 0.1       a tenth of the rows (quick check)
    --requests 200    timed requests per page
    --keep            keep the temporary data dir
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import time
import types
import uuid
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import common
from common import QueryTimer, explain, insert, next_id, section, table

BANDWIDTH_BPS = 750_000  # bits per second, downlink ("Regular 3G")
RTT = 0.100  # seconds
LOAD_MODEL = (
    "3G model: 750 kbit/s down, 100 ms RTT; BDP = 9.4 KB < TCP initial window (10 x 1460 B),\n"
    "so slow start adds no round trips and transfer = bytes / 750 kbit/s.\n"
    "  first visit = 3 RTT (DNS, TCP, TLS 1.3) + 1 RTT (GET page) + page bytes / bw\n"
    "                + 3 RTT (new parallel connections: TCP, TLS, GET) + all asset bytes / bw\n"
    "  repeat visit (DNS cached, assets in cache but only for max-age=60 s, so revalidated)\n"
    "              = 2 RTT (TCP, TLS) + 1 RTT (GET page) + page bytes / bw + 1 RTT (304s)\n"
    "Bytes include response headers; request upload and render time are left out;\n"
    "the asset fetch is not overlapped with the HTML transfer (slightly pessimistic)."
)
STATS_SLOW_SECONDS = 2.0
WORDS = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split(),
    "Văn Thị Hữu Đức Minh Ngọc Thanh Quốc Thu Hồng Xuân Kim".split(),
    "An Bình Chi Dũng Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long Mai "
    "Nam Nga Nhung Phúc Phương Quang Sơn Tâm Thảo Trang Tuấn Vân Yến".split(),
)


# -- output ----------------------------------------------------------------------------


def kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def fmt_ms(seconds: float) -> str:
    return f"{1000 * seconds:.2f}"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# -- setup -----------------------------------------------------------------------------


def django_setup(keep_database_url: bool) -> tuple[Path, float]:
    os.environ.pop("DEBUG", None)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("LOA_LOG_LEVEL", "WARNING")
    data_dir, seconds = common.django_setup(
        "loa-bench-learning-", keep_database_url=keep_database_url, cache_table=True
    )
    from django.conf import settings

    # Static files straight from the app folders (no collectstatic), served by WhiteNoise
    # with the headers it would send in production.
    settings.WHITENOISE_USE_FINDERS = True
    return data_dir, seconds


def register_trivial_view() -> str:
    """A urlconf with HttpResponse("ok") at /__bench__/ok/ in front of loa.urls."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    import loa.urls

    def ok(request):
        return HttpResponse("ok", content_type="text/plain")

    module = types.ModuleType("bench_learning_urlconf")
    module.urlpatterns = [path("__bench__/ok/", ok), *loa.urls.urlpatterns]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()
    return "/__bench__/ok/"


def ward_create(groups: int):
    from loa.core.models import ResidentialGroup, Ward
    from loa.learning.models import Team, TeamMember
    from loa.plans.demo import SEED_WARD

    ward = Ward.objects.create(**SEED_WARD)
    ResidentialGroup.objects.bulk_create(
        ResidentialGroup(ward=ward, name=f"Tổ dân phố số {i}", order=i)
        for i in range(1, groups + 1)
    )
    rgs = list(ResidentialGroup.objects.filter(ward=ward).order_by("order"))
    Team.objects.bulk_create(
        Team(ward=ward, residential_group=g, name=f"Tổ công nghệ số cộng đồng {g.name}")
        for g in rgs
    )
    teams = list(Team.objects.filter(ward=ward).order_by("residential_group__order"))
    rng = random.Random(5)  # noqa: S311 - reproducible data, not security
    members = []
    for team in teams:
        for k, role in enumerate(
            [TeamMember.Role.LEADER, TeamMember.Role.DEPUTY]
            + [TeamMember.Role.MEMBER] * rng.randint(2, 4)
        ):
            members.append(
                TeamMember(team=team, name=f"{person_name(rng)} {k}", role=role)
            )
    TeamMember.objects.bulk_create(members)
    return ward, rgs, teams


def person_name(rng: random.Random) -> str:
    return " ".join(rng.choice(words) for words in WORDS)


FALLBACK_PARAGRAPHS = [
    "Dịch vụ công trực tuyến giúp người dân nộp hồ sơ, theo dõi kết quả và nhận giấy tờ "
    "mà không phải đến trụ sở Ủy ban nhân dân phường. Chỉ cần một chiếc điện thoại có kết "
    "nối Internet và tài khoản định danh điện tử VNeID mức 2, bạn có thể làm nhiều thủ tục "
    "thường gặp như đăng ký khai sinh, đăng ký thường trú hay xin cấp phiếu lý lịch tư pháp.",
    "Trước khi bắt đầu, hãy chuẩn bị đầy đủ giấy tờ cần thiết và chụp ảnh rõ nét từng trang. "
    "Ảnh bị mờ, bị cắt góc hoặc bị lóa đèn là lý do thường gặp khiến hồ sơ phải bổ sung. Nếu "
    "chưa quen thao tác, bạn có thể nhờ thành viên Tổ công nghệ số cộng đồng ở tổ dân phố "
    "hướng dẫn từng bước, hoàn toàn miễn phí.",
    "Khi nộp hồ sơ, hãy đọc kỹ từng mục, điền thông tin đúng như trên giấy tờ gốc và kiểm tra "
    "lại trước khi bấm nút gửi. Sau khi gửi, hệ thống cấp cho bạn một mã hồ sơ. Hãy ghi lại mã "
    "này để tra cứu tình trạng giải quyết. Khi có kết quả, bạn sẽ nhận được tin nhắn hoặc "
    "thông báo trên ứng dụng.",
    "Tuyệt đối không cung cấp mật khẩu hay mã xác thực OTP cho bất kỳ ai, kể cả người tự xưng "
    "là cán bộ. Cơ quan nhà nước không bao giờ gọi điện yêu cầu bạn chuyển tiền hay đọc mã OTP. "
    "Nếu nghi ngờ, hãy gọi cho Ủy ban nhân dân phường hoặc hỏi Tổ công nghệ số cộng đồng.",
]


def fallback_content() -> dict:
    """One course with one ~500-word lesson and 12 questions, when the starter is missing."""
    from loa.learning.models import Choice, Course, Lesson, Question

    course = Course.objects.create(
        slug="dich-vu-cong-truc-tuyen",
        title="Dịch vụ công trực tuyến",
        summary="Nộp hồ sơ trực tuyến an toàn, đúng cách.",
        target_groups=["nguoi_dan"],
    )
    sections = ["Dịch vụ công là gì", "Chuẩn bị", "Nộp hồ sơ", "Giữ an toàn"]
    body = "\n\n".join(
        f"## {title}\n\n{para}\n\n{para}"
        for title, para in zip(sections, FALLBACK_PARAGRAPHS, strict=True)
    )
    Lesson.objects.create(
        course=course, slug="dich-vu-cong", title="Làm quen dịch vụ công", body=body
    )
    for i in range(12):
        q = Question.objects.create(
            course=course, text=f"Câu hỏi số {i + 1} về dịch vụ công trực tuyến?"
        )
        Choice.objects.bulk_create(
            Choice(question=q, text=f"Phương án {k + 1}", is_correct=k == 0)
            for k in range(4)
        )
    return {"courses": 1, "lessons": 1, "questions": 12}


def content_load() -> tuple[str, dict]:
    try:
        from loa.learning.starter import learning_starter_load
    except ImportError:
        return "hand-made lesson (loa.learning.starter missing)", fallback_content()
    try:
        result = learning_starter_load()
    except Exception as exc:  # noqa: BLE001 - another engineer is still writing it
        return f"hand-made lesson (starter failed: {exc!r:.80})", fallback_content()
    from loa.learning.models import Lesson

    if not Lesson.objects.exists():
        return "hand-made lesson (starter loaded no lessons)", fallback_content()
    return "starter content (loa.learning.starter.learning_starter_load)", result


# -- 1. page weight ----------------------------------------------------------------------


class _Refs(HTMLParser):
    """URLs of the subresources a browser fetches while loading the page."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "link" and a.get("href"):
            rel = set(a.get("rel", "").lower().split())
            if "stylesheet" in rel:
                self.refs.append(("css", a["href"]))
            elif rel & {
                "icon",
                "apple-touch-icon",
                "manifest",
                "preload",
                "modulepreload",
            }:
                self.refs.append((sorted(rel)[0], a["href"]))
        elif tag == "script" and a.get("src"):
            self.refs.append(("js", a["src"]))
        elif tag in {"img", "source", "video", "audio", "track", "embed", "iframe"}:
            for key in ("src", "poster"):
                if a.get(key):
                    self.refs.append((tag, a[key]))
            if a.get("srcset"):
                self.refs.append((tag, a["srcset"].split(",")[0].split()[0]))
        elif tag == "input" and a.get("type") == "image" and a.get("src"):
            self.refs.append(("img", a["src"]))


_CSS_URL = re.compile(
    r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]"""
)


def _compressed(data: bytes) -> tuple[int, int | None]:
    gz = len(gzip.compress(data, compresslevel=9, mtime=0))
    try:
        import brotli
    except ImportError:
        return gz, None
    return gz, len(brotli.compress(data, quality=11))


def _header_bytes(response) -> int:
    """Approximate bytes of the status line and headers on the wire."""
    lines = [f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
    lines += [f"{k}: {v}" for k, v in response.items()]
    lines += [c.output(header="Set-Cookie:") for c in response.cookies.values()]
    return len("\r\n".join(lines).encode()) + 4


def _body(response) -> bytes:
    if response.streaming:
        data = b"".join(response.streaming_content)
        response.close()
        return data
    return response.content


def page_weight(client, url: str) -> dict:
    """The page and its subresources, each with raw, gzip and brotli bytes."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content
    gz_html = len(gzip.compress(html, compresslevel=6, mtime=0))
    rows = [
        {
            "kind": "html",
            "url": url,
            "status": 200,
            "raw": len(html),
            "gzip": gz_html,
            "br": None,
            "headers": _header_bytes(response),
            "cache": response.get("Cache-Control", "—"),
        }
    ]
    parser = _Refs()
    parser.feed(html.decode("utf-8", "replace"))
    queue = [(kind, urljoin(url, ref)) for kind, ref in parser.refs]
    seen = set()
    external = []
    while queue:
        kind, ref = queue.pop(0)
        if ref in seen or ref.startswith("data:"):
            continue
        seen.add(ref)
        parts = urlsplit(ref)
        if parts.netloc and parts.netloc not in {
            "testserver",
            "127.0.0.1",
            "localhost",
        }:
            external.append(ref)
            continue
        asset = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        data = _body(asset) if asset.status_code == 200 else b""
        gz, br = _compressed(data) if data else (0, None)
        rows.append(
            {
                "kind": kind,
                "url": parts.path,
                "status": asset.status_code,
                "raw": len(data),
                "gzip": gz,
                "br": br,
                "headers": _header_bytes(asset),
                "cache": asset.get("Cache-Control", "—"),
            }
        )
        if kind == "css" and data:
            for m in _CSS_URL.finditer(data.decode("utf-8", "replace")):
                inner = m.group(1) or m.group(2)
                queue.append(("css-ref", urljoin(ref, inner.strip())))
    return {"url": url, "rows": rows, "external": external, "html": html}


def load_seconds(page_bytes: int, asset_bytes: int, *, repeat: bool) -> float:
    rate = BANDWIDTH_BPS / 8
    if repeat:
        return 2 * RTT + RTT + page_bytes / rate + (RTT if asset_bytes else 0)
    t = 3 * RTT + RTT + page_bytes / rate
    if asset_bytes:
        t += 3 * RTT + asset_bytes / rate
    return t


def report_weight(name: str, pw: dict) -> dict:
    print(f"{name}: {pw['url']}")
    rows = []
    for r in pw["rows"]:
        rows.append(
            [
                r["kind"],
                r["url"],
                r["status"],
                r["raw"],
                r["gzip"],
                "—" if r["br"] is None else r["br"],
                r["headers"],
                r["cache"],
            ]
        )
    html = pw["rows"][0]
    assets = [r for r in pw["rows"][1:] if r["status"] == 200]
    best = [min(r["gzip"], r["br"] or r["gzip"]) for r in assets]
    rows.append(
        [
            "total",
            f"{len(pw['rows'])} requests",
            "",
            sum(r["raw"] for r in pw["rows"]),
            sum(r["gzip"] for r in pw["rows"]),
            html["gzip"] + sum(best),
            sum(r["headers"] for r in pw["rows"]),
            "",
        ]
    )
    print(
        table(
            [
                "kind",
                "url",
                "status",
                "raw B",
                "gzip B",
                "br B",
                "hdr B",
                "Cache-Control",
            ],
            rows,
            right={2, 3, 4, 5, 6},
        )
    )
    if pw["external"]:
        print("external, not counted:", ", ".join(pw["external"]))
    hdr_html = html["headers"]
    hdr_assets = sum(r["headers"] for r in assets)
    no_htmx = [r for r in assets if "htmx" not in r["url"]]
    return {
        # The learning templates carry no hx- attribute: htmx is there for staff pages.
        "no_htmx": (
            html["raw"] + hdr_html,
            sum(min(r["gzip"], r["br"] or r["gzip"]) + r["headers"] for r in no_htmx),
        ),
        # As Loa serves today: gunicorn has no compression and GZipMiddleware is not in
        # MIDDLEWARE, so the HTML goes raw; WhiteNoise serves the precompressed assets.
        "as_served": (html["raw"] + hdr_html, sum(best) + hdr_assets),
        "html_gzip": (html["gzip"] + hdr_html, sum(best) + hdr_assets),
        "no_compression": (
            html["raw"] + hdr_html,
            sum(r["raw"] for r in assets) + hdr_assets,
        ),
    }


# -- 2. server time ----------------------------------------------------------------------


def server_time(client, url: str, requests: int) -> dict:
    from django.db import connection

    for _ in range(10):
        assert client.get(url).status_code == 200, url
    # Not CaptureQueriesContext: request_started resets connection.queries_log.
    timer = QueryTimer()
    with connection.execute_wrapper(timer):
        client.get(url)
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    return {
        "median": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "mean": statistics.fmean(samples),
        "queries": len(timer.queries),
        "bytes": len(response.content),
    }


def report_server(rows: list[tuple[str, str, dict]], baseline: dict) -> None:
    print(
        table(
            [
                "page",
                "url",
                "median ms",
                "p95 ms",
                "req/s (1 thread)",
                "x trivial",
                "SQL",
                "bytes",
            ],
            [
                [
                    name,
                    url,
                    fmt_ms(r["median"]),
                    fmt_ms(r["p95"]),
                    f"{1 / r['mean']:.0f}",
                    f"{r['median'] / baseline['median']:.1f}",
                    r["queries"],
                    r["bytes"],
                ]
                for name, url, r in rows
            ],
        )
    )


# -- 3. statistics at scale -------------------------------------------------------------


def synthesise(ward, groups, teams, scale: float, staff) -> dict:
    from django.db import connection

    from loa.learning.models import (
        Certificate,
        Choice,
        Course,
        Learner,
        Lesson,
        LessonProgress,
        QuizAnswer,
        QuizAttempt,
        SupportVisit,
        TargetGroup,
        TeamMember,
    )

    rng = random.Random(20260101)  # noqa: S311 - reproducible data, not security
    ops = connection.ops
    n_learners = int(100_000 * scale)
    n_progress = int(300_000 * scale)
    n_certs = int(60_000 * scale)
    n_attempts = int(200_000 * scale)
    n_unsubmitted = int(8_000 * scale)
    n_answers = int(1_000_000 * scale)
    n_visits = int(20_000 * scale)

    def json_value(model, field, value):
        return model._meta.get_field(field).get_db_prep_value(value, connection)

    start = datetime(2025, 7, 1, tzinfo=UTC)
    dt_pool = [
        ops.adapt_datetimefield_value(start + timedelta(minutes=37 * i))
        for i in range(20_000)
    ]
    date_pool = [
        ops.adapt_datefield_value(date(2025, 7, 1) + timedelta(days=i))
        for i in range(540)
    ]
    timings = {}

    # Learners
    t = time.perf_counter()
    first_learner = next_id(Learner)
    weights = [rng.uniform(0.5, 1.5) for _ in groups]
    group_of = rng.choices([g.pk for g in groups], weights=weights, k=n_learners)
    target_of = rng.choices(
        [TargetGroup.RESIDENT, TargetGroup.BUSINESS, TargetGroup.CIVIL_SERVANT],
        weights=[70, 15, 15],
        k=n_learners,
    )
    learner_ids = range(first_learner, first_learner + n_learners)

    def learners():
        for i, pk in enumerate(learner_ids):
            created = rng.choice(dt_pool)
            yield (
                pk,
                ward.pk,
                person_name(rng),
                rng.randint(1940, 2010),
                group_of[i],
                target_of[i],
                f"09{rng.randrange(10**8):08d}" if rng.random() < 0.4 else "",
                created,
                secrets.token_urlsafe(16),
                rng.choice(date_pool) if rng.random() < 0.2 else None,
                created,
            )

    counts = {
        "learners": insert(
            Learner,
            [
                "id",
                "ward",
                "name",
                "birth_year",
                "residential_group",
                "target_group",
                "phone",
                "consent_at",
                "access_key",
                "national_confirmed_at",
                "created_at",
            ],
            learners(),
        )
    }
    timings["learners"] = time.perf_counter() - t

    courses = list(Course.objects.order_by("order"))
    lessons = list(
        Lesson.objects.order_by("course__order", "order").values_list("pk", flat=True)
    )
    bank = {
        c.pk: list(c.questions.order_by("pk").values_list("pk", flat=True))
        for c in courses
    }
    choices: dict[int, tuple[list[int], list[int]]] = {}
    for qid, cid, ok in Choice.objects.values_list("question_id", "pk", "is_correct"):
        choices.setdefault(qid, ([], []))[0 if ok else 1].append(cid)

    # Lesson progress: unique (learner, lesson) pairs
    t = time.perf_counter()
    pairs = rng.sample(
        range(n_learners * len(lessons)), min(n_progress, n_learners * len(lessons))
    )
    modes = rng.choices(
        [
            LessonProgress.Mode.SELF,
            LessonProgress.Mode.CLASS,
            LessonProgress.Mode.ASSISTED,
        ],
        weights=[85, 10, 5],
        k=len(pairs),
    )
    counts["lesson progress"] = insert(
        LessonProgress,
        ["learner", "lesson", "mode", "assisted_by", "completed_at"],
        (
            (
                first_learner + p // len(lessons),
                lessons[p % len(lessons)],
                m,
                staff.pk if m == LessonProgress.Mode.ASSISTED else None,
                rng.choice(dt_pool),
            )
            for p, m in zip(pairs, modes, strict=True)
        ),
    )
    timings["lesson progress"] = time.perf_counter() - t

    # Certificates: unique (learner, course) pairs; each has one passing attempt
    t = time.perf_counter()
    cert_pairs = [
        (first_learner + p // len(courses), courses[p % len(courses)].pk)
        for p in rng.sample(range(n_learners * len(courses)), n_certs)
    ]
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    codes = set()
    while len(codes) < n_certs:
        codes.add("".join(rng.choices(alphabet, k=12)))
    counts["certificates"] = insert(
        Certificate,
        ["code", "learner", "course", "issued_at", "is_revoked"],
        (
            (code, learner, course, rng.choice(dt_pool), rng.random() < 0.005)
            for code, (learner, course) in zip(sorted(codes), cert_pairs, strict=True)
        ),
    )
    timings["certificates"] = time.perf_counter() - t

    # Attempts and answers
    t = time.perf_counter()
    n_failed = n_attempts - n_certs - n_unsubmitted
    plan = (
        [(lr, c, "passed") for lr, c in cert_pairs]
        + [
            (
                first_learner + rng.randrange(n_learners),
                rng.choice(courses).pk,
                "failed",
            )
            for _ in range(n_failed)
        ]
        + [
            (first_learner + rng.randrange(n_learners), rng.choice(courses).pk, "open")
            for _ in range(n_unsubmitted)
        ]
    )
    rng.shuffle(plan)
    submitted = n_attempts - n_unsubmitted
    sixes = (
        n_answers - 5 * submitted
    )  # attempts with a sixth answer, to reach the total
    first_attempt = next_id(QuizAttempt)
    attempt_rows = []
    answer_plan = []  # (attempt_id, question_ids, passed)
    k_submitted = 0
    for i, (learner, course, state) in enumerate(plan):
        n_q = 5
        if state != "open":
            n_q = 6 if k_submitted < sixes else 5
            k_submitted += 1
        qids = rng.sample(bank[course], min(n_q, len(bank[course])))
        started = rng.choice(dt_pool)
        passed = state == "passed"
        score = (
            rng.randint(70, 100)
            if passed
            else (rng.randint(0, 60) if state == "failed" else None)
        )
        attempt_rows.append(
            (
                first_attempt + i,
                learner,
                course,
                json_value(QuizAttempt, "question_ids", qids),
                score,
                passed,
                started,
                None if state == "open" else started,
            )
        )
        if state != "open":
            answer_plan.append((first_attempt + i, qids, passed))
    counts["quiz attempts"] = insert(
        QuizAttempt,
        [
            "id",
            "learner",
            "course",
            "question_ids",
            "score",
            "passed",
            "started_at",
            "submitted_at",
        ],
        attempt_rows,
    )
    del attempt_rows
    timings["quiz attempts"] = time.perf_counter() - t

    t = time.perf_counter()
    choice_json = {
        cid: json_value(QuizAnswer, "choice_ids", [cid])
        for right, wrong in choices.values()
        for cid in right + wrong
    }
    empty = json_value(QuizAnswer, "choice_ids", [])

    def answers():
        for attempt, qids, passed in answer_plan:
            p_ok = 0.9 if passed else 0.45
            for qid in qids:
                right, wrong = choices.get(qid, ([], []))
                ok = rng.random() < p_ok and bool(right)
                pick = right if ok else wrong
                yield (
                    attempt,
                    qid,
                    choice_json[rng.choice(pick)] if pick else empty,
                    ok,
                )

    counts["quiz answers"] = insert(
        QuizAnswer,
        ["attempt", "question", "choice_ids", "is_correct"],
        answers(),
        batch=100_000,
    )
    timings["quiz answers"] = time.perf_counter() - t

    # Support visits
    t = time.perf_counter()
    members = {}
    for team_id, member_id in TeamMember.objects.filter(team__in=teams).values_list(
        "team", "pk"
    ):
        members.setdefault(team_id, []).append(member_id)
    helps = [h for h, _ in SupportVisit.Help.choices]
    help_pool = [json_value(SupportVisit, "helps", [h]) for h in helps] + [
        json_value(SupportVisit, "helps", sorted(rng.sample(helps, 2)))
        for _ in range(10)
    ]
    results = [r for r, _ in SupportVisit.Result.choices]
    client_id = SupportVisit._meta.get_field("client_id")

    def visits():
        for _ in range(n_visits):
            team = rng.choice(teams)
            yield (
                client_id.get_db_prep_value(
                    uuid.UUID(int=rng.getrandbits(128), version=4), connection
                ),
                team.pk,
                rng.choice(members[team.pk]),
                f"TDP{team.residential_group.order:02d}-H{rng.randrange(300):03d}",
                rng.choice(date_pool),
                rng.choice(help_pool),
                rng.choices(results, weights=[80, 12, 8])[0],
                rng.randint(1, 4),
                "",
                rng.choice(dt_pool),
            )

    counts["support visits"] = insert(
        SupportVisit,
        [
            "client_id",
            "team",
            "member",
            "household_code",
            "date",
            "helps",
            "result",
            "people",
            "note",
            "created_at",
        ],
        visits(),
    )
    timings["support visits"] = time.perf_counter() - t

    if connection.vendor == "postgresql":  # explicit ids: move the sequences on
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in ops.sequence_reset_sql(no_style(), [Learner, QuizAttempt]):
                cursor.execute(sql)
    return {"counts": counts, "timings": timings}


def stats_bench(ward, learners_expected: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loa.learning.models import Certificate, Learner, QuizAnswer
    from loa.learning.selectors import learning_figures

    t = time.perf_counter()
    figures = learning_figures(ward=ward)
    first = time.perf_counter() - t
    samples = []
    for _ in range(5):
        t = time.perf_counter()
        learning_figures(ward=ward)
        samples.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as ctx:
        learning_figures(ward=ward)
    timer = QueryTimer()
    with connection.execute_wrapper(timer):
        learning_figures(ward=ward)
    # SQLite does part of the work while rows are fetched (a GROUP BY may run inside
    # fetchmany), so each query is timed again here with execute + fetchall, best of 3.
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

    table_name = connection.ops.quote_name(QuizAnswer._meta.db_table)
    count_samples = []
    with connection.cursor() as cursor:
        for _ in range(5):
            t = time.perf_counter()
            cursor.execute(f"SELECT COUNT(*) FROM {table_name}")  # noqa: S608
            answers = cursor.fetchone()[0]
            count_samples.append(time.perf_counter() - t)

    learners = Learner.objects.filter(ward=ward).count()
    certs = Certificate.objects.filter(learner__ward=ward, is_revoked=False).count()
    checks = [
        ("learners (figure)", figures["learners"], learners),
        (
            "sum of by_residential_group.learners",
            sum(r["learners"] for r in figures["by_residential_group"]),
            learners,
        ),
        (
            "sum of by_target_group.learners",
            sum(r["learners"] for r in figures["by_target_group"]),
            learners,
        ),
        (
            "sum of by_residential_group.certificates",
            sum(r["certificates"] for r in figures["by_residential_group"]),
            certs,
        ),
        (
            "sum of by_course.certificates",
            sum(r["certificates"] for r in figures["by_course"]),
            certs,
        ),
    ]
    return {
        "first": first,
        "median": statistics.median(samples),
        "samples": samples,
        "queries": len(ctx.captured_queries),
        "timed": sorted(timed, key=lambda q: -q[2]),
        "count_median": statistics.median(count_samples),
        "answers": answers,
        "checks": checks,
        "figures": figures,
        "expected_learners": learners_expected,
    }


def _short_sql(sql: str, width: int = 150) -> str:
    sql = re.sub(r'"learning_(\w+)"', r"\1", sql)
    sql = re.sub(r"\s+", " ", sql)
    return sql if len(sql) <= width else sql[: width - 1] + "…"


# -- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    run_started = time.perf_counter()

    data_dir, setup_s = django_setup(
        keep_database_url=bool(os.environ.get("DATABASE_URL"))
    )
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from loa.learning import services
    from loa.learning.models import Course, Lesson, TargetGroup

    trivial_url = register_trivial_view()
    t = time.perf_counter()
    ward, groups, teams = ward_create(30)
    content_source, content_result = content_load()
    content_s = time.perf_counter() - t
    staff = get_user_model().objects.create_user(
        "bench-staff", password=secrets.token_hex(8)
    )

    db_label = (
        f"PostgreSQL ({settings.DATABASES['default'].get('NAME')})"
        if connection.vendor == "postgresql"
        else f"SQLite {connection.Database.sqlite_version} (WAL, synchronous=NORMAL), "
        "no DATABASE_URL"
    )
    print("Loa — Bình dân học vụ số benchmark")
    print(f"database: {db_label}")
    print(f"data dir: {data_dir}  (migrate {setup_s:.1f} s, content {content_s:.1f} s)")
    print(f"content:  {content_source}: {content_result}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    # The lesson of median length and a learner with a fresh attempt of its course.
    lessons = sorted(
        Lesson.objects.select_related("course"), key=lambda x: len(x.body.split())
    )
    lesson = lessons[len(lessons) // 2]
    learner = services.learner_register(
        ward=ward,
        name="Nguyễn Thị Hoa",
        birth_year=1958,
        residential_group=groups[0],
        target_group=TargetGroup.RESIDENT,
        consent=True,
    )
    attempt = services.quiz_start(
        learner=learner,
        course=lesson.course,
        rng=random.Random(1),  # noqa: S311 - reproducible draw
    )
    client = Client()
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    lesson_url = f"/hoc/bai/{lesson.slug}/"
    quiz_url = f"/hoc/kiem-tra/{attempt.pk}/"

    # -- 1 ----------------------------------------------------------------------------
    section("1. Page weight as a phone downloads it (cold cache)")
    print(
        f"lesson: {lesson.slug} — {len(lesson.body.split())} words of Markdown "
        f"(starter lessons: {len(lessons)}, {len(lessons[0].body.split())}–"
        f"{len(lessons[-1].body.split())} words); quiz: {len(attempt.question_ids)} questions "
        f"of {lesson.course.slug}\n"
    )
    weights = {}
    for name, url in (("Lesson page", lesson_url), ("Quiz page", quiz_url)):
        pw = page_weight(client, url)
        weights[name] = report_weight(name, pw)
        print()
    html_sizes = []
    for other in lessons:
        body = client.get(f"/hoc/bai/{other.slug}/").content
        html_sizes.append((len(body), len(gzip.compress(body, 6, mtime=0))))
    raw_sizes = sorted(s[0] for s in html_sizes)
    gz_sizes = sorted(s[1] for s in html_sizes)
    print(
        f"all {len(lessons)} lesson pages, HTML: raw {raw_sizes[0]}–{raw_sizes[-1]} B "
        f"(median {statistics.median(raw_sizes):.0f}), gzip {gz_sizes[0]}–{gz_sizes[-1]} B"
    )
    favicon = client.get("/favicon.ico")
    print(
        f"implicit /favicon.ico (browsers ask for it; no <link rel=icon>): "
        f"HTTP {favicon.status_code}, {len(_body(favicon))} B — not counted above"
    )
    print()
    print(LOAD_MODEL)
    print()
    load_rows = []
    for name, w in weights.items():
        for label, key in (
            ("as served today (HTML raw, assets br/gz)", "as_served"),
            ("if the HTML were gzipped", "html_gzip"),
            ("nothing compressed", "no_compression"),
            ("as served, without htmx-2.min.js (unused here)", "no_htmx"),
        ):
            page_b, asset_b = w[key]
            load_rows.append(
                [
                    name,
                    label,
                    kb(page_b + asset_b),
                    f"{load_seconds(page_b, asset_b, repeat=False):.2f}",
                    f"{load_seconds(page_b, asset_b, repeat=True):.2f}",
                ]
            )
    print(
        table(
            ["page", "transfer", "KB first visit", "first visit s", "repeat visit s"],
            load_rows,
            right={2, 3, 4},
        )
    )
    print(
        "(HTML raw: gunicorn serves it and GZipMiddleware is not in MIDDLEWARE; WhiteNoise "
        "serves the .br/.gz files made at collectstatic. Repeat visit moves only the page "
        "bytes.)"
    )

    # -- 2 ----------------------------------------------------------------------------
    section(
        f"2. Server time in process, test Client, warm ({args.requests} requests each)"
    )
    anonymous = Client()
    trivial = server_time(anonymous, trivial_url, args.requests)
    server_rows = [
        ("trivial view (baseline)", trivial_url, trivial),
        (
            "home /hoc/ (anonymous)",
            "/hoc/",
            server_time(anonymous, "/hoc/", args.requests),
        ),
        ("lesson page", lesson_url, server_time(client, lesson_url, args.requests)),
        ("quiz page", quiz_url, server_time(client, quiz_url, args.requests)),
    ]
    report_server(server_rows, trivial)
    print(
        "(lesson and quiz: registered learner, tiny database; see step 3 for the large one)"
    )

    # -- 3 ----------------------------------------------------------------------------
    section("3. Statistics at scale: learning_figures(ward=...)")
    t = time.perf_counter()
    synth = synthesise(ward, groups, teams, args.scale, staff)
    synth_s = time.perf_counter() - t
    print(
        table(
            ["table", "rows inserted", "seconds"],
            [
                [k, f"{v:,}", f"{synth['timings'][k]:.1f}"]
                for k, v in synth["counts"].items()
            ],
        )
    )
    print(
        f"synthesised in {synth_s:.1f} s (raw executemany, one transaction per table; "
        f"{len(groups)} tổ dân phố, 3 target groups, {Course.objects.count()} courses, "
        f"{Lesson.objects.count()} lessons)\n"
    )
    stats = stats_bench(ward, synth["counts"]["learners"])
    total_db, tables = common.db_size(8)
    print(
        table(
            ["measure", "median ms", "first ms", "SQL queries", "rows"],
            [
                [
                    "learning_figures(ward=...)",
                    fmt_ms(stats["median"]),
                    fmt_ms(stats["first"]),
                    stats["queries"],
                    "",
                ],
                [
                    "baseline: SELECT COUNT(*) FROM quizanswer",
                    fmt_ms(stats["count_median"]),
                    "",
                    1,
                    f"{stats['answers']:,}",
                ],
            ],
        )
    )
    print(
        f"learning_figures runs (s): {', '.join(f'{s:.3f}' for s in stats['samples'])}; "
        f"{stats['median'] / stats['count_median']:.1f}x the baseline"
    )
    total_q = sum(q[2] for q in stats["timed"])
    print(
        f"\nslowest queries of one learning_figures call (execute + fetchall, best of 3;"
        f" all {len(stats['timed'])} queries: {fmt_ms(total_q)} ms, the rest of the"
        " call is Python: ORM rows, JSON of the visits):"
    )
    print(
        table(
            ["ms", "share", "rows", "query"],
            [
                [fmt_ms(s), f"{100 * s / total_q:.0f}%", n, _short_sql(sql)]
                for sql, _, s, n in stats["timed"][:6]
            ],
            right={0, 1, 2},
        )
    )
    slow = stats["median"] > STATS_SLOW_SECONDS
    shown = [q for q in stats["timed"] if q[2] >= 0.15 * total_q][:3]
    verdict = (
        f"figures over {STATS_SLOW_SECONDS} s"
        if slow
        else f"figures under {STATS_SLOW_SECONDS} s; shown for the record"
    )
    print(f"\nEXPLAIN QUERY PLAN of the queries over 15% of the SQL time ({verdict}):")
    for sql, params, s, _ in shown or stats["timed"][:1]:
        print(f"\n-- {fmt_ms(s)} ms: {_short_sql(sql, 400)}")
        for line in explain(sql, params):
            print(f"   {line}")
    print("\nsanity checks (figure vs. direct count):")
    print(
        table(
            ["check", "figure", "expected", "ok"],
            [
                [n, f"{a:,}", f"{b:,}", "yes" if a == b else "NO"]
                for n, a, b in stats["checks"]
            ],
        )
    )
    if any(a != b for n, a, b in stats["checks"] if "learners" in n):
        print(
            "  NO on learners: the per-group/per-target-group query counts Count('id') over"
            " a LEFT JOIN with certificates without distinct=True, so a learner is counted"
            " once per certificate."
        )
    print(f"\ndatabase size: {total_db / 2**20:.1f} MiB ({db_label.split(' (')[0]})")
    if tables:
        print(
            table(
                ["table (with its indexes)", "MiB"],
                [[name, f"{size / 2**20:.1f}"] for name, size in tables],
            )
        )

    # -- 2 again, on the large database ------------------------------------------------
    section("2b. Server time again, on the large database")
    server_rows = [
        (
            "trivial view (baseline)",
            trivial_url,
            (trivial := server_time(anonymous, trivial_url, args.requests)),
        ),
        ("lesson page", lesson_url, server_time(client, lesson_url, args.requests)),
        ("quiz page", quiz_url, server_time(client, quiz_url, args.requests)),
    ]
    report_server(server_rows, trivial)

    print(f"\ntotal run time {time.perf_counter() - run_started:.0f} s")
    connection.close()
    if args.keep:
        print(f"kept {data_dir}")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
