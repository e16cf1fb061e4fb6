"""Reads of the assistant, scoped to the user's ward."""

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from loa.core import roles
from loa.core.access import user_roles, user_ward

from .models import FAQ, Exchange, KnowledgeDocument, Ticket, VolunteerRequest

KNOWLEDGE_ROLES = {roles.LEADER, roles.CULTURE_STAFF, roles.EDITOR, roles.APPROVER}


def can_manage_knowledge(user) -> bool:
    """Leaders, the lead unit, editors and approvers keep the assistant's knowledge."""
    return user_ward(user) is not None and (
        user.is_superuser or bool(user_roles(user) & KNOWLEDGE_ROLES)
    )


def can_see_volunteer_requests(user) -> bool:
    return user_ward(user) is not None and (
        user.is_superuser
        or bool(user_roles(user) & (KNOWLEDGE_ROLES | {roles.DIGITAL_TEAM}))
    )


def faq_list_for_user(user) -> QuerySet[FAQ]:
    ward = user_ward(user)
    return (
        FAQ.objects.filter(Q(ward=ward) | Q(ward__isnull=True))
        if ward
        else FAQ.objects.none()
    )


def document_list_for_user(user) -> QuerySet[KnowledgeDocument]:
    ward = user_ward(user)
    if ward is None:
        return KnowledgeDocument.objects.none()
    return KnowledgeDocument.objects.filter(Q(ward=ward) | Q(ward__isnull=True)).defer(
        "text"
    )


def ticket_list_for_user(user) -> QuerySet[Ticket]:
    ward = user_ward(user)
    return (
        Ticket.objects.filter(ward=ward).select_related("exchange")
        if ward
        else Ticket.objects.none()
    )


def volunteer_request_list_for_user(user) -> QuerySet[VolunteerRequest]:
    ward = user_ward(user)
    if ward is None:
        return VolunteerRequest.objects.none()
    return VolunteerRequest.objects.filter(ward=ward).select_related(
        "residential_group", "handled_by"
    )


def usage_figures(*, ward, today: date, days: int = 30) -> dict:
    """Questions per day, answered share, top topics and unanswered share over the last days."""
    since = today - timedelta(days=days - 1)
    exchanges = Exchange.objects.filter(
        conversation__ward=ward, created_at__date__gte=since
    )
    total = exchanges.count()
    answered = exchanges.filter(answered=True).count()
    per_day = list(
        exchanges.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    topics = list(
        exchanges.exclude(topic="")
        .values("topic")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    return {
        "since": since,
        "total": total,
        "answered": answered,
        "answered_share": answered / total if total else 0.0,
        "unanswered_share": (total - answered) / total if total else 0.0,
        "liked": exchanges.filter(feedback=Exchange.Feedback.LIKE).count(),
        "disliked": exchanges.filter(feedback=Exchange.Feedback.DISLIKE).count(),
        "per_day": per_day,
        "topics": topics,
        "open_tickets": Ticket.objects.filter(
            ward=ward, status=Ticket.Status.OPEN
        ).count(),
    }
