"""The "Phát thanh" desk: the radio unit's officer builds the week's bulletin from the
ward's published articles, edits its script, listens, approves it (audited); officers of
other units and of other wards are refused and nothing changes; the segment comes with an
MP3 much smaller than its WAV."""

import datetime
import io
import math
import shutil
import struct
import wave
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from loa.channels.models import RadioSegment
from loa.channels.services import radio as radio_services
from loa.channels.services.radio import (
    encode_mp3,
    segment_from_script,
    week_label,
)
from loa.core import roles
from loa.core.models import AuditLog, Unit
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user, ward_ensure
from loa.plans.models import Task
from loa.plans.tests.factories import TaskFactory
from loa.vn.dates import week_label_of

from .conftest import make_article

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed"
)
pytestmark = pytest.mark.django_db


def _speech(seconds: float, rate: int = 16000) -> bytes:
    """A WAV of a tone (compressible like a voice, unlike silence)."""
    buffer = io.BytesIO()
    frames = int(rate * seconds)
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * i / rate)))
                for i in range(frames)
            )
        )
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def stub_voice(monkeypatch, settings, tmp_path):
    """A voice that speaks 0.05 s a word, so the desk never waits for espeak-ng."""
    settings.MEDIA_ROOT = tmp_path / "media"
    voice = SimpleNamespace(
        synthesize=lambda text: _speech(0.05 * len(text.split()), rate=8000)
    )
    monkeypatch.setattr(radio_services, "speaker_from_settings", lambda: voice)
    return voice


@pytest.fixture
def ward(db):
    return ward_ensure()


@pytest.fixture
def radio_unit(ward):
    return UnitFactory(ward=ward, name="Trung tâm Dịch vụ sự nghiệp công")


@pytest.fixture
def officer(ward, radio_unit):
    return staff_user(ward=ward, unit=radio_unit, role=roles.UNIT_STAFF)


@pytest.fixture
def published(section):
    make_article(
        section,
        title="Chuyển đổi số là gì?",
        slug="cds-la-gi",
        sapo="Nghị quyết 57-NQ/TW coi CĐS là đột phá quan trọng hàng đầu.",
    )
    make_article(section, title="Học kỹ năng số", slug="hoc-ky-nang-so")
    make_article(section, title="Cài VNeID mức 2", slug="vneid")
    make_article(section, title="Cảnh giác lừa đảo qua mạng", slug="lua-dao")


def _this_week() -> str:
    today = timezone.localdate()
    return week_label(today - datetime.timedelta(days=today.weekday()))


def _build(client):
    return client.post(reverse("loa_channels:radio_build"), {"week": _this_week()})


def _media(relative: str) -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / relative


def _waiting_library_copy(ward) -> RadioSegment:
    return segment_from_script(
        ward=ward,
        title="Bản tin thành phố (thư viện thành phố)",
        script="Kính thưa bà con!\n\nThành phố triển khai ví điện tử.\n",
        folder="thu-vien",
        name="7",
    )


# ------------------------------------------------------------------ the officer's walk


def test_radio_unit_officer_builds_this_weeks_bulletin_from_published_articles(
    client, officer, ward, published
):
    client.force_login(officer)
    desk = client.get(reverse("loa_channels:radio_desk"))
    assert desk.status_code == 200
    html = desk.content.decode()
    assert "Soạn bản tin tuần này" in html
    assert week_label_of(timezone.localdate()).capitalize() in html

    response = _build(client)

    segment = RadioSegment.objects.get(ward=ward)
    assert response.status_code == 302
    assert response.url == reverse("loa_channels:radio_segment", args=[segment.pk])
    assert segment.week == _this_week() and segment.approved_at is None
    script = _media(segment.script_txt).read_text(encoding="utf-8")
    assert "Tin thứ nhất. Chuyển đổi số là gì?" in script
    assert "Tin thứ tư. " in script and "Cảnh giác lừa đảo qua mạng." in script
    assert "một giờ" not in script and "Tin thứ 1" not in script
    assert _media(segment.audio).is_file()
    assert _media(segment.audio).with_suffix(".mp3").is_file()
    row = AuditLog.objects.get(action=AuditLog.Action.CREATE, object_id=str(segment.pk))
    assert row.actor == officer and row.ward == ward

    page = client.get(response.url).content.decode()
    assert "Chờ duyệt" in page and "Duyệt phát" in page
    assert reverse("loa_channels:radio_file", args=[segment.pk, "mp3"]) in page
    assert "2026-W" not in page.replace(f"#tuan-{segment.week}", "")


def test_rebuilding_the_week_refreshes_the_same_segment_and_keeps_library_copies(
    client, officer, ward, published
):
    client.force_login(officer)
    copy = _waiting_library_copy(ward)
    _build(client)
    built = RadioSegment.objects.exclude(pk=copy.pk).get()
    radio_services.segment_approve(segment=built, by=officer)

    _build(client)

    assert RadioSegment.objects.count() == 2
    built.refresh_from_db()
    assert built.approved_at is None  # new content is approved again
    copy.refresh_from_db()
    assert copy.title.startswith("Bản tin thành phố")


def test_officer_edits_the_script_and_the_audio_is_read_again(
    client, officer, ward, published
):
    client.force_login(officer)
    _build(client)
    segment = RadioSegment.objects.get()
    radio_services.segment_approve(segment=segment, by=officer)
    before = segment.seconds
    edit = reverse("loa_channels:radio_edit", args=[segment.pk])
    assert "Tin thứ nhất." in client.get(edit).content.decode()

    response = client.post(edit, {"script": "Kính thưa bà con!\r\n\r\nTin ngắn."})

    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.approved_at is None
    assert segment.seconds < before
    assert _media(segment.script_txt).read_text(encoding="utf-8") == (
        "Kính thưa bà con!\n\nTin ngắn.\n"
    )
    with wave.open(str(_media(segment.audio))) as audio:
        assert audio.getnframes() / audio.getframerate() == pytest.approx(
            segment.seconds, abs=0.05
        )
    assert AuditLog.objects.filter(
        action=AuditLog.Action.UPDATE, object_id=str(segment.pk), actor=officer
    ).exists()


def test_an_empty_script_is_refused_and_nothing_changes(client, officer, ward):
    client.force_login(officer)
    segment = _waiting_library_copy(ward)
    before = _media(segment.audio).read_bytes()

    response = client.post(
        reverse("loa_channels:radio_edit", args=[segment.pk]), {"script": "  "}
    )

    assert response.status_code == 200
    assert "Kịch bản không được để trống." in response.content.decode()
    assert _media(segment.audio).read_bytes() == before


def test_officer_approves_a_library_bulletin_waiting_for_approval(
    client, officer, ward
):
    segment = _waiting_library_copy(ward)
    client.force_login(officer)
    assert (
        "thư viện thành phố"
        in client.get(reverse("loa_channels:radio_desk")).content.decode()
    )

    response = client.post(reverse("loa_channels:radio_approve", args=[segment.pk]))

    assert response.status_code == 302
    segment.refresh_from_db()
    assert segment.approved_by == officer and segment.approved_at is not None
    row = AuditLog.objects.get(action=AuditLog.Action.APPROVE)
    assert row.object_id == str(segment.pk) and row.actor == officer
    page = client.get(response.url).content.decode()
    assert "Đã duyệt" in page


def test_staff_listen_before_approval_mp3_first_and_wav_still_there(
    client, officer, ward
):
    segment = _waiting_library_copy(ward)
    client.force_login(officer)
    mp3 = client.get(reverse("loa_channels:radio_file", args=[segment.pk, "mp3"]))
    wav = client.get(reverse("loa_channels:radio_file", args=[segment.pk, "wav"]))
    assert mp3["Content-Type"] == "audio/mpeg" and wav["Content-Type"] == "audio/wav"
    assert b"".join(wav.streaming_content)[:4] == b"RIFF"
    assert _is_mp3(b"".join(mp3.streaming_content))
    page = client.get(reverse("loa_channels:radio_segment", args=[segment.pk]))
    html = page.content.decode()
    assert html.index('type="audio/mpeg"') < html.index('type="audio/wav"')
    assert (
        client.get(
            reverse("loa_channels:radio_file", args=[segment.pk, "exe"])
        ).status_code
        == 404
    )


def test_approved_segment_is_public_as_mp3_and_in_the_feed(client, officer, ward):
    segment = _waiting_library_copy(ward)
    radio_services.segment_approve(segment=segment, by=officer)

    html = client.get(reverse("loa_channels:radio_archive")).content.decode()
    mp3_url = reverse("loa_channels:radio_audio_mp3", args=[segment.pk])
    assert mp3_url in html
    assert reverse("loa_channels:radio_audio", args=[segment.pk]) in html
    assert client.get(mp3_url)["Content-Type"] == "audio/mpeg"
    feed = ET.fromstring(client.get(reverse("loa_channels:radio_feed")).content)  # noqa: S314 - our own feed
    item = feed.find("./channel/item")
    enclosure = item.find("enclosure")
    assert enclosure.get("type") == "audio/mpeg"
    assert enclosure.get("url").endswith(mp3_url)
    mp3_size = _media(segment.audio).with_suffix(".mp3").stat().st_size
    assert enclosure.get("length") == str(mp3_size)


def test_feed_and_archive_write_weeks_in_words_not_iso_codes(client, ward):
    audio = _media("radio/2026-W50/segment.wav")
    audio.parent.mkdir(parents=True)
    audio.write_bytes(_speech(0.2))
    RadioSegment.objects.create(
        ward=ward,
        week="2026-W50",
        title="Chuyển đổi số — Hải Dương — tuần 2026-W50",
        audio="radio/2026-W50/segment.wav",
        approved_at=timezone.now(),
    )
    label = "tuần 50 (07/12 – 13/12/2026)"

    feed = client.get(reverse("loa_channels:radio_feed")).content.decode()
    archive = client.get(reverse("loa_channels:radio_archive")).content.decode()

    assert f"<title>Chuyển đổi số — Hải Dương — {label}</title>" in feed
    assert "Tuần 50 (07/12 – 13/12/2026), dài" in feed
    assert label in archive and "tuần 2026-W50" not in archive


# ------------------------------------------------------------------ who may


def test_plan_manager_may_use_the_desk(client, ward):
    client.force_login(staff_user(ward=ward, role=roles.CULTURE_STAFF))
    assert client.get(reverse("loa_channels:radio_desk")).status_code == 200


def test_officer_of_another_unit_is_refused_and_nothing_changes(
    client, ward, radio_unit, published
):
    segment = _waiting_library_copy(ward)
    economy = UnitFactory(ward=ward, name="Phòng Kinh tế, Hạ tầng và Đô thị")
    client.force_login(staff_user(ward=ward, unit=economy, role=roles.UNIT_STAFF))
    audits = AuditLog.objects.count()

    assert client.get(reverse("loa_channels:radio_desk")).status_code == 403
    assert _build(client).status_code == 403
    assert (
        client.post(
            reverse("loa_channels:radio_approve", args=[segment.pk])
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("loa_channels:radio_edit", args=[segment.pk]), {"script": "Khác."}
        ).status_code
        == 403
    )
    assert (
        client.get(
            reverse("loa_channels:radio_file", args=[segment.pk, "wav"])
        ).status_code
        == 403
    )

    assert RadioSegment.objects.count() == 1
    segment.refresh_from_db()
    assert segment.approved_at is None
    assert "Khác." not in _media(segment.script_txt).read_text(encoding="utf-8")
    assert AuditLog.objects.count() == audits


def test_editor_without_the_radio_unit_is_refused(client, ward, radio_unit):
    client.force_login(staff_user(ward=ward, role=roles.EDITOR))
    assert client.get(reverse("loa_channels:radio_desk")).status_code == 403


def test_another_wards_segment_is_not_found_and_stays_unapproved(client, ward):
    segment = _waiting_library_copy(ward)
    other = WardFactory()
    manager = staff_user(ward=other, role=roles.LEADER)
    client.force_login(manager)

    for name in ("loa_channels:radio_segment", "loa_channels:radio_edit"):
        assert client.get(reverse(name, args=[segment.pk])).status_code == 404
    response = client.post(reverse("loa_channels:radio_approve", args=[segment.pk]))
    assert response.status_code == 404
    assert (
        client.get(
            reverse("loa_channels:radio_file", args=[segment.pk, "mp3"])
        ).status_code
        == 404
    )
    desk = client.get(reverse("loa_channels:radio_desk")).content.decode()
    assert "Bản tin thành phố" not in desk
    segment.refresh_from_db()
    assert segment.approved_at is None


def test_the_radio_unit_is_the_unit_of_the_weekly_radio_task(client, ward, radio_unit):
    culture = UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội")
    TaskFactory(
        plan__ward=ward,
        unit=culture,
        text="Duy trì chuyên mục “Chuyển đổi số” phát thanh định kỳ hằng tuần",
        recurrence=Task.Recurrence.WEEKLY,
    )
    assert radio_services.radio_unit(ward) == culture
    client.force_login(staff_user(ward=ward, unit=culture, role=roles.UNIT_STAFF))
    assert client.get(reverse("loa_channels:radio_desk")).status_code == 200
    client.force_login(staff_user(ward=ward, unit=radio_unit, role=roles.UNIT_STAFF))
    assert client.get(reverse("loa_channels:radio_desk")).status_code == 403


def test_without_a_radio_task_the_service_centre_is_the_radio_unit(ward, radio_unit):
    UnitFactory(ward=ward, name="Phòng Kinh tế")
    assert radio_services.radio_unit(ward) == radio_unit
    assert radio_services.radio_unit(WardFactory()) is None
    assert Unit.objects.filter(ward=ward).count() == 2


def test_build_without_published_articles_says_so_and_creates_nothing(
    client, officer, ward
):
    client.force_login(officer)
    response = _build(client)
    assert response.status_code == 302
    assert response.url == reverse("loa_channels:radio_desk")
    follow = client.get(response.url).content.decode()
    assert "Chưa có tin bài nào đã xuất bản" in follow
    assert not RadioSegment.objects.exists()


def test_build_without_a_week_changes_nothing(client, officer, published):
    client.force_login(officer)
    response = client.post(reverse("loa_channels:radio_build"))
    assert response.status_code == 302
    assert not RadioSegment.objects.exists()


def test_airing_log_page_lists_the_wards_airings_with_weeks_in_words(
    client, officer, ward
):
    from loa.channels.models import RadioAiring

    RadioAiring.objects.create(
        ward=ward, cluster="Cụm loa tổ 3", aired_at=timezone.now(), week="2026-W50"
    )
    RadioAiring.objects.create(
        ward=WardFactory(), cluster="Cụm loa phường khác", aired_at=timezone.now()
    )
    client.force_login(officer)
    html = client.get(reverse("loa_channels:radio_airings")).content.decode()
    assert "Cụm loa tổ 3" in html and "Tuần 50 (07/12 – 13/12/2026)" in html
    assert "phường khác" not in html


# ------------------------------------------------------------------ compressed audio


def _is_mp3(data: bytes) -> bool:
    return data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def test_mp3_beside_the_wav_is_much_smaller(tmp_path):
    wav = tmp_path / "segment.wav"
    wav.write_bytes(_speech(10.0, rate=22050))

    mp3 = encode_mp3(wav)

    assert mp3 == tmp_path / "segment.mp3"
    assert _is_mp3(mp3.read_bytes())
    assert mp3.stat().st_size * 5 < wav.stat().st_size


def test_mp3_from_8_bit_audio(tmp_path):
    wav = tmp_path / "segment.wav"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(bytes((128 + int(60 * math.sin(i / 5))) for i in range(16000)))
    assert _is_mp3(encode_mp3(wav).read_bytes())


@needs_espeak
def test_a_two_minute_espeak_segment_shrinks_at_least_five_times(tmp_path):
    from loa.channels.services.radio import segment_build
    from loa.channels.tts import EspeakSpeaker

    sentence = (
        "Kính thưa bà con! Phường hướng dẫn bà con cài đặt và kích hoạt tài khoản "
        "định danh điện tử mức hai, nộp hồ sơ dịch vụ công trực tuyến và thanh toán "
        "không dùng tiền mặt."
    )
    script = "\n\n".join([sentence] * 14)
    result = segment_build(
        script=script, speaker=EspeakSpeaker(), out_path=tmp_path / "segment.wav"
    )
    mp3 = encode_mp3(tmp_path / "segment.wav")

    wav_size = (tmp_path / "segment.wav").stat().st_size
    assert result["seconds"] > 100
    assert mp3.stat().st_size * 5 < wav_size
