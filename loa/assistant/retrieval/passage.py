"""The unit of retrieval (a passage) and a search result (a hit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = frozenset({"doc", "faq", "plan", "article", "guide"})


@dataclass(frozen=True)
class Passage:
    """A chunk of a document: what is indexed, returned and cited."""

    id: str  # unique chunk id, e.g. "faq:12:q0" or "doc:abc#3"
    doc_id: str  # the document it belongs to (several passages per doc)
    title: str  # title path, e.g. "Hướng dẫn VNeID › Kích hoạt mức 2 › Bước 3"
    text: str
    url: str | None = None
    kind: str = "doc"  # "doc" | "faq" | "plan" | "article" | "guide"
    meta: dict[str, Any] = field(default_factory=dict)  # JSON-serialisable

    def to_dict(self) -> dict[str, Any]:
        """Return the passage as a JSON-serialisable dict."""
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "title": self.title,
            "text": self.text,
            "url": self.url,
            "kind": self.kind,
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Passage:
        """Build a passage from `to_dict` output."""
        return cls(
            id=data["id"],
            doc_id=data["doc_id"],
            title=data["title"],
            text=data["text"],
            url=data.get("url"),
            kind=data.get("kind", "doc"),
            meta=data.get("meta") or {},
        )

    @property
    def indexed_text(self) -> str:
        """Return the text that is tokenised and embedded: title, then body."""
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class Hit:
    """A passage found by a search, with the evidence for it."""

    passage: Passage
    score: float  # fused score, higher is better, > 0
    bm25: float  # raw BM25 score of the lexical retriever (0 if only dense found it)
    coverage: (
        float  # share (0..1) of the query's content syllables found in the passage
    )
    rank: int  # 1-based
    # Like coverage, but each query unit weighs its IDF: missing a rare word (the topic)
    # costs more than missing a common one. Unknown words count at the highest IDF.
    weighted_coverage: float = 0.0
