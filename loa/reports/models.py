"""Indicators (chỉ tiêu), budget, and the text of periodic reports.

Figures are never stored here: they are computed from Activities and the other apps'
records each time (see metrics.py). What staff type is only what a number cannot say —
narratives, difficulties, proposals, the people praised — and the money.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from loa.core.models import Unit, Ward
from loa.plans.models import Activity, Plan


class Indicator(models.Model):
    """A target of the plan, defined as a query over recorded work, never typed in."""

    class Measure(models.TextChoices):
        ACTIVITIES = "so_hoat_dong", "Số hoạt động"
        ATTENDEES = "so_nguoi_du", "Số lượt người dự"
        COPIES = "so_san_pham", "Số bản, sản phẩm"
        REACH = "luot_tiep_can", "Lượt tiếp cận"
        HOUSEHOLDS = "so_ho_duoc_ho_tro", "Số hộ, người được hỗ trợ"
        ASSISTANT_QUESTIONS = "luot_hoi_dap", "Lượt hỏi - đáp của trợ lý"
        LEARNERS = "hoc_vien", "Học viên đăng ký"
        CERTIFICATES = "chung_nhan", "Giấy chứng nhận đã cấp"
        SUPPORT_VISITS = "luot_ho_tro", "Lượt hỗ trợ người dân tại nhà"

    class Period(models.TextChoices):
        MONTH = "thang", "mỗi tháng"
        QUARTER = "quy", "mỗi quý"
        YEAR = "nam", "mỗi năm"
        WHOLE = "ca_ky", "cả kỳ báo cáo"

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name="kế hoạch",
    )
    name = models.CharField("chỉ tiêu", max_length=200)
    measure = models.CharField("cách đếm", max_length=20, choices=Measure.choices)
    kinds = models.JSONField(
        "loại hoạt động được tính",
        default=list,
        blank=True,
        help_text="Để trống: mọi loại. Chỉ dùng với các cách đếm theo hoạt động.",
    )
    channels = models.JSONField("kênh được tính", default=list, blank=True)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="chỉ tính đơn vị",
    )
    target = models.PositiveIntegerField("chỉ tiêu mỗi kỳ")
    period = models.CharField(
        "kỳ", max_length=10, choices=Period.choices, default=Period.MONTH
    )
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        valid_kinds = set(Activity.Kind.values)
        valid_channels = set(Activity.Channel.values)
        if not set(self.kinds or []) <= valid_kinds:
            raise ValidationError({"kinds": "Loại hoạt động không hợp lệ."})
        if not set(self.channels or []) <= valid_channels:
            raise ValidationError({"channels": "Kênh không hợp lệ."})
        if self.unit_id and self.plan_id and self.unit.ward_id != self.plan.ward_id:
            raise ValidationError({"unit": "Đơn vị phải thuộc phường của kế hoạch."})


class FundingSource(models.TextChoices):
    STATE_BUDGET = "ngan_sach", "Ngân sách nhà nước"
    INTEGRATED = "long_ghep", "Lồng ghép chương trình, đề án"
    SOCIALISED = "xa_hoi_hoa", "Xã hội hóa, tài trợ"
    OTHER = "khac", "Nguồn khác"


class BudgetAllocation(models.Model):
    """Money set aside for a unit's part of the plan in one year, from one source."""

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường/xã"
    )
    year = models.PositiveSmallIntegerField("năm")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    source = models.CharField(
        "nguồn kinh phí", max_length=12, choices=FundingSource.choices
    )
    amount = models.DecimalField("số tiền (đồng)", max_digits=15, decimal_places=0)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người nhập",
    )
    created_at = models.DateTimeField("nhập lúc", default=timezone.now)

    class Meta:
        verbose_name = "dự toán kinh phí"
        verbose_name_plural = "dự toán kinh phí"
        ordering = ["-year", "unit", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "year", "unit", "source"],
                name="one_allocation_per_line",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="allocation_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_source_display()} {self.year}"


class Expense(models.Model):
    """Money spent on one recorded activity (the evidence of what it paid for)."""

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường/xã"
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="expenses",
        verbose_name="hoạt động",
    )
    source = models.CharField(
        "nguồn kinh phí", max_length=12, choices=FundingSource.choices
    )
    amount = models.DecimalField("số tiền (đồng)", max_digits=15, decimal_places=0)
    date = models.DateField("ngày chi")
    description = models.CharField("nội dung chi", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người nhập",
    )
    created_at = models.DateTimeField("nhập lúc", default=timezone.now)

    class Meta:
        verbose_name = "khoản chi"
        verbose_name_plural = "khoản chi"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["ward", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="expense_positive"
            ),
        ]

    def __str__(self):
        return f"{self.description} ({self.amount:,.0f} đ)"

    def clean(self):
        if self.activity_id and self.ward_id and self.activity.ward_id != self.ward_id:
            raise ValidationError("Khoản chi phải thuộc hoạt động của phường mình.")


class ReportDraft(models.Model):
    """The words of one periodic report; its figures are recomputed at every export."""

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường/xã"
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="report_drafts",
        verbose_name="kế hoạch",
    )
    period_from = models.DateField("từ ngày")
    period_to = models.DateField("đến ngày")
    number = models.CharField(
        "số, ký hiệu", max_length=60, blank=True, help_text="Ví dụ: 215/BC-UBND"
    )
    issued_date = models.DateField("ngày ký", null=True, blank=True)
    introduction = models.TextField("mở đầu", blank=True)
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    next_steps = models.TextField("nhiệm vụ thời gian tới", blank=True)
    recipients = models.TextField(
        "nơi nhận", blank=True, help_text="Mỗi dòng một nơi nhận."
    )
    signer = models.CharField("người ký", max_length=120, blank=True)
    signer_position = models.CharField(
        "chức vụ người ký", max_length=120, blank=True, help_text="Ví dụ: PHÓ CHỦ TỊCH"
    )
    signing_authority = models.CharField(
        "thẩm quyền ký",
        max_length=60,
        blank=True,
        default="KT. CHỦ TỊCH",
        help_text="TM., KT., TL. … theo Nghị định 30/2020/NĐ-CP",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người sửa",
    )
    updated_at = models.DateTimeField("sửa lúc", default=timezone.now)
    # "Gửi báo cáo": from then on the city reads it and its words are frozen
    # (services.draft_submit / draft_withdraw).
    submitted_at = models.DateTimeField("gửi thành phố lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người gửi",
    )

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        ordering = ["-period_to", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_from", "period_to"], name="one_draft_per_period"
            ),
        ]

    def __str__(self):
        return f"Báo cáo {self.plan} ({self.period_from:%d/%m/%Y}–{self.period_to:%d/%m/%Y})"

    def clean(self):
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise ValidationError("Ngày bắt đầu phải trước ngày kết thúc.")

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class UnitNarrative(models.Model):
    """A unit's own paragraphs in the report: what the numbers cannot tell."""

    draft = models.ForeignKey(
        ReportDraft, on_delete=models.CASCADE, related_name="narratives"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị"
    )
    text = models.TextField("nội dung")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người viết",
    )
    updated_at = models.DateTimeField("sửa lúc", default=timezone.now)

    class Meta:
        verbose_name = "phần viết của đơn vị"
        verbose_name_plural = "phần viết của đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "unit"], name="one_narrative_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.unit} — {self.draft}"


class Commendation(models.Model):
    """An exemplary unit or person (biểu dương) chosen by staff for the report."""

    class Kind(models.TextChoices):
        UNIT = "tap_the", "Tập thể"
        PERSON = "ca_nhan", "Cá nhân"

    draft = models.ForeignKey(
        ReportDraft, on_delete=models.CASCADE, related_name="commendations"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    name = models.CharField("tên tập thể, cá nhân", max_length=200)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="thuộc đơn vị",
    )
    reason = models.TextField("thành tích")

    class Meta:
        verbose_name = "biểu dương"
        verbose_name_plural = "biểu dương"
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.name
