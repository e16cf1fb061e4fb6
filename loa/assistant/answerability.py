"""Whether a candidate answer answers the question: a small learned model over the checks the
assistant computes (focus coverage, type match, retrieval margin, FAQ match).

The model is a few shallow boosted trees trained at build time (`make model`, which runs
bench/train_answerability.py on bench/data/assistant-train/) and shipped as JSON beside this
file, so answering needs neither scikit-learn nor a pickle: walking ~100 small trees costs
microseconds. The file carries the threshold chosen for precision first (few confident wrong
answers before many right ones).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("data") / "answerability.json"

# The order is the model's; a change here needs `make model` (a test checks they agree).
FEATURES = (
    "focus_sentence",  # best one sentence (read with its title) covering the focus
    "focus_answer",  # the whole answer with its title covering the focus
    "key_present",  # the focus's weightiest word is in the answer or its title
    "passage_focus",  # the passage (title and text) covering the focus
    "query_cover",  # the answer text covering the whole question
    "confidence",  # word and word-pair coverage of the passage
    "weighted_coverage",  # IDF-weighted coverage of the passage (the retriever's)
    "score_ratio",  # the passage's retrieval score over the best one's
    "rank",  # how far down the hits the passage is (0 = first)
    "is_faq",
    "faq_asked_match",  # the FAQ's way of asking covering the question
    "same_type",  # the FAQ's way of asking is of the question's type
    "on_subject",  # the best passage focus among the first hits
    "years_asked",
    "years_ok",  # every year the question asks about is in the answer
    "kind_other",  # the question's type is not one of the known ones
    "focus_units",  # how many content words the focus has (capped at 10, over 10)
    "key_share",  # the weightiest focus word's share of the focus weight
    "is_plan",  # the passage is part of the ward's plan
    "length",  # answer length over 600 characters
    "type_in_focus_sentence",  # the sentence covering the focus most carries the type
    "focus_sentence_alone",  # that sentence covering the focus without its title
    "focus_gap",  # how far this candidate's focus_sentence is below the best candidate's
    "confidence_gap",  # how far its confidence is below the best candidate's
    "missing_weight",  # the heaviest focus word missing from the answer and its title,
    # over the heaviest focus word ("nhân viên" in "Trung tâm có bao nhiêu nhân viên?")
    "missing_count",  # focus words missing from the answer and its title (over 5, capped)
    "kind_who",  # the question's type, one feature each: what is enough differs by type
    "kind_when",
    "kind_where",
    "kind_how_many",
    "kind_yes_no",
    "kind_how",
    "kind_purpose",
    "kind_what",
    "type_near_key",  # a sentence with the focus's weightiest word carries the type
    "type_distance",  # characters (over 100, capped) from that word to the nearest mark of
    # the type in one sentence: "30% GDP" for "bao nhiêu phần trăm GDP" is near
    "missing_weight_alone",  # as missing_weight, in the answer without its title
    "context_missing_weight",  # the heaviest focus word missing from the FAQ's way of
    # asking, or from the passage's title (over the heaviest focus word)
    "unit_named",  # a plan passage about one unit, and the question names that unit
    "numbers_missing",  # share of the numbers the question names (not years: "Kế hoạch
    # 238", "mức 2") missing from the answer and its title
    "asked_back",  # the FAQ's way of asking (a section's heading) covered by the question
    "agreement",  # the most another candidate from another source shares of its words
)


@dataclass(frozen=True)
class Model:
    trees: tuple  # each: (feature, threshold, left, right, value) arrays
    learning_rate: float
    init: float
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        row = [features[name] for name in FEATURES]
        raw = self.init
        for feature, threshold, left, right, value in self.trees:
            node = 0
            while left[node] != -1:
                node = (
                    left[node] if row[feature[node]] <= threshold[node] else right[node]
                )
            raw += self.learning_rate * value[node]
        return 1.0 / (1.0 + math.exp(-raw))


@lru_cache(maxsize=1)
def model() -> Model:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError(
            "answerability.json was trained on other features: run `make model`"
        )
    return Model(
        trees=tuple(
            (t["feature"], t["threshold"], t["left"], t["right"], t["value"])
            for t in data["trees"]
        ),
        learning_rate=data["learning_rate"],
        init=data["init"],
        threshold=data["threshold"],
    )
