"""LED-board playlists: the ward's current LED headlines, ready for a screen's controller."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ..adapters.base import shorten
from ..adapters.manual import LED_LIMIT, LedAdapter
from ..models import Channel, Delivery

WINDOW_DAYS = 14
MAX_ITEMS = 10
ASSISTANT_PATH = "/tro-ly/"
ASSISTANT_TEXT = "Hỏi trợ lý chuyển đổi số: {url}"


def display_seconds(text: str) -> int:
    """4 seconds plus one per 10 characters, rounded half up."""
    return 4 + (len(text) + 5) // 10


def led_text(delivery: Delivery) -> str:
    """The delivery's LED line (the editor's variant, else the rendered headline), one
    line of at most 120 characters."""
    text = delivery.variant or LedAdapter().render(delivery.page.specific)
    return shorten(" ".join(text.split()), LED_LIMIT)


def led_deliveries(*, ward, today: date) -> list[Delivery]:
    """The ward's LED deliveries (sent or awaiting manual posting) of pages first
    published in the last 14 days (today included), newest first, one per page, max 10."""
    start = timezone.make_aware(
        datetime.combine(today - timedelta(days=WINDOW_DAYS - 1), time.min)
    )
    end = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    rows = (
        Delivery.objects.filter(
            ward=ward,
            channel=Channel.LED,
            status__in=[Delivery.Status.SENT, Delivery.Status.MANUAL],
            page__live=True,
            page__first_published_at__gte=start,
            page__first_published_at__lt=end,
        )
        .select_related("page")
        .order_by("-page__first_published_at", "-created_at", "-pk")
    )
    chosen: list[Delivery] = []
    seen: set[int] = set()
    for delivery in rows:
        if delivery.page_id in seen:  # an older revision's delivery of the same page
            continue
        seen.add(delivery.page_id)
        chosen.append(delivery)
        if len(chosen) == MAX_ITEMS:
            break
    return chosen


def assistant_item(ward) -> dict:
    url = ward.absolute_url(ASSISTANT_PATH)
    text = ASSISTANT_TEXT.format(url=url)
    return {"text": text, "seconds": display_seconds(text), "url": url}


def playlist_items(deliveries: list[Delivery], *, ward) -> list[dict]:
    """The screen items of the deliveries, then the assistant's; links on `ward`'s address."""
    from loa.content.wards import page_public_url

    items = []
    for delivery in deliveries:
        text = led_text(delivery)
        items.append(
            {
                "text": text,
                "seconds": display_seconds(text),
                "url": page_public_url(delivery.page.specific, ward=ward),
            }
        )
    items.append(assistant_item(ward))
    return items


def led_playlist(*, ward, today: date) -> list[dict]:
    """The current items of the ward's LED screens, the standing assistant item last."""
    return playlist_items(led_deliveries(ward=ward, today=today), ward=ward)


def playlist_txt(items: list[dict]) -> str:
    """One line per item: seconds, a tab, the text."""
    return "".join(f"{item['seconds']}\t{item['text']}\n" for item in items)
