"""Each airing of the weekly segment is an Activity of the plan task the radio serves."""

import logging

from django.utils import timezone

from loa.plans.models import Activity, Plan, Task
from loa.plans.services import activity_record

logger = logging.getLogger(__name__)


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


def airing_record_activity(*, airing) -> Activity | None:
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
