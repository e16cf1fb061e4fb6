"""Reads of the assistant, scoped to the user's ward."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

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


# --- the figures: one definition each, for the assistant's pages and the reports ----


def exchange_list(
    *, wards: Iterable, start: date | None = None, end: date | None = None
) -> QuerySet[Exchange]:
    """List the questions residents asked the wards' assistant (any channel: web,
    widget, Zalo, Messenger, API), asked within [start, end] when given."""
    exchanges = Exchange.objects.filter(conversation__ward__in=list(wards))
    if start is not None and end is not None:
        # [start 00:00, end+1 00:00) in the ward's time zone, so indexes are used.
        tz = timezone.get_current_timezone()
        exchanges = exchanges.filter(
            created_at__gte=datetime.combine(start, time.min, tzinfo=tz),
            created_at__lt=datetime.combine(
                end + timedelta(days=1), time.min, tzinfo=tz
            ),
        )
    return exchanges


def assistant_totals(
    *, wards: Iterable, start: date | None = None, end: date | None = None
) -> dict:
    """Count the questions asked and those answered from the knowledge base (the
    assistant did not decline), with the answered share in whole percent."""
    row = exchange_list(wards=wards, start=start, end=end).aggregate(
        questions=Count("id"), answered=Count("id", filter=Q(answered=True))
    )
    row["share"] = (
        round(100 * row["answered"] / row["questions"]) if row["questions"] else 0
    )
    return row


def assistant_definitions(
    *, start: date | None = None, end: date | None = None
) -> dict:
    """How each figure of `assistant_totals` is counted, in the words shown beside it."""
    period = (
        f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
        if start is not None and end is not None
        else "từ trước đến nay"
    )
    return {
        "questions": f"tính từ: câu hỏi người dân gửi trợ lý ảo (web, Zalo, Messenger) "
        f"{period}; trả lời được là câu có trả lời từ kho tri thức, không chuyển cán bộ",
    }
