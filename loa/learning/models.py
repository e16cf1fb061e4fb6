"""Bình dân học vụ số in the ward: courses, learners, quizzes, certificates, face-to-face
classes, and the community digital teams with their support visits."""

import contextlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from loa.core.models import ResidentialGroup, Ward
from loa.core.privacy import normalize_phone, validate_phone


class TargetGroup(models.TextChoices):
    CIVIL_SERVANT = "cong_chuc", "Cán bộ, công chức, viên chức"
    BUSINESS = "doanh_nghiep", "Doanh nghiệp, hộ kinh doanh"
    RESIDENT = "nguoi_dan", "Người dân"


class SkillArea(models.Model):
    """An area of the basic digital-skills framework (QĐ 757/QĐ-BKHCN); staff edit the list."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=200)
    order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "nhóm kỹ năng số"
        verbose_name_plural = "nhóm kỹ năng số"
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code}. {self.name}"


class Course(models.Model):
    slug = models.SlugField("mã khóa học", max_length=80, unique=True)
    title = models.CharField("tên khóa học", max_length=200)
    summary = models.TextField("giới thiệu", blank=True)
    national_url = models.URLField(
        "trang tương ứng trên binhdanhocvuso.gov.vn", blank=True
    )
    target_groups = models.JSONField("đối tượng", default=list, blank=True)
    pass_mark = models.PositiveSmallIntegerField("điểm đạt (%)", default=70)
    questions_per_quiz = models.PositiveSmallIntegerField(
        "số câu mỗi lần làm bài", default=10
    )
    max_attempts = models.PositiveSmallIntegerField("số lần làm bài tối đa", default=5)
    order = models.PositiveIntegerField("thứ tự", default=0)
    is_published = models.BooleanField("đang mở", default=True)

    class Meta:
        verbose_name = "khóa học"
        verbose_name_plural = "khóa học"
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class Lesson(models.Model):
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="lessons",
        verbose_name="khóa học",
    )
    slug = models.SlugField("mã bài học", max_length=80, unique=True)
    title = models.CharField("tên bài", max_length=200)
    order = models.PositiveIntegerField("thứ tự", default=0)
    body = models.TextField("nội dung (Markdown)")
    video_url = models.URLField("đường dẫn video", blank=True)
    national_url = models.URLField(
        "bài tương ứng trên binhdanhocvuso.gov.vn", blank=True
    )
    skill_areas = models.ManyToManyField(
        SkillArea, blank=True, related_name="lessons", verbose_name="nhóm kỹ năng"
    )

    class Meta:
        verbose_name = "bài học"
        verbose_name_plural = "bài học"
        ordering = ["course", "order"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Chọn một đáp án"
        MULTIPLE = "multiple", "Chọn nhiều đáp án"

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name="khóa học",
    )
    lesson = models.ForeignKey(
        Lesson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name="bài học",
    )
    text = models.TextField("câu hỏi")
    kind = models.CharField(
        "loại", max_length=10, choices=Kind.choices, default=Kind.SINGLE
    )
    explanation = models.TextField("giải thích", blank=True)

    class Meta:
        verbose_name = "câu hỏi"
        verbose_name_plural = "ngân hàng câu hỏi"
        ordering = ["course", "pk"]

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="choices",
        verbose_name="câu hỏi",
    )
    text = models.CharField("phương án", max_length=500)
    is_correct = models.BooleanField("đúng", default=False)

    class Meta:
        verbose_name = "phương án"
        verbose_name_plural = "phương án"
        ordering = ["question", "pk"]

    def __str__(self):
        return self.text


class Track(models.Model):
    """A recommended path of courses for one target group."""

    target_group = models.CharField(
        "đối tượng", max_length=20, choices=TargetGroup.choices, unique=True
    )
    title = models.CharField("tên lộ trình", max_length=200)
    courses = models.ManyToManyField(
        Course, through="TrackCourse", related_name="tracks", verbose_name="khóa học"
    )

    class Meta:
        verbose_name = "lộ trình học"
        verbose_name_plural = "lộ trình học"

    def __str__(self):
        return self.title


class TrackCourse(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE)
    course = models.ForeignKey(Course, on_delete=models.CASCADE)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["track", "course"], name="unique_track_course"
            )
        ]

    def __str__(self):
        return f"{self.track} — {self.course}"


def new_learner_key() -> str:
    return secrets.token_urlsafe(16)


EARLIEST_BIRTH_YEAR = 1900
# Nobody registers to learn before the age of five: a later year is a slip of the
# keyboard (this year, or the date of the class, typed in the wrong column).
YOUNGEST_LEARNER_AGE = 5


def validate_birth_year(value: int) -> None:
    """Refuse a birth year before 1900 or less than five years ago."""
    latest = timezone.localdate().year - YOUNGEST_LEARNER_AGE
    if not EARLIEST_BIRTH_YEAR <= value <= latest:
        raise ValidationError(
            "Năm sinh %(year)s không hợp lệ: cần trong khoảng %(earliest)s–%(latest)s.",
            code="year_out_of_range",
            params={"year": value, "earliest": EARLIEST_BIRTH_YEAR, "latest": latest},
        )


def _normalize_phone_field(instance: models.Model) -> None:
    """Store a valid phone number in one form (0 and the digits) whoever typed it."""
    # A bad number is reported by the field's validator; this only rewrites good ones.
    with contextlib.suppress(ValidationError):
        instance.phone = normalize_phone(instance.phone)


class Learner(models.Model):
    """A resident learning in the ward: the minimum personal data, given with consent."""

    ward = models.ForeignKey(
        Ward,
        on_delete=models.CASCADE,
        related_name="learners",
        verbose_name="phường/xã",
    )
    name = models.CharField("họ và tên", max_length=120)
    birth_year = models.PositiveSmallIntegerField(
        "năm sinh", validators=[validate_birth_year]
    )
    residential_group = models.ForeignKey(
        ResidentialGroup,
        on_delete=models.PROTECT,
        related_name="learners",
        verbose_name="tổ dân phố",
    )
    target_group = models.CharField(
        "đối tượng",
        max_length=20,
        choices=TargetGroup.choices,
        default=TargetGroup.RESIDENT,
    )
    phone = models.CharField(
        "số điện thoại", max_length=20, blank=True, validators=[validate_phone]
    )
    consent_at = models.DateTimeField("đồng ý lúc")
    access_key = models.CharField(
        "mã truy cập", max_length=40, unique=True, default=new_learner_key
    )
    national_confirmed_at = models.DateField(
        "đã xác nhận hoàn thành trên nền tảng quốc gia ngày", null=True, blank=True
    )
    created_at = models.DateTimeField("đăng ký lúc", default=timezone.now)

    class Meta:
        verbose_name = "học viên"
        verbose_name_plural = "học viên"
        ordering = ["name"]
        indexes = [models.Index(fields=["ward", "residential_group", "target_group"])]

    def __str__(self):
        return self.name

    def clean(self):
        _normalize_phone_field(self)


class LessonProgress(models.Model):
    class Mode(models.TextChoices):
        SELF = "tu_hoc", "Tự học"
        CLASS = "lop_hoc", "Học tại lớp"
        ASSISTED = "co_ho_tro", "Học có người hỗ trợ"

    learner = models.ForeignKey(
        Learner,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name="học viên",
    )
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name="bài học",
    )
    mode = models.CharField(
        "hình thức", max_length=12, choices=Mode.choices, default=Mode.SELF
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người hỗ trợ",
    )
    completed_at = models.DateTimeField("hoàn thành lúc", default=timezone.now)

    class Meta:
        verbose_name = "tiến độ bài học"
        verbose_name_plural = "tiến độ bài học"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson"], name="unique_lesson_progress"
            )
        ]
        # Assisted completions are few; the figures find them without reading every row.
        indexes = [models.Index(fields=["mode", "learner"], name="progress_mode")]

    def __str__(self):
        return f"{self.learner} — {self.lesson}"


def new_choice_seed() -> int:
    """The seed an attempt's option order is drawn from (see `services.quiz_choices`)."""
    return secrets.randbelow(2**31)


class QuizAttempt(models.Model):
    learner = models.ForeignKey(
        Learner,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name="học viên",
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name="khóa học",
    )
    question_ids = models.JSONField("câu hỏi được rút", default=list)
    # The options of each question are shown in an order drawn from this seed and the
    # question's id: the same order at every reload of the attempt, another at the next.
    choice_seed = models.PositiveIntegerField(
        "hạt thứ tự phương án", default=new_choice_seed
    )
    score = models.PositiveSmallIntegerField("điểm (%)", null=True, blank=True)
    passed = models.BooleanField("đạt", default=False)
    started_at = models.DateTimeField("bắt đầu lúc", default=timezone.now)
    submitted_at = models.DateTimeField("nộp bài lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lượt làm bài"
        verbose_name_plural = "lượt làm bài"
        # The ward's figures read attempts by learner; this index answers them from the index alone.
        indexes = [
            models.Index(
                fields=["learner", "submitted_at", "course", "passed"],
                name="attempt_figures",
            )
        ]

    def __str__(self):
        return f"{self.learner} — {self.course} ({self.score}%)"


class QuizAnswer(models.Model):
    attempt = models.ForeignKey(
        QuizAttempt,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name="lượt làm bài",
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name="câu hỏi"
    )
    choice_ids = models.JSONField("phương án đã chọn", default=list)
    is_correct = models.BooleanField("đúng", default=False)

    class Meta:
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"

    def __str__(self):
        return f"{self.attempt_id}: {self.question_id}"


def new_certificate_code() -> str:
    # Unambiguous characters; 12 of them make guessing a valid code hopeless.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    code = models.CharField(
        "mã chứng nhận", max_length=20, unique=True, default=new_certificate_code
    )
    learner = models.ForeignKey(
        Learner,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name="học viên",
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="khóa học",
    )
    issued_at = models.DateTimeField("cấp lúc", default=timezone.now)
    is_revoked = models.BooleanField("đã thu hồi", default=False)

    class Meta:
        verbose_name = "giấy chứng nhận"
        verbose_name_plural = "giấy chứng nhận"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], name="one_certificate_per_course"
            )
        ]

    def __str__(self):
        return self.code


def new_attendance_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


class ClassSession(models.Model):
    """A face-to-face class run by the ward or a community digital team."""

    ward = models.ForeignKey(
        Ward,
        on_delete=models.CASCADE,
        related_name="class_sessions",
        verbose_name="phường/xã",
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name="khóa học",
    )
    lesson = models.ForeignKey(
        Lesson,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name="bài học",
    )
    team = models.ForeignKey(
        "Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name="tổ công nghệ số",
    )
    residential_group = models.ForeignKey(
        ResidentialGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="tổ dân phố",
    )
    date = models.DateField("ngày học")
    place = models.CharField("địa điểm", max_length=200)
    attendance_code = models.CharField(
        "mã điểm danh", max_length=6, default=new_attendance_code
    )
    activity_id = models.BigIntegerField("hoạt động đã ghi", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tạo",
    )

    class Meta:
        verbose_name = "buổi học trực tiếp"
        verbose_name_plural = "buổi học trực tiếp"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.course} — {self.date:%d/%m/%Y}"


class Attendance(models.Model):
    session = models.ForeignKey(
        ClassSession,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name="buổi học",
    )
    learner = models.ForeignKey(
        Learner,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name="học viên",
    )
    at = models.DateTimeField("điểm danh lúc", default=timezone.now)

    class Meta:
        verbose_name = "điểm danh"
        verbose_name_plural = "điểm danh"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"], name="unique_attendance"
            )
        ]

    def __str__(self):
        return f"{self.learner} — {self.session}"


class Team(models.Model):
    """Tổ công nghệ số cộng đồng of one tổ dân phố."""

    ward = models.ForeignKey(
        Ward,
        on_delete=models.CASCADE,
        related_name="digital_teams",
        verbose_name="phường/xã",
    )
    residential_group = models.OneToOneField(
        ResidentialGroup,
        on_delete=models.CASCADE,
        related_name="digital_team",
        verbose_name="tổ dân phố",
    )
    name = models.CharField("tên tổ", max_length=200)

    class Meta:
        verbose_name = "tổ công nghệ số cộng đồng"
        verbose_name_plural = "tổ công nghệ số cộng đồng"
        ordering = ["residential_group__order", "name"]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "to_truong", "Tổ trưởng"
        DEPUTY = "to_pho", "Tổ phó"
        MEMBER = "thanh_vien", "Thành viên"

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name="tổ"
    )
    name = models.CharField("họ và tên", max_length=120)
    role = models.CharField(
        "vai trò", max_length=12, choices=Role.choices, default=Role.MEMBER
    )
    phone = models.CharField(
        "số điện thoại", max_length=20, blank=True, validators=[validate_phone]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digital_team_member",
        verbose_name="tài khoản",
    )

    class Meta:
        verbose_name = "thành viên tổ"
        verbose_name_plural = "thành viên tổ"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name", "phone"], name="unique_team_member"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        _normalize_phone_field(self)


class TeamTarget(models.Model):
    class Metric(models.TextChoices):
        HOUSEHOLDS = "ho_gia_dinh", "Số hộ được hỗ trợ"
        VNEID_LEVEL2 = "vneid_muc_2", "Số tài khoản VNeID mức 2 được kích hoạt"
        QR_PAYMENT = "thanh_toan_qr", "Số người được hướng dẫn thanh toán QR"
        ONLINE_SERVICE = (
            "dvc_truc_tuyen",
            "Số hồ sơ dịch vụ công trực tuyến được hỗ trợ",
        )

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="targets", verbose_name="tổ"
    )
    year = models.PositiveSmallIntegerField("năm")
    metric = models.CharField("chỉ tiêu", max_length=20, choices=Metric.choices)
    target = models.PositiveIntegerField("mục tiêu")

    class Meta:
        verbose_name = "chỉ tiêu của tổ"
        verbose_name_plural = "chỉ tiêu của tổ"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year", "metric"], name="unique_team_target"
            )
        ]

    def __str__(self):
        return f"{self.team} {self.year}: {self.get_metric_display()}"


class SupportVisit(models.Model):
    """A team member's visit to a household; a household code, never names or ID numbers."""

    class Help(models.TextChoices):
        VNEID_LEVEL2 = "vneid_muc_2", "Kích hoạt VNeID mức 2"
        ONLINE_SERVICE = "dvc_truc_tuyen", "Nộp hồ sơ dịch vụ công trực tuyến"
        QR_PAYMENT = "thanh_toan_qr", "Cài ví điện tử, thanh toán QR"
        SCAM = "lua_dao", "Nhận diện lừa đảo"
        OTHER = "khac", "Khác"

    class Result(models.TextChoices):
        DONE = "xong", "Đã xong"
        PARTLY = "mot_phan", "Xong một phần"
        NOT_DONE = "chua_xong", "Chưa xong, hẹn lại"

    client_id = models.UUIDField("mã gửi từ máy", unique=True, default=uuid.uuid4)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="visits", verbose_name="tổ"
    )
    member = models.ForeignKey(
        TeamMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name="thành viên",
    )
    household_code = models.CharField("mã hộ", max_length=40)
    date = models.DateField("ngày hỗ trợ")
    helps = models.JSONField("đã hỗ trợ", default=list)
    result = models.CharField(
        "kết quả", max_length=12, choices=Result.choices, default=Result.DONE
    )
    people = models.PositiveSmallIntegerField("số người được hỗ trợ", default=1)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    activity_id = models.BigIntegerField("hoạt động đã ghi", null=True, blank=True)
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
        verbose_name = "lượt hỗ trợ người dân"
        verbose_name_plural = "lượt hỗ trợ người dân"
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.household_code} {self.date:%d/%m/%Y}"


class LearningSettings(models.Model):
    """Which plan task the ward's classes and visits count for (each records an Activity)."""

    ward = models.OneToOneField(
        Ward,
        on_delete=models.CASCADE,
        related_name="learning_settings",
        verbose_name="phường/xã",
    )
    class_task = models.ForeignKey(
        "plans.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="nhiệm vụ của các lớp học",
    )
    visit_task = models.ForeignKey(
        "plans.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="nhiệm vụ của các lượt hỗ trợ",
    )

    class Meta:
        verbose_name = "cấu hình Bình dân học vụ số"
        verbose_name_plural = "cấu hình Bình dân học vụ số"

    def __str__(self):
        return f"Cấu hình {self.ward}"


class ClassRegistration(models.Model):
    """A learner signs up in advance for a face-to-face class."""

    session = models.ForeignKey(
        ClassSession,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name="buổi học",
    )
    learner = models.ForeignKey(
        Learner,
        on_delete=models.CASCADE,
        related_name="class_registrations",
        verbose_name="học viên",
    )
    created_at = models.DateTimeField("đăng ký lúc", default=timezone.now)

    class Meta:
        verbose_name = "đăng ký lớp học"
        verbose_name_plural = "đăng ký lớp học"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"], name="unique_class_registration"
            )
        ]

    def __str__(self):
        return f"{self.learner} — {self.session}"
