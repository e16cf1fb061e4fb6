"""Keep plans and published portal pages in the knowledge base."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from loa.plans.models import Plan


@receiver(post_save, sender=Plan)
def on_plan_saved(sender, instance: Plan, **kwargs):
    from . import index
    from .services import plan_index

    if instance.status == Plan.Status.ACTIVE:
        transaction.on_commit(lambda: plan_index(plan=instance))
    elif instance.status == Plan.Status.CLOSED:
        transaction.on_commit(
            lambda: index.index_replace(doc_id=f"plan:{instance.pk}", passages=[])
        )


@receiver(post_delete, sender=Plan)
def on_plan_deleted(sender, instance: Plan, **kwargs):
    from . import index

    doc_id = f"plan:{instance.pk}"
    transaction.on_commit(lambda: index.index_replace(doc_id=doc_id, passages=[]))


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    """A published portal page becomes knowledge at once (its live text, not a draft)."""
    from .services import article_index

    transaction.on_commit(lambda: article_index(page=instance.specific))


@receiver(page_unpublished)
def on_page_unpublished(sender, instance, **kwargs):
    from . import index

    doc_id = f"page:{instance.pk}"
    transaction.on_commit(lambda: index.index_replace(doc_id=doc_id, passages=[]))
