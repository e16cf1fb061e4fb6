"""The outbox: which channels an article goes to, each delivery and its attempts."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from loa.core.models import ResidentialGroup, Ward


class Channel(models.TextChoices):
    ZALO = "zalo", "Zalo OA"
    FACEBOOK = "facebook", "Facebook"
    YOUTUBE = "youtube", "YouTube"
    LED = "led", "Màn hình LED"


class ChannelChoice(models.Model):
    """The channels an editor picked for one page."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="channel_choice",
        verbose_name="trang",
    )
    channels = models.JSONField("kênh", default=list, blank=True)
    residential_group = models.ForeignKey(
        ResidentialGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="chỉ gửi Zalo tới tổ dân phố",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người chọn",
    )
    updated_at = models.DateTimeField("chọn lúc", default=timezone.now)

    class Meta:
        verbose_name = "kênh đăng của trang"
        verbose_name_plural = "kênh đăng của trang"

    def __str__(self):
        return f"{self.page_id}: {', '.join(self.channels)}"


class DeliveryQuerySet(models.QuerySet):
    def for_ward(self, ward):
        """Deliveries of `ward`'s own portal articles; never another ward's."""
        return self.filter(ward=ward)


class Delivery(models.Model):
    """One page on one channel: sent at most once, whatever happens to the network."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Chờ gửi"
        WAITING = "waiting", "Chờ theo quy định kênh"
        SENDING = "sending", "Đang gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi lỗi"
        MANUAL = "manual", "Chờ đăng thủ công"

    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="phường/xã",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name="trang",
    )
    revision_id = models.PositiveIntegerField("phiên bản", null=True, blank=True)
    channel = models.CharField("kênh", max_length=20, choices=Channel.choices)
    idempotency_key = models.CharField(
        "khóa chống gửi trùng", max_length=80, unique=True
    )
    title = models.CharField("tiêu đề", max_length=255, blank=True)
    variant = models.TextField("nội dung đăng", blank=True)
    image_url = models.URLField("ảnh", max_length=500, blank=True)
    residential_group = models.ForeignKey(
        ResidentialGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="tổ dân phố nhận tin",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField("số lần thử", default=0)
    last_error = models.TextField("lỗi, lý do chờ", blank=True)
    next_attempt_at = models.DateTimeField("thử lại lúc", null=True, blank=True)
    external_id = models.CharField("mã trên nền tảng", max_length=200, blank=True)
    external_url = models.URLField("đường dẫn bài đăng", max_length=500, blank=True)
    reach = models.PositiveIntegerField("lượt tiếp cận", null=True, blank=True)
    activity = models.ForeignKey(
        "plans.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="hoạt động đã ghi",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    sending_at = models.DateTimeField("bắt đầu gửi lúc", null=True, blank=True)
    sent_at = models.DateTimeField("gửi xong lúc", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "lượt đăng tin"
        verbose_name_plural = "lượt đăng tin"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.title or self.page_id}"

    @staticmethod
    def key_for(*, page_id: int, channel: str, revision_id: int | None) -> str:
        return f"{page_id}:{channel}:{revision_id or 0}"

    @property
    def is_editable(self) -> bool:
        return self.status in {
            self.Status.QUEUED,
            self.Status.WAITING,
            self.Status.FAILED,
            self.Status.MANUAL,
        }


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name="lượt đăng tin",
    )
    at = models.DateTimeField("lúc", default=timezone.now)
    is_ok = models.BooleanField("thành công", default=False)
    error = models.TextField("lỗi", blank=True)

    class Meta:
        verbose_name = "lần gửi"
        verbose_name_plural = "lần gửi"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} {self.at:%d/%m/%Y %H:%M} {'OK' if self.is_ok else 'lỗi'}"
