"""The `loa kb` and `loa ask` command contract."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def jsonl_kb(tmp_path, django_capture_on_commit_callbacks, lenient_judge):
    path = tmp_path / "kb.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in [
                {
                    "id": "vneid-2",
                    "title": "VNeID mức 2",
                    "text": "Tài khoản định danh điện tử mức 2 đăng ký tại công an phường.",
                    "url": "https://example.test/vneid",
                },
                {
                    "id": "qr",
                    "title": "Thanh toán QR",
                    "text": "Quét mã QR bằng ứng dụng ngân hàng để thanh toán.",
                },
            ]
        ),
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("kb", "ingest", str(path))
    return path


def test_ingest_is_idempotent_by_id(jsonl_kb, django_capture_on_commit_callbacks):
    from loa.assistant.models import KnowledgeDocument

    with django_capture_on_commit_callbacks(execute=True):
        run("kb", "ingest", str(jsonl_kb))
    assert KnowledgeDocument.objects.count() == 2


def test_search_json_finds_a_no_diacritic_query(jsonl_kb):
    rows = json.loads(run("kb", "search", "dang ky vneid muc 2", "-k", "3", "--json"))
    assert rows[0]["title"] == "VNeID mức 2" and set(rows[0]) == {
        "id",
        "title",
        "score",
        "text",
    }


def test_search_batch_returns_ingested_ids_in_rank_order(jsonl_kb, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"id": 1, "query": "quet ma QR thanh toan"}\n{"id": 2, "query": "VNeID mức 2"}\n',
        encoding="utf-8",
    )
    lines = [
        json.loads(line)
        for line in run("kb", "search", "--batch", str(batch), "-k", "2").splitlines()
    ]
    assert (
        lines[0] == {"id": 1, "results": ["qr", "vneid-2"]}
        or lines[0]["results"][0] == "qr"
    )
    assert lines[1]["results"][0] == "vneid-2"


def test_ask_json_has_the_contract_fields(jsonl_kb):
    data = json.loads(run("ask", "vneid muc 2 dang ky o dau", "--json"))
    assert set(data) == {"answer", "answered", "citations", "latency_ms"}
    assert data["answered"] is True
    assert data["citations"][0] == {
        "source": "VNeID mức 2",
        "title": "VNeID mức 2",
        "url": "https://example.test/vneid",
        "quote": data["citations"][0]["quote"],
    }


def test_ask_batch_writes_one_line_per_question(jsonl_kb, tmp_path):
    batch = tmp_path / "ask.jsonl"
    batch.write_text(
        '{"id": "a", "question": "thanh toan QR the nao"}\n{"id": "b", "question": "giá vàng hôm nay"}\n',
        encoding="utf-8",
    )
    lines = [
        json.loads(line) for line in run("ask", "--batch", str(batch)).splitlines()
    ]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["answered"] is True and lines[1]["answered"] is False
