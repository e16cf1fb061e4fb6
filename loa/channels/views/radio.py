"""The public podcast archive of the radio segment: a page to play and download, and an
RSS 2.0 feed with enclosures. Only approved segments are public. Each segment is served
as MP3 (what the page and the feed offer first) and as the original WAV."""

from pathlib import Path

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.http import require_GET

from loa.core.selectors import public_ward_or_404
from loa.vn.dates import week_label_of

from ..selectors import segment_list_approved
from ..services.radio import compressed_path, segment_heading


def public_segments(request):
    """Approved segments of the ward whose address the visitor opened."""
    return segment_list_approved(public_ward_or_404(request))


@require_GET
def radio_archive(request):
    segments = list(public_segments(request))
    for segment in segments:
        segment.heading = segment_heading(segment)
        segment.week_text = week_label_of(segment.week)
        mp3 = compressed_path(segment)
        segment.mp3_size = mp3.stat().st_size if mp3 else None
    return render(request, "channels/radio_archive.html", {"segments": segments})


@require_GET
def radio_audio(request, pk: int):
    segment = get_object_or_404(public_segments(request), pk=pk)
    path = Path(settings.MEDIA_ROOT) / segment.audio
    if not path.is_file():
        raise Http404("Không tìm thấy tệp âm thanh.")
    download = request.GET.get("tai") == "1"
    return FileResponse(
        path.open("rb"),
        content_type="audio/wav",
        as_attachment=download,
        filename=f"chuyen-doi-so-{segment.week}.wav",
    )


@require_GET
def radio_audio_mp3(request, pk: int):
    segment = get_object_or_404(public_segments(request), pk=pk)
    path = compressed_path(segment)
    if path is None:
        raise Http404("Không tìm thấy tệp âm thanh.")
    return FileResponse(
        path.open("rb"),
        content_type="audio/mpeg",
        as_attachment=request.GET.get("tai") == "1",
        filename=f"chuyen-doi-so-{segment.week}.mp3",
    )


class RadioFeed(Feed):
    """The ward's podcast feed; every link in it is on the ward's public address."""

    feed_type = Rss201rev2Feed
    title = "Chuyên mục phát thanh Chuyển đổi số"
    description = "Các số phát thanh Chuyển đổi số hằng tuần của phường."

    def get_object(self, request, *args, **kwargs):
        return public_ward_or_404(request)

    def link(self, ward):
        return ward.absolute_url(reverse("loa_channels:radio_archive"))

    def feed_url(self, ward):
        return ward.absolute_url(reverse("loa_channels:radio_feed"))

    def items(self, ward):
        return segment_list_approved(ward)[:50]

    def item_title(self, item):
        return segment_heading(item)

    def item_description(self, item):
        minutes, seconds = divmod(round(item.seconds), 60)
        return (
            f"{week_label_of(item.week).capitalize()}, dài {minutes} phút "
            f"{seconds:02d} giây."
        )

    def item_link(self, item):
        return item.ward.absolute_url(
            reverse("loa_channels:radio_archive") + f"#tuan-{item.week}"
        )

    def item_guid(self, item):
        return f"loa-radio-{item.pk}-{item.built_at:%Y%m%d%H%M%S}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.approved_at

    # A podcast item has one enclosure: the MP3 when there is one, else the WAV.
    def item_enclosure_url(self, item):
        name = "radio_audio_mp3" if compressed_path(item) else "radio_audio"
        return item.ward.absolute_url(reverse(f"loa_channels:{name}", args=[item.pk]))

    def item_enclosure_length(self, item):
        mp3 = compressed_path(item)
        return mp3.stat().st_size if mp3 else item.size

    def item_enclosure_mime_type(self, item):
        return "audio/mpeg" if compressed_path(item) else "audio/wav"


radio_feed = RadioFeed()
