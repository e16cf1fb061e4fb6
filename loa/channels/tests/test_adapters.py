"""Each channel's rendering within its limits, and its HTTP client against an imitation."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from loa.channels.adapters import AdapterError, ManualOnly, adapter_for
from loa.channels.adapters.base import hashtag, shorten

from .conftest import FB_PAGE, FB_TOKEN, YT_TOKEN, ZALO_TOKEN


class FakeTags:
    def __init__(self, names):
        self._names = names

    def names(self):
        return self._names


def fake_page(
    *, title="Phường ra mắt Tổ công nghệ số cộng đồng", body="", tags=(), video=None
):
    return SimpleNamespace(
        title=title,
        sapo="Sáng 5/3, phường ra mắt 12 Tổ công nghệ số cộng đồng.",
        body=body,
        full_url="https://phuong.example.vn/cds/ra-mat-to-cong-nghe/",
        tags=FakeTags(list(tags)),
        video=video,
    )


LONG_BODY = " ".join(["Người dân được hướng dẫn cài đặt và sử dụng VNeID mức 2."] * 400)


def fake_delivery(**kwargs):
    values = {
        "title": "Phường ra mắt Tổ công nghệ số cộng đồng",
        "variant": "Nội dung đăng thử.",
        "image_url": "",
        "page": fake_page(),
        "ward": None,  # links then keep the stand-in page's own address
    }
    values.update(kwargs)
    return SimpleNamespace(**values)


# ------------------------------------------------------------------ rendering


@pytest.mark.parametrize(
    ("channel", "limit"),
    [("zalo", 2000), ("facebook", 1500), ("youtube", 5000), ("led", 120)],
)
def test_long_article_is_rendered_within_the_channel_limit(channel, limit):
    text = adapter_for(channel).render(fake_page(body=LONG_BODY))
    assert len(text) <= limit


@pytest.mark.parametrize("channel", ["zalo", "facebook", "youtube"])
def test_rendering_keeps_the_link_back_and_the_hashtags_when_the_body_is_cut(channel):
    text = adapter_for(channel).render(
        fake_page(body=LONG_BODY, tags=["chuyển đổi số", "VNeID"])
    )
    assert "https://phuong.example.vn/cds/ra-mat-to-cong-nghe/" in text
    assert "#ChuyenDoiSo" in text and "#NQ57" in text and "#VNeID" in text
    assert text.count("#ChuyenDoiSo") == 1  # the tag and the base hashtag are one
    assert "…" in text


def test_short_article_is_rendered_whole():
    text = adapter_for("zalo").render(fake_page(body="Một câu ngắn."))
    assert "Một câu ngắn." in text and "…" not in text


def test_youtube_title_is_cut_to_100_characters_without_angle_brackets():
    title = adapter_for("youtube").render_title(
        fake_page(title="<Hội nghị> " + "rất dài " * 30)
    )
    assert len(title) <= 100
    assert "<" not in title and ">" not in title


def test_hashtag_folds_vietnamese_into_camel_case():
    assert hashtag("Bình dân học vụ số") == "#BinhDanHocVuSo"
    assert hashtag("đổi mới sáng tạo") == "#DoiMoiSangTao"


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("một hai ba bốn năm sáu", 12) == "một hai ba…"


# ------------------------------------------------------------------ Facebook


def test_facebook_posts_the_variant_with_the_link_and_returns_the_post_url(platforms):
    result = adapter_for("facebook").send(fake_delivery())
    [request] = platforms.of("facebook")
    assert request["path"] == f"/facebook/v21.0/{FB_PAGE}/feed"
    assert request["form"]["message"] == "Nội dung đăng thử."
    assert (
        request["form"]["link"] == "https://phuong.example.vn/cds/ra-mat-to-cong-nghe/"
    )
    assert request["form"]["access_token"] == FB_TOKEN
    assert result.external_url == f"https://www.facebook.com/{result.external_id}"


def test_facebook_rate_limit_is_retryable_after_the_time_it_asks(platforms):
    platforms.answer_next(
        "facebook",
        429,
        {"error": {"message": "(#4) Application request limit reached", "code": 4}},
        headers={"Retry-After": "120"},
    )
    with pytest.raises(AdapterError) as caught:
        adapter_for("facebook").send(fake_delivery())
    assert caught.value.is_retryable and not caught.value.is_ambiguous
    assert caught.value.retry_after == 120
    assert "quá nhanh" in str(caught.value)


def test_facebook_server_error_is_retryable(platforms):
    platforms.answer_next(
        "facebook", 503, {"error": {"message": "Service unavailable", "code": 2}}
    )
    with pytest.raises(AdapterError) as caught:
        adapter_for("facebook").send(fake_delivery())
    assert caught.value.is_retryable


def test_facebook_refusal_is_final_and_keeps_the_token_out_of_the_message(platforms):
    platforms.answer_next(
        "facebook",
        400,
        {"error": {"message": f"Invalid OAuth access token {FB_TOKEN}", "code": 190}},
    )
    with pytest.raises(AdapterError) as caught:
        adapter_for("facebook").send(fake_delivery())
    assert not caught.value.is_retryable
    assert FB_TOKEN not in str(caught.value)
    assert "mã lỗi 190" in str(caught.value)


def test_lost_answer_is_ambiguous_so_it_is_not_retried(platforms):
    platforms.answer_next("facebook", 0, {})
    with pytest.raises(AdapterError) as caught:
        adapter_for("facebook").send(fake_delivery())
    assert caught.value.is_ambiguous


def test_refused_connection_is_safe_to_retry(platforms):
    platforms.server.stop()
    with pytest.raises(AdapterError) as caught:
        adapter_for("facebook").send(fake_delivery())
    assert caught.value.is_retryable and not caught.value.is_ambiguous
    assert "Không kết nối được tới Facebook" in str(caught.value)


# ------------------------------------------------------------------ YouTube


def test_youtube_uploads_the_video_with_title_and_description(platforms):
    video = ContentFile(b"\x00\x00\x00\x18ftypmp42 fake video", name="clip.mp4")
    delivery = fake_delivery(page=fake_page(video=video), variant="Mô tả video.")
    result = adapter_for("youtube").send(delivery)
    [request] = platforms.of("youtube")
    assert request["path"] == "/youtube/upload/youtube/v3/videos"
    assert request["query"]["uploadType"] == ["multipart"]
    assert request["headers"]["authorization"] == f"Bearer {YT_TOKEN}"
    assert "Mô tả video.".encode() in request["raw"]
    assert b"ftypmp42 fake video" in request["raw"]
    assert (
        result.external_url == f"https://www.youtube.com/watch?v={result.external_id}"
    )


def test_youtube_quota_error_is_final(platforms):
    platforms.answer_next(
        "youtube", 403, {"error": {"code": 403, "message": "quotaExceeded"}}
    )
    video = ContentFile(b"video", name="clip.mp4")
    with pytest.raises(AdapterError) as caught:
        adapter_for("youtube").send(fake_delivery(page=fake_page(video=video)))
    assert not caught.value.is_retryable


def test_youtube_without_a_video_goes_to_manual(platforms):
    with pytest.raises(ManualOnly):
        adapter_for("youtube").send(fake_delivery())
    assert platforms.of("youtube") == []


# ------------------------------------------------------------------ Zalo


@pytest.fixture
def zalo_delivery(db, section, platforms):
    from loa.channels.models import Delivery, ZaloFollower, ZaloTemplate

    from .conftest import make_article

    article = make_article(section)
    ZaloTemplate.objects.create(name="Tin bài", is_approved=True, header="Tin phường")
    for n in range(3):
        ZaloFollower.objects.create(user_id=f"u{n}")
    return Delivery.objects.create(
        page=article,
        channel="zalo",
        idempotency_key=f"{article.pk}:zalo:1",
        title=article.title,
        variant="Nội dung Zalo.",
    )


def test_zalo_sends_a_promotion_to_each_follower_with_the_token_header(
    zalo_delivery, platforms
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    result = adapter_for("zalo").send(zalo_delivery, now=now)
    requests = platforms.of("zalo")
    assert [r["json"]["recipient"]["user_id"] for r in requests] == ["u0", "u1", "u2"]
    assert all(r["headers"]["access_token"] == ZALO_TOKEN for r in requests)
    payload = requests[0]["json"]["message"]["attachment"]["payload"]
    assert payload["template_type"] == "promotion"
    assert {"type": "text", "align": "left", "content": "Nội dung Zalo."} in payload[
        "elements"
    ]
    assert result.reach == 3


def test_zalo_error_inside_http_200_is_an_error(zalo_delivery, platforms):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    platforms.answer_next(
        "zalo", 200, {"error": -216, "message": "Access token is invalid"}
    )
    now = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with pytest.raises(AdapterError) as caught:
        adapter_for("zalo").send(zalo_delivery, now=now)
    assert "-216" in str(caught.value)
    assert not caught.value.is_retryable
