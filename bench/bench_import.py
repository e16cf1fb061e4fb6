"""Time the import of the seed plan: extract, restore diacritics, parse (no database).

Reports the share of the import spent restoring diacritics, measured in the same run.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loa.plans.extract import extract_text  # noqa: E402
from loa.plans.parsing import parse_plan  # noqa: E402
from loa.vn import restore  # noqa: E402

SEED = ROOT / "loa" / "data" / "seed" / "ke-hoach-77-KH-UBND-2026.ocr.txt"


def timed(fn, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    data = SEED.read_bytes()
    start = time.perf_counter()
    restore("khởi động")  # loads the language model once
    load = time.perf_counter() - start
    text = extract_text(data=data, filename=SEED.name).text
    full = timed(lambda: parse_plan(extract_text(data=data, filename=SEED.name).text))
    restore_only = timed(lambda: restore(text))
    print(f"seed plan: {len(data)} bytes, {len(text.split())} tokens")
    print(f"model load (once per process): {load * 1000:.0f} ms")
    print(f"import (extract + restore + parse), median of 5: {full * 1000:.0f} ms")
    print(f"  of which restore: {restore_only * 1000:.0f} ms ({restore_only / full:.0%})")


if __name__ == "__main__":
    main()
