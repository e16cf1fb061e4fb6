"""Shared fixtures of the outbox tests: a portal article tied to a plan task, and a local
imitation of the Zalo OA, Facebook Graph and YouTube Data APIs."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

ZALO_TOKEN = "ZALO-OA-TOKEN-1"
FB_TOKEN = "FB-PAGE-TOKEN-2"
FB_PAGE = "1029384756"
YT_TOKEN = "YT-TOKEN-3"


class Imitation:
    """Records every request; answers canned successes unless told otherwise."""

    def __init__(self):
        self.requests: list[dict] = []
        self.queued: dict[str, list[tuple[int, dict, dict]]] = {}
        self.counter = 0
        self.lock = threading.Lock()

    def answer_next(
        self, platform: str, status: int, body: dict, times=1, headers=None
    ):
        self.queued.setdefault(platform, []).extend(
            [(status, body, headers or {})] * times
        )

    def of(self, platform: str) -> list[dict]:
        return [r for r in self.requests if r["platform"] == platform]

    def answer(self, platform: str, path: str) -> tuple[int, dict, dict]:
        with self.lock:
            self.counter += 1
            n = self.counter
            if self.queued.get(platform):
                return self.queued[platform].pop(0)
        if platform == "zalo":
            return (
                200,
                {"error": 0, "message": "Success", "data": {"message_id": f"z{n}"}},
                {},
            )
        if platform == "facebook":
            return 200, {"id": f"{FB_PAGE}_{n}"}, {}
        return 200, {"id": f"vid{n}", "kind": "youtube#video"}, {}


def _handler(imitation: Imitation):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            path = urlsplit(self.path).path
            platform = path.split("/")[1]
            record = {
                "platform": platform,
                "path": path,
                "query": parse_qs(urlsplit(self.path).query),
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "raw": raw,
            }
            ctype = self.headers.get("Content-Type", "")
            if ctype.startswith("application/json"):
                record["json"] = json.loads(raw)
            elif ctype.startswith("application/x-www-form-urlencoded"):
                record["form"] = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            imitation.requests.append(record)
            status, body, headers = imitation.answer(platform, path)
            if status == 0:  # the platform took the request and the answer was lost
                self.close_connection = True
                return
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


class Server:
    """The imitation behind a real socket; stop() and start() it again on the same port."""

    def __init__(self, imitation: Imitation):
        self.imitation = imitation
        self.port = 0
        self.httpd = None

    def start(self):
        self.httpd = ThreadingHTTPServer(
            ("127.0.0.1", self.port), _handler(self.imitation)
        )
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


@pytest.fixture
def platforms(settings, monkeypatch):
    imitation = Imitation()
    server = Server(imitation)
    server.start()
    for name in (
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    base = f"http://127.0.0.1:{server.port}"
    settings.LOA_ZALO_OA_ACCESS_TOKEN = ZALO_TOKEN
    settings.LOA_ZALO_OA_API_URL = f"{base}/zalo"
    settings.LOA_FACEBOOK_PAGE_ID = FB_PAGE
    settings.LOA_FACEBOOK_PAGE_TOKEN = FB_TOKEN
    settings.LOA_FACEBOOK_API_URL = f"{base}/facebook/v21.0"
    settings.LOA_YOUTUBE_ACCESS_TOKEN = YT_TOKEN
    settings.LOA_YOUTUBE_API_URL = f"{base}/youtube"
    imitation.server = server
    yield imitation
    server.stop()


@pytest.fixture(autouse=True)
def _outbox_settings(settings):
    settings.LOA_ZALO_OA_ACCESS_TOKEN = ""
    settings.LOA_FACEBOOK_PAGE_ID = ""
    settings.LOA_FACEBOOK_PAGE_TOKEN = ""
    settings.LOA_YOUTUBE_ACCESS_TOKEN = ""
    settings.LOA_CHANNELS_DEFAULT = []
    settings.LOA_CHANNELS_HOLD_MINUTES = 0
    settings.LOA_CHANNELS_MAX_ATTEMPTS = 3
    settings.LOA_CHANNELS_BACKOFF_SECONDS = 1
    settings.LOA_ZALO_PROMO_MONTHLY_QUOTA = 1000


@pytest.fixture
def section(db, settings, tmp_path):
    from loa.content.models import SectionPage
    from loa.content.starter import content_starter_load

    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    cache.clear()
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    return SectionPage.objects.get(slug="chuyen-doi-so")


@pytest.fixture
def task(db):
    """A task of the portal's ward (the ward its articles and deliveries belong to)."""
    from loa.core.tests.factories import ward_ensure
    from loa.plans.tests.factories import TaskFactory

    return TaskFactory(plan__ward=ward_ensure())


def make_article(
    parent,
    *,
    title="Phường ra mắt Tổ công nghệ số cộng đồng",
    task=None,
    slug=None,
    sapo="Sáng 5/3, phường ra mắt 12 Tổ công nghệ số cộng đồng.",
    body="<p>Các tổ sẽ giúp người dân cài VNeID và nộp hồ sơ trực tuyến.</p>",
    tags=(),
    publish=True,
):
    from loa.content.models import ArticlePage

    article = ArticlePage(
        title=title,
        slug=slug or "",
        sapo=sapo,
        body=[("paragraph", body)],
        related_task=task,
        live=False,
    )
    parent.add_child(instance=article)
    for tag in tags:
        article.tags.add(tag)
    revision = article.save_revision()
    if publish:
        revision.publish()
    article.refresh_from_db()
    return article
