"""Passage retrieval for the assistant: pure Python, no Django.

    retriever = Retriever(index_dir=data_dir / "index", embedder=load_embedder(path))
    retriever.upsert([Passage(id="faq:1:q0", doc_id="faq:1", title="...", text="...")])
    retriever.save()
    hits = retriever.search("kich hoat vneid muc 2", k=5, kinds={"faq", "guide"})

See `retriever` for persistence and multi-process use, `tokens` for what is indexed.
"""

from loa.assistant.retrieval.dense import Embedder, load_embedder
from loa.assistant.retrieval.passage import KINDS, Hit, Passage
from loa.assistant.retrieval.retriever import Retriever
from loa.assistant.retrieval.tokens import document_tokens, query_tokens

__all__ = [
    "KINDS",
    "Embedder",
    "Hit",
    "Passage",
    "Retriever",
    "document_tokens",
    "load_embedder",
    "query_tokens",
]
