"""Rate limits: counted per scope and client, kept apart from the page cache."""

import pytest
from django.core.cache import caches

from loa.core.ratelimit import failure_record, is_paused, limit_exceeded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    caches["counters"].clear()


def test_the_try_past_the_limit_is_refused_per_scope_and_client():
    assert [
        limit_exceeded(scope="ask", key="a", limit=3, seconds=600) for _ in range(4)
    ] == [False, False, False, True]
    assert not limit_exceeded(scope="ask", key="b", limit=3, seconds=600)
    assert not limit_exceeded(scope="sign-up", key="a", limit=3, seconds=600)


def test_failures_past_the_limit_pause_the_client_and_only_it():
    for _ in range(3):
        failure_record(scope="code", key="a", limit=3, seconds=600)
    assert not is_paused(scope="code", key="a")
    failure_record(scope="code", key="a", limit=3, seconds=600)
    assert is_paused(scope="code", key="a")
    assert not is_paused(scope="code", key="b")


def test_clearing_the_page_cache_keeps_the_counts():
    for _ in range(3):
        limit_exceeded(scope="ask", key="a", limit=3, seconds=600)
    caches["pages"].clear()
    caches["default"].clear()
    assert limit_exceeded(scope="ask", key="a", limit=3, seconds=600)


def test_a_cache_that_does_not_answer_holds_nobody_back(settings):
    # Redis stopped: the strict "counters" cache raises; residents still get answers.
    settings.CACHES = {
        **settings.CACHES,
        "counters": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    assert not any(
        limit_exceeded(scope="ask", key="a", limit=1, seconds=600) for _ in range(3)
    )
    failure_record(scope="code", key="a", limit=0, seconds=600)
    assert not is_paused(scope="code", key="a")
