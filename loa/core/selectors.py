"""Reads of the core app."""

import re
import time

from django.core.cache import caches
from django.db.models import Q, QuerySet

from .access import is_plan_manager, user_unit, user_ward
from .models import AuditLog, Notification


def notification_list_for_user(user) -> QuerySet[Notification]:
    """Notifications of the user's unit (plan managers: of their whole ward), and the
    user's own personal ones; another person's personal notifications never."""
    ward = user_ward(user)
    if ward is None:
        return Notification.objects.none()
    qs = Notification.objects.filter(ward=ward)
    own = Q(recipient=user)
    shared = Q(recipient__isnull=True)
    if is_plan_manager(user):
        return qs.filter(own | shared)
    unit = user_unit(user)
    unit_scope = Q(unit=unit) | Q(unit__isnull=True) if unit else Q(unit__isnull=True)
    return qs.filter(own | (shared & unit_scope))


UNREAD_SECONDS = 120  # bounds a missed reset (a bulk update sends no signal)


def _unread_version_key(ward_id: int) -> str:
    return f"loa:unread:version:{ward_id}"


def unread_notification_count(user) -> int:
    """The menu's badge, shown on every staff page: counted once and kept a short while,
    counted afresh as soon as a notification of the ward is created, read or deleted."""
    ward = user_ward(user)
    if ward is None:
        return 0
    unit = user_unit(user)
    scope = "all" if is_plan_manager(user) else (unit.pk if unit else "ward")
    scope = f"{scope}:{user.pk}"  # personal notifications differ per person
    memo = caches["memo"]
    version = memo.get(_unread_version_key(ward.pk)) or 0
    return memo.get_or_set(
        f"loa:unread:{ward.pk}:{version}:{scope}",
        lambda: notification_list_for_user(user).filter(read_at__isnull=True).count(),
        timeout=UNREAD_SECONDS,
    )


def unread_notifications_changed(ward_id: int) -> None:
    # A clock value: a lost key can never bring back a count from before.
    caches["memo"].set(_unread_version_key(ward_id), time.time_ns(), timeout=None)


def audit_list_for_user(user) -> QuerySet[AuditLog]:
    """The audit log of the user's ward, for plan managers only."""
    ward = user_ward(user)
    if ward is None or not is_plan_manager(user):
        return AuditLog.objects.none()
    return AuditLog.objects.filter(ward=ward).select_related("actor")


WARDS_VERSION_KEY = "loa:wards:version"
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]{1,60}")
WARD_SECONDS = 60  # bounds a missed reset (ward merges update rows in bulk)


def ward_for_public(slug: str | None):
    """The ward a public visitor means: by slug, or the only ward of a one-ward deployment.

    Asked by every question to the assistant: kept a minute in the "memo" cache and looked
    up afresh as soon as any ward is saved or deleted (signal_handlers).
    """
    from .models import Ward

    if slug and not SLUG_RE.fullmatch(slug):
        # Whatever a client typed is looked up but never kept (no key per odd string).
        return Ward.objects.filter(slug=slug, is_active=True).first()
    memo = caches["memo"]

    def lookup():
        if slug:
            return [Ward.objects.filter(slug=slug, is_active=True).first()]
        wards = list(Ward.objects.filter(is_active=True)[:2])
        return [wards[0] if len(wards) == 1 else None]

    key = f"loa:ward-public:{memo.get(WARDS_VERSION_KEY) or 0}:{slug or ''}"
    # A one-item list, so that "no ward" is kept too.
    return memo.get_or_set(key, lookup, timeout=WARD_SECONDS)[0]


def wards_changed() -> None:
    caches["memo"].set(WARDS_VERSION_KEY, time.time_ns(), timeout=None)


_UNSET = object()


def ward_for_site(site_id: int | None):
    """The ward whose portal a Wagtail site is, or the only ward when the site has none
    (a one-ward install reached at any address)."""
    from .models import Ward

    memo = caches["memo"]

    def lookup():
        ward = (
            Ward.objects.filter(site_id=site_id, is_active=True).first()
            if site_id
            else None
        )
        return [ward or ward_for_public(None)]

    key = f"loa:ward-site:{memo.get(WARDS_VERSION_KEY) or 0}:{site_id or ''}"
    return memo.get_or_set(key, lookup, timeout=WARD_SECONDS)[0]


def ward_for_request(request, slug: str | None = None):
    """The ward whose public surface a visitor is on, found from the address they opened
    (each ward's Wagtail site has its own host name); a slug picks a ward explicitly (the
    city's page, a widget embedded on another site). None: the address names no ward."""
    if slug:
        return ward_for_public(slug)
    ward = getattr(request, "_loa_public_ward", _UNSET)
    if ward is _UNSET:
        from wagtail.models import Site

        site = Site.find_for_request(request)
        ward = request._loa_public_ward = ward_for_site(site.pk if site else None)
    return ward


def public_ward_or_404(request, slug: str | None = None):
    """`ward_for_request`, or a Vietnamese 404 for an address that names no ward."""
    from django.http import Http404

    ward = ward_for_request(request, slug)
    if ward is None:
        raise Http404("Địa chỉ này chưa gắn với phường/xã nào.")
    return ward


def ward_for_command(slug: str | None, *, none_if_no_ward: bool = False):
    """The ward a command means: --ward, or the only active ward. Raise CommandError in Vietnamese otherwise.

    With `none_if_no_ward`, an install that has no active ward yet gives None instead of
    an error: the assistant's commands then work on the knowledge shared by every ward.
    """
    from django.core.management.base import CommandError

    from .models import Ward

    wards = list(Ward.objects.filter(is_active=True))
    choices = ", ".join(f"{w.slug} ({w.display_name})" for w in wards)
    if slug:
        for ward in wards:
            if ward.slug == slug:
                return ward
        gone = Ward.objects.filter(slug=slug, merged_into__isnull=False).first()
        message = (
            f'Phường/xã mã "{slug}" đã sáp nhập vào {gone.merged_into.display_name} '
            f'(mã "{gone.merged_into.slug}").'
            if gone
            else f'Không có phường/xã mã "{slug}".'
        )
        hint = (
            f"Các mã hiện có: {choices}."
            if wards
            else "Chưa có phường/xã nào đang hoạt động."
        )
        raise CommandError(f"{message} {hint}", returncode=2)
    if len(wards) == 1:
        return wards[0]
    if wards:
        raise CommandError(
            f"Có {len(wards)} phường/xã; hãy chọn một bằng --ward: {choices}.",
            returncode=2,
        )
    if none_if_no_ward:
        return None
    raise CommandError(
        "Chưa có phường/xã nào đang hoạt động; hãy tạo phường/xã trước "
        "(hoặc chạy loa setup để nạp phường mẫu).",
        returncode=2,
    )
