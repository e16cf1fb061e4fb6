"""The portal's Wagtail images are served by Loa (`loa serve` has no nginx); every other
file under MEDIA_ROOT (plan files, activity evidence, radio) answers 404."""

from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from loa.core import media

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return get_image_model().objects.create(
        title="Ảnh bài viết", file=get_test_image_file()
    )


def media_file(relative: str, content: bytes = b"%PDF-1.4 private") -> Path:
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_rendition_of_a_wagtail_image_is_served_with_its_type_and_a_cache_header(
    client, image
):
    rendition = image.get_rendition("fill-100x100")

    response = client.get(rendition.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    assert f"max-age={media.MAX_AGE_SECONDS}" in response["Cache-Control"]
    assert response["Last-Modified"]
    with rendition.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_original_of_a_wagtail_image_is_served(client, image):
    response = client.get(image.file.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_image_not_changed_since_the_last_visit_answers_304_with_its_cache_header(
    client, image
):
    url = image.get_rendition("width-50").url
    first = client.get(url)

    again = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert again.status_code == 304
    assert again.content == b""
    assert "public" in again["Cache-Control"]


def test_missing_image_answers_404(client, image):
    assert client.get("/media/images/khong-co.fill-100x100.png").status_code == 404


@pytest.mark.parametrize(
    "relative",
    [
        "plans/1/2026/01/ke-hoach.pdf",
        "evidence/1/2026/01/minh-chung.png",
        "radio/2026-w01/segment.wav",
        "documents/van-ban.pdf",
    ],
)
def test_private_file_under_media_is_not_served(client, relative):
    media_file(relative)

    assert client.get(f"/media/{relative}").status_code == 404


def test_plan_file_stays_hidden_under_debug_too(client, settings):
    settings.DEBUG = True
    media_file("plans/1/2026/01/ke-hoach.pdf")

    assert client.get("/media/plans/1/2026/01/ke-hoach.pdf").status_code == 404


@pytest.fixture
def evidence_beside_the_image_folders():
    """A private file to reach, with both image folders present (`images/..` resolves)."""
    for folder in media.PUBLIC_FOLDERS:
        (Path(settings.MEDIA_ROOT) / folder).mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT).parent / "ngoai-media.png").write_bytes(b"\x89PNG out")
    return media_file("evidence/1/2026/01/minh-chung.png", b"\x89PNG evidence")


@pytest.mark.parametrize(
    "url",
    [
        "/media/images/../evidence/1/2026/01/minh-chung.png",
        "/media/images/%2e%2e/evidence/1/2026/01/minh-chung.png",
        "/media/images/..%2fevidence%2f1%2f2026%2f01%2fminh-chung.png",
        "/media/original_images/../../ngoai-media.png",
    ],
)
def test_path_traversal_out_of_the_image_folders_answers_404(
    client, evidence_beside_the_image_folders, url
):
    assert client.get(url).status_code == 404


def test_traversal_handed_straight_to_the_view_answers_404(
    rf, evidence_beside_the_image_folders
):
    with pytest.raises(Http404):
        media.public_image(
            rf.get("/"), path="images/../evidence/1/2026/01/minh-chung.png"
        )


def test_link_in_the_image_folder_to_a_private_file_is_not_followed(client):
    evidence = media_file("evidence/1/2026/01/minh-chung.png", b"\x89PNG evidence")
    link = Path(settings.MEDIA_ROOT) / "images" / "lien-ket.png"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(evidence)

    assert client.get("/media/images/lien-ket.png").status_code == 404


@pytest.mark.parametrize(
    "name", ["ghi-chu.txt", "bieu-tuong.svg", "trang.html", ".an.png"]
)
def test_file_in_an_image_folder_that_is_not_an_image_answers_404(client, name):
    media_file(f"images/{name}", b"<svg onload=alert(1)>")

    assert client.get(f"/media/images/{name}").status_code == 404


def test_nothing_is_served_when_loa_serve_media_is_off(client, settings, image):
    settings.LOA_SERVE_MEDIA = False
    url = image.get_rendition("fill-100x100").url

    assert client.get(url).status_code == 404
    assert client.get(image.file.url).status_code == 404


def test_image_url_is_reversed_under_media_url(image):
    name = image.get_rendition("fill-100x100").file.name

    assert reverse("media_image", kwargs={"path": name}) == settings.MEDIA_URL + name


def test_image_cannot_be_posted_to(client, image):
    assert client.post(image.file.url).status_code == 405
