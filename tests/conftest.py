"""Shared fixtures of the browser tests: Debian's chromium, driven by Playwright."""

import os

import pytest

from tests.demo_install import demo_install

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Thiếu chromium: chạy scripts/install-debian.sh")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault(
        "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
    )  # playwright's loop in the test thread
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        yield page
        browser.close()


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """One three-ward demo install, as `make run` loads it, for every browser walk."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("make run's install is the embedded SQLite one: walked in that run")
    yield from demo_install(tmp_path_factory.mktemp("demo-install"))
