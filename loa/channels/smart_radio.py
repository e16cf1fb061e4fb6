"""Smart-radio systems (IP/4G loudspeaker platforms) are driven, not replaced.

A vendor-neutral adapter hands a platform the approved segment with its approval record and
broadcast schedule; the platform's airing log comes back (a file staff import, or a POST to
`/kenh/phat-thanh/nhat-ky/` with the shared token) and every airing becomes an Activity —
the evidence that the segment was broadcast.
"""

import csv
import io
import json
import logging
import shutil
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from loa.core.models import Ward

logger = logging.getLogger(__name__)


class RadioAiring(models.Model):
    """One broadcast of a segment on one loudspeaker cluster, as the platform logged it."""

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường/xã"
    )
    cluster = models.CharField("cụm loa", max_length=120)
    aired_at = models.DateTimeField("phát lúc")
    week = models.CharField("tuần", max_length=10, blank=True)
    seconds = models.PositiveIntegerField("thời lượng (giây)", default=0)
    source = models.CharField("nguồn nhật ký", max_length=200, blank=True)
    activity_id = models.BigIntegerField("hoạt động đã ghi", null=True, blank=True)

    class Meta:
        app_label = "loa_channels"
        verbose_name = "lượt phát thanh"
        verbose_name_plural = "nhật ký phát thanh"
        ordering = ["-aired_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "cluster", "aired_at"], name="unique_radio_airing"
            )
        ]

    def __str__(self):
        return f"{self.cluster} {self.aired_at:%d/%m/%Y %H:%M}"


class SmartRadioAdapter(Protocol):
    def push(
        self, *, segment: Path, manifest: dict, approval: dict, schedule: list[dict]
    ) -> str:
        """Hand the segment to the platform; return the platform's job reference."""


@dataclass
class FolderAdapter:
    """Drop the package in a folder the platform's agent watches (works with any vendor)."""

    folder: Path

    def push(
        self, *, segment: Path, manifest: dict, approval: dict, schedule: list[dict]
    ) -> str:
        target = Path(self.folder) / f"{manifest.get('week', 'tuan')}"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(segment, target / segment.name)
        (target / "goi-phat-thanh.json").write_text(
            json.dumps(
                {"manifest": manifest, "approval": approval, "schedule": schedule},
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
        return str(target)


@dataclass
class HttpAdapter:
    """POST the package to a vendor endpoint (JSON with the audio as a URL it can fetch)."""

    url: str
    token: str = ""
    timeout: float = 20.0
    headers: dict = field(default_factory=dict)

    def push(
        self, *, segment: Path, manifest: dict, approval: dict, schedule: list[dict]
    ) -> str:
        body = json.dumps(
            {
                "audio_url": manifest.get("audio_url", ""),
                "manifest": manifest,
                "approval": approval,
                "schedule": schedule,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {"Content-Type": "application/json", **self.headers}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 - the operator's configured URL
            self.url, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                return response.read().decode("utf-8", "replace")[:200]
        except OSError as exc:
            raise ValidationError(
                "Không gửi được bản tin tới hệ thống truyền thanh thông minh: %(e)s",
                code="push_failed",
                params={"e": exc.__class__.__name__},
            ) from exc


def adapter_from_settings() -> SmartRadioAdapter | None:
    url = getattr(settings, "LOA_SMART_RADIO_URL", "")
    if url:
        return HttpAdapter(
            url=url, token=getattr(settings, "LOA_SMART_RADIO_TOKEN", "")
        )
    folder = getattr(settings, "LOA_SMART_RADIO_DIR", "")
    return FolderAdapter(Path(folder)) if folder else None


@dataclass
class AiringImport:
    imported: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)


def _rows(data: bytes, filename: str) -> list[dict]:
    text = data.decode("utf-8-sig")
    if filename.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        parsed = json.loads(text)
        rows = parsed["airings"] if isinstance(parsed, dict) else parsed
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValueError("each airing must be an object")
        return rows
    return list(csv.DictReader(io.StringIO(text)))


def airings_import(
    *, ward: Ward, data: bytes, filename: str = "nhat-ky.csv", source: str = ""
) -> AiringImport:
    """Import a platform's airing log (CSV or JSON rows: cluster, aired_at, week, seconds);
    each new airing records one Activity; importing the same log twice adds nothing."""
    from .radio_activity import airing_record_activity

    try:
        rows = _rows(data, filename)
    except (ValueError, KeyError, UnicodeDecodeError) as exc:
        raise ValidationError(
            "Tệp nhật ký phát thanh không đọc được (cần CSV hoặc JSON).", code="bad_log"
        ) from exc
    result = AiringImport()
    for number, row in enumerate(rows, start=1):
        cluster = str(row.get("cluster") or row.get("cum_loa") or "").strip()
        aired = parse_datetime(
            str(row.get("aired_at") or row.get("thoi_gian") or "").strip()
        )
        if not cluster or aired is None:
            result.errors.append(
                f"Dòng {number}: thiếu cụm loa hoặc thời điểm phát (YYYY-MM-DD HH:MM)."
            )
            continue
        if timezone.is_naive(aired):
            aired = timezone.make_aware(aired)
        try:
            seconds = int(float(row.get("seconds") or row.get("thoi_luong") or 0))
        except ValueError:
            result.errors.append(f"Dòng {number}: thời lượng không phải số.")
            continue
        try:
            with transaction.atomic():
                airing = RadioAiring.objects.create(
                    ward=ward,
                    cluster=cluster[:120],
                    aired_at=aired,
                    week=str(row.get("week") or "")[:10],
                    seconds=seconds,
                    source=(source or filename)[:200],
                )
        except IntegrityError:
            result.duplicates += 1
            continue
        airing_record_activity(airing=airing)
        result.imported += 1
    return result
