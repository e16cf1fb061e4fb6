"""Channels posted by hand (LED boards here; any channel without its token)."""

from .base import Adapter, ManualOnly, SendResult, page_link, page_parts, shorten

LED_LIMIT = 120


class LedAdapter(Adapter):
    """A headline for the LED boards; staff add it to a screen's playlist."""

    def __init__(self):
        super().__init__(
            channel="led",
            activity_channel="man_hinh_led",
            label="Màn hình LED",
            limit=LED_LIMIT,
        )

    def render(self, page) -> str:
        return shorten(page_parts(page)["title"], LED_LIMIT)

    def send(self, delivery, *, now=None) -> SendResult:
        raise ManualOnly("Màn hình LED: thêm dòng tin vào danh sách phát của màn hình.")


def package(delivery) -> dict:
    """What staff copy to post by hand: the text, the title, the image and the link."""
    return {
        "title": delivery.title,
        "text": delivery.variant,
        "image_url": delivery.image_url,
        "page_url": page_link(delivery.page, ward=delivery.ward),
    }


__all__ = ["LedAdapter", "package", "shorten"]
