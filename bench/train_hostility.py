"""Train the assistant's hostility model: part of ``make model`` (python bench/train_hostility.py).

Data, all our own (never the blind set): bench/data/assistant-train/hostility*.jsonl
(hostile requests beside protective look-alikes on the same topics), the hostile questions
of the other training files as hostile and their answerable and off-topic questions as
benign, and the knowledge base's FAQ ways of asking as benign.

Model: scikit-learn's LogisticRegression over loa.assistant.hostility.terms (folded words
and word pairs), exported as weights to loa/assistant/data/hostility.json. The strength
and the threshold are chosen on out-of-fold predictions (stratified 5 folds): the lowest
threshold at which at most MAX_FALSE_REFUSALS of the benign messages are refused, and,
among strengths, the one that then refuses most hostile ones.

    --out PATH (default: the shipped file)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import common  # noqa: F401 - Django settings and the project on the path
from common import ROOT

TRAIN = ROOT / "bench" / "data" / "assistant-train"
FAQ = ROOT / "loa" / "data" / "kb" / "faq.jsonl"
MAX_FALSE_REFUSALS = 0.01  # a resident refused for asking how to protect themselves
STRENGTHS = (0.3, 1.0, 3.0, 10.0)  # LogisticRegression's C, tried out of fold


def messages() -> tuple[list[str], list[int], dict]:
    texts, labels, counts = [], [], {"hostile": 0, "benign": 0}

    def add(text: str, hostile: bool) -> None:
        texts.append(text)
        labels.append(int(hostile))
        counts["hostile" if hostile else "benign"] += 1

    for path in sorted(TRAIN.glob("hostility*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                add(item["text"], item["hostile"])
    for path in sorted(TRAIN.glob("questions*.jsonl")):  # the answerability questions
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                add(item["question"], item["kind"] == "hostile")
    for line in FAQ.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            for asked in item["questions"]:
                add(asked, False)
    return texts, labels, counts


def threshold_for(labels, probabilities) -> tuple[float, float, float]:
    """(threshold, hostile refused, benign refused) at the lowest threshold keeping benign
    refusals at MAX_FALSE_REFUSALS."""
    benign = sorted(
        (p for p, y in zip(probabilities, labels, strict=True) if not y), reverse=True
    )
    allowed = int(MAX_FALSE_REFUSALS * len(benign))
    threshold = max(benign[allowed] + 1e-6, 0.5) if allowed < len(benign) else 0.5
    hostile = [p for p, y in zip(probabilities, labels, strict=True) if y]
    caught = sum(p >= threshold for p in hostile) / len(hostile)
    refused = sum(p >= threshold for p in benign) / len(benign)
    return threshold, caught, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from loa.assistant import hostility

    texts, labels, counts = messages()
    vectorizer = DictVectorizer()
    X = vectorizer.fit_transform([dict.fromkeys(hostility.terms(t), 1) for t in texts])
    y = np.array(labels)
    best = None
    for strength in STRENGTHS:
        out_of_fold = np.zeros(len(y))
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        for train, held in folds.split(X, y):
            fitted = LogisticRegression(C=strength, max_iter=2000).fit(
                X[train], y[train]
            )
            out_of_fold[held] = fitted.predict_proba(X[held])[:, 1]
        threshold, caught, refused = threshold_for(labels, out_of_fold)
        print(
            f"C={strength}: threshold {threshold:.3f}, out of fold: hostile refused "
            f"{caught:.1%}, benign refused {refused:.1%}"
        )
        if best is None or caught > best[2]:
            best = (strength, threshold, caught, refused)
    strength, threshold, caught, refused = best
    model = LogisticRegression(C=strength, max_iter=2000).fit(X, y)
    weights = {
        term: round(float(w), 4)
        for term, w in zip(
            vectorizer.get_feature_names_out(), model.coef_[0], strict=True
        )
        if abs(w) >= 0.01
    }
    out = args.out or hostility.MODEL_PATH
    out.write_text(
        json.dumps(
            {
                "about": "Loa hostility model; `make model` writes it (bench/train_hostility.py).",
                "bias": round(float(model.intercept_[0]), 4),
                "threshold": round(threshold, 4),
                "training": {
                    **counts,
                    "C": strength,
                    "out_of_fold_hostile_refused": round(caught, 4),
                    "out_of_fold_benign_refused": round(refused, 4),
                },
                "weights": dict(sorted(weights.items())),
            },
            ensure_ascii=False,
            indent=0,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{counts} -> {out} (C={strength}, threshold {threshold:.3f})")


if __name__ == "__main__":
    main()
