"""The process's retriever over the knowledge base, kept in step with the database.

Each process loads the index persisted under LOA_DATA_DIR once and, before every search,
reloads it if another process (a web worker, the task worker, a command) saved a newer one.
"""

import re
import threading

from django.conf import settings

from loa.core.markdown import section_anchor

from .chunking import chunk_markdown, chunk_plan
from .retrieval import Passage, Retriever, load_embedder

_lock = threading.Lock()
_cache: dict[str, Retriever] = {}


def get_retriever() -> Retriever:
    """Return this process's retriever, loading (or on first use building) the index."""
    index_dir = settings.LOA_ASSISTANT_INDEX_DIR
    key = str(index_dir)
    with _lock:
        retriever = _cache.get(key)
        if retriever is None:
            retriever = Retriever(
                index_dir=index_dir,
                embedder=load_embedder(settings.LOA_EMBEDDING_MODEL or None),
            )
            _cache.clear()
            _cache[key] = retriever
            if len(retriever) == 0:
                _fill(retriever)
        else:
            retriever.refresh()
        return retriever


def forget_retriever() -> None:
    """Drop the loaded index (tests and restores)."""
    with _lock:
        _cache.clear()


_INLINE_SOURCE_RE = re.compile(r"\(Nguồn:\s*([^)]+)\)")


def document_passages(doc) -> list[Passage]:
    """A document's chunks; each cites the source named in it, else the document's first source."""
    sources = [line.strip() for line in doc.source.splitlines() if line.strip()]
    default_source = sources[0] if sources else doc.title
    passages = []
    for n, chunk in enumerate(chunk_markdown(doc.title, doc.text)):
        inline = _INLINE_SOURCE_RE.search(chunk.text)
        meta = {
            "ward_id": doc.ward_id,
            "source": _source_line(inline.group(1), sources)
            if inline
            else default_source,
            "lesson": doc.lesson_slug,
            "external_id": doc.external_id,
            "doc_kind": doc.kind,
        }
        passages.append(
            Passage(
                id=f"doc:{doc.pk}#{n}",
                doc_id=f"doc:{doc.pk}",
                title=" › ".join(chunk.title_path),
                text=chunk.text,
                url=_reading_url(doc, chunk.title_path),
                kind=doc.kind,
                meta=meta,
            )
        )
    return passages


def _reading_url(doc, title_path: tuple[str, ...]) -> str:
    """Where a person reads the chunk: the document's own address, else its page in Loa."""
    if doc.url:
        return doc.url
    anchor = f"#{section_anchor(title_path[-1])}" if len(title_path) > 1 else ""
    return f"/huong-dan/{doc.pk}/{anchor}"


def _source_line(short_name: str, sources: list[str]) -> str:
    """The full source line (name and address) that a short inline "(Nguồn: …)" refers to."""
    short = short_name.strip().lower()
    for line in sources:
        if line.lower().startswith(short) or short in line.lower():
            return line
    return short_name.strip()


def faq_passages(faq) -> list[Passage]:
    """One passage per way of asking; each carries the answer so its words match too."""
    meta = {
        "ward_id": faq.ward_id,
        "source": faq.source,
        "answer": faq.answer,
        "topic": faq.topic,
        "lesson": faq.lesson_slug,
        "external_id": faq.external_id,
        "faq_id": faq.pk,
    }
    return [
        Passage(
            id=f"faq:{faq.pk}:q{n}",
            doc_id=f"faq:{faq.pk}",
            title=faq.question,
            text=f"{question}\n{faq.answer}",
            url=faq.url or None,
            kind="faq",
            meta=meta,
        )
        for n, question in enumerate(faq.all_questions)
    ]


def plan_passages(plan) -> list[Passage]:
    title = (
        f"{plan.doc_type or 'Kế hoạch'} số {plan.number}" if plan.number else str(plan)
    )
    units: dict[str, list[str]] = {}
    for task in plan.tasks.select_related("unit").order_by("order"):
        units.setdefault(task.unit.name, []).append(task.text)
    header = Passage(
        id=f"plan:{plan.pk}#0",
        doc_id=f"plan:{plan.pk}",
        title=title,
        text=f"{title} ngày {plan.issued_date:%d/%m/%Y} của {plan.issuer}: {plan.title}. "
        f"Người ký: {plan.signer} ({plan.signer_position})."
        if plan.issued_date
        else f"{title}: {plan.title}",
        url=f"/ke-hoach/{plan.pk}/",
        kind="plan",
        meta={
            "ward_id": plan.ward_id,
            "source": f"{title} của {plan.issuer}".strip(),
            "external_id": f"plan:{plan.number or plan.pk}",
        },
    )
    passages = [header]
    for n, chunk in enumerate(
        chunk_plan(title, plan.sections or [], list(units.items())), start=1
    ):
        passages.append(
            Passage(
                id=f"plan:{plan.pk}#{n}",
                doc_id=f"plan:{plan.pk}",
                title=" › ".join(chunk.title_path),
                text=chunk.text,
                url=f"/ke-hoach/{plan.pk}/",
                kind="plan",
                meta=header.meta,
            )
        )
    return passages


def _fill(retriever: Retriever) -> int:
    """Index every active document, FAQ and plan (first start, or after a restore)."""
    from loa.plans.models import Plan

    from .models import FAQ, KnowledgeDocument

    passages: list[Passage] = []
    for doc in KnowledgeDocument.objects.filter(is_active=True):
        passages += document_passages(doc)
    for faq in FAQ.objects.filter(is_active=True):
        passages += faq_passages(faq)
    for plan in Plan.objects.filter(status=Plan.Status.ACTIVE):
        passages += plan_passages(plan)
    if passages:
        retriever.upsert(passages)
        retriever.save()
    return len(passages)


_deferred = threading.local()


class deferred:
    """Within this block single updates are skipped; the caller rebuilds once at the end."""

    def __enter__(self):
        _deferred.active = True

    def __exit__(self, *exc):
        _deferred.active = False


def index_replace(*, doc_id: str, passages: list[Passage]) -> None:
    """Replace one document's passages in the index and persist the change."""
    if getattr(_deferred, "active", False):
        return
    retriever = get_retriever()
    with _lock:
        retriever.replace(doc_id=doc_id, passages=passages)
        retriever.save()


def index_rebuild() -> int:
    """Drop the index and build it again from the database; return the number of passages."""
    import shutil

    forget_retriever()
    shutil.rmtree(settings.LOA_ASSISTANT_INDEX_DIR, ignore_errors=True)
    return len(get_retriever())
