"""The weekly radio segment: TTS adapters, script, audio length, the command."""

import base64
import datetime
import io
import shutil
import wave
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from loa.channels.services.radio import segment_build, segment_script
from loa.channels.tts import EspeakSpeaker, HttpSpeaker, SpeechError
from loa.core.testing.platforms import PlatformImitation, no_proxy

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed"
)
CALIBRATION = (
    "Theo nghị quyết của Bộ Chính trị, khoa học, công nghệ, đổi mới sáng tạo và "
    "chuyển đổi số là đột phá quan trọng hàng đầu để phát triển nhanh đất nước."
)


def _wav(seconds=0.5, rate=16000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x01\x00" * int(rate * seconds))
    return buffer.getvalue()


def _duration(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes() / w.getframerate()


def _articles():
    return [
        SimpleNamespace(
            title="Chuyển đổi số là gì?",
            sapo="Nghị quyết 57-NQ/TW coi CĐS là đột phá quan trọng hàng đầu.",
            body=["Kinh tế số đạt 30% GDP vào năm 2030.", "Gọi tổng đài 1022 khi cần."],
        ),
        SimpleNamespace(
            title="Học kỹ năng số",
            sapo="Bà con học miễn phí trên binhdanhocvuso.gov.vn.",
            body=["Ngày 26/3/2025, phong trào được phát động."],
        ),
    ]


def test_script_has_intro_every_article_and_outro():
    script = segment_script(
        articles=_articles(), week_start=datetime.date(2026, 3, 2), ward_name="Tân Định"
    )
    assert script.startswith(
        "Kính thưa bà con! Chuyên mục Chuyển đổi số của phường Tân Định tuần từ "
        "ngày 02/03/2026 đến ngày 08/03/2026"
    )
    assert "Tin thứ nhất. Chuyển đổi số là gì?" in script
    assert "Tin thứ hai. Học kỹ năng số." in script
    assert "Kinh tế số đạt 30% GDP" in script
    assert "trợ lý ảo" in script.split("\n\n")[-1]


def test_script_stops_adding_body_paragraphs_past_the_time_budget():
    script = segment_script(
        articles=_articles(),
        week_start=datetime.date(2026, 3, 2),
        ward_name="phường Tân Định",
        max_seconds=10,
    )
    assert "Tin thứ hai. Học kỹ năng số." in script  # titles and sapos always read
    assert "Kinh tế số" not in script
    assert "phường phường" not in script


def test_build_joins_paragraphs_with_pauses_into_one_wav(tmp_path):
    speaker = SimpleNamespace(synthesize=lambda text: _wav(0.5))
    out = tmp_path / "segment.wav"
    result = segment_build(
        script="Một hai.\n\nBa bốn.", speaker=speaker, out_path=out, pause_seconds=0.25
    )
    assert result["seconds"] == pytest.approx(1.25)
    assert result["words"] == 4
    assert _duration(out.read_bytes()) == pytest.approx(1.25)


@needs_espeak
def test_espeak_speaks_vietnamese_as_wav():
    data = EspeakSpeaker().synthesize("Xin chào bà con")
    with wave.open(io.BytesIO(data)) as w:
        assert w.getframerate() > 0
        assert w.getnframes() > 0


@needs_espeak
def test_segment_audio_length_matches_the_script(tmp_path):
    speaker = EspeakSpeaker()
    # Calibrate the voice on a fixed sentence instead of trusting a constant.
    calibration_words = len(CALIBRATION.split())
    words_per_second = calibration_words / _duration(speaker.synthesize(CALIBRATION))
    script = segment_script(
        articles=_articles(), week_start=datetime.date(2026, 3, 2), ward_name="Tân Định"
    )
    out = tmp_path / "segment.wav"
    result = segment_build(
        script=script, speaker=speaker, out_path=out, words_per_second=words_per_second
    )
    with wave.open(str(out)) as w:
        assert w.getframerate() > 0
        seconds = w.getnframes() / w.getframerate()
    assert seconds == pytest.approx(result["seconds"], abs=0.05)
    assert result["words"] > 50
    assert seconds == pytest.approx(result["words"] / words_per_second, rel=0.35)


def test_espeak_missing_gives_a_vietnamese_message():
    speaker = EspeakSpeaker(binary="/nonexistent/espeak-ng")
    with pytest.raises(SpeechError, match="Không tìm thấy chương trình đọc văn bản"):
        speaker.synthesize("Xin chào")


@pytest.fixture
def tts(monkeypatch):
    """An imitation TTS service: ``/wav`` answers WAV, ``/json`` base64 WAV in JSON."""
    no_proxy(monkeypatch)
    answers = {
        "wav": _wav(0.3),
        "json": {"audio": base64.b64encode(_wav(0.2)).decode()},
    }
    with PlatformImitation(answers) as imitation:
        yield imitation


def test_http_speaker_posts_text_and_returns_wav(tts):
    speaker = HttpSpeaker(url=tts.url + "/wav", api_key="khoa-dung", voice="nu-bac")
    assert _duration(speaker.synthesize("Xin chào")) == pytest.approx(0.3)
    request = tts.of("wav")[-1]
    assert request["headers"]["authorization"] == "Bearer khoa-dung"
    assert request["json"] == {"text": "Xin chào", "voice": "nu-bac"}


def test_http_speaker_accepts_base64_json_audio(tts):
    speaker = HttpSpeaker(url=tts.url + "/json", api_key="khoa-dung")
    assert _duration(speaker.synthesize("Xin chào")) == pytest.approx(0.2)


def test_http_speaker_wrong_key_gives_a_vietnamese_message(tts):
    tts.answer_next("wav", 401)  # the service refuses the key
    speaker = HttpSpeaker(url=tts.url + "/wav", api_key="khoa-sai")
    with pytest.raises(SpeechError, match="HTTP 401 .sai hoặc thiếu khóa API"):
        speaker.synthesize("Xin chào")
    assert tts.of("wav")[-1]["headers"]["authorization"] == "Bearer khoa-sai"


def test_http_speaker_unreachable_service_gives_a_vietnamese_message():
    speaker = HttpSpeaker(url="http://127.0.0.1:9/tts", timeout=2)
    with pytest.raises(SpeechError, match="Không kết nối được"):
        speaker.synthesize("Xin chào")


@pytest.mark.django_db
@needs_espeak
def test_radio_build_command_writes_a_playable_segment(tmp_path, capsys, settings):
    from loa.content.starter import content_starter_load

    settings.LOA_TTS_BACKEND = "espeak"
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    out, script_out = tmp_path / "segment.wav", tmp_path / "script.txt"
    # A week with no new article falls back to the latest three.
    call_command(
        "radio",
        "build",
        "--week",
        "2020-01-06",
        "-o",
        str(out),
        "--script-out",
        str(script_out),
    )
    printed = capsys.readouterr().out
    assert "Đã dựng chuyên mục (3 tin" in printed
    with wave.open(str(out)) as w:
        assert w.getframerate() > 0
        assert w.getnframes() / w.getframerate() > 20
    script = script_out.read_text(encoding="utf-8")
    assert "Cảnh giác cuộc gọi giả danh công an" in script


@pytest.mark.django_db
@needs_espeak
def test_radio_build_reads_only_the_week_articles(tmp_path, capsys):
    from loa.content.starter import content_starter_load
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    today = datetime.date.today()
    script_out = tmp_path / "script.txt"
    call_command(
        "radio",
        "build",
        "--week",
        today.isoformat(),
        "-o",
        str(tmp_path / "s.wav"),
        "--script-out",
        str(script_out),
    )
    assert "Chuyển đổi số là gì?" in script_out.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_radio_build_without_espeak_exits_2_with_a_message(tmp_path, capsys, settings):
    settings.LOA_ESPEAK_BINARY = "/nonexistent/espeak-ng"
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "radio", "build", "--week", "2026-03-02", "-o", str(tmp_path / "s.wav")
        )
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Không tìm thấy chương trình đọc văn bản espeak-ng" in err


@pytest.mark.django_db
@needs_espeak
def test_radio_build_with_nothing_published_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "radio", "build", "--week", "2026-W10", "-o", str(tmp_path / "s.wav")
        )
    assert exit_info.value.code == 2
    assert "Không có tin bài nào" in capsys.readouterr().err
