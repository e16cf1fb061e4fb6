"""Read the text out of an uploaded plan document (.txt, .docx, .pdf, scanned PDF).

The real type is sniffed from the bytes (PDF magic, a zip holding
word/document.xml), not trusted from the file name; a name that claims another type
(a PNG called .pdf) is refused. The guards of loa.core.uploads apply: the site upload
limit, the zip-bomb and XML-entity checks before python-docx opens a .docx, the pixel
limit before an image is OCR-ed, and pypdf, pdftoppm and tesseract run in child
processes with memory, CPU and wall-clock limits. Every failure becomes an
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from loa.core import uploads
from loa.core.uploads import UploadError

# The default of settings.LOA_MAX_UPLOAD_BYTES, which is the limit applied.
MAX_UPLOAD_BYTES = uploads.DEFAULT_MAX_UPLOAD_BYTES
OCR_TIMEOUT_SECONDS = 300
OCR_DPI = 300
# A page whose text layer holds fewer letters than this is treated as scanned.
MIN_LETTERS_PER_PAGE = 40
# Each OCR run works in a folder of its own under the system's temporary folder. One
# older than this was left by a process killed outright (SIGKILL, a power cut) and is
# removed by the next OCR run; no run lasts anywhere near as long.
OCR_DIR_PREFIX = "loa-ocr-"
OCR_DIR_STALE_SECONDS = 6 * 3600

Method = Literal["txt", "docx", "pdf", "ocr"]


class ExtractionError(UploadError):
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
    suffix = Path(filename or "").suffix.lower()
    try:
        uploads.check_size(len(data))
        kind = _sniff(data, suffix)
    except ExtractionError:
        raise
    except UploadError as exc:
        raise ExtractionError(exc.message, code=exc.code) from exc
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
    kind = uploads.sniff(data)
    if kind == "pdf":
        return "pdf"
    if kind == "docx":
        uploads.check_office_zip(data)  # zip bomb, DOCTYPE/ENTITY: before python-docx
        return "docx"
    if kind == "broken-zip":
        raise _corrupt_docx() if suffix == ".docx" else _unsupported()
    if kind in ("xlsx", "pptx", "odf", "zip"):
        raise _unsupported()
    if kind not in ("text", "markup"):
        uploads.check_name_matches(kind, "x" + suffix)  # a PNG called .pdf: refused
    if kind in ("png", "jpeg", "tiff"):
        uploads.image_check_pixels(data)  # a decompression bomb never reaches tesseract
        return "image"
    if kind not in ("text", "markup", "ole"):
        raise _unsupported()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError(
            "Tệp Word định dạng cũ (.doc) không được hỗ trợ; hãy lưu lại thành .docx hoặc PDF.",
            code="unsupported",
        )
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
    # pypdf runs in a child process with memory, CPU and wall-clock limits; it opens an
    # owner-password-only PDF with the empty user password, and a damaged PDF makes it
    # raise anything, which the child reports as "corrupt".
    try:
        pages = uploads.pdf_page_texts(data)
    except UploadError as exc:
        raise ExtractionError(exc.message, code=exc.code) from exc
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


@contextmanager
def _ocr_workdir() -> Iterator[Path]:
    """Give one OCR run a private folder, removed however the run ends.

    The tools get its "tmp" subfolder as their temporary folder: ocrmypdf keeps its page
    images in a folder of its own, which it cannot remove when it is killed at the time
    limit; inside this folder that one goes too.
    """
    _remove_stale_workdirs()
    with tempfile.TemporaryDirectory(prefix=OCR_DIR_PREFIX) as tmp:
        Path(tmp, "tmp").mkdir()
        yield Path(tmp)


def _remove_stale_workdirs() -> None:
    cutoff = time.time() - OCR_DIR_STALE_SECONDS
    try:
        candidates = list(Path(tempfile.gettempdir()).glob(OCR_DIR_PREFIX + "*"))
    except OSError:
        return
    for folder in candidates:
        try:
            info = folder.lstat()
            # Only our own folders (the temporary folder is shared by every user).
            if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid():
                continue
            if info.st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _run(
    argv: list[str], deadline: float, timeout_total: float, workdir: Path
) -> subprocess.CompletedProcess:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _ocr_timeout(timeout_total)
    tools_tmp = str(workdir / "tmp")
    env = {
        **os.environ,
        "OMP_THREAD_LIMIT": "1",
        "TMPDIR": tools_tmp,
        "TMP": tools_tmp,
        "TEMP": tools_tmp,
    }
    try:
        # Memory, CPU time and the size of each page image are limited in the child: a
        # PDF page of absurd dimensions makes pdftoppm fail, not the server swap.
        return uploads.run_limited(
            argv,
            timeout=remaining,
            memory_bytes=uploads.TOOL_MEMORY_BYTES,
            cpu_seconds=remaining + 1,
            file_bytes=uploads.TOOL_FILE_BYTES,
            env=env,
        )
    except uploads.LimitExceeded as exc:
        raise _ocr_timeout(timeout_total) from exc
    except UploadError as exc:
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
        [tesseract, str(image), "stdout", "-l", "vie", "--psm", "4"],
        deadline,
        timeout,
        image.parent,
    )
    if result.returncode != 0:
        raise _ocr_failed()
    return result.stdout.decode("utf-8", errors="replace")


def _ocr_pdf(data: bytes, timeout: float) -> str:
    tesseract = _ocr_check()
    deadline = time.monotonic() + timeout
    pdftoppm = shutil.which("pdftoppm")
    with _ocr_workdir() as tmp:
        source = tmp / "in.pdf"
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
                    str(tmp / "page"),
                ],
                deadline,
                timeout,
                tmp,
            )
            images = sorted(tmp.glob("page*.png"))
            if result.returncode != 0 or not images:
                raise _corrupt_pdf()
            pages = [
                _tesseract_image(tesseract, image, deadline, timeout)
                for image in images
            ]
            text = "\n".join(pages)
        else:
            text = _ocrmypdf_sidecar(source, tmp, deadline, timeout)
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
        tmp,
    )
    if result.returncode != 0 or not sidecar.exists():
        raise _ocr_failed()
    return sidecar.read_text(encoding="utf-8", errors="replace")


def _ocr_images_of(data: bytes, suffix: str, timeout: float) -> str:
    tesseract = _ocr_check()
    deadline = time.monotonic() + timeout
    with _ocr_workdir() as tmp:
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
