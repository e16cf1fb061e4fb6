"""The LED pages: the staff playlist (preview, downloads, "Đã đưa lên màn hình") and the
public full-screen page an LED controller's browser opens.

The public page, `/led/<screen>/`, rotates the ward's LED playlist one item at a time
(each for its `seconds`) in a 16:9 layout (`?layout=169`, big centred text) or a
long-strip layout (`?layout=strip`, one line scrolling), and polls
`/led/<screen>/playlist.json` every 60 s to swap the list without a reload. No login: the
playlist is public. The ward is the one whose address the screen opens (each ward's
portal has its own). A screen registered in the ward's list of screens
(`/kenh/led/man-hinh/`) opens in its registered layout unless `?layout=` says otherwise.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from loa.core.access import can_manage_ward_posts, ward_required
from loa.core.selectors import public_ward_or_404

from ..forms import LedScreenForm
from ..models import Delivery, LedScreen
from ..services import led, outbox

LAYOUTS = ("169", "strip")
POLL_SECONDS = 60


def _ward(request):
    return ward_required(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def led_playlist_page(request):
    ward = _ward(request)
    today = timezone.localdate()
    deliveries = led.led_deliveries(ward=ward, today=today)
    if request.method == "POST" and not can_manage_ward_posts(request.user, ward):
        raise PermissionDenied(
            "Chỉ biên tập viên, người duyệt và lãnh đạo ghi nhận tin đã lên màn hình."
        )
    if request.method == "POST" and request.POST.get("action") == "posted":
        evidence = ward.absolute_url(reverse("loa_channels:led_playlist"))
        marked, errors = 0, []
        for delivery in deliveries:
            if delivery.status != Delivery.Status.MANUAL:
                continue
            try:
                outbox.delivery_mark_posted(
                    delivery=delivery, url=evidence, by=request.user
                )
                marked += 1
            except ValidationError as exc:
                errors.append(" ".join(exc.messages))
        for error in errors:
            messages.error(request, error)
        if marked:
            messages.success(
                request,
                f"Đã ghi nhận {marked} tin đưa lên màn hình LED và cập nhật hoạt động.",
            )
        elif not errors:
            messages.info(request, "Không có tin nào đang chờ đưa lên màn hình.")
        return redirect("loa_channels:led_playlist")
    items = led.playlist_items(deliveries, ward=ward)
    pending = sum(1 for d in deliveries if d.status == Delivery.Status.MANUAL)
    return render(
        request,
        "channels/led_playlist.html",
        {
            "items": items,
            "rows": list(zip(deliveries, items, strict=False)),
            "pending": pending,
            "can_mark": can_manage_ward_posts(request.user, ward),
            "window_days": led.WINDOW_DAYS,
        },
    )


@login_required
@require_GET
def led_playlist_txt(request):
    items = led.led_playlist(ward=_ward(request), today=timezone.localdate())
    response = HttpResponse(
        led.playlist_txt(items), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="playlist.txt"'
    return response


@login_required
@require_GET
def led_playlist_json(request):
    ward = _ward(request)
    today = timezone.localdate()
    body = {
        "ward": str(ward),
        "date": today.isoformat(),
        "items": led.led_playlist(ward=ward, today=today),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="playlist.json"'
    return response


# ------------------------------------------------------------------ public screen


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
    layout = request.GET.get("layout") or led.screen_layout(ward, screen) or "169"
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


# ------------------------------------------------------------------ screens (staff)


def _screens_ward(request, *, write: bool = False):
    ward = _ward(request)
    if write and not can_manage_ward_posts(request.user, ward):
        raise PermissionDenied(
            "Chỉ lãnh đạo phường, Phòng Văn hóa - Xã hội, biên tập viên và người "
            "duyệt thêm, sửa màn hình LED."
        )
    return ward


@login_required
@require_GET
def led_screen_list(request):
    ward = _screens_ward(request)
    screens = list(led.ward_screens(ward))
    return render(
        request,
        "channels/led_screens.html",
        {
            "rows": [(screen, led.screen_urls(screen)) for screen in screens],
            "can_edit": can_manage_ward_posts(request.user, ward),
        },
    )


def _screen_form_page(request, ward, screen=None):
    initial = (
        {name: getattr(screen, name) for name in led.SCREEN_FIELDS} if screen else None
    )
    form = LedScreenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if screen is None:
                saved = led.led_screen_create(
                    ward=ward, by=request.user, **form.cleaned_data
                )
            else:
                saved = led.led_screen_update(
                    screen=screen, by=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            verb = "Đã thêm" if screen is None else "Đã lưu"
            messages.success(request, f"{verb} màn hình LED “{saved.name}”.")
            return redirect("loa_channels:led_screen_list")
    return render(
        request,
        "channels/led_screen_form.html",
        {"form": form, "screen": screen},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def led_screen_add(request):
    return _screen_form_page(request, _screens_ward(request, write=True))


@login_required
@require_http_methods(["GET", "POST"])
def led_screen_edit(request, pk: int):
    ward = _ward(request)
    screen = get_object_or_404(LedScreen, pk=pk, ward=ward)
    _screens_ward(request, write=True)
    return _screen_form_page(request, ward, screen)
