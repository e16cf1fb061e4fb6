"""Bad input: script in article bodies, non-image and oversized uploads, over-long posts."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from loa.channels.adapters import adapter_for
from loa.channels.models import Delivery
from loa.channels.services.outbox import delivery_variant_update

pytestmark = pytest.mark.django_db

INJECTION = (
    "<p>Tin hợp lệ về chuyển đổi số.</p>"
    "<script>alert(1)</script><img src=x onerror=alert(1)>"
    '<p><a href="javascript:alert(2)" onclick="alert(3)">bấm</a></p>'
)
VI_TOO_BIG = "Ảnh quá lớn"
VI_NOT_IMAGE = "Hãy tải lên một hình ảnh hợp lệ"


def _png(size=(200, 200)) -> bytes:
    out = io.BytesIO()
    # noise does not compress, so the file is big enough to pass a small limit
    PILImage.effect_noise(size, 80).convert("RGB").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser(
        "bientap", "bientap@example.test", "mat-khau-thu"
    )
    client.force_login(user)
    return user


def test_script_in_article_body_is_not_rendered_executable(client, section):
    from loa.content.models import ArticlePage

    article = ArticlePage(
        title="Bài có mã độc",
        sapo="Sa pô <script>alert('sapo')</script>",
        body=[("paragraph", INJECTION)],
        live=False,
    )
    section.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()

    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tin hợp lệ về chuyển đổi số." in html
    lowered = html.lower()
    assert "<script>alert" not in lowered
    assert "onerror=" not in lowered
    assert "onclick=" not in lowered
    assert "javascript:alert" not in lowered
    # the sapo is text: shown escaped, never as a tag
    assert "&lt;script&gt;" in html


def test_non_image_upload_is_refused_in_vietnamese(client, editor, settings):
    before = get_image_model().objects.count()
    for name, data in [
        ("ke-hoach.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n"),
        ("gia-mao.png", b"MZ\x90\x00 this is not an image"),
    ]:
        response = client.post(
            "/cms/images/add/",
            {"title": "Tệp sai", "file": SimpleUploadedFile(name, data)},
        )
        assert response.status_code == 200  # the form again, with the error
        errors = response.context["form"].errors["file"]
        text = " ".join(errors)
        assert (VI_NOT_IMAGE in text) or ("định dạng ảnh" in text), text
        assert not re.search(r"\bNot a (supported|valid)\b", text)
    assert get_image_model().objects.count() == before


def test_non_image_refused_by_the_multiple_uploader(client, editor):
    response = client.post(
        "/cms/images/multiple/add/",
        {"files[]": SimpleUploadedFile("bao-cao.docx", b"PK\x03\x04 not an image")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["success"] is False
    assert (
        "định dạng ảnh" in data["error_message"]
        or VI_NOT_IMAGE in data["error_message"]
    )
    assert get_image_model().objects.count() == 0


def test_site_upload_limit_applies_to_images():
    from django.conf import settings as live

    assert live.WAGTAILIMAGES_MAX_UPLOAD_SIZE == live.LOA_MAX_UPLOAD_BYTES


def test_oversized_image_is_refused_in_vietnamese(client, editor, settings):
    data = _png()
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = len(data) - 1
    response = client.post(
        "/cms/images/add/",
        {"title": "Ảnh quá cỡ", "file": SimpleUploadedFile("anh-lon.png", data)},
    )
    assert response.status_code == 200
    text = " ".join(response.context["form"].errors["file"])
    assert VI_TOO_BIG in text, text
    assert "too big" not in text
    assert get_image_model().objects.count() == 0

    response = client.post(
        "/cms/images/multiple/add/",
        {"files[]": SimpleUploadedFile("anh-lon.png", data)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.json()["success"] is False
    assert VI_TOO_BIG in response.json()["error_message"]

    # within the limit, the same image goes in
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = len(data)
    response = client.post(
        "/cms/images/add/",
        {"title": "Ảnh vừa cỡ", "file": SimpleUploadedFile("anh-vua.png", data)},
    )
    assert response.status_code == 302
    assert get_image_model().objects.count() == 1


def test_over_long_channel_post_is_refused_in_vietnamese(section):
    from loa.channels.tests.conftest import make_article

    article = make_article(section, title="Tin gửi Zalo")
    delivery = Delivery.objects.create(
        page=article,
        channel="zalo",
        idempotency_key="bad-input:zalo",
        title=article.title,
        variant="Nội dung ngắn.",
        status=Delivery.Status.MANUAL,
    )
    limit = adapter_for("zalo").limit
    with pytest.raises(ValidationError) as caught:
        delivery_variant_update(delivery=delivery, variant="Chuyển đổi số " * limit)
    message = " ".join(caught.value.messages)
    assert caught.value.code == "too_long"
    assert "vượt giới hạn" in message and str(limit) in message
    delivery.refresh_from_db()
    assert delivery.variant == "Nội dung ngắn."

    # exactly at the limit is accepted
    delivery_variant_update(delivery=delivery, variant="a" * limit)
    delivery.refresh_from_db()
    assert len(delivery.variant) == limit
