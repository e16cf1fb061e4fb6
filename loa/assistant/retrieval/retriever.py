"""Hybrid passage retrieval: BM25 over Vietnamese-aware tokens, optional dense fusion.

In memory, each passage keeps its counted tokens (a `Bag`), so `upsert` and `delete`
only touch the passages they name; the BM25 matrix is rebuilt from the bags, without
re-tokenising, at the first search after a change (about 0.1 s per 10k passages),
and never when nothing changed.

On disk (`index_dir`), every `save()` writes a complete, immutable version directory
and then switches to it atomically:

    index_dir/
        CURRENT             the version number in use, replaced with os.replace()
        v00000007/          meta.json, passages.jsonl, vocab.json, tokens.npz,
                            bm25.npz, embeddings.npy (only with an embedder)
        .lock               flock()ed while saving, so version numbers never collide

A reader therefore never sees a half-written index, and loading needs no tokenising.
The two newest versions are kept so a process that is still loading one is not cut off.

Several processes (web workers, the job worker, `loa kb` commands): the process that
changes content calls `upsert`/`delete` and then `save()`; every process calls
`refresh()` before it searches (it reads one small file and reloads only when another
process saved a newer version). `refresh()` replaces the in-memory state, so unsaved
changes of the refreshing process are dropped: save right after changing. Two writers
saving at once do not corrupt anything, but the later save wins; keep one writer (the
job worker) or have writers `refresh()` before they change content.

All processes sharing an index must use the same embedding model: a process without
one saves no embeddings, and one with a model re-embeds passages that lack them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import math
import os
import re
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from loa.assistant.retrieval.dense import Embedder, normalise_rows
from loa.assistant.retrieval.lexical import (
    Bag,
    Matrix,
    Vocabulary,
    bag_of,
    build,
    concatenate,
)
from loa.assistant.retrieval.passage import KINDS, Hit, Passage
from loa.assistant.retrieval.tokens import (
    EXACT_PREFIX,
    TOKENIZER_VERSION,
    coverage_units,
    document_tokens,
    query_tokens,
)

logger = logging.getLogger(__name__)

_CURRENT = "CURRENT"
_VERSION_RE = re.compile(r"^v(\d{8})$")
_KEEP_VERSIONS = 2


@dataclass
class _Entry:
    passage: Passage
    bag: Bag
    vector: np.ndarray | None = None


@dataclass
class _Built:
    """The searchable state for the entries as they were at build time."""

    entries: list[_Entry]
    matrix: Matrix
    kind_codes: np.ndarray  # int8 code of each passage's kind
    vectors: np.ndarray | None  # (n, dim) float32, rows aligned with entries
    ids: np.ndarray  # the bags laid end to end (what save() writes)
    tf: np.ndarray
    offsets: np.ndarray
    lengths: np.ndarray
    owners: np.ndarray | None = None  # ward id of each passage, 0 shared (see _owners)


EVERY_WARD = object()  # search(): no filter by ward
_KIND_CODES = {kind: code for code, kind in enumerate(sorted(KINDS))}


class Retriever:
    """Search passages by BM25 over Vietnamese-aware tokens, fused with dense ranks.

    Without an embedder, `Hit.score` is the BM25 score; with one, it is the reciprocal
    rank fusion of the lexical and dense rankings. Use `Hit.bm25` and `Hit.coverage`,
    which mean the same in both setups, to judge confidence.
    """

    def __init__(
        self,
        *,
        index_dir: Path | str | None = None,
        embedder: Embedder | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        segment_words: bool = True,
        exact_weight: float = 0.5,
        rrf_k: int = 60,
        dense_min_similarity: float = 0.0,
        candidates: int = 100,
    ):
        if not (isinstance(k1, int | float) and k1 > 0 and math.isfinite(k1)):
            raise ValueError(f"k1 must be a positive number, got {k1!r}")
        if not (isinstance(b, int | float) and 0 <= b <= 1):
            raise ValueError(f"b must be between 0 and 1, got {b!r}")
        if exact_weight < 0:
            raise ValueError(f"exact_weight must not be negative, got {exact_weight!r}")
        if rrf_k < 1:
            raise ValueError(f"rrf_k must be at least 1, got {rrf_k!r}")
        if candidates < 1:
            raise ValueError(f"candidates must be at least 1, got {candidates!r}")
        if embedder is not None and not callable(getattr(embedder, "encode", None)):
            raise TypeError("embedder must have an encode(texts) -> ndarray method")
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.embedder = embedder
        self.k1 = float(k1)
        self.b = float(b)
        self.segment_words = segment_words
        self.exact_weight = float(exact_weight)
        self.rrf_k = rrf_k
        self.dense_min_similarity = dense_min_similarity
        self.candidates = candidates
        self._entries: dict[str, _Entry] = {}
        self._vocabulary = Vocabulary()
        self._built: _Built | None = None
        self._version = 0
        self._lock = threading.RLock()
        if self.index_dir is not None:
            self.index_dir.mkdir(parents=True, exist_ok=True)
            version = self._disk_version()
            if version:
                self._load(version)

    # -- content -------------------------------------------------------------------

    def upsert(self, passages: Iterable[Passage]) -> None:
        """Add passages, replacing any with the same id; unchanged ones cost nothing."""
        batch: dict[str, Passage] = {}
        for passage in passages:
            _check_passage(passage)
            batch[passage.id] = passage
        with self._lock:
            changed = [
                p
                for p in batch.values()
                if (old := self._entries.get(p.id)) is None
                or old.passage != p
                or (self.embedder is not None and old.vector is None)
            ]
            if not changed:
                return
            vectors = self._embed([p.indexed_text for p in changed])
            for i, passage in enumerate(changed):
                old = self._entries.get(passage.id)
                if old is not None and old.passage.indexed_text == passage.indexed_text:
                    bag = old.bag  # only url, kind or meta changed
                else:
                    tokens = document_tokens(
                        passage.indexed_text, segment_words=self.segment_words
                    )
                    bag = bag_of(tokens, self._vocabulary)
                vector = vectors[i] if vectors is not None else None
                self._entries[passage.id] = _Entry(passage, bag, vector)
            self._built = None

    def delete(self, *, ids: Iterable[str] = (), doc_ids: Iterable[str] = ()) -> None:
        """Remove passages by their id and every passage of the given documents."""
        if isinstance(ids, str) or isinstance(doc_ids, str):
            raise TypeError("ids and doc_ids take collections of ids, not one string")
        ids, doc_ids = set(ids), set(doc_ids)
        with self._lock:
            doomed = ids & self._entries.keys()
            if doc_ids:
                doomed |= {
                    k for k, e in self._entries.items() if e.passage.doc_id in doc_ids
                }
            for key in doomed:
                del self._entries[key]
            if doomed:
                self._built = None

    def replace(self, *, doc_id: str, passages: Iterable[Passage]) -> None:
        """Make these the document's only passages; unchanged ones are not re-tokenised.

        Prefer this to delete(doc_ids=...) + upsert(...), which tokenises every
        passage of the document again (underthesea costs ~10 ms a passage).
        """
        passages = list(passages)
        if any(p.doc_id != doc_id for p in passages):
            raise ValueError(f"every passage must belong to {doc_id!r}")
        keep = {p.id for p in passages}
        with self._lock:
            stale = [
                key
                for key, entry in self._entries.items()
                if entry.passage.doc_id == doc_id and key not in keep
            ]
            self.delete(ids=stale)
            self.upsert(passages)

    def get(self, passage_id: str) -> Passage | None:
        """Return the passage with this id, or None."""
        entry = self._entries.get(passage_id)
        return entry.passage if entry else None

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Passage]:
        return iter([e.passage for e in list(self._entries.values())])

    # -- search --------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        kinds: set[str] | None = None,
        ward_id: int | None | object = EVERY_WARD,
    ) -> list[Hit]:
        """Return up to k passages for the query, best first; never zero-score hits.
        With `ward_id`, only the knowledge that ward may see: shared passages (no
        "ward_id" in their meta) and its own."""
        if k < 1 or not query or not query.strip():
            return []
        with self._lock:
            built = self._ensure_built()
            n = len(built.entries)
            if n == 0 or (kinds is not None and not kinds):
                return []
            allowed = self._kind_mask(built, kinds)
            if ward_id is not EVERY_WARD:
                owners = self._owners(built)
                seen = (owners == 0) | (owners == (ward_id or 0))
                allowed = seen if allowed is None else allowed & seen
            tokens = query_tokens(query)
            lexical = self._lexical_scores(built, tokens)
            if allowed is not None:
                lexical[~allowed] = 0.0
            depth = max(k, self.candidates) if built.vectors is not None else k
            lexical_top = _top(lexical, depth, floor=0.0)
            dense_top = np.zeros(0, dtype=np.int64)
            if built.vectors is not None and self.embedder is not None:
                dense = built.vectors @ normalise_rows(self.embedder.encode([query]))[0]
                if allowed is not None:
                    dense[~allowed] = -np.inf
                dense_top = _top(dense, depth, floor=self.dense_min_similarity)
            if built.vectors is None:
                ranked = [(int(i), float(lexical[i])) for i in lexical_top[:k]]
            else:
                fused: dict[int, float] = {}
                for ranking in (lexical_top, dense_top):
                    for rank, i in enumerate(ranking, 1):
                        fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (
                            self.rrf_k + rank
                        )
                order = sorted(fused, key=lambda i: (-fused[i], -lexical[i], i))
                ranked = [(i, fused[i]) for i in order[:k]]
            units = self._coverage_units(query)
            unit_weights = _unit_weights(units, built.matrix, query_unit_count=units[2])
            return [
                Hit(
                    passage=built.entries[i].passage,
                    score=score,
                    bm25=float(lexical[i]),
                    coverage=_coverage(units, built.entries[i].bag.ids),
                    rank=rank,
                    weighted_coverage=_weighted_coverage(
                        units, unit_weights, built.entries[i].bag.ids
                    ),
                )
                for rank, (i, score) in enumerate(ranked, 1)
                if score > 0
            ]

    def unit_weights(self, query: str) -> list[tuple[frozenset[str], float]]:
        """The query's content units with their IDF weights (for scoring sentences)."""
        with self._lock:
            built = self._ensure_built()
            units = coverage_units(query)
            coded = self._coverage_units(query)
            weights = _unit_weights(coded, built.matrix, query_unit_count=coded[2])
            return list(zip(units, weights.tolist(), strict=True))

    def _lexical_scores(self, built: _Built, tokens: list[str]) -> np.ndarray:
        ids, weights = [], []
        for token in Counter(tokens):
            token_id = self._vocabulary.get(token)
            if token_id is not None:
                ids.append(token_id)
                weights.append(self.exact_weight if token[0] == EXACT_PREFIX else 1.0)
        return built.matrix.scores(
            np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)
        )

    def _coverage_units(self, query: str) -> tuple[np.ndarray, np.ndarray, int]:
        """Return (token ids, unit index of each, number of units) of the query."""
        token_ids, unit_of = [], []
        units = coverage_units(query)
        for n, unit in enumerate(units):
            for token in unit:
                token_id = self._vocabulary.get(token)
                if token_id is not None:
                    token_ids.append(token_id)
                    unit_of.append(n)
        return (
            np.asarray(token_ids, dtype=np.int32),
            np.asarray(unit_of, dtype=np.int64),
            len(units),
        )

    @staticmethod
    def _owners(built: _Built) -> np.ndarray:
        """The ward id owning each passage (0: shared), computed once per build."""
        if built.owners is None:
            built.owners = np.fromiter(
                (int(e.passage.meta.get("ward_id") or 0) for e in built.entries),
                dtype=np.int64,
                count=len(built.entries),
            )
        return built.owners

    @staticmethod
    def _kind_mask(built: _Built, kinds: set[str] | None) -> np.ndarray | None:
        if kinds is None:
            return None
        codes = [_KIND_CODES[k] for k in kinds if k in _KIND_CODES]
        return np.isin(built.kind_codes, codes)

    def _ensure_built(self) -> _Built:
        if self._built is None:
            self._built = self._build()
        return self._built

    def _build(self) -> _Built:
        entries = list(self._entries.values())
        ids, tf, offsets, lengths = concatenate([e.bag for e in entries])
        ids = self._compact_vocabulary(ids)
        matrix = build(
            ids,
            tf,
            offsets,
            lengths,
            num_tokens=len(self._vocabulary),
            k1=self.k1,
            b=self.b,
        )
        return self._built_from(entries, matrix, ids, tf, offsets, lengths)

    def _built_from(self, entries, matrix, ids, tf, offsets, lengths) -> _Built:
        # Point every bag into the concatenated arrays so the tokens are held once.
        for i, entry in enumerate(entries):
            start, end = offsets[i], offsets[i + 1]
            entry.bag = Bag(
                ids=ids[start:end], tf=tf[start:end], length=int(lengths[i])
            )
        kind_codes = np.fromiter(
            (_KIND_CODES[e.passage.kind] for e in entries),
            dtype=np.int8,
            count=len(entries),
        )
        vectors = None
        if self.embedder is not None and entries:
            vectors = np.stack([e.vector for e in entries]).astype(
                np.float32, copy=False
            )
        return _Built(entries, matrix, kind_codes, vectors, ids, tf, offsets, lengths)

    def _compact_vocabulary(self, ids: np.ndarray) -> np.ndarray:
        """Drop tokens no passage uses any more once they are the majority."""
        size = len(self._vocabulary)
        if size < 50_000:
            return ids
        used = np.bincount(ids, minlength=size) > 0
        if used.sum() * 2 > size:
            return ids
        remap = np.full(size, -1, dtype=np.int32)
        remap[used] = np.arange(int(used.sum()), dtype=np.int32)
        tokens = self._vocabulary.tokens
        self._vocabulary = Vocabulary(tokens[i] for i in np.flatnonzero(used))
        return remap[ids]

    def _embed(self, texts: list[str]) -> np.ndarray | None:
        if self.embedder is None or not texts:
            return None
        vectors = normalise_rows(self.embedder.encode(texts))
        if len(vectors) != len(texts):
            raise ValueError(
                "the embedder returned a different number of rows than texts"
            )
        return vectors

    # -- persistence ---------------------------------------------------------------

    def save(self) -> None:
        """Write the index as a new version under index_dir and make it current."""
        if self.index_dir is None:
            raise ValueError("save() needs a Retriever created with index_dir")
        with self._lock, self._disk_lock():
            built = self._ensure_built()
            version = max(self._disk_version(), self._version) + 1
            tmp = (
                self.index_dir / f".tmp-{version}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            )
            tmp.mkdir()
            try:
                self._write(tmp, built, version)
                os.rename(tmp, self._version_dir(version))
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            current_tmp = self.index_dir / f".{_CURRENT}.{uuid.uuid4().hex[:8]}"
            current_tmp.write_text(f"{version}\n")
            os.replace(current_tmp, self.index_dir / _CURRENT)
            self._version = version
            self._remove_old_versions(version)

    def refresh(self) -> bool:
        """Reload the index if another process saved a newer version; tell if it did."""
        if self.index_dir is None:
            return False
        version = self._disk_version()
        if not version or version == self._version:
            return False
        with self._lock:
            self._load(version)
        return True

    @property
    def version(self) -> int:
        """Return the on-disk version this state was loaded from or saved as (0: none)."""
        return self._version

    def _write(self, directory: Path, built: _Built, version: int) -> None:
        meta = {
            "version": version,
            "tokenizer_version": TOKENIZER_VERSION,
            "segment_words": self.segment_words,
            "k1": self.k1,
            "b": self.b,
            "count": len(built.entries),
            "vocabulary": len(self._vocabulary),
            "embedding_dim": int(built.vectors.shape[1])
            if built.vectors is not None
            else None,
            "saved_at": time.time(),
        }
        with open(directory / "passages.jsonl", "w", encoding="utf-8") as f:
            for entry in built.entries:
                f.write(json.dumps(entry.passage.to_dict(), ensure_ascii=False))
                f.write("\n")
        with open(directory / "vocab.json", "w", encoding="utf-8") as f:
            json.dump(self._vocabulary.tokens, f, ensure_ascii=False)
        np.savez(
            directory / "tokens.npz",
            ids=built.ids,
            tf=built.tf,
            offsets=built.offsets,
            lengths=built.lengths,
        )
        np.savez(
            directory / "bm25.npz",
            data=built.matrix.data,
            indices=built.matrix.indices,
            indptr=built.matrix.indptr,
        )
        if built.vectors is not None:
            np.save(directory / "embeddings.npy", built.vectors)
        (directory / "meta.json").write_text(json.dumps(meta, indent=1))

    def _load(self, version: int) -> None:
        # A version can vanish between reading CURRENT and opening it when two more
        # saves happen meanwhile; read CURRENT again.
        for _attempt in range(5):
            try:
                self._load_version(version)
                return
            except FileNotFoundError:
                newer = self._disk_version()
                if newer == version:
                    raise
                version = newer

    def _load_version(self, version: int) -> None:
        directory = self._version_dir(version)
        meta = json.loads((directory / "meta.json").read_text())
        with open(directory / "passages.jsonl", encoding="utf-8") as f:
            passages = [
                Passage.from_dict(json.loads(line)) for line in f if line.strip()
            ]
        vectors = None
        if self.embedder is not None and meta.get("embedding_dim"):
            vectors = np.load(directory / "embeddings.npy")
        self._entries = {}
        self._vocabulary = Vocabulary()
        self._built = None
        same_tokens = (
            meta.get("tokenizer_version") == TOKENIZER_VERSION
            and meta.get("segment_words") == self.segment_words
        )
        if not same_tokens:
            logger.warning(
                "Index %s was built with other tokens; re-tokenising %d passages.",
                directory,
                len(passages),
            )
            self.upsert(passages)
            self._version = version
            return
        self._vocabulary = Vocabulary(
            json.loads((directory / "vocab.json").read_text())
        )
        with np.load(directory / "tokens.npz") as arrays:
            ids, tf = arrays["ids"], arrays["tf"]
            offsets, lengths = arrays["offsets"], arrays["lengths"]
        entries = []
        for i, passage in enumerate(passages):
            bag = Bag(
                ids=ids[offsets[i] : offsets[i + 1]],
                tf=tf[offsets[i] : offsets[i + 1]],
                length=int(lengths[i]),
            )
            vector = vectors[i] if vectors is not None else None
            entries.append(_Entry(passage, bag, vector))
        self._entries = {e.passage.id: e for e in entries}
        if meta.get("k1") == self.k1 and meta.get("b") == self.b:
            with np.load(directory / "bm25.npz") as arrays:
                matrix = Matrix(
                    data=arrays["data"],
                    indices=arrays["indices"],
                    indptr=arrays["indptr"],
                    num_docs=len(entries),
                )
        else:
            matrix = build(
                ids,
                tf,
                offsets,
                lengths,
                num_tokens=len(self._vocabulary),
                k1=self.k1,
                b=self.b,
            )
        missing = [e for e in entries if self.embedder is not None and e.vector is None]
        if missing:
            logger.warning(
                "Embedding %d passages that have no saved vector.", len(missing)
            )
            new = self._embed([e.passage.indexed_text for e in missing])
            for entry, vector in zip(missing, new, strict=True):  # type: ignore[arg-type]
                entry.vector = vector
        self._built = self._built_from(entries, matrix, ids, tf, offsets, lengths)
        self._version = version

    def _disk_version(self) -> int:
        assert self.index_dir is not None
        try:
            return int((self.index_dir / _CURRENT).read_text().strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    def _version_dir(self, version: int) -> Path:
        assert self.index_dir is not None
        return self.index_dir / f"v{version:08d}"

    @contextlib.contextmanager
    def _disk_lock(self) -> Iterator[None]:
        assert self.index_dir is not None
        with open(self.index_dir / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _remove_old_versions(self, current: int) -> None:
        assert self.index_dir is not None
        versions = sorted(
            int(m.group(1))
            for p in self.index_dir.iterdir()
            if (m := _VERSION_RE.match(p.name))
        )
        for old in versions:
            if old <= current - _KEEP_VERSIONS:
                shutil.rmtree(self._version_dir(old), ignore_errors=True)
        stale = time.time() - 3600
        for p in self.index_dir.glob(".tmp-*"):
            with contextlib.suppress(OSError):
                if p.stat().st_mtime < stale:
                    shutil.rmtree(p, ignore_errors=True)


def _check_passage(passage: Passage) -> None:
    if not isinstance(passage, Passage):
        raise TypeError(f"expected a Passage, got {type(passage).__name__}")
    if not passage.id or not passage.doc_id:
        raise ValueError("a passage needs an id and a doc_id")
    if passage.kind not in KINDS:
        raise ValueError(
            f"unknown passage kind {passage.kind!r}; use one of {sorted(KINDS)}"
        )


def _top(scores: np.ndarray, k: int, *, floor: float) -> np.ndarray:
    """Return the indices of the k highest scores above floor, best first."""
    candidates = np.flatnonzero(scores > floor)
    if len(candidates) > k:
        part = np.argpartition(-scores[candidates], k - 1)[:k]
        candidates = candidates[part]
    # Stable on ties: lower index (earlier insertion) first.
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order]


def _unit_weights(
    units: tuple[np.ndarray, np.ndarray, int], matrix: Matrix, *, query_unit_count: int
) -> np.ndarray:
    """IDF weight of each query unit: its most specific known token; unknown units
    (no token in the vocabulary) get the highest possible IDF."""
    token_ids, unit_of, count = units
    n = max(matrix.num_docs, 1)
    top = float(np.log1p((n + 0.5) / 0.5))
    weights = np.full(query_unit_count, top, dtype=np.float64)
    if not count:
        return weights
    seen = np.zeros(query_unit_count, dtype=bool)
    known = token_ids < matrix.num_tokens
    df = np.zeros(len(token_ids), dtype=np.float64)
    df[known] = np.diff(matrix.indptr)[token_ids[known]]
    idf = np.where(df > 0, np.log1p((n - df + 0.5) / (df + 0.5)), top)
    for t_idf, u, has in zip(
        idf.tolist(), unit_of.tolist(), (df > 0).tolist(), strict=True
    ):
        if not has:
            continue
        weights[u] = t_idf if not seen[u] else min(weights[u], t_idf)
        seen[u] = True
    return weights


def _weighted_coverage(
    units: tuple[np.ndarray, np.ndarray, int],
    weights: np.ndarray,
    passage_ids: np.ndarray,
) -> float:
    """IDF-weighted share of query units with at least one token in the passage."""
    token_ids, unit_of, count = units
    total = float(weights.sum())
    if not count or total <= 0:
        return 0.0
    have = set(passage_ids.tolist())
    covered = {
        u
        for t, u in zip(token_ids.tolist(), unit_of.tolist(), strict=True)
        if t in have
    }
    return float(sum(weights[u] for u in covered)) / total


def _coverage(
    units: tuple[np.ndarray, np.ndarray, int], passage_ids: np.ndarray
) -> float:
    """Share of query units with at least one of their tokens among the passage's."""
    token_ids, unit_of, count = units
    if not count:
        return 0.0
    # A set beats np.isin for a few dozen query tokens against a few hundred.
    have = set(passage_ids.tolist())
    covered = {
        u
        for t, u in zip(token_ids.tolist(), unit_of.tolist(), strict=True)
        if t in have
    }
    return len(covered) / count
