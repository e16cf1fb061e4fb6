"""Around the sections: the documents the preamble implements, and the signer."""

from __future__ import annotations

import re

from loa.vn import nfc, restore

from .blocks import _blocks
from .header import _join_lines
from .keys import _clean_space, _fold_same_length, _key, _Line
from .regexes import _ISSUANCE_RE, _REF_RE
from .result import ParsedPlan
from .vocabularies import _GIVEN_NAMES, _MIDDLE_NAMES, _SURNAMES


def _find_implements(lines: list[_Line], plan: ParsedPlan) -> None:
    refs: list[str] = []
    for block in _blocks(lines):
        text = block.lines[0].text.strip()
        text = _join_lines([text] + [line.text for line in block.lines[1:]])
        key = _key(text)
        # "Căn cứ …" / "Thực hiện …" open a list of references; ";" separates them.
        cuts = sorted({0, *(m.end() for m in re.finditer(";", key)), len(text)})
        for a, b in zip(cuts, cuts[1:], strict=False):
            clause, clause_key = text[a:b], key[a:b]
            issuance = _ISSUANCE_RE.search(clause_key)
            if issuance:
                clause, clause_key = (
                    clause[: issuance.start()],
                    clause_key[: issuance.start()],
                )
            match = _REF_RE.search(clause_key)
            if not match:
                continue
            tail = clause_key[match.end() : match.end() + 40]
            is_law = clause_key[match.start() :].startswith("luat")
            if not is_law and not re.search(r"\d", tail):
                continue
            ref = _clean_space(clause[match.start() :]).strip(" ;,.")
            ref = ref[:1].upper() + ref[1:]
            if ref and ref not in refs:
                refs.append(ref)
    plan.implements = refs


_NAME_STOP = re.compile(
    r"\b(?:chu\s+tich|uy\s+ban|ubnd|noi\s+nhan|luu|nhu\s+tren|ky|dong\s+dau|phuong|xa)\b"
)


def _find_signer(lines: list[_Line], plan: ParsedPlan) -> None:
    if not lines:
        return
    folded = "\n".join(_fold_same_length(line.text) for line in lines)
    if re.search(r"\bPH[O0]\s+CH[UW]\s+T[IL1]CH\b", folded) or re.search(
        r"\bKT\s*\.", folded
    ):
        plan.signer_position = "Phó Chủ tịch"
    elif re.search(r"\bCH[UW]\s+T[IL1]CH\b", folded):
        plan.signer_position = "Chủ tịch"
    for line in reversed(lines):
        candidate = re.sub(r"\([^)]*\)", "", line.text).strip(" .")
        if not candidate:
            continue
        tokens = candidate.split()
        if not 2 <= len(tokens) <= 5:
            continue
        if not all(t[:1].isupper() and t.replace("-", "").isalpha() for t in tokens):
            continue
        if _NAME_STOP.search(_key(candidate)):
            continue
        raw = re.sub(r"\([^)]*\)", "", line.raw).strip(" .").split()
        if len(raw) == len(tokens) and all(t.isascii() for t in raw):
            # The original lost its diacritics: names need their own restoration.
            plan.signer = _restore_name(raw)
        else:
            plan.signer = " ".join(t[:1].upper() + t[1:].lower() for t in tokens)
        return


def _restore_name(tokens: list[str]) -> str:
    """Restore an unaccented personal name from tables of common name syllables."""
    out = []
    for n, token in enumerate(tokens):
        low = token.lower()
        if n == 0:
            table = _SURNAMES
        elif n == len(tokens) - 1:
            table = _GIVEN_NAMES
        else:
            table = _MIDDLE_NAMES
        word = table.get(low) or nfc(restore(token))
        out.append(word[:1].upper() + word[1:].lower())
    return " ".join(out)
