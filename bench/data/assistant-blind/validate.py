#!/usr/bin/env python3
# ruff: noqa: UP031 - printf-style tables read best here
"""Validate bench/data/assistant-blind/questions.jsonl (stdlib only).

Usage: python3 bench/data/assistant-blind/validate.py [path/to/questions.jsonl]
Exit status 0 when every check passes; prints the counts tables either way.
"""

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PATH = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "questions.jsonl"

FIELDS = [
    "id",
    "split",
    "kind",
    "qtype",
    "variant",
    "question",
    "previous",
    "expect_any",
    "source",
]
SPLITS = {"dev", "test"}
KINDS = {"answerable", "off_topic", "hostile"}
QTYPES = {
    "ai",
    "khi_nao",
    "o_dau",
    "bao_nhieu",
    "co_khong",
    "lam_the_nao",
    "muc_dich",
    "la_gi",
    "khac",
}
VARIANTS = {"diacritics", "no_diacritics", "teencode", "typo", "follow_up"}
ID_RE = re.compile(r"^b\d{3}n?$")
MIN_TOTAL, MIN_OFF, MIN_HOSTILE, MIN_PER_QTYPE = 320, 85, 25, 12
MAX_EXPECT, MAX_WORDS = 4, 6


def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return " ".join(s.lower().split())


def has_diacritics(s):
    return fold(s) != " ".join(s.lower().split())


def main():
    errors = []

    def err(where, msg):
        errors.append(f"{where}: {msg}")

    rows = []
    for n, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            err("line %d" % n, "blank line")
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            err("line %d" % n, f"invalid JSON ({e})")
            continue
        if not isinstance(r, dict):
            err("line %d" % n, "not a JSON object")
            continue
        where = "line %d (%s)" % (n, r.get("id"))
        if sorted(r) != sorted(FIELDS):
            err(where, f"fields {sorted(r)}, expected {sorted(FIELDS)}")
            continue
        for k in FIELDS:
            v = r[k]
            if k == "expect_any":
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    err(where, "expect_any must be a list of strings")
                    continue
                vals = v
            else:
                if not isinstance(v, str):
                    err(where, f"{k} must be a string")
                    continue
                vals = [v]
            for x in vals:
                if unicodedata.normalize("NFC", x) != x:
                    err(where, f"{k} is not NFC: {x!r}")
        if not ID_RE.match(r["id"]):
            err(where, "bad id {!r}".format(r["id"]))
        for k, allowed in (
            ("split", SPLITS),
            ("kind", KINDS),
            ("qtype", QTYPES),
            ("variant", VARIANTS),
        ):
            if r[k] not in allowed:
                err(where, f"{k}={r[k]!r} not in {sorted(allowed)}")
        if not r["question"].strip():
            err(where, "empty question")
        if not r["source"].strip():
            err(where, "empty source")
        if r["variant"] == "follow_up":
            if not r["previous"].strip():
                err(where, "follow_up without previous")
        elif r["previous"]:
            err(where, "previous set on a non-follow_up row")
        if r["variant"] == "no_diacritics" and has_diacritics(r["question"]):
            err(where, "no_diacritics question contains diacritics")
        ex = r["expect_any"]
        if r["kind"] == "answerable":
            if not 1 <= len(ex) <= MAX_EXPECT:
                err(
                    where,
                    "answerable needs 1..%d expect_any phrases, has %d"
                    % (MAX_EXPECT, len(ex)),
                )
            for x in ex:
                if not x.strip():
                    err(where, "empty expect phrase")
                elif len(x.split()) > MAX_WORDS:
                    err(
                        where, "expect phrase longer than %d words: %r" % (MAX_WORDS, x)
                    )
            if len({fold(x) for x in ex}) != len(ex):
                err(where, "duplicate expect phrases after folding")
        elif ex:
            err(where, "expect_any must be empty for kind={}".format(r["kind"]))
        rows.append(r)

    ids = Counter(r["id"] for r in rows)
    for i, c in ids.items():
        if c > 1:
            err(i, "duplicate id (%d times)" % c)
    by_id = {r["id"]: r for r in rows}

    # pairs: bNNNn is the no-diacritics twin of bNNN
    npairs = 0
    for r in rows:
        if not r["id"].endswith("n"):
            continue
        npairs += 1
        b = by_id.get(r["id"][:-1])
        if b is None:
            err(r["id"], "pair copy without base {}".format(r["id"][:-1]))
            continue
        if b["split"] != r["split"]:
            err(
                r["id"],
                "pair split differs from base ({} vs {})".format(
                    r["split"], b["split"]
                ),
            )
        for k in ("kind", "qtype"):
            if b[k] != r[k]:
                err(r["id"], f"pair {k} differs from base")
        if r["variant"] != "no_diacritics" or b["variant"] != "diacritics":
            err(r["id"], "pair must be diacritics (base) + no_diacritics (copy)")
        if fold(b["question"]) != fold(r["question"]):
            err(r["id"], "pair questions differ beyond diacritics/case")
        if [fold(x) for x in b["expect_any"]] != [fold(x) for x in r["expect_any"]]:
            err(r["id"], "pair expect_any differs from base")

    # counts
    total = len(rows)
    kinds = Counter(r["kind"] for r in rows)
    ans_q = Counter(r["qtype"] for r in rows if r["kind"] == "answerable")
    if total < MIN_TOTAL:
        err("counts", "total %d < %d" % (total, MIN_TOTAL))
    if kinds["off_topic"] < MIN_OFF:
        err("counts", "off_topic %d < %d" % (kinds["off_topic"], MIN_OFF))
    if kinds["hostile"] < MIN_HOSTILE:
        err("counts", "hostile %d < %d" % (kinds["hostile"], MIN_HOSTILE))
    for q in sorted(QTYPES - {"khac"}):
        if ans_q[q] < MIN_PER_QTYPE:
            err("counts", "answerable qtype %s: %d < %d" % (q, ans_q[q], MIN_PER_QTYPE))
    # both halves cover every kind, every answerable qtype and every variant
    for split in sorted(SPLITS):
        part = [r for r in rows if r["split"] == split]
        for k in KINDS - {r["kind"] for r in part}:
            err("split", f"{split} has no {k} rows")
        for q in QTYPES - {r["qtype"] for r in part if r["kind"] == "answerable"}:
            err("split", f"{split} has no answerable {q} rows")
        for v in VARIANTS - {r["variant"] for r in part}:
            err("split", f"{split} has no {v} rows")

    # report
    def table(title, key, cols):
        c = Counter((key(r), r["split"]) for r in rows)
        names = sorted({key(r) for r in rows})
        print(f"\n{title}")
        print("  %-14s %5s %5s %5s" % ("", "dev", "test", "all"))
        for nm in names:
            print(
                "  %-14s %5d %5d %5d"
                % (
                    nm,
                    c[(nm, "dev")],
                    c[(nm, "test")],
                    c[(nm, "dev")] + c[(nm, "test")],
                )
            )
        d = sum(1 for r in rows if r["split"] == "dev")
        print("  %-14s %5d %5d %5d" % ("total", d, total - d, total))

    print("%s: %d rows, %d diacritics/no-diacritics pairs" % (PATH, total, npairs))
    table("kind x split", lambda r: r["kind"], None)
    c = Counter((r["qtype"], r["kind"]) for r in rows)
    print("\nqtype x kind")
    print("  %-12s %10s %9s %7s" % ("", "answerable", "off_topic", "hostile"))
    for q in sorted(QTYPES):
        print(
            "  %-12s %10d %9d %7d"
            % (q, c[(q, "answerable")], c[(q, "off_topic")], c[(q, "hostile")])
        )
    c = Counter((r["variant"], r["kind"]) for r in rows)
    print("\nvariant x kind")
    print(
        "  %-14s %10s %9s %7s %6s" % ("", "answerable", "off_topic", "hostile", "share")
    )
    for v in sorted(VARIANTS):
        n = sum(c[(v, k)] for k in KINDS)
        print(
            "  %-14s %10d %9d %7d %5.0f%%"
            % (
                v,
                c[(v, "answerable")],
                c[(v, "off_topic")],
                c[(v, "hostile")],
                100.0 * n / max(total, 1),
            )
        )

    if errors:
        print("\nFAILED: %d problem(s)" % len(errors))
        for e in errors[:200]:
            print("  " + e)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
