"""Invalidate the public page cache whenever what visitors see may have changed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from loa.core.models import Ward
from loa.plans.models import Plan

from .cache import content_version_bump


def _bump_now_and_on_commit():
    # Now, so this transaction's own reads see it; after commit, so a page rendered
    # by another request while we were still writing is not kept.
    content_version_bump()
    transaction.on_commit(content_version_bump)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def on_page_changed(sender, **kwargs):
    _bump_now_and_on_commit()


@receiver(post_delete)
def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _bump_now_and_on_commit()


@receiver(post_save, sender=Ward)
def on_ward_saved(sender, instance, **kwargs):
    # Every portal page shows its ward's name and footer.
    _bump_now_and_on_commit()


@receiver(post_save, sender=Plan)
def on_plan_saved(sender, instance, **kwargs):
    # Plan pages render the plan's live data.
    if instance.pages.exists():
        _bump_now_and_on_commit()


# The editorial workflow in the audit log, and approval links to whoever decides next.
# Wagtail's own history (PageLogEntry) stays; these rows put the steps beside the rest
# of the ward's audit trail.

from wagtail.models import PageLogEntry  # noqa: E402
from wagtail.signals import (  # noqa: E402
    task_approved,
    task_cancelled,
    task_rejected,
    task_submitted,
    workflow_cancelled,
    workflow_submitted,
)

from . import approvals, services  # noqa: E402


def _page_of(state):
    obj = state.content_object if hasattr(state, "content_object") else None
    if obj is None:
        obj = state.workflow_state.content_object
    return obj.specific if isinstance(obj, Page) else obj


def _actor_from_wagtail_log(page_id, action):
    # page_published/unpublished and post_delete carry no user; Wagtail logged it first.
    entry = (
        PageLogEntry.objects.filter(page_id=page_id, action=action)
        .order_by("-timestamp", "-pk")
        .select_related("user")
        .first()
    )
    return entry.user if entry else None


@receiver(workflow_submitted)
def on_workflow_submitted(sender, instance, user=None, **kwargs):
    page = _page_of(instance)
    if isinstance(page, Page):
        approvals.audit_workflow_event(
            event="Gửi duyệt",
            page=page,
            user=user,
            changes={"workflow": instance.workflow.name},
        )


@receiver(task_submitted)
def on_task_submitted(sender, instance, user=None, **kwargs):
    page = _page_of(instance.workflow_state)
    if not isinstance(page, Page):
        return
    approvals.audit_workflow_event(
        event="Chuyển đến bước duyệt",
        page=page,
        user=user,
        changes={"task": instance.task.name},
    )
    approvals.approval_links_send(task_state=instance)


@receiver(task_approved)
def on_task_approved(sender, instance, user=None, **kwargs):
    page = _page_of(instance.workflow_state)
    if not isinstance(page, Page):
        return
    via_link = approvals.decision_channel.get() == "link"
    approvals.audit_workflow_event(
        event="Phê duyệt qua liên kết" if via_link else "Phê duyệt",
        page=page,
        user=user,
        approve=True,
        changes={"task": instance.task.name, "comment": instance.comment},
    )


@receiver(task_rejected)
def on_task_rejected(sender, instance, user=None, **kwargs):
    page = _page_of(instance.workflow_state)
    if not isinstance(page, Page):
        return
    via_link = approvals.decision_channel.get() == "link"
    approvals.audit_workflow_event(
        event="Trả lại qua liên kết" if via_link else "Trả lại",
        page=page,
        user=user,
        changes={"task": instance.task.name, "comment": instance.comment},
    )
    # The author hears it in Loa, with the reviewer's comment and the editor's link.
    services.article_returned_notify(task_state=instance, user=user)


@receiver(workflow_cancelled)
def on_workflow_cancelled(sender, instance, user=None, **kwargs):
    page = _page_of(instance)
    if isinstance(page, Page):
        approvals.audit_workflow_event(
            event="Hủy gửi duyệt",
            page=page,
            user=user,
            changes={"workflow": instance.workflow.name},
        )


@receiver(task_cancelled)
def on_task_cancelled(sender, instance, user=None, **kwargs):
    # A cancelled workflow cancels its open step too; that row says the same thing.
    if instance.workflow_state.status == instance.workflow_state.STATUS_CANCELLED:
        return
    page = _page_of(instance.workflow_state)
    if isinstance(page, Page):
        approvals.audit_workflow_event(
            event="Hủy bước duyệt",
            page=page,
            user=user,
            changes={"task": instance.task.name},
        )


PUBLISH_ACTIONS = {"wagtail.publish", "wagtail.publish.scheduled"}


@receiver(post_save, sender=PageLogEntry)
def on_page_published_audit(sender, instance, created, **kwargs):
    # Not page_published: it carries no user and fires before Wagtail writes this entry,
    # which names who published (the last approver, or nobody for a scheduled go-live).
    if not created or instance.action not in PUBLISH_ACTIONS:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        approvals.audit_workflow_event(
            event="Xuất bản",
            page=page,
            user=instance.user,
            changes={"revision": instance.revision_id},
        )
    if page is not None and instance.action == "wagtail.publish":
        # The author hears that the article is live (a scheduled one when it goes live,
        # not when it is scheduled); not the one who published it themselves.
        services.article_published_notify(
            page=page, revision_id=instance.revision_id, user=instance.user
        )


@receiver(page_unpublished)
def on_page_unpublished_audit(sender, instance, **kwargs):
    approvals.audit_workflow_event(
        event="Gỡ xuất bản",
        page=instance,
        user=_actor_from_wagtail_log(instance.pk, "wagtail.unpublish"),
    )


@receiver(post_delete)
def on_page_deleted_audit(sender, instance, **kwargs):
    # Multi-table inheritance deletes the Page row and the ArticlePage row: log once.
    if not isinstance(instance, Page) or type(instance) is not Page:
        return
    from datetime import timedelta

    from django.utils import timezone

    from loa.core.models import AuditLog
    from loa.core.services import audit_record

    # Treebeard and Wagtail may each delete the same Page row in one go.
    if AuditLog.objects.filter(
        action=AuditLog.Action.DELETE,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        created_at__gte=timezone.now() - timedelta(minutes=1),
    ).exists():
        return
    audit_record(
        action=AuditLog.Action.DELETE,
        obj=instance,
        actor=_actor_from_wagtail_log(instance.pk, "wagtail.delete"),
        object_repr=f"Xóa trang: {instance.title}",
        changes={"event": "Xóa trang"},
    )


# Editors, approvers and leaders hold page rights through their own ward's editorial
# groups (starter.ward_editorial_groups_sync); follow role and membership changes.

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db.models.signals import m2m_changed  # noqa: E402

from loa.core.models import Membership  # noqa: E402

from .starter import PAGE_PERMISSIONS, ward_editorial_groups_sync  # noqa: E402


def _touches_editorial_role(group_ids) -> bool:
    return Group.objects.filter(pk__in=group_ids, name__in=PAGE_PERMISSIONS).exists()


@receiver(m2m_changed, sender=get_user_model().groups.through)
def on_user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        if not reverse:
            ward_editorial_groups_sync(user=instance)
    elif reverse:  # group.user_set.add(...)
        if instance.name in PAGE_PERMISSIONS:
            for user in get_user_model().objects.filter(pk__in=pk_set or ()):
                ward_editorial_groups_sync(user=user)
    elif _touches_editorial_role(pk_set or ()):
        ward_editorial_groups_sync(user=instance)


@receiver(post_save, sender=Membership)
def on_membership_saved(sender, instance, **kwargs):
    ward_editorial_groups_sync(user=instance.user)
