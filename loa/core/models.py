"""Wards (tenants), their residential groups and units, staff memberships, audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Ward(models.Model):
    """A ward or commune: every record of the product belongs to one."""

    class Kind(models.TextChoices):
        WARD = "phuong", "Phường"
        COMMUNE = "xa", "Xã"
        SPECIAL_ZONE = "dac_khu", "Đặc khu"

    name = models.CharField("tên", max_length=200)
    kind = models.CharField(
        "loại", max_length=10, choices=Kind.choices, default=Kind.WARD
    )
    slug = models.SlugField("mã định danh", unique=True)
    province = models.CharField("tỉnh/thành phố", max_length=200, blank=True)
    established_date = models.DateField("ngày thành lập", null=True, blank=True)
    formed_from = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name="hình thành từ",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="đã sáp nhập vào",
    )
    is_active = models.BooleanField("đang hoạt động", default=True)
    # The ward's public surface: its own Wagtail site (portal tree and host name) and the
    # address every link Loa hands out starts with (packages, QR codes, PDFs, manifests).
    site = models.OneToOneField(
        "wagtailcore.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ward",
        verbose_name="cổng thông tin",
    )
    public_address = models.URLField(
        "địa chỉ cổng thông tin",
        blank=True,
        help_text="Ví dụ: https://phuonghaiduong.haiphong.gov.vn (không có đường dẫn).",
    )
    governing_body = models.CharField(
        "cơ quan chủ quản",
        max_length=200,
        blank=True,
        help_text="Để trống: Ủy ban nhân dân của phường/xã.",
    )
    office_address = models.CharField("địa chỉ trụ sở", max_length=300, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    responsible_person = models.CharField(
        "người chịu trách nhiệm nội dung", max_length=200, blank=True
    )
    contact_line = models.CharField(
        "liên hệ khi trợ lý chưa trả lời được",
        max_length=300,
        blank=True,
        help_text="Ví dụ: Bộ phận một cửa, tầng 1 trụ sở UBND phường, 024 3xxx xxxx.",
    )

    class Meta:
        verbose_name = "phường/xã"
        verbose_name_plural = "phường/xã"
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """Name as written in documents: "phường Hải Dương"."""
        return f"{self.get_kind_display().lower()} {self.name}"

    @property
    def authority_name(self) -> str:
        """The issuing authority: "Ủy ban nhân dân phường Hải Dương"."""
        return f"Ủy ban nhân dân {self.display_name}"

    @property
    def governing_body_name(self) -> str:
        return self.governing_body or self.authority_name

    @property
    def public_url(self) -> str:
        """Scheme and host every absolute link of the ward starts with, no trailing "/"."""
        from django.conf import settings

        return (self.public_address or settings.WAGTAILADMIN_BASE_URL).rstrip("/")

    def absolute_url(self, path: str) -> str:
        """A path of this ward's public surface as a full link ("/hoc/" → "https://…/hoc/")."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.public_url}/{path.lstrip('/')}"


class WardFormerName(models.Model):
    """A name the ward had before a rename; records stay attached to the ward itself."""

    ward = models.ForeignKey(
        Ward,
        on_delete=models.CASCADE,
        related_name="former_names",
        verbose_name="phường/xã",
    )
    name = models.CharField("tên cũ", max_length=200)
    kind = models.CharField(
        "loại", max_length=10, choices=Ward.Kind.choices, default=Ward.Kind.WARD
    )
    valid_until = models.DateField("dùng đến ngày", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "tên cũ"
        verbose_name_plural = "tên cũ"
        ordering = ["-valid_until"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class ResidentialGroup(models.Model):
    """Tổ dân phố: the smallest residential unit of a ward."""

    ward = models.ForeignKey(
        Ward,
        on_delete=models.CASCADE,
        related_name="residential_groups",
        verbose_name="phường/xã",
    )
    name = models.CharField("tên", max_length=120)
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "tổ dân phố"
        verbose_name_plural = "tổ dân phố"
        ordering = ["ward", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name"], name="unique_residential_group_name"
            )
        ]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An organisation of the ward that is assigned tasks (đơn vị)."""

    class Kind(models.TextChoices):
        LEADERSHIP = "lanh_dao", "Lãnh đạo UBND"
        DEPARTMENT = "phong_chuyen_mon", "Phòng chuyên môn"
        PUBLIC_SERVICE = "don_vi_su_nghiep", "Đơn vị sự nghiệp"
        SOCIO_POLITICAL = "to_chuc_ctxh", "Mặt trận Tổ quốc, tổ chức chính trị - xã hội"
        POLICE_MILITARY = "cong_an_quan_su", "Công an, quân sự"
        GROUP = "nhom_don_vi", "Nhóm đơn vị"
        OTHER = "khac", "Khác"

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="units", verbose_name="phường/xã"
    )
    name = models.CharField("tên đơn vị", max_length=300)
    kind = models.CharField(
        "loại", max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    email = models.EmailField("thư điện tử", blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["ward", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name"], name="unique_unit_name_per_ward"
            )
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """Which ward (and unit) a staff account belongs to; roles are Django groups."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name="tài khoản",
    )
    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="phường/xã",
        help_text="Để trống với cán bộ thành phố (xem mọi phường của thành phố).",
    )
    # City staff have no ward: they read every ward whose province is this city.
    city = models.CharField(
        "thành phố (cán bộ thành phố)",
        max_length=200,
        blank=True,
        help_text='Tên như ở trường "tỉnh/thành phố" của phường, ví dụ "Thành phố Hải Phòng".',
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name="đơn vị",
    )
    position = models.CharField("chức vụ", max_length=200, blank=True)

    class Meta:
        verbose_name = "thành viên"
        verbose_name_plural = "thành viên"

    def __str__(self):
        return f"{self.user} — {self.ward or self.city}"


class AuditLog(models.Model):
    """Who created, changed, approved or deleted what, and when. Rows are never edited."""

    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Sửa"
        DELETE = "delete", "Xóa"
        APPROVE = "approve", "Phê duyệt"
        IMPORT = "import", "Nhập văn bản"
        CONFIRM = "confirm", "Xác nhận"
        MERGE = "merge", "Sáp nhập"
        RENAME = "rename", "Đổi tên"
        REMIND = "remind", "Đôn đốc"

    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="phường/xã",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người thực hiện",
    )
    action = models.CharField("hành động", max_length=20, choices=Action.choices)
    object_type = models.CharField("loại đối tượng", max_length=100)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=300)
    changes = models.JSONField("thay đổi", default=dict, blank=True)
    created_at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"


class Notification(models.Model):
    """An in-app message to a unit (and, through it, its members), or to one person."""

    ward = models.ForeignKey(
        Ward,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="phường/xã",
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="đơn vị",
    )
    # A personal notification (an approval link) is shown to this person only: not to
    # the unit, not to the ward's plan managers.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="personal_notifications",
        verbose_name="người nhận riêng",
    )
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("liên kết", max_length=300, blank=True)
    dedupe_key = models.CharField(
        "khóa chống trùng", max_length=200, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title
