"""`loa radio build -o DIR`, the broadcast schedule, and the public podcast archive."""

import datetime
import io
import json
import shutil
import wave
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from loa.channels.models import RadioSegment, RadioSlot
from loa.channels.services.radio import build_segment_dir, store_segment

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed"
)


def _wav(seconds=0.5, rate=16000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x01\x00" * int(rate * seconds))
    return buffer.getvalue()


def _seconds(path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def _articles():
    return [
        SimpleNamespace(
            title="Chuyển đổi số là gì?",
            sapo="Nghị quyết 57-NQ/TW coi CĐS là đột phá quan trọng hàng đầu.",
            body=["Kinh tế số đạt 30% GDP vào năm 2030."],
            url="https://phuong.example/cds/",
        ),
        SimpleNamespace(
            title="Học kỹ năng số",
            sapo="Bà con học miễn phí trên binhdanhocvuso.gov.vn.",
            body=[],
            url="https://phuong.example/hoc/",
        ),
    ]


def _check_dir(out_dir):
    for name in ("script.txt", "script.docx", "segment.wav", "manifest.json"):
        assert (out_dir / name).is_file(), name
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"week", "ward", "items", "seconds", "words", "built_at"}
    assert manifest["seconds"] == pytest.approx(
        _seconds(out_dir / "segment.wav"), abs=0.05
    )
    assert manifest["words"] > 0
    assert all(set(i) == {"title", "url", "seconds"} for i in manifest["items"])
    assert sum(i["seconds"] for i in manifest["items"]) < manifest["seconds"]
    return manifest


@pytest.mark.django_db
def test_segment_dir_with_a_stub_voice(tmp_path, settings):
    from docx import Document

    from loa.core.tests.factories import WardFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    ward = WardFactory()
    out = tmp_path / "out"
    speaker = SimpleNamespace(synthesize=lambda text: _wav(0.5))
    manifest = build_segment_dir(
        articles=_articles(),
        week_start=datetime.date(2026, 3, 2),
        ward=ward,
        ward_name="Tân Định",
        speaker=speaker,
        out_dir=out,
    )
    checked = _check_dir(out)
    assert checked["week"] == "2026-W10"
    assert checked["ward"] == ward.slug
    assert [i["url"] for i in checked["items"]] == [
        "https://phuong.example/cds/",
        "https://phuong.example/hoc/",
    ]
    # Item 1: title, sapo, one body paragraph — three 0.5 s pieces and two pauses.
    assert checked["items"][0]["seconds"] == pytest.approx(2.7)
    text = (out / "script.txt").read_text(encoding="utf-8")
    assert "CĐS" not in text and "chuyển đổi số" in text.lower()
    docx_text = "\n".join(p.text for p in Document(str(out / "script.docx")).paragraphs)
    assert "Tuần 10 (02/03 – 08/03/2026)" in docx_text
    assert "2026-W10" not in docx_text and "Học kỹ năng số" in docx_text
    segment = store_segment(out_dir=out, manifest=manifest, ward=ward)
    assert segment.approved_at is None
    assert (settings.MEDIA_ROOT / segment.audio).is_file()
    assert segment.audio.startswith("radio/2026-W10/")
    # A rebuild refreshes the same row and clears its approval.
    segment.approved_at = timezone.now()
    segment.save()
    again = store_segment(out_dir=out, manifest=manifest, ward=ward)
    assert again.pk == segment.pk and again.approved_at is None
    assert RadioSegment.objects.count() == 1


@pytest.mark.django_db
@needs_espeak
def test_radio_build_command_writes_the_folder(tmp_path, settings, capsys):
    from loa.content.starter import content_starter_load

    settings.LOA_TTS_BACKEND = "espeak"
    settings.MEDIA_ROOT = tmp_path / "media"
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    out = tmp_path / "radio-2026-W10"
    call_command("radio", "build", "--week", "2026-W10", "-o", str(out))
    assert "Đã dựng chuyên mục tuần 10 (02/03 – 08/03/2026)" in capsys.readouterr().out
    manifest = _check_dir(out)
    assert manifest["week"] == "2026-W10"
    assert len(manifest["items"]) == 3
    segment = RadioSegment.objects.get(week="2026-W10")
    assert segment.seconds == pytest.approx(manifest["seconds"])
    assert _seconds(settings.MEDIA_ROOT / segment.audio) == pytest.approx(
        manifest["seconds"], abs=0.05
    )


@pytest.fixture
def approved_segment(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    audio = settings.MEDIA_ROOT / "radio" / "2026-W10" / "segment.wav"
    audio.parent.mkdir(parents=True)
    audio.write_bytes(_wav(1.0))
    from loa.core.tests.factories import ward_ensure

    return RadioSegment.objects.create(
        ward=ward_ensure(),
        week="2026-W10",
        title="Chuyển đổi số tuần 2026-W10",
        audio="radio/2026-W10/segment.wav",
        seconds=1.0,
        size=audio.stat().st_size,
        approved_at=timezone.now(),
    )


def test_archive_page_plays_and_downloads_approved_segments(client, approved_segment):
    RadioSegment.objects.create(week="2026-W11", title="Chưa duyệt", audio="x.wav")
    response = client.get("/phat-thanh/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<audio" in html and "Chuyển đổi số tuần 10 (02/03 – 08/03/2026)" in html
    assert "2026-W10<" not in html and "Tuần 2026" not in html
    assert "Chưa duyệt" not in html
    audio_url = f"/phat-thanh/{approved_segment.pk}/segment.wav"
    assert audio_url in html and f"{audio_url}?tai=1" in html
    played = client.get(audio_url)
    assert played.status_code == 200 and played["Content-Type"] == "audio/wav"
    assert b"".join(played.streaming_content)[:4] == b"RIFF"
    assert "attachment" in client.get(audio_url + "?tai=1")["Content-Disposition"]
    unapproved = RadioSegment.objects.get(week="2026-W11")
    assert client.get(f"/phat-thanh/{unapproved.pk}/segment.wav").status_code == 404


def test_rss_feed_has_an_enclosure_per_segment(client, approved_segment):
    response = client.get("/phat-thanh/rss/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert len(items) == 1
    enclosure = items[0].find("enclosure")
    assert enclosure is not None
    assert enclosure.get("type") == "audio/wav"
    assert enclosure.get("length") == str(approved_segment.size)
    # On the ward's public address, not on the host the feed was read at.
    assert enclosure.get("url") == approved_segment.ward.absolute_url(
        f"/phat-thanh/{approved_segment.pk}/segment.wav"
    )


@pytest.mark.django_db
def test_radio_slot_is_editable_in_the_admin(admin_client):
    from loa.core.tests.factories import WardFactory

    ward = WardFactory()
    response = admin_client.post(
        "/django-admin/loa_channels/radioslot/add/",
        {"ward": ward.pk, "weekday": 5, "time": "06:30", "cluster": "Cụm loa tổ 3"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    slot = RadioSlot.objects.get()
    assert str(slot) == "Thứ Bảy 06:30 — Cụm loa tổ 3"
    assert admin_client.get("/django-admin/loa_channels/radioslot/").status_code == 200
