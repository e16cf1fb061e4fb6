"""StreamField blocks of portal pages."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from .safe_html import SafeRichTextBlock


class ImageWithAltBlock(blocks.StructBlock):
    """An image that always carries a text alternative for screen readers."""

    image = ImageChooserBlock(label="Ảnh")
    alt = blocks.CharBlock(
        label="Mô tả ảnh (cho người khiếm thị)",
        max_length=250,
        help_text="Bắt buộc: mô tả ngắn những gì ảnh thể hiện.",
    )
    caption = blocks.CharBlock(label="Chú thích", required=False, max_length=300)

    class Meta:
        icon = "image"
        label = "Ảnh"
        template = "content/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Trích dẫn")
    attribution = blocks.CharBlock(label="Nguồn, người nói", required=False)

    class Meta:
        icon = "openquote"
        label = "Trích dẫn"
        template = "content/blocks/quote.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Tên bước", max_length=200)
    body = SafeRichTextBlock(
        label="Cách làm", features=["bold", "italic", "link", "ol", "ul"]
    )

    class Meta:
        icon = "list-ol"
        label = "Bước"
        template = "content/blocks/step.html"


RICH_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]


def article_body_blocks():
    return [
        ("paragraph", SafeRichTextBlock(label="Đoạn văn", features=RICH_FEATURES)),
        ("image", ImageWithAltBlock()),
        ("quote", QuoteBlock()),
    ]
