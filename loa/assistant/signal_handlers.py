"""Keep plans in the knowledge base: a plan is indexed when it becomes active."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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
