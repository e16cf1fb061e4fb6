"""Writes of the assistant: knowledge base, questions and answers, tickets, feedback, handoffs."""

import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from loa.core.models import AuditLog, ResidentialGroup, Ward
from loa.core.ratelimit import limit_exceeded
from loa.core.services import audit_record, notification_send

from . import index
from .answering import Answer, answer_question
from .chunking import parse_markdown_meta
from .llm import build_messages, llm_complete, llm_config_from_settings
from .models import (
    FAQ,
    Conversation,
    Exchange,
    KnowledgeDocument,
    Ticket,
    VolunteerRequest,
)
from .safety import redact

logger = logging.getLogger(__name__)
TEXT_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}
HISTORY_TURNS = 3


# ------------------------------------------------------------------ places


def place_names(ward: Ward | None) -> tuple[str, ...]:
    """The names a resident may use for where they live: the ward's own and former names
    and its city's wards, and the city. The assistant reads them as the setting of a
    question, never as its subject."""
    if ward is None:
        return ()
    names = {ward.name, *ward.former_names.values_list("name", flat=True)}
    if ward.province:
        names.add(re.sub(r"^(thành phố|tỉnh)\s+", "", ward.province, flags=re.I))
        names.update(
            Ward.objects.filter(province=ward.province).values_list("name", flat=True)
        )
    return tuple(sorted(n for n in names if n))


# ------------------------------------------------------------------ knowledge base


def _knowledge_save(obj, *, prefix: str, passages_of, by):
    """Validate, save and audit a document or FAQ; the index follows after commit."""
    obj.full_clean()
    created = obj.pk is None
    obj.save()
    action = AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE
    audit_record(action=action, obj=obj, actor=by, ward=obj.ward)
    transaction.on_commit(
        lambda: index.index_replace(
            doc_id=f"{prefix}:{obj.pk}",
            passages=passages_of(obj) if obj.is_active else [],
        )
    )
    return obj


def _knowledge_delete(obj, *, prefix: str, by) -> None:
    doc_id = f"{prefix}:{obj.pk}"
    audit_record(action=AuditLog.Action.DELETE, obj=obj, actor=by, ward=obj.ward)
    obj.delete()
    transaction.on_commit(lambda: index.index_replace(doc_id=doc_id, passages=[]))


def document_save(*, doc: KnowledgeDocument, by=None) -> KnowledgeDocument:
    """Validate and save a document; the index follows after commit."""
    return _knowledge_save(
        doc, prefix="doc", passages_of=index.document_passages, by=by
    )


def document_delete(*, doc: KnowledgeDocument, by=None) -> None:
    _knowledge_delete(doc, prefix="doc", by=by)


def faq_save(*, faq: FAQ, by=None) -> FAQ:
    """Validate and save an FAQ entry; it answers residents as soon as the transaction commits."""
    return _knowledge_save(faq, prefix="faq", passages_of=index.faq_passages, by=by)


def faq_delete(*, faq: FAQ, by=None) -> None:
    _knowledge_delete(faq, prefix="faq", by=by)


def article_index(*, page) -> None:
    """Index a published portal page: its title and the text of its body fields."""
    import html

    from django.utils.html import strip_tags
    from wagtail.fields import RichTextField, StreamField

    pieces = []
    for field in page._meta.get_fields():
        if isinstance(field, RichTextField | StreamField) or field.name in {
            "search_description",
            "intro",
            "sapo",
        }:
            value = getattr(page, field.name, "")
            pieces.append(html.unescape(strip_tags(str(value or ""))))
    text = "\n\n".join(p.strip() for p in pieces if p and p.strip()) or page.title
    ward = getattr(page, "ward", None)
    doc = KnowledgeDocument(
        pk=None,
        ward=ward if isinstance(ward, Ward) else None,
        external_id=f"page:{page.pk}",
        kind=KnowledgeDocument.Kind.ARTICLE,
        title=page.title,
        text=text,
        url=page.url or "",
        source=page.title,
    )
    passages = index.document_passages(doc)
    passages = [replace_passage_ids(p, f"page:{page.pk}") for p in passages]
    index.index_replace(doc_id=f"page:{page.pk}", passages=passages)


def replace_passage_ids(passage, doc_id: str):
    """Portal pages are not KnowledgeDocument rows: give their passages the page's ids."""
    from dataclasses import replace

    number = passage.id.rsplit("#", 1)[-1]
    return replace(passage, id=f"{doc_id}#{number}", doc_id=doc_id)


def plan_index(*, plan) -> None:
    """Index a confirmed plan's text (called when a plan becomes active)."""
    index.index_replace(doc_id=f"plan:{plan.pk}", passages=index.plan_passages(plan))


@dataclass
class IngestResult:
    documents: int = 0
    faqs: int = 0
    skipped: list[str] | None = None


def kb_ingest(*, path: Path, ward: Ward | None = None) -> IngestResult:
    """Load .txt/.md/.docx/.pdf files or .jsonl records (a file or a folder); idempotent by id."""
    path = Path(path)
    if not path.exists():
        raise ValidationError(
            "Không tìm thấy %(path)s.", code="missing", params={"path": path}
        )
    files = (
        sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    )
    result = IngestResult(skipped=[])
    # Read (and OCR) every document before the write transaction: on SQLite that
    # transaction locks out every other writer for as long as it lasts.
    documents, records = [], []
    for file in files:
        suffix = file.suffix.lower()
        if suffix == ".jsonl":
            records.append(file)
        elif suffix in TEXT_SUFFIXES and file.name.lower() != "readme.md":
            documents.append(
                _document_read(file, base=path if path.is_dir() else file.parent)
            )
        else:
            result.skipped.append(str(file))
    with index.deferred(), transaction.atomic():
        for fields in documents:
            _upsert_document(ward=ward, **fields)
            result.documents += 1
        for file in records:
            docs, faqs = _ingest_jsonl(file, ward)
            result.documents += docs
            result.faqs += faqs
    index.index_rebuild()
    return result


def _upsert_document(
    *, ward: Ward | None, external_id: str, **fields
) -> KnowledgeDocument:
    doc = KnowledgeDocument.objects.filter(
        ward=ward, external_id=external_id
    ).first() or KnowledgeDocument(ward=ward, external_id=external_id)
    for name, value in fields.items():
        setattr(doc, name, value)
    return document_save(doc=doc)


def _document_read(file: Path, *, base: Path) -> dict:
    """A document file's fields for `_upsert_document`, read without touching the database."""
    from loa.core.uploads import UploadError, check_size
    from loa.plans.extract import extract_text

    try:
        # Same guards as an upload: the size before reading, then extract_text's own.
        check_size(file.stat().st_size)
        text = extract_text(data=file.read_bytes(), filename=file.name).text
    except UploadError as exc:  # ExtractionError is one too
        raise ValidationError(
            "%(file)s: %(reason)s",
            code="unreadable",
            params={"file": file.name, "reason": str(exc)},
        ) from exc
    meta, body = (
        parse_markdown_meta(text)
        if file.suffix.lower() in {".md", ".txt"}
        else (None, text)
    )
    title = (
        meta.title
        if meta and meta.title
        else file.stem.replace("-", " ").replace("_", " ").strip()
    )
    kind = (
        KnowledgeDocument.Kind.GUIDE
        if "guide" in file.parts or "guides" in file.parts
        else KnowledgeDocument.Kind.DOCUMENT
    )
    return {
        "external_id": str(file.relative_to(base))
        if base in file.parents
        else file.name,
        "title": title[:300],
        "text": body,
        "kind": kind,
        "url": (meta.url if meta else "") or "",
        "source": "\n".join(meta.sources) if meta else "",
        "lesson_slug": (meta.lesson_slug if meta else "")[:100],
    }


def _ingest_jsonl(file: Path, ward: Ward | None) -> tuple[int, int]:
    docs = faqs = 0
    for number, line in enumerate(
        file.read_text(encoding="utf-8-sig").splitlines(), start=1
    ):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not record.get("id"):
                raise ValueError
        except ValueError:
            raise ValidationError(
                '%(file)s, dòng %(line)s: không phải một bản ghi JSON có trường "id".',
                code="bad_jsonl",
                params={"file": file.name, "line": number},
            ) from None
        if "questions" in record and "answer" in record:
            questions = [q for q in record["questions"] if q]
            faq = FAQ.objects.filter(
                ward=ward, external_id=str(record["id"])
            ).first() or FAQ(ward=ward, external_id=str(record["id"]))
            faq.question, faq.variants = questions[0][:500], "\n".join(questions[1:])
            faq.answer, faq.source = (
                record["answer"],
                (record.get("source") or "")[:500],
            )
            faq.url, faq.topic = (
                record.get("url") or "",
                (record.get("topic") or "")[:60],
            )
            faq.lesson_slug = (record.get("lesson") or "")[:100]
            faq_save(faq=faq)
            faqs += 1
            continue
        if not record.get("text"):
            raise ValidationError(
                '%(file)s, dòng %(line)s: thiếu trường "text".',
                code="bad_jsonl",
                params={"file": file.name, "line": number},
            )
        _upsert_document(
            ward=ward,
            external_id=str(record["id"]),
            title=str(record.get("title") or record["id"])[:300],
            text=record["text"],
            url=record.get("url") or "",
            source=record.get("source") or "",
            kind=KnowledgeDocument.Kind.DOCUMENT,
        )
        docs += 1
    return docs, faqs


# ------------------------------------------------------------------ questions


def _llm_writer():
    config = llm_config_from_settings()
    if config is None:
        return None
    return lambda question, passages: llm_complete(
        config, build_messages(question, passages)
    )


def rate_limit_exceeded(*, client_key: str) -> bool:
    """Count a question against the client's per-minute allowance; True when it is used up."""
    return limit_exceeded(
        scope="assistant",
        key=client_key,
        limit=settings.LOA_ASSISTANT_RATE_PER_MINUTE,
    )


@dataclass
class AskResult:
    answer: Answer
    exchange: Exchange
    conversation: Conversation
    latency_ms: float


def question_answer(
    *,
    question: str,
    conversation_id=None,
    channel: str = Conversation.Channel.WEB,
    ward: Ward | None = None,
    external_user: str = "",
) -> AskResult:
    """Answer a question in its conversation, store it (redacted) and open a ticket if unknown."""
    started = time.perf_counter()
    conversation = None
    if conversation_id:
        conversation = Conversation.objects.filter(pk=conversation_id).first()
        if (
            conversation is not None
            and ward is not None
            and conversation.ward_id != ward.pk
        ):
            conversation = None  # a conversation belongs to the ward it was asked in
    previous = []
    if conversation is None:
        # Stored with the exchange below, in one transaction.
        conversation = Conversation(
            ward=ward, channel=channel, external_user=external_user[:200]
        )
    else:
        previous = list(
            conversation.exchanges.order_by("-created_at").values_list(
                "question", flat=True
            )[:HISTORY_TURNS]
        )
        previous.reverse()
    answer = answer_question(
        question[:2000],
        index.get_retriever(),
        previous=previous,
        contact=(ward.contact_line if ward else "") or settings.LOA_CONTACT,
        ward_id=conversation.ward_id,
        place_names=place_names(ward),
        llm=_llm_writer(),
    )
    latency_ms = (time.perf_counter() - started) * 1000
    ticket = None
    if answer.kind == "decline":
        ticket = Ticket(ward=conversation.ward)
        answer.text = f"{answer.text} {_ticket_promise(ticket, conversation.channel)}"
    with transaction.atomic():
        if conversation._state.adding:
            conversation.save()
        exchange = Exchange.objects.create(
            conversation=conversation,
            question=redact(question[:2000]),
            answer=redact(answer.text),
            answered=answer.answered,
            kind=answer.kind,
            topic=answer.topic[:60],
            citations=[c.as_dict() for c in answer.citations],
            confidence=answer.confidence,
            latency_ms=latency_ms,
        )
        if ticket is not None:
            ticket.exchange, ticket.question = exchange, exchange.question
            ticket.save()
    return AskResult(
        answer=answer,
        exchange=exchange,
        conversation=conversation,
        latency_ms=latency_ms,
    )


def _ticket_promise(ticket: Ticket, channel: str) -> str:
    """Where the resident will read the officer's answer: in the same chat on Zalo or
    Messenger, on the assistant's page with the ticket's code on the web."""
    if channel in (Conversation.Channel.ZALO, Conversation.Channel.MESSENGER):
        return "Cán bộ sẽ trả lời bạn ngay trong cuộc trò chuyện này."
    return (
        f"Mã câu hỏi của bạn: {ticket.code}. Khi cán bộ trả lời, bạn mở trang "
        "\u201cXem trả lời của cán bộ\u201d của trợ lý và nhập mã này."
    )


def ticket_for_code(*, code: str, ward: Ward | None) -> Ticket | None:
    """The ticket a resident asks about by its code, on the ward's own address."""
    code = code.strip().upper().replace(" ", "")
    if len(code) == 8:
        code = f"{code[:4]}-{code[4:]}"
    if len(code) != 9:
        return None
    tickets = Ticket.objects.filter(code=code)
    if ward is not None:
        tickets = tickets.filter(ward=ward)
    return tickets.first()


def exchange_feedback(*, exchange: Exchange, value: int) -> Exchange:
    """Record 👍/👎; a 👎 puts the question in the staff queue."""
    if value not in (Exchange.Feedback.LIKE, Exchange.Feedback.DISLIKE):
        raise ValidationError("Đánh giá không hợp lệ.", code="bad_feedback")
    exchange.feedback = value
    exchange.save(update_fields=["feedback"])
    if value == Exchange.Feedback.DISLIKE and not exchange.tickets.exists():
        Ticket.objects.create(
            ward=exchange.conversation.ward,
            exchange=exchange,
            question=exchange.question,
            reason=Ticket.Reason.DISLIKED,
        )
    return exchange


@transaction.atomic
def ticket_answer(
    *,
    ticket: Ticket,
    answer: str,
    by,
    make_faq: bool = False,
    question: str = "",
    source: str = "",
) -> Ticket:
    """Staff answer a ticket; optionally the answer becomes an FAQ entry, live at once."""
    answer = answer.strip()
    if not answer:
        raise ValidationError("Vui lòng nhập câu trả lời.", code="empty_answer")
    ticket.answer, ticket.status = answer, Ticket.Status.ANSWERED
    ticket.answered_by, ticket.answered_at = by, timezone.now()
    if make_faq:
        faq = FAQ(
            ward=ticket.ward,
            external_id=f"ticket-{ticket.pk}",
            question=(question or ticket.question)[:500],
            answer=answer,
            source=source
            or f"Cán bộ {ticket.ward.authority_name if ticket.ward else 'phường'} trả lời",
        )
        ticket.faq = faq_save(faq=faq, by=by)
    ticket.save()
    audit_record(
        action=AuditLog.Action.UPDATE,
        obj=ticket,
        actor=by,
        ward=ticket.ward,
        object_repr=f"Trả lời câu hỏi: {ticket.question[:200]}",
    )
    _ticket_reply_send(ticket)
    return ticket


def _ticket_reply_send(ticket: Ticket) -> None:
    """A question asked on Zalo or Messenger gets the officer's answer in the same chat."""
    from .jobs import reply_send_job

    conversation = ticket.exchange.conversation if ticket.exchange else None
    if conversation is None or not conversation.external_user:
        return
    if conversation.channel not in (
        Conversation.Channel.ZALO,
        Conversation.Channel.MESSENGER,
    ):
        return
    text = f"Cán bộ phường trả lời câu hỏi \u201c{ticket.question[:200]}\u201d: {ticket.answer}"
    transaction.on_commit(
        lambda: reply_send_job.enqueue(
            conversation.channel, conversation.external_user, text
        )
    )


def volunteer_request_create(
    *,
    ward: Ward,
    residential_group: ResidentialGroup,
    question: str,
    contact_name: str = "",
    contact_phone: str = "",
    consent: bool = False,
    conversation: Conversation | None = None,
) -> VolunteerRequest:
    """ "Gặp tình nguyện viên": hand the resident to the community digital team of their tổ."""
    if residential_group.ward_id != ward.pk:
        raise ValidationError("Tổ dân phố không thuộc phường này.", code="other_ward")
    if contact_phone and not consent:
        raise ValidationError(
            "Vui lòng đồng ý cho phường dùng số điện thoại để liên hệ hỗ trợ.",
            code="no_consent",
        )
    request = VolunteerRequest(
        ward=ward,
        residential_group=residential_group,
        question=redact(question)[:2000],
        contact_name=contact_name[:120],
        contact_phone=contact_phone[:20],
        conversation=conversation,
    )
    request.full_clean()
    request.save()
    notification_send(
        ward=ward,
        unit=None,
        title=f"Người dân cần hỗ trợ kỹ năng số — {residential_group.name}",
        body=request.question,
        url="/tro-ly/can-ho-tro/",
    )
    return request


def transcripts_purge(*, now=None) -> int:
    """Blank the words of exchanges older than LOA_CHAT_RETENTION_DAYS (0 keeps them).

    The rows stay, so the counts in reports ("lượt hỏi - đáp") do not change; the text
    and the platform's user id (personal data) go. Returns how many exchanges were blanked.
    """
    days = settings.LOA_CHAT_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
    blanked = (
        Exchange.objects.filter(created_at__lt=cutoff)
        .exclude(question="", answer="")
        .update(question="", answer="", citations=[])
    )
    Conversation.objects.filter(created_at__lt=cutoff).exclude(
        external_user=""
    ).exclude(exchanges__created_at__gte=cutoff).update(external_user="")
    if blanked:
        logger.info("Blanked %s chat exchanges older than %s days", blanked, days)
    return blanked
