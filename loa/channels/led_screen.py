"""The public full-screen LED page, `/led/<screen>/`, for an LED controller's browser.

It rotates the ward's LED playlist one item at a time (each for its `seconds`) in a
16:9 layout (`?layout=169`, big centred text) or a long-strip layout (`?layout=strip`,
one line scrolling), and polls `/led/<screen>/playlist.json` every 60 s to swap the list
without a reload. No login: the playlist is public. The ward is the one whose address
the screen opens (each ward's portal has its own).
"""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from loa.core.selectors import public_ward_or_404

from . import led

LAYOUTS = ("169", "strip")
POLL_SECONDS = 60


def _body(ward) -> dict:
    today = timezone.localdate()
    return {
        "ward": str(ward),
        "date": today.isoformat(),
        "items": led.led_playlist(ward=ward, today=today),
    }


@require_GET
def led_screen(request, screen: str):
    ward = public_ward_or_404(request)
    layout = request.GET.get("layout", "169")
    if layout not in LAYOUTS:
        layout = "169"
    json_url = reverse("loa_channels:led_screen_json", args=[screen])
    response = render(
        request,
        "channels/led_screen.html",
        {
            "screen": screen,
            "layout": layout,
            "ward": ward,
            "playlist": _body(ward),
            "json_url": json_url,
            "poll_ms": POLL_SECONDS * 1000,
        },
    )
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_GET
def led_screen_json(request, screen: str):
    ward = public_ward_or_404(request)
    response = HttpResponse(
        json.dumps(_body(ward), ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    patch_cache_control(response, no_cache=True, max_age=0)
    return response
