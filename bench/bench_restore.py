"""Benchmark loa.vn.restore() on held-out text: ``python bench/bench_restore.py``.

Sets (gold text with diacritics, damaged at bench time, never used for training):
- official: the documents in bench/data/restore/*.txt;
- law: a sample of articles from the ALQAC 2023 law corpus (read from
  /work/shared/bench-data, never copied into the repository);
each in three forms: "ocr" (a noise model imitating the OCR of a scanned ward plan:
most marks stripped, some wrong partial marks, digit/letter confusions, "/" read
as " I") and "plain" (all diacritics removed), and "clean" (the gold text itself, which must
come back unchanged).

Syllable accuracy compares output and gold syllable by syllable after aligning
them (case-insensitive, NFC); the baseline is the damaged text itself.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import time
import unicodedata

from common import ROOT

from loa.vn import fold, nfc, restore

OFFICIAL_DIR = ROOT / "bench" / "data" / "restore"
LAW_PATH = ROOT.parent / "shared" / "bench-data" / "alqac" / "law_2023.json"
SEED_PATH = ROOT / "loa" / "data" / "seed" / "ke-hoach-77-KH-UBND-2026.ocr.txt"
SEED_GOLD = ROOT / "bench" / "data" / "restore-dev" / "seed.gold.txt"
_WORD = re.compile(r"\w+")

# What OCR made of letters in the seed scan, with rough frequencies.
_E_HAT = {"é": 0.55, "e": 0.3, "€": 0.03, "&": 0.02}
_O_HAT = {"o": 0.6, "6": 0.2, "d": 0.05, "b": 0.05, "ô": 0.05, "0": 0.03, "é": 0.02}
_O_HORN = {"o": 0.75, "6": 0.1, "d": 0.05, "é": 0.05, "g": 0.02}
_U_HORN = {"u": 0.7, "w": 0.15, "i": 0.05, "ir": 0.05, "y": 0.03}
_A_MARK = {"a": 0.8, "d": 0.06, "i": 0.06, "4": 0.03}
_MARKED_OTHER = {"plain": 0.85, "keep": 0.1, "acute": 0.05}


def _pick(rng: random.Random, table: dict[str, float]) -> str:
    roll = rng.random() * sum(table.values())
    for value, weight in table.items():
        roll -= weight
        if roll <= 0:
            return value
    return next(iter(table))


def _strip(ch: str) -> str:
    return fold(ch)


def _damage_char(ch: str, rng: random.Random, first: bool) -> str:
    lower = ch.lower()
    upper = ch != lower
    base = unicodedata.normalize("NFD", lower)
    marks = base[1:]
    letter = base[0]
    out: str
    if lower == "đ":
        if upper:
            out = _pick(rng, {"D": 0.5, "P": 0.3, "B": 0.2})
            return out
        out = "d"
    elif letter == "e" and "\u0302" in marks:
        out = _pick(rng, _E_HAT)
    elif letter == "o" and "\u0302" in marks:
        out = _pick(rng, _O_HAT)
    elif letter == "o" and "\u031b" in marks:
        out = _pick(rng, _O_HORN)
    elif letter == "u" and "\u031b" in marks:
        out = _pick(rng, _U_HORN)
    elif letter == "a" and marks:
        out = _pick(rng, _A_MARK)
    elif marks:
        choice = _pick(rng, _MARKED_OTHER)
        if choice == "keep":
            out = lower
        elif choice == "acute":
            out = nfc(letter + "\u0301")
        else:
            out = letter
    elif lower == "l" and first and rng.random() < 0.12:
        out = "1"
    else:
        out = lower
    return out.upper() if upper and out.isalpha() else out


def damage_ocr(text: str, seed: int = 7) -> str:
    """Imitate the OCR damage of a scanned Vietnamese document."""
    rng = random.Random(seed)  # noqa: S311 - reproducible noise, not security
    text = nfc(text)
    # Slashes in document numbers read as " I".
    text = re.sub(
        r"(\d)/(?=[A-ZĐ]{2})",
        lambda m: m.group(1) + (" I" if rng.random() < 0.5 else "/"),
        text,
    )
    out: list[str] = []
    for match in re.finditer(r"\w+|\W+", text):
        piece = match.group()
        if not piece[0].isalnum() or piece.isdigit():
            out.append(piece)
            continue
        if piece.isupper() and len(piece) > 1 and fold(piece) == piece:
            out.append(piece)  # abbreviations survive OCR
            continue
        if rng.random() < 0.12:
            out.append(piece)  # some syllables come through intact
            continue
        out.append("".join(_damage_char(ch, rng, i == 0) for i, ch in enumerate(piece)))
    return "".join(out)


def damage_plain(text: str) -> str:
    return fold(nfc(text))


def _syllables(text: str) -> list[str]:
    return _WORD.findall(nfc(text).lower())


def syllable_accuracy(output: str, gold: str) -> tuple[int, int]:
    """Return (correct, total) gold syllables after aligning output to gold."""
    out, ref = _syllables(output), _syllables(gold)
    matcher = difflib.SequenceMatcher(
        a=[fold(s) for s in ref], b=[fold(s) for s in out], autojunk=False
    )
    correct = 0
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            if ref[block.a + k] == out[block.b + k]:
                correct += 1
    return correct, len(ref)


def official_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(OFFICIAL_DIR.glob("*.txt"))]


def law_texts(limit: int, seed: int = 2023) -> list[str]:
    if not LAW_PATH.exists():
        return []
    laws = json.loads(LAW_PATH.read_text(encoding="utf-8"))
    articles = [
        a["text"] for law in laws for a in law["articles"] if len(a["text"]) > 200
    ]
    rng = random.Random(seed)  # noqa: S311 - reproducible noise, not security
    return rng.sample(articles, min(limit, len(articles)))


def run_set(
    name: str, golds: list[str], damage, damaged: list[str] | None = None
) -> dict[str, float]:
    damaged = damaged if damaged is not None else [damage(g) for g in golds]
    started = time.perf_counter()
    restored = [restore(d) for d in damaged]
    elapsed = time.perf_counter() - started
    base_ok = ok = total = 0
    for gold, dam, res in zip(golds, damaged, restored, strict=True):
        c, t = syllable_accuracy(res, gold)
        b, _ = syllable_accuracy(dam, gold)
        ok, base_ok, total = ok + c, base_ok + b, total + t
    acc, base = ok / max(total, 1), base_ok / max(total, 1)
    row = {
        "set": name,
        "syllables": total,
        "accuracy": acc,
        "baseline": base,
        "error_reduction": (acc - base) / (1 - base) if base < 1 else 0.0,
        "syllables_per_s": total / max(elapsed, 1e-9),
    }
    sys.stdout.write(
        f"{name:16s} syllables={total:6d}  restore={acc:7.2%}  baseline={base:7.2%}  "
        f"ratio={acc / max(base, 1e-9):5.2f}x  errors removed={row['error_reduction']:6.1%}  "
        f"{row['syllables_per_s']:8.0f} syl/s\n"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark diacritic restoration.")
    parser.add_argument("--law-articles", type=int, default=60)
    parser.add_argument(
        "--show", type=int, default=0, help="print N wrong syllables per set"
    )
    args = parser.parse_args()
    restore("khởi động")  # load the model outside the timings
    official = official_texts()
    law = law_texts(args.law_articles)
    rows = [
        run_set("official/ocr", official, damage_ocr),
        run_set("official/plain", official, damage_plain),
        run_set("official/clean", official, nfc),
    ]
    if law:
        rows += [
            run_set("law/ocr", law, damage_ocr),
            run_set("law/plain", law, damage_plain),
            run_set("law/clean", law, nfc),
        ]
    else:
        sys.stdout.write(f"law set skipped: {LAW_PATH} not found\n")
    if SEED_GOLD.exists():
        # Real OCR damage: the seed scan against its hand-corrected copy (a dev set:
        # the seed is the example the product was built from, not held out).
        rows.append(
            run_set(
                "seed/real-ocr",
                [SEED_GOLD.read_text(encoding="utf-8")],
                None,
                damaged=[SEED_PATH.read_text(encoding="utf-8")],
            )
        )
    if args.show:
        pairs = [(g, damage_ocr(g)) for g in official[:1]]
        if SEED_GOLD.exists():
            pairs.append(
                (
                    SEED_GOLD.read_text(encoding="utf-8"),
                    SEED_PATH.read_text(encoding="utf-8"),
                )
            )
        for gold, damaged_text in pairs:
            out = restore(damaged_text)
            ref, got = _syllables(gold), _syllables(out)
            matcher = difflib.SequenceMatcher(
                a=[fold(s) for s in ref], b=[fold(s) for s in got], autojunk=False
            )
            wrong = []
            for block in matcher.get_matching_blocks():
                wrong += [
                    (ref[block.a + k], got[block.b + k])
                    for k in range(block.size)
                    if ref[block.a + k] != got[block.b + k]
                ]
            sys.stdout.write(
                " ".join(f"{g}->{o}" for g, o in wrong[: args.show]) + "\n"
            )


if __name__ == "__main__":
    main()
