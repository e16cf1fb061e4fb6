"""The one JSON client: answers read whatever the status, failures free of secrets."""

import pytest

from loa.core import http
from loa.core.testing.platforms import PlatformImitation, free_port


def test_a_refusal_is_read_from_the_body_and_its_detail_scrubbed():
    with PlatformImitation() as imitation:
        imitation.answer_next(
            "zalo", 200, {"error": -216, "message": "Token ABC-SECRET expired"}
        )
        answer = http.json_request(
            "POST",
            f"{imitation.url}/zalo/send?access_token=ABC-SECRET",
            platform="Zalo",
            secret="ABC-SECRET",
            body={"text": "Chào bà con"},
        )
    assert answer.status == 200
    assert http.error_detail(answer.data, secret="ABC-SECRET") == (
        "-216",
        "Token *** expired",
    )
    assert imitation.of("zalo")[0]["json"] == {"text": "Chào bà con"}


def test_no_connection_is_a_vietnamese_failure_that_is_safe_to_retry():
    with pytest.raises(http.HttpFailure) as failure:
        http.json_request(
            "GET",
            f"http://127.0.0.1:{free_port()}/?token=SECRET-1",
            platform="Facebook",
            secret="SECRET-1",
        )
    assert str(failure.value).startswith("Không kết nối được tới Facebook")
    assert "SECRET-1" not in str(failure.value)
    assert not failure.value.is_ambiguous
