"""The weekly radio segment "Chuyển đổi số": script from articles, audio through TTS,
its folder and archive record (`loa radio build --week … -o DIR`), and its approval."""

from __future__ import annotations

import datetime
import io
import json
import re
import shutil
import tempfile
import wave
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from loa.core.models import AuditLog
from loa.core.services import audit_record
from loa.vn.dates import format_date_short
from loa.vn.speech import reading_text

from ..models import RadioSegment
from ..tts import Speaker, SpeechError, speaker_from_settings

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


# ------------------------------------------------------------------ folder and archive
# `loa radio build --week … -o DIR`: script.txt, script.docx, segment.wav and
# manifest.json, their copy under MEDIA_ROOT/radio/<week>/ and the RadioSegment.

FILES = ("script.txt", "script.docx", "segment.wav", "manifest.json")


def week_label(week_start: datetime.date) -> str:
    year, week, _ = week_start.isocalendar()
    return f"{year}-W{week:02d}"


class _Timed:
    """Wraps a speaker and remembers how long each spoken paragraph lasted."""

    def __init__(self, speaker):
        self.speaker = speaker
        self.seconds: list[float] = []

    def synthesize(self, text: str) -> bytes:
        data = self.speaker.synthesize(text)
        with wave.open(io.BytesIO(data)) as piece:
            self.seconds.append(piece.getnframes() / piece.getframerate())
        return data


def _item_paragraphs(listening: str, count: int) -> list[list[int]]:
    """Indexes of the listening paragraphs of each item (intro first, outro last)."""
    paragraphs = [p for p in listening.split("\n\n") if p.strip()]
    groups: list[list[int]] = []
    for index, paragraph in enumerate(paragraphs[1:-1], start=1):
        if paragraph.startswith("Tin thứ ") or not groups:
            groups.append([])
        groups[-1].append(index)
    return (groups + [[] for _ in range(count)])[:count]


def _url(article, ward) -> str:
    """The article's link on the segment's ward's address ("" for one with no URL)."""
    from wagtail.models import Page

    if isinstance(article, Page):
        from loa.content.wards import page_public_url

        return page_public_url(article, ward=ward)
    url = getattr(article, "url", "") or ""
    return ward.absolute_url(url) if url and ward is not None else url


def write_docx(path: Path, *, title: str, week: str, intro: str, items, outro: str):
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(f"Tuần: {week}")
    document.add_paragraph(intro)
    for item in items:
        document.add_heading(item["title"], level=2)
        for paragraph in item["text"].split("\n\n"):
            document.add_paragraph(paragraph)
    document.add_paragraph(outro)
    document.save(str(path))


def build_segment_dir(
    *, articles, week_start: datetime.date, ward, ward_name: str, speaker, out_dir
) -> dict:
    """Write the four files into out_dir and return the manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    week = week_label(week_start)
    title = f"Chuyển đổi số — {ward_name} — tuần {week}"
    articles = list(articles)
    script = segment_script(
        articles=articles, week_start=week_start, ward_name=ward_name
    )
    listening = reading_text(script)
    (out_dir / "script.txt").write_text(listening, encoding="utf-8")
    timed = _Timed(speaker)
    result = segment_build(
        script=script, speaker=timed, out_path=out_dir / "segment.wav"
    )
    paragraphs = [p for p in listening.split("\n\n") if p.strip()]
    items = []
    for article, indexes in zip(
        articles, _item_paragraphs(listening, len(articles)), strict=True
    ):
        seconds = sum(timed.seconds[i] for i in indexes)
        seconds += PAUSE_SECONDS * max(len(indexes) - 1, 0)
        items.append(
            {
                "title": article.title,
                "url": _url(article, ward),
                "seconds": round(seconds, 2),
                "text": "\n\n".join(paragraphs[i] for i in indexes),
            }
        )
    write_docx(
        out_dir / "script.docx",
        title=title,
        week=week,
        intro=paragraphs[0],
        items=items,
        outro=paragraphs[-1],
    )
    built_at = timezone.now()
    manifest = {
        "week": week,
        "ward": ward.slug if ward is not None else None,
        "items": [{k: item[k] for k in ("title", "url", "seconds")} for item in items],
        "seconds": result["seconds"],
        "words": result["words"],
        "built_at": built_at.isoformat(),
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    manifest["_title"] = title
    manifest["_built_at"] = built_at
    return manifest


def store_segment(*, out_dir, manifest: dict, ward):
    """Copy the files to MEDIA_ROOT/radio/<week>/ and record (or refresh) the segment.

    A rebuilt segment is new content, so its earlier approval is cleared.
    """
    week = manifest["week"]
    relative = Path("radio") / week
    if ward is not None:
        relative = relative / ward.slug
    target = Path(settings.MEDIA_ROOT) / relative
    target.mkdir(parents=True, exist_ok=True)
    out_dir = Path(out_dir)
    for name in FILES:
        if (out_dir / name).resolve() != (target / name).resolve():
            shutil.copyfile(out_dir / name, target / name)
    segment, _ = RadioSegment.objects.update_or_create(
        week=week,
        ward=ward,
        defaults={
            "title": manifest["_title"],
            "audio": str(relative / "segment.wav"),
            "script_txt": str(relative / "script.txt"),
            "script_docx": str(relative / "script.docx"),
            "manifest": str(relative / "manifest.json"),
            "seconds": manifest["seconds"],
            "words": manifest["words"],
            "size": (target / "segment.wav").stat().st_size,
            "built_at": manifest["_built_at"],
            "approved_by": None,
            "approved_at": None,
        },
    )
    return segment


# ------------------------------------------------------------------ approval


@transaction.atomic
def segment_approve(*, segment: RadioSegment, by) -> RadioSegment:
    """Approve a built segment for broadcast and the public archive, and audit it."""
    # Approval writes only who and when; the rest of the row is the build's, so there is
    # nothing here for full_clean() to check.
    segment.approved_by = by if getattr(by, "is_authenticated", False) else None
    segment.approved_at = timezone.now()
    segment.save(update_fields=["approved_by", "approved_at"])
    audit_record(
        action=AuditLog.Action.APPROVE,
        obj=segment,
        actor=by,
        object_repr=f"Duyệt chuyên mục phát thanh: {segment}",
        changes={"week": segment.week},
    )
    return segment


def segment_from_script(
    *, ward, title: str, script: str, folder: str, name: str
) -> RadioSegment:
    """Read a ready script aloud (a bulletin of the city library) into a segment of the
    ward that waits for approval like any other."""
    year, week, _ = timezone.localdate().isocalendar()
    relative = (
        Path("radio") / folder / ward.slug / f"{name}-{timezone.now():%Y%m%d%H%M%S}"
    )
    target = Path(settings.MEDIA_ROOT) / relative
    target.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=target) as scratch:
            result = segment_build(
                script=script,
                speaker=speaker_from_settings(),
                out_path=Path(scratch) / "segment.wav",
            )
            (Path(scratch) / "segment.wav").replace(target / "segment.wav")
    except SpeechError as exc:
        raise ValidationError(f"Chưa dựng được âm thanh của bản tin: {exc}") from exc
    (target / "script.txt").write_text(script, encoding="utf-8")
    return RadioSegment.objects.create(
        week=f"{year}-W{week:02d}",
        ward=ward,
        title=title,
        audio=str(relative / "segment.wav"),
        script_txt=str(relative / "script.txt"),
        seconds=result["seconds"],
        words=result["words"],
        size=(target / "segment.wav").stat().st_size,
    )
