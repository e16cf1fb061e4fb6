"""LED-board playlists: the ward's current LED headlines, ready for a screen's controller;
and the registry of the ward's screens (where each stands, the page its controller opens)."""

import unicodedata
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from loa.core.models import AuditLog
from loa.core.services import audit_record

from ..adapters.base import shorten
from ..adapters.manual import LED_LIMIT, LedAdapter
from ..models import Channel, Delivery, LedScreen

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


# ------------------------------------------------------------------ screens

SCREEN_FIELDS = ("name", "slug", "location", "layout", "size", "note", "is_active")


def ward_screens(ward):
    return LedScreen.objects.filter(ward=ward)


def screen_urls(screen: LedScreen) -> dict:
    """The addresses a screen's controller opens, on its ward's public address."""
    page = reverse("loa_channels:led_screen", args=[screen.slug])
    playlist = reverse("loa_channels:led_screen_json", args=[screen.slug])
    return {
        "page": screen.ward.absolute_url(f"{page}?layout={screen.layout}"),
        "playlist": screen.ward.absolute_url(playlist),
    }


def screen_layout(ward, slug: str) -> str:
    """The layout registered for the ward's screen `slug`, or "" if none is."""
    found = LedScreen.objects.filter(ward=ward, slug=slug).values_list(
        "layout", flat=True
    )
    return next(iter(found), "")


def _screen_save(screen: LedScreen, fields: dict, *, by, action: str) -> LedScreen:
    from loa.content.slugs import ascii_slug

    for name in SCREEN_FIELDS:
        if name in fields:
            value = fields[name]
            if isinstance(value, str):
                value = " ".join(unicodedata.normalize("NFC", value).split())
            setattr(screen, name, value)
    screen.slug = ascii_slug(screen.slug or screen.name, max_length=60)
    if not screen.slug:
        raise ValidationError({"slug": "Hãy đặt mã màn hình (chữ không dấu)."})
    taken = LedScreen.objects.filter(ward=screen.ward, slug=screen.slug)
    if taken.exclude(pk=screen.pk).exists():
        raise ValidationError(
            {"slug": f"Phường đã có màn hình mã “{screen.slug}”; hãy chọn mã khác."}
        )
    screen.full_clean()
    screen.save()
    audit_record(
        action=action,
        obj=screen,
        actor=by,
        object_repr=f"Màn hình LED: {screen.name} ({screen.location})",
        changes={name: str(getattr(screen, name)) for name in SCREEN_FIELDS},
    )
    return screen


def led_screen_create(*, ward, by=None, **fields) -> LedScreen:
    """Register one of the ward's LED screens (the slug is made from the name if empty)."""
    return _screen_save(
        LedScreen(ward=ward), fields, by=by, action=AuditLog.Action.CREATE
    )


def led_screen_update(*, screen: LedScreen, by=None, **fields) -> LedScreen:
    return _screen_save(screen, fields, by=by, action=AuditLog.Action.UPDATE)
