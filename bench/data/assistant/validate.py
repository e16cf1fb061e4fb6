"""Validate eval.jsonl against the knowledge base (run from the repo root)."""

import json, os, re, sys, unicodedata
from collections import Counter

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(ROOT, "..", "..", ".."))
KB = os.path.join(REPO, "loa", "data", "kb")
SEED_CANDIDATES = [
    "/work/shared/seed/ke-hoach-77-KH-UBND-2026.ocr.txt",
    os.path.join(REPO, "loa", "data", "seed", "ke-hoach-77-KH-UBND-2026.ocr.txt"),
]
PLAN_ID = "plan:77/KH-UBND"
MIN = {
    "diacritics": 40,
    "no_diacritics": 40,
    "paraphrase": 20,
    "abbreviation": 15,
    "follow_up": 15,
    "plan": 15,
    "out_of_scope": 20,
    "hostile": 10,
}


def fold(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    s = s.replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", s).strip()


def main():
    errors, warns = [], []
    docs = {}
    for fn in os.listdir(os.path.join(KB, "guides")):
        if fn.endswith(".md"):
            with open(os.path.join(KB, "guides", fn), encoding="utf-8") as f:
                docs["guides/" + fn] = f.read()
    faq_questions = []
    with open(os.path.join(KB, "faq.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                docs[d["id"]] = d["answer"]
                faq_questions += [
                    (fold(q).rstrip("?. "), d["id"]) for q in d["questions"]
                ]
    seed = next(p for p in SEED_CANDIDATES if os.path.exists(p))
    with open(seed, encoding="utf-8") as f:
        docs[PLAN_ID] = f.read()
    folded = {k: fold(v) for k, v in docs.items()}

    items = []
    with open(os.path.join(ROOT, "eval.jsonl"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                items.append(json.loads(line))
            except Exception as e:
                errors.append(f"line {n}: {e}")
    ids = Counter(it["id"] for it in items)
    errors += [f"duplicate id {k}" for k, v in ids.items() if v > 1]
    cats = Counter(it["category"] for it in items)
    for c, m in MIN.items():
        if cats[c] < m:
            errors.append(f"category {c}: {cats[c]} < {m}")
    byid = {it["id"]: it for it in items}
    faq_q = dict(faq_questions)
    for it in items:
        for k in ("question", "previous"):
            v = it.get(k)
            if v and unicodedata.normalize("NFC", v) != v:
                errors.append(f"{it['id']}: {k} not NFC")
        if fold(it["question"]).rstrip("?. ") in faq_q:
            errors.append(
                f"{it['id']}: question copies FAQ variant of {faq_q[fold(it['question']).rstrip('?. ')]}"
            )
        if it["category"] == "follow_up" and not it.get("previous"):
            errors.append(f"{it['id']}: follow_up without previous")
        if not it["answerable"]:
            if it["gold"] or it["expect"]:
                errors.append(f"{it['id']}: unanswerable item has gold/expect")
            continue
        if not it["gold"] or not (1 <= len(it["expect"]) <= 3):
            errors.append(f"{it['id']}: needs gold and 1-3 expect phrases")
        for g in it["gold"]:
            if g not in docs:
                errors.append(f"{it['id']}: unknown gold id {g}")
        for e in it["expect"]:
            hits = [g for g in it["gold"] if g in folded and fold(e) in folded[g]]
            if not hits:
                errors.append(f"{it['id']}: expect {e!r} not in any gold doc")
        if it["id"].endswith("n"):
            pair = byid.get(it["id"][:-1])
            if not pair:
                errors.append(f"{it['id']}: no pair")
            else:
                a, b = (
                    fold(pair["question"]).rstrip("?. "),
                    it["question"].rstrip("?. "),
                )
                if b != b.lower() or fold(b) != b:
                    errors.append(f"{it['id']}: not lowercase/unmarked")
                wa, wb = set(a.split()), set(b.split())
                if len(wa & wb) / max(1, len(wa)) < 0.6:
                    errors.append(f"{it['id']}: differs too much from {pair['id']}")
                if pair["gold"] != it["gold"] or pair["expect"] != it["expect"]:
                    errors.append(f"{it['id']}: gold/expect differ from pair")
    print(dict(cats), "total", len(items))
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
