"""Print materials: page sizes, page counts, Vietnamese text and a QR code that scans.

The QR code is checked the way a phone would see it: the PDF page is rasterised with
poppler's pdftoppm and decoded with zxing-cpp.
"""

import io
import re
import shutil
import subprocess
import unicodedata
from io import StringIO

import pytest
import zxingcpp  # noqa: E402 - a test dependency (pyproject [test])
from django.core.management import call_command
from pypdf import PdfReader

from loa.channels.services.printing import (
    FORMATS,
    paragraphs_cut,
    print_for_assistant,
    print_from_article,
    print_pdf,
    sentences,
)
from loa.core.tests.factories import WardFactory

BASE_URL = "https://phuong.example.vn"
WARD_NAME = "phường Hải Dương"
AUTHORITY = "Ủy ban nhân dân phường Hải Dương"
MM = 72 / 25.4
KINDS = ["poster", "leaflet", "banner", "panel"]
# The page that carries the QR code: the outside of the tri-fold leaflet, the only page otherwise.
QR_PAGE = {"poster": 1, "leaflet": 1, "banner": 1, "panel": 1}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return _nfc(" ".join(page.extract_text() for page in reader.pages))


def _qr_texts(pdf: bytes, tmp_path, *, page: int = 1) -> list[str]:
    from PIL import Image

    source = tmp_path / "print.pdf"
    source.write_bytes(pdf)
    # 2400 px on the long side: ~6 px per module even on the 5 m banner.
    subprocess.run(  # noqa: S603
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            "-scale-to",
            "2400",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    with Image.open(tmp_path / "page.png") as image:
        found = zxingcpp.read_barcodes(image.convert("L"))
    return [barcode.text for barcode in found]


@pytest.fixture
def article(db):
    from loa.content.models import ArticlePage
    from loa.content.starter import content_starter_load
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    return ArticlePage.objects.live().first()


@pytest.fixture
def ward(db):
    return WardFactory(name="Hải Dương", slug="hai-duong")


# Text


def test_sentences_do_not_split_inside_document_numbers_or_decimals():
    text = "Nghị quyết 57-NQ/TW đặt mục tiêu 3.5 lần. Kinh tế số đạt 30% GDP! Còn gì?"
    assert sentences(text) == [
        "Nghị quyết 57-NQ/TW đặt mục tiêu 3.5 lần.",
        "Kinh tế số đạt 30% GDP!",
        "Còn gì?",
    ]


def test_cut_keeps_whole_sentences_and_ends_with_an_ellipsis():
    paragraphs = ["Một câu. Hai câu.", "Ba câu. Bốn câu."]
    assert paragraphs_cut(paragraphs, 3) == ["Một câu. Hai câu.", "Ba câu…"]
    assert paragraphs_cut(paragraphs, 9) == paragraphs


# The article's poster: what the issue asks to test


def test_poster_text_reads_the_title_with_its_diacritics_and_the_ward(article, ward):
    pdf = print_from_article(page=article, kind="poster", ward_name=WARD_NAME)

    text = _text(pdf)
    assert _nfc(article.title) in text
    assert AUTHORITY in text
    assert "Quét mã để đọc bài" in text
    assert article.full_url in text


def test_poster_qr_decodes_to_the_article_url(article, tmp_path):
    pdf = print_from_article(page=article, kind="poster", ward_name=WARD_NAME)

    assert _qr_texts(pdf, tmp_path) == [article.full_url]


def test_base_url_replaces_the_site_address_in_the_qr(article, tmp_path):
    pdf = print_from_article(
        page=article, kind="poster", ward_name=WARD_NAME, base_url=BASE_URL + "/"
    )

    expected = BASE_URL + article.get_url_parts()[2]
    assert _qr_texts(pdf, tmp_path) == [expected]
    assert expected in _text(pdf)


# Every kind


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_its_trim_size_plus_bleed_and_its_page_count(article, kind):
    fmt = FORMATS[kind]
    pdf = print_from_article(page=article, kind=kind, ward_name=WARD_NAME)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == fmt.pages
    for page in reader.pages:
        media, trim = page.mediabox, page.trimbox
        assert float(media.width) == pytest.approx(
            (fmt.width_mm + 2 * fmt.bleed_mm) * MM, abs=0.5
        )
        assert float(media.height) == pytest.approx(
            (fmt.height_mm + 2 * fmt.bleed_mm) * MM, abs=0.5
        )
        assert float(trim.width) == pytest.approx(fmt.width_mm * MM, abs=0.5)
        assert float(trim.height) == pytest.approx(fmt.height_mm * MM, abs=0.5)


def test_paper_sizes_are_a3_a4_trifold_and_the_large_formats_are_full_scale():
    assert (FORMATS["poster"].width_mm, FORMATS["poster"].height_mm) == (297, 420)
    assert (FORMATS["leaflet"].width_mm, FORMATS["leaflet"].height_mm) == (297, 210)
    assert (FORMATS["banner"].width_mm, FORMATS["banner"].height_mm) == (5000, 800)
    assert (FORMATS["panel"].width_mm, FORMATS["panel"].height_mm) == (1200, 2400)
    # Acrobat's limit of 200 inches on a side, bleed included.
    assert max(max(f.media_pt) for f in FORMATS.values()) < 14400


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_prints_the_ward_and_a_qr_that_scans(article, kind, tmp_path):
    pdf = print_from_article(page=article, kind=kind, ward_name=WARD_NAME)

    assert AUTHORITY in _text(pdf)
    assert _qr_texts(pdf, tmp_path, page=QR_PAGE[kind]) == [article.full_url]


def test_trifold_leaflet_has_cover_steps_and_qr_outside_and_key_points_inside(article):
    pdf = print_from_article(page=article, kind="leaflet", ward_name=WARD_NAME)

    outside, inside = (_nfc(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert _nfc(article.title) in outside
    assert "Cách làm" in outside
    # The printed address may wrap in the narrow panel; the QR code carries it whole.
    assert article.full_url in re.sub(r"\s+", "", outside)
    assert _nfc(article.sapo)[:40] in inside


def test_banner_prints_the_title_as_one_line_slogan(article):
    pdf = print_from_article(page=article, kind="banner", ward_name=WARD_NAME)

    assert _nfc(article.title) in _text(pdf)


# Too much text


def test_too_long_text_is_cut_at_a_sentence_and_stays_on_one_poster():
    sentence = "Bà con cài ứng dụng VNeID và kích hoạt tài khoản định danh mức hai."
    text = "\n\n".join([f"Đoạn {n}. " + sentence * 3 for n in range(40)])

    pdf = print_pdf(
        kind="poster",
        title="Kích hoạt định danh điện tử",
        text=text,
        qr_url=BASE_URL + "/bai/",
        ward_name=WARD_NAME,
        base_url=BASE_URL,
    )

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    printed = _text(pdf)
    assert "mức hai…" in printed
    assert "Đoạn 39" not in printed


def test_too_long_inside_of_a_leaflet_is_cut_so_it_stays_two_sided():
    text = "\n\n".join(["Câu ngắn thứ nhất. Câu ngắn thứ hai."] * 200)

    pdf = print_pdf(
        kind="leaflet",
        title="Tờ rơi dài",
        text=text,
        qr_url=BASE_URL + "/bai/",
        ward_name=WARD_NAME,
        base_url=BASE_URL,
    )

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert "…" in _text(pdf)


def test_too_long_slogan_is_cut_at_a_sentence_on_the_banner():
    title = (
        "Chuyển đổi số là gì? Hiểu đơn giản trong ba phút để bà con cùng học kỹ năng "
        "số, không ai bị bỏ lại phía sau trong thời đại mới của đất nước"
    )

    pdf = print_pdf(
        kind="banner",
        title=title,
        text="",
        qr_url=BASE_URL + "/bai/",
        ward_name=WARD_NAME,
        base_url=BASE_URL,
    )

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Chuyển đổi số là gì?" in _text(pdf)
    assert "thời đại mới" not in _text(pdf)


# The assistant


def test_assistant_variant_qr_decodes_to_the_assistant(article, tmp_path):
    pdf = print_for_assistant(
        page=article, kind="poster", ward_name=WARD_NAME, base_url=BASE_URL
    )

    assert _qr_texts(pdf, tmp_path) == [BASE_URL + "/tro-ly/"]
    assert "Quét mã để hỏi trợ lý" in _text(pdf)
    assert _nfc(article.title) in _text(pdf)


def test_assistant_material_without_article_uses_the_ward_of_the_deployment(
    ward, tmp_path
):
    pdf = print_for_assistant(kind="leaflet", base_url=BASE_URL)

    assert AUTHORITY in _text(pdf)
    assert _qr_texts(pdf, tmp_path, page=1) == [BASE_URL + "/tro-ly/"]


# The command


def test_print_command_writes_the_article_poster(article, ward, tmp_path):
    output = tmp_path / "ap-phich.pdf"

    call_command(
        "print",
        "poster",
        "--article",
        article.slug,
        "-o",
        str(output),
        stdout=StringIO(),
    )

    pdf = output.read_bytes()
    assert _nfc(article.title) in _text(pdf)
    assert _qr_texts(pdf, tmp_path) == [article.full_url]


def test_print_command_takes_an_id_and_the_assistant_flag(article, ward, tmp_path):
    output = tmp_path / "to-roi.pdf"

    call_command(
        "print",
        "leaflet",
        "--article",
        str(article.pk),
        "--assistant",
        "--base-url",
        BASE_URL,
        "-o",
        str(output),
        stdout=StringIO(),
    )

    assert _qr_texts(output.read_bytes(), tmp_path, page=1) == [BASE_URL + "/tro-ly/"]


def test_print_command_refuses_an_unknown_article_with_exit_2(article, tmp_path):
    stderr = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command(
            "print",
            "poster",
            "--article",
            "khong-co-bai-nay",
            "-o",
            str(tmp_path / "x.pdf"),
            stderr=stderr,
        )

    assert exit_.value.code == 2
    assert stderr.getvalue().strip() == "Không có tin bài 'khong-co-bai-nay'."
    assert not (tmp_path / "x.pdf").exists()


def test_print_command_refuses_an_unpublished_article_with_exit_2(
    article, ward, tmp_path
):
    article.unpublish()
    stderr = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command(
            "print",
            "banner",
            "--article",
            article.slug,
            "-o",
            str(tmp_path / "x.pdf"),
            stderr=stderr,
        )

    assert exit_.value.code == 2
    assert "chưa xuất bản" in stderr.getvalue()
    assert len(stderr.getvalue().strip().splitlines()) == 1


def test_print_command_needs_a_ward_when_none_can_be_chosen(article, tmp_path):
    from loa.channels.models import Slogan

    # A slogan belongs to no ward: with two wards, the command cannot guess whose
    # address its QR should carry.
    WardFactory(name="Lê Chân", slug="le-chan")
    slogan = Slogan.objects.create(text="Chuyển đổi số vì nhân dân", is_approved=True)
    stderr = StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command(
            "print",
            "banner",
            "--slogan",
            str(slogan.pk),
            "-o",
            str(tmp_path / "x.pdf"),
            stderr=stderr,
        )

    assert exit_.value.code == 2
    assert "--ward" in stderr.getvalue() and "le-chan" in stderr.getvalue()
    assert not (tmp_path / "x.pdf").exists()
