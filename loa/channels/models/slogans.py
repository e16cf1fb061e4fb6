"""The library of slogans (khẩu hiệu) for băng-rôn and LED boards: each ward keeps its
own; staff propose, plan managers approve, and only approved ones print."""

from django.conf import settings
from django.db import models

from loa.core.models import Ward


class Slogan(models.Model):
    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="phường",
        help_text="Trống: khẩu hiệu nhập từ dòng lệnh trước khi mỗi phường có thư viện riêng.",
    )
    text = models.CharField("khẩu hiệu", max_length=300)
    is_approved = models.BooleanField("đã duyệt", default=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người đề xuất",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người duyệt",
    )
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)

    class Meta:
        app_label = "loa_channels"
        verbose_name = "khẩu hiệu"
        verbose_name_plural = "thư viện khẩu hiệu"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text
