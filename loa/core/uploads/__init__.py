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

The modules, each importing only those above it: ``errors``, ``size``, ``kinds`` (type),
``office`` (.docx/.xlsx), ``images``, ``limited`` (child processes, PDF) and ``evidence``.
The limits that the guards read when they run (``ZIP_*``, ``PDF_*``,
``DEFAULT_MAX_IMAGE_PIXELS``) live only in their module: change them there.
"""

from .errors import UploadError
from .evidence import EVIDENCE_KINDS, evidence_clean
from .images import (
    image_check_pixels,
    image_reencode,
    max_image_pixels,
    too_many_pixels,
)
from .kinds import (
    EXTENSION_KINDS,
    IMAGE_KINDS,
    KIND_NAMES,
    check_name_matches,
    kind_name,
    sniff,
)
from .limited import (
    TOOL_FILE_BYTES,
    TOOL_MEMORY_BYTES,
    LimitExceeded,
    pdf_page_texts,
    run_limited,
)
from .office import check_office_zip
from .size import (
    DEFAULT_MAX_UPLOAD_BYTES,
    MB,
    OversizedUpload,
    SizeLimitUploadHandler,
    check_size,
    max_upload_bytes,
    too_large,
)

__all__ = [
    "DEFAULT_MAX_UPLOAD_BYTES",
    "EVIDENCE_KINDS",
    "EXTENSION_KINDS",
    "IMAGE_KINDS",
    "KIND_NAMES",
    "MB",
    "TOOL_FILE_BYTES",
    "TOOL_MEMORY_BYTES",
    "LimitExceeded",
    "OversizedUpload",
    "SizeLimitUploadHandler",
    "UploadError",
    "check_name_matches",
    "check_office_zip",
    "check_size",
    "evidence_clean",
    "image_check_pixels",
    "image_reencode",
    "kind_name",
    "max_image_pixels",
    "max_upload_bytes",
    "pdf_page_texts",
    "run_limited",
    "sniff",
    "too_large",
    "too_many_pixels",
]
