"""The library of slogans (khẩu hiệu) for băng-rôn and LED boards: only approved ones print."""

from django.db import models


class Slogan(models.Model):
    text = models.CharField("khẩu hiệu", max_length=300)
    is_approved = models.BooleanField("đã duyệt", default=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        app_label = "loa_channels"
        verbose_name = "khẩu hiệu"
        verbose_name_plural = "thư viện khẩu hiệu"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text


def print_slogan(
    *,
    slogan: Slogan,
    base_url: str | None = None,
    ward_name: str | None = None,
    size_cm: tuple[float, float] | None = None,
) -> bytes:
    """Print an approved slogan as a băng-rôn, its QR leading to the assistant."""
    from django.conf import settings

    from .printing import ASSISTANT_PATH, CAPTION_ASSISTANT, _ward_name, print_pdf

    if not slogan.is_approved:
        raise ValueError("Khẩu hiệu chưa được duyệt")
    root = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return print_pdf(
        kind="banner",
        title=slogan.text,
        text="",
        qr_url=root + ASSISTANT_PATH,
        ward_name=_ward_name(ward_name),
        base_url=root,
        qr_caption=CAPTION_ASSISTANT,
        size_cm=size_cm,
    )
