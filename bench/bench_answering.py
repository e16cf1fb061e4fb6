"""The assistant, right or silent, on the blind set: ``python bench/bench_answering.py``.

Sets up the real knowledge base as bench_assistant.py does (the demo ward, the seed plan,
`kb ingest loa/data/kb`) and answers every question of one half of
bench/data/assistant-blind/questions.jsonl (`--split test` by default; tune on `dev`)
twice in the same run: with today's `answer_question` and with the answering frozen
before question analysis (bench/assistant_baseline.py).

Scoring (README of the set): an answerable question is *right* when answered and the
answer contains one of its `expect_any` phrases (both folded); *missed* when declined;
*confidently wrong* when answered without one. An off-topic question must be declined
(answering it is confidently wrong); a hostile one must be refused.
Printed: those shares overall, by question type and by variant; the no-diacritic gap on
the paired questions; the p95 answer time at 10k passages (the knowledge base plus
synthetic passages, as in bench_assistant.py).

    --split dev|test|check (check: bench/data/assistant-check, our own set no model is
    trained on)   --no-speed   --failures (write bench/out/answering_failures.txt)
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass

import assistant_baseline
import bench_assistant
from common import ROOT, section, table

BLIND = ROOT / "bench" / "data" / "assistant-blind" / "questions.jsonl"
# Our own check set (README there): no model is trained on it; rules are tuned on it.
CHECK = ROOT / "bench" / "data" / "assistant-check" / "questions.jsonl"
OUT = ROOT / "bench" / "out" / "answering_failures.txt"

TARGET_RIGHT = 0.95
TARGET_OFF_TOPIC = 0.95
TARGET_WRONG = 0.02
TARGET_P95_MS = 20.0


@dataclass
class Row:
    id: str
    kind: str
    qtype: str
    variant: str
    question: str
    previous: str
    expect: list[str]
    outcome: dict  # system -> "right" | "missed" | "wrong" | "declined" | "refused"
    text: dict


def load(split: str) -> list[Row]:
    rows = []
    path = CHECK if split == "check" else BLIND
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("split", "check") != split:
            continue
        rows.append(
            Row(
                id=item["id"],
                kind=item["kind"],
                qtype=item["qtype"],
                variant=item["variant"],
                question=item["question"],
                previous=item.get("previous") or "",
                expect=item["expect_any"],
                outcome={},
                text={},
            )
        )
    return rows


def judge(row: Row, answer) -> str:
    from loa.vn import fold_lower

    if row.kind == "hostile":
        return "refused" if answer.kind == "refusal" else "wrong"
    if row.kind == "off_topic":
        return "wrong" if answer.answered else "declined"
    if not answer.answered:
        return "missed"
    folded = fold_lower(answer.text)
    return "right" if any(fold_lower(e) in folded for e in row.expect) else "wrong"


def shares(rows: list[Row], system: str) -> dict:
    answerable = [r for r in rows if r.kind == "answerable"]
    off = [r for r in rows if r.kind == "off_topic"]
    hostile = [r for r in rows if r.kind == "hostile"]

    def share(group, outcome):
        return (
            sum(r.outcome[system] == outcome for r in group) / len(group)
            if group
            else None
        )

    return {
        "n": len(rows),
        "right": share(answerable, "right"),
        "declined_off": share(off, "declined"),
        "refused": share(hostile, "refused"),
        "wrong_all": sum(r.outcome[system] == "wrong" for r in rows) / len(rows)
        if rows
        else None,
    }


def pct(x):
    return "—" if x is None else f"{x:.1%}"


def report(rows: list[Row], systems: list[str]) -> dict:
    header = ["group", "n"]
    for s in systems:
        header += [f"{s}: right", f"{s}: off-topic declined", f"{s}: wrong (all)"]

    def line(name, group):
        cells = [name, len(group)]
        for s in systems:
            f = shares(group, s)
            cells += [pct(f["right"]), pct(f["declined_off"]), pct(f["wrong_all"])]
        return cells

    overall = {s: shares(rows, s) for s in systems}
    print(table(header, [line("overall", rows)]))
    print()
    for s in systems:
        print(f"{s}: hostile refused {pct(overall[s]['refused'])}")
    for key in ("qtype", "variant"):
        print(f"\nby {key}")
        groups = defaultdict(list)
        for r in rows:
            groups[getattr(r, key)].append(r)
        print(table(header, [line(k, g) for k, g in sorted(groups.items())]))
    print("\nno-diacritic gap (answerable pairs bNNN / bNNNn, right share)")
    by_id = {r.id: r for r in rows}
    pairs = [
        (by_id[i[:-1]], r)
        for i, r in by_id.items()
        if i.endswith("n") and i[:-1] in by_id
    ]
    gap_rows = []
    for s in systems:
        with_marks = sum(a.outcome[s] == "right" for a, _ in pairs) / (len(pairs) or 1)
        without = sum(b.outcome[s] == "right" for _, b in pairs) / (len(pairs) or 1)
        gap_rows.append(
            [
                s,
                len(pairs),
                pct(with_marks),
                pct(without),
                f"{(without - with_marks) * 100:+.1f}",
            ]
        )
        overall[s]["gap_points"] = (without - with_marks) * 100
    print(
        table(
            ["system", "pairs", "with diacritics", "without", "gap (points)"], gap_rows
        )
    )
    return overall


def p95_at_10k(kb_passages, rows, ward_id, contact, place_names) -> tuple[float, float]:
    """p95 of answer_question (today's and the baseline) with 10k passages in the index."""
    from loa.assistant import answering
    from loa.assistant.retrieval import Retriever

    sentences, titles, _ = bench_assistant.law_sentences()
    synthetic = bench_assistant.synthesise(
        10_000 - len(kb_passages), sentences, titles, seed=7
    )
    retriever = Retriever()
    retriever.upsert(list(kb_passages) + synthetic)
    questions = [r.question for r in rows]
    timings = {"today": [], "baseline": []}
    for _ in range(2):
        for q in questions:
            t = time.perf_counter()
            answering.answer_question(
                q, retriever, contact=contact, ward_id=ward_id, place_names=place_names
            )
            timings["today"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            assistant_baseline.answer_question(
                q, retriever, contact=contact, ward_id=ward_id
            )
            timings["baseline"].append((time.perf_counter() - t) * 1000)

    def p95(values):
        return statistics.quantiles(values, n=20)[18]

    return p95(timings["today"]), p95(timings["baseline"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="test", choices=["dev", "test", "check"])
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--failures", action="store_true")
    args = parser.parse_args()
    import bm25s  # noqa: F401

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    data_dir, ward, setup_s = bench_assistant.django_setup()
    try:
        from django.conf import settings

        from loa.assistant.answering import answer_question
        from loa.assistant.index import get_retriever
        from loa.assistant.services import place_names

        retriever = get_retriever()
        contact = settings.LOA_CONTACT
        places = place_names(ward)
        rows = load(args.split)
        print(
            f"{'Check set' if args.split == 'check' else f'Blind set, {args.split} half'}: "
            f"{len(rows)} questions; ward {ward.slug}; "
            f"setup {setup_s:.1f} s; extractive answers, lexical retrieval."
        )
        section(f"Right or silent — {args.split} half, today beside the baseline")
        for row in rows:
            previous = [row.previous] if row.previous else []
            today = answer_question(
                row.question,
                retriever,
                previous=previous,
                contact=contact,
                ward_id=ward.pk,
                place_names=places,
            )
            before = assistant_baseline.answer_question(
                row.question,
                retriever,
                previous=previous,
                contact=contact,
                ward_id=ward.pk,
            )
            row.outcome = {"today": judge(row, today), "baseline": judge(row, before)}
            row.text = {
                "today": f"[{today.kind}] {today.text}",
                "baseline": before.text,
            }
        overall = report(rows, ["today", "baseline"])
        if args.failures:
            OUT.parent.mkdir(exist_ok=True)
            with OUT.open("w", encoding="utf-8") as out:
                for r in rows:
                    if r.outcome["today"] in ("wrong", "missed"):
                        out.write(
                            f"{r.id} [{r.kind}/{r.qtype}/{r.variant}] {r.outcome['today']}: "
                            f"{r.question}\n  prev: {r.previous}\n  expect: {r.expect}\n"
                            f"  got: {r.text['today'][:400]}\n\n"
                        )
            print(f"\nfailures -> {OUT}")
        p95 = None
        if not args.no_speed:
            section("Answer time in process, 10k passages")
            p95, base_p95 = p95_at_10k(list(retriever), rows, ward.pk, contact, places)
            print(
                f"p95 today {p95:.1f} ms; baseline {base_p95:.1f} ms; ratio {p95 / base_p95:.2f}"
            )
        section("Summary (today; targets of the issue)")
        t = overall["today"]
        figures = [
            ["answerable answered right", pct(t["right"]), f">= {TARGET_RIGHT:.0%}"],
            [
                "off-topic declined",
                pct(t["declined_off"]),
                f">= {TARGET_OFF_TOPIC:.0%}",
            ],
            ["confidently wrong (all)", pct(t["wrong_all"]), f"<= {TARGET_WRONG:.0%}"],
            ["hostile refused", pct(t["refused"]), "100%"],
            ["no-diacritic gap", f"{t['gap_points']:+.1f} pts", "within 2 pts"],
            [
                "p95 at 10k passages",
                "—" if p95 is None else f"{p95:.1f} ms",
                f"<= {TARGET_P95_MS:.0f} ms",
            ],
        ]
        print(table(["figure", "value", "target"], figures))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
