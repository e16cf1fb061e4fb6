"""The smart-radio platform's airing log becomes Activities, once each."""

import json

import pytest
from django.urls import reverse

from loa.channels.adapters.smart_radio import FolderAdapter
from loa.channels.models import RadioAiring
from loa.channels.services.smart_radio import airings_import
from loa.core.tests.factories import WardFactory
from loa.plans.models import Activity, Task
from loa.plans.tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

LOG = "cluster,aired_at,week,seconds\nCụm loa tổ 3,2026-11-23 06:30,2026-W48,420\nCụm loa tổ 5,2026-11-23 17:00,2026-W48,420\n"


@pytest.fixture
def ward():
    ward = WardFactory(slug="hai-duong")
    TaskFactory(
        plan=PlanFactory(ward=ward),
        recurrence=Task.Recurrence.WEEKLY,
        text="Duy trì chuyên mục “Chuyển đổi số” phát thanh định kỳ hằng tuần",
    )
    return ward


def test_each_airing_in_the_log_is_an_activity_once(ward):
    first = airings_import(ward=ward, data=LOG.encode(), filename="log.csv")
    again = airings_import(ward=ward, data=LOG.encode(), filename="log.csv")
    assert (first.imported, again.imported, again.duplicates) == (2, 0, 2)
    activities = Activity.objects.filter(kind="phat_thanh", channel="dai_truyen_thanh")
    assert (
        activities.count() == 2
        and "Cụm loa tổ 3" in activities.order_by("title").first().title
    )


def test_bad_rows_are_reported_not_dropped(ward):
    result = airings_import(
        ward=ward,
        data=b"cluster,aired_at\n,2026-11-23 06:30\nA,khong-phai-ngay\n",
        filename="x.csv",
    )
    assert result.imported == 0 and len(result.errors) == 2


def test_platform_posts_its_log_with_the_shared_token(client, ward, settings):
    settings.LOA_SMART_RADIO_TOKEN = "bi-mat"
    body = json.dumps(
        {
            "airings": [
                {
                    "cluster": "Cụm 1",
                    "aired_at": "2026-11-24T06:30:00+07:00",
                    "seconds": 400,
                }
            ]
        }
    )
    url = reverse("loa_channels:airing_log") + "?phuong=hai-duong"
    refused = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer sai"
    )
    assert refused.status_code == 403 and RadioAiring.objects.count() == 0
    ok = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer bi-mat"
    )
    assert ok.json()["imported"] == 1 and RadioAiring.objects.get().activity_id


def test_folder_adapter_hands_over_segment_approval_and_schedule(tmp_path):
    segment = tmp_path / "segment.wav"
    segment.write_bytes(b"RIFF....WAVE")
    target = FolderAdapter(tmp_path / "out").push(
        segment=segment,
        manifest={"week": "2026-W48"},
        approval={"approved_by": "lanhdao"},
        schedule=[{"weekday": 1, "time": "06:30", "cluster": "Cụm 1"}],
    )
    package = json.loads(
        (tmp_path / "out" / "2026-W48" / "goi-phat-thanh.json").read_text(
            encoding="utf-8"
        )
    )
    assert (
        package["approval"]["approved_by"] == "lanhdao"
        and (tmp_path / "out" / "2026-W48" / "segment.wav").exists()
    )
    assert target.endswith("2026-W48")


def test_a_json_log_of_non_objects_is_refused_in_vietnamese(db):
    import pytest
    from django.core.exceptions import ValidationError

    from loa.channels.services.smart_radio import airings_import
    from loa.core.tests.factories import WardFactory

    with pytest.raises(ValidationError, match="không đọc được"):
        airings_import(ward=WardFactory(), data=b'[1, "x", null]', filename="log.json")
