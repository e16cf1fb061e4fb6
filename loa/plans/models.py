"""Plans imported from official documents, the tasks they assign, and what units did."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from loa.core.models import Unit, Ward


def plan_upload_path(instance, filename: str) -> str:
    return f"plans/{instance.ward_id}/{timezone.now():%Y/%m}/{filename}"


def evidence_upload_path(instance, filename: str) -> str:
    return f"evidence/{instance.ward_id}/{timezone.now():%Y/%m}/{filename}"


class Plan(models.Model):
    """An official plan (kế hoạch); tasks exist only once staff confirmed the parse."""

    class Status(models.TextChoices):
        REVIEW = "review", "Chờ rà soát"
        ACTIVE = "active", "Đang thực hiện"
        CLOSED = "closed", "Đã kết thúc"

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="plans", verbose_name="phường/xã"
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.REVIEW
    )
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    issued_date = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=300, blank=True)
    place = models.CharField("địa danh", max_length=120, blank=True)
    doc_type = models.CharField(
        "loại văn bản", max_length=60, blank=True, default="Kế hoạch"
    )
    title = models.TextField("trích yếu", blank=True)
    signer = models.CharField("người ký", max_length=120, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=120, blank=True)
    implements = models.JSONField("văn bản căn cứ", default=list, blank=True)
    sections = models.JSONField("các mục", default=list, blank=True)
    parsed = models.JSONField("kết quả phân tích", default=dict, blank=True)
    source_file = models.FileField(
        "tệp gốc", upload_to=plan_upload_path, blank=True, max_length=300
    )
    source_filename = models.CharField("tên tệp gốc", max_length=255, blank=True)
    extraction_method = models.CharField("cách đọc tệp", max_length=10, blank=True)
    original_text = models.TextField("văn bản gốc", blank=True)
    restored_text = models.TextField("văn bản đã phục hồi dấu", blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người nhập",
    )
    created_at = models.DateTimeField("nhập lúc", default=timezone.now)
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-issued_date", "-created_at"]

    def __str__(self):
        return f"Kế hoạch số {self.number}" if self.number else f"Kế hoạch #{self.pk}"


class Task(models.Model):
    """One assignment of the plan to a unit (nhiệm vụ)."""

    class Role(models.TextChoices):
        LEAD = "chu_tri", "Chủ trì"
        SUPPORT = "phoi_hop", "Phối hợp"

    class Recurrence(models.TextChoices):
        WEEKLY = "hang_tuan", "Hằng tuần"
        MONTHLY = "hang_thang", "Hằng tháng"
        QUARTERLY = "hang_quy", "Hằng quý"
        ONGOING = "thuong_xuyen", "Thường xuyên"
        PERIODIC = "dinh_ky", "Định kỳ"

    class Status(models.TextChoices):
        NOT_STARTED = "chua_thuc_hien", "Chưa thực hiện"
        IN_PROGRESS = "dang_thuc_hien", "Đang thực hiện"
        OVERDUE = "qua_han", "Quá hạn"
        DONE = "hoan_thanh", "Hoàn thành"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="kế hoạch"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="tasks", verbose_name="đơn vị"
    )
    text = models.TextField("nội dung nhiệm vụ")
    role = models.CharField("vai trò", max_length=10, choices=Role.choices, blank=True)
    recurrence = models.CharField(
        "tần suất", max_length=15, choices=Recurrence.choices, blank=True
    )
    due_date = models.DateField("hạn hoàn thành", null=True, blank=True)
    order = models.PositiveIntegerField("thứ tự", default=0)
    completed_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người xác nhận hoàn thành",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        short = self.text if len(self.text) <= 80 else self.text[:77] + "…"
        return short

    @property
    def ward(self) -> Ward:
        return self.plan.ward

    def clean(self):
        if self.unit_id and self.plan_id and self.unit.ward_id != self.plan.ward_id:
            raise ValidationError(
                "Đơn vị phải thuộc cùng phường với kế hoạch.", code="unit_other_ward"
            )


class Activity(models.Model):
    """Something a unit did for a task, with its numbers and evidence."""

    class Kind(models.TextChoices):
        CONFERENCE = "hoi_nghi", "Hội nghị"
        ARTICLE = "tin_bai", "Tin bài"
        RADIO = "phat_thanh", "Phát thanh"
        VISUAL = "truc_quan", "Trực quan"
        CLASS = "lop_hoc", "Lớp học"
        RESIDENT_SUPPORT = "ho_tro_nguoi_dan", "Hỗ trợ người dân"
        OTHER = "khac", "Khác"

    class Channel(models.TextChoices):
        PORTAL = "cong_ttdt", "Cổng thông tin điện tử"
        ZALO = "zalo", "Zalo"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        RADIO = "dai_truyen_thanh", "Đài truyền thanh"
        LED = "man_hinh_led", "Màn hình LED, bảng điện tử"
        PRINT = "in_an", "Ấn phẩm in, băng-rôn, pa-nô"
        IN_PERSON = "truc_tiep", "Trực tiếp"
        OTHER = "khac", "Khác"

    ward = models.ForeignKey(
        Ward,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name="phường/xã",
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name="nhiệm vụ",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name="đơn vị thực hiện",
    )
    kind = models.CharField("loại hoạt động", max_length=20, choices=Kind.choices)
    date = models.DateField("ngày thực hiện")
    title = models.CharField("nội dung", max_length=300)
    channel = models.CharField(
        "kênh", max_length=20, choices=Channel.choices, blank=True
    )
    attendees = models.PositiveIntegerField("số người dự", null=True, blank=True)
    copies = models.PositiveIntegerField("số bản, sản phẩm", null=True, blank=True)
    reach = models.PositiveIntegerField("lượt tiếp cận", null=True, blank=True)
    households_helped = models.PositiveIntegerField(
        "số hộ, người được hỗ trợ", null=True, blank=True
    )
    note = models.TextField("ghi chú", blank=True)
    evidence_file = models.FileField(
        "tệp minh chứng", upload_to=evidence_upload_path, blank=True, max_length=300
    )
    evidence_url = models.URLField("đường dẫn minh chứng", blank=True, max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người ghi",
    )
    created_at = models.DateTimeField("ghi lúc", default=timezone.now)

    class Meta:
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        ordering = ["-date", "-pk"]
        # Reports aggregate a ward's activities by date range.
        indexes = [
            models.Index(fields=["task", "date"]),
            models.Index(fields=["ward", "date"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def clean(self):
        if self.task_id and self.ward_id and self.task.plan.ward_id != self.ward_id:
            raise ValidationError(
                "Hoạt động phải thuộc cùng phường với nhiệm vụ.", code="task_other_ward"
            )
