"""Smart-radio platforms (IP/4G loudspeaker systems) are driven, not replaced.

A vendor-neutral adapter hands a platform the approved segment with its approval record
and broadcast schedule: a folder the platform's agent watches.
"""

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings


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


def adapter_from_settings() -> SmartRadioAdapter | None:
    """The folder adapter when LOA_SMART_RADIO_DIR is set. A vendor's own endpoint gets
    an adapter of its own, calling it through `loa.core.http`, when one is contracted."""
    folder = getattr(settings, "LOA_SMART_RADIO_DIR", "")
    return FolderAdapter(Path(folder)) if folder else None
