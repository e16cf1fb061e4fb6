"""Blind test of the plan parser on plans it was not written against.

The fixtures in ``fixtures/blind/`` were written without reading the parser: seven
plans of other wards and communes (``<name>.txt``), their diacritic-free copies,
three Word documents, one text-layer PDF (``make_blind.py`` builds the derived
files) and ``<name>.expected.json`` with what a careful human extracts.

``units`` in the expectations is the full list of units with their tasks; for a
plan with an appendix table of tasks (Phụ lục), the appendix rows are appended as
``chu_tri`` tasks of their lead unit, and ``body_task_counts`` says how many of
each unit's tasks come from the body of the plan.

Nothing here touches the database.
"""

from __future__ import annotations

import difflib
import functools
import json
import unicodedata
from pathlib import Path

import pytest

from loa.plans.extract import extract_text
from loa.plans.parsing import ParsedPlan, parse_plan
from loa.vn import fold_lower

BLIND = Path(__file__).resolve().parent / "fixtures" / "blind"
NAME_RATIO = 0.85

# (test, fixture, format) -> why it fails today. Filled in only after a run; every
# entry is listed with its input line, expected and actual value in the report.
XFAIL: dict[tuple[str, str, str], str] = {}


@functools.cache
def expected(name: str) -> dict:
    return json.loads((BLIND / f"{name}.expected.json").read_text("utf-8"))


def names() -> list[str]:
    return sorted(
        p.name.removesuffix(".expected.json") for p in BLIND.glob("*.expected.json")
    )


def cases(test: str, *, only=lambda exp: True):
    params = []
    for name in names():
        exp = expected(name)
        if not only(exp):
            continue
        for fmt in exp["formats"]:
            reason = XFAIL.get((test, name, fmt))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            params.append(pytest.param(name, fmt, id=f"{name}.{fmt}", marks=marks))
    return params


@functools.cache
def parsed(name: str, fmt: str) -> ParsedPlan:
    path = BLIND / f"{name}.{fmt}"
    extracted = extract_text(data=path.read_bytes(), filename=path.name)
    return parse_plan(extracted.text)


def same_name(got: str, want: str) -> bool:
    a, b = fold_lower(got).strip(), fold_lower(want).strip()
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= NAME_RATIO


def task_view(task) -> dict:
    return {
        "role": task.role,
        "recurrence": task.recurrence,
        "due": task.due.isoformat() if task.due else None,
    }


def unit_summary(plan: ParsedPlan) -> list[tuple[str, int]]:
    return [(unit.name, len(unit.tasks)) for unit in plan.units]


# ------------------------------------------------------------------ the fixtures


def test_fixtures_are_nfc_and_complete():
    assert len(names()) == 7
    for name in names():
        text = (BLIND / f"{name}.txt").read_text("utf-8")
        assert unicodedata.normalize("NFC", text) == text
        for fmt in expected(name)["formats"]:
            assert (BLIND / f"{name}.{fmt}").exists(), (
                f"{name}.{fmt}: run make_blind.py"
            )
        nodiac = (BLIND / f"{name}.nodiac.txt").read_text("utf-8")
        decomposed = unicodedata.normalize("NFD", nodiac)
        assert not any(unicodedata.combining(ch) for ch in decomposed), name
        assert "đ" not in nodiac and "Đ" not in nodiac, name


# ------------------------------------------------------------------ header fields


@pytest.mark.parametrize(("name", "fmt"), cases("number"))
def test_number(name, fmt):
    assert parsed(name, fmt).number == expected(name)["number"]


@pytest.mark.parametrize(("name", "fmt"), cases("date"))
def test_date(name, fmt):
    plan = parsed(name, fmt)
    assert plan.date is not None
    assert plan.date.isoformat() == expected(name)["date"]


@pytest.mark.parametrize(("name", "fmt"), cases("signer"))
def test_signer(name, fmt):
    plan = parsed(name, fmt)
    want = expected(name)
    if fmt == "nodiac.txt":
        # A personal name cannot be restored with certainty ("Thang" may be
        # Thắng or Thăng); the letters must still be right.
        assert fold_lower(plan.signer or "") == fold_lower(want["signer"])
    else:
        assert plan.signer == want["signer"]
    assert fold_lower(plan.signer_position or "") == fold_lower(want["signer_position"])


@pytest.mark.parametrize(("name", "fmt"), cases("issuer"))
def test_issuer(name, fmt):
    got, want = parsed(name, fmt).issuer or "", expected(name)["issuer"]
    if fmt == "nodiac.txt":
        assert fold_lower(got) == fold_lower(want)
    else:
        assert got == want


@pytest.mark.parametrize(("name", "fmt"), cases("sections"))
def test_section_headings(name, fmt):
    """The numbered parts of the plan (I./A./1./PHẦN THỨ …), titled by their words."""
    got = [fold_lower(section.heading) for section in parsed(name, fmt).sections]
    want = [fold_lower(heading) for heading in expected(name)["section_headings"]]
    assert got == want


# ------------------------------------------------------------------ units and tasks


@pytest.mark.parametrize(("name", "fmt"), cases("units"))
def test_units_and_task_counts(name, fmt):
    plan = parsed(name, fmt)
    want = [(unit["name"], len(unit["tasks"])) for unit in expected(name)["units"]]
    got = unit_summary(plan)
    assert len(got) == len(want), f"units: got {got}, want {want}"
    for (got_name, got_count), (want_name, want_count) in zip(got, want, strict=True):
        assert same_name(got_name, want_name), (
            f"unit name: got {got_name!r}, want {want_name!r}"
        )
        assert got_count == want_count, (
            f"{want_name}: got {got_count} tasks, want {want_count}"
        )


@pytest.mark.parametrize(("name", "fmt"), cases("tasks"))
def test_task_role_recurrence_due(name, fmt):
    plan = parsed(name, fmt)
    want_units = expected(name)["units"]
    assert unit_summary(plan) and len(plan.units) == len(want_units), unit_summary(plan)
    problems = []
    for unit, want_unit in zip(plan.units, want_units, strict=True):
        assert same_name(unit.name, want_unit["name"]), (unit.name, want_unit["name"])
        for index, want_task in enumerate(want_unit["tasks"]):
            if index >= len(unit.tasks):
                problems.append(f"{want_unit['name']} #{index + 1}: missing")
                continue
            got_task = task_view(unit.tasks[index])
            if got_task != want_task:
                problems.append(
                    f"{want_unit['name']} #{index + 1}: got {got_task}, want {want_task}"
                    f" — {unit.tasks[index].text[:90]!r}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "fmt"), cases("body", only=lambda exp: "body_task_counts" in exp)
)
def test_body_tasks_of_a_plan_with_an_appendix(name, fmt):
    """The body of the plan is read right whatever happens to the appendix."""
    plan = parsed(name, fmt)
    want = expected(name)
    for want_unit, body_count in zip(
        want["units"], want["body_task_counts"], strict=True
    ):
        unit = next(
            (u for u in plan.units if same_name(u.name, want_unit["name"])), None
        )
        assert unit is not None, (
            f"no unit {want_unit['name']!r} in {unit_summary(plan)}"
        )
        got = [task_view(task) for task in unit.tasks[:body_count]]
        assert got == want_unit["tasks"][:body_count], want_unit["name"]


@pytest.mark.parametrize(
    ("name", "fmt"), cases("appendix", only=lambda exp: "appendix" in exp)
)
def test_appendix_rows_become_tasks_of_their_lead_unit(name, fmt):
    plan = parsed(name, fmt)
    problems = []
    for row in expected(name)["appendix"]:
        unit = next((u for u in plan.units if same_name(u.name, row["lead"])), None)
        if unit is None:
            problems.append(f"row {row['row']}: no unit {row['lead']!r}")
            continue
        key = fold_lower(row["text"])[:40]
        task = next((t for t in unit.tasks if key in fold_lower(t.text)), None)
        if task is None:
            problems.append(
                f"row {row['row']}: no task {row['text'][:40]!r} in {row['lead']!r}"
            )
            continue
        want = {"role": "chu_tri", "recurrence": row["recurrence"], "due": row["due"]}
        if task_view(task) != want:
            problems.append(f"row {row['row']}: got {task_view(task)}, want {want}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("name", "fmt"), cases("clean"))
def test_signature_and_recipients_are_not_tasks(name, fmt):
    plan = parsed(name, fmt)
    signer = fold_lower(expected(name)["signer"])
    for unit in plan.units:
        for task in unit.tasks:
            text = fold_lower(task.text)
            assert "noi nhan" not in text and "tren day la" not in text, task.text
            assert signer not in text, task.text
