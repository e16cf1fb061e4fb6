"""schemathesis against Loa's OpenAPI schema (issue 7): no operation answers a server error.

The schema is read from /api/openapi.json of the real WSGI application
(``schemathesis.openapi.from_wsgi``) and every operation is called in-process with
generated data, valid and invalid (schemathesis's positive and negative modes):

- ``not_a_server_error``: no 5xx, whatever the body;
- ``response_schema_conformance`` and ``content_type_conformance``: a documented status
  answers what the schema says.

The ask endpoint is rate limited (``LOA_ASSISTANT_RATE_PER_MINUTE``); the limit is raised
here so that the fuzzing reaches the answering code instead of collecting 429s. The
learning API needs a signed-in member of a digital team: the calls carry that user's
session cookie and CSRF token, as visit.js does.

Besides the fuzzing, a few hand-made bodies pin the bugs schemathesis found, on SQLite
and PostgreSQL alike (``make test`` runs both): every refusal is a 4xx with a Vietnamese
message.
"""

import json
import uuid

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from loa.assistant import index
from loa.core import roles
from loa.core.models import ResidentialGroup
from loa.core.tests.factories import WardFactory, staff_user
from loa.learning.models import Team, TeamMember

VIETNAMESE_LETTERS = (
    "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)


def is_vietnamese(message) -> bool:
    return isinstance(message, str) and any(
        ch in message.lower() for ch in VIETNAMESE_LETTERS
    )


@pytest.fixture
def world(db, settings, tmp_path):
    """One ward with a tổ dân phố, its digital team and a signed-in team member."""
    settings.LOA_ASSISTANT_RATE_PER_MINUTE = 1_000_000
    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    index.forget_retriever()
    cache.clear()
    ward = WardFactory(name="Hải Dương", slug="hai-duong")
    group = ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố số 3", order=3)
    team = Team.objects.create(ward=ward, residential_group=group, name="Tổ CNS số 3")
    user = staff_user(ward=ward, role=roles.UNIT_STAFF, username="to-vien")
    TeamMember.objects.create(team=team, name="Trần Văn Bình", user=user)
    client = Client()
    client.force_login(user)
    csrf = "loafuzz" + "0" * 25  # any 32 letters and digits make a valid CSRF secret
    # The calls go through the WSGI handler, not Django's test client: keep the handler
    # from closing the test's database connection at the end of each request, as the
    # test client does (with PostgreSQL the test transaction would be lost).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {
        "ward": ward,
        "group": group,
        "team": team,
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        # GZipMiddleware would compress for a client that accepts it; the test client
        # reads the body as sent.
        "headers": {"X-CSRFToken": csrf, "Accept-Encoding": "identity"},
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    index.forget_retriever()


# Read at import: serving /api/openapi.json needs no database. (schemathesis's lazy
# ``from_fixture`` loader does not run under pytest 9, so the schema is not a fixture.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_without_server_error(case, world):
    response = case.call(cookies=world["cookies"], headers=world["headers"])
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            response_schema_conformance,
            content_type_conformance,
        ],
    )
    if 400 <= response.status_code < 500:
        content_type = response.headers.get("content-type", [""])[0]
        if response.status_code == 405 or content_type != "application/json":
            # 405 for a method the schema does not list, and Django's own 400 page for
            # a body it cannot even split (multipart without a boundary) come before
            # the API code.
            return
        body = json.loads(response.content)
        assert is_vietnamese(body.get("detail")), (response.status_code, body)


def test_the_schema_lists_every_api_operation():
    operations = {
        (op.ok().method.upper(), schema.get_full_path(op.ok().path))
        for op in schema.get_all_operations()
    }
    assert operations == {
        ("POST", "/api/assistant/ask"),
        ("POST", "/api/assistant/feedback"),
        ("GET", "/api/assistant/residential-groups"),
        ("POST", "/api/assistant/handoff"),
        ("GET", "/api/learning/teams"),
        ("POST", "/api/learning/visits"),
    }


# ------------------------------------------------------------ what the fuzzing found

BAD_TEXT = [
    ("/api/assistant/ask", '{"question": "VNeID l\\u00e0 g\\u00ec\\u0000"}'),
    ("/api/assistant/ask", '{"question": "VNeID", "ward": "hai\\u0000duong"}'),
    ("/api/assistant/ask", '{"question": "VNeID \\ud800 l\\u00e0 g\\u00ec"}'),
    ("/api/assistant/ask", '{"question": "VNeID", "ward": "\\udfff"}'),
    (
        "/api/assistant/handoff",
        '{"residential_group_id": GROUP, "question": "x", "contact_name": "A\\u0000",'
        ' "consent": true}',
    ),
    (
        "/api/assistant/handoff",
        '{"residential_group_id": GROUP, "question": "\\udbff", "consent": true}',
    ),
    (
        "/api/learning/visits",
        '{"client_id": "CLIENT", "household_code": "TDP3-001", "helps": ["khac"],'
        ' "note": "\\u0000"}',
    ),
]


@pytest.mark.parametrize("url,body", BAD_TEXT)
def test_nul_and_lone_surrogates_are_refused_in_vietnamese(world, url, body):
    """A NUL made PostgreSQL raise and a lone surrogate ("\\ud800") made every database
    raise: a server error. Both are now a 400 with a Vietnamese message, on every body
    and query string of the API."""
    client = Client(raise_request_exception=False)
    client.cookies.load(world["cookies"])
    body = body.replace("GROUP", str(world["group"].pk))
    body = body.replace("CLIENT", str(uuid.uuid4()))
    response = client.post(
        url,
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": world["cookies"]["csrftoken"]},
    )
    assert response.status_code == 400, response.content
    assert "ký tự không hợp lệ" in response.json()["detail"]
    assert response.json()["code"] == "bad_body"


def test_nul_in_a_query_string_is_refused_in_vietnamese(world):
    response = Client(raise_request_exception=False).get(
        "/api/assistant/residential-groups", {"ward": "hai\x00duong"}
    )
    assert response.status_code == 400
    assert is_vietnamese(response.json()["detail"])


@pytest.mark.parametrize(
    "url,body",
    [
        ("/api/assistant/ask", "not json"),
        ("/api/learning/visits", "{"),
    ],
)
def test_a_body_that_is_not_json_is_a_documented_vietnamese_400(world, url, body):
    """ninja's own "Cannot parse request body" had no `code`, against the learning API's
    documented 400 (ErrorOut), and was English in the chat widget."""
    client = Client()
    client.cookies.load(world["cookies"])
    response = client.post(
        url,
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": world["cookies"]["csrftoken"]},
    )
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"detail", "code", "errors"}
    assert data["code"] == "bad_body" and is_vietnamese(data["detail"])


def test_a_body_that_does_not_fit_the_schema_is_a_vietnamese_422(world):
    response = Client().post(
        "/api/assistant/feedback",
        data={"exchange_id": "mot", "value": []},
        content_type="application/json",
    )
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid" and is_vietnamese(data["detail"])
    assert set(data["errors"]) == {"exchange_id", "conversation_id", "value"}
    assert all(is_vietnamese(m) for ms in data["errors"].values() for m in ms)


def test_unknown_ids_are_a_vietnamese_404(world):
    response = Client().post(
        "/api/assistant/feedback",
        data={
            "exchange_id": 2**70,
            "conversation_id": "00000000-0000-4000-8000-000000000000",
            "value": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert is_vietnamese(response.json()["detail"])
