"""Writes of the outbox: choose channels, schedule deliveries, send each exactly once.

A delivery is one (page, channel, revision), keyed by `Delivery.key_for`. Sending follows
one path whatever runs it (the job, a retry, a staff button):

1. under `select_for_update`, a delivery that is not queued, waiting or failed is left
   alone (so a re-run of a sent one is a no-op) and otherwise marked `sending`;
2. the adapter calls the platform outside any transaction;
3. its success is saved at once (`sent`, the platform's id and URL), and only then is the
   Activity recorded against the page's plan task.

A failure before the request reached the platform is retried with exponential backoff a
bounded number of times; a break after it went out (the post may exist) goes to a person
(`manual`), never to an automatic retry. A `sending` delivery left behind by a crash is
handed to a person the same way.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from loa.core.access import can_manage_ward_posts
from loa.core.models import AuditLog
from loa.core.services import audit_record

from ..adapters import ADAPTERS, AdapterError, ManualOnly, RuleWait, adapter_for
from ..adapters.manual import package  # noqa: F401 - re-exported for views
from ..models import Channel, ChannelChoice, Delivery, DeliveryAttempt

logger = logging.getLogger(__name__)

# A delivery still "sending" after this long was interrupted (the worker died).
STALE_SENDING = timedelta(minutes=30)
AMBIGUOUS_NOTE = (
    "Không rõ bài đã lên %(channel)s hay chưa (mất kết nối khi chờ trả lời). Hãy kiểm tra "
    "trên %(channel)s: nếu đã có, dán đường dẫn bài vào ô “Đã đăng”; nếu chưa, bấm “Gửi lại”."
)


@dataclass
class SendOutcome:
    delivery: Delivery | None
    retry_at: datetime | None = None


def page_ward(page):
    """The ward whose portal holds the page: its deliveries belong to that ward."""
    from loa.content.wards import ward_for_page

    ward = ward_for_page(page)
    if ward is None:
        task = getattr(page.specific, "related_task", None)
        ward = task.plan.ward if task is not None else None
    return ward


def _require_post_manager(delivery: Delivery, by) -> None:
    if by is not None and not can_manage_ward_posts(by, delivery.ward):
        raise PermissionDenied(
            "Chỉ biên tập viên, người duyệt và lãnh đạo của phường có bài này mới "
            "được sửa, ghi nhận hoặc gửi lại tin đăng."
        )


def _audit_post(delivery: Delivery, by, event: str, changes: dict) -> None:
    audit_record(
        action=AuditLog.Action.UPDATE,
        obj=delivery,
        actor=by,
        ward=delivery.ward,
        object_repr=f"{event}: {delivery}"[:200],
        changes={"event": event, "channel": delivery.channel, **changes},
    )


def _image_url(page, ward) -> str:
    """The picture's full link on the ward's address (the page's portal's without one)."""
    from loa.content.wards import page_public_root

    image = getattr(page.specific, "image", None)
    if image is None:
        return ""
    try:
        url = image.get_rendition("fill-1200x630").url
    except (OSError, ValueError):
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return page_public_root(page, ward=ward) + url


# ------------------------------------------------------------------ choosing


@transaction.atomic
def channel_choice_set(
    *, page, channels: list[str], residential_group=None, by=None
) -> ChannelChoice:
    """Record the channels an editor picked for a page (used at its next publish)."""
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        raise ValidationError(
            "Kênh không hợp lệ: %(names)s.",
            code="unknown_channel",
            params={"names": ", ".join(unknown)},
        )
    choice, _ = ChannelChoice.objects.get_or_create(page=page)
    choice.channels = [c for c in Channel.values if c in channels]
    choice.residential_group = residential_group
    choice.updated_by = by if getattr(by, "is_authenticated", False) else None
    choice.updated_at = timezone.now()
    choice.full_clean()
    choice.save()
    return choice


# ------------------------------------------------------------------ scheduling


def deliveries_schedule(*, page, revision=None) -> list[Delivery]:
    """Create this revision's deliveries (once) and send them after commit.

    A later revision of a page already delivered on a channel is not sent again (a typo
    fix must not reach every follower twice) unless the editor chose channels after that
    delivery.
    """
    from loa.content.models import ArticlePage

    specific = page.specific
    choice = ChannelChoice.objects.filter(page_id=page.pk).first()
    if choice is not None:
        channels = choice.channels
    elif isinstance(specific, ArticlePage):
        channels = settings.LOA_CHANNELS_DEFAULT
    else:
        channels = []
    revision_id = getattr(revision, "pk", None) or page.latest_revision_id
    ward = page_ward(page)
    now = timezone.now()
    hold = timedelta(minutes=settings.LOA_CHANNELS_HOLD_MINUTES)
    created: list[Delivery] = []
    for channel in channels:
        if channel not in ADAPTERS:
            continue
        key = Delivery.key_for(
            page_id=page.pk, channel=channel, revision_id=revision_id
        )
        if Delivery.objects.filter(idempotency_key=key).exists():
            continue
        previous = (
            Delivery.objects.filter(page_id=page.pk, channel=channel)
            .order_by("-created_at")
            .first()
        )
        if previous is not None and (
            choice is None or previous.created_at >= choice.updated_at
        ):
            continue
        adapter = adapter_for(channel)
        delivery = Delivery(
            ward=ward,
            page_id=page.pk,
            revision_id=revision_id,
            channel=channel,
            idempotency_key=key,
            title=adapter.render_title(specific)[:255],
            variant=adapter.render(specific),
            image_url=_image_url(page, ward),
            residential_group=choice.residential_group if choice else None,
            next_attempt_at=now + hold if hold else None,
            created_at=now,
        )
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            continue  # another process scheduled the same key first
        created.append(delivery)
    for delivery in created:
        _enqueue_on_commit(delivery.pk, delivery.next_attempt_at)
    return created


def _enqueue_on_commit(delivery_id: int, run_after: datetime | None = None) -> None:
    def enqueue():
        from ..jobs import delivery_send_job

        job = delivery_send_job
        try:
            if run_after is not None and job.get_backend().supports_defer:
                job = job.using(run_after=run_after)
            job.enqueue(delivery_id)
        except Exception:  # noqa: BLE001 - the queue (Redis) does not answer
            # The delivery row is the record and is committed; the job only wakes a
            # worker. The resume pass (every few minutes) queues it once the queue is back.
            logger.warning(
                "Delivery %s not queued; the resume pass will",
                delivery_id,
                exc_info=True,
            )

    transaction.on_commit(enqueue)


# ------------------------------------------------------------------ sending


def delivery_send(
    *, delivery_id: int, now: datetime | None = None, respect_schedule: bool = False
) -> SendOutcome:
    """Send one delivery through its adapter, at most once; say when to try again."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id)
            .select_related("page")
            .first()
        )
        if delivery is None or delivery.status not in {
            Delivery.Status.QUEUED,
            Delivery.Status.WAITING,
            Delivery.Status.FAILED,
        }:
            return SendOutcome(delivery)
        if (
            respect_schedule
            and delivery.next_attempt_at is not None
            and delivery.next_attempt_at > now
        ):
            return SendOutcome(delivery)
        adapter = adapter_for(delivery.channel)
        if not adapter.is_configured():
            delivery.status = Delivery.Status.MANUAL
            delivery.next_attempt_at = None
            delivery.last_error = (
                f"Kênh {adapter.label} chưa có mã truy cập: đăng thủ công bằng gói nội "
                "dung bên dưới rồi dán đường dẫn bài đăng."
            )
            delivery.save()
            return SendOutcome(delivery)
        delivery.status = Delivery.Status.SENDING
        delivery.sending_at = now
        delivery.save(update_fields=["status", "sending_at"])

    try:
        result = adapter.send(delivery, now=now)
    except RuleWait as wait:
        _finish(
            delivery,
            status=Delivery.Status.WAITING,
            note=wait.reason,
            next_attempt_at=wait.until,
        )
        return SendOutcome(delivery, retry_at=wait.until)
    except ManualOnly as exc:
        _finish(delivery, status=Delivery.Status.MANUAL, note=str(exc))
        return SendOutcome(delivery)
    except AdapterError as exc:
        return _failed(delivery, exc, adapter.label, now)
    except Exception as exc:  # noqa: BLE001 - the post may exist; a person decides
        logger.exception("Delivery %s: unexpected error while sending", delivery.pk)
        note = AMBIGUOUS_NOTE % {"channel": adapter.label}
        _finish(
            delivery,
            status=Delivery.Status.MANUAL,
            note=f"{note} ({type(exc).__name__})",
            attempt_error=str(exc)[:500],
        )
        return SendOutcome(delivery)

    # The platform accepted it: record that before anything else can fail.
    with transaction.atomic():
        delivery.status = Delivery.Status.SENT
        delivery.attempts += 1
        delivery.external_id = result.external_id[:200]
        delivery.external_url = result.external_url[:500]
        delivery.reach = result.reach
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.next_attempt_at = None
        delivery.save()
        DeliveryAttempt.objects.create(delivery=delivery, is_ok=True)
    delivery_activity_ensure(delivery=delivery)
    return SendOutcome(delivery)


def _failed(delivery: Delivery, exc: AdapterError, label: str, now) -> SendOutcome:
    attempts = delivery.attempts + 1
    if exc.is_ambiguous:
        note = AMBIGUOUS_NOTE % {"channel": label}
        _finish(
            delivery,
            status=Delivery.Status.MANUAL,
            note=note,
            attempt_error=str(exc),
            count_attempt=True,
        )
        return SendOutcome(delivery)
    if exc.is_retryable and attempts < settings.LOA_CHANNELS_MAX_ATTEMPTS:
        delay = settings.LOA_CHANNELS_BACKOFF_SECONDS * 2 ** (attempts - 1)
        if exc.retry_after:
            delay = max(delay, exc.retry_after)
        retry_at = now + timedelta(seconds=delay)
        _finish(
            delivery,
            status=Delivery.Status.QUEUED,
            note=f"{exc} Thử lại lúc {timezone.localtime(retry_at):%H:%M %d/%m/%Y}.",
            next_attempt_at=retry_at,
            attempt_error=str(exc),
            count_attempt=True,
        )
        return SendOutcome(delivery, retry_at=retry_at)
    _finish(
        delivery,
        status=Delivery.Status.FAILED,
        note=str(exc),
        attempt_error=str(exc),
        count_attempt=True,
    )
    return SendOutcome(delivery)


@transaction.atomic
def _finish(
    delivery: Delivery,
    *,
    status: str,
    note: str,
    next_attempt_at: datetime | None = None,
    attempt_error: str = "",
    count_attempt: bool = False,
) -> None:
    delivery.status = status
    delivery.last_error = note
    delivery.next_attempt_at = next_attempt_at
    if count_attempt:
        delivery.attempts += 1
    delivery.save()
    if attempt_error or count_attempt:
        DeliveryAttempt.objects.create(
            delivery=delivery, is_ok=False, error=attempt_error or note
        )


def delivery_activity_ensure(*, delivery: Delivery, by=None):
    """Record the sent delivery as an Activity of the page's plan task, once."""
    from loa.content.wards import page_public_url
    from loa.plans.services import activity_record

    with transaction.atomic():
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.status != Delivery.Status.SENT or locked.activity_id:
            return locked.activity
        task = getattr(locked.page.specific, "related_task", None)
        if task is None:
            return None
        adapter = adapter_for(locked.channel)
        page_url = page_public_url(locked.page.specific, ward=locked.ward)
        try:
            activity = activity_record(
                task=task,
                unit=task.unit,
                by=by,
                kind="tin_bai",
                date=timezone.localdate(locked.sent_at),
                title=f"Đăng trên {adapter.label}: {locked.page.title}"[:300],
                channel=adapter.activity_channel,
                reach=locked.reach,
                evidence_url=locked.external_url or page_url,
            )
        except ValidationError:
            logger.exception("Delivery %s: activity not recorded", locked.pk)
            return None
        locked.activity = activity
        locked.save(update_fields=["activity"])
    delivery.activity = activity
    return activity


# ------------------------------------------------------------------ staff actions


def delivery_variant_update(
    *, delivery: Delivery, variant: str, title: str | None = None, by=None
) -> Delivery:
    """Change the text that will go out, while the delivery has not gone yet."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        _require_post_manager(delivery, by)
        before = {"title": delivery.title, "variant": delivery.variant}
        if not delivery.is_editable:
            raise ValidationError(
                "Tin đã gửi hoặc đang gửi, không sửa được nữa.", code="not_editable"
            )
        adapter = adapter_for(delivery.channel)
        variant = variant.strip()
        if not variant:
            raise ValidationError("Nội dung đăng không được để trống.", code="empty")
        if len(variant) > adapter.limit:
            raise ValidationError(
                "Nội dung dài %(length)s ký tự, vượt giới hạn %(limit)s ký tự của "
                "kênh %(channel)s.",
                code="too_long",
                params={
                    "length": len(variant),
                    "limit": adapter.limit,
                    "channel": adapter.label,
                },
            )
        delivery.variant = variant
        if title is not None and title.strip():
            delivery.title = title.strip()[:255]
        delivery.full_clean()
        delivery.save()
        _audit_post(
            delivery,
            by,
            "Sửa nội dung đăng",
            {
                "before": before,
                "after": {"title": delivery.title, "variant": delivery.variant},
            },
        )
    return delivery


def delivery_mark_posted(
    *, delivery: Delivery, url: str, reach: int | None = None, by=None
) -> Delivery:
    """Record a post staff made by hand ("Đã đăng"), and its Activity."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        _require_post_manager(delivery, by)
        if delivery.status == Delivery.Status.SENT:
            raise ValidationError(
                "Tin này đã được ghi là đã đăng.", code="already_sent"
            )
        if delivery.status == Delivery.Status.SENDING:
            raise ValidationError("Tin đang được gửi tự động.", code="sending")
        delivery.status = Delivery.Status.SENT
        delivery.external_url = url.strip()
        delivery.reach = reach
        delivery.sent_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.last_error = ""
        delivery.full_clean()
        delivery.save()
        DeliveryAttempt.objects.create(delivery=delivery, is_ok=True, error="")
        _audit_post(
            delivery,
            by,
            "Ghi nhận đã đăng",
            {"url": delivery.external_url, "reach": reach},
        )
    delivery_activity_ensure(delivery=delivery, by=by)
    return delivery


def delivery_retry(*, delivery: Delivery, by=None) -> Delivery:
    """Send a failed or manual delivery again through its API, with fresh attempts."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        _require_post_manager(delivery, by)
        if delivery.status not in {Delivery.Status.FAILED, Delivery.Status.MANUAL}:
            raise ValidationError(
                "Chỉ gửi lại được tin lỗi hoặc chờ đăng thủ công.", code="not_retryable"
            )
        delivery.status = Delivery.Status.QUEUED
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.save()
        _audit_post(delivery, by, "Gửi lại tin đăng", {})
        _enqueue_on_commit(delivery.pk)
    return delivery


def deliveries_resume_due(*, now: datetime | None = None) -> int:
    """Enqueue deliveries whose wait is over; hand interrupted sends to a person."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = Delivery.objects.filter(
            status=Delivery.Status.SENDING, sending_at__lt=now - STALE_SENDING
        )
        for delivery in stale.select_for_update():
            adapter = adapter_for(delivery.channel)
            _finish(
                delivery,
                status=Delivery.Status.MANUAL,
                note=AMBIGUOUS_NOTE % {"channel": adapter.label},
            )
        # A wait with no known end (a Zalo template not yet approved) is tried again too:
        # the rule decides again, cheaply, without reaching the platform.
        due = list(
            Delivery.objects.filter(
                status__in=[Delivery.Status.QUEUED, Delivery.Status.WAITING]
            )
            .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
            .values_list("pk", flat=True)
        )
        for pk in due:
            _enqueue_on_commit(pk)
    return len(due)
