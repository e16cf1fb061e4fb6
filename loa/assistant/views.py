"""Pages of the assistant: the residents' chat page and the staff's knowledge and queue pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from loa.core.ratelimit import client_key, limit_exceeded, too_many_requests
from loa.core.selectors import ward_for_request

from . import services
from .api import lesson_url
from .forms import AskForm, DocumentForm, FAQForm, TicketAnswerForm
from .models import FAQ, Conversation, KnowledgeDocument, Ticket, VolunteerRequest
from .selectors import (
    can_manage_knowledge,
    can_see_volunteer_requests,
    document_list_for_user,
    faq_list_for_user,
    ticket_list_for_user,
    usage_figures,
    volunteer_request_list_for_user,
)


def chat(request):
    """The chat page; works without JavaScript (the widget uses the JSON API)."""
    form = AskForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        if services.rate_limit_exceeded(client_key=client_key(request)):
            form.add_error(
                None, "Bạn hỏi quá nhanh, vui lòng đợi một phút rồi hỏi tiếp."
            )
        else:
            result = services.question_answer(
                question=form.cleaned_data["question"],
                conversation_id=form.cleaned_data.get("conversation_id"),
                channel=Conversation.Channel.WEB,
                ward=ward_for_request(request),
            )
            form = AskForm(initial={"conversation_id": result.conversation.pk})
    # The whole conversation, oldest first, so a resident reads back what they were told.
    earlier = (
        list(result.conversation.exchanges.order_by("-created_at")[1:CHAT_SHOWN][::-1])
        if result
        else []
    )
    return render(
        request,
        "assistant/chat.html",
        {
            "form": form,
            "result": result,
            "earlier": earlier,
            "lesson_url": lesson_url(result.answer.lesson_slug) if result else None,
        },
        status=429 if form.non_field_errors() else 200,
    )


CHAT_SHOWN = 20  # exchanges of a conversation shown on the page


def ticket_lookup(request):
    """A resident reads the officer's answer to a question the assistant handed over,
    by the code they were given (posted, so it stays out of addresses and logs)."""
    ticket, asked = None, False
    if request.method == "POST":
        if limit_exceeded(
            scope="ticket-lookup",
            key=client_key(request),
            limit=settings.LOA_TICKET_LOOKUPS_PER_MINUTE,
        ):
            return too_many_requests(request)
        asked = True
        ticket = services.ticket_for_code(
            code=request.POST.get("ma", ""), ward=ward_for_request(request)
        )
    return render(
        request, "assistant/ticket_lookup.html", {"ticket": ticket, "asked": asked}
    )


def _require_knowledge_staff(request):
    if not can_manage_knowledge(request.user):
        raise PermissionDenied(
            "Chỉ cán bộ được giao quản lý trợ lý mới làm được việc này."
        )


@login_required
def ticket_list(request):
    _require_knowledge_staff(request)
    status = request.GET.get("trang_thai", Ticket.Status.OPEN)
    tickets = ticket_list_for_user(request.user).filter(status=status)
    page = Paginator(tickets, 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "assistant/ticket_list.html",
        {"page": page, "status": status, "statuses": Ticket.Status.choices},
    )


@login_required
def ticket_answer(request, pk: int):
    _require_knowledge_staff(request)
    ticket = get_object_or_404(ticket_list_for_user(request.user), pk=pk)
    form = TicketAnswerForm(
        request.POST or None,
        initial={"question": ticket.question, "answer": ticket.answer},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ticket_answer(ticket=ticket, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request,
                "Đã lưu câu trả lời."
                + (
                    " Trợ lý dùng ngay câu trả lời này."
                    if form.cleaned_data["make_faq"]
                    else ""
                ),
            )
            return redirect("assistant:ticket_list")
    return render(
        request, "assistant/ticket_answer.html", {"ticket": ticket, "form": form}
    )


@login_required
def faq_list(request):
    _require_knowledge_staff(request)
    faqs = faq_list_for_user(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        faqs = faqs.filter(question__icontains=query)
    page = Paginator(faqs, 50).get_page(request.GET.get("trang"))
    return render(request, "assistant/faq_list.html", {"page": page, "query": query})


def _knowledge_edit(
    request, *, model, form_class, save, pk, heading: str, back: str, remove: str
):
    """Create or edit one of the ward's own FAQ entries or documents (shared ones are read-only)."""
    _require_knowledge_staff(request)
    obj = (
        get_object_or_404(model, pk=pk, ward=request.ward)
        if pk
        else model(
            ward=request.ward, external_id=f"staff-{timezone.now():%Y%m%d%H%M%S%f}"
        )
    )
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        save(form.instance, request.user)
        messages.success(request, f"Đã lưu {heading.lower()}; trợ lý dùng ngay.")
        return redirect(back)
    context = {
        "form": form,
        "heading": heading,
        "back": back,
        "remove": remove,
        "object": obj if pk else None,
    }
    return render(request, "assistant/edit.html", context)


def _knowledge_remove(request, *, model, delete, pk, back: str, done: str):
    _require_knowledge_staff(request)
    delete(get_object_or_404(model, pk=pk, ward=request.ward), request.user)
    messages.success(request, done)
    return redirect(back)


@login_required
def faq_edit(request, pk: int | None = None):
    return _knowledge_edit(
        request,
        model=FAQ,
        form_class=FAQForm,
        pk=pk,
        heading="Câu hỏi thường gặp",
        save=lambda obj, by: services.faq_save(faq=obj, by=by),
        back="assistant:faq_list",
        remove="assistant:faq_remove",
    )


@login_required
@require_POST
def faq_remove(request, pk: int):
    return _knowledge_remove(
        request,
        model=FAQ,
        pk=pk,
        back="assistant:faq_list",
        done="Đã xóa câu hỏi.",
        delete=lambda obj, by: services.faq_delete(faq=obj, by=by),
    )


@login_required
def document_list(request):
    _require_knowledge_staff(request)
    page = Paginator(document_list_for_user(request.user), 50).get_page(
        request.GET.get("trang")
    )
    return render(request, "assistant/document_list.html", {"page": page})


@login_required
def document_edit(request, pk: int | None = None):
    return _knowledge_edit(
        request,
        model=KnowledgeDocument,
        form_class=DocumentForm,
        pk=pk,
        heading="Tài liệu tri thức",
        save=lambda obj, by: services.document_save(doc=obj, by=by),
        back="assistant:document_list",
        remove="assistant:document_remove",
    )


@login_required
@require_POST
def document_remove(request, pk: int):
    return _knowledge_remove(
        request,
        model=KnowledgeDocument,
        pk=pk,
        back="assistant:document_list",
        done="Đã xóa tài liệu.",
        delete=lambda obj, by: services.document_delete(doc=obj, by=by),
    )


@login_required
def usage(request):
    _require_knowledge_staff(request)
    figures = usage_figures(ward=request.ward, today=timezone.localdate())
    return render(request, "assistant/usage.html", {"f": figures})


@login_required
def volunteer_requests(request):
    if not can_see_volunteer_requests(request.user):
        raise PermissionDenied(
            "Chỉ Tổ công nghệ số cộng đồng và cán bộ phụ trách xem được danh sách này."
        )
    if request.method == "POST":
        item = get_object_or_404(
            volunteer_request_list_for_user(request.user), pk=request.POST.get("id")
        )
        if request.POST.get("status") in VolunteerRequest.Status.values:
            item.status, item.handled_by = request.POST["status"], request.user
            item.save(update_fields=["status", "handled_by"])
        return redirect("assistant:volunteer_requests")
    items = volunteer_request_list_for_user(request.user)
    return render(
        request,
        "assistant/volunteer_requests.html",
        {"items": items, "statuses": VolunteerRequest.Status.choices},
    )


def guide_list(request):
    """Public list of the guides and documents the assistant answers from."""
    docs = (
        KnowledgeDocument.objects.filter(is_active=True)
        .defer("text")
        .order_by("kind", "title")
    )
    return render(request, "assistant/guide_list.html", {"docs": docs})


def guide_detail(request, pk: int):
    """A guide as a resident reads it; citations link to its sections."""
    from loa.core.markdown import render_document

    doc = get_object_or_404(KnowledgeDocument, pk=pk, is_active=True)
    sources = [line for line in doc.source.splitlines() if line.strip()]
    return render(
        request,
        "assistant/guide_detail.html",
        {"doc": doc, "html": render_document(doc.text), "sources": sources},
    )
