"""The weekly radio segment "Chuyển đổi số": script from articles, audio through TTS."""

from __future__ import annotations

import datetime
import io
import re
import wave
from pathlib import Path

from django.utils.html import strip_tags

from loa.channels.tts import Speaker, SpeechError
from loa.vn.dates import format_date_short
from loa.vn.speech import reading_text

# espeak-ng's Vietnamese voice at 160 words a minute reads about 3.6 syllables a
# second; used to budget the script and as the default expected rate.
WORDS_PER_SECOND = 3.6
MAX_SECONDS = 120
PAUSE_SECONDS = 0.6
_KINDS = ("phường", "xã", "đặc khu")


def article_paragraphs(body) -> list[str]:
    """Return the plain-text paragraphs of an article body (StreamField or strings)."""
    if not body:
        return []
    if isinstance(body, str):
        return [p.strip() for p in re.split(r"\n\s*\n", strip_tags(body)) if p.strip()]
    out: list[str] = []
    for block in body:
        if isinstance(block, str):
            text = block
        elif block.block_type == "paragraph":
            text = strip_tags(
                str(
                    block.value.source
                    if hasattr(block.value, "source")
                    else block.value
                )
            )
        elif block.block_type == "quote":
            text = block.value.get("text", "")
        else:
            continue
        if text.strip():
            out.append(" ".join(text.split()))
    return out


def _spoken_words(text: str) -> int:
    return len(reading_text(text).split())


def segment_script(
    *,
    articles,
    week_start: datetime.date,
    ward_name: str,
    max_seconds: float = MAX_SECONDS,
    words_per_second: float = WORDS_PER_SECOND,
) -> str:
    """Write the segment's script: intro, each article's title and sapo, outro.

    Body paragraphs are added, article by article, while the spoken length of the
    script stays under `max_seconds`; titles and sapos are always read.
    """
    week_end = week_start + datetime.timedelta(days=6)
    place = ward_name if ward_name.lower().startswith(_KINDS) else f"phường {ward_name}"
    intro = (
        f"Kính thưa bà con! Chuyên mục Chuyển đổi số của {place} "
        f"tuần từ ngày {format_date_short(week_start)} đến ngày "
        f"{format_date_short(week_end)} xin gửi tới bà con những tin sau."
    )
    outro = (
        "Bà con xem đầy đủ các bài viết trên Cổng thông tin điện tử của "
        f"{place}, và hỏi trợ lý ảo của phường trên cổng thông tin hoặc Zalo khi cần "
        "hướng dẫn về chuyển đổi số. Cảm ơn bà con đã lắng nghe. Hẹn gặp lại bà con "
        "trong chuyên mục tuần sau."
    )
    items = list(articles)
    blocks: list[list[str]] = []
    budget = max_seconds * words_per_second
    used = _spoken_words(intro) + _spoken_words(outro)
    for number, article in enumerate(items, start=1):
        lead = f"Tin thứ {number}: {article.title.strip().rstrip('.')}."
        block = [lead, article.sapo.strip()]
        used += _spoken_words(lead) + _spoken_words(article.sapo)
        blocks.append(block)
    for article, block in zip(items, blocks, strict=True):
        for paragraph in article_paragraphs(getattr(article, "body", None)):
            cost = _spoken_words(paragraph)
            if used + cost > budget:
                break
            block.append(paragraph)
            used += cost
    parts = [intro] + ["\n\n".join(block) for block in blocks] + [outro]
    return "\n\n".join(parts) + "\n"


def _silence(params: wave._wave_params, seconds: float) -> bytes:
    frames = int(params.framerate * seconds)
    # 8-bit PCM is unsigned: its silence is 0x80, not 0.
    byte = b"\x80" if params.sampwidth == 1 else b"\x00"
    return byte * frames * params.sampwidth * params.nchannels


def segment_build(
    *,
    script: str,
    speaker: Speaker,
    out_path: str | Path,
    words_per_second: float = WORDS_PER_SECOND,
    pause_seconds: float = PAUSE_SECONDS,
) -> dict:
    """Read the script aloud paragraph by paragraph into one WAV file.

    Returns {"seconds", "words", "expected_seconds", "paragraphs"}; expected_seconds
    is the spoken word count at `words_per_second`, for checking the audio's length
    against the script.
    """
    paragraphs = [p for p in reading_text(script).split("\n\n") if p.strip()]
    if not paragraphs:
        raise SpeechError("Không có nội dung để đọc.")
    params = None
    chunks: list[bytes] = []
    for paragraph in paragraphs:
        with wave.open(io.BytesIO(speaker.synthesize(paragraph)), "rb") as piece:
            these = piece.getparams()
            frames = piece.readframes(piece.getnframes())
        shape = (these.nchannels, these.sampwidth, these.framerate)
        if params is None:
            params = these
        elif shape != (params.nchannels, params.sampwidth, params.framerate):
            raise SpeechError(
                "Các đoạn âm thanh có định dạng khác nhau, không ghép được."
            )
        if chunks:
            chunks.append(_silence(params, pause_seconds))
        chunks.append(frames)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(out_path), "wb") as out:
        out.setnchannels(params.nchannels)
        out.setsampwidth(params.sampwidth)
        out.setframerate(params.framerate)
        for chunk in chunks:
            out.writeframes(chunk)
        frames_total = out.tell()
    words = sum(len(p.split()) for p in paragraphs)
    return {
        "seconds": round(frames_total / params.framerate, 2),
        "words": words,
        "expected_seconds": round(words / words_per_second, 2),
        "paragraphs": len(paragraphs),
    }


def articles_for_week(*, week_start: datetime.date, fallback: int = 3) -> list:
    """Return live public articles first published in the week, oldest first.

    With none that week, return the latest `fallback` articles so the slot is never
    silent.
    """
    from loa.content.models import ArticlePage

    week_end = week_start + datetime.timedelta(days=6)
    live = ArticlePage.objects.live().public()
    week = list(
        live.filter(
            first_published_at__date__gte=week_start,
            first_published_at__date__lte=week_end,
        ).order_by("first_published_at")
    )
    if week:
        return week
    return list(live.order_by("-first_published_at")[:fallback])
