"""The city's shared library: articles, radio bulletins and plan templates wards copy."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from loa.core.models import Ward


class LibraryItem(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "bai_viet", "Bài viết"
        RADIO = "ban_tin_phat_thanh", "Bản tin phát thanh"
        PLAN_TEMPLATE = "mau_ke_hoach", "Mẫu kế hoạch"

    city = models.CharField("thành phố", max_length=200, db_index=True)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    title = models.CharField("tiêu đề", max_length=300)
    summary = models.TextField("tóm tắt", blank=True)
    body = models.TextField(
        "nội dung",
        blank=True,
        help_text="Bài viết, kịch bản phát thanh; mỗi đoạn một dòng. "
        "Mẫu kế hoạch: mỗi dòng “Đơn vị | nhiệm vụ”.",
    )
    source = models.CharField(
        "nguồn (ghi khi sao chép)",
        max_length=300,
        help_text="Ví dụ: Sở Khoa học và Công nghệ thành phố Hải Phòng",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người đăng",
    )
    created_at = models.DateTimeField("đăng lúc", default=timezone.now)

    class Meta:
        verbose_name = "tài liệu thư viện"
        verbose_name_plural = "thư viện dùng chung"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def attribution(self) -> str:
        return f"Nguồn: {self.source} (thư viện dùng chung của {self.city})."


class LibraryCopy(models.Model):
    """A ward took an item: what it became in the ward, who took it and when."""

    item = models.ForeignKey(
        LibraryItem, on_delete=models.CASCADE, related_name="copies"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường/xã"
    )
    target_label = models.CharField("đã tạo", max_length=300)
    target_url = models.CharField("liên kết", max_length=300, blank=True)
    copied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người sao chép",
    )
    copied_at = models.DateTimeField("sao chép lúc", default=timezone.now)

    class Meta:
        verbose_name = "lượt sao chép"
        verbose_name_plural = "lượt sao chép"
        ordering = ["-copied_at"]

    def __str__(self):
        return f"{self.item} → {self.ward}"
