"""Which ward `loa ask` and `loa kb` work for, and how they say so."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from loa.assistant.models import KnowledgeDocument
from loa.core.tests.factories import WardFactory

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def hai_duong():
    return WardFactory(name="Hải Dương", slug="hai-duong")


@pytest.fixture
def two_wards(hai_duong):
    return hai_duong, WardFactory(name="Lê Thanh Nghị", slug="le-thanh-nghi")


@pytest.fixture
def ward_kb(tmp_path):
    """A .jsonl with one record that only one ward's assistant may use."""
    path = tmp_path / "kb.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "mot-cua",
                "title": "Bộ phận một cửa",
                "text": "Bộ phận một cửa của phường mở cửa từ thứ Hai đến thứ Sáu.",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def ingest(path, *options) -> str:
    out, _ = run("kb", "ingest", str(path), *options)
    return out


# -- kb ingest --------------------------------------------------------------------------


def test_kb_ingest_on_a_one_ward_install_loads_into_that_ward_and_says_so(
    hai_duong, ward_kb
):
    out = ingest(ward_kb)
    assert KnowledgeDocument.objects.get().ward == hai_duong
    assert "phường Hải Dương (hai-duong)" in out


def test_kb_ingest_with_two_wards_and_no_ward_option_must_choose_and_loads_nothing(
    two_wards, ward_kb
):
    with pytest.raises(CommandError) as error:
        ingest(ward_kb)
    message = str(error.value)
    assert message.startswith("Có 2 phường/xã; hãy chọn một bằng --ward:")
    assert "hai-duong (phường Hải Dương)" in message
    assert "le-thanh-nghi (phường Lê Thanh Nghị)" in message
    assert not KnowledgeDocument.objects.exists()


def test_kb_ingest_shared_loads_for_every_ward_and_says_so(two_wards, ward_kb):
    out = ingest(ward_kb, "--shared")
    assert KnowledgeDocument.objects.get().ward is None
    assert "dùng chung cho mọi phường/xã" in out


def test_kb_ingest_with_no_ward_yet_loads_shared_knowledge_and_says_so(ward_kb):
    out = ingest(ward_kb)
    assert KnowledgeDocument.objects.get().ward is None
    assert "dùng chung cho mọi phường/xã" in out


def test_kb_ingest_into_an_unknown_ward_fails_listing_the_valid_slugs(
    hai_duong, ward_kb
):
    with pytest.raises(CommandError) as error:
        ingest(ward_kb, "--ward", "khong-co")
    assert str(error.value) == (
        'Không có phường/xã mã "khong-co". Các mã hiện có: hai-duong (phường Hải Dương).'
    )
    assert not KnowledgeDocument.objects.exists()


# -- kb search --------------------------------------------------------------------------


def test_kb_search_on_a_one_ward_install_names_the_ward_first_on_stderr(
    hai_duong, ward_kb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(ward_kb)
    out, err = run("kb", "search", "bo phan mot cua", "--json")
    assert json.loads(out)[0]["title"] == "Bộ phận một cửa"
    assert err.splitlines()[0] == "Phường/xã: phường Hải Dương (hai-duong)"


def test_kb_search_leaves_out_another_wards_knowledge(
    two_wards, ward_kb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(ward_kb, "--ward", "hai-duong")
    own, _ = run("kb", "search", "bo phan mot cua", "--json", "--ward", "hai-duong")
    other, _ = run(
        "kb", "search", "bo phan mot cua", "--json", "--ward", "le-thanh-nghi"
    )
    assert [row["title"] for row in json.loads(own)] == ["Bộ phận một cửa"]
    assert json.loads(other) == []


def test_kb_search_with_two_wards_and_no_ward_option_must_choose(two_wards):
    with pytest.raises(CommandError, match="hãy chọn một bằng --ward: hai-duong"):
        run("kb", "search", "mot cua", "--json")


def test_kb_search_batch_lines_carry_the_ward(
    hai_duong, ward_kb, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(ward_kb)
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": 1, "query": "bo phan mot cua"}\n', encoding="utf-8")
    out, err = run("kb", "search", "--batch", str(batch), "-k", "1")
    assert json.loads(out) == {
        "id": 1,
        "results": ["mot-cua"],
        "ward": {"slug": "hai-duong", "name": "phường Hải Dương"},
    }
    assert err == ""


# -- ask --------------------------------------------------------------------------------


def test_ask_on_a_one_ward_install_answers_from_that_wards_knowledge(
    hai_duong, ward_kb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(ward_kb)
    out, err = run("ask", "bo phan mot cua mo cua khi nao", "--json")
    data = json.loads(out)
    assert data["ward"] == {"slug": "hai-duong", "name": "phường Hải Dương"}
    assert data["answered"] is True and err == ""


def test_ask_without_json_names_the_ward_on_the_first_stderr_line(hai_duong):
    out, err = run("ask", "chuyen doi so la gi")
    assert err.splitlines()[0] == "Phường/xã: phường Hải Dương (hai-duong)"
    assert out.strip()


def test_ask_batch_lines_carry_the_ward(hai_duong, tmp_path):
    batch = tmp_path / "ask.jsonl"
    batch.write_text(
        '{"id": "a", "question": "chuyen doi so"}\n{"id": "b", "question": "VNeID"}\n',
        encoding="utf-8",
    )
    out, _ = run("ask", "--batch", str(batch))
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["ward"]["slug"] for line in lines] == ["hai-duong", "hai-duong"]


def test_ask_with_two_wards_and_no_ward_option_lists_the_slugs(two_wards):
    with pytest.raises(CommandError) as error:
        run("ask", "chuyen doi so", "--json")
    assert str(error.value) == (
        "Có 2 phường/xã; hãy chọn một bằng --ward: hai-duong (phường Hải Dương), "
        "le-thanh-nghi (phường Lê Thanh Nghị)."
    )


def test_ask_with_an_unknown_ward_slug_fails_listing_the_valid_ones(two_wards):
    with pytest.raises(CommandError) as error:
        run("ask", "chuyen doi so", "--ward", "khong-co")
    message = str(error.value)
    assert message.startswith('Không có phường/xã mã "khong-co".')
    assert "hai-duong" in message and "le-thanh-nghi" in message


def test_ask_with_no_ward_yet_says_it_answers_from_shared_knowledge():
    out, err = run("ask", "chuyen doi so", "--json")
    assert "ward" not in json.loads(out)
    assert "kho tri thức dùng chung" in err
