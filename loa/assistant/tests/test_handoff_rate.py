"""The volunteer handoff is limited per address: each request notifies the ward's staff."""

import pytest
from django.core.cache import caches

from loa.assistant.models import VolunteerRequest
from loa.core.models import ResidentialGroup
from loa.core.tests.factories import WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters(db):
    caches["counters"].clear()
    yield
    caches["counters"].clear()


def _handoff(client, group, **extra):
    return client.post(
        "/api/assistant/handoff",
        {
            "residential_group_id": group.pk,
            "question": "Tôi cần người hướng dẫn cài VNeID",
            "ward": group.ward.slug,
        },
        content_type="application/json",
        **extra,
    )


def test_handoffs_from_one_address_are_limited_in_vietnamese(client):
    group = ResidentialGroup.objects.create(ward=WardFactory(), name="Tổ dân phố số 3")
    for _ in range(5):  # five in ten minutes
        assert _handoff(client, group).status_code == 200
    refused = _handoff(client, group)
    assert refused.status_code == 429
    assert "nhiều yêu cầu gặp tình nguyện viên" in refused.json()["detail"]
    assert VolunteerRequest.objects.count() == 5
    # A neighbour on another address still reaches the team.
    assert _handoff(client, group, REMOTE_ADDR="10.4.5.6").status_code == 200
