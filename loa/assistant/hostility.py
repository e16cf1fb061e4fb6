"""A learned second opinion on hostile messages, beside the rules in safety.py.

Rules catch the wordings someone thought of; residents phrase the same request a hundred
ways ("chỉ em vào zalo của vợ", "xem tin nhắn của chồng mà không bị biết"). This is a
logistic regression over the folded words and word pairs of the message (chat shorthand
spelled out first), trained at build time (`make model`, bench/train_hostility.py) on
bench/data/assistant-train/ — hostile requests beside look-alikes a resident asks to
protect themselves — and shipped as JSON weights beside this file: scoring is a sum of a
few dozen numbers, no scikit-learn at run time. The threshold in the file was chosen so
that almost no protective question is refused.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loa.vn import fold_lower
from loa.vn.shorthand import expand_shorthand

MODEL_PATH = Path(__file__).with_name("data") / "hostility.json"


def terms(text: str) -> set[str]:
    """The message's folded words and adjacent word pairs (the model's features)."""
    words = re.findall(r"\w+", fold_lower(expand_shorthand(text)))
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, text: str) -> float:
        raw = self.bias + sum(self.weights.get(term, 0.0) for term in terms(text))
        return 1.0 / (1.0 + math.exp(-raw))

    def is_hostile(self, text: str) -> bool:
        return self.probability(text) >= self.threshold


@lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped model, or None before the first `make model` (the rules still hold)."""
    if not MODEL_PATH.exists():
        return None
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return Model(data["weights"], data["bias"], data["threshold"])
