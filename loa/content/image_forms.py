"""The base form of Wagtail's image uploads, with its refusals in Vietnamese.

Wagtail has no Vietnamese text for its own image checks (size, format, pixels), so an
editor uploading a 30 MB photo or a PDF renamed .jpg would read English. Set as
`WAGTAILIMAGES_IMAGE_FORM_BASE`; the single and the multiple uploader both use it.

It also applies the upload guards of loa.core.uploads: the size is checked before Wagtail
reads the file, the pixel limit is WAGTAILIMAGES_MAX_IMAGE_PIXELS (50 million unless the
setting says otherwise, a decompression bomb is refused), and a new image is stored
re-encoded in its own format without metadata (no EXIF GPS position of the photographer).
A format Pillow cannot write again (an SVG or HEIC, if ever enabled) is stored as sent."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from wagtail.images.forms import BaseImageForm

from loa.core import uploads

REENCODED_FORMATS = {"jpeg", "png", "gif", "webp", "avif"}


class LoaImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None or not hasattr(field, "max_upload_size"):
            return
        field.max_image_pixels = uploads.max_image_pixels()
        field.to_python = self._size_first(field, field.to_python)
        formats = getattr(field, "supported_formats_text", "")
        limit = filesizeformat(field.max_upload_size) if field.max_upload_size else ""
        field.error_messages.update(
            {
                "invalid_image_extension": (
                    f"Tệp không phải định dạng ảnh được hỗ trợ. Hãy chọn ảnh {formats}."
                ),
                "invalid_image_known_format": (
                    "Tệp không phải ảnh .%(extension)s thật: đuôi tệp không khớp "
                    "định dạng bên trong (%(image_format)s)."
                ),
                "file_too_large": (
                    "Ảnh quá lớn (%(file_size)s). Dung lượng tối đa là "
                    "%(max_filesize)s; hãy thu nhỏ ảnh rồi tải lại."
                ),
                # num_pixels is Wagtail's English "unknown number" for a bomb, so unused.
                "file_too_many_pixels": (
                    "Ảnh có quá nhiều điểm ảnh (tối đa %(max_pixels_count)s điểm ảnh); "
                    "hãy thu nhỏ ảnh rồi tải lên lại."
                ),
                "file_too_large_unknown_size": (
                    f"Ảnh quá lớn. Dung lượng tối đa là {limit}."
                ),
            }
        )

    @staticmethod
    def _size_first(field, to_python):
        """Refuse an oversized file by its declared size before Wagtail reads it all."""

        def checked(data):
            size = getattr(data, "size", None)
            if field.max_upload_size and size and size > field.max_upload_size:
                raise ValidationError(
                    field.error_messages["file_too_large"]
                    % {
                        "file_size": filesizeformat(size),
                        "max_filesize": filesizeformat(field.max_upload_size),
                    },
                    code="file_too_large",
                )
            return to_python(data)

        return checked

    def clean_file(self):
        """Store a new image re-encoded without metadata (EXIF, GPS, XMP, comments)."""
        upload = self.cleaned_data.get("file")
        image = getattr(upload, "image", None)
        if not isinstance(upload, UploadedFile) or image is None:
            return upload
        if getattr(image, "format_name", "") not in REENCODED_FORMATS:
            return upload
        upload.seek(0)
        try:
            data, _fmt = uploads.image_reencode(
                upload.read(), max_pixels=self.fields["file"].max_image_pixels
            )
        except uploads.UploadError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        cleaned = SimpleUploadedFile(upload.name, data, upload.content_type)
        cleaned.image = image
        return cleaned
