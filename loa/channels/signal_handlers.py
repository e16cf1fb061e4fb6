"""A published page gets its deliveries; the network calls run in jobs after commit."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .services.outbox import deliveries_schedule


@receiver(page_published)
def on_page_published(sender, instance, revision=None, **kwargs):
    deliveries_schedule(page=instance, revision=revision)
