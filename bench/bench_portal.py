"""Portal load test: ``python bench/bench_portal.py [--seconds 15]``.

Loa (gunicorn, 2 sync workers, anonymous page cache on) serves the home page and a
cached article on 127.0.0.1; in the same run nginx serves the same two pages saved as
static files. wrk drives each with 64 connections; the table gives requests/s, p50, p95,
p99 (from wrk's own histogram, read by a small Lua ``done`` hook) and errors, and Loa's throughput as a share of nginx's (the ceiling for this machine).
Only loopback traffic. Needs Debian's nginx and wrk (scripts/install-debian.sh).
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench_http import Server, loa_setup
from common import free_port

NGINX_CONF = """
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type text/html;
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  server {{
    listen 127.0.0.1:{port};
    root {root}/site;
    location = / {{ try_files /index.html =404; }}
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
"""


def get(port: int, path: str) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    headers = dict(response.getheaders())
    conn.close()
    return response.status, body, headers


# wrk's --latency table stops at 50/75/90/99; its Lua done() hook can read any
# percentile from the same histogram (microseconds).
PERCENTILES_LUA = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("loa-p%d-us %d\\n", p, latency:percentile(p)))
  end
end
"""


def wrk(url: str, seconds: int, connections: int, script: Path) -> dict:
    out = subprocess.run(  # noqa: S603 - our own load tool on loopback
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(p: int) -> float:
        return int(re.search(rf"loa-p{p}-us (\d+)", out).group(1)) / 1000

    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses:\s+(\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        match = re.search(pattern, out)
        if match:
            errors += sum(int(g) for g in match.groups())
    return {
        "rps": rps,
        "p50": latency(50),
        "p95": latency(95),
        "p99": latency(99),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if not shutil.which("nginx") or not shutil.which("wrk"):
        print("nginx or wrk missing: run scripts/install-debian.sh")  # noqa: T201
        raise SystemExit(1)
    root = Path(tempfile.mkdtemp(prefix="loa-bench-portal-"))
    data_dir = root / "data"
    data_dir.mkdir()
    setup_s = loa_setup(data_dir)
    server = Server(data_dir)
    nginx = None
    try:
        server.wait_ready()
        status, body, _ = get(server.port, "/")
        article_path = re.search(
            r'href="(/[^"]*/[^"/]+/)"[^>]*>\s*[^<]*\S', body.decode()
        ).group(1)
        pages = {"home /": "/", f"article {article_path}": article_path}
        site = root / "site"
        for name, path in pages.items():
            get(server.port, path)  # fill the page cache
            status, content, headers = get(server.port, path)
            target = (
                site / path.strip("/") / "index.html"
                if path != "/"
                else site / "index.html"
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            pages[name] = (path, headers.get("X-Loa-Cache", "?"))
        (root / "tmp").mkdir()
        script = root / "percentiles.lua"
        script.write_text(PERCENTILES_LUA)
        port = free_port()
        (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=port))
        nginx = subprocess.Popen(  # noqa: S603 - Debian's nginx with our config, loopback only
            [
                shutil.which("nginx") or "nginx",
                "-c",
                str(root / "nginx.conf"),
                "-p",
                str(root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        rows = []
        for name, (path, cache) in pages.items():
            loa = wrk(
                f"http://127.0.0.1:{server.port}{path}",
                args.seconds,
                args.connections,
                script,
            )
            static = wrk(
                f"http://127.0.0.1:{port}{path}", args.seconds, args.connections, script
            )
            rows.append((name, cache, loa, static))
        print(
            f"Portal load test: {args.connections} connections, {args.seconds} s each, wrk on loopback; "  # noqa: T201
            f"Loa = gunicorn 2 sync workers (SQLite, page cache), nginx = same page as a static file; "
            f"setup {setup_s:.0f} s"
        )
        print(
            f"{'page':40s} {'cache':6s} {'Loa req/s':>10s} {'p50 ms':>7s} {'p95 ms':>7s} {'p99 ms':>7s} {'err':>4s} "  # noqa: T201
            f"{'nginx req/s':>12s} {'p50 ms':>7s} {'p95 ms':>7s} {'p99 ms':>7s} {'Loa/nginx':>10s}"
        )
        for name, cache, loa, static in rows:
            print(
                f"{name[:40]:40s} {cache:6s} {loa['rps']:10.0f} {loa['p50']:7.1f} {loa['p95']:7.1f} {loa['p99']:7.1f} "  # noqa: T201
                f"{loa['errors']:4d} {static['rps']:12.0f} {static['p50']:7.2f} {static['p95']:7.2f} {static['p99']:7.2f} "
                f"{loa['rps'] / static['rps']:10.1%}"
            )
        print(  # noqa: T201
            "Latency percentiles from wrk's histogram via a Lua done() hook "
            "(latency:percentile); err = non-2xx/3xx + socket errors."
        )
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
