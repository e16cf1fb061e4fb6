"""Time the import of the seed plan: extract, restore diacritics, parse (no database).

Baseline in the same run: the same plan with its diacritics intact (the hand-corrected
copy in bench/data/restore-dev/), which the parser takes without restoration; the ratio
is what the OCR damage costs.
"""

import time
from pathlib import Path

from common import ROOT, timed

from loa.plans.extract import extract_text
from loa.plans.parsing import parse_plan
from loa.vn import restore

SEED = ROOT / "loa" / "data" / "seed" / "ke-hoach-77-KH-UBND-2026.ocr.txt"
GOLD = ROOT / "bench" / "data" / "restore-dev" / "seed.gold.txt"


def import_time(path: Path) -> float:
    data = path.read_bytes()
    return timed(
        lambda: parse_plan(extract_text(data=data, filename=path.name).text), 7
    )[0]


def main() -> None:
    start = time.perf_counter()
    restore("khởi động")  # loads the language model once
    load = time.perf_counter() - start
    seed = import_time(SEED)
    gold = import_time(GOLD)
    restore_only = timed(lambda: restore(SEED.read_text(encoding="utf-8")), 7)[0]
    print(
        f"seed plan: {SEED.stat().st_size} bytes; language model load (once per process): {load * 1000:.0f} ms"
    )
    print(
        f"import of the OCR seed (extract + restore + parse), median of 7: {seed * 1000:.0f} ms"
    )
    print(
        f"baseline, same plan with diacritics (no restoration):          {gold * 1000:.0f} ms"
    )
    print(
        f"ratio OCR/clean: {seed / gold:.1f}x; restoring the whole seed once: {restore_only * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
