"""`loa radio build --week YYYY-Www -o DIR` (or `-o FILE.wav`): the weekly "Chuyển đổi số"
segment. A folder gets script.txt, script.docx, segment.wav (and segment.mp3 beside it)
and manifest.json, and the
segment is recorded (RadioSegment) for approval and the podcast archive."""

import datetime
import re
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def week_start_of(value: str) -> datetime.date:
    """Parse "2026-03-02" (any day of the week) or "2026-W10" into that week's Monday."""
    match = re.fullmatch(r"(\d{4})-W(\d{1,2})", value.strip(), flags=re.IGNORECASE)
    try:
        if match:
            return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        day = datetime.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise CommandError(
            f"Tuần không hợp lệ: {value} (dùng YYYY-MM-DD hoặc YYYY-Www)."
        ) from exc
    return day - datetime.timedelta(days=day.weekday())


class Command(BaseCommand):
    help = "Chuyên mục phát thanh Chuyển đổi số: dựng kịch bản và âm thanh của tuần."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="dựng chuyên mục của một tuần")
        build.add_argument("--week", required=True, help="YYYY-MM-DD hoặc YYYY-Www")
        build.add_argument("--ward", help="mã phường (slug)")
        build.add_argument(
            "-o", "--output", required=True, help="thư mục, hoặc tệp .wav"
        )
        build.add_argument("--script-out", help="ghi kịch bản ra tệp .txt")

    def fail(self, message: str):
        sys.stderr.write(message + "\n")
        raise SystemExit(2)

    def handle(self, *args, **options):
        """Build the segment from the week's live articles and print its duration."""
        from loa.channels.services.radio import (
            articles_for_week,
            segment_build,
            segment_script,
        )
        from loa.channels.tts import EspeakSpeaker, SpeechError, speaker_from_settings
        from loa.core.selectors import ward_for_public

        started = time.monotonic()
        week_start = week_start_of(options["week"])
        ward = ward_for_public(options["ward"])
        if options["ward"] and ward is None:
            self.fail(f"Không tìm thấy phường có mã {options['ward']}.")
        ward_name = str(ward) if ward else "phường"
        try:
            speaker = speaker_from_settings()
            if isinstance(speaker, EspeakSpeaker):
                speaker.executable()  # fail before any work when espeak-ng is missing
        except SpeechError as exc:
            self.fail(str(exc))
        # With --ward, that ward's own portal articles only.
        articles = articles_for_week(
            week_start=week_start, ward=ward if options["ward"] else None
        )
        if not articles:
            self.fail("Không có tin bài nào đã xuất bản để đọc trong chuyên mục.")
        script = segment_script(
            articles=articles, week_start=week_start, ward_name=ward_name
        )
        if not options["output"].lower().endswith(".wav"):
            self.build_dir(
                articles=articles,
                week_start=week_start,
                ward=ward,
                ward_name=ward_name,
                speaker=speaker,
                out_dir=options["output"],
                started=started,
            )
            return
        if options["script_out"]:
            Path(options["script_out"]).write_text(script, encoding="utf-8")
        try:
            result = segment_build(
                script=script, speaker=speaker, out_path=options["output"]
            )
        except SpeechError as exc:
            self.fail(str(exc))
        minutes, seconds = divmod(round(result["seconds"]), 60)
        self.stdout.write(
            f"Đã dựng chuyên mục ({len(articles)} tin, {result['words']} từ): "
            f"{options['output']} dài {minutes} phút {seconds:02d} giây "
            f"({result['seconds']:.1f} giây; dựng trong {time.monotonic() - started:.1f} giây)."
        )

    def build_dir(
        self, *, articles, week_start, ward, ward_name, speaker, out_dir, started
    ):
        """Write the segment's folder and record it."""
        from loa.channels.services.radio import build_segment_dir, store_segment
        from loa.channels.tts import SpeechError
        from loa.vn.dates import week_label_of

        try:
            manifest = build_segment_dir(
                articles=articles,
                week_start=week_start,
                ward=ward,
                ward_name=ward_name,
                speaker=speaker,
                out_dir=out_dir,
            )
        except SpeechError as exc:
            self.fail(str(exc))
        store_segment(out_dir=out_dir, manifest=manifest, ward=ward)
        minutes, seconds = divmod(round(manifest["seconds"]), 60)
        self.stdout.write(
            f"Đã dựng chuyên mục {week_label_of(manifest['week'])} ({len(articles)} tin, "
            f"{manifest['words']} từ) vào {out_dir}: dài {minutes} phút {seconds:02d} giây "
            f"({manifest['seconds']:.1f} giây; dựng trong "
            f"{time.monotonic() - started:.1f} giây). Chuyên mục chờ duyệt."
        )
