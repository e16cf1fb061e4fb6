"""Read the text out of an uploaded plan document (.txt, .docx, .pdf, scanned PDF).

The real type is sniffed from the bytes (PDF magic, a zip holding
word/document.xml), not trusted from the file name. Every failure becomes an
ExtractionError with a one-line Vietnamese message; third-party parsers raise a
wide variety of exceptions on damaged files, so they are caught at this boundary.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OCR_TIMEOUT_SECONDS = 300
OCR_DPI = 300
# A page whose text layer holds fewer letters than this is treated as scanned.
MIN_LETTERS_PER_PAGE = 40

Method = Literal["txt", "docx", "pdf", "ocr"]


class ExtractionError(ValueError):
    """A document could not be read; ``message`` is one line of Vietnamese."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ExtractedText:
    text: str
    method: Method


def extract_text(
    *, data: bytes, filename: str, ocr_timeout: float = OCR_TIMEOUT_SECONDS
) -> ExtractedText:
    """Return the text of an uploaded document, OCR-ing a scanned PDF when needed."""
    if not data:
        raise ExtractionError("Tệp rỗng, không có nội dung để đọc.", code="empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ExtractionError(
            f"Tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB); dung lượng tối đa là"
            f" {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
            code="too_large",
        )
    suffix = Path(filename or "").suffix.lower()
    kind = _sniff(data, suffix)
    if kind == "pdf":
        return _from_pdf(data, ocr_timeout)
    if kind == "docx":
        return ExtractedText(_normalise(_from_docx(data)), "docx")
    if kind == "image":
        return ExtractedText(
            _normalise(_ocr_images_of(data, suffix, ocr_timeout)), "ocr"
        )
    return ExtractedText(_normalise(_decode_text(data)), "txt")


def _sniff(data: bytes, suffix: str) -> str:
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            if suffix == ".docx":
                raise _corrupt_docx() from exc
            raise _unsupported() from exc
        if "word/document.xml" in names:
            return "docx"
        raise _unsupported()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError(
            "Tệp Word định dạng cũ (.doc) không được hỗ trợ; hãy lưu lại thành .docx hoặc PDF.",
            code="unsupported",
        )
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if suffix == ".pdf":
        raise _corrupt_pdf()
    if suffix == ".docx":
        raise _corrupt_docx()
    return "text"


def _unsupported() -> ExtractionError:
    return ExtractionError(
        "Định dạng tệp không được hỗ trợ; hãy tải lên tệp .txt, .docx hoặc .pdf.",
        code="unsupported",
    )


def _corrupt_docx() -> ExtractionError:
    return ExtractionError(
        "Tệp Word (.docx) bị hỏng hoặc không đúng định dạng, không đọc được.",
        code="corrupt",
    )


def _corrupt_pdf() -> ExtractionError:
    return ExtractionError(
        "Tệp PDF bị hỏng hoặc không đúng định dạng, không đọc được.", code="corrupt"
    )


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\x00", "").replace("\u00a0", " ").replace("\u200b", "")
    return text.strip("\n") + "\n" if text.strip() else ""


# ------------------------------------------------------------------------ text


def _decode_text(data: bytes) -> str:
    text = None
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        text = data.decode("utf-16-le", errors="replace")
    elif len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        text = data.decode("utf-16-be", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                text = None
    if text is None:
        raise ExtractionError(
            "Không xác định được bảng mã của tệp văn bản; hãy lưu lại với bảng mã UTF-8.",
            code="encoding",
        )
    controls = sum(
        1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise _unsupported()
    if not text.strip():
        raise ExtractionError("Tệp rỗng, không có nội dung để đọc.", code="empty")
    return text


# ------------------------------------------------------------------------ docx


def _from_docx(data: bytes) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        chunks: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                if block.text.strip():
                    chunks.append(block.text.strip())
            elif isinstance(block, Table):
                chunks.append("\n".join(_table_lines(block, Table, Paragraph)))
    except Exception as exc:  # noqa: BLE001 - damaged files make python-docx/lxml raise anything
        raise _corrupt_docx() from exc
    text = "\n\n".join(chunk for chunk in chunks if chunk.strip())
    if not text.strip():
        raise ExtractionError("Tệp Word không có nội dung chữ.", code="empty")
    return text


def _table_lines(table, table_cls, paragraph_cls) -> list[str]:
    """Read a table as lines: a layout table cell by cell, a data table row by row.

    Official headers and signature blocks are 2-column layout tables whose cells
    hold several lines each, read top to bottom, left cell first. A table of three
    or more columns holding text (an appendix of tasks: TT | Nội dung | Đơn vị
    chủ trì …; an empty spacer column does not count) is data: each row becomes one line of tab-separated cells, as in a .txt export,
    so a row's content, lead unit and time stay together.
    """
    if len(table.rows) >= 2 and _text_column_count(table, paragraph_cls) >= 3:
        return _table_rows(table, paragraph_cls)
    lines: list[str] = []
    seen: list = []  # cell elements, kept alive so identity checks stay valid
    for row in table.rows:
        for cell in row.cells:
            if any(cell._tc is element for element in seen):  # merged cells repeat
                continue
            seen.append(cell._tc)
            for block in cell.iter_inner_content():
                if isinstance(block, paragraph_cls):
                    if block.text.strip():
                        lines.extend(
                            part.strip()
                            for part in block.text.split("\n")
                            if part.strip()
                        )
                elif isinstance(block, table_cls):
                    lines.extend(_table_lines(block, table_cls, paragraph_cls))
    return lines


def _text_column_count(table, paragraph_cls) -> int:
    """Count the column positions that hold text in at least one row."""
    try:
        filled: set[int] = set()
        for row in table.rows:
            for n, cell in enumerate(_unique_cells(row)):
                if _cell_text(cell, paragraph_cls):
                    filled.add(n)
        return len(filled)
    except (IndexError, ValueError):
        # Irregular grids (rows with missing cells) are read as layout tables.
        return 0


def _unique_cells(row) -> list:
    """Return a row's cells once each (a horizontally merged cell repeats)."""
    cells: list = []
    for cell in row.cells:
        if not any(cell._tc is seen._tc for seen in cells):
            cells.append(cell)
    return cells


def _table_rows(table, paragraph_cls) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        cells = [_cell_text(cell, paragraph_cls) for cell in _unique_cells(row)]
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _cell_text(cell, paragraph_cls) -> str:
    """Join a cell's paragraphs with spaces; tabs inside would split the row."""
    parts = [
        block.text
        for block in cell.iter_inner_content()
        if isinstance(block, paragraph_cls)
    ]
    return " ".join(" ".join(parts).split())


# ------------------------------------------------------------------------- pdf


def _from_pdf(data: bytes, ocr_timeout: float) -> ExtractedText:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Owner-password-only PDFs open with an empty user password.
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - missing crypto backends raise their own errors
                opened = 0
            if not opened:
                raise ExtractionError(
                    "Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
                    code="encrypted",
                )
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged PDFs make pypdf raise anything
        raise _corrupt_pdf() from exc
    if not pages:
        raise _corrupt_pdf()
    text = _normalise("\n".join(pages))
    if _has_text_layer(text, len(pages)):
        return ExtractedText(text, "pdf")
    return ExtractedText(_normalise(_ocr_pdf(data, ocr_timeout)), "ocr")


def _has_text_layer(text: str, page_count: int) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS_PER_PAGE * max(page_count, 1):
        return False
    # Fonts without a Unicode map come out as private-use or control characters.
    odd = sum(
        1
        for ch in text
        if unicodedata.category(ch) in ("Co", "Cc", "Cn") and ch not in "\n\t"
    )
    return odd <= len(text) // 20


# ------------------------------------------------------------------------- OCR


def _ocr_check() -> str:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise ExtractionError(
            "Tệp là bản quét (không có lớp chữ) nhưng máy chủ chưa cài Tesseract OCR"
            " (gói tesseract-ocr-vie) để nhận dạng chữ.",
            code="ocr_unavailable",
        )
    try:
        langs = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [tesseract, "--list-langs"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ExtractionError(
            "Không chạy được Tesseract OCR trên máy chủ để nhận dạng bản quét.",
            code="ocr_unavailable",
        ) from exc
    if "vie" not in (langs.stdout + langs.stderr).split():
        raise ExtractionError(
            "Máy chủ chưa có dữ liệu tiếng Việt cho Tesseract OCR (gói tesseract-ocr-vie)"
            " nên không nhận dạng được bản quét.",
            code="ocr_unavailable",
        )
    return tesseract


def _run(
    argv: list[str], deadline: float, timeout_total: float
) -> subprocess.CompletedProcess:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _ocr_timeout(timeout_total)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        return subprocess.run(  # noqa: S603 - fixed argv built here, no shell
            argv, capture_output=True, timeout=remaining, check=False, env=env
        )
    except subprocess.TimeoutExpired as exc:
        raise _ocr_timeout(timeout_total) from exc
    except OSError as exc:
        raise ExtractionError(
            "Không chạy được công cụ nhận dạng chữ (OCR) trên máy chủ.",
            code="ocr_unavailable",
        ) from exc


def _ocr_timeout(seconds: float) -> ExtractionError:
    return ExtractionError(
        f"Nhận dạng chữ (OCR) bản quét quá thời gian cho phép ({seconds:.0f} giây);"
        " hãy tải lên tệp ít trang hơn hoặc tệp có lớp chữ.",
        code="ocr_timeout",
    )


def _ocr_failed() -> ExtractionError:
    return ExtractionError("Không nhận dạng được chữ từ bản quét.", code="ocr_failed")


def _tesseract_image(
    tesseract: str, image: Path, deadline: float, timeout: float
) -> str:
    result = _run(
        [tesseract, str(image), "stdout", "-l", "vie", "--psm", "4"], deadline, timeout
    )
    if result.returncode != 0:
        raise _ocr_failed()
    return result.stdout.decode("utf-8", errors="replace")


def _ocr_pdf(data: bytes, timeout: float) -> str:
    tesseract = _ocr_check()
    deadline = time.monotonic() + timeout
    pdftoppm = shutil.which("pdftoppm")
    with tempfile.TemporaryDirectory(prefix="loa-ocr-") as tmp:
        source = Path(tmp, "in.pdf")
        source.write_bytes(data)
        if pdftoppm:
            result = _run(
                [
                    pdftoppm,
                    "-r",
                    str(OCR_DPI),
                    "-gray",
                    "-png",
                    str(source),
                    str(Path(tmp, "page")),
                ],
                deadline,
                timeout,
            )
            images = sorted(Path(tmp).glob("page*.png"))
            if result.returncode != 0 or not images:
                raise _corrupt_pdf()
            pages = [
                _tesseract_image(tesseract, image, deadline, timeout)
                for image in images
            ]
            text = "\n".join(pages)
        else:
            text = _ocrmypdf_sidecar(source, Path(tmp), deadline, timeout)
    if sum(ch.isalpha() for ch in text) < 20:
        raise _ocr_failed()
    return text


def _ocrmypdf_sidecar(source: Path, tmp: Path, deadline: float, timeout: float) -> str:
    ocrmypdf = shutil.which("ocrmypdf")
    if ocrmypdf is None:
        raise ExtractionError(
            "Máy chủ chưa cài công cụ chuyển PDF thành ảnh (poppler-utils hoặc ocrmypdf)"
            " để nhận dạng bản quét.",
            code="ocr_unavailable",
        )
    sidecar, output = tmp / "out.txt", tmp / "out.pdf"
    result = _run(
        [
            ocrmypdf,
            "-l",
            "vie",
            "--force-ocr",
            "--sidecar",
            str(sidecar),
            str(source),
            str(output),
        ],
        deadline,
        timeout,
    )
    if result.returncode != 0 or not sidecar.exists():
        raise _ocr_failed()
    return sidecar.read_text(encoding="utf-8", errors="replace")


def _ocr_images_of(data: bytes, suffix: str, timeout: float) -> str:
    tesseract = _ocr_check()
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="loa-ocr-") as tmp:
        image = Path(
            tmp,
            "scan"
            + (
                suffix
                if suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff")
                else ".img"
            ),
        )
        image.write_bytes(data)
        text = _tesseract_image(tesseract, image, deadline, timeout)
    if sum(ch.isalpha() for ch in text) < 20:
        raise _ocr_failed()
    return text
