"""Smart-radio platforms (IP/4G loudspeaker systems) are driven, not replaced.

A vendor-neutral adapter hands a platform the approved segment with its approval record
and broadcast schedule: a folder the platform's agent watches, or a vendor endpoint.
"""

import json
import shutil
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError


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
