"""The smart-radio platforms' airing log: one row per broadcast on one cluster."""

from django.db import models

from loa.core.models import Ward


class RadioAiring(models.Model):
    """One broadcast of a segment on one loudspeaker cluster, as the platform logged it."""

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường/xã"
    )
    cluster = models.CharField("cụm loa", max_length=120)
    aired_at = models.DateTimeField("phát lúc")
    week = models.CharField("tuần", max_length=10, blank=True)
    seconds = models.PositiveIntegerField("thời lượng (giây)", default=0)
    source = models.CharField("nguồn nhật ký", max_length=200, blank=True)
    activity_id = models.BigIntegerField("hoạt động đã ghi", null=True, blank=True)

    class Meta:
        app_label = "loa_channels"
        verbose_name = "lượt phát thanh"
        verbose_name_plural = "nhật ký phát thanh"
        ordering = ["-aired_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "cluster", "aired_at"], name="unique_radio_airing"
            )
        ]

    def __str__(self):
        return f"{self.cluster} {self.aired_at:%d/%m/%Y %H:%M}"
