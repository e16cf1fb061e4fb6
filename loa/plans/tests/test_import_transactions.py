"""Imports read, OCR and parse outside any transaction: on SQLite a write transaction
locks out every other user's save for as long as it lasts (bench/bench_import_lock.py
measures the lock with 8 clients saving)."""

from pathlib import Path

import pytest
from django.db import connection

from loa.assistant import services as assistant_services
from loa.core.tests.factories import WardFactory
from loa.plans import services
from loa.plans.models import Plan

SEED = Path(services.__file__).resolve().parent.parent / "data" / "seed"
SEED_PLAN = SEED / "ke-hoach-77-KH-UBND-2026.ocr.txt"

# No test-wide transaction: the code's own transactions are what is observed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_plan_is_parsed_outside_any_transaction(monkeypatch):
    seen = []
    real_parse = services.parse_plan

    def parse_watched(text):
        seen.append(connection.in_atomic_block)
        return real_parse(text)

    monkeypatch.setattr(services, "parse_plan", parse_watched)
    plan = services.plan_upload(
        ward=WardFactory(), data=SEED_PLAN.read_bytes(), filename=SEED_PLAN.name
    )
    assert seen == [False]
    assert plan.status == Plan.Status.REVIEW


def test_a_plan_whose_save_fails_leaves_no_file(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(
        services,
        "audit_record",
        lambda **kwargs: (_ for _ in ()).throw(RuntimeError("hỏng")),
    )
    with pytest.raises(RuntimeError):
        services.plan_upload(
            ward=WardFactory(), data=SEED_PLAN.read_bytes(), filename=SEED_PLAN.name
        )
    assert Plan.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_knowledge_files_are_read_outside_any_transaction(monkeypatch, tmp_path):
    from loa.plans import extract

    (tmp_path / "huong-dan.md").write_text(
        "# Kích hoạt VNeID\n\nMang căn cước đến công an phường.", encoding="utf-8"
    )
    seen = []
    real_extract = extract.extract_text

    def extract_watched(**kwargs):
        seen.append(connection.in_atomic_block)
        return real_extract(**kwargs)

    monkeypatch.setattr(extract, "extract_text", extract_watched)
    result = assistant_services.kb_ingest(path=tmp_path, ward=WardFactory())
    assert seen == [False]
    assert result.documents == 1
