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
