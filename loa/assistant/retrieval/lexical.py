"""BM25 over pre-tokenised passages, in bm25s's scoring and matrix layout.

The matrix is bm25s's eager index: one BM25 weight per (token, passage), stored as a
CSC matrix (`data`, `indices`, `indptr`) with bm25s's Lucene formulas. It is built here
with whole-array numpy operations instead of `bm25s.BM25.index`, whose per-passage
Python loops take about a second for 10k passages; `tests/test_retrieval.py` checks the
weights equal bm25s's own. Queries sum the columns of their tokens with one
`np.bincount`, which is faster than bm25s's `np.add.at` per token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from bm25s.scoring import _np_csc_python, _score_tfc_lucene

TOKEN_ID = np.int32
TERM_FREQUENCY = np.uint16
_MAX_TF = np.iinfo(TERM_FREQUENCY).max


class Vocabulary:
    """Token string ↔ integer id; ids are never reused, so stored ids stay valid."""

    def __init__(self, tokens: Iterable[str] = ()):
        self.tokens: list[str] = list(tokens)
        self.ids: dict[str, int] = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def add(self, token: str) -> int:
        """Return the id of a token, giving it a new one if it is unknown."""
        token_id = self.ids.get(token)
        if token_id is None:
            token_id = self.ids[token] = len(self.tokens)
            self.tokens.append(token)
        return token_id

    def get(self, token: str) -> int | None:
        """Return the id of a known token, or None."""
        return self.ids.get(token)


@dataclass
class Bag:
    """The counted tokens of one passage."""

    ids: np.ndarray  # distinct token ids (int32)
    tf: np.ndarray  # how often each occurs (uint16)
    length: int  # number of tokens, duplicates included


def bag_of(tokens: Sequence[str], vocabulary: Vocabulary) -> Bag:
    """Count tokens into a bag, adding new tokens to the vocabulary."""
    counts = Counter(tokens)
    ids = np.fromiter(
        (vocabulary.add(t) for t in counts), dtype=TOKEN_ID, count=len(counts)
    )
    tf = np.fromiter(
        (min(c, _MAX_TF) for c in counts.values()),
        dtype=TERM_FREQUENCY,
        count=len(counts),
    )
    return Bag(ids=ids, tf=tf, length=len(tokens))


@dataclass
class Matrix:
    """A built BM25 index over passages 0..num_docs-1 (bm25s's `scores` dict layout)."""

    data: np.ndarray  # float32 weights, column-major
    indices: np.ndarray  # int32 passage index of each weight
    indptr: np.ndarray  # int64, len = vocabulary size + 1
    num_docs: int

    @property
    def num_tokens(self) -> int:
        return len(self.indptr) - 1

    def scores(self, token_ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Return the BM25 score of every passage for weighted query tokens."""
        keep = token_ids < self.num_tokens
        token_ids, weights = token_ids[keep], weights[keep]
        starts, ends = self.indptr[token_ids], self.indptr[token_ids + 1]
        if not len(token_ids) or not (ends > starts).any():
            return np.zeros(self.num_docs, dtype=np.float64)
        rows = np.concatenate(
            [self.indices[s:e] for s, e in zip(starts, ends, strict=True)]
        )
        values = np.concatenate(
            [self.data[s:e] * w for s, e, w in zip(starts, ends, weights, strict=True)]
        )
        return np.bincount(rows, weights=values, minlength=self.num_docs)


def concatenate(
    bags: Sequence[Bag],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (ids, tf, offsets, lengths) of bags laid end to end."""
    n = len(bags)
    counts = np.fromiter((len(b.ids) for b in bags), dtype=np.int64, count=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    if n:
        ids = np.concatenate([b.ids for b in bags]).astype(TOKEN_ID, copy=False)
        tf = np.concatenate([b.tf for b in bags]).astype(TERM_FREQUENCY, copy=False)
    else:
        ids = np.zeros(0, dtype=TOKEN_ID)
        tf = np.zeros(0, dtype=TERM_FREQUENCY)
    lengths = np.fromiter((b.length for b in bags), dtype=np.int64, count=n)
    return ids, tf, offsets, lengths


def build(
    ids: np.ndarray,
    tf: np.ndarray,
    offsets: np.ndarray,
    lengths: np.ndarray,
    *,
    num_tokens: int,
    k1: float,
    b: float,
) -> Matrix:
    """Build the BM25 matrix (bm25s "lucene" variant) from concatenated bags."""
    n = len(lengths)
    if n == 0 or len(ids) == 0:
        return Matrix(
            data=np.zeros(0, dtype=np.float32),
            indices=np.zeros(0, dtype=np.int32),
            indptr=np.zeros(num_tokens + 1, dtype=np.int64),
            num_docs=n,
        )
    rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(offsets))
    df = np.bincount(ids, minlength=num_tokens)
    # bm25s's _score_idf_lucene, on the whole array at once.
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    doc_lengths = lengths.astype(np.float32)
    average = float(doc_lengths.mean()) or 1.0
    tfc = _score_tfc_lucene(
        tf.astype(np.float32), l_d=doc_lengths[rows], l_avg=average, k1=k1, b=b
    )
    weights = (idf[ids] * tfc).astype(np.float32)
    data, indices, indptr = _np_csc_python(weights, rows, ids, (n, num_tokens))
    return Matrix(
        data=data.astype(np.float32, copy=False),
        indices=indices.astype(np.int32, copy=False),
        indptr=indptr,
        num_docs=n,
    )
