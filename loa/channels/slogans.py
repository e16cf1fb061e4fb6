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
    ward=None,
    base_url: str | None = None,
    ward_name: str | None = None,
    size_cm: tuple[float, float] | None = None,
) -> bytes:
    """Print an approved slogan as a băng-rôn, its QR leading to the assistant.

    The QR is on `base_url` when given, else on the ward's public address (`ward`, by
    default the only active ward).
    """
    from .printing import ASSISTANT_PATH, CAPTION_ASSISTANT, _print_ward, print_pdf

    if not slogan.is_approved:
        raise ValueError("Khẩu hiệu chưa được duyệt")
    ward = _print_ward(ward)
    root = (base_url or ward.public_url).rstrip("/")
    return print_pdf(
        kind="banner",
        title=slogan.text,
        text="",
        qr_url=root + ASSISTANT_PATH,
        ward_name=ward_name or ward.display_name,
        base_url=root,
        qr_caption=CAPTION_ASSISTANT,
        size_cm=size_cm,
    )
