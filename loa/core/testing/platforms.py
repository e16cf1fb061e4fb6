"""A local imitation of the HTTP platforms Loa talks to, for tests and benches.

One server on 127.0.0.1 stands in for Zalo OA, the Facebook Graph API, YouTube,
Messenger, a language model or a text-to-speech service: it records every request and
answers canned JSON (or bytes, sent as they are: audio) chosen by the first segment of
the request's path (``/zalo/...`` is the platform "zalo"), so one server plays several
platforms at once. Tests queue answers of their own (an error, a lost answer) in front
of the canned ones, and stop and start the server on the same port to take a platform
down.

Plain Python (no Django, no pytest), so that bench scripts can use it too.

    imitation = PlatformImitation({"zalo": {"error": 0}, "*": {"id": "1"}}).start()
    settings.LOA_ZALO_OA_API_URL = f"{imitation.url}/zalo"
    ...
    imitation.stop()
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# A canned body (JSON; bytes are sent as they are), or a function of the request's
# number (1, 2, … over all platforms) and its record that returns one.
Answer = dict | list | bytes | Callable[[int, dict], Any]

ANY = "*"  # the key of the answer for platforms without one of their own
PROXY_VARIABLES = (
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
)


def free_port() -> int:
    """Return a port of 127.0.0.1 that nothing listens on (for a process started next)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def no_proxy(monkeypatch) -> None:
    """Keep any proxy of the environment from standing between a client and 127.0.0.1.

    `monkeypatch` is pytest's fixture (anything with `setenv` and `delenv`).
    """
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


class PlatformImitation:
    """Records every request; answers queued answers first, then the canned ones.

    Each request is recorded as a dict: ``platform`` (the first path segment),
    ``method``, ``path``, ``query`` (lists of values), ``headers`` (lower-case names),
    ``raw`` (the body), and ``json`` or ``form`` (one value per field) when the body is
    JSON or a URL-encoded form. `delay` seconds pass before a request is recorded and
    answered (a platform that takes its time); it may be changed while running.
    """

    def __init__(self, answers: Mapping[str, Answer] | None = None, *, delay=0.0):
        self.answers: dict[str, Answer] = dict(answers or {})
        self.delay = delay
        self.requests: list[dict] = []
        self.queued: dict[str | None, list[tuple[int, Any, dict]]] = {}
        self.counter = 0
        self.lock = threading.Lock()
        self.server = PlatformServer(self)

    # -- answers --------------------------------------------------------------------

    def answer_next(
        self,
        platform: str | None,
        status: int,
        body: Any = None,
        times: int = 1,
        headers: dict | None = None,
    ) -> None:
        """Queue the next `times` answers to `platform` (None: to any platform).

        Status 0 drops the connection without an answer: the platform took the request
        and its answer was lost. A ``Content-Type`` in `headers` replaces the default
        (``application/json``, or ``application/octet-stream`` for a bytes body).
        """
        with self.lock:
            self.queued.setdefault(platform, []).extend(
                [(status, {} if body is None else body, headers or {})] * times
            )

    def of(self, platform: str) -> list[dict]:
        """Return the requests made to one platform, oldest first."""
        return [r for r in self.requests if r["platform"] == platform]

    def answer(self, record: dict) -> tuple[int, Any, dict]:
        """Record a request and return its (status, body, headers)."""
        platform = record["platform"]
        with self.lock:
            self.counter += 1
            n = self.counter
            self.requests.append(record)
            for key in (platform, None):
                if self.queued.get(key):
                    return self.queued[key].pop(0)
        canned = self.answers.get(platform, self.answers.get(ANY))
        if canned is None:
            return 404, {"error": {"message": f"no imitation of {record['path']}"}}, {}
        return 200, canned(n, record) if callable(canned) else canned, {}

    # -- the server -----------------------------------------------------------------

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        """The server's base address, without a trailing slash."""
        return f"http://127.0.0.1:{self.server.port}"

    def start(self) -> PlatformImitation:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> PlatformImitation:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def record_of(handler: BaseHTTPRequestHandler, raw: bytes) -> dict:
    """Describe one request as PlatformImitation records it."""
    url = urlsplit(handler.path)
    record = {
        "platform": url.path.split("/")[1] if "/" in url.path else "",
        "method": handler.command,
        "path": url.path,
        "query": parse_qs(url.query),
        "headers": {k.lower(): v for k, v in handler.headers.items()},
        "raw": raw,
    }
    ctype = handler.headers.get("Content-Type", "")
    try:
        if ctype.startswith("application/json"):
            record["json"] = json.loads(raw)
        elif ctype.startswith("application/x-www-form-urlencoded"):
            record["form"] = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
    except ValueError:
        pass  # kept as raw: a test of a malformed body reads it from there
    return record


def _handler(imitation: PlatformImitation) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if imitation.delay:
                time.sleep(imitation.delay)
            status, body, headers = imitation.answer(record_of(self, raw))
            if status == 0:  # the platform took the request and the answer was lost
                self.close_connection = True
                return
            if isinstance(body, bytes):  # sent as it is (audio, a file)
                data, ctype = body, "application/octet-stream"
            else:
                data, ctype = json.dumps(body).encode(), "application/json"
            try:
                self.send_response(status)
                if not any(name.lower() == "content-type" for name in headers):
                    self.send_header("Content-Type", ctype)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout under test)

        do_GET = do_PUT = do_DELETE = do_POST  # noqa: N815 - http.server's naming

        def log_message(self, *args):
            pass

    return Handler


class PlatformServer:
    """The imitation behind a real socket; stop() and start() it again on the same port."""

    def __init__(self, imitation: PlatformImitation):
        self.imitation = imitation
        self.port = 0
        self.httpd: ThreadingHTTPServer | None = None

    def start(self) -> None:
        self.httpd = ThreadingHTTPServer(
            ("127.0.0.1", self.port), _handler(self.imitation)
        )
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
