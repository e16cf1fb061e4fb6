"""The weekly radio segment's records: built segments (the podcast archive) and the
broadcast schedule (day, time, loudspeaker cluster)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from loa.core.models import Ward


class RadioSegment(models.Model):
    """One built "Chuyển đổi số" segment: its files under MEDIA_ROOT/radio/<week>/."""

    week = models.CharField("tuần", max_length=8, help_text="YYYY-Www")
    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="phường",
    )
    title = models.CharField("tiêu đề", max_length=300, blank=True)
    audio = models.CharField("tệp âm thanh", max_length=300)
    script_txt = models.CharField("kịch bản .txt", max_length=300, blank=True)
    script_docx = models.CharField("kịch bản .docx", max_length=300, blank=True)
    manifest = models.CharField("manifest.json", max_length=300, blank=True)
    seconds = models.FloatField("thời lượng (giây)", default=0)
    words = models.PositiveIntegerField("số từ", default=0)
    size = models.PositiveBigIntegerField("dung lượng (byte)", default=0)
    built_at = models.DateTimeField("dựng lúc", default=timezone.now)
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
        verbose_name = "chuyên mục phát thanh"
        verbose_name_plural = "chuyên mục phát thanh"
        ordering = ["-week", "-built_at"]

    def __str__(self):
        return self.title or f"Chuyển đổi số tuần {self.week}"


class RadioSlot(models.Model):
    """When and where the weekly segment is broadcast: the broadcast schedule."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Thứ Hai"
        TUESDAY = 1, "Thứ Ba"
        WEDNESDAY = 2, "Thứ Tư"
        THURSDAY = 3, "Thứ Năm"
        FRIDAY = 4, "Thứ Sáu"
        SATURDAY = 5, "Thứ Bảy"
        SUNDAY = 6, "Chủ Nhật"

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường"
    )
    weekday = models.PositiveSmallIntegerField("thứ", choices=Weekday.choices)
    time = models.TimeField("giờ phát")
    cluster = models.CharField("cụm loa", max_length=200)

    class Meta:
        verbose_name = "lịch phát thanh"
        verbose_name_plural = "lịch phát thanh"
        ordering = ["ward", "weekday", "time"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.time:%H:%M} — {self.cluster}"
