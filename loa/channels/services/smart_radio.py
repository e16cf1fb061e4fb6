"""The smart-radio platforms' airing log comes back (a file staff import, or a POST to
`/kenh/phat-thanh/nhat-ky/` with the shared token) and every airing becomes an Activity of
the plan task the radio serves — the evidence that the segment was broadcast.

The platforms themselves are driven through `loa.channels.adapters.smart_radio`.
"""

import csv
import io
import json
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from loa.core.models import Ward
from loa.plans.models import Activity, Plan, Task
from loa.plans.services import activity_record

from ..models import RadioAiring

logger = logging.getLogger(__name__)


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


# ------------------------------------------------------------------ activities


def radio_task_for_ward(ward) -> Task | None:
    """The active plan's weekly radio task ("phát thanh … hằng tuần"), else any radio task."""
    tasks = Task.objects.filter(
        plan__ward=ward, plan__status=Plan.Status.ACTIVE
    ).select_related("unit")
    weekly = [
        t
        for t in tasks
        if "phát thanh" in t.text.lower() and t.recurrence == Task.Recurrence.WEEKLY
    ]
    radio = weekly or [
        t
        for t in tasks
        if "phát thanh" in t.text.lower() or "truyền thanh" in t.text.lower()
    ]
    return radio[0] if radio else None


def airing_record_activity(*, airing: RadioAiring) -> Activity | None:
    """Record the airing as an Activity of the ward's radio task, when it has one."""
    task = radio_task_for_ward(airing.ward)
    if task is None:
        logger.warning(
            "Phường %s chưa có nhiệm vụ phát thanh; lượt phát không được ghi thành hoạt động.",
            airing.ward,
        )
        return None
    local = timezone.localtime(airing.aired_at).date()
    activity = activity_record(
        task=task,
        unit=task.unit,
        kind=Activity.Kind.RADIO,
        date=local,
        title=f"Phát chuyên mục “Chuyển đổi số” tại cụm loa {airing.cluster}"
        + (f" (tuần {airing.week})" if airing.week else ""),
        channel=Activity.Channel.RADIO,
        note=f"Theo nhật ký của hệ thống truyền thanh thông minh: {airing.source}",
    )
    type(airing).objects.filter(pk=airing.pk).update(activity_id=activity.pk)
    return activity
