"""The base form of Wagtail's image uploads, with its refusals in Vietnamese.

Wagtail has no Vietnamese text for its own image checks (size, format, pixels), so an
editor uploading a 30 MB photo or a PDF renamed .jpg would read English. Set as
`WAGTAILIMAGES_IMAGE_FORM_BASE`; the single and the multiple uploader both use it."""

from django.template.defaultfilters import filesizeformat
from wagtail.images.forms import BaseImageForm


class LoaImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None or not hasattr(field, "max_upload_size"):
            return
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
                "file_too_many_pixels": (
                    "Ảnh có quá nhiều điểm ảnh (%(num_pixels)s). Tối đa "
                    "%(max_pixels_count)s điểm ảnh."
                ),
                "file_too_large_unknown_size": (
                    f"Ảnh quá lớn. Dung lượng tối đa là {limit}."
                ),
            }
        )
