""".docx and .xlsx: zip-bomb and XML-entity guards before python-docx or openpyxl."""

from __future__ import annotations

import io
import zipfile

from .errors import UploadError
from .size import MB

# .docx/.xlsx: a real ward document has 10-100 parts and unpacks to a few MB (a list of
# 50,000 residents: 17 MB at a ratio of 20); Office writes deflate, no part beats 40:1.
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_UNPACKED_BYTES = 256 * MB
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM_BYTES = 8 * MB  # small parts may compress as well as they like
ZIP_SCAN_CHUNK = 1 * MB


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
