"""Syllable trigram language model (interpolated Kneser-Ney) used by restore()."""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from loa.vn.syllable import tone_new_style
from loa.vn.text import nfc

LM_PATH = Path(__file__).parent / "data" / "lm.json.gz"

BOS = "<s>"
NUM = "<num>"
UNK = "<unk>"
DISCOUNT = 0.75

# Gaps between words are reduced to the few punctuation marks that carry context.
_PIECE_RE = re.compile(r"[^\W_]+|[.;!?]+|[,:()\-/]")


def lm_tokens(text: str, *, lines_are_sentences: bool = True) -> Iterator[str]:
    """Yield the LM token stream of a text: lowercase syllables, punctuation, <s>.

    Numbers become <num>; sentence ends (and, for training text, line ends) become
    <s>, which also starts the next sentence.
    """
    yield BOS
    chunks = (
        nfc(text).lower().split("\n") if lines_are_sentences else [nfc(text).lower()]
    )
    for chunk in chunks:
        for piece in _PIECE_RE.findall(chunk):
            if piece[0] in ".;!?":
                yield BOS
            elif piece.isdigit():
                yield NUM
            elif any(ch.isdigit() for ch in piece):
                yield UNK
            else:
                yield tone_new_style(piece)
        if lines_are_sentences:
            yield BOS


class LanguageModel:
    """Interpolated Kneser-Ney trigram model over syllable ids."""

    def __init__(
        self,
        vocab: list[str],
        unigrams: list[int],
        bigrams: list[int],
        trigrams: list[int],
    ) -> None:
        self.vocab = vocab
        self.index = {w: i for i, w in enumerate(vocab)}
        self.counts = unigrams
        size = self.size = len(vocab)
        self.unk_id = self.index[UNK]
        self.bos_id = self.index[BOS]

        # Bigram counts and continuation counts.
        self.bigram: dict[int, int] = {}
        context_total = [0] * size
        context_types = [0] * size
        continuation = [0] * size
        for pos in range(0, len(bigrams), 3):
            a, b, c = bigrams[pos], bigrams[pos + 1], bigrams[pos + 2]
            self.bigram[a * size + b] = c
            context_total[a] += c
            context_types[a] += 1
            continuation[b] += 1
        total_types = max(1, len(self.bigram))
        # Unigram continuation probability, floored so unseen words stay possible.
        floor = 0.5 / total_types
        self.p_uni = [max(n / total_types, floor) for n in continuation]
        self.p_uni[self.unk_id] = max(self.p_uni[self.unk_id], 2.0 / total_types)
        self.context_total = context_total
        self.context_types = context_types

        self.trigram: dict[int, int] = {}
        self.tri_total: dict[int, int] = {}
        self.tri_types: dict[int, int] = {}
        for pos in range(0, len(trigrams), 4):
            a, b, c, n = trigrams[pos : pos + 4]
            ctx = a * size + b
            self.trigram[ctx * size + c] = n
            self.tri_total[ctx] = self.tri_total.get(ctx, 0) + n
            self.tri_types[ctx] = self.tri_types.get(ctx, 0) + 1
        self._cache: dict[tuple[int, int, int], float] = {}

    def token_id(self, token: str) -> int:
        return self.index.get(token, self.unk_id)

    def bigram_prob(self, a: int, b: int) -> float:
        total = self.context_total[a]
        if total == 0:
            return self.p_uni[b]
        count = self.bigram.get(a * self.size + b, 0)
        backoff = DISCOUNT * self.context_types[a] / total
        return max(count - DISCOUNT, 0.0) / total + backoff * self.p_uni[b]

    def cost(self, a: int, b: int, c: int) -> float:
        """Return -log P(c | a, b)."""
        key = (a, b, c)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        lower = self.bigram_prob(b, c)
        ctx = a * self.size + b
        total = self.tri_total.get(ctx)
        if total:
            count = self.trigram.get(ctx * self.size + c, 0)
            backoff = DISCOUNT * self.tri_types[ctx] / total
            prob = max(count - DISCOUNT, 0.0) / total + backoff * lower
        else:
            prob = lower
        value = -math.log(prob)
        self._cache[key] = value
        return value

    def sentence_cost(self, tokens: Iterable[str]) -> float:
        ids = [self.token_id(t) for t in tokens]
        total = 0.0
        a = b = self.bos_id
        for c in ids:
            total += self.cost(a, b, c)
            a, b = b, c
        return total


@lru_cache(maxsize=1)
def load_model(path: str = str(LM_PATH)) -> tuple[LanguageModel, dict]:
    """Load the shipped model once; return it with its lexicon section."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    model = LanguageModel(
        data["vocab"], data["unigrams"], data["bigrams"], data["trigrams"]
    )
    return model, data["lexicon"]
