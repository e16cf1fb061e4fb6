"""Reads of the core app."""

from django.db.models import Q, QuerySet

from .access import is_plan_manager, user_unit, user_ward
from .models import AuditLog, Notification


def notification_list_for_user(user) -> QuerySet[Notification]:
    """Notifications of the user's unit; plan managers see every notification of their ward."""
    ward = user_ward(user)
    if ward is None:
        return Notification.objects.none()
    qs = Notification.objects.filter(ward=ward)
    if is_plan_manager(user):
        return qs
    unit = user_unit(user)
    return (
        qs.filter(Q(unit=unit) | Q(unit__isnull=True))
        if unit
        else qs.filter(unit__isnull=True)
    )


def audit_list_for_user(user) -> QuerySet[AuditLog]:
    """The audit log of the user's ward, for plan managers only."""
    ward = user_ward(user)
    if ward is None or not is_plan_manager(user):
        return AuditLog.objects.none()
    return AuditLog.objects.filter(ward=ward).select_related("actor")


def ward_for_public(slug: str | None):
    """The ward a public visitor means: by slug, or the only ward of a one-ward deployment."""
    from .models import Ward

    if slug:
        return Ward.objects.filter(slug=slug, is_active=True).first()
    wards = list(Ward.objects.filter(is_active=True)[:2])
    return wards[0] if len(wards) == 1 else None
