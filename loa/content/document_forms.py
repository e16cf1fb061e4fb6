"""The base form of Wagtail's document uploads: the upload guards of loa.core.uploads.

Wagtail accepts any file as a document and has no size limit of its own. This form, set
as ``WAGTAILDOCS_DOCUMENT_FORM_BASE``, refuses a file over ``LOA_MAX_UPLOAD_BYTES`` from
its declared size, and accepts only what a ward publishes for residents, checked on the
bytes with a matching extension: PDF, Word, Excel, PowerPoint (.docx/.xlsx/.pptx and the
old .doc/.xls/.ppt many official forms still use), OpenDocument, plain text (.txt/.csv) and
JPEG/PNG scans. A .docx/.xlsx/.pptx passes the zip-bomb and XML-entity guards (it goes to
residents' computers), and a scan is stored re-encoded without its EXIF/GPS metadata.
Programs, HTML, SVG, archives and media files are refused in Vietnamese."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from loa.core import uploads

DOCUMENT_EXTENSIONS = {
    ".pdf",
    ".docx",
    ".xlsx",
    ".pptx",
    ".doc",
    ".xls",
    ".ppt",
    ".odt",
    ".ods",
    ".odp",
    ".txt",
    ".csv",
    ".jpg",
    ".jpeg",
    ".png",
}


class LoaDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # editing the title only: the stored file stays as it is
        try:
            return _checked(upload)
        except uploads.UploadError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc


def _checked(upload: UploadedFile) -> UploadedFile:
    uploads.check_size(upload.size)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_EXTENSIONS:
        raise uploads.UploadError(
            f"Không nhận tài liệu có đuôi “{suffix or 'trống'}”; chỉ nhận PDF, Word, "
            "Excel, PowerPoint, OpenDocument, .txt, .csv hoặc ảnh JPEG/PNG.",
            code="unsupported",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = uploads.sniff(data)
    uploads.check_name_matches(kind, upload.name)
    if kind in ("docx", "xlsx", "pptx"):
        uploads.check_office_zip(data)
    elif kind in ("jpeg", "png"):
        data, _fmt = uploads.image_reencode(data)
        return SimpleUploadedFile(upload.name, data, upload.content_type)
    return upload
