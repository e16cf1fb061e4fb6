"""Invalidate the public page cache whenever what visitors see may have changed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

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


@receiver(post_save, sender=Plan)
def on_plan_saved(sender, instance, **kwargs):
    # Plan pages render the plan's live data.
    if instance.pages.exists():
        _bump_now_and_on_commit()
