"""The three-ward demo exactly as `make run` loads it (`loa setup`, then `loa serve`),
shared by every browser walk of the suite, with small helpers the walks use."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

# (slug, host, name, plan number) of the demo's wards.
WARDS = [
    ("hai-duong", "127.0.0.1", "Hải Dương", "77/KH-UBND"),
    ("le-thanh-nghi", "le-thanh-nghi.localhost", "Lê Thanh Nghị", "68/KH-UBND"),
    ("thanh-dong", "thanh-dong.localhost", "Thành Đông", "81/KH-UBND"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_install(data: Path):
    """Set up the demo in `data`, serve it, and yield where it is; stop it afterwards."""
    port = _free_port()
    env = {
        **os.environ,
        "LOA_DATA_DIR": str(data),
        "LOA_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command's own default, as in make run
    loa = str(Path(sys.executable).with_name("loa"))
    setup = subprocess.run(
        [loa, "setup"], env=env, capture_output=True, text=True, timeout=1200
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    for _, host, _, _ in WARDS:
        assert f"http://{host}:{port}/" in setup.stdout  # printed for the person
    log = (data / "serve.log").open("w")
    server = subprocess.Popen(
        [loa, "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(
                        (data / "serve.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.5)
        yield SimpleNamespace(
            port=port,
            base=f"http://127.0.0.1:{port}",
            db=data / "loa.sqlite3",
            env=env,
            loa=loa,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def query(demo, sql, *params):
    """Read the demo's database directly, to find ids and check what a walk left."""
    with sqlite3.connect(demo.db) as db:
        return db.execute(sql, params).fetchall()


def ward_id(demo, slug):
    return query(demo, "SELECT id FROM core_ward WHERE slug = ?", slug)[0][0]


def sign_in(page, base, username, next_path="/"):
    """Sign in on the login page as a demo account (password of the demo)."""
    from loa.plans.demo import DEMO_PASSWORD

    if "/dang-nhap/" not in page.url:
        page.goto(f"{base}/dang-nhap/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def menu_go(page, label):
    """Open a staff menu entry as a person would: on a phone the menu first unfolds."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible():
        toggle.click()
    page.locator("#staff-nav").get_by_role("link", name=label, exact=True).click()
