"""The assistant's knowledge base, conversations, tickets for staff and volunteer requests."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from loa.core.models import ResidentialGroup, Ward


class KnowledgeDocument(models.Model):
    """A text the assistant answers from: a plan, an article, a guide or any document."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Kế hoạch"
        ARTICLE = "article", "Bài viết trên cổng thông tin"
        GUIDE = "guide", "Hướng dẫn"
        DOCUMENT = "doc", "Tài liệu"

    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="phường/xã",
        help_text="Để trống: dùng chung cho mọi phường.",
    )
    external_id = models.CharField("mã tài liệu", max_length=200)
    kind = models.CharField(
        "loại", max_length=10, choices=Kind.choices, default=Kind.DOCUMENT
    )
    title = models.CharField("tiêu đề", max_length=300)
    text = models.TextField("nội dung")
    url = models.CharField("đường dẫn để đọc", max_length=500, blank=True)
    source = models.TextField("nguồn", blank=True, help_text="Mỗi dòng một nguồn.")
    lesson_slug = models.SlugField(
        "bài học Bình dân học vụ số", max_length=100, blank=True
    )
    is_active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "tài liệu tri thức"
        verbose_name_plural = "tài liệu tri thức"
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "external_id"],
                name="unique_document_per_ward",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return self.title


class FAQ(models.Model):
    """A curated question (with its variants) and its answer."""

    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="phường/xã",
        help_text="Để trống: dùng chung cho mọi phường.",
    )
    external_id = models.CharField("mã câu hỏi", max_length=200)
    topic = models.CharField("chủ đề", max_length=60, blank=True)
    question = models.CharField("câu hỏi", max_length=500)
    variants = models.TextField(
        "cách hỏi khác", blank=True, help_text="Mỗi dòng một cách hỏi."
    )
    answer = models.TextField("trả lời")
    source = models.CharField("nguồn", max_length=500)
    url = models.CharField("đường dẫn nguồn", max_length=500, blank=True)
    lesson_slug = models.SlugField(
        "bài học Bình dân học vụ số", max_length=100, blank=True
    )
    is_active = models.BooleanField("đang dùng", default=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "câu hỏi thường gặp"
        verbose_name_plural = "câu hỏi thường gặp"
        ordering = ["topic", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "external_id"],
                name="unique_faq_per_ward",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return self.question

    @property
    def all_questions(self) -> list[str]:
        return [
            self.question,
            *[v.strip() for v in self.variants.splitlines() if v.strip()],
        ]


class Conversation(models.Model):
    """A resident's or official's conversation; carries the last turns for follow-ups."""

    class Channel(models.TextChoices):
        WEB = "web", "Trang web"
        API = "api", "API"
        ZALO = "zalo", "Zalo OA"
        MESSENGER = "messenger", "Facebook Messenger"
        CLI = "cli", "Dòng lệnh"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="phường/xã",
    )
    channel = models.CharField(
        "kênh", max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    external_user = models.CharField(
        "mã người dùng trên kênh", max_length=200, blank=True
    )
    created_at = models.DateTimeField("bắt đầu lúc", default=timezone.now)

    class Meta:
        verbose_name = "cuộc hội thoại"
        verbose_name_plural = "cuộc hội thoại"

    def __str__(self):
        return str(self.id)


class Exchange(models.Model):
    """One question and the answer given (personal numbers redacted before storing)."""

    class Feedback(models.IntegerChoices):
        NONE = 0, "Chưa đánh giá"
        LIKE = 1, "Hữu ích"
        DISLIKE = -1, "Chưa hữu ích"

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="exchanges",
        verbose_name="hội thoại",
    )
    question = models.TextField("câu hỏi")
    answer = models.TextField("trả lời")
    answered = models.BooleanField("đã trả lời được", default=False)
    kind = models.CharField("cách trả lời", max_length=20, blank=True)
    topic = models.CharField("chủ đề", max_length=60, blank=True)
    citations = models.JSONField("trích dẫn", default=list, blank=True)
    confidence = models.FloatField("độ tin cậy", default=0.0)
    latency_ms = models.FloatField("thời gian trả lời (ms)", default=0.0)
    feedback = models.SmallIntegerField(
        "đánh giá", choices=Feedback.choices, default=Feedback.NONE
    )
    created_at = models.DateTimeField("lúc", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "lượt hỏi - đáp"
        verbose_name_plural = "lượt hỏi - đáp"
        ordering = ["-created_at"]

    def __str__(self):
        return self.question[:80]


TICKET_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I to misread


def ticket_code() -> str:
    """A code the resident writes down to read the officer's answer ("K7MQ-2XPA")."""
    import secrets

    letters = "".join(secrets.choice(TICKET_CODE_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


class Ticket(models.Model):
    """A question the assistant could not answer well, for staff to answer."""

    class Status(models.TextChoices):
        OPEN = "open", "Chờ trả lời"
        ANSWERED = "answered", "Đã trả lời"
        CLOSED = "closed", "Đã đóng"

    class Reason(models.TextChoices):
        UNKNOWN = "unknown", "Trợ lý chưa có thông tin"
        DISLIKED = "disliked", "Người hỏi chưa hài lòng"

    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="phường/xã",
    )
    exchange = models.ForeignKey(
        Exchange,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        verbose_name="lượt hỏi",
    )
    question = models.TextField("câu hỏi")
    code = models.CharField(
        "mã tra cứu", max_length=9, default=ticket_code, db_index=True, editable=False
    )
    reason = models.CharField(
        "lý do", max_length=10, choices=Reason.choices, default=Reason.UNKNOWN
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField("trả lời của cán bộ", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="cán bộ trả lời",
    )
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    faq = models.ForeignKey(
        FAQ,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="câu hỏi thường gặp đã tạo",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "câu hỏi chờ cán bộ"
        verbose_name_plural = "câu hỏi chờ cán bộ"
        ordering = ["status", "-created_at"]

    def __str__(self):
        return self.question[:80]


class VolunteerRequest(models.Model):
    """ "Gặp tình nguyện viên": a resident asks the community digital team of their tổ for help."""

    class Status(models.TextChoices):
        NEW = "new", "Mới"
        IN_PROGRESS = "in_progress", "Đang hỗ trợ"
        DONE = "done", "Đã hỗ trợ"

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="+", verbose_name="phường/xã"
    )
    residential_group = models.ForeignKey(
        ResidentialGroup,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="tổ dân phố",
    )
    question = models.TextField("cần hỗ trợ")
    contact_name = models.CharField("tên người cần hỗ trợ", max_length=120, blank=True)
    contact_phone = models.CharField("số điện thoại", max_length=20, blank=True)
    conversation = models.ForeignKey(
        Conversation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="hội thoại",
    )
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.NEW
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người hỗ trợ",
    )
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)

    class Meta:
        verbose_name = "yêu cầu gặp tình nguyện viên"
        verbose_name_plural = "yêu cầu gặp tình nguyện viên"
        ordering = ["status", "-created_at"]

    def __str__(self):
        return f"{self.residential_group}: {self.question[:60]}"
