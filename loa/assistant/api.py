"""JSON API of the assistant (django-ninja; OpenAPI at /api/docs)."""

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from ninja import Router, Schema
from ninja.errors import HttpError

from loa.core.models import ResidentialGroup, Ward
from loa.core.ratelimit import client_key, limit_exceeded
from loa.core.selectors import public_ward_or_404, ward_for_request

from . import services
from .models import Conversation, Exchange

router = Router(tags=["Trợ lý hỏi - đáp"])


class AskIn(Schema):
    question: str
    conversation_id: uuid.UUID | None = None
    # Empty: the ward whose address the request came to. A slug picks a ward (the city's
    # page, the widget embedded on another site).
    ward: str | None = None


class CitationOut(Schema):
    source: str
    title: str
    url: str | None
    quote: str


class AskOut(Schema):
    answer: str
    answered: bool
    citations: list[CitationOut]
    latency_ms: float
    conversation_id: uuid.UUID
    exchange_id: int
    lesson_url: str | None = None


class FeedbackIn(Schema):
    exchange_id: int
    # The conversation the answer belongs to: ids are sequential, so the id alone would let
    # anyone rate (and queue as tickets) other residents' answers.
    conversation_id: uuid.UUID
    value: int


class HandoffIn(Schema):
    conversation_id: uuid.UUID | None = None
    ward: str | None = None
    residential_group_id: int
    question: str
    contact_name: str = ""
    contact_phone: str = ""
    consent: bool = False


class GroupOut(Schema):
    id: int
    name: str


def lesson_url(slug: str) -> str | None:
    """The "Bình dân học vụ số" lesson page for a slug, once the learning app provides one."""
    if not slug:
        return None
    try:
        return reverse("learning:lesson_by_slug", args=[slug])
    except NoReverseMatch:
        return None


def _ward(request, slug: str | None):
    """The ward a public request is for: a 404 in Vietnamese for an address of no ward."""
    try:
        return public_ward_or_404(request, slug or None)
    except Http404:
        if not Ward.objects.filter(is_active=True).exists():
            return None  # an install with no ward yet answers from shared knowledge
        raise HttpError(404, "Không xác định được phường/xã của địa chỉ này.") from None


@router.post("/ask", response=AskOut, summary="Hỏi trợ lý")
def ask(request, payload: AskIn):
    question = payload.question.strip()
    if not question:
        raise HttpError(400, "Vui lòng nhập câu hỏi.")
    if len(question) > 2000:
        raise HttpError(400, "Câu hỏi quá dài (tối đa 2.000 ký tự).")
    if services.rate_limit_exceeded(client_key=client_key(request)):
        raise HttpError(429, "Bạn hỏi quá nhanh, vui lòng đợi một phút rồi hỏi tiếp.")
    result = services.question_answer(
        question=question,
        conversation_id=payload.conversation_id,
        channel=Conversation.Channel.API,
        ward=_ward(request, payload.ward),
    )
    return {
        "answer": result.answer.text,
        "answered": result.answer.answered,
        "citations": [c.as_dict() for c in result.answer.citations],
        "latency_ms": round(result.latency_ms, 1),
        "conversation_id": result.conversation.pk,
        "exchange_id": result.exchange.pk,
        "lesson_url": lesson_url(result.answer.lesson_slug),
    }


@router.post("/feedback", summary="Đánh giá câu trả lời")
def feedback(request, payload: FeedbackIn):
    exchange = get_object_or_404(
        Exchange, pk=payload.exchange_id, conversation_id=payload.conversation_id
    )
    try:
        services.exchange_feedback(exchange=exchange, value=payload.value)
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return {"ok": True}


@router.get(
    "/residential-groups", response=list[GroupOut], summary="Danh sách tổ dân phố"
)
def residential_groups(request, ward: str | None = None):
    target = ward_for_request(request, ward or None)
    if target is None:
        return []
    return list(ResidentialGroup.objects.filter(ward=target).values("id", "name"))


# Volunteer requests from one address in ten minutes: each one notifies the ward's staff
# and digital team, so a script must not be able to flood them. A resident needs one.
HANDOFFS_PER_ADDRESS = 5
HANDOFF_WINDOW = 10 * 60


@router.post("/handoff", summary="Gặp tình nguyện viên của Tổ công nghệ số cộng đồng")
def handoff(request, payload: HandoffIn):
    if limit_exceeded(
        scope="assistant-handoff",
        key=client_key(request),
        limit=HANDOFFS_PER_ADDRESS,
        seconds=HANDOFF_WINDOW,
    ):
        raise HttpError(
            429,
            "Bạn đã gửi nhiều yêu cầu gặp tình nguyện viên, "
            "vui lòng đợi ít phút rồi thử lại.",
        )
    group = get_object_or_404(
        ResidentialGroup,
        pk=payload.residential_group_id,
        ward=_ward(request, payload.ward),
    )
    conversation = (
        Conversation.objects.filter(pk=payload.conversation_id).first()
        if payload.conversation_id
        else None
    )
    try:
        services.volunteer_request_create(
            ward=group.ward,
            residential_group=group,
            question=payload.question,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            consent=payload.consent,
            conversation=conversation,
        )
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return {
        "ok": True,
        "message": f"Đã chuyển yêu cầu tới Tổ công nghệ số cộng đồng của {group.name}. "
        "Tình nguyện viên sẽ liên hệ hoặc hẹn gặp bạn.",
    }
