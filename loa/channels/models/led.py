"""The ward's LED screens: where each one stands and the address its controller opens."""

from django.db import models

from loa.core.models import Ward


class LedScreen(models.Model):
    """One LED screen of the ward. Its controller's browser opens `/led/<slug>/` on the
    ward's address, which rotates the ward's LED playlist in the screen's layout."""

    class Layout(models.TextChoices):
        WIDE = "169", "Màn hình 16:9 (chữ lớn ở giữa)"
        STRIP = "strip", "Băng chữ chạy (một dòng)"

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường"
    )
    name = models.CharField("tên màn hình", max_length=150)
    slug = models.SlugField(
        "mã màn hình",
        max_length=60,
        help_text="Chữ thường không dấu, nối bằng gạch ngang; dùng trong địa chỉ /led/<mã>/.",
    )
    location = models.CharField("địa điểm đặt màn hình", max_length=300)
    layout = models.CharField(
        "kiểu hiển thị", max_length=10, choices=Layout.choices, default=Layout.WIDE
    )
    size = models.CharField(
        "kích thước", max_length=100, blank=True, help_text="Ví dụ: 3 × 2 m, P5."
    )
    note = models.TextField("ghi chú", blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        app_label = "loa_channels"
        verbose_name = "màn hình LED"
        verbose_name_plural = "màn hình LED"
        ordering = ["-is_active", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "slug"], name="led_screen_unique_slug_per_ward"
            )
        ]

    def __str__(self):
        return self.name
