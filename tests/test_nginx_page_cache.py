"""deploy/nginx/loa-page-cache.conf in a real nginx: it keeps only what Loa marks.

A mistake here would hand one person's page to everyone, so the rules are checked
against a small upstream that counts the requests reaching it.
"""

import http.client
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNIPPET = ROOT / "deploy" / "nginx" / "loa-page-cache.conf"

CONF = """
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
daemon off;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {root}/tmp/body;
  proxy_temp_path {root}/tmp/proxy;
  fastcgi_temp_path {root}/tmp/fastcgi;
  uwsgi_temp_path {root}/tmp/uwsgi;
  scgi_temp_path {root}/tmp/scgi;
  proxy_cache_path {root}/cache levels=1:2 keys_zone=loa_pages:1m inactive=1m;
  map $http_accept_encoding $loa_gzip {{ ~*gzip gzip; default ""; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_set_header Host $http_host;
      include {snippet};
    }}
  }}
}}
"""


class Upstream:
    """Answers each path with its own headers and a body naming the request's number."""

    HEADERS = {
        "/trang-cong-khai/": {"X-Accel-Expires": "10"},  # what Loa marks
        "/nhiem-vu/": {},  # a staff page: never marked
        "/dat-cookie/": {"X-Accel-Expires": "10", "Set-Cookie": "csrftoken=abc"},
        "/cache-control/": {"Cache-Control": "public, max-age=3600"},
    }

    def __init__(self):
        self.hits = Counter()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                path = self.path.split("?")[0]
                upstream.hits[path] += 1
                body = f"{path} lần {upstream.hits[path]}".encode()
                self.send_response(200)
                for name, value in upstream.HEADERS.get(path, {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer  # noqa: N815 - http.server's naming

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def edge():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.fail("Thiếu nginx: chạy scripts/install-debian.sh")
    upstream = Upstream()
    root = Path(tempfile.mkdtemp(prefix="loa-nginx-"))
    root.chmod(0o755)
    (root / "tmp").mkdir()
    port = _free_port()
    (root / "nginx.conf").write_text(
        CONF.format(root=root, port=port, upstream=upstream.port, snippet=SNIPPET)
    )
    process = subprocess.Popen(  # noqa: S603 - nginx on loopback
        [nginx, "-c", str(root / "nginx.conf"), "-p", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx không chạy: {process.stderr.read().decode()}")
            time.sleep(0.05)

    def get(path, method="GET", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read().decode()
        conn.close()
        return response, body

    get.upstream = upstream
    try:
        yield get
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_a_marked_public_page_is_answered_by_nginx_for_visitors(edge):
    first, body = edge("/trang-cong-khai/")
    second, again = edge("/trang-cong-khai/")
    assert body == again == "/trang-cong-khai/ lần 1"
    assert first.getheader("X-Cache-Status") == "MISS"
    assert second.getheader("X-Cache-Status") == "HIT"
    assert edge.upstream.hits["/trang-cong-khai/"] == 1
    # Loa's instruction to nginx never reaches the browser.
    assert second.getheader("X-Accel-Expires") is None
    # A compressed and an uncompressed copy are kept apart.
    edge("/trang-cong-khai/", headers={"Accept-Encoding": "gzip"})
    assert edge.upstream.hits["/trang-cong-khai/"] == 2


def test_signed_in_staff_always_reach_loa_and_are_never_stored(edge):
    edge("/trang-cong-khai/")
    staff = {"Cookie": "sessionid=phien-cua-can-bo"}
    response, body = edge("/trang-cong-khai/", headers=staff)
    assert body == "/trang-cong-khai/ lần 2"
    assert response.getheader("X-Cache-Status") == "BYPASS"
    # What staff got was not stored for visitors.
    _, visitor = edge("/trang-cong-khai/")
    assert visitor == "/trang-cong-khai/ lần 1"


@pytest.mark.parametrize(
    "path",
    ["/nhiem-vu/", "/dat-cookie/", "/cache-control/"],
    ids=["unmarked", "sets-a-cookie", "cache-control-only"],
)
def test_only_marked_answers_without_cookies_are_kept(edge, path):
    _, first = edge(path)
    _, second = edge(path)
    assert (first, second) == (f"{path} lần 1", f"{path} lần 2")
    assert edge.upstream.hits[path] == 2


def test_posts_always_reach_loa(edge):
    edge("/trang-cong-khai/")
    _, body = edge("/trang-cong-khai/", method="POST")
    assert body == "/trang-cong-khai/ lần 2"
