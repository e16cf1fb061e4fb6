"""OCR and uploads leave nothing in the temporary folder, whether they succeed or fail."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loa.core import uploads
from loa.plans import extract
from loa.plans.extract import ExtractionError, extract_text

SCAN = Path(__file__).resolve().parent / "fixtures" / "kh-31-phuong-dong-hai.scan.pdf"


@pytest.fixture
def tmp_root(tmp_path, monkeypatch):
    """The temporary folder of this process and of every child it starts."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def scanned(monkeypatch):
    """A PDF without a text layer, with tesseract 'installed'."""
    monkeypatch.setattr(uploads, "pdf_page_texts", lambda data, **kwargs: [""])
    monkeypatch.setattr(extract, "_ocr_check", lambda: "/usr/bin/tesseract")
    return SCAN.read_bytes()


def tools(monkeypatch, **paths):
    monkeypatch.setattr(extract.shutil, "which", lambda name, *a, **k: paths.get(name))


def fake_tool(folder: Path, name: str, body: str) -> str:
    """An executable standing in for pdftoppm or ocrmypdf."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f"#!{sys.executable}\n{body}")
    path.chmod(0o755)
    return str(path)


def leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_ocr_folder_is_removed_when_the_page_tool_fails(tmp_root, scanned, monkeypatch):
    tools(monkeypatch, pdftoppm="/usr/bin/pdftoppm")

    def failing(argv, **kwargs):
        Path(argv[-1] + "-1.png").write_bytes(b"half a page")
        return subprocess.CompletedProcess(argv, 1, b"", b"")

    monkeypatch.setattr(uploads, "run_limited", failing)
    with pytest.raises(ExtractionError):
        extract_text(data=scanned, filename="ban-quet.pdf")
    assert leftovers(tmp_root) == []


def test_ocr_folder_is_removed_when_tesseract_times_out(tmp_root, scanned, monkeypatch):
    tools(monkeypatch, pdftoppm="/usr/bin/pdftoppm")

    def pages_then_timeout(argv, **kwargs):
        if argv[0].endswith("pdftoppm"):
            for n in (1, 2):
                Path(f"{argv[-1]}-{n}.png").write_bytes(b"page")
            return subprocess.CompletedProcess(argv, 0, b"", b"")
        raise uploads.LimitExceeded("quá giờ", code="parse_limit")

    monkeypatch.setattr(uploads, "run_limited", pages_then_timeout)
    with pytest.raises(ExtractionError) as caught:
        extract_text(data=scanned, filename="ban-quet.pdf")
    assert caught.value.code == "ocr_timeout"
    assert leftovers(tmp_root) == []


def test_files_a_killed_ocr_tool_made_in_its_own_temporary_folder_are_removed(
    tmp_root, tmp_path, scanned, monkeypatch
):
    # ocrmypdf keeps page images in a folder of its own under $TMPDIR, which it cannot
    # remove when it is killed at the time limit.
    ocrmypdf = fake_tool(
        tmp_path / "bin",
        "ocrmypdf",
        "import pathlib, tempfile, time\n"
        "folder = pathlib.Path(tempfile.mkdtemp(prefix='ocrmypdf.io.'))\n"
        "(folder / '000001.png').write_bytes(b'page')\n"
        "time.sleep(60)\n",
    )
    tools(monkeypatch, ocrmypdf=ocrmypdf)
    started = time.monotonic()
    with pytest.raises(ExtractionError) as caught:
        extract_text(data=scanned, filename="ban-quet.pdf", ocr_timeout=2)
    assert caught.value.code == "ocr_timeout"
    assert time.monotonic() - started < 30
    assert leftovers(tmp_root) == []


def test_ocr_folder_left_by_a_killed_process_is_removed_by_the_next_run(
    tmp_root, scanned, monkeypatch
):
    stale = tmp_root / "loa-ocr-killed"
    (stale / "tmp").mkdir(parents=True)
    (stale / "in.pdf").write_bytes(b"%PDF")
    old = time.time() - extract.OCR_DIR_STALE_SECONDS - 60
    os.utime(stale, (old, old))
    running = tmp_root / "loa-ocr-running"
    running.mkdir()
    tools(monkeypatch, pdftoppm="/usr/bin/pdftoppm")
    monkeypatch.setattr(
        uploads,
        "run_limited",
        lambda argv, **kwargs: subprocess.CompletedProcess(argv, 1, b"", b""),
    )
    with pytest.raises(ExtractionError):
        extract_text(data=scanned, filename="ban-quet.pdf")
    assert leftovers(tmp_root) == ["loa-ocr-running"]


def test_upload_over_the_limit_leaves_no_temporary_file(settings, rf, tmp_path):
    settings.LOA_MAX_UPLOAD_BYTES = 64 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024  # the rest goes to a file on disk
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    request = rf.post(
        "/",
        {
            "first": SimpleUploadedFile("nho.pdf", b"%PDF-1.4\n" + bytes(20 * 1024)),
            "file": SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + bytes(1024**2)),
        },
    )
    files = request.FILES
    assert isinstance(files["file"], uploads.OversizedUpload)
    # Only the accepted file is kept (Django removes it when the request closes).
    assert [p.name for p in tmp_path.iterdir()] == [
        Path(files["first"].temporary_file_path()).name
    ]
    assert files["first"].read().startswith(b"%PDF-1.4")
    files["first"].close()
    assert list(tmp_path.iterdir()) == []
