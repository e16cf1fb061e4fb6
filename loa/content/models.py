"""Portal pages: home, chuyên mục, articles, guides and published plans."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from loa.plans.models import Plan, Task

from . import blocks
from .cache import cache_store, cached_response
from .search import folded_index_text
from .wards import page_public_root

ARTICLES_PER_PAGE = 10


class CachedPageMixin:
    """Serve anonymous visitors from the page cache (see `loa.content.cache`)."""

    def serve(self, request, *args, **kwargs):
        hit = cached_response(request)
        if hit is not None:
            return hit
        response = super().serve(request, *args, **kwargs)
        if not self.get_view_restrictions().exists():
            cache_store(request, response)
        return response


class AsciiSlugMixin:
    """Readable addresses: a slug left empty or typed with Vietnamese letters becomes the
    folded title ("Cảnh giác…" → canh-giac-…), unique among its siblings."""

    def _ascii_slug_ensure(self):
        from .slugs import slug_for_new_page

        parent = (
            self.get_parent()
            if self.path
            else getattr(self, "_cached_parent_obj", None)
        )
        if parent is not None and (not self.slug or not self.slug.isascii()):
            self.slug = slug_for_new_page(
                self.slug or self.title, parent=parent, page=self
            )

    def full_clean(self, *args, **kwargs):
        self._ascii_slug_ensure()
        return super().full_clean(*args, **kwargs)

    def minimal_clean(self, *args, **kwargs):
        self._ascii_slug_ensure()
        return super().minimal_clean(*args, **kwargs)


def stream_text(value) -> str:
    """Return the plain text of a StreamField value (what search and feeds read)."""
    if not value:
        return ""
    pieces = value.stream_block.get_searchable_content(value)
    return " ".join(strip_tags(str(p)) for p in pieces if p)


class HomePage(AsciiSlugMixin, CachedPageMixin, Page):
    hero_title = models.CharField("tiêu đề nổi bật", max_length=200, blank=True)
    hero_text = models.TextField("lời giới thiệu", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
    ]
    # One home per ward, each the root of the ward's own Wagtail site.
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.SectionPage", "content.GuidePage", "content.PlanPage"]
    template = "content/home_page.html"

    class Meta:
        verbose_name = "trang chủ cổng thông tin"
        verbose_name_plural = "trang chủ cổng thông tin"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = SectionPage.objects.child_of(self).live().public()
        context["sections"] = [
            (section, section.latest_articles()[:3]) for section in sections
        ]
        context["guides"] = GuidePage.objects.descendant_of(self).live().public()[:6]
        context["plans"] = PlanPage.objects.child_of(self).live().public()[:5]
        return context


class SectionPage(AsciiSlugMixin, CachedPageMixin, Page):
    """A chuyên mục (KHCN, ĐMST, CĐS, Bình dân học vụ số, Gương điển hình)."""

    short_name = models.CharField(
        "tên viết tắt", max_length=30, blank=True, help_text="Ví dụ: CĐS, KHCN."
    )
    intro = models.TextField("giới thiệu chuyên mục", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("short_name"),
        FieldPanel("intro"),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage", "content.GuidePage"]
    template = "content/section_page.html"

    class Meta:
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"

    def latest_articles(self):
        return (
            ArticlePage.objects.child_of(self)
            .live()
            .public()
            .select_related("image")
            .order_by("-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.latest_articles(), ARTICLES_PER_PAGE)
        context["page_obj"] = paginator.get_page(request.GET.get("trang"))
        context["guides"] = GuidePage.objects.child_of(self).live().public()
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="tagged_items",
        verbose_name="tin bài",
    )

    class Meta:
        verbose_name = "thẻ của tin bài"
        verbose_name_plural = "thẻ của tin bài"


class ArticlePage(AsciiSlugMixin, CachedPageMixin, Page):
    sapo = models.TextField(
        "sa pô", help_text="Đoạn mở đầu ngắn (1–3 câu), dùng cả khi chia sẻ bài."
    )
    body = StreamField(blocks.article_body_blocks(), verbose_name="nội dung")
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="ảnh đại diện",
    )
    image_alt = models.CharField(
        "mô tả ảnh đại diện",
        max_length=250,
        blank=True,
        help_text="Bắt buộc khi có ảnh: mô tả ngắn cho người khiếm thị.",
    )
    tags = ClusterTaggableManager(
        through=ArticlePageTag, blank=True, verbose_name="thẻ"
    )
    related_task = models.ForeignKey(
        Task,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name="nhiệm vụ kế hoạch liên quan",
    )
    search_text_folded = models.TextField(
        "văn bản tìm kiếm (bỏ dấu)", blank=True, editable=False
    )

    content_panels = Page.content_panels + [
        FieldPanel("sapo"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt")], heading="Ảnh đại diện"
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("related_task"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("sapo"),
        index.SearchField("body"),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types = []
    template = "content/article_page.html"

    class Meta:
        verbose_name = "tin bài"
        verbose_name_plural = "tin bài"

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": ValidationError("Hãy mô tả ảnh.", code="alt_required")}
            )

    def save(self, *args, **kwargs):
        # Pure computation from the page's own fields; a revision save that does not
        # write this field leaves the published text searchable.
        self.search_text_folded = folded_index_text(
            self.title, self.sapo, stream_text(self.body), " ".join(self.tags.names())
        )
        return super().save(*args, **kwargs)

    @property
    def section(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Shared links start with the ward's address, whatever host the page was
        # reached at (an IP address, a proxy's name, another ward's host).
        root = page_public_root(self)
        parts = self.get_url_parts(request)
        context["canonical_url"] = root + parts[2] if parts else ""
        if self.image:
            url = self.image.get_rendition("fill-1200x630").url
            is_absolute = url.startswith(("http://", "https://"))
            context["og_image_url"] = url if is_absolute else root + url
        return context


class GuidePage(AsciiSlugMixin, CachedPageMixin, Page):
    """A step-by-step guide (hướng dẫn từng bước)."""

    intro = models.TextField("giới thiệu", blank=True)
    steps = StreamField(
        [("step", blocks.StepBlock())], verbose_name="các bước", blank=True
    )
    search_text_folded = models.TextField(
        "văn bản tìm kiếm (bỏ dấu)", blank=True, editable=False
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("steps")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("steps"),
    ]
    parent_page_types = ["content.HomePage", "content.SectionPage"]
    subpage_types = []
    template = "content/guide_page.html"

    class Meta:
        verbose_name = "hướng dẫn"
        verbose_name_plural = "hướng dẫn"

    def save(self, *args, **kwargs):
        self.search_text_folded = folded_index_text(
            self.title, self.intro, stream_text(self.steps)
        )
        return super().save(*args, **kwargs)


class PlanPage(AsciiSlugMixin, CachedPageMixin, Page):
    """The public page of a plan the ward is carrying out (read-only)."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name="kế hoạch",
        limit_choices_to={"status__in": [Plan.Status.ACTIVE, Plan.Status.CLOSED]},
    )
    intro = models.TextField("giới thiệu", blank=True)

    content_panels = Page.content_panels + [FieldPanel("plan"), FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []
    template = "content/plan_page.html"

    class Meta:
        verbose_name = "trang kế hoạch"
        verbose_name_plural = "trang kế hoạch"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        plan = self.plan
        is_public = plan.status != Plan.Status.REVIEW
        context["plan"] = plan
        context["is_public"] = is_public
        groups: dict = {}
        if is_public:
            for task in plan.tasks.select_related("unit").order_by(
                "unit__name", "order"
            ):
                groups.setdefault(task.unit, []).append(task)
        context["unit_tasks"] = list(groups.items())
        return context
