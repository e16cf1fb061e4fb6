"""Zalo OA data: approved message templates, followers and who a delivery reached."""

from django.db import models
from django.utils import timezone

from loa.core.models import ResidentialGroup

from .outbox import Delivery


class ZaloTemplate(models.Model):
    """A promotional message layout submitted to Zalo; only approved ones are used."""

    name = models.CharField("tên mẫu", max_length=120)
    zalo_template_id = models.CharField("mã mẫu trên Zalo", max_length=60, blank=True)
    header = models.CharField("tiêu đề tin", max_length=100, blank=True)
    button_title = models.CharField(
        "chữ trên nút", max_length=40, default="Đọc trên cổng thông tin"
    )
    is_approved = models.BooleanField("Zalo đã duyệt", default=False)
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mẫu tin Zalo"
        verbose_name_plural = "mẫu tin Zalo"
        ordering = ["-is_approved", "-approved_at", "pk"]

    def __str__(self):
        return self.name


class ZaloFollower(models.Model):
    """A resident following the ward's OA, tagged with the tổ dân phố they chose."""

    user_id = models.CharField("mã người theo dõi", max_length=64, unique=True)
    display_name = models.CharField("tên hiển thị", max_length=120, blank=True)
    residential_group = models.ForeignKey(
        ResidentialGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="zalo_followers",
        verbose_name="tổ dân phố",
    )
    is_following = models.BooleanField("đang theo dõi", default=True)
    last_message_at = models.DateTimeField("nhắn OA lần cuối", null=True, blank=True)
    last_promo_on = models.DateField(
        "nhận tin truyền thông lần cuối", null=True, blank=True
    )

    class Meta:
        verbose_name = "người theo dõi Zalo OA"
        verbose_name_plural = "người theo dõi Zalo OA"
        ordering = ["pk"]

    def __str__(self):
        return self.display_name or self.user_id


class ZaloRecipient(models.Model):
    """A follower a Zalo delivery reached; the row is why a retry never resends to them."""

    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.CASCADE,
        related_name="zalo_recipients",
        verbose_name="lượt đăng tin",
    )
    follower = models.ForeignKey(
        ZaloFollower,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="người theo dõi",
    )
    message_id = models.CharField("mã tin nhắn", max_length=100, blank=True)
    sent_at = models.DateTimeField("gửi lúc", default=timezone.now)

    class Meta:
        verbose_name = "người nhận tin Zalo"
        verbose_name_plural = "người nhận tin Zalo"
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "follower"], name="unique_zalo_recipient"
            )
        ]

    def __str__(self):
        return f"{self.delivery_id} → {self.follower_id}"
