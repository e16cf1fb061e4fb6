"""The print desk ("Ấn phẩm", /kenh/an-pham/): the ward's staff choose one of its published
articles or approved slogans and a format, preview the PDF inline and download it; other
wards' articles are never offered nor printed; the layouts keep paragraphs apart, print
the article's picture and fill the sheet."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from loa.channels.models import Slogan
from loa.channels.services import printing
from loa.core import roles
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user

pytestmark = pytest.mark.django_db

DESK = reverse("loa_channels:print_desk")
FILE = reverse("loa_channels:print_file")


@pytest.fixture
def wards(db, settings, tmp_path):
    """Two wards, each with its own portal and the starter articles."""
    from loa.content.starter import content_starter_load
    from loa.core.tests.factories import ward_ensure

    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"
    a = ward_ensure()
    b = WardFactory(name="Thành Đông", slug="thanh-dong")
    content_starter_load()
    a.refresh_from_db()  # their portals (Ward.site) were set by the load
    b.refresh_from_db()
    assert printing.ward_articles(a).exists() and printing.ward_articles(b).exists()
    return a, b


def _staff(ward, role):
    return staff_user(ward=ward, unit=UnitFactory(ward=ward), role=role)


def _client(client, ward, role=roles.CULTURE_STAFF):
    client.force_login(_staff(ward, role))
    return client


def _article(ward):
    return printing.ward_articles(ward).first()


def _pdf_text(pdf: bytes, tmp_path, *args) -> str:
    path = tmp_path / "in.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext") or "pdftotext", *args, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


# The staff screen


def test_culture_staff_sees_the_wards_articles_and_formats_but_not_another_wards(
    wards, client
):
    a, b = wards
    response = _client(client, a).get(DESK)
    assert response.status_code == 200
    html = response.content.decode()
    for page in printing.ward_articles(a):
        assert f'value="a{page.pk}"' in html
    for page in printing.ward_articles(b):
        assert f'value="a{page.pk}"' not in html
    for label in ("Áp phích A3", "Tờ rơi A4 gấp ba", "Băng-rôn", "Pa-nô"):
        assert label in html
    assert "<iframe" not in html


def test_choosing_an_article_and_poster_shows_an_inline_preview_and_a_download(
    wards, client, tmp_path
):
    a, _ = wards
    page = _article(a)
    client = _client(client, a)
    response = client.get(DESK, {"nguon": f"a{page.pk}", "loai": "poster"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<iframe" in html and "xem=1" in html
    assert "Tải tệp PDF" in html

    preview = client.get(FILE, {"nguon": f"a{page.pk}", "loai": "poster", "xem": "1"})
    assert preview.status_code == 200
    assert preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline;")
    assert preview.content.startswith(b"%PDF")

    download = client.get(FILE, {"nguon": f"a{page.pk}", "loai": "poster"})
    disposition = download["Content-Disposition"]
    assert disposition == f'attachment; filename="ap-phich-{page.slug}.pdf"'
    assert disposition.isascii()
    assert page.title.split()[0] in _pdf_text(download.content, tmp_path)


def test_another_wards_article_is_refused_and_nothing_is_printed(
    wards, client, monkeypatch
):
    a, b = wards
    foreign = _article(b)
    made = []
    monkeypatch.setattr(
        printing, "print_from_article", lambda **kw: made.append(kw) or b"%PDF"
    )
    client = _client(client, a)
    desk = client.get(DESK, {"nguon": f"a{foreign.pk}", "loai": "poster"})
    assert desk.status_code == 200
    assert "<iframe" not in desk.content.decode()
    assert "không có trong danh sách của phường" in desk.content.decode()
    response = client.get(FILE, {"nguon": f"a{foreign.pk}", "loai": "poster"})
    assert response.status_code == 404
    assert made == []


def test_a_draft_article_is_not_offered(wards, client):
    a, _ = wards
    page = _article(a)
    page.unpublish()
    client = _client(client, a)
    assert f'value="a{page.pk}"' not in client.get(DESK).content.decode()
    assert (
        client.get(FILE, {"nguon": f"a{page.pk}", "loai": "poster"}).status_code == 404
    )


@pytest.mark.parametrize("role", [roles.UNIT_STAFF, roles.DIGITAL_TEAM])
def test_unit_officers_may_not_print(wards, client, role):
    a, _ = wards
    client = _client(client, a, role)
    assert client.get(DESK).status_code == 403
    page = _article(a)
    assert (
        client.get(FILE, {"nguon": f"a{page.pk}", "loai": "poster"}).status_code == 403
    )


def test_editors_may_print(wards, client):
    a, _ = wards
    assert _client(client, a, roles.EDITOR).get(DESK).status_code == 200


def test_an_approved_slogan_prints_as_a_banner_only(wards, client):
    a, b = wards
    slogan = Slogan.objects.create(
        ward=a, text="Chuyển đổi số vì người dân, doanh nghiệp", is_approved=True
    )
    client = _client(client, a)
    pdf = client.get(FILE, {"nguon": f"s{slogan.pk}", "loai": "banner"})
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="bang-ron-khau-hieu-{slogan.pk}.pdf"'
    )
    poster = client.get(DESK, {"nguon": f"s{slogan.pk}", "loai": "poster"})
    assert "Khẩu hiệu chỉ in thành băng-rôn." in poster.content.decode()
    assert (
        client.get(FILE, {"nguon": f"s{slogan.pk}", "loai": "poster"}).status_code
        == 404
    )


def test_pending_and_other_wards_slogans_are_not_printed(wards, client):
    a, b = wards
    pending = Slogan.objects.create(ward=a, text="Khẩu hiệu chờ duyệt")
    foreign = Slogan.objects.create(
        ward=b, text="Khẩu hiệu phường khác", is_approved=True
    )
    client = _client(client, a)
    html = client.get(DESK).content.decode()
    assert f'value="s{pending.pk}"' not in html
    assert f'value="s{foreign.pk}"' not in html
    for slogan in (pending, foreign):
        response = client.get(FILE, {"nguon": f"s{slogan.pk}", "loai": "banner"})
        assert response.status_code == 404


# The layouts


PARAGRAPHS = (
    "<p>Chuyển đổi số là nhiệm vụ của cả hệ thống chính trị và của quốc gia.</p>"
    "<p>Người dân được hướng dẫn cài đặt VNeID ngay tại nhà văn hóa.</p>"
    "<h2>Dịch vụ công</h2><p>Nộp hồ sơ trực tuyến tiết kiệm thời gian&nbsp;và chi phí.</p>"
)


def _rich_article(ward):
    """An article whose one rich-text block holds several paragraphs, as an editor
    writes it in the page editor."""
    page = _article(ward)
    page.body = [("paragraph", PARAGRAPHS)]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_paragraphs_of_one_rich_text_block_stay_separate(wards):
    a, _ = wards
    page = _rich_article(a)
    assert printing.article_paragraphs(page) == [
        "Chuyển đổi số là nhiệm vụ của cả hệ thống chính trị và của quốc gia.",
        "Người dân được hướng dẫn cài đặt VNeID ngay tại nhà văn hóa.",
        "Dịch vụ công",
        "Nộp hồ sơ trực tuyến tiết kiệm thời gian và chi phí.",
    ]


@pytest.mark.parametrize("kind", ["poster", "leaflet", "panel"])
def test_printed_paragraphs_do_not_run_together(wards, kind, tmp_path):
    a, _ = wards
    page = _rich_article(a)
    text = _pdf_text(printing.print_from_article(page=page, kind=kind), tmp_path)
    flat = " ".join(text.split())
    assert "quốc gia.Người" not in flat
    assert re.search(r"quốc gia\.\s+(?:\S+\s+)*?Người dân", text)


@pytest.mark.parametrize("kind", ["poster", "leaflet", "panel"])
def test_the_articles_picture_is_printed(wards, kind):
    a, _ = wards
    page = _article(a)
    assert page.image_id  # the starter's title card, 1200 × 630
    pdf = printing.print_from_article(page=page, kind=kind)
    widths = [
        image.image.width
        for sheet in PdfReader(io.BytesIO(pdf)).pages
        for image in sheet.images
    ]
    assert any(width >= 1000 for width in widths), widths


def _lowest_word(pdf: bytes, tmp_path, page: int) -> float:
    """How far down the page its lowest word ends, as a share of the page height."""
    html = _pdf_text(pdf, tmp_path, "-bbox", "-f", str(page), "-l", str(page))
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html)[1])
    bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', html)]
    return max(bottoms) / height


def test_a_short_article_fills_the_inside_of_the_leaflet(wards, tmp_path):
    a, _ = wards
    pdf = printing.print_from_article(page=_article(a), kind="leaflet")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert _lowest_word(pdf, tmp_path, 2) > 0.6


def test_a_short_article_fills_the_panel_down_to_its_footer(wards, tmp_path):
    a, _ = wards
    page = _article(a)
    page.body = [("paragraph", "<p>Một đoạn ngắn.</p>")]
    page.save_revision().publish()
    pdf = printing.print_from_article(page=page, kind="panel")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    # Everything above the QR footer (the lowest ~16 % of the sheet) is used.
    html = _pdf_text(pdf, tmp_path, "-bbox")
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html)[1])
    words = re.findall(r'yMax="([\d.]+)">([^<]+)<', html)
    above_footer = [float(y) / height for y, word in words if float(y) / height < 0.8]
    assert max(above_footer) > 0.5
