"""The staff desk of the weekly radio segment ("Phát thanh"): build this week's bulletin
from the ward's published articles, edit its script, listen, approve, and read the
smart-radio platforms' airing log. Plan managers and the radio unit's staff only."""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from loa.core.access import user_ward
from loa.vn.dates import week_label_of

from ..forms import RadioBuildForm, RadioScriptForm
from ..models import RadioAiring, RadioSegment
from ..services import radio as radio_services

FILE_TYPES = {
    "mp3": ("audio/mpeg", ".mp3"),
    "wav": ("audio/wav", ".wav"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
    ),
}


def _ward_for_radio(request):
    """The officer's ward, when they may handle its radio segments; else 403."""
    ward = user_ward(request.user)
    if not radio_services.can_manage_radio(request.user, ward):
        raise PermissionDenied(
            "Chỉ lãnh đạo, Phòng Văn hóa - Xã hội và cán bộ đơn vị phụ trách phát thanh "
            "của phường mở được trang Phát thanh."
        )
    return ward


def _segment(request, pk: int):
    ward = _ward_for_radio(request)
    return get_object_or_404(RadioSegment.objects.filter(ward=ward), pk=pk)


def _decorate(segment: RadioSegment) -> RadioSegment:
    segment.heading = radio_services.segment_heading(segment)
    segment.week_text = week_label_of(segment.week)
    segment.has_mp3 = radio_services.compressed_path(segment) is not None
    segment.from_library = not segment.manifest
    return segment


def _this_week():
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, radio_services.week_label(monday)


@login_required
@require_GET
def radio_desk(request):
    ward = _ward_for_radio(request)
    monday, code = _this_week()
    segments = [
        _decorate(s)
        for s in RadioSegment.objects.filter(ward=ward)
        .select_related("approved_by")
        .order_by("-week", "-built_at")[:100]
    ]
    this_week = [s for s in segments if s.week == code]
    waiting = [s for s in segments if s.approved_at is None]
    return render(
        request,
        "channels/radio_desk.html",
        {
            "segments": segments,
            "this_week": this_week,
            "this_week_built": any(not s.from_library for s in this_week),
            "waiting": waiting,
            "week_code": code,
            "week_text": week_label_of(monday),
            "radio_unit": radio_services.radio_unit(ward),
        },
    )


@login_required
@require_POST
def radio_build(request):
    ward = _ward_for_radio(request)
    form = RadioBuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("week", [])))
        return redirect("loa_channels:radio_desk")
    try:
        segment = radio_services.segment_build_for_week(
            ward=ward, week_start=form.cleaned_data["week"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("loa_channels:radio_desk")
    messages.success(
        request,
        "Đã soạn bản tin và đọc thành âm thanh. Hãy nghe lại rồi bấm “Duyệt phát”.",
    )
    return redirect("loa_channels:radio_segment", pk=segment.pk)


@login_required
@require_GET
def radio_segment(request, pk: int):
    segment = _decorate(_segment(request, pk))
    airings = RadioAiring.objects.filter(ward=segment.ward, week=segment.week)[:50]
    return render(
        request,
        "channels/radio_segment.html",
        {
            "segment": segment,
            "script": radio_services.segment_script_text(segment),
            "airings": airings,
        },
    )


@login_required
def radio_edit(request, pk: int):
    segment = _decorate(_segment(request, pk))
    form = RadioScriptForm(
        request.POST or None,
        initial={"script": radio_services.segment_script_text(segment)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            radio_services.segment_script_update(
                segment=segment, script=form.cleaned_data["script"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("script", exc)
        else:
            messages.success(
                request,
                "Đã lưu kịch bản và đọc lại thành âm thanh. Bản tin cần được duyệt lại.",
            )
            return redirect("loa_channels:radio_segment", pk=segment.pk)
    return render(
        request, "channels/radio_edit.html", {"segment": segment, "form": form}
    )


@login_required
@require_POST
def radio_approve(request, pk: int):
    segment = _segment(request, pk)
    if segment.approved_at is not None:
        messages.info(request, "Bản tin này đã được duyệt.")
    else:
        radio_services.segment_approve(segment=segment, by=request.user)
        messages.success(
            request,
            "Đã duyệt bản tin: được phát trên hệ thống truyền thanh và đăng ở trang "
            "lưu trữ phát thanh của phường.",
        )
    return redirect("loa_channels:radio_segment", pk=segment.pk)


@login_required
@require_GET
def radio_file(request, pk: int, kind: str):
    """The segment's MP3, WAV or script .docx, approved or not (staff listen before
    approving; the public archive serves approved ones only)."""
    segment = _segment(request, pk)
    if kind not in FILE_TYPES:
        raise Http404
    content_type, suffix = FILE_TYPES[kind]
    if kind == "docx":
        relative = segment.script_docx
    else:
        relative = str(Path(segment.audio).with_suffix(suffix)) if segment.audio else ""
    path = Path(settings.MEDIA_ROOT) / relative if relative else None
    if path is None or not path.is_file():
        raise Http404("Không tìm thấy tệp.")
    return FileResponse(
        path.open("rb"),
        content_type=content_type,
        as_attachment=request.GET.get("tai") == "1",
        filename=f"chuyen-doi-so-{segment.week}{suffix}",
    )


@login_required
@require_GET
def radio_airings(request):
    """The airing log the smart-radio platforms sent back, newest first."""
    ward = _ward_for_radio(request)
    airings = list(RadioAiring.objects.filter(ward=ward).order_by("-aired_at")[:300])
    for airing in airings:
        airing.week_text = week_label_of(airing.week) if airing.week else ""
    return render(request, "channels/radio_airings.html", {"airings": airings})
