"""The public podcast archive of the radio segment: a page to play and download, and an
RSS 2.0 feed with enclosures. Only approved segments are public."""

from pathlib import Path

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.http import require_GET

from loa.core.selectors import public_ward_or_404

from ..selectors import segment_list_approved


def public_segments(request):
    """Approved segments of the ward whose address the visitor opened."""
    return segment_list_approved(public_ward_or_404(request))


@require_GET
def radio_archive(request):
    return render(
        request, "channels/radio_archive.html", {"segments": public_segments(request)}
    )


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
        return str(item)

    def item_description(self, item):
        minutes, seconds = divmod(round(item.seconds), 60)
        return f"Tuần {item.week}, dài {minutes} phút {seconds:02d} giây."

    def item_link(self, item):
        return item.ward.absolute_url(
            reverse("loa_channels:radio_archive") + f"#tuan-{item.week}"
        )

    def item_guid(self, item):
        return f"loa-radio-{item.pk}-{item.built_at:%Y%m%d%H%M%S}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.approved_at

    def item_enclosure_url(self, item):
        return item.ward.absolute_url(
            reverse("loa_channels:radio_audio", args=[item.pk])
        )

    def item_enclosure_length(self, item):
        return item.size

    item_enclosure_mime_type = "audio/wav"


radio_feed = RadioFeed()
