"""Compose an answer from retrieved passages: a confident FAQ, the sentences that answer, or
an honest "chưa có thông tin". Pure functions over the retriever; no database here.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from loa.vn import fold_lower, nfc
from loa.vn.shorthand import expand_shorthand

from . import answerability
from .questions import (
    HOW,
    HOW_MANY,
    OTHER,
    PURPOSE,
    REFERS_BACK_RE,
    WHAT,
    WHEN,
    WHERE,
    WHO,
    YES_NO,
    QuestionAnalysis,
    analyse_question,
    answer_has_type,
    details_shown,
    document_kind,
    names_a_body,
    type_positions,
)
from .retrieval import Hit, Retriever, document_tokens, query_tokens
from .retrieval.tokens import is_stop_word
from .safety import REFUSAL, is_hostile

# Tuned on the evaluation set in bench/data/assistant (see bench/bench_assistant.py).
FAQ_WINDOW = 5  # curated answers among the first hits are candidates
OUT_OF_SCOPE_MAX = (
    0.25  # below this focus coverage nothing in the base is on the subject
)
CANDIDATE_HITS = 5  # how far down the hits candidate answers are built
SEARCH_DEPTH = 120  # passages searched, before each FAQ is kept once
UNIT_FOCUS_MIN = (
    0.5  # a plan unit's part answers about the unit when it covers this much
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
FOLLOW_UP_RE = re.compile(  # also when it points back (questions.REFERS_BACK_RE)
    r"^(con|vay|the|thi|nhu vay|truong hop|neu|nho|con neu|the con)\b|\b(thi sao|the nao|nua khong|nua)\s*\??$"
)
# Sentences that lean on the one before ("Tại đây…", "Ứng dụng này…").
ANAPHORA_RE = re.compile(
    r"^(tại đây|ở đây|đây là|đó là|điều này|việc này|như vậy|\w+( \w+)? (này|đó)\b)"
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


OUT_OF_SCOPE = (
    "Câu hỏi này nằm ngoài phạm vi của trợ lý. Trợ lý chỉ trả lời về chuyển đổi số, Nghị quyết "
    "57, kế hoạch của phường, tài khoản VNeID, dịch vụ công trực tuyến, thanh toán số, phòng "
    "tránh lừa đảo trên mạng và phong trào \u201cBình dân học vụ số\u201d. Với việc khác, "
    "bạn vui lòng liên hệ {contact}."
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
    if previous and (
        FOLLOW_UP_RE.search(folded)
        or REFERS_BACK_RE.search(folded)
        or len(content_terms(question)) <= 2
    ):
        return f"{previous[-1]} {question}"
    return question


def _sentences(text: str) -> list[str]:
    """Sentences of a passage. The lines of a list under a line ending in ":" keep that line:
    a unit's tasks keep the unit's name, and "Kế hoạch 132 đặt mục tiêu: 75% hồ sơ nộp trực
    tuyến" says whose target the 75% is."""
    pieces = []
    lead = ""
    for line in text.splitlines():
        line = CITATION_RE.sub("", line).strip()
        if not line:
            continue
        if line.endswith(":"):
            lead = line[:-1]
            continue
        if not re.match(r"^([-+•]|\d+[.)])\s+", line):
            lead = ""  # the list has ended
        line = re.sub(r"^[-+•]\s+", "", line).strip()
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
        sentences = _sentences(_answer_text(hit.passage))
        for position, sentence in enumerate(sentences):
            score = _sentence_score(sentence, units) * (1.0 - 0.1 * rank)
            if score > 0:
                if position and ANAPHORA_RE.match(sentence.lower()):
                    # "Tại đây, người dân nộp hồ sơ": say where "đây" is.
                    sentence = f"{sentences[position - 1]} {sentence}"
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
        said = " ".join(re.findall(r"\w+", fold_lower(sentence)))
        if said in seen or any(said in earlier for earlier in seen):
            continue
        seen.add(said)
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


@dataclass
class Candidate:
    """One answer the assistant could give, with what the answerability model reads."""

    text: str
    kind: str  # faq | extractive
    citations: list[Citation]
    passages: list[Hit]
    features: dict[str, float]
    type_ok: bool  # carries what the question's type asks for (a hard check)


@dataclass
class Considered:
    """A question read against the knowledge base: what answering chooses from."""

    analysis: QuestionAnalysis
    hits: list[Hit]
    confidence: float
    on_subject: float
    focus_units: list
    candidates: list[Candidate]
    follows_up: bool = False  # read together with the previous question


def consider(
    question: str,
    retriever: Retriever,
    *,
    previous: list[str] = (),
    ward_id: int | None = None,
    place_names: tuple[str, ...] = (),
    depth: int = CANDIDATE_HITS,
    leave_out: frozenset[str] = frozenset(),
) -> Considered:
    """Search and build the candidate answers: each FAQ among the first hits and the
    extract starting from each of the first `depth` hits (training looks deeper, and asks
    a FAQ's way of asking with that passage left out, as a resident's new wording). Chat
    shorthand is spelled out first ("dki vneid ở đâu z" -> "đăng ký vneid ở đâu vậy")."""
    question = expand_shorthand(question)
    previous = [expand_shorthand(p) for p in previous]
    query = retrieval_query(question, previous)
    analysis = _analysis(question, query, previous, place_names)
    hits = _search(retriever, question, query, ward_id, leave_out)
    pairs = _query_bigrams(query)
    confidence = max((_confidence(h, pairs) for h in hits[:3]), default=0.0)
    focus_units = retriever.unit_weights(analysis.focus) if analysis.focus else []
    subject_units = _as_written(focus_units, question)
    on_subject = max(
        (_passage_focus(h, subject_units) for h in hits[:CANDIDATE_HITS]), default=0.0
    )
    units = retriever.unit_weights(query)
    how_to = bool(HOW_TO_RE.search(fold_lower(question)))
    shared = {
        "question": question,
        "query_tokens": _text_tokens(query),
        "unit_weights": retriever.unit_weights,
        "analysis": analysis,
        "focus_units": focus_units,
        "units": units,
        "pairs": pairs,
        "on_subject": on_subject,
        "top_score": hits[0].score if hits else 1.0,
    }
    candidates = []
    for rank, hit in enumerate(hits[:depth]):
        if hit.passage.kind == "faq":
            if rank < FAQ_WINDOW:
                candidates.append(_faq_candidate(hit, rank, **shared))
            continue
        doc_hits = hits[rank:]
        text, citations = extract_answer(query, doc_hits, how_to=how_to, units=units)
        text = _with_subject(analysis, hit.passage.title, text)
        candidates.append(
            Candidate(
                text,
                "extractive",
                citations,
                doc_hits[:4],
                _features(hit, rank, hit.passage.title, text, **shared),
                answer_has_type(analysis, text, context=hit.passage.title),
            )
        )
    if analysis.kind in (YES_NO, HOW_MANY):
        # "Có mất phí không?" has no mark of its own to check, and any number passes for
        # "bao nhiêu xe điện": the answer must at least speak of the question's weightiest
        # word ("phí", "xe"), and a yes/no one of what is asked between "có" and "không"
        # ("Kích hoạt VNeID mức 2 có mất phí không?" is not answered by where to register).
        asked = (
            _yes_no_asked(question, focus_units) if analysis.kind == YES_NO else None
        )
        for candidate in candidates:
            context = candidate.passages[0].passage.title
            candidate.type_ok = (
                candidate.type_ok
                and bool(candidate.features["key_present"])
                and analysis.counts_named(candidate.text)
                and (
                    asked is None
                    or bool(asked & _text_tokens(f"{context}\n{candidate.text}"))
                )
            )
    for candidate in candidates:
        candidate.type_ok = candidate.type_ok and _says_what_is_asked(
            question, analysis, candidate.text
        )
    _relative(candidates)
    return Considered(
        analysis,
        hits,
        confidence,
        on_subject,
        focus_units,
        candidates,
        follows_up=query != question,
    )


_YES_NO_ASKED_RE = re.compile(
    r"\b(?:co|duoc|bi|phai)\b((?:\s+\w+){1,4}?)\s+(?:khong|ko|k|hong|chua)(?:\s+(?:a|ah|vay|z|nhi|nhe))*\s*\??\s*$"
)


def _yes_no_asked(question: str, focus_units) -> frozenset[str] | None:
    """The heaviest focus word between the last "có" and the closing "không": what a
    yes/no question asks ("mất phí" in "… có mất phí không?"); None when none is there."""
    match = _YES_NO_ASKED_RE.search(fold_lower(question))
    if not match:
        return None
    words = set(match.group(1).split())
    asked = [(tokens, w) for tokens, w in focus_units if tokens & words]
    return max(asked, key=lambda unit: unit[1])[0] if asked else None


def _says_what_is_asked(question: str, analysis: QuestionAnalysis, text: str) -> bool:
    """The checks beyond the type: the detail named ("số điện thoại", "ngày nào"), the
    document asked about (what "Nghị quyết 57" is for is not what a plan is for), and the
    place a count is asked of."""
    if not details_shown(question, text):
        return False
    if analysis.kind in (PURPOSE, WHAT):
        asked, opening = (
            document_kind(analysis.focus),
            document_kind(text, opening=True),
        )
        if asked and opening and opening != asked:
            return False
    return not (analysis.kind == HOW_MANY and _count_of_another_place(question, text))


_WARD_RE = re.compile(r"\bphuong\b")
_WIDER_PLACE_RE = re.compile(
    r"\b(thanh pho|hai phong|ca nuoc|toan quoc|tinh|viet nam)\b"
)


def _count_of_another_place(question: str, answer: str) -> bool:
    """ "Phường có bao nhiêu tổ công nghệ số?" is not answered by the city's or the
    country's count."""
    answer = fold_lower(answer)
    return bool(
        _WARD_RE.search(fold_lower(question))
        and not _WARD_RE.search(answer)
        and _WIDER_PLACE_RE.search(answer)
    )


def _faq_candidate(hit: Hit, rank: int, **shared) -> Candidate:
    analysis = shared["analysis"]
    asked = hit.passage.text.split("\n", 1)[0]
    answer = hit.passage.meta["answer"]
    features = _features(hit, rank, asked, answer, **shared)
    same_type = analyse_question(asked).kind == analysis.kind
    features["is_faq"] = 1.0
    features["faq_asked_match"] = _sentence_score(asked, shared["units"])
    features["same_type"] = float(same_type)
    return Candidate(
        answer,
        "faq",
        [_cite(hit, answer)],
        [hit],
        features,
        answer_has_type(analysis, answer),  # a curated answer too carries what is asked
    )


def _features(
    hit: Hit,
    rank: int,
    context: str,
    text: str,
    *,
    question: str,
    query_tokens: frozenset[str],
    unit_weights,
    analysis: QuestionAnalysis,
    focus_units,
    units,
    pairs,
    on_subject: float,
    top_score: float,
) -> dict[str, float]:
    """What the answerability model reads about one candidate (answerability.FEATURES)."""
    sentences = _sentences(text) or [text]
    folded = fold_lower(text)
    total_focus = sum(weight for _, weight in focus_units) or 1.0
    key = max(focus_units, key=lambda unit: unit[1]) if focus_units else None
    if focus_units:
        focus_sentence, best = max(
            (_sentence_score(f"{context}\n{s}", focus_units), s) for s in sentences
        )
        alone = _sentence_score(best, focus_units)
    else:
        focus_sentence, best, alone = 1.0, sentences[0], 1.0
    have = _text_tokens(f"{context}\n{text}")
    missing = [weight for tokens, weight in focus_units if not tokens & have]
    return {
        "focus_sentence": focus_sentence,
        "focus_answer": _sentence_score(f"{context}\n{text}", focus_units)
        if focus_units
        else 1.0,
        "key_present": float(key is None or bool(key[0] & have)),
        "passage_focus": _passage_focus(hit, focus_units),
        "query_cover": _sentence_score(text, units),
        "confidence": _confidence(hit, pairs),
        "weighted_coverage": hit.weighted_coverage,
        "score_ratio": hit.score / top_score if top_score else 0.0,
        "rank": float(rank),
        "is_faq": 0.0,
        "faq_asked_match": 0.0,
        "same_type": 0.0,
        "on_subject": on_subject,
        "years_asked": float(bool(analysis.years)),
        "years_ok": float(all(year in folded for year in analysis.years)),
        "kind_other": float(analysis.kind == OTHER),
        **{
            f"kind_{name}": float(analysis.kind == kind)
            for name, kind in _KINDS.items()
        },
        "focus_units": min(len(focus_units), 10) / 10,
        "key_share": key[1] / total_focus if key else 0.0,
        "is_plan": float(hit.passage.kind == "plan"),
        "length": min(len(text), 1200) / 600,
        "type_in_focus_sentence": float(answer_has_type(analysis, best)),
        "focus_sentence_alone": alone,
        "focus_gap": 0.0,  # set when every candidate is known (_relative)
        "confidence_gap": 0.0,
        "agreement": 0.0,
        "missing_weight": _heaviest_missing(focus_units, have),
        "missing_count": min(len(missing), 5) / 5,
        "type_near_key": float(
            any(
                (key is None or key[0] & _text_tokens(sentence))
                and answer_has_type(analysis, sentence)
                for sentence in sentences
            )
        ),
        "type_distance": _type_distance(analysis, key, sentences),
        "numbers_missing": _numbers_missing(analysis, f"{context}\n{text}"),
        "unit_named": _unit_named(hit, question),
        "context_missing_weight": _heaviest_missing(focus_units, _text_tokens(context)),
        "missing_weight_alone": _heaviest_missing(focus_units, _text_tokens(text)),
        # The other way round: how much of what the FAQ's way of asking (or the section's
        # heading) is about the question has: "… trên những kênh nào?" is another question
        # than "nghe chuyên mục ở đâu?" though the question's words are all in it.
        "asked_back": _covered_by(unit_weights(context.split(" › ")[-1]), query_tokens),
    }


def _covered_by(units, have: frozenset[str]) -> float:
    """IDF-weighted share of `units` found in `have` (1 when there are none)."""
    total = sum(weight for _, weight in units)
    if not total:
        return 1.0
    return sum(weight for tokens, weight in units if tokens & have) / total


def _heaviest_missing(focus_units, have: frozenset[str]) -> float:
    """The weight of the heaviest focus word `have` lacks, over the heaviest's weight."""
    heaviest = max((weight for _, weight in focus_units), default=1.0) or 1.0
    missing = (weight for tokens, weight in focus_units if not tokens & have)
    return max(missing, default=0.0) / heaviest


def _unit_named(hit: Hit, question: str) -> float:
    """1 when a plan passage is about one unit ("… › Phòng Văn hóa - Xã hội") and the
    question names it: "Phòng Văn hóa - Xã hội làm gì?" is answered from that unit's part."""
    unit = hit.passage.title.split(" › ")[-1]
    if hit.passage.kind != "plan" or not names_a_body(unit):
        return 0.0
    words = re.findall(r"\w+", fold_lower(unit))
    return float(" ".join(words) in " ".join(re.findall(r"\w+", fold_lower(question))))


def _numbers_missing(analysis: QuestionAnalysis, text: str) -> float:
    named = [n for n in analysis.numbers if n not in analysis.years]
    if not named:
        return 0.0
    present = set(re.findall(r"\d+", text))
    return sum(n not in present for n in named) / len(named)


def _type_distance(analysis: QuestionAnalysis, key, sentences: list[str]) -> float:
    """How close (characters over 100, capped at 1) the type's mark stands to the focus's
    weightiest word in one sentence; 0 for a type with no mark, 1 when never together."""
    if key is None:
        return 0.0
    words = [
        re.escape(t.replace("_", " ")) for t in key[0] if not t.startswith(("#", "="))
    ]
    if not words:
        return 0.0
    key_re = re.compile(rf"\b({'|'.join(words)})\b")
    best = 1.0
    for sentence in sentences:
        marks = type_positions(analysis, sentence)
        if marks is None:
            return 0.0
        places = [m.start() for m in key_re.finditer(fold_lower(sentence))]
        for mark in marks:
            for place in places:
                best = min(best, abs(mark - place) / 100)
    return best


_KINDS = {
    "who": WHO,
    "when": WHEN,
    "where": WHERE,
    "how_many": HOW_MANY,
    "yes_no": YES_NO,
    "how": HOW,
    "purpose": PURPOSE,
    "what": WHAT,
}


def _relative(candidates: list[Candidate]) -> None:
    """Each candidate measured against the best of the others, and how far another
    source says the same: two FAQs or a FAQ and a guide that agree are likelier right."""
    if not candidates:
        return
    for name in ("focus_sentence", "confidence"):
        top = max(c.features[name] for c in candidates)
        for c in candidates:
            c.features[f"{name.split('_')[0]}_gap"] = top - c.features[name]
    words = [set(content_terms(c.text)) for c in candidates]
    for c, mine in zip(candidates, words, strict=True):
        c.features["agreement"] = max(
            (
                len(mine & theirs) / len(mine | theirs)
                for other, theirs in zip(candidates, words, strict=True)
                if other.passages[0].passage.doc_id != c.passages[0].passage.doc_id
                and mine | theirs
            ),
            default=0.0,
        )


def answer_question(
    question: str,
    retriever: Retriever,
    *,
    previous: list[str] = (),
    contact: str,
    ward_id: int | None = None,
    place_names: tuple[str, ...] = (),
    llm=None,
) -> Answer:
    """Answer one question, or decline: an answer must carry what the question's type asks
    for, and the answerability model must judge it right (precision first). `place_names`
    (the ward's and city's names) are the question's setting, not its subject.
    `llm(question, passages) -> str | None` rewrites when configured; what it writes is
    kept only where the passages support it."""
    question = nfc(question).strip()
    if not question:
        return Answer("Bạn vui lòng nhập câu hỏi.", False, "decline")
    if is_hostile(question) or is_hostile(expand_shorthand(question)):
        return Answer(REFUSAL, False, "refusal")
    if GREETING_RE.match(fold_lower(question)):
        return Answer(GREETING, True, "greeting", confidence=1.0)

    seen = consider(
        question,
        retriever,
        previous=previous,
        ward_id=ward_id,
        place_names=place_names,
    )
    if not seen.hits:
        # Nothing to judge the subject by (a ward whose knowledge base is still empty):
        # an officer answers.
        return _decline(contact, seen.hits, 0.0)
    judge = answerability.model()
    # The ward's own plan is the authority on what a unit it names must do: "Phòng Văn
    # hóa - Xã hội làm nhiệm vụ gì?", "… phải làm gì?" is answered from that unit's part.
    named = [
        c
        for c in seen.candidates
        if seen.analysis.kind in (WHAT, HOW, OTHER)
        and c.type_ok
        and c.features["unit_named"]
        and c.features["focus_sentence"] >= UNIT_FOCUS_MIN
    ]
    scored = [
        (judge.probability(c.features), -n, c)
        for n, c in enumerate(seen.candidates)
        if c.type_ok
    ]
    if named:
        best = named[0]
        probability = max(judge.probability(best.features), judge.threshold)
    elif not scored:
        return _not_answered(seen, contact)
    else:
        probability, _, best = max(scored, key=lambda item: item[:2])
        if probability < judge.threshold:
            return _not_answered(seen, contact)
    lead = best.passages[0].passage
    answer = Answer(
        best.text,
        True,
        best.kind,
        best.citations,
        confidence=probability,
        topic=lead.meta.get("topic", ""),
        lesson_slug=lead.meta.get("lesson", "") or "",
        passages=best.passages,
    )
    if llm is not None and best.kind == "extractive":
        _llm_rewrite(answer, question, best.passages, llm)
    return answer


def _analysis(
    question: str, query: str, previous: list[str], place_names: tuple[str, ...]
) -> QuestionAnalysis:
    """The question's type and focus; a follow-up ("còn doanh nghiệp thì sao?") keeps the
    earlier question's type when it names none, and its own subject as the focus; one that
    points back ("luật đó có bao nhiêu điều?") or names at most a word adds the earlier
    subject to its own."""
    analysis = analyse_question(question, place_names=place_names)
    if query == question or not previous:
        return analysis
    earlier = analyse_question(previous[-1], place_names=place_names)
    focus = analysis.focus
    if (
        not focus
        or len(focus.split()) <= 1
        or REFERS_BACK_RE.search(fold_lower(question))
    ):
        focus = " ".join(dict.fromkeys(f"{focus} {earlier.focus}".split()))
    return QuestionAnalysis(
        kind=analysis.kind if analysis.kind != OTHER else earlier.kind,
        focus=focus,
        years=analysis.years or earlier.years,
        numbers=analysis.numbers,
        counted=analysis.counted or (earlier.counted if analysis.kind == OTHER else ()),
    )


def _as_written(focus_units, question: str):
    """The focus words as the question spells them: typed with diacritics, "trường tiểu
    học" is not "mục tiêu" (folded, "tieu" = "tieu"); typed without, any spelling does."""
    exact: dict[str, set[str]] = {}
    for token in document_tokens(question, segment_words=False):
        folded = fold_lower(token[1:])
        if token.startswith("=") and folded != token[1:]:  # written with its marks
            exact.setdefault(folded, set()).add(token)
    return [
        (frozenset(t for token in tokens for t in exact.get(token, {token})), weight)
        for tokens, weight in focus_units
    ]


def _passage_focus(hit: Hit, focus_units) -> float:
    """How much of the question's focus a passage (title and text) covers, halved when it
    lacks the focus's weightiest word (a class on Saturday in the tổ dân phố says little
    about the tổ dân phố's football pitch)."""
    if not focus_units:
        return 1.0
    # A FAQ's content is its main question and answer: the other ways of asking are there
    # to be found by ("mấy hôm", "hôm nay") and say nothing of what the base knows.
    text = f"{hit.passage.title}\n{_answer_text(hit.passage) or hit.passage.text}"
    key, _ = max(focus_units, key=lambda unit: unit[1])
    share = _sentence_score(text, focus_units)
    return share if key & _text_tokens(text) else share / 2


def _with_subject(analysis: QuestionAnalysis, title: str, text: str) -> str:
    """ "Ai …?" answered from a unit's part of a plan: its sentences say "Phòng thực hiện
    …", the unit's name is the last part of the passage's title; say it."""
    if analysis.kind != WHO or names_a_body(text.split(".")[0]):
        return text
    subject = title.split(" › ")[-1].strip()
    if subject and names_a_body(subject) and subject not in text:
        return f"{subject}: {text}"
    return text


def _not_answered(seen: Considered, contact: str) -> Answer:
    """Off-topic when nothing on the first hits covers the focus (asked only once no
    answer is judged right: "… VNeID mức 2 cho con gái 8 tuổi" is on the subject though
    "con gái 8 tuổi" is nowhere); otherwise handed to an officer. A follow-up of a
    conversation on the subject ("còn trên mạng xã hội thì sao?") is never off-topic."""
    if seen.focus_units and seen.on_subject < OUT_OF_SCOPE_MAX and not seen.follows_up:
        return Answer(
            OUT_OF_SCOPE.format(contact=contact),
            False,
            "out_of_scope",
            confidence=seen.confidence,
        )
    return _decline(contact, seen.hits, seen.confidence)


def _decline(contact: str, hits: list[Hit], confidence: float) -> Answer:
    """Decline, handing the question to an officer, with the nearest guides listed."""
    related, seen = [], set()
    for hit in hits[:CANDIDATE_HITS]:
        if hit.passage.kind == "faq" or hit.passage.doc_id in seen:
            continue
        seen.add(hit.passage.doc_id)
        related.append(_cite(hit, ""))
        if len(related) == 2:
            break
    return Answer(
        decline_text(contact),
        False,
        "decline",
        related,
        confidence=confidence,
        passages=hits[:3],
    )


def _llm_rewrite(answer: Answer, question: str, hits: list[Hit], llm) -> None:
    """Let the configured model write the answer; keep only what the passages support."""
    from .grounding import supported_text

    written = llm(question, [(h.passage.title, h.passage.text) for h in hits])
    if not written:
        return
    kept = supported_text(written, [h.passage.text for h in hits])
    if not kept:
        return  # nothing it wrote is in the passages: the extractive answer stands
    answer.text, answer.kind = kept, "llm"
    answer.citations = [
        _cite(h, h.passage.text[:300])
        for n, h in enumerate(hits, start=1)
        if f"[{n}]" in kept
    ] or answer.citations


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


def _one_per_faq(hits: list[Hit]) -> list[Hit]:
    """Each FAQ once, by its way of asking nearest the question: its other ways carry the
    same answer and would crowd other candidates out of the first hits."""
    seen: set[str] = set()
    kept = []
    for hit in hits:
        if hit.passage.kind == "faq":
            if hit.passage.doc_id in seen:
                continue
            seen.add(hit.passage.doc_id)
        kept.append(hit)
    return kept


def _search(
    retriever: Retriever,
    question: str,
    query: str,
    ward_id: int | None,
    leave_out: frozenset[str] = frozenset(),
) -> list[Hit]:
    """Search the knowledge the ward may see; a follow-up fuses the search for the question
    alone with the one for the question read with the previous one, so the new subject
    ("doanh nghiệp") leads. Other wards' passages are left out in the search itself: every
    ward of a city has its copy of the starter base, which would crowd out the asker's."""

    def search(text: str) -> list[Hit]:
        # deep enough that a dozen distinct passages remain once each FAQ's other ways
        # of asking (about twelve each) are dropped
        hits = retriever.search(text, k=SEARCH_DEPTH, ward_id=ward_id)
        return _one_per_faq([h for h in hits if h.passage.id not in leave_out])

    combined = search(query)
    if query == question:
        return combined[:12]
    alone = search(question)
    fused: dict[str, float] = {}
    by_id: dict[str, Hit] = {}
    for ranking in (combined, alone):
        for rank, hit in enumerate(ranking, start=1):
            fused[hit.passage.id] = fused.get(hit.passage.id, 0.0) + 1.0 / (10 + rank)
            by_id.setdefault(hit.passage.id, hit)
    order = sorted(fused, key=lambda pid: -fused[pid])[:12]
    return [by_id[pid] for pid in order]
