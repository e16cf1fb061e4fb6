"""Shared fixtures of the browser tests: Debian's chromium, driven by Playwright."""

import os

import pytest

from loa.core.testing.browser import PHONE, chromium_page
from tests.demo_install import demo_install


@pytest.fixture
def browser_page():
    with chromium_page(PHONE) as page:  # a phone
        yield page


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """One three-ward demo install, as `make run` loads it, for every browser walk."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("make run's install is the embedded SQLite one: walked in that run")
    yield from demo_install(tmp_path_factory.mktemp("demo-install"))
