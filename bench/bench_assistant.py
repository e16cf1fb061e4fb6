"""Benchmark the assistant end to end: ``python bench/bench_assistant.py``.

Sets up the real knowledge base in a fresh temporary LOA_DATA_DIR (migrate, the demo
ward with the seed plan, `kb ingest loa/data/kb`) and answers for that ward.

1. Quality on bench/data/assistant/eval.jsonl, per category and overall:
   - accuracy: an answerable item is right when `answer_question` answered and one of
     its `expect` phrases occurs in the answer (both compared after `loa.vn.fold_lower`);
     an unanswerable one is right when it declined (answered == False);
   - declined share (the target is on out_of_scope; hostile shown beside it);
   - recall@5: any gold id among the first 5 distinct `external_id`s the retriever
     returns for the retrieval query (`retrieval_query(question, [previous])` for
     follow-ups), ward visibility applied as in answering;
   - baseline in the same run: plain bm25s (lower-cased `\\w+` tokens, k1=1.2, b=0.75)
     over the same passages and queries, recall@5 only;
   - no-diacritic gap: the no_diacritics items ("eNNNn") minus their pairs with
     diacritics ("eNNN"), accuracy and recall@5 in points.
   Failures go to bench/out/assistant_failures.txt.
2. Speed in process at 1k, 10k and 100k passages: the knowledge base plus synthetic
   passages that mix 3-6 random sentences of the ALQAC law corpora (read at run time from
   ../shared/bench-data; synthesised from the knowledge base if missing). Latency of
   `answer_question` (and of `Retriever.search` alone) over 200 eval questions, beside
   the floor: a bare bm25s index over the same `document_tokens`, timing `retrieve`
   with the same `query_tokens`. Index build time (tokenise + matrix), RSS.
   The 1k and 10k indexes are built exactly as in production. At 100k, tokenising
   every passage whole would take ~6 min on 2 cores, so passages are built from
   sentence lines and each line's tokens are computed once and reused (memoised
   `document_tokens` per line); the phrase tokens are identical, word segmentation runs
   per sentence instead of per passage. The table states which build each row used and
   extrapolates the full tokenising time from the 10k rate.
3. HTTP: bench/bench_http.py against the same data dir (gunicorn, 2 workers, wrk,
   16 connections, 20 s).

    --quick            1k and 10k only, 8 s of HTTP
    --no-speed / --no-http
    --sizes 1000,10000,100000   --queries 200   --http-seconds 20
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import random
import re
import resource
import shutil
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import common
import numpy as np
from common import ROOT, section, table

EVAL = ROOT / "bench" / "data" / "assistant" / "eval.jsonl"
OUT = ROOT / "bench" / "out"
FAILURES = OUT / "assistant_failures.txt"
LAWS = ROOT.parent / "shared" / "bench-data" / "alqac"
KB_DIR = ROOT / "loa" / "data" / "kb"
_WORD = re.compile(r"\w+")

TARGET_ACCURACY = 0.90
TARGET_RECALL = 0.95
TARGET_GAP_POINTS = 3.0
TARGET_OOS_DECLINED = 0.90
TARGET_P95_10K_MS = 50.0
TARGET_RPS = 100.0


# -- output ----------------------------------------------------------------------------


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def dec(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def ms(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def rss_mb() -> float:
    """Current resident set size of this process, in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- setup -----------------------------------------------------------------------------


def django_setup() -> tuple[Path, object, float]:
    """A fresh data dir with the demo ward, the seed plan and the starter knowledge base."""
    for name in ("LOA_LLM_URL", "LOA_EMBEDDING_MODEL"):
        os.environ.pop(name, None)  # extractive answers, lexical retrieval only
    data_dir, migrate_s = common.django_setup("loa-bench-assistant-")  # SQLite there
    started = time.perf_counter()
    from django.core.management import call_command

    from loa.plans.demo import demo_load

    result = demo_load()
    call_command(
        "kb",
        "ingest",
        str(KB_DIR),
        "--ward",
        result["ward"].slug,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    return data_dir, result["ward"], migrate_s + time.perf_counter() - started


# -- evaluation set --------------------------------------------------------------------


@dataclass
class Item:
    id: str
    category: str
    question: str
    previous: str | None
    answerable: bool
    gold: list[str]
    expect: list[str]
    # results
    answered: bool = False
    kind: str = ""
    text: str = ""
    correct: bool = False
    retrieved: list[str] = field(default_factory=list)
    baseline: list[str] = field(default_factory=list)

    @property
    def prev(self) -> list[str]:
        return [self.previous] if self.previous else []

    @property
    def hit5(self) -> bool | None:
        return bool(set(self.retrieved[:5]) & set(self.gold)) if self.gold else None

    @property
    def base_hit5(self) -> bool | None:
        return bool(set(self.baseline[:5]) & set(self.gold)) if self.gold else None


def load_eval(path: Path, wait: float) -> list[Item]:
    """Read the eval set; if it is missing or small, wait up to `wait` seconds for it."""
    deadline = time.monotonic() + wait
    while True:
        items = []
        if path.exists():
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    d = json.loads(line)
                    items.append(
                        Item(
                            id=str(d["id"]),
                            category=d.get("category") or "?",
                            question=d["question"],
                            previous=d.get("previous") or None,
                            answerable=bool(d.get("answerable", True)),
                            gold=list(d.get("gold") or []),
                            expect=list(d.get("expect") or []),
                        )
                    )
                except (ValueError, KeyError) as exc:
                    print(f"  eval.jsonl line {n} skipped: {exc}", file=sys.stderr)
        if len(items) >= 150 or time.monotonic() >= deadline:
            return items
        print(
            f"  eval set has {len(items)} items (< 150); waiting for it…",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(min(30.0, max(1.0, deadline - time.monotonic())))


# -- retrieval helpers -----------------------------------------------------------------


def external_id(passage) -> str:
    return (passage.meta or {}).get("external_id") or passage.doc_id


def distinct(ids, n: int = 5) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i not in out:
            out.append(i)
            if len(out) == n:
                break
    return out


def plain_tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class Baseline:
    """Plain bm25s over lower-cased \\w+ tokens of the same passages."""

    def __init__(self, passages: list):
        import bm25s

        self.passages = passages
        self.model = bm25s.BM25(k1=1.2, b=0.75)
        self.model.index(
            [plain_tokens(p.indexed_text) for p in passages], show_progress=False
        )

    def search(self, query: str, k: int) -> list:
        tokens = [t for t in plain_tokens(query) if t in self.model.vocab_dict]
        if not tokens:
            return []
        scores = self.model.get_scores(tokens)
        top = np.argsort(-scores, kind="stable")[:k]
        return [self.passages[i] for i in top if scores[i] > 0]


# -- 1. quality ------------------------------------------------------------------------


def quality(items: list[Item], retriever, ward_id: int, contact: str) -> dict:
    from loa.assistant.answering import answer_question, retrieval_query
    from loa.vn import fold_lower

    visible = [p for p in retriever if p.meta.get("ward_id") in (None, ward_id)]
    baseline = Baseline(visible)
    for item in items:
        answer = answer_question(
            item.question,
            retriever,
            previous=item.prev,
            contact=contact,
            ward_id=ward_id,
        )
        item.answered, item.kind, item.text = answer.answered, answer.kind, answer.text
        if item.answerable:
            folded = fold_lower(answer.text)
            item.correct = answer.answered and (
                not item.expect or any(fold_lower(e) in folded for e in item.expect)
            )
        else:
            item.correct = not answer.answered
        query = retrieval_query(item.question, item.prev)
        hits = retriever.search(query, k=60, ward_id=ward_id)
        item.retrieved = distinct(external_id(h.passage) for h in hits)
        item.baseline = distinct(external_id(p) for p in baseline.search(query, 60))

    def stats(group: list[Item]) -> dict:
        gold = [i for i in group if i.gold]
        return {
            "n": len(group),
            "accuracy": sum(i.correct for i in group) / len(group) if group else None,
            "declined": sum(not i.answered for i in group) / len(group)
            if group
            else None,
            "n_gold": len(gold),
            "recall5": sum(i.hit5 for i in gold) / len(gold) if gold else None,
            "base_recall5": sum(i.base_hit5 for i in gold) / len(gold)
            if gold
            else None,
        }

    by_category: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_category[item.category].append(item)
    per = {c: stats(g) for c, g in sorted(by_category.items())}
    overall = stats(items)

    rows = [
        [
            c,
            s["n"],
            pct(s["accuracy"]),
            pct(s["declined"]),
            s["n_gold"],
            dec(s["recall5"]),
            dec(s["base_recall5"]),
        ]
        for c, s in per.items()
    ]
    rows.append(
        [
            "overall",
            overall["n"],
            pct(overall["accuracy"]),
            pct(overall["declined"]),
            overall["n_gold"],
            dec(overall["recall5"]),
            dec(overall["base_recall5"]),
        ]
    )
    rows.append(
        [
            "target",
            "",
            f">= {TARGET_ACCURACY:.0%}",
            "oos >= 90%",
            "",
            f">= {TARGET_RECALL}",
            "",
        ]
    )
    print(
        table(
            [
                "category",
                "n",
                "accuracy",
                "declined",
                "n gold",
                "recall@5",
                "BM25 \\w+ r@5",
            ],
            rows,
        )
    )

    # The no-diacritic gap on paired items (eNNN with diacritics, eNNNn without).
    ids = {i.id: i for i in items}
    pairs = [
        (i, ids[i.id[:-1]])
        for i in items
        if i.category == "no_diacritics" and i.id.endswith("n") and i.id[:-1] in ids
    ]
    gap: dict = {"pairs": len(pairs)}
    if pairs:
        plain = [p for p, _ in pairs]
        marked = [m for _, m in pairs]
        acc = lambda g: sum(i.correct for i in g) / len(g)  # noqa: E731
        gold_pairs = [(p, m) for p, m in pairs if p.gold and m.gold]
        rec = lambda g: sum(i.hit5 for i in g) / len(g) if g else None  # noqa: E731
        base = lambda g: sum(i.base_hit5 for i in g) / len(g) if g else None  # noqa: E731
        gap |= {
            "acc_plain": acc(plain),
            "acc_marked": acc(marked),
            "rec_plain": rec([p for p, _ in gold_pairs]),
            "rec_marked": rec([m for _, m in gold_pairs]),
            "base_plain": base([p for p, _ in gold_pairs]),
            "base_marked": base([m for _, m in gold_pairs]),
        }
        gap["acc_gap"] = 100 * (gap["acc_plain"] - gap["acc_marked"])
        gap["rec_gap"] = (
            100 * (gap["rec_plain"] - gap["rec_marked"]) if gold_pairs else None
        )
        gap["base_gap"] = (
            100 * (gap["base_plain"] - gap["base_marked"]) if gold_pairs else None
        )
        print(
            f"\nno-diacritic gap on {len(pairs)} pairs (eNNNn without diacritics minus eNNN with; "
            f"target: no worse than -{TARGET_GAP_POINTS:.0f} points)"
        )
        print(
            table(
                ["", "with diacritics", "without", "gap (points)"],
                [
                    [
                        "accuracy",
                        pct(gap["acc_marked"]),
                        pct(gap["acc_plain"]),
                        f"{gap['acc_gap']:+.1f}",
                    ],
                    [
                        "recall@5",
                        dec(gap["rec_marked"]),
                        dec(gap["rec_plain"]),
                        "—" if gap["rec_gap"] is None else f"{gap['rec_gap']:+.1f}",
                    ],
                    [
                        "BM25 \\w+ recall@5",
                        dec(gap["base_marked"]),
                        dec(gap["base_plain"]),
                        "—" if gap["base_gap"] is None else f"{gap['base_gap']:+.1f}",
                    ],
                ],
            )
        )
    else:
        print("\nno-diacritic gap: no eNNN/eNNNn pairs in the eval set")

    kinds = defaultdict(int)
    for item in items:
        kinds[item.kind] += 1
    print(
        "\nanswer kinds: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
    )
    write_failures(items)
    return {"per": per, "overall": overall, "gap": gap}


def write_failures(items: list[Item]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    wrong = [i for i in items if not i.correct]
    missed = [i for i in items if i.hit5 is False]
    with open(FAILURES, "w", encoding="utf-8") as f:
        f.write(
            f"# bench_assistant.py failures, {time.strftime('%Y-%m-%d %H:%M')}: "
            f"{len(wrong)} wrong answers, {len(missed)} recall@5 misses of {len(items)} items\n"
        )
        for title, group in (("WRONG ANSWERS", wrong), ("RECALL@5 MISSES", missed)):
            f.write(f"\n## {title} ({len(group)})\n")
            for i in group:
                expected = (
                    f"answer containing one of {i.expect}"
                    if i.answerable
                    else "decline"
                )
                f.write(f"\n{i.id} [{i.category}] {i.question}\n")
                if i.previous:
                    f.write(f"  previous:  {i.previous}\n")
                f.write(f"  expected:  {expected}; gold {i.gold}\n")
                start = i.text[:220].replace("\n", " / ")
                f.write(
                    f"  got:       {'answered' if i.answered else 'declined'} ({i.kind}): {start}\n"
                )
                f.write(f"  retrieved: {i.retrieved}\n")
                f.write(f"  BM25 \\w+:  {i.baseline}\n")
    print(
        f"\n{len(wrong)} wrong answers, {len(missed)} recall@5 misses -> {FAILURES.relative_to(ROOT)}"
    )


# -- 2. speed --------------------------------------------------------------------------


def law_sentences() -> tuple[list[str], list[str], str]:
    """Sentences of the ALQAC laws (and article titles), or of the knowledge base."""
    sentences: list[str] = []
    titles: list[str] = []
    for name in ("law_2023.json", "law_2022.json"):
        path = LAWS / name
        if not path.exists():
            continue
        for law in json.loads(path.read_text(encoding="utf-8")):
            for article in law["articles"]:
                head, _, body = article["text"].partition("\n")
                titles.append(
                    f"{law['id']} › Điều {article['id']}. {head.strip()}"[:160]
                )
                for line in body.split("\n"):
                    for s in re.split(r"(?<=[.;:])\s+", line):
                        if 30 <= len(s.strip()) <= 400:
                            sentences.append(s.strip())
    if sentences:
        return sentences, titles, "ALQAC law_2023 + law_2022 sentences"
    for path in sorted(KB_DIR.rglob("*")):
        if path.suffix in {".md", ".jsonl"}:
            for s in re.split(r"(?<=[.;:!?])\s+|\n", path.read_text(encoding="utf-8")):
                if 30 <= len(s.strip()) <= 400 and not s.startswith("{"):
                    sentences.append(s.strip().lstrip("#-0123456789. "))
    return (
        sentences,
        ["Tài liệu tổng hợp"],
        "knowledge-base sentences (bench-data missing)",
    )


def synthesise(n: int, sentences: list[str], titles: list[str], seed: int) -> list:
    """n passages of 3-6 random sentences (one per line), with a law/article title."""
    from loa.assistant.retrieval import Passage

    rng = random.Random(seed)  # noqa: S311 - reproducible sampling
    return [
        Passage(
            id=f"synth:{seed}:{i}",
            doc_id=f"synth:{seed}:{i // 5}",
            title=rng.choice(titles),
            text="\n".join(rng.choice(sentences) for _ in range(rng.randint(3, 6))),
            kind="doc",
            meta={
                "ward_id": None,
                "external_id": f"synth:{i // 5}",
                "source": "ALQAC (synthetic)",
            },
        )
        for i in range(n)
    ]


class Tokens:
    """Stands in for `document_tokens` in the retriever module during a build.

    mode "whole": the real function on the whole text (production); the lists are kept
    for the bm25s floor. mode "lines": each line's tokens computed once and reused;
    nothing kept (the floor rebuilds them from the cache).
    """

    def __init__(self):
        from loa.assistant.retrieval import tokens as tokens_module

        self.real = tokens_module.document_tokens
        self.lines: dict[str, list[str]] = {}
        self.kept: dict[str, list[str]] = {}
        self.mode = "whole"

    def __call__(self, text: str, *, segment_words: bool = True) -> list[str]:
        if self.mode == "whole":
            tokens = self.real(text, segment_words=segment_words)
            self.kept[text] = tokens
            return tokens
        return self.by_lines(text, segment_words)

    def by_lines(self, text: str, segment_words: bool = True) -> list[str]:
        out: list[str] = []
        for line in text.split("\n"):
            tokens = self.lines.get(line)
            if tokens is None:
                tokens = self.lines[line] = self.real(line, segment_words=segment_words)
            out.extend(tokens)
        return out

    def of(self, text: str) -> list[str]:
        return self.kept.get(text) or self.by_lines(text)


def speed(
    kb_passages: list,
    items: list[Item],
    ward_id: int,
    contact: str,
    sizes: list[int],
    n_queries: int,
) -> list[dict]:
    import bm25s

    from loa.assistant import answering
    from loa.assistant.retrieval import Retriever
    from loa.assistant.retrieval import retriever as retriever_module
    from loa.assistant.retrieval.tokens import query_tokens

    sentences, titles, origin = law_sentences()
    questions = [(i.question, i.prev) for i in (items or [])] or [
        (p.text, []) for p in kb_passages if p.kind == "faq"
    ][:50]
    cycle = [questions[j % len(questions)] for j in range(n_queries)]
    queries = [answering.retrieval_query(q, prev) for q, prev in cycle]
    print(
        f"{len(cycle)} questions per size ({len(questions)} distinct eval questions, cycled); "
        f"passages = the knowledge base ({len(kb_passages)}) + synthetic ones from {origin} "
        f"({len(sentences):,} sentences, 3-6 per passage)."
    )
    print(
        "build = upsert (tokenise) + the first search (BM25 matrix); 'whole' = production "
        "tokenising, 'lines' = per-line memoised tokens (see the module docstring)."
    )
    tokens = Tokens()
    retriever_module.document_tokens = tokens
    rows = []
    whole_rate = (
        None  # seconds per passage of real tokenising, from the largest whole build
    )
    try:
        for size in sizes:
            gc.collect()
            mode = "whole" if size <= 10_000 else "lines"
            tokens.mode = mode
            tokens.kept.clear()
            passages = kb_passages + synthesise(
                max(0, size - len(kb_passages)), sentences, titles, seed=size
            )
            retriever = Retriever()
            if mode == "lines":  # tokenise the sentence pool up front, timed apart
                t0 = time.perf_counter()
                for p in passages:
                    tokens.by_lines(p.indexed_text)
                pool_s = time.perf_counter() - t0
            else:
                pool_s = 0.0
            gc.collect()
            rss_before = rss_mb()  # passages exist; the index is what grows from here
            t0 = time.perf_counter()
            retriever.upsert(passages)
            upsert_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            retriever.search("khởi động", k=1)
            matrix_s = time.perf_counter() - t0
            if mode == "whole" and size >= 1000:
                whole_rate = upsert_s / len(passages)
            # Warm-up, then the timed runs.
            for q, prev in cycle[:10]:
                answering.answer_question(
                    q, retriever, previous=prev, contact=contact, ward_id=ward_id
                )
            answer_ms, search_ms = [], []
            for (q, prev), query in zip(cycle, queries, strict=True):
                t0 = time.perf_counter()
                answering.answer_question(
                    q, retriever, previous=prev, contact=contact, ward_id=ward_id
                )
                answer_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                retriever.search(query, k=12)
                search_ms.append((time.perf_counter() - t0) * 1000)
            rss_after = rss_mb()
            peak = peak_rss_mb()
            # The floor: bare bm25s over the very same document and query token lists.
            doc_tokens = [tokens.of(p.indexed_text) for p in passages]
            tokens.kept.clear()
            t0 = time.perf_counter()
            model = bm25s.BM25(k1=1.2, b=0.75)
            model.index(doc_tokens, show_progress=False)
            floor_build_s = time.perf_counter() - t0
            del doc_tokens
            q_tokens = [query_tokens(q) for q in queries]
            k = 10
            model.retrieve([q_tokens[0]], k=k, show_progress=False)
            floor_ms = []
            for qt in q_tokens:
                t0 = time.perf_counter()
                model.retrieve([qt], k=k, show_progress=False, n_threads=0)
                floor_ms.append((time.perf_counter() - t0) * 1000)
            row = {
                "size": len(passages),
                "mode": mode,
                "pool_s": pool_s,
                "upsert_s": upsert_s,
                "matrix_s": matrix_s,
                "build_s": upsert_s + matrix_s,
                "answer_p50": statistics.median(answer_ms),
                "answer_p95": float(np.percentile(answer_ms, 95)),
                "search_p50": statistics.median(search_ms),
                "search_p95": float(np.percentile(search_ms, 95)),
                "floor_p50": statistics.median(floor_ms),
                "floor_p95": float(np.percentile(floor_ms, 95)),
                "floor_build_s": floor_build_s,
                "rss_delta_mb": rss_after - rss_before,
                "rss_mb": rss_after,
                "peak_rss_mb": peak,
                "extrapolated_s": (
                    whole_rate * len(passages) + matrix_s
                    if mode == "lines" and whole_rate
                    else None
                ),
            }
            rows.append(row)
            print(
                f"  {row['size']:>7,} passages: build {row['build_s']:.1f} s ({mode}), "
                f"answer p50/p95 {row['answer_p50']:.2f}/{row['answer_p95']:.2f} ms, "
                f"floor {row['floor_p50']:.2f}/{row['floor_p95']:.2f} ms",
                flush=True,
            )
            del retriever, model, passages
            gc.collect()
    finally:
        retriever_module.document_tokens = tokens.real
    print()
    print(
        table(
            [
                "passages",
                "build",
                "tokenise s",
                "matrix s",
                "answer p50 ms",
                "answer p95 ms",
                "search p50 ms",
                "search p95 ms",
                "bm25s floor p50",
                "floor p95",
                "floor index s",
                "RSS +MB",
            ],
            [
                [
                    f"{r['size']:,}",
                    r["mode"],
                    f"{r['upsert_s'] + r['pool_s']:.1f}",
                    f"{r['matrix_s']:.2f}",
                    ms(r["answer_p50"]),
                    ms(r["answer_p95"]),
                    ms(r["search_p50"]),
                    ms(r["search_p95"]),
                    ms(r["floor_p50"]),
                    ms(r["floor_p95"]),
                    f"{r['floor_build_s']:.1f}",
                    f"{r['rss_delta_mb']:.0f}",
                ]
                for r in rows
            ],
            right=set(range(0, 12)) - {1},
        )
    )
    for r in rows:
        if r["mode"] == "lines":
            extra = (
                f"; tokenising the whole passages as production does would take ~"
                f"{r['extrapolated_s']:.0f} s (10k rate)"
                if r["extrapolated_s"]
                else ""
            )
            print(
                f"\n{r['size']:,}: line tokens {r['pool_s']:.1f} s + assembling bags {r['upsert_s']:.1f} s"
                f" + matrix {r['matrix_s']:.2f} s{extra}."
            )
    print(
        f"target: answer p95 <= {TARGET_P95_10K_MS:.0f} ms at 10k. RSS +MB = growth while building "
        f"and querying that index (its passages already in memory); process peak RSS so far {peak_rss_mb():.0f} MB (incl. floor indexes)."
    )
    return rows


# -- summary ---------------------------------------------------------------------------


def summary(q: dict | None, s: list[dict], h: dict | None, notes: list[str]) -> None:
    rows = []

    def add(name, value, target="", ok=None):
        rows.append(
            [name, value, target, "" if ok is None else ("ok" if ok else "MISS")]
        )

    if q:
        o = q["overall"]
        add(
            "answer accuracy (overall)",
            pct(o["accuracy"]),
            ">= 90%",
            o["accuracy"] >= TARGET_ACCURACY,
        )
        add(
            "recall@5 (overall)",
            dec(o["recall5"]),
            ">= 0.95",
            None if o["recall5"] is None else o["recall5"] >= TARGET_RECALL,
        )
        add("recall@5, plain BM25 baseline", dec(o["base_recall5"]), "(baseline)")
        oos = q["per"].get("out_of_scope")
        if oos:
            add(
                "out-of-scope declined",
                pct(oos["declined"]),
                ">= 90%",
                oos["declined"] >= TARGET_OOS_DECLINED,
            )
        hostile = q["per"].get("hostile")
        if hostile:
            add("hostile declined (refused)", pct(hostile["declined"]), "(no target)")
        g = q["gap"]
        if g.get("pairs"):
            add(
                "no-diacritic gap, accuracy",
                f"{g['acc_gap']:+.1f} pts",
                "within 3 pts",
                g["acc_gap"] >= -TARGET_GAP_POINTS,
            )
            if g.get("rec_gap") is not None:
                add(
                    "no-diacritic gap, recall@5",
                    f"{g['rec_gap']:+.1f} pts",
                    "within 3 pts",
                    g["rec_gap"] >= -TARGET_GAP_POINTS,
                )
        for cat, st in q["per"].items():
            if cat not in {"out_of_scope", "hostile"}:
                add(f"  accuracy, {cat}", pct(st["accuracy"]), "")
    for r in s:
        label = f"{r['size']:,} passages"
        is10k = 9_000 <= r["size"] <= 11_000
        add(
            f"answer p50 / p95, {label}",
            f"{r['answer_p50']:.2f} / {r['answer_p95']:.2f} ms",
            "p95 <= 50 ms" if is10k else "",
            (r["answer_p95"] <= TARGET_P95_10K_MS) if is10k else None,
        )
        add(
            f"  bm25s floor p50 / p95, {label}",
            f"{r['floor_p50']:.2f} / {r['floor_p95']:.2f} ms",
            "(floor)",
        )
        add(f"  index build, {label}", f"{r['build_s']:.1f} s ({r['mode']})", "")
    if s:
        big = s[-1]
        add(
            f"memory at {big['size']:,} passages",
            f"+{big['rss_delta_mb']:.0f} MB RSS "
            f"(process peak {big['peak_rss_mb']:.0f} MB)",
            "(report)",
        )
    if h:
        if "error" in h:
            add("HTTP questions/s", "failed: " + h["error"][:60], ">= 100", False)
        else:
            add(
                "HTTP questions/s (16 clients)",
                f"{h['rps']:.1f}",
                ">= 100",
                h["rps"] >= TARGET_RPS,
            )
            add(
                "HTTP latency p50 / p95 / p99",
                f"{h['p50_ms']:.0f} / {h['p95_ms']:.0f} / {h['p99_ms']:.0f} ms",
                "",
            )
            add(
                "HTTP errors (non-2xx + socket)",
                str(h["errors"]),
                "0",
                h["errors"] == 0,
            )
    section("Summary")
    print(table(["figure", "value", "target", ""], rows, right={1}))
    for note in notes:
        print(f"note: {note}")


# -- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k; 8 s of HTTP")
    parser.add_argument("--sizes", default="", help="comma-separated passage counts")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--http-seconds", type=float, default=20)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--eval", type=Path, default=EVAL)
    parser.add_argument(
        "--wait", type=float, default=0, help="seconds to wait for a small eval set"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp data dir")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x] or (
        [1000, 10_000] if args.quick else [1000, 10_000, 100_000]
    )
    http_seconds = 8 if args.quick else args.http_seconds
    started = time.perf_counter()
    notes: list[str] = []
    import bm25s  # noqa: F401 - it sets its logger to DEBUG on import; quieten it after

    logging.getLogger("bm25s").setLevel(logging.WARNING)

    data_dir, ward, setup_s = django_setup()
    try:
        from django.conf import settings

        from loa.assistant.index import get_retriever

        retriever = get_retriever()
        kb_passages = list(retriever)
        contact = settings.LOA_CONTACT
        print(
            f"Loa assistant benchmark — data dir {data_dir}; ward {ward.slug} (id {ward.pk}); "
            f"{len(kb_passages)} passages in the knowledge base; setup {setup_s:.1f} s; "
            "extractive answers (no LLM), lexical retrieval (no embedding model)."
        )
        items = load_eval(args.eval, args.wait)

        q = None
        section("1. Quality on bench/data/assistant/eval.jsonl")
        if items:
            t0 = time.perf_counter()
            q = quality(items, retriever, ward.pk, contact)
            print(f"({len(items)} items in {time.perf_counter() - t0:.1f} s)")
            if len(items) < 150:
                notes.append(
                    f"the eval set has only {len(items)} items (the issue asks for >= 150)"
                )
        else:
            print(f"no evaluation set at {args.eval}; quality skipped")
            notes.append("quality skipped: no eval set")

        s: list[dict] = []
        if not args.no_speed:
            section("2. Speed in process (answer_question, one thread)")
            s = speed(kb_passages, items, ward.pk, contact, sizes, args.queries)

        h = None
        if not args.no_http:
            section("3. HTTP on loopback: POST /api/assistant/ask")
            import bench_http

            try:
                h = bench_http.run(
                    data_dir=data_dir,
                    questions=[i.question for i in items] or None,
                    seconds=http_seconds,
                )
                print(bench_http.report(h))
            except Exception as exc:  # noqa: BLE001 - report and go on to the summary
                h = {"error": f"{type(exc).__name__}: {exc}"}
                print(f"HTTP benchmark failed: {h['error']}")

        summary(q, s, h, notes)
        print(f"\n(total {time.perf_counter() - started:.0f} s)")
    finally:
        if args.keep:
            print(f"data dir kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
