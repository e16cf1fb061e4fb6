"""`loa print`: --item, custom banner sizes, approved slogans."""

from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from loa.channels.models import Slogan
from loa.channels.services.printing import banner_size

from .test_printing import MM, _text, article, ward  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
BLEED = 20


def _print(*args, stderr=None):
    call_command("print", *args, stdout=StringIO(), stderr=stderr or StringIO())


def test_item_is_an_alias_of_article(article, ward, tmp_path):  # noqa: F811
    output = tmp_path / "ap-phich.pdf"
    _print("poster", "--item", str(article.pk), "-o", str(output))
    assert article.title.split()[0] in _text(output.read_bytes())


def test_custom_banner_size_sets_the_page_size(article, ward, tmp_path):  # noqa: F811
    output = tmp_path / "bang-ron.pdf"
    _print("banner", "--item", article.slug, "--size", "300x60", "-o", str(output))
    page = PdfReader(output).pages[0]
    assert len(PdfReader(output).pages) == 1
    assert float(page.mediabox.width) == pytest.approx((3000 + 2 * BLEED) * MM, abs=1)
    assert float(page.mediabox.height) == pytest.approx((600 + 2 * BLEED) * MM, abs=1)


def test_default_banner_is_500_by_80(article, ward, tmp_path):  # noqa: F811
    output = tmp_path / "bang-ron.pdf"
    _print("banner", "--item", article.slug, "-o", str(output))
    page = PdfReader(output).pages[0]
    assert float(page.mediabox.width) == pytest.approx((5000 + 2 * BLEED) * MM, abs=1)
    assert float(page.mediabox.height) == pytest.approx((800 + 2 * BLEED) * MM, abs=1)


@pytest.mark.parametrize("value", ["600x90", "abc", "500x10", "100x80"])
def test_bad_banner_size_is_refused_in_vietnamese(article, tmp_path, value):  # noqa: F811
    stderr = StringIO()
    with pytest.raises(SystemExit) as exit_:
        _print(
            "banner",
            "--item",
            article.slug,
            "--size",
            value,
            "-o",
            str(tmp_path / "x.pdf"),
            stderr=stderr,
        )
    assert exit_.value.code == 2
    assert "băng-rôn" in stderr.getvalue().lower()


def test_banner_size_parses_centimetres():
    assert banner_size("500x80") == (500, 80)
    assert banner_size("450 × 75,5") == (450, 75.5)


def test_approved_slogan_prints_a_banner(ward, tmp_path):  # noqa: F811
    slogan = Slogan.objects.create(
        text="Chuyển đổi số vì người dân, doanh nghiệp", is_approved=True
    )
    output = tmp_path / "khau-hieu.pdf"
    _print(
        "banner", "--slogan", str(slogan.pk), "--ward", "hai-duong", "-o", str(output)
    )
    text = _text(output.read_bytes())
    assert "Chuyển đổi số vì người dân" in text
    assert "Ủy ban nhân dân" in text


def test_unapproved_slogan_exits_2(ward, tmp_path):  # noqa: F811
    slogan = Slogan.objects.create(text="Khẩu hiệu nháp", is_approved=False)
    stderr = StringIO()
    output = tmp_path / "x.pdf"
    with pytest.raises(SystemExit) as exit_:
        _print("banner", "--slogan", str(slogan.pk), "-o", str(output), stderr=stderr)
    assert exit_.value.code == 2
    assert "Khẩu hiệu chưa được duyệt" in stderr.getvalue()
    assert not output.exists()


def test_slogan_is_in_the_django_admin():
    from django.contrib import admin

    assert admin.site.is_registered(Slogan)
