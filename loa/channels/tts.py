"""Text-to-speech: one `Speaker` interface, an offline espeak-ng voice, a hosted adapter.

Settings (all optional):
    LOA_TTS_BACKEND   "espeak" (default) or "http"
    LOA_ESPEAK_BINARY path or name of espeak-ng (default "espeak-ng")
    LOA_TTS_VOICE     espeak voice (default "vi") or the hosted service's voice name
    LOA_TTS_SPEED     espeak words per minute (default 160)
    LOA_TTS_URL, LOA_TTS_API_KEY, LOA_TTS_TIMEOUT  the hosted service
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Protocol

from loa.core.http import HttpFailure, json_request


class SpeechError(Exception):
    """Speech could not be produced; the message is for the ward's staff (Vietnamese)."""


class Speaker(Protocol):
    def synthesize(self, text: str) -> bytes:
        """Return the spoken text as WAV bytes."""
        ...


class EspeakSpeaker:
    """Debian's espeak-ng with its Vietnamese voice: offline, robotic, always there."""

    def __init__(
        self,
        *,
        binary: str = "espeak-ng",
        voice: str = "vi",
        speed: int = 160,
        timeout: float = 60.0,
    ):
        if not 80 <= speed <= 450:
            raise ValueError("speed must be 80–450 words per minute")
        self.binary, self.voice, self.speed, self.timeout = (
            binary,
            voice,
            speed,
            timeout,
        )

    def executable(self) -> str:
        """Return the espeak-ng path, or raise SpeechError saying how to install it."""
        found = shutil.which(self.binary)
        if found is None:
            raise SpeechError(
                f"Không tìm thấy chương trình đọc văn bản espeak-ng ({self.binary}); "
                "hãy cài bằng: apt-get install espeak-ng"
            )
        return found

    def synthesize(self, text: str) -> bytes:
        """Speak the text with espeak-ng and return a WAV file's bytes."""
        binary = self.executable()
        with tempfile.TemporaryDirectory(prefix="loa-tts-") as folder:
            out = Path(folder) / "speech.wav"
            # Text on stdin so a line starting with "-" is never taken for an option;
            # -w (not --stdout) so the WAV header carries the real length.
            command = [binary, "-v", self.voice, "-s", str(self.speed)]
            command += ["-w", str(out), "--stdin"]
            try:
                subprocess.run(  # noqa: S603 - fixed argv, no shell
                    command,
                    input=text.encode("utf-8"),
                    capture_output=True,
                    timeout=self.timeout,
                    check=True,
                )
            except subprocess.TimeoutExpired as exc:
                raise SpeechError(
                    f"espeak-ng không đọc xong sau {self.timeout:g} giây."
                ) from exc
            except subprocess.CalledProcessError as exc:
                detail = exc.stderr.decode("utf-8", "replace").strip()[:200]
                raise SpeechError(f"espeak-ng báo lỗi: {detail}") from exc
            return out.read_bytes()


class HttpSpeaker:
    """Adapter skeleton for a hosted Vietnamese TTS service.

    Sends `{"text": ..., "voice": ...}` as JSON with `Authorization: Bearer KEY` and
    accepts either WAV bytes or JSON `{"audio": "<base64 WAV>"}`. A concrete service
    whose API differs overrides `request_for` and `audio_from`.
    """

    def __init__(self, *, url: str, api_key: str = "", voice: str = "", timeout=30.0):
        if not url:
            raise SpeechError(
                "Chưa cấu hình địa chỉ dịch vụ đọc văn bản (LOA_TTS_URL)."
            )
        self.url, self.api_key, self.voice, self.timeout = url, api_key, voice, timeout

    def request_for(self, text: str) -> tuple[dict, dict]:
        """The JSON body and headers of one request."""
        headers = {}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return {"text": text, "voice": self.voice}, headers

    def audio_from(self, content_type: str, payload: bytes) -> bytes:
        if payload[:4] == b"RIFF":
            return payload
        if "json" in content_type:
            try:
                data = json.loads(payload)
                audio = base64.b64decode(data["audio"])
            except (ValueError, KeyError, TypeError) as exc:
                raise SpeechError(
                    "Dịch vụ đọc văn bản trả về dữ liệu không đọc được."
                ) from exc
            if audio[:4] == b"RIFF":
                return audio
        raise SpeechError("Dịch vụ đọc văn bản không trả về tệp âm thanh WAV.")

    def synthesize(self, text: str) -> bytes:
        """POST the text to the service and return its WAV bytes."""
        body, headers = self.request_for(text)
        try:
            answer = json_request(
                "POST",
                self.url,
                platform="dịch vụ đọc văn bản",
                secret=self.api_key,
                body=body,
                headers=headers,
                timeout=self.timeout,
            )
        except HttpFailure as exc:
            raise SpeechError(
                f"Không kết nối được dịch vụ đọc văn bản ({self.url})."
            ) from exc
        if answer.status >= 400:
            raise SpeechError(
                f"Dịch vụ đọc văn bản trả lỗi HTTP {answer.status}"
                + (
                    " (sai hoặc thiếu khóa API)."
                    if answer.status in (401, 403)
                    else "."
                )
            )
        return self.audio_from(answer.headers.get("content-type", ""), answer.body)


def speaker_from_settings() -> Speaker:
    """Build the speaker the settings choose (espeak-ng unless LOA_TTS_BACKEND says)."""
    from django.conf import settings

    backend = getattr(settings, "LOA_TTS_BACKEND", "espeak") or "espeak"
    if backend == "http":
        return HttpSpeaker(
            url=getattr(settings, "LOA_TTS_URL", ""),
            api_key=getattr(settings, "LOA_TTS_API_KEY", ""),
            voice=getattr(settings, "LOA_TTS_VOICE", ""),
            timeout=float(getattr(settings, "LOA_TTS_TIMEOUT", 30)),
        )
    if backend != "espeak":
        raise SpeechError(
            f"Không hỗ trợ LOA_TTS_BACKEND = {backend!r} (dùng espeak hoặc http)."
        )
    return EspeakSpeaker(
        binary=getattr(settings, "LOA_ESPEAK_BINARY", None)
        or os.environ.get("LOA_ESPEAK_BINARY", "espeak-ng"),
        voice=getattr(settings, "LOA_TTS_VOICE", "") or "vi",
        speed=int(getattr(settings, "LOA_TTS_SPEED", 160)),
    )
