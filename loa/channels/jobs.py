"""Background jobs of the outbox (django-tasks; "task" elsewhere means a plan task)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

RESUME_EVERY = timedelta(minutes=5)


@task()
def delivery_send_job(delivery_id: int) -> str:
    """Send one delivery; book the next try when it failed or a platform rule says wait."""
    from .models import Delivery
    from .services.outbox import delivery_send

    job = delivery_send_job
    can_defer = job.get_backend().supports_defer
    outcome = delivery_send(delivery_id=delivery_id, respect_schedule=can_defer)
    delivery = outcome.delivery
    if delivery is None:
        return "missing"
    if outcome.retry_at is not None:
        if can_defer:
            job.using(run_after=outcome.retry_at).enqueue(delivery_id)
        elif delivery.status == Delivery.Status.QUEUED:
            # Backends that cannot defer (the immediate one in tests) retry at once; the
            # delivery's attempt counter bounds the recursion. A rule's wait is not
            # retried here: deliveries_resume_job picks it up when its time comes.
            job.enqueue(delivery_id)
    return delivery.status


@task()
def deliveries_resume_job(reschedule: bool = True) -> int:
    """Enqueue deliveries whose wait is over, then book the next look."""
    from .services.outbox import deliveries_resume_due

    count = deliveries_resume_due()
    if reschedule and deliveries_resume_job.get_backend().supports_defer:
        deliveries_resume_job.using(run_after=timezone.now() + RESUME_EVERY).enqueue(
            reschedule=True
        )
    return count
