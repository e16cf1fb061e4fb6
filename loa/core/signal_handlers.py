"""Mirror changes made in the Django admin into the audit log, so no path escapes it;
forget cached state (roles, two-factor devices, unread notifications, the public ward)
when it changes."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_otp import device_classes

from .access import roles_changed
from .models import AuditLog, Notification, Ward
from .security import device_changed
from .selectors import unread_notifications_changed, wards_changed

ADMIN_ACTIONS = {
    ADDITION: AuditLog.Action.CREATE,
    CHANGE: AuditLog.Action.UPDATE,
    DELETION: AuditLog.Action.DELETE,
}


@receiver(post_save, sender=LogEntry)
def on_admin_log_entry(sender, instance: LogEntry, created: bool, **kwargs):
    if not created or instance.action_flag not in ADMIN_ACTIONS:
        return
    AuditLog.objects.create(
        actor=instance.user,
        action=ADMIN_ACTIONS[instance.action_flag],
        object_type=str(instance.content_type) if instance.content_type_id else "",
        object_id=instance.object_id or "",
        object_repr=instance.object_repr[:300],
        changes={"admin": instance.get_change_message()}
        if instance.change_message
        else {},
    )


def on_otp_device_change(sender, instance, **kwargs):
    device_changed(instance.user_id)


# Every device type of django-otp (TOTP today), however it is changed: the enrolment
# page, the admin, the page's "turn off" (a queryset delete sends post_delete per row).
# Connected per model: a receiver for every sender would slow every bulk delete.
for _model in device_classes():
    post_save.connect(on_otp_device_change, sender=_model, dispatch_uid=f"2fa-{_model}")
    post_delete.connect(
        on_otp_device_change, sender=_model, dispatch_uid=f"2fa-d-{_model}"
    )


@receiver(post_save, sender=Notification)
@receiver(post_delete, sender=Notification)
def on_notification_change(sender, instance: Notification, **kwargs):
    unread_notifications_changed(instance.ward_id)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def on_groups_change(sender, instance, action, reverse, pk_set, **kwargs):
    # user.groups.add(...) or group.user_set.add(...); a reverse clear names no users
    # (access.ROLES_SECONDS bounds it).
    if action.startswith("post_"):
        for user_id in (pk_set or ()) if reverse else [instance.pk]:
            roles_changed(user_id)


@receiver(post_save, sender=Ward)
@receiver(post_delete, sender=Ward)
def on_ward_change(sender, instance: Ward, **kwargs):
    wards_changed()
