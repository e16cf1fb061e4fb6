"""Guards for every file a user uploads: size, real type, images, Office zips, PDF parsing.

One place decides what an upload really is and whether it is safe to open:

* size: ``check_size`` refuses a file over ``LOA_MAX_UPLOAD_BYTES`` from its declared size,
  before its bytes are read; ``SizeLimitUploadHandler`` (first in FILE_UPLOAD_HANDLERS)
  stops keeping a file's bytes once it passes the limit, so a huge upload fills neither
  memory nor the temporary folder and the form still answers with its own message.
* type: ``sniff`` reads the bytes (magic numbers, the parts inside a zip), never the name;
  a name only serves to refuse a disguise (``check_name_matches``: a PNG called .pdf).
* images: ``image_reencode`` opens the picture with Pillow, refuses a decompression bomb
  (more pixels than ``WAGTAILIMAGES_MAX_IMAGE_PIXELS``), turns it upright and saves it
  again in the same format without metadata (EXIF with the GPS position, XMP, comments).
* .docx/.xlsx: ``check_office_zip`` reads the zip's central directory and refuses a zip
  bomb (too many entries, too many bytes once unpacked, a compression ratio no document
  has) before any part is unpacked, then refuses XML parts that declare a DOCTYPE or an
  ENTITY (external entities, "billion laughs") before python-docx or openpyxl parse them.
* PDF: ``pdf_page_texts`` runs pypdf in a child process under ``resource`` limits
  (address space, CPU time) and a wall-clock timeout; ``run_limited`` does the same for
  pdftoppm and tesseract. A hostile PDF costs one child process, never the web process.

What activity evidence may be (``EVIDENCE_KINDS``): photos (JPEG, PNG, WebP, GIF; re-encoded),
PDF, Word .docx and Excel .xlsx (zip and XML guards), and short recordings of a broadcast or
an event: MP3, M4A, WAV and MP4 (stored as they are; the server never decodes them). Every
stored evidence file gets the extension of its real type, so it is served with a matching
content type; anything else (programs, HTML, SVG, archives, old .doc/.xls) is refused.

Every refusal is an ``UploadError`` whose ``message`` is one Vietnamese sentence.
"""

from __future__ import annotations

import io
import json
import math
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 20 * MB
# Wagtail's default is 128 million; a phone photo has 12-50 million pixels, and 50 million
# RGBA pixels already take 200 MB to decode on a ward's modest server.
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000

# .docx/.xlsx: a real ward document has 10-100 parts and unpacks to a few MB (a list of
# 50,000 residents: 17 MB at a ratio of 20); Office writes deflate, no part beats 40:1.
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_UNPACKED_BYTES = 256 * MB
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM_BYTES = 8 * MB  # small parts may compress as well as they like
ZIP_SCAN_CHUNK = 1 * MB

# PDF text layer: the seed plans parse in well under a second; a page built to make pypdf
# spin (millions of text operators in a small compressed stream) is stopped here.
PDF_TIMEOUT_SECONDS = 60
PDF_CPU_SECONDS = 60
PDF_MEMORY_BYTES = 1024 * MB
# OCR tools (pdftoppm at 300 dpi, tesseract): memory and the size of each page image.
TOOL_MEMORY_BYTES = 2048 * MB
TOOL_FILE_BYTES = 512 * MB

EVIDENCE_KINDS = {
    "jpeg": ".jpg",
    "png": ".png",
    "webp": ".webp",
    "gif": ".gif",
    "pdf": ".pdf",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "mp3": ".mp3",
    "m4a": ".m4a",
    "wav": ".wav",
    "mp4": ".mp4",
}
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


class UploadError(ValueError):
    """An upload is refused; ``message`` is one Vietnamese sentence, ``code`` a short key."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


# ------------------------------------------------------------------------ size


def max_upload_bytes() -> int:
    """The site-wide upload limit (settings.LOA_MAX_UPLOAD_BYTES)."""
    from django.conf import settings

    try:
        return int(getattr(settings, "LOA_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))
    except Exception:  # noqa: BLE001 - settings not configured (scripts, child processes)
        return DEFAULT_MAX_UPLOAD_BYTES


def _human(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f}".rstrip("0").rstrip(".") + " MB"
    return f"{max(size // 1024, 1)} KB"


def too_large(size: int, limit: int) -> UploadError:
    return UploadError(
        f"Tệp quá lớn ({_human(size)}); dung lượng tối đa là {_human(limit)}.",
        code="too_large",
    )


def check_size(size: int | None, limit: int | None = None) -> None:
    """Refuse by the declared size, before a byte is read."""
    limit = max_upload_bytes() if limit is None else limit
    if size is not None and size > limit:
        raise too_large(size, limit)


class _Discarded(io.RawIOBase):
    """The bytes of a file over the limit, which were never kept."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise UploadError(
            "Tệp vượt quá dung lượng cho phép nên không được lưu lại.", code="too_large"
        )


class OversizedUpload(UploadedFile):
    """Stands in for a file that passed the limit: its real size, none of its bytes."""

    def __init__(self, name: str, content_type: str, size: int, charset=None):
        super().__init__(_Discarded(), name, content_type, size, charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: stop keeping a file once it passes the site limit.

    The request body is still read to its end (the browser must get an answer), but the
    chunks past the limit go nowhere: the memory and temporary-file handlers after this one
    never see them. The form then finds an ``OversizedUpload`` whose size is over the limit
    and refuses it with its usual Vietnamese message; reading it raises ``UploadError``.
    What the later handlers kept of the file until then (a temporary file on disk, for
    an upload over FILE_UPLOAD_MAX_MEMORY_SIZE) is deleted at once: Django never hands
    it out, so nothing else would remove it before the request is garbage-collected,
    or ever if the process is killed meanwhile.
    """

    files_before: dict[int, object] | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = max_upload_bytes()
        self.received = 0
        # Which file each later handler holds now, before it starts one for this upload
        # (a handler keeps the file of an earlier field, already handed out, until then).
        self.files_before = {
            id(handler): getattr(handler, "file", None) for handler in self._later()
        }

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.files_before is not None:
                self._drop_later_copies()
            return None  # swallowed: later handlers get nothing more of this file
        return raw_data

    def _later(self) -> list[FileUploadHandler]:
        handlers = getattr(self.request, "upload_handlers", None) or []
        return [handler for handler in handlers if handler is not self]

    def _drop_later_copies(self) -> None:
        before, self.files_before = self.files_before or {}, None
        for handler in self._later():
            started = getattr(handler, "file", None)
            if started is not None and started is not before.get(id(handler)):
                # TemporaryFileUploadHandler closes and deletes its temporary file.
                handler.upload_interrupted()

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(
                self.file_name, self.content_type, self.received, self.charset
            )
        return None


# ------------------------------------------------------------------------ type


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


# ------------------------------------------------------------- .docx and .xlsx

_XML_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_OVERLAP = max(len(marker) for marker in _XML_DECLARATIONS)
# Pictures and sounds inside a document are never parsed as XML by python-docx or
# openpyxl (an SVG logo from Illustrator legitimately carries a DOCTYPE), unless
# [Content_Types].xml declares such a part as XML.
_MEDIA_SUFFIXES = (
    ".svg",
    ".png",
    ".jpg",
    ".jpeg",
    ".jfif",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".emf",
    ".wmf",
    ".wdp",
    ".ico",
    ".mp3",
    ".mp4",
    ".m4a",
    ".wav",
)


def _zip_bomb() -> UploadError:
    return UploadError(
        "Tệp Office có dung lượng giải nén bất thường (nghi là bom nén), hệ thống từ chối "
        "mở tệp này.",
        code="zip_bomb",
    )


def check_office_zip(
    data: bytes,
    *,
    max_entries: int = ZIP_MAX_ENTRIES,
    max_unpacked: int = ZIP_MAX_UNPACKED_BYTES,
    max_ratio: float = ZIP_MAX_RATIO,
) -> None:
    """Refuse a .docx/.xlsx that is a zip bomb or whose XML declares a DOCTYPE or ENTITY.

    The sizes come from the central directory, read before anything is unpacked; Python's
    zipfile then never inflates a part past its declared size (a lie fails the CRC), so
    the scan of the parts below costs at most ``max_unpacked`` bytes of inflating.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise UploadError(
            "Tệp Office (.docx/.xlsx) bị hỏng hoặc không đúng định dạng, không đọc được.",
            code="corrupt",
        ) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise UploadError(
                f"Tệp Office chứa quá nhiều thành phần ({len(entries)}, tối đa "
                f"{max_entries}), hệ thống từ chối mở tệp này.",
                code="zip_entries",
            )
        unpacked = 0
        for info in entries:
            if info.flag_bits & 0x1:
                raise UploadError(
                    "Tệp Office được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
                    code="encrypted",
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _zip_bomb()
            unpacked += info.file_size
            if info.file_size > ZIP_RATIO_FROM_BYTES and (
                info.file_size > max_ratio * max(info.compress_size, 1)
            ):
                raise _zip_bomb()
        if unpacked > max_unpacked or (
            unpacked > ZIP_RATIO_FROM_BYTES and unpacked > max_ratio * max(len(data), 1)
        ):
            raise _zip_bomb()
        try:
            parsed_as_xml = _xml_overrides(archive)
            for info in entries:
                name = info.filename.lower()
                suffix = name.rpartition(".")[2]
                if info.is_dir() or (
                    name.endswith(_MEDIA_SUFFIXES)
                    and name not in parsed_as_xml
                    and suffix not in parsed_as_xml
                ):
                    continue
                _refuse_xml_declarations(archive, info)
        except UploadError:
            raise
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,
        ) as exc:
            raise UploadError(
                "Tệp Office (.docx/.xlsx) bị hỏng hoặc không đúng định dạng, không đọc được.",
                code="corrupt",
            ) from exc


def _xml_overrides(archive: zipfile.ZipFile) -> set[str]:
    """Part names and extensions that [Content_Types].xml declares as XML (but SVG)."""
    from xml.etree import ElementTree

    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return set()
    _refuse_xml_declarations(archive, info)  # no DTD: expat has no entity to expand
    try:
        root = ElementTree.fromstring(archive.read(info))  # noqa: S314 - checked above
    except ElementTree.ParseError:
        return set()
    return {
        (element.get("PartName") or element.get("Extension") or "").lstrip("/").lower()
        for element in root
        if element.get("ContentType", "").endswith("xml")
        and "svg" not in element.get("ContentType", "")
    }


def _refuse_xml_declarations(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(ZIP_SCAN_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _XML_DECLARATIONS):
                raise UploadError(
                    "Tệp Office chứa khai báo DOCTYPE/ENTITY trong XML (có thể là tệp độc "
                    "hại), hệ thống từ chối mở tệp này.",
                    code="xml_entity",
                )
            tail = window[-_OVERLAP:]


# ---------------------------------------------------------------------- images


def max_image_pixels() -> int:
    """WAGTAILIMAGES_MAX_IMAGE_PIXELS when set, else a limit fit for a modest server."""
    from django.conf import settings
    from PIL import Image

    try:
        value = getattr(
            settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS
        )
    except Exception:  # noqa: BLE001 - settings not configured
        value = DEFAULT_MAX_IMAGE_PIXELS
    return (
        int(value) if value else int(Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_IMAGE_PIXELS)
    )


def too_many_pixels(limit: int) -> UploadError:
    count = f"{limit:,}".replace(",", ".")
    return UploadError(
        f"Ảnh có quá nhiều điểm ảnh (tối đa {count} điểm ảnh, nghi là bom giải nén); "
        "hãy thu nhỏ ảnh rồi tải lên lại.",
        code="too_many_pixels",
    )


def _not_an_image() -> UploadError:
    return UploadError(
        "Tệp không phải ảnh hợp lệ hoặc đã bị hỏng; hãy chọn ảnh JPEG, PNG, WebP hoặc GIF.",
        code="invalid_image",
    )


def image_check_pixels(data: bytes, *, max_pixels: int | None = None) -> str:
    """Read only an image's header; refuse a decompression bomb. Returns Pillow's format."""
    from PIL import Image

    limit = max_pixels or max_image_pixels()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > limit:
                raise too_many_pixels(limit)
            frames = getattr(probe, "n_frames", 1) or 1
            if width * height * frames > limit:
                raise too_many_pixels(limit)
            return probe.format or ""
    except UploadError:
        raise
    except Image.DecompressionBombError as exc:
        raise too_many_pixels(limit) from exc
    except Exception as exc:  # noqa: BLE001 - damaged images make Pillow raise anything
        raise _not_an_image() from exc


_KEEP_INFO = ("transparency", "duration", "loop", "background")


def image_reencode(data: bytes, *, max_pixels: int | None = None) -> tuple[bytes, str]:
    """Verify an image, turn it upright and save it again in its format without metadata.

    Returns (bytes, Pillow format). EXIF (with any GPS position), XMP, comments and text
    chunks are dropped; the colour profile, transparency and animation timing are kept.
    A JPEG that needs no turning keeps its own quantisation tables (quality "keep").
    """
    from PIL import Image, ImageOps, ImageSequence

    fmt = image_check_pixels(data, max_pixels=max_pixels)
    Image.init()
    if fmt not in {"JPEG", "PNG", "GIF", "WEBP", "AVIF"} or fmt not in Image.SAVE:
        raise _not_an_image()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            icc = image.info.get("icc_profile")
            params: dict = {"icc_profile": icc} if icc else {}
            frames = getattr(image, "n_frames", 1) or 1
            if frames > 1:
                out = _reencode_frames(image, fmt, params, ImageSequence)
            else:
                out = _reencode_single(image, fmt, params, ImageOps)
    except UploadError:
        raise
    except Image.DecompressionBombError as exc:
        raise too_many_pixels(max_pixels or max_image_pixels()) from exc
    except Exception as exc:  # noqa: BLE001 - damaged images make Pillow raise anything
        raise _not_an_image() from exc
    return out, fmt


def _reencode_single(image, fmt: str, params: dict, image_ops) -> bytes:
    orientation = image.getexif().get(0x0112, 1)
    kept = {key: image.info[key] for key in _KEEP_INFO if key in image.info}
    if fmt == "JPEG" and orientation in (None, 1):
        upright = image
        params.update(quality="keep", subsampling="keep")
    else:
        upright = image_ops.exif_transpose(image)
        if fmt in ("JPEG", "WEBP", "AVIF"):
            params["quality"] = 90
    if fmt == "PNG" and "transparency" in kept:
        params["transparency"] = kept["transparency"]
    if fmt == "GIF":
        params.update({k: v for k, v in kept.items() if k != "duration"})
    upright.info = {}  # Pillow would copy a JPEG comment or PNG text from here
    out = io.BytesIO()
    upright.save(out, fmt, **params)
    return out.getvalue()


def _reencode_frames(image, fmt: str, params: dict, image_sequence) -> bytes:
    frames, durations = [], []
    for frame in image_sequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        copy = frame.copy()
        copy.info = {}
        frames.append(copy)
    params.update(save_all=True, append_images=frames[1:], duration=durations)
    if "loop" in image.info:
        params["loop"] = image.info["loop"]
    if fmt == "GIF" and "transparency" in image.info:
        params["transparency"] = image.info["transparency"]
    if fmt in ("WEBP", "AVIF"):
        params["quality"] = 90
    out = io.BytesIO()
    frames[0].save(out, fmt, **params)
    return out.getvalue()


# -------------------------------------------------------------------- evidence


def evidence_clean(upload) -> UploadedFile:
    """Check an activity's evidence file and return what may be stored.

    Size first (declared, before reading), then the real type from the bytes: only
    ``EVIDENCE_KINDS``; a photo is re-encoded without metadata; a .docx/.xlsx passes the
    zip and XML guards. The returned file is named after its real type.
    """
    check_size(getattr(upload, "size", None))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    check_size(len(data))
    if not data:
        raise UploadError("Tệp minh chứng rỗng.", code="empty")
    kind = sniff(data)
    if kind not in EVIDENCE_KINDS:
        raise UploadError(
            f"Không nhận tệp minh chứng là {kind_name(kind)}; chỉ nhận ảnh (JPEG, PNG, "
            "WebP, GIF), PDF, Word .docx, Excel .xlsx, âm thanh (MP3, M4A, WAV) hoặc "
            "video MP4.",
            code="unsupported",
        )
    content_type = {
        "jpeg": "image/jpeg",
        "png": "image/png",
        "webp": "image/webp",
        "gif": "image/gif",
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "mp3": "audio/mpeg",
        "m4a": "audio/mp4",
        "wav": "audio/wav",
        "mp4": "video/mp4",
    }[kind]
    if kind in IMAGE_KINDS:
        data, _fmt = image_reencode(data)
    elif kind in ("docx", "xlsx"):
        check_office_zip(data)
    stem = Path(upload.name or "minh-chung").stem[:100] or "minh-chung"
    return SimpleUploadedFile(stem + EVIDENCE_KINDS[kind], data, content_type)


# ------------------------------------------------------------ limited children

# Runs first in every limited child: set the limits, then become the real program.
_LIMITS = (
    "import os,resource,sys\n"
    "a,c,f=(int(x) for x in sys.argv[1:4])\n"
    "resource.setrlimit(resource.RLIMIT_CORE,(0,0))\n"
    "a>0 and resource.setrlimit(resource.RLIMIT_AS,(a,a))\n"
    "c>0 and resource.setrlimit(resource.RLIMIT_CPU,(c,c+1))\n"
    "f>=0 and resource.setrlimit(resource.RLIMIT_FSIZE,(f,f))\n"
    "os.execv(sys.argv[4],sys.argv[4:])\n"
)


class LimitExceeded(UploadError):
    """A child process ran out of its time or memory."""


def _time_limit_error(seconds: float) -> LimitExceeded:
    return LimitExceeded(
        f"Tệp cần quá nhiều thời gian để đọc (vượt {math.ceil(seconds)} giây cho phép), "
        "có thể tệp bị hỏng hoặc được tạo để làm treo hệ thống.",
        code="parse_limit",
    )


def run_limited(
    argv: list[str],
    *,
    input: bytes | None = None,  # noqa: A002 - the name subprocess uses
    timeout: float,
    memory_bytes: int = 0,
    cpu_seconds: float = 0,
    file_bytes: int = -1,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run a program with an address-space, CPU-time and file-size limit and a wall clock.

    The limits are set in the child by a tiny Python prelude that then execs the program
    (no preexec_fn, which is unsafe in a threaded web process). On timeout the child's
    whole process group is killed and ``LimitExceeded`` is raised; a child killed by its
    CPU limit raises it too. Other failures come back as the return code.
    """
    cpu = math.ceil(cpu_seconds) if cpu_seconds else 0
    command = [
        sys.executable,
        "-I",
        "-S",
        "-c",
        _LIMITS,
        str(int(memory_bytes)),
        str(cpu),
        str(int(file_bytes)),
        *argv,
    ]
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed argv built by the caller, no shell
            command,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    except OSError as exc:
        raise UploadError(
            "Máy chủ không chạy được công cụ đọc tệp.", code="tool_unavailable"
        ) from exc
    try:
        stdout, _ = process.communicate(input, timeout=max(timeout, 0.01))
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise _time_limit_error(timeout) from exc
    except BaseException:
        _kill_group(process)
        raise
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and cpu:
        raise _time_limit_error(cpu)
    return subprocess.CompletedProcess(command, process.returncode, stdout, b"")


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.wait()


# The PDF child: pypdf only, no Django; reads the PDF on stdin, writes JSON on stdout.
_PDF_WORKER = r"""
import io, json, logging, sys
logging.disable(logging.CRITICAL)
def main():
    data = sys.stdin.buffer.read()
    try:
        from pypdf import PdfReader
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                return {"error": "encrypted"}
        return {"pages": [page.extract_text() or "" for page in reader.pages]}
    except MemoryError:
        return {"error": "memory"}
    except Exception:
        return {"error": "corrupt"}
sys.stdout.write(json.dumps(main()))
"""


def pdf_page_texts(
    data: bytes,
    *,
    timeout: float | None = None,
    cpu_seconds: float | None = None,
    memory_bytes: int | None = None,
) -> list[str]:
    """The text layer of each page of a PDF, read by pypdf in a limited child process.

    Raises UploadError with code "encrypted" (a user password), "corrupt" (pypdf could
    not read it), "memory" or "parse_limit" (the child hit its limits).
    """
    timeout = PDF_TIMEOUT_SECONDS if timeout is None else timeout
    result = run_limited(
        [sys.executable, "-I", "-c", _PDF_WORKER],
        input=data,
        timeout=timeout,
        cpu_seconds=PDF_CPU_SECONDS if cpu_seconds is None else cpu_seconds,
        memory_bytes=PDF_MEMORY_BYTES if memory_bytes is None else memory_bytes,
        file_bytes=0,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"},
    )
    try:
        answer = json.loads(result.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        answer = {"error": "memory" if result.returncode else "corrupt"}
    if "pages" in answer and isinstance(answer["pages"], list):
        return [str(page) for page in answer["pages"]]
    if answer.get("error") == "encrypted":
        raise UploadError(
            "Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.",
            code="encrypted",
        )
    if answer.get("error") == "memory":
        raise LimitExceeded(
            "Tệp PDF cần quá nhiều bộ nhớ để đọc, có thể tệp bị hỏng hoặc được tạo để làm "
            "treo hệ thống.",
            code="parse_limit",
        )
    raise UploadError(
        "Tệp PDF bị hỏng hoặc không đúng định dạng, không đọc được.", code="corrupt"
    )
