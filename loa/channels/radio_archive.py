"""`loa radio build --week … -o DIR`: the segment's folder (script.txt, script.docx,
segment.wav, manifest.json), its copy under MEDIA_ROOT/radio/<week>/ and its RadioSegment."""

from __future__ import annotations

import datetime
import io
import json
import shutil
import wave
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from loa.channels.radio import PAUSE_SECONDS, segment_build, segment_script
from loa.vn.speech import reading_text

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
    from loa.channels.models import RadioSegment

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
