"""Rich text kept to the tags the editor offers: no scripts, no event handlers, no
`javascript:` links, whatever way the HTML came in (an import, a script, a pasted
revision). Wagtail's editor filters what it saves, but a StreamField assigned in code
or loaded from an old revision is rendered as stored, so the block cleans it too."""

import nh3
from wagtail import blocks
from wagtail.rich_text import RichText

TAGS = {
    "p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "a",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "linktype", "id"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_rich_text(html: str | None) -> str:
    """Return `html` with only the editor's tags and attributes (Wagtail's DB format)."""
    if not html:
        return ""
    return nh3.clean(
        str(html),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


class SafeRichTextBlock(blocks.RichTextBlock):
    """A RichTextBlock whose stored and rendered HTML is cleaned with `clean_rich_text`.

    It deconstructs as Wagtail's RichTextBlock, so migrations do not change."""

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.RichTextBlock", args, kwargs

    def to_python(self, value):
        return RichText(clean_rich_text(value))

    def normalize(self, value):
        if isinstance(value, RichText):
            return RichText(clean_rich_text(value.source))
        return RichText(clean_rich_text(value))

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else value
        return clean_rich_text(source)
