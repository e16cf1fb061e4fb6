"""Benchmark loa.assistant.retrieval: ``python bench/bench_retrieval.py``.

Quality, on the public sets in ../shared/bench-data (read at run time, never copied):
ALQAC train_2023 vs law_2023, ALQAC question_2022 vs law_2022, XQuAD-vi; each with the
queries as given and with diacritics removed (`loa.vn.fold`). The query is the question
`text` alone (multiple-choice options are not appended). One passage per article or
paragraph; passage ids are the README's pids. R@1/5/10 and MRR@10, for our Retriever
and, in the same run, the baseline: plain bm25s over lower-cased `\\w+` tokens
(k1=1.2, b=0.75).

Speed: corpora of 1k, 10k and 100k passages synthesised from 3-6 random sentences of
the two law corpora (seeded); per-query latency of `Retriever.search` (k=10) over the
ALQAC questions, p50/p95, beside a bare bm25s query (`BM25.get_scores` + top-k) over the
same token lists (the floor); index build time (tokenising + matrix), the rebuild of
the matrix alone, peak traced memory during the build, and save/load times.

    --quick        skip the 100k corpus
    --ablation     also score variants of the tokenizer on the public sets
    --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import random
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import bm25s
import common  # noqa: F401 - puts the repository on sys.path
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)

from loa.assistant.retrieval import Passage, Retriever  # noqa: E402
from loa.assistant.retrieval.tokens import query_tokens  # noqa: E402
from loa.vn import fold  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench-data"
_WORD = re.compile(r"\w+")
KS = (1, 5, 10)

Query = tuple[str, str, set[str]]  # (qid, text, gold pids)


# -- data ----------------------------------------------------------------------------


def _alqac(law_file: str, question_file: str, id_key: str):
    laws = json.loads((DATA / "alqac" / law_file).read_text(encoding="utf-8"))
    passages = {
        f"{law['id']}||{a['id']}": a["text"] for law in laws for a in law["articles"]
    }
    questions = json.loads((DATA / "alqac" / question_file).read_text(encoding="utf-8"))
    queries = [
        (
            q[id_key],
            q["text"],
            {f"{r['law_id']}||{r['article_id']}" for r in q["relevant_articles"]},
        )
        for q in questions
    ]
    return passages, queries


def _xquad():
    data = json.loads((DATA / "xquad-vi" / "xquad.vi.json").read_text(encoding="utf-8"))
    passages, queries = {}, []
    for article in data["data"]:
        for i, paragraph in enumerate(article["paragraphs"]):
            pid = f"{article['title']}#{i}"
            passages[pid] = paragraph["context"]
            queries.extend((qa["id"], qa["question"], {pid}) for qa in paragraph["qas"])
    return passages, queries


SETS: dict[str, Callable] = {
    "alqac train_2023": lambda: _alqac(
        "law_2023.json", "train_2023.json", "question_id"
    ),
    "alqac question_2022": lambda: _alqac("law_2022.json", "question_2022.json", "id"),
    "xquad-vi": _xquad,
}


# -- retrievers ------------------------------------------------------------------------


def plain_tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class Baseline:
    """Plain bm25s over lower-cased \\w+ tokens."""

    def __init__(self, passages: dict[str, str], tokenize=plain_tokens):
        self.pids = list(passages)
        self.tokenize = tokenize
        self.model = bm25s.BM25(k1=1.2, b=0.75)
        self.model.index([tokenize(t) for t in passages.values()], show_progress=False)

    def scores(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return np.zeros(len(self.pids))
        return self.model.get_scores(known)

    def __call__(self, text: str, k: int) -> list[str]:
        scores = self.scores(self.tokenize(text))
        top = np.argsort(-scores, kind="stable")[:k]
        return [self.pids[i] for i in top if scores[i] > 0]


def ours(passages: dict[str, str], **options) -> Callable[[str, int], list[str]]:
    retriever = Retriever(**options)
    retriever.upsert(
        Passage(id=pid, doc_id=pid, title="", text=t) for pid, t in passages.items()
    )

    def retrieve(text: str, k: int) -> list[str]:
        return [h.passage.doc_id for h in retriever.search(text, k)]

    return retrieve


def evaluate(queries: list[Query], retrieve: Callable[[str, int], list[str]]) -> dict:
    hits = dict.fromkeys(KS, 0.0)
    mrr = 0.0
    for _qid, text, gold in queries:
        ranked = retrieve(text, max(KS))
        for k in KS:
            hits[k] += len(set(ranked[:k]) & gold) / len(gold)
        mrr += next((1 / r for r, p in enumerate(ranked, 1) if p in gold), 0.0)
    n = len(queries)
    return {**{f"R@{k}": hits[k] / n for k in KS}, "MRR@10": mrr / n}


def quality(ablation: bool) -> None:
    print(
        "## Quality (public sets; query = question text; folded = diacritics removed)\n"
    )
    print(
        "| set | passages | queries | retriever | queries | R@1 | R@5 | R@10 | MRR@10 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    variants: dict[str, dict] = {"Retriever": {}}
    if ablation:
        variants |= {
            "  no word tokens": {"segment_words": False},
            "  exact_weight 0.5": {"exact_weight": 0.5},
            "  exact_weight 0": {"exact_weight": 0.0},
        }
    for name, load in SETS.items():
        passages, queries = load()
        folded = [(qid, fold(text), gold) for qid, text, gold in queries]
        rows = [("bm25s \\w+ baseline", Baseline(passages))]
        for label, options in variants.items():
            t0 = time.perf_counter()
            rows.append((label, ours(passages, **options)))
            if label == "Retriever":
                build_s = time.perf_counter() - t0
        for label, retrieve in rows:
            for form, qs in (("as given", queries), ("folded", folded)):
                m = evaluate(qs, retrieve)
                print(
                    f"| {name} | {len(passages)} | {len(qs)} | {label} | {form} | "
                    f"{m['R@1']:.3f} | {m['R@5']:.3f} | {m['R@10']:.3f} | {m['MRR@10']:.3f} |"
                )
        print(
            f"|   | | | (Retriever index build {build_s:.1f} s) | | | | | |", flush=True
        )


# -- speed -----------------------------------------------------------------------------


def _sentences() -> list[str]:
    out = []
    for law_file in ("law_2023.json", "law_2022.json"):
        laws = json.loads((DATA / "alqac" / law_file).read_text(encoding="utf-8"))
        for law in laws:
            for article in law["articles"]:
                for line in article["text"].split("\n"):
                    out.extend(
                        s.strip()
                        for s in re.split(r"(?<=[.;:])\s+", line)
                        if len(s.strip()) > 20
                    )
    return out


def synthesise(n: int, sentences: list[str], seed: int = 57) -> list[Passage]:
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
    passages = []
    for i in range(n):
        body = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))
        passages.append(
            Passage(id=f"p{i}", doc_id=f"d{i // 4}", title=f"Mục {i}", text=body)
        )
    return passages


def _percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p))


def speed(sizes: list[int]) -> None:
    sentences = _sentences()
    q2023 = json.loads((DATA / "alqac" / "train_2023.json").read_text(encoding="utf-8"))
    q2022 = json.loads(
        (DATA / "alqac" / "question_2022.json").read_text(encoding="utf-8")
    )
    questions = [q["text"] for q in q2023 + q2022]
    questions = questions + [fold(q) for q in questions]  # half without diacritics
    print(
        "\n## Speed (k=10; queries: ALQAC questions, half folded; one process, one thread)\n"
    )
    print(
        "| passages | tokenise s | matrix build s | search p50 ms | search p95 ms | "
        "bm25s floor p50 ms | floor p95 ms | peak traced MB | save s | load s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        passages = synthesise(size, sentences)
        gc.collect()
        tracemalloc.start()
        # Word segmentation (underthesea, ~10 ms a passage) is left out here so the
        # 100k corpus builds in minutes; its cost is measured on its own below.
        retriever = Retriever(segment_words=False)
        t0 = time.perf_counter()
        retriever.upsert(passages)
        tokenise_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        retriever.search("khởi động", 1)  # builds the matrix
        build_s = time.perf_counter() - t0
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        latencies = []
        for q in questions:
            t0 = time.perf_counter()
            retriever.search(q, 10)
            latencies.append((time.perf_counter() - t0) * 1000)
        # The floor: bare bm25s over the very same document and query token lists.
        model = bm25s.BM25(k1=1.2, b=0.75)
        # The retriever's own bags, spelt out again (BM25 ignores token order).
        vocabulary = retriever._vocabulary.tokens
        model.index(
            [
                [
                    vocabulary[i]
                    for i, n in zip(e.bag.ids, e.bag.tf, strict=True)
                    for _ in range(n)
                ]
                for e in retriever._entries.values()
            ],
            show_progress=False,
        )
        floor = []
        for q in questions:
            tokens = [t for t in query_tokens(q) if t in model.vocab_dict]
            t0 = time.perf_counter()
            if tokens:
                scores = model.get_scores(tokens)
                top = np.argpartition(-scores, 10)[:10]
                top[np.argsort(-scores[top])]
            floor.append((time.perf_counter() - t0) * 1000)
        with tempfile.TemporaryDirectory() as tmp:
            retriever.index_dir = Path(tmp)
            t0 = time.perf_counter()
            retriever.save()
            save_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            Retriever(index_dir=tmp, segment_words=False).search("khởi động", 1)
            load_s = time.perf_counter() - t0
        print(
            f"| {size:,} | {tokenise_s:.1f} | {build_s:.2f} | "
            f"{statistics.median(latencies):.2f} | {_percentile(latencies, 95):.2f} | "
            f"{statistics.median(floor):.2f} | {_percentile(floor, 95):.2f} | "
            f"{peak / 2**20:.0f} | {save_s:.2f} | {load_s:.2f} |",
            flush=True,
        )
        del retriever, model
        gc.collect()
    sample = synthesise(300, sentences, seed=1)
    t0 = time.perf_counter()
    Retriever(segment_words=True).upsert(sample)
    with_words = (time.perf_counter() - t0) / len(sample) * 1000
    t0 = time.perf_counter()
    Retriever(segment_words=False).upsert(sample)
    without = (time.perf_counter() - t0) / len(sample) * 1000
    print(
        f"\nTokenising a passage: {without:.2f} ms without word segmentation, "
        f"{with_words:.2f} ms with underthesea word tokens (the default)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100k corpus")
    parser.add_argument(
        "--ablation", action="store_true", help="score tokenizer variants"
    )
    parser.add_argument("--sizes", default="", help="comma-separated corpus sizes")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"bench data not found at {DATA}")
    if not args.no_quality:
        quality(args.ablation)
    if not args.no_speed:
        sizes = [int(s) for s in args.sizes.split(",") if s] or (
            [1000, 10_000] if args.quick else [1000, 10_000, 100_000]
        )
        speed(sizes)


if __name__ == "__main__":
    main()
