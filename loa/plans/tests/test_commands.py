"""The `loa plan …` and `loa vn restore` command contract."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from loa.core.tests.factories import WardFactory

SEED = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "seed"
    / "ke-hoach-77-KH-UBND-2026.ocr.txt"
)
LOA = Path(sys.executable).with_name("loa")


def run(*args) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    old_err = sys.stderr
    sys.stderr = err
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stderr = old_err
    return out.getvalue(), err.getvalue(), code


@pytest.mark.django_db
def test_plan_import_json_prints_the_parse_of_the_seed():
    out, _, code = run("plan", "import", str(SEED), "--json")
    parsed = json.loads(out)
    assert code == 0
    assert parsed["number"] == "77/KH-UBND" and parsed["date"] == "2026-03-04"
    assert parsed["signer"] == "Phạm Thị Thanh Vân"
    assert [len(u["tasks"]) for u in parsed["units"]] == [5, 1, 3, 1, 1]
    assert {t["role"] for u in parsed["units"] for t in u["tasks"]} <= {
        "chu_tri",
        "phoi_hop",
        None,
    }


@pytest.mark.django_db
def test_plan_import_of_garbage_exits_2_with_one_vietnamese_line(tmp_path):
    junk = tmp_path / "rac.txt"
    junk.write_text("lorem ipsum 123 !!!", encoding="utf-8")
    _, err, code = run("plan", "import", str(junk), "--json")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.django_db
def test_plan_import_save_then_list_shows_the_plan():
    ward = WardFactory(slug="hai-duong")
    _, _, code = run("plan", "import", str(SEED), "--save", "--ward", "hai-duong")
    assert code == 0
    out, _, _ = run("plan", "list", "--json", "--ward", ward.slug)
    assert json.loads(out) == [
        {
            "number": "77/KH-UBND",
            "date": "2026-03-04",
            "title": json.loads(out)[0]["title"],
            "units": 5,
            "tasks": 11,
        }
    ]
    assert "Nghị quyết" in json.loads(out)[0]["title"]


@pytest.mark.django_db
def test_plan_import_save_to_unknown_ward_fails_cleanly():
    _, err, code = run("plan", "import", str(SEED), "--save", "--ward", "khong-co")
    assert code == 2 and "khong-co" in err


@pytest.mark.slow
def test_loa_console_script_never_prints_a_traceback(tmp_path):
    """The installed `loa` command, as a user runs it, on a missing and a corrupt file."""
    corrupt = tmp_path / "hong.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n\x00\x01 broken")
    env = {
        **os.environ,
        "LOA_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "loa.settings.test",
    }
    for target in [str(tmp_path / "khong-co.docx"), str(corrupt)]:
        proc = subprocess.run(
            [str(LOA), "plan", "import", target, "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr and proc.stderr.strip()


@pytest.mark.slow
def test_loa_vn_restore_reads_stdin_and_keeps_lines(tmp_path):
    env = {
        **os.environ,
        "LOA_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "loa.settings.test",
    }
    text = "Nghi quyét s6 57-NQ/TW\nchuyen doi so\n"
    proc = subprocess.run(
        [str(LOA), "vn", "restore"],
        input=text,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0
    assert proc.stdout == "Nghị quyết số 57-NQ/TW\nchuyển đổi số\n"
