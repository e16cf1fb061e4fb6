"""Mirror changes made in the Django admin into the audit log, so no path escapes it."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import AuditLog

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
