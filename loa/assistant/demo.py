"""The starter knowledge base for the demo's other wards.

`loa/data/kb` is written for the seed ward (phường Hải Dương and its Kế hoạch 77). The
other demo wards carry out a copy of that plan under their own number, so they get the
same guides and FAQ with the seed ward's name and plan number replaced by their own, and
without the FAQ about the seed plan itself: their own plan answers those questions (every
active plan is in the knowledge base).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.utils.text import capfirst

# FAQ topics that speak of the seed ward's own plan and history only.
SEED_ONLY_TOPICS = {"ke-hoach-77"}
SEED_ONLY_IDS = {"faq-chung-006"}


def rewrite_for_ward(text: str, *, seed_ward, seed_plan, ward, plan) -> str:
    """The seed ward's name, plan number and date in `text` replaced by `ward`'s own."""
    seed_number = re.escape(seed_plan.number.split("/")[0])
    number = plan.number.split("/")[0]
    text = text.replace(seed_plan.number, plan.number)
    text = re.sub(rf"(Kế hoạch(?: số)?) {seed_number}\b", rf"\1 {number}", text)
    if seed_plan.issued_date and plan.issued_date:
        text = text.replace(
            seed_plan.issued_date.strftime("%d/%m/%Y"),
            plan.issued_date.strftime("%d/%m/%Y"),
        )
    # "phường Hải Dương" only: "Hải Dương cũ" in sources is the former province.
    return text.replace(seed_ward.display_name, ward.display_name).replace(
        capfirst(seed_ward.display_name), capfirst(ward.display_name)
    )


def starter_kb_for_ward(
    *, source: Path, dest: Path, seed_ward, seed_plan, ward, plan
) -> Path:
    """Write the seed ward's starter knowledge base, rewritten for `ward`, to `dest`."""
    args = {"seed_ward": seed_ward, "seed_plan": seed_plan, "ward": ward, "plan": plan}
    (dest / "guides").mkdir(parents=True, exist_ok=True)
    for guide in sorted((source / "guides").glob("*.md")):
        (dest / "guides" / guide.name).write_text(
            rewrite_for_ward(guide.read_text(encoding="utf-8"), **args),
            encoding="utf-8",
        )
    lines = []
    for line in (source / "faq.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if entry.get("topic") in SEED_ONLY_TOPICS or entry.get("id") in SEED_ONLY_IDS:
            continue
        entry = json.loads(
            rewrite_for_ward(json.dumps(entry, ensure_ascii=False), **args)
        )
        lines.append(json.dumps(entry, ensure_ascii=False))
    (dest / "faq.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest
