"""Answering as it was before question analysis (frozen here as the benchmark's baseline).

Compose an answer from retrieved passages: a confident FAQ, the sentences that answer, or
an honest "chưa có thông tin". Pure functions over the retriever; no database here.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from loa.assistant.retrieval import Hit, Retriever, document_tokens, query_tokens
from loa.assistant.retrieval.tokens import is_stop_word
from loa.assistant.safety import REFUSAL
from loa.vn import fold_lower, nfc

# The hostility rules as they were, frozen with the rest of the baseline (the refusal's
# wording is today's: it is what a resident reads, not a rule).
# Matched on folded, lower-cased text so that typing without diacritics changes nothing.
_HOSTILE_PATTERNS = [
    # Attempts to override the assistant's instructions.
    r"\b(bo qua|phot lo|quen di|quen het|xoa bo|vo hieu|ignore|disregard|forget)\b.{0,40}"
    r"\b(huong dan|chi dan|chi thi|lenh|quy tac|nguyen tac|instructions?|rules?|prompt)\b",
    r"\b(system prompt|prompt he thong|loi nhac he thong|developer mode|jailbreak|che do nha phat trien)\b",
    r"\b(dong vai|gia vo la|hay tro thanh)\b.{0,30}\b(khong (co )?gioi han|hacker|quan tri vien|admin)\b",
    # The system's own secrets and settings.
    r"\b(api ?key|secret ?key|secret|bien moi truong|environment variables?|\.env|database url|settings\.py)\b",
    r"\b(cau hinh|thiet lap|settings?)\b.{0,20}\b(he thong|may chu|server|tro ly|cua ban)\b",
    r"\b(mat khau|password|token)\b.{0,25}\b(he thong|quan tri|admin|may chu|server|co so du lieu|database|cua ban|tro ly|can bo)\b",
    r"\b(tai khoan|mat khau)\b.{0,10}\b(admin|quan tri)\b",
    # Other people's personal data.
    r"\b(so dien thoai|sdt|dia chi( nha)?|cccd|can cuoc|so dinh danh|cmnd|thong tin ca nhan|ngay sinh|tai khoan ngan hang)\b"
    r".{0,12}\b(cua|nha)\s+(ong|ba|anh|chi|co|chu|bac|em|nguoi|ho|hang xom|chau|nguoi dan|cu dan)\b",
    r"\b(danh sach|liet ke|xuat|tong hop)\b.{0,40}\b(so dien thoai|sdt|dia chi|cccd|can cuoc|so dinh danh|"
    r"thong tin ca nhan|ngay sinh)\b",
    # Help to deceive others.
    r"\b(soan|viet|tao|lam|thiet ke|nghi)\b.{0,30}\b(tin nhan|kich ban|email|thu|trang web|duong link|link|loi thoai|"
    r"cuoc goi)\b.{0,40}\b(gia danh|mao danh|gia mao|lua dao|lua tien|chiem doat)\b",
]
_HOSTILE_RE = re.compile("|".join(f"(?:{p})" for p in _HOSTILE_PATTERNS))


def is_hostile(text: str) -> bool:
    """Tell whether a message tries to steer the assistant or pry out secrets or others' data."""
    return bool(_HOSTILE_RE.search(fold_lower(text)))


# Tuned on the evaluation set in bench/data/assistant (see bench/bench_assistant.py).
MIN_CONFIDENCE = 0.32  # see _confidence: below this the assistant says it does not know
FAQ_WINDOW = 5  # a curated answer among the first hits is preferred...
FAQ_MIN_MATCH = (
    0.5  # ...when its way of asking covers most of the question (IDF-weighted)
)
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
CITATION_RE = re.compile(r"\s*\((?:Nguồn|Nguon)\s*:[^)]*\)")
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
        line = re.sub(r"^[-+•]\s+", "", CITATION_RE.sub("", line)).strip()
        if not line:
            continue
        for piece in re.split(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ0-9\"“(])", line):
            if piece.strip():
                pieces.append(f"{lead}: {piece.strip()}" if lead else piece.strip())
    return pieces


@lru_cache(maxsize=4096)
def _text_tokens(text: str) -> frozenset[str]:
    """The tokens of a passage or one of its sentences. Passages are few and asked about
    again and again, so each process keeps the latest ones (tens of MB at most)."""
    return frozenset(document_tokens(text, segment_words=False))


def _sentence_score(sentence: str, units: list[tuple[frozenset[str], float]]) -> float:
    """IDF-weighted share of the question's words the sentence contains."""
    have = _text_tokens(sentence)
    total = sum(weight for _, weight in units) or 1.0
    return sum(weight for tokens, weight in units if tokens & have) / total


def extract_answer(
    question: str,
    hits: list[Hit],
    *,
    how_to: bool,
    units: list[tuple[frozenset[str], float]],
) -> tuple[str, list[Citation]]:
    """Pick the sentences that answer from the best passages, in their order, with citations."""
    best = hits[0].passage
    best_lines = [
        CITATION_RE.sub("", s).strip()
        for s in _answer_text(best).splitlines()
        if s.strip()
    ]
    steps = [line for line in best_lines if re.match(r"^\s*(\d+[.)]|[-+•])\s+", line)]
    if how_to and len(steps) >= 2:
        text = "\n".join(steps[:6])
        return text[: MAX_ANSWER_CHARS * 2], [_cite(hits[0], text)]

    scored = []
    for rank, hit in enumerate(hits[:3]):
        for position, sentence in enumerate(_sentences(_answer_text(hit.passage))):
            score = _sentence_score(sentence, units) * (1.0 - 0.1 * rank)
            if score > 0:
                scored.append((score, rank, position, sentence, hit))
    if not scored:
        sentences = _sentences(_answer_text(best))
        sentence = sentences[0] if sentences else best.title
        return sentence, [_cite(hits[0], sentence)]
    top = max(item[0] for item in scored)
    chosen = sorted((s for s in scored if s[0] >= 0.7 * top), key=lambda s: -s[0])[
        : MAX_ANSWER_SENTENCES * 2
    ]
    chosen.sort(key=lambda s: (s[1], s[2]))
    parts, citations, length = [], {}, 0
    seen: set[str] = set()
    for _score, _rank, _pos, sentence, hit in chosen:
        if fold_lower(sentence) in seen:
            continue
        seen.add(fold_lower(sentence))
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


def _link(url: str | None) -> str | None:
    """A source link residents may follow: http(s), mail, phone or a path of the portal.

    The link of a document or FAQ is free text in the staff form and becomes an href
    in the chat page and the widget: a "javascript:" one ran script on click.
    """
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    scheme, _, rest = url.partition(":")
    if rest and scheme.lower() in ("http", "https", "mailto", "tel"):
        return url
    return None


def _cite(hit: Hit, quote: str) -> Citation:
    meta = hit.passage.meta or {}
    return Citation(
        source=meta.get("source") or hit.passage.title.split(" › ")[0],
        title=hit.passage.title,
        url=_link(hit.passage.url),
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
    hits = _visible(_search(retriever, question, query), ward_id)
    pairs = _query_bigrams(query)
    confidence = max((_confidence(h, pairs) for h in hits[:3]), default=0.0)
    if not hits or confidence < MIN_CONFIDENCE:
        return Answer(
            decline_text(contact),
            False,
            "decline",
            confidence=confidence,
            passages=hits[:3],
        )

    units = retriever.unit_weights(query)
    faq = _best_faq(hits[:FAQ_WINDOW], units)
    if faq is not None:
        meta = faq.passage.meta
        return Answer(
            meta["answer"],
            True,
            "faq",
            [_cite(faq, meta["answer"])],
            confidence=confidence,
            topic=meta.get("topic", ""),
            lesson_slug=meta.get("lesson", "") or "",
            passages=[faq],
        )

    doc_hits = hits  # FAQ answers are good sentences too
    how_to = bool(HOW_TO_RE.search(fold_lower(question)))
    text, citations = extract_answer(query, doc_hits, how_to=how_to, units=units)
    answer = Answer(
        text,
        True,
        "extractive",
        citations,
        confidence=confidence,
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


def _query_bigrams(query: str) -> set[str]:
    """The question's adjacent word pairs (folded), leaving out pairs of two stop words."""
    pairs = set()
    for token in query_tokens(query):
        if "_" in token and token[0] not in "#=":
            first, second = token.split("_", 1)
            if not (is_stop_word(first) and is_stop_word(second)):
                pairs.add(token)
    return pairs


def _confidence(hit: Hit, pairs: set[str]) -> float:
    """How well a passage answers: half the IDF-weighted share of the question's words it
    has, half the share of the question's word pairs (so "lịch cắt điện" is not answered by
    a passage that merely mentions "lịch" and "điện")."""
    if not pairs:
        return hit.weighted_coverage
    have = _text_tokens(f"{hit.passage.title}\n{hit.passage.text}")
    return 0.5 * hit.weighted_coverage + 0.5 * len(pairs & have) / len(pairs)


def _answer_text(passage) -> str:
    """The part of a passage that can answer: an FAQ passage's answer, not its question."""
    return passage.meta.get("answer", "") if passage.kind == "faq" else passage.text


def _best_faq(hits: list[Hit], units: list[tuple[frozenset[str], float]]) -> Hit | None:
    """The FAQ whose way of asking matches the question best, if it matches well enough."""
    best, best_score = None, 0.0
    for hit in hits:
        if hit.passage.kind != "faq":
            continue
        asked = hit.passage.text.split("\n", 1)[0]
        score = _sentence_score(asked, units)
        combined = score + 0.3 * hit.weighted_coverage
        if score >= FAQ_MIN_MATCH and combined > best_score:
            best, best_score = hit, combined
    return best


def _search(retriever: Retriever, question: str, query: str) -> list[Hit]:
    """Search; a follow-up fuses the search for the question alone with the one for the
    question read with the previous one, so the new subject ("doanh nghiệp") leads."""
    combined = retriever.search(query, k=20)
    if query == question:
        return combined[:12]
    alone = retriever.search(question, k=20)
    fused: dict[str, float] = {}
    by_id: dict[str, Hit] = {}
    for ranking in (combined, alone):
        for rank, hit in enumerate(ranking, start=1):
            fused[hit.passage.id] = fused.get(hit.passage.id, 0.0) + 1.0 / (10 + rank)
            by_id.setdefault(hit.passage.id, hit)
    order = sorted(fused, key=lambda pid: -fused[pid])[:12]
    return [by_id[pid] for pid in order]


def _visible(hits: list[Hit], ward_id: int | None) -> list[Hit]:
    """Shared knowledge and the asking ward's own; never another ward's."""
    return [h for h in hits if h.passage.meta.get("ward_id") in (None, ward_id)]
