"""Debian's chromium driven by Playwright, for every browser test (one launch recipe)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


@contextmanager
def chromium_page(viewport: dict = PHONE) -> Iterator:
    """A fresh page in headless chromium; a clear failure when chromium is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Thiếu chromium: chạy scripts/install-debian.sh")
    from playwright.sync_api import sync_playwright

    # Playwright's event loop runs in the test thread.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
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
        try:
            yield browser.new_page(viewport=viewport)
        finally:
            browser.close()
