"""Reading uploaded plan documents: text encodings, .docx, .pdf, scans and bad files."""

import io
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from loa.plans import extract
from loa.plans.extract import MAX_UPLOAD_BYTES, ExtractionError, extract_text
from loa.plans.parsing import parse_plan

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = "Số: 12/KH-UBND\nAn Bình, ngày 10 tháng 3 năm 2026\nKẾ HOẠCH tuyên truyền chuyển đổi số\n"


def is_vietnamese_message(message: str) -> bool:
    return (
        bool(message.strip())
        and "\n" not in message
        and unicodedata.normalize("NFC", message) == message
        and any(
            ch in message
            for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
        )
    )


def raises_extraction_error(code: str, **kwargs) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract_text(**kwargs)
    assert info.value.code == code
    assert is_vietnamese_message(info.value.message)
    return info.value


def tesseract_has_vietnamese() -> bool:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    langs = subprocess.run(  # noqa: S603 - fixed argv
        [tesseract, "--list-langs"], capture_output=True, text=True, check=False
    )
    return "vie" in (langs.stdout + langs.stderr).split()


# ------------------------------------------------------------------------ text


def cp1258_bytes(text: str) -> bytes:
    """Encode like Windows-1258: base letters precomposed, tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(
            base.encode("cp1258")
            + "".join(c for c in parts if c in tones).encode("cp1258")
        )
    return b"".join(out)


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),
        SAMPLE.encode("utf-16-le"),
        cp1258_bytes(SAMPLE),
        unicodedata.normalize("NFD", SAMPLE).encode("utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le", "cp1258", "utf-8-nfd"],
)
def test_text_file_is_decoded_to_nfc_in_any_common_encoding(data):
    result = extract_text(data=data, filename="ke-hoach.txt")
    assert result.method == "txt"
    assert result.text == SAMPLE


def test_cp1258_sample_really_is_not_utf8():
    with pytest.raises(UnicodeDecodeError):
        cp1258_bytes(SAMPLE).decode("utf-8")


def test_text_fixture_without_extension_is_read_as_text():
    data = (FIXTURES / "kh-09-xa-an-lao.txt").read_bytes()
    assert extract_text(data=data, filename="upload").method == "txt"


# ------------------------------------------------------------------------ docx


def test_docx_reads_header_table_cells_in_document_order():
    data = (FIXTURES / "kh-12-phuong-an-binh.docx").read_bytes()
    result = extract_text(data=data, filename="kh-12.docx")
    assert result.method == "docx"
    lines = [line for line in result.text.splitlines() if line.strip()]
    assert lines[:6] == [
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG AN BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-UBND",
        "An Bình, ngày 10 tháng 3 năm 2026",
    ]
    assert lines[-1] == "Nguyễn Văn Hùng"


def test_docx_is_sniffed_from_its_bytes_not_its_name():
    data = (FIXTURES / "kh-05-xa-tan-tien.docx").read_bytes()
    result = extract_text(data=data, filename="tai-lieu.bin")
    assert result.method == "docx"
    assert parse_plan(result.text).number == "05/KH-UBND"


def test_corrupt_docx_raises_extraction_error():
    data = (FIXTURES / "kh-05-xa-tan-tien.docx").read_bytes()
    raises_extraction_error(
        "corrupt", data=data[: len(data) // 2], filename="ke-hoach.docx"
    )


def test_docx_with_broken_document_xml_raises_extraction_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    raises_extraction_error("corrupt", data=buffer.getvalue(), filename="ke-hoach.docx")


def test_random_bytes_named_docx_raise_extraction_error():
    raises_extraction_error(
        "corrupt", data=b"not a word file at all", filename="ke-hoach.docx"
    )


# ------------------------------------------------------------------------- pdf


def test_pdf_text_layer_is_read_without_ocr():
    data = (FIXTURES / "kh-48-phuong-hong-chau.pdf").read_bytes()
    result = extract_text(data=data, filename="kh-48.pdf")
    assert result.method == "pdf"
    assert "KẾ HOẠCH" in result.text
    assert unicodedata.normalize("NFC", result.text) == result.text


def test_pdf_is_sniffed_from_its_bytes_not_its_name():
    data = (FIXTURES / "kh-09-xa-an-lao.pdf").read_bytes()
    assert extract_text(data=data, filename="ke-hoach.docx").method == "pdf"


def test_truncated_pdf_raises_extraction_error():
    data = (FIXTURES / "kh-09-xa-an-lao.pdf").read_bytes()
    raises_extraction_error("corrupt", data=data[:400], filename="ke-hoach.pdf")


def test_garbage_named_pdf_raises_extraction_error():
    raises_extraction_error(
        "corrupt", data=b"hello, this is no pdf", filename="ke-hoach.pdf"
    )


def test_password_protected_pdf_raises_extraction_error():
    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "kh-09-xa-an-lao.pdf"))
    writer.encrypt(user_password="mat-khau", owner_password="chu", algorithm="RC4-128")  # noqa: S106
    buffer = io.BytesIO()
    writer.write(buffer)
    raises_extraction_error(
        "encrypted", data=buffer.getvalue(), filename="ke-hoach.pdf"
    )


def test_pdf_with_only_an_owner_password_is_read():
    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "kh-09-xa-an-lao.pdf"))
    writer.encrypt(user_password="", owner_password="chu", algorithm="RC4-128")  # noqa: S106
    buffer = io.BytesIO()
    writer.write(buffer)
    result = extract_text(data=buffer.getvalue(), filename="ke-hoach.pdf")
    assert result.method == "pdf"
    assert "09/KH-UBND" in result.text


# ------------------------------------------------------------- size and type


def test_empty_file_raises_extraction_error():
    raises_extraction_error("empty", data=b"", filename="ke-hoach.txt")


def test_whitespace_only_text_raises_extraction_error():
    raises_extraction_error("empty", data=b" \n\n\t ", filename="ke-hoach.txt")


def test_file_over_the_upload_limit_raises_extraction_error():
    error = raises_extraction_error(
        "too_large", data=b"a" * (MAX_UPLOAD_BYTES + 1), filename="a.txt"
    )
    assert "20 MB" in error.message


def test_file_at_the_upload_limit_is_accepted():
    line = "Kế hoạch tuyên truyền.\n".encode()
    data = line * (MAX_UPLOAD_BYTES // len(line))
    assert extract_text(data=data, filename="a.txt").method == "txt"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ke-hoach.doc"),
        (b"\x00\x01\x02\x03\xfa\xfb" * 200, "ke-hoach.bin"),
    ],
    ids=["legacy-doc", "binary"],
)
def test_unsupported_file_type_raises_extraction_error(data, filename):
    raises_extraction_error("unsupported", data=data, filename=filename)


def test_zip_that_is_not_a_word_document_raises_extraction_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    raises_extraction_error(
        "unsupported", data=buffer.getvalue(), filename="bang-tinh.xlsx"
    )


# ------------------------------------------------------------------------- OCR


def test_scanned_pdf_without_tesseract_raises_extraction_error(monkeypatch):
    monkeypatch.setattr(extract.shutil, "which", lambda name, *a, **k: None)
    data = (FIXTURES / "kh-31-phuong-dong-hai.scan.pdf").read_bytes()
    raises_extraction_error("ocr_unavailable", data=data, filename="ban-quet.pdf")


def test_scanned_pdf_without_vietnamese_tesseract_data_raises_extraction_error(
    monkeypatch,
):
    def fake_run(argv, **kwargs):
        return subprocess.CompletedProcess(
            argv, 0, stdout="List of available languages (2):\neng\nosd\n", stderr=""
        )

    monkeypatch.setattr(
        extract.shutil, "which", lambda name, *a, **k: f"/usr/bin/{name}"
    )
    monkeypatch.setattr(extract.subprocess, "run", fake_run)
    data = (FIXTURES / "kh-31-phuong-dong-hai.scan.pdf").read_bytes()
    raises_extraction_error("ocr_unavailable", data=data, filename="ban-quet.pdf")


def test_scanned_pdf_ocr_timeout_raises_extraction_error():
    if not tesseract_has_vietnamese():
        pytest.skip(
            "tesseract with Vietnamese data (tesseract-ocr-vie) is not installed"
        )
    data = (FIXTURES / "kh-31-phuong-dong-hai.scan.pdf").read_bytes()
    error = raises_extraction_error(
        "ocr_timeout", data=data, filename="ban-quet.pdf", ocr_timeout=0.001
    )
    assert "quá thời gian" in error.message


@pytest.mark.slow
def test_scanned_pdf_is_read_by_ocr_and_parses():
    if not tesseract_has_vietnamese():
        pytest.skip(
            "tesseract with Vietnamese data (tesseract-ocr-vie) is not installed"
        )
    data = (FIXTURES / "kh-31-phuong-dong-hai.scan.pdf").read_bytes()
    assert not "".join(
        page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages
    ).strip()
    result = extract_text(data=data, filename="ban-quet.pdf")
    assert result.method == "ocr"
    plan = parse_plan(result.text)
    assert plan.number == "31/KH-UBND"
    assert plan.date.isoformat() == "2026-03-18"
    assert plan.signer == "Trần Minh Tuấn"
    assert [(unit.name, len(unit.tasks)) for unit in plan.units] == [
        ("Phòng Văn hóa - Xã hội", 4),
        ("Văn phòng HĐND và UBND phường", 1),
    ]
