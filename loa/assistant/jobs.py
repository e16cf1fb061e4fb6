"""Background jobs of the assistant (django-tasks; "task" elsewhere means a plan task)."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .channels_out import ChannelError, send_messenger, send_zalo
from .models import Conversation

logger = logging.getLogger(__name__)

# A reply is tried this many times in all, waiting 30 s, then 60 s between tries.
REPLY_MAX_ATTEMPTS = 3
REPLY_BACKOFF_SECONDS = 30

_SENDERS = {
    Conversation.Channel.MESSENGER: send_messenger,
    Conversation.Channel.ZALO: send_zalo,
}


@task()
def reply_send_job(
    channel: str, recipient_id: str, text: str, attempt: int = 1
) -> bool:
    """Send a reply on its chat channel; on failure try again later, a bounded number of times."""
    send = _SENDERS.get(channel)
    if send is None:
        logger.warning("Reply not sent: unknown channel %r.", channel)
        return False
    try:
        send(recipient_id, text)
    except ChannelError as exc:
        if attempt >= REPLY_MAX_ATTEMPTS:
            # ChannelError messages carry no tokens; the recipient id is pseudonymous.
            logger.warning(
                "Reply on %s not sent after %d attempts: %s", channel, attempt, exc
            )
            return False
        retry = reply_send_job
        if retry.get_backend().supports_defer:
            delay = REPLY_BACKOFF_SECONDS * 2 ** (attempt - 1)
            retry = retry.using(run_after=timezone.now() + timedelta(seconds=delay))
        # Backends that cannot defer (the immediate one in tests) retry at once; the
        # attempt counter still bounds the recursion.
        retry.enqueue(channel, recipient_id, text, attempt=attempt + 1)
        return False
    return True


def next_purge_at(now=None):
    """Chat transcripts are purged once a day, at 03:00 local time (a quiet hour)."""
    from datetime import datetime, time

    now = timezone.localtime(now or timezone.now())
    at = timezone.make_aware(datetime.combine(now.date(), time(3)))
    return at if at > now else at + timedelta(days=1)


@task()
def transcripts_purge_job(reschedule: bool = True) -> int:
    """Apply the chat transcripts' retention (LOA_CHAT_RETENTION_DAYS), then book
    tomorrow's run."""
    from .services import transcripts_purge

    purged = transcripts_purge()
    if reschedule:
        transcripts_purge_job.using(run_after=next_purge_at()).enqueue(reschedule=True)
    return purged
