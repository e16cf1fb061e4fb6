"""Type: what a file really is, from its bytes; its name only to refuse a disguise."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .errors import UploadError

IMAGE_KINDS = {"jpeg", "png", "gif", "webp", "avif"}
# What each extension claims to be, for refusing a disguised file.
EXTENSION_KINDS = {
    ".pdf": {"pdf"},
    ".docx": {"docx"},
    ".xlsx": {"xlsx"},
    ".txt": {"text"},
    ".md": {"text"},
    ".csv": {"text"},
    ".jpg": {"jpeg"},
    ".jpeg": {"jpeg"},
    ".png": {"png"},
    ".gif": {"gif"},
    ".webp": {"webp"},
    ".avif": {"avif"},
    ".mp3": {"mp3"},
    ".m4a": {"m4a", "mp4"},
    ".mp4": {"mp4", "m4a"},
    ".wav": {"wav"},
    ".pptx": {"pptx"},
    ".odt": {"odf"},
    ".ods": {"odf"},
    ".odp": {"odf"},
    ".doc": {"ole"},
    ".xls": {"ole"},
    ".ppt": {"ole"},
}
KIND_NAMES = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pptx": "PowerPoint (.pptx)",
    "odf": "OpenDocument",
    "zip": "tệp nén .zip",
    "ole": "Office đời cũ (.doc/.xls)",
    "jpeg": "ảnh JPEG",
    "png": "ảnh PNG",
    "gif": "ảnh GIF",
    "webp": "ảnh WebP",
    "avif": "ảnh AVIF",
    "heic": "ảnh HEIC",
    "bmp": "ảnh BMP",
    "tiff": "ảnh TIFF",
    "mp3": "âm thanh MP3",
    "m4a": "âm thanh M4A",
    "wav": "âm thanh WAV",
    "mp4": "video MP4",
    "executable": "chương trình chạy được",
    "markup": "trang HTML/XML",
    "text": "văn bản thuần",
    "unknown": "không rõ định dạng",
}


def _ftyp_kind(data: bytes) -> str:
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, min(len(data), 64), 4)}
    if brands & {b"avif", b"avis"}:
        return "avif"
    if brands & {b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1"}:
        return "heic"
    if data[8:12] in (b"M4A ", b"M4B "):
        return "m4a"
    return "mp4"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return "broken-zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "mimetype" in names and "content.xml" in names:
        return "odf"
    return "zip"


def sniff(data: bytes) -> str:
    """The real kind of a file from its bytes: "pdf", "docx", "jpeg", "executable", "text"…"""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "wav"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if (
        data.startswith(b"BM")
        and len(data) > 26
        and data[14] in (12, 40, 52, 56, 108, 124)
    ):
        return "bmp"
    if data[4:8] == b"ftyp":
        return _ftyp_kind(data)
    if data.startswith(b"ID3") or (
        # an MPEG audio frame of layer III; FF FE is a UTF-16 text, not sound
        len(data) > 1 and data[0] == 0xFF and data[1] & 0xE6 == 0xE2
    ):
        return "mp3"
    if data.startswith(
        (
            b"MZ",
            b"\x7fELF",
            b"\xfe\xed\xfa",
            b"\xce\xfa\xed\xfe",
            b"\xcf\xfa\xed\xfe",
            b"#!",
        )
    ) or data.startswith(b"\xca\xfe\xba\xbe"):
        return "executable"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script")):
        return "markup"
    return "text"


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, KIND_NAMES["unknown"])


def check_name_matches(kind: str, filename: str) -> None:
    """Refuse a file whose name claims one known type while its bytes are another."""
    suffix = Path(filename or "").suffix.lower()
    claimed = EXTENSION_KINDS.get(suffix)
    pictures = IMAGE_KINDS | {"tiff", "bmp", "heic"}
    if claimed is not None and claimed <= pictures and kind in pictures:
        return  # a PNG saved as .jpg is common and harmless: the bytes decide the format
    if claimed is not None and kind not in claimed:
        raise UploadError(
            f"Tệp có đuôi {suffix} nhưng nội dung thật là {kind_name(kind)}; "
            "hãy chọn đúng tệp rồi tải lên lại.",
            code="type_mismatch",
        )
