"""Keep deletions of ward records in the audit log even when done from the Django admin."""

from django.contrib.admin.models import DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import AuditLog


@receiver(post_save, sender=LogEntry)
def on_admin_log_entry(sender, instance: LogEntry, created: bool, **kwargs):
    if not created or instance.action_flag != DELETION:
        return
    AuditLog.objects.create(
        actor=instance.user, action=AuditLog.Action.DELETE,
        object_type=str(instance.content_type) if instance.content_type_id else "",
        object_id=instance.object_id or "", object_repr=instance.object_repr[:300],
    )
