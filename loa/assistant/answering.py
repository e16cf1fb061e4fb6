"""Compose an answer from retrieved passages: a confident FAQ, the sentences that answer, or
an honest "chưa có thông tin". Pure functions over the retriever; no database here.
"""

import re
from dataclasses import dataclass, field

from loa.vn import fold_lower, nfc

from .retrieval import Hit, Retriever
from .safety import REFUSAL, is_hostile

# Tuned on the evaluation set in bench/data/assistant (see bench/bench_assistant.py).
FAQ_MIN_COVERAGE = 0.75
DOC_MIN_COVERAGE = 0.6
MAX_ANSWER_SENTENCES = 3
MAX_ANSWER_CHARS = 600

STOP_SYLLABLES = set(
    "a ai ak a la ak a ban bi bo cac cai can cho chu co con cua da dang de den di do duoc gi gio ha hay "
    "hoi khi khong la lam len luc ma minh moi mot nao nay neu nhe nhi nhu nhung no o oi phai qua ra roi "
    "sao se sau thi the theo thoi tren trong tu va vao vay ve voi vi xin em anh chi toi ong ba a u ah "
    "duoc biet muon can giup cach lam the nao".split()
)
HOW_TO_RE = re.compile(
    r"\b(lam sao|lam the nao|the nao|nhu the nao|cach|huong dan|cac buoc|o dau|bang cach nao|thu tuc)\b"
)
FOLLOW_UP_RE = re.compile(
    r"^(con|vay|the|thi|nhu vay|truong hop|neu|nho|con neu|the con)\b|\b(thi sao|the nao|nua khong|nua)\s*\??$"
)
GREETING_RE = re.compile(
    r"^(xin chao|chao|hello|hi|alo|cam on|thanks?|tks|ok|vang|da)\b[\s!.?]*$"
)

GREETING = (
    "Xin chào! Tôi là trợ lý hỏi - đáp của phường về chuyển đổi số. Bạn có thể hỏi về Nghị quyết 57, "
    "tài khoản định danh điện tử VNeID, dịch vụ công trực tuyến, thanh toán số, cách phòng tránh lừa đảo "
    "trên mạng hay phong trào \u201cBình dân học vụ số\u201d."
)


def decline_text(contact: str) -> str:
    return (
        "Xin lỗi, trợ lý chưa có thông tin về nội dung này. Câu hỏi của bạn đã được chuyển tới cán bộ "
        f"để trả lời. Bạn cũng có thể liên hệ {contact}."
    )


@dataclass
class Citation:
    source: str
    title: str
    url: str | None
    quote: str

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "quote": self.quote,
        }


@dataclass
class Answer:
    text: str
    answered: bool
    kind: str  # faq | extractive | llm | decline | refusal | greeting
    citations: list[Citation] = field(default_factory=list)
    confidence: float = 0.0
    topic: str = ""
    lesson_slug: str = ""
    passages: list[Hit] = field(default_factory=list)


def content_terms(text: str) -> list[str]:
    """Folded syllables that carry meaning (question words and particles dropped)."""
    return [
        s for s in re.findall(r"\w+", fold_lower(nfc(text))) if s not in STOP_SYLLABLES
    ]


def retrieval_query(question: str, previous: list[str]) -> str:
    """A follow-up ("còn doanh nghiệp thì sao?") is read together with the last question."""
    folded = fold_lower(question).strip()
    if previous and (FOLLOW_UP_RE.search(folded) or len(content_terms(question)) <= 2):
        return f"{previous[-1]} {question}"
    return question


def _sentences(text: str) -> list[str]:
    """Sentences of a passage; a unit's tasks ("Unit:" then bullets) keep the unit's name."""
    pieces = []
    lead = ""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.endswith(":") and not pieces:
            lead = line[:-1]
            continue
        line = re.sub(r"^[-+•]\s+", "", line)
        for piece in re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ0-9\"“(])", line):
            if piece.strip():
                pieces.append(f"{lead}: {piece.strip()}" if lead else piece.strip())
    return pieces


def _sentence_score(sentence: str, terms: set[str], bigrams: set[str]) -> float:
    words = content_terms(sentence)
    if not words:
        return 0.0
    hit = len(terms & set(words))
    pairs = {f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)}
    return hit + 0.5 * len(bigrams & pairs)


def extract_answer(
    question: str, hits: list[Hit], *, how_to: bool
) -> tuple[str, list[Citation]]:
    """Pick the sentences that answer from the best passages, in their order, with citations."""
    terms = content_terms(question)
    term_set = set(terms)
    bigrams = {f"{a}_{b}" for a, b in zip(terms, terms[1:], strict=False)}
    best = hits[0].passage
    best_lines = [s for s in best.text.splitlines() if s.strip()]
    steps = [line for line in best_lines if re.match(r"^\s*(\d+[.)]|[-+•])\s+", line)]
    if how_to and len(steps) >= 2:
        chosen = steps[:6]
        text = "\n".join(chosen)
        return text[: MAX_ANSWER_CHARS * 2], [_cite(hits[0], text)]

    scored = []
    for rank, hit in enumerate(hits[:3]):
        for position, sentence in enumerate(_sentences(hit.passage.text)):
            score = _sentence_score(sentence, term_set, bigrams) * (1.0 - 0.15 * rank)
            if score > 0:
                scored.append((score, rank, position, sentence, hit))
    if not scored:
        sentence = _sentences(best.text)[0] if best.text.strip() else best.title
        return sentence, [_cite(hits[0], sentence)]
    top = max(item[0] for item in scored)
    chosen = sorted((s for s in scored if s[0] >= 0.6 * top), key=lambda s: -s[0])[
        :MAX_ANSWER_SENTENCES
    ]
    chosen.sort(key=lambda s: (s[1], s[2]))
    parts, citations, length = [], {}, 0
    for _score, _rank, _pos, sentence, hit in chosen:
        if length + len(sentence) > MAX_ANSWER_CHARS and parts:
            break
        parts.append(sentence)
        length += len(sentence)
        cite = citations.get(hit.passage.doc_id)
        if cite is None:
            citations[hit.passage.doc_id] = _cite(hit, sentence)
        else:
            cite.quote = f"{cite.quote} {sentence}"
    return " ".join(parts), list(citations.values())


def _cite(hit: Hit, quote: str) -> Citation:
    meta = hit.passage.meta or {}
    return Citation(
        source=meta.get("source") or hit.passage.title.split(" › ")[0],
        title=hit.passage.title,
        url=hit.passage.url,
        quote=quote[:500],
    )


def answer_question(
    question: str,
    retriever: Retriever,
    *,
    previous: list[str] = (),
    contact: str,
    ward_id: int | None = None,
    llm=None,
) -> Answer:
    """Answer one question. `llm(question, passages) -> str | None` rewrites when configured."""
    question = nfc(question).strip()
    if not question:
        return Answer("Bạn vui lòng nhập câu hỏi.", False, "decline")
    if is_hostile(question):
        return Answer(REFUSAL, False, "refusal")
    if GREETING_RE.match(fold_lower(question)):
        return Answer(GREETING, True, "greeting", confidence=1.0)

    query = retrieval_query(question, list(previous))
    hits = _visible(retriever.search(query, k=12), ward_id)
    faq_hits = [h for h in hits if h.passage.kind == "faq"]
    if (
        faq_hits
        and faq_hits[0].rank == hits[0].rank
        and faq_hits[0].coverage >= FAQ_MIN_COVERAGE
    ):
        hit = faq_hits[0]
        meta = hit.passage.meta
        return Answer(
            meta["answer"],
            True,
            "faq",
            [_cite(hit, meta["answer"])],
            confidence=hit.coverage,
            topic=meta.get("topic", ""),
            lesson_slug=meta.get("lesson", "") or "",
            passages=[hit],
        )

    doc_hits = [h for h in hits if h.passage.kind != "faq"]
    if not doc_hits or doc_hits[0].coverage < DOC_MIN_COVERAGE:
        return Answer(
            decline_text(contact),
            False,
            "decline",
            confidence=doc_hits[0].coverage if doc_hits else 0.0,
            passages=doc_hits[:3],
        )

    how_to = bool(HOW_TO_RE.search(fold_lower(question)))
    text, citations = extract_answer(query, doc_hits, how_to=how_to)
    answer = Answer(
        text,
        True,
        "extractive",
        citations,
        confidence=doc_hits[0].coverage,
        topic=doc_hits[0].passage.meta.get("topic", ""),
        lesson_slug=doc_hits[0].passage.meta.get("lesson", "") or "",
        passages=doc_hits[:4],
    )
    if llm is not None:
        written = llm(
            question, [(h.passage.title, h.passage.text) for h in doc_hits[:4]]
        )
        if written:
            answer.text, answer.kind = written, "llm"
            answer.citations = [
                _cite(h, h.passage.text[:300])
                for h in doc_hits[:4]
                if f"[{doc_hits.index(h) + 1}]" in written
            ] or citations
    return answer


def _visible(hits: list[Hit], ward_id: int | None) -> list[Hit]:
    """Shared knowledge and the asking ward's own; never another ward's."""
    return [h for h in hits if h.passage.meta.get("ward_id") in (None, ward_id)]
