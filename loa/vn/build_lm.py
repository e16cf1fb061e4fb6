"""Build the shipped syllable language model: ``python -m loa.vn.build_lm``.

Sources, all available offline:
- the project's own corpus of administrative prose (``loa/vn/data/corpus/*.txt``),
  counted several times because it is the register restore() works on;
- the running text of the VLSP 2013 test set that underthesea ships with its
  POS tagger, for general Vietnamese;
- underthesea's Viet74K word list (one word per line: in-word syllable bigrams);
- the administrative unit names in underthesea's address data (the trigrams of
  the current wards and communes are kept even when seen once).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from loa.vn.lm import BOS, LM_PATH, NUM, UNK, lm_tokens
from loa.vn.syllable import is_syllable
from loa.vn.text import nfc

CORPUS_DIR = Path(__file__).parent / "data" / "corpus"
CORPUS_WEIGHT = 3


def _underthesea_dir() -> Path:
    import underthesea

    return Path(underthesea.__file__).parent


def corpus_texts(generated: bool | None = None) -> Iterator[str]:
    """Yield corpus files; generated ones (named 9*.txt) only or never when asked."""
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        if generated is not None and path.name.startswith("9") != generated:
            continue
        yield path.read_text(encoding="utf-8")


def vlsp_texts(base: Path) -> Iterator[str]:
    path = base / "pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt"
    if not path.exists():
        return
    sentence: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if sentence:
                yield " ".join(sentence)
                sentence = []
            continue
        sentence.append(line.split("\t")[0])
    if sentence:
        yield " ".join(sentence)


def word_list(base: Path) -> Iterator[str]:
    path = base / "corpus/data/Viet74K.txt"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().replace("-", " ")
            if line:
                yield line


def place_names(base: Path) -> Iterator[str]:
    path = base / "address/data/mapping.json"
    if not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    seen: set[str] = set()
    for info in list(data["province_names"].values()) + list(
        data["old_province_names"].values()
    ):
        seen.add(info["name"])
    for row in data["ward_mapping"]:
        for key in ("old_province", "old_district", "old_ward", "new_ward"):
            if row.get(key):
                seen.add(row[key])
    yield from sorted(seen)


def current_unit_names(base: Path) -> set[str]:
    """Names of the wards, communes and special zones since the 2025 reorganisation."""
    path = base / "address/data/mapping.json"
    if not path.exists():
        return set()
    data = json.loads(path.read_text(encoding="utf-8"))
    return {row["new_ward"] for row in data["ward_mapping"] if row.get("new_ward")}


def trigrams_of(texts: Iterable[str]) -> set[tuple[str, str, str]]:
    """Trigrams of syllables inside the texts (none across a sentence edge)."""
    found: set[tuple[str, str, str]] = set()
    for text in texts:
        tokens = list(lm_tokens(text))
        for i in range(2, len(tokens)):
            if BOS not in tokens[i - 2 : i + 1]:
                found.add((tokens[i - 2], tokens[i - 1], tokens[i]))
    return found


def count(
    texts: Iterable[str], weight: int, uni: Counter, bi: Counter, tri: Counter
) -> None:
    for text in texts:
        tokens = list(lm_tokens(text))
        for i, tok in enumerate(tokens):
            uni[tok] += weight
            if i >= 1:
                bi[(tokens[i - 1], tok)] += weight
            if i >= 2 and tokens[i - 1] != BOS:
                tri[(tokens[i - 2], tokens[i - 1], tok)] += weight


def build(output: Path) -> dict[str, int]:
    base = _underthesea_dir()
    uni: Counter = Counter()
    bi: Counter = Counter()
    tri: Counter = Counter()
    count(corpus_texts(generated=False), CORPUS_WEIGHT, uni, bi, tri)
    count(corpus_texts(generated=True), 1, uni, bi, tri)
    count(vlsp_texts(base), 1, uni, bi, tri)
    count(word_list(base), 1, uni, bi, tri)
    count(place_names(base), 1, uni, bi, tri)

    for special in (BOS, NUM, UNK):
        uni[special] += 1
    vocab = sorted(uni)
    index = {w: i for i, w in enumerate(vocab)}
    bigrams: list[int] = []
    for (a, b), c in sorted(bi.items()):
        bigrams += [index[a], index[b], c]
    # The current units are the names ward documents use: keep "phường Hải Dương"
    # even though the place list shows it once.
    keep = trigrams_of(current_unit_names(base))
    trigrams: list[int] = []
    for (a, b, c), n in sorted(tri.items()):
        # Single sightings outside the project corpus add size more than sense.
        if n >= 2 or (a, b, c) in keep:
            trigrams += [index[a], index[b], index[c], n]
    lexicon = sorted(
        w for w in vocab if re.fullmatch(r"[^\W\d_]+", w) and is_syllable(w)
    )
    data = {
        "vocab": vocab,
        "unigrams": [uni[w] for w in vocab],
        "bigrams": bigrams,
        "trigrams": trigrams,
        "lexicon": lexicon,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(output, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
    return {
        "vocab": len(vocab),
        "bigrams": len(bigrams) // 3,
        "trigrams": len(trigrams) // 4,
        "lexicon": len(lexicon),
        "corpus_words": sum(len(nfc(t).split()) for t in corpus_texts()),
    }


def main(argv: list[str] | None = None) -> None:
    """Build the language model file shipped with the package."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=LM_PATH)
    args = parser.parse_args(argv)
    stats = build(args.output)
    sys.stdout.write(f"{args.output}: {json.dumps(stats)}\n")


if __name__ == "__main__":
    main()
