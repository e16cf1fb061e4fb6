"""The weekly radio segment "Chuyển đổi số": script from articles, audio through TTS
(a WAV for the loudspeakers and an MP3 beside it for listening), its folder and archive
record (`loa radio build --week … -o DIR`, or "Soạn bản tin tuần này" on the staff desk),
edits of its script, who may handle it, and its approval."""

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
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from loa.core.access import can_act_for_unit, is_plan_manager, user_ward
from loa.core.models import AuditLog, Unit
from loa.core.services import audit_record
from loa.vn.dates import format_date_short, week_label_of
from loa.vn.numbers import ordinal
from loa.vn.speech import reading_text
from loa.vn.text import fold_lower, nfc

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
        lead = f"Tin {ordinal(number)}. {_sentence(article.title)}"
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


def _sentence(title: str) -> str:
    """The title as a sentence of its own: ends with ".", "?" or "!" (never "?.")."""
    title = " ".join(title.split()).rstrip(" .:;,")
    return title if title.endswith(("?", "!", "…")) else f"{title}."


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


def articles_for_week(
    *, week_start: datetime.date, fallback: int = 3, ward=None
) -> list:
    """Return live public articles first published in the week, oldest first (those of
    `ward`'s own portal when it has one).

    With none that week, return the latest `fallback` articles so the slot is never
    silent.
    """
    from loa.content.models import ArticlePage

    week_end = week_start + datetime.timedelta(days=6)
    live = ArticlePage.objects.live().public()
    if ward is not None and ward.site_id:
        live = live.descendant_of(ward.site.root_page)
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

FILES = ("script.txt", "script.docx", "segment.wav", "segment.mp3", "manifest.json")
MP3_KBPS = 48  # mono speech: about a seventh of the 16-bit WAV


def week_label(week_start: datetime.date) -> str:
    """The ISO week code the segment is filed under ("2026-W10"); people read
    `loa.vn.dates.week_label_of` of it."""
    year, week, _ = week_start.isocalendar()
    return f"{year}-W{week:02d}"


def segment_heading(segment: RadioSegment) -> str:
    """The segment's title as people read it: its week written out, never "2026-W10"."""
    label = week_label_of(segment.week)
    title = segment.title or f"Chuyển đổi số {label}"
    return title.replace(f"tuần {segment.week}", label).replace(segment.week, label)


# ------------------------------------------------------------------ compressed audio


def encode_mp3(wav_path: str | Path, mp3_path: str | Path | None = None) -> Path:
    """Write the WAV as an MP3 beside it (LAME through `lameenc`) and return its path.

    The WAV stays for the loudspeaker platforms; the MP3 is what people download and
    play on a phone.
    """
    import lameenc

    wav_path = Path(wav_path)
    mp3_path = Path(mp3_path) if mp3_path else wav_path.with_suffix(".mp3")
    with wave.open(str(wav_path), "rb") as source:
        params = source.getparams()
        frames = source.readframes(params.nframes)
    if params.sampwidth != 2:
        frames = _to_16_bit(frames, params.sampwidth)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_KBPS * params.nchannels)
    encoder.set_in_sample_rate(params.framerate)
    encoder.set_channels(params.nchannels)
    encoder.set_quality(2)  # 2 = high quality, still far faster than speaking
    data = encoder.encode(frames) + encoder.flush()
    partial = mp3_path.with_suffix(".mp3.part")
    partial.write_bytes(bytes(data))
    partial.replace(mp3_path)
    return mp3_path


def _to_16_bit(frames: bytes, width: int) -> bytes:
    import numpy as np

    if width == 1:  # unsigned 8-bit
        samples = (np.frombuffer(frames, dtype=np.uint8).astype(np.int16) - 128) << 8
    elif width == 4:
        samples = (np.frombuffer(frames, dtype="<i4") >> 16).astype(np.int16)
    else:
        raise SpeechError(
            "Định dạng âm thanh không hỗ trợ (cần PCM 8, 16 hoặc 32 bit)."
        )
    return samples.astype("<i2").tobytes()


def compressed_path(segment: RadioSegment) -> Path | None:
    """The segment's MP3 under MEDIA_ROOT, when it has one."""
    if not segment.audio:
        return None
    path = (Path(settings.MEDIA_ROOT) / segment.audio).with_suffix(".mp3")
    return path if path.is_file() else None


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
    document.add_paragraph(week[:1].upper() + week[1:])
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
    title = f"Chuyển đổi số — {ward_name} — {week_label_of(week_start)}"
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
    encode_mp3(out_dir / "segment.wav")
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
        week=week_label_of(week_start),
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

    A rebuilt segment is new content, so its earlier approval is cleared. Bulletins
    copied from the city library that week (no manifest) are other segments: kept.
    """
    week = manifest["week"]
    relative = Path("radio") / week
    if ward is not None:
        relative = relative / ward.slug
    target = Path(settings.MEDIA_ROOT) / relative
    target.mkdir(parents=True, exist_ok=True)
    out_dir = Path(out_dir)
    for name in FILES:
        if not (out_dir / name).is_file():
            continue  # an older folder without its MP3
        if (out_dir / name).resolve() != (target / name).resolve():
            shutil.copyfile(out_dir / name, target / name)
    built = (
        RadioSegment.objects.filter(week=week, ward=ward)
        .exclude(manifest="")
        .order_by("-built_at")
        .first()
    )
    segment, _ = RadioSegment.objects.update_or_create(
        pk=built.pk if built else None,
        defaults={
            "week": week,
            "ward": ward,
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


def _read_aloud(script: str, wav_path: Path) -> dict:
    """Read the script aloud into `wav_path` and an MP3 beside it. Both are written in a
    scratch folder next to them and moved in only once both exist, so a failing speech
    engine leaves the files already there untouched."""
    with tempfile.TemporaryDirectory(dir=wav_path.parent) as scratch:
        wav = Path(scratch) / "segment.wav"
        result = segment_build(
            script=script, speaker=speaker_from_settings(), out_path=wav
        )
        encode_mp3(wav)
        wav.replace(wav_path)
        wav.with_suffix(".mp3").replace(wav_path.with_suffix(".mp3"))
    return result


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
        result = _read_aloud(script, target / "segment.wav")
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


# ------------------------------------------------------------------ the staff desk

RADIO_UNIT_WORDS = ("dich vu su nghiep cong", "trung tam dich vu")


def radio_unit(ward) -> Unit | None:
    """The unit in charge of the ward's radio: the unit of the active plan's radio task
    ("phát thanh … hằng tuần"), else the ward's Trung tâm Dịch vụ sự nghiệp công."""
    from .smart_radio import radio_task_for_ward

    if ward is None:
        return None
    task = radio_task_for_ward(ward)
    if task is not None and task.unit_id:
        return task.unit
    for words in RADIO_UNIT_WORDS:
        for unit in Unit.objects.filter(ward=ward).order_by("pk"):
            if words in fold_lower(unit.name):
                return unit
    return None


def can_manage_radio(user, ward) -> bool:
    """Plan managers and the staff of the radio unit build, edit and approve the ward's
    segments; nobody of another ward does."""
    if ward is None or user_ward(user) != ward:
        return False
    if is_plan_manager(user):
        return True
    unit = radio_unit(ward)
    return unit is not None and can_act_for_unit(user, unit)


def _require_radio_manager(by, ward) -> None:
    if by is not None and not can_manage_radio(by, ward):
        raise PermissionDenied(
            "Chỉ lãnh đạo, Phòng Văn hóa - Xã hội và cán bộ đơn vị phụ trách phát thanh "
            "của phường được soạn, sửa và duyệt chuyên mục phát thanh."
        )


def segment_build_for_week(*, ward, week_start: datetime.date, by) -> RadioSegment:
    """Build (or rebuild) the ward's segment of the week from its published articles,
    as `loa radio build` does, and audit it. The segment waits for approval."""
    _require_radio_manager(by, ward)
    articles = articles_for_week(week_start=week_start, ward=ward)
    if not articles:
        raise ValidationError(
            "Chưa có tin bài nào đã xuất bản trên cổng thông tin để đọc trong chuyên mục."
        )
    try:
        with tempfile.TemporaryDirectory(prefix="loa-radio-") as scratch:
            manifest = build_segment_dir(
                articles=articles,
                week_start=week_start,
                ward=ward,
                ward_name=str(ward),
                speaker=speaker_from_settings(),
                out_dir=scratch,
            )
            segment = store_segment(out_dir=scratch, manifest=manifest, ward=ward)
    except SpeechError as exc:
        raise ValidationError(f"Chưa dựng được âm thanh: {exc}") from exc
    audit_record(
        action=AuditLog.Action.CREATE,
        obj=segment,
        actor=by,
        object_repr=f"Soạn chuyên mục phát thanh: {segment_heading(segment)}",
        changes={"week": segment.week, "articles": len(articles)},
    )
    return segment


def segment_script_text(segment: RadioSegment) -> str:
    """The script the segment was read from (what the desk lets staff edit)."""
    if not segment.script_txt:
        return ""
    path = Path(settings.MEDIA_ROOT) / segment.script_txt
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@transaction.atomic
def segment_script_update(*, segment: RadioSegment, script: str, by) -> RadioSegment:
    """Save an edited script and read it aloud again at once (WAV and MP3), so what is
    approved is always what is heard; the earlier approval is cleared and the edit audited.
    Nothing changes when the speech engine fails."""
    _require_radio_manager(by, segment.ward)
    script = nfc(script.replace("\r\n", "\n")).strip()
    if not script:
        raise ValidationError("Kịch bản không được để trống.")
    relative = Path(segment.audio).parent
    folder = Path(settings.MEDIA_ROOT) / relative
    folder.mkdir(parents=True, exist_ok=True)
    wav_name = Path(segment.audio).name
    try:
        result = _read_aloud(script, folder / wav_name)
    except SpeechError as exc:
        raise ValidationError(f"Chưa đọc được kịch bản mới: {exc}") from exc
    script_txt = segment.script_txt or str(relative / "script.txt")
    (Path(settings.MEDIA_ROOT) / script_txt).write_text(script + "\n", encoding="utf-8")
    paragraphs = [p.strip() for p in script.split("\n\n") if p.strip()]
    if segment.script_docx:
        _write_plain_docx(
            Path(settings.MEDIA_ROOT) / segment.script_docx,
            title=segment_heading(segment),
            week=week_label_of(segment.week),
            paragraphs=paragraphs,
        )
    built_at = timezone.now()
    if segment.manifest:
        _manifest_refresh(
            Path(settings.MEDIA_ROOT) / segment.manifest, result, built_at
        )
    segment.script_txt = script_txt
    segment.seconds = result["seconds"]
    segment.words = result["words"]
    segment.size = (folder / wav_name).stat().st_size
    segment.built_at = built_at
    segment.approved_by = None
    segment.approved_at = None
    segment.save()
    audit_record(
        action=AuditLog.Action.UPDATE,
        obj=segment,
        actor=by,
        object_repr=f"Sửa kịch bản phát thanh: {segment_heading(segment)}",
        changes={"week": segment.week, "seconds": segment.seconds},
    )
    return segment


def _write_plain_docx(path: Path, *, title: str, week: str, paragraphs: list[str]):
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(week[:1].upper() + week[1:])
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))


def _manifest_refresh(path: Path, result: dict, built_at) -> None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    manifest.update(
        seconds=result["seconds"], words=result["words"], built_at=built_at.isoformat()
    )
    path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
    )
