import datetime
import io
import unicodedata
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from loa.core.models import ResidentialGroup
from loa.core.tests.factories import WardFactory, staff_user
from loa.learning import documents
from loa.learning.models import Certificate, Course, Lesson
from loa.learning.services import LEARNER_COOKIE
from loa.learning.tests.factories import LearnerFactory

pytestmark = [pytest.mark.django_db]

BASE_URL = "https://loa.example.vn"


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


@pytest.fixture
def ward():
    return WardFactory(name="Hải Dương")


@pytest.fixture
def course():
    return Course.objects.create(
        slug="dinh-danh-dien-tu", title="Định danh điện tử VNeID"
    )


def _learner(ward, name="Nguyễn Thị Hường", phone="0912345678", birth_year=1958):
    group, _ = ResidentialGroup.objects.get_or_create(ward=ward, name="Tổ dân phố số 7")
    return LearnerFactory(
        ward=ward,
        residential_group=group,
        name=name,
        birth_year=birth_year,
        phone=phone,
    )


@pytest.fixture
def learner(ward):
    return _learner(ward)


@pytest.fixture
def certificate(learner, course):
    return Certificate.objects.create(
        learner=learner,
        course=course,
        issued_at=datetime.datetime(2026, 11, 26, 9, 30, tzinfo=datetime.UTC),
    )


@pytest.fixture
def lesson(course):
    return Lesson.objects.create(
        course=course,
        slug="kich-hoat-vneid-muc-2",
        title="Kích hoạt tài khoản định danh điện tử mức 2",
        body=(
            "## Chuẩn bị\n\nMang theo **căn cước** và điện thoại.\n\n"
            "## Các bước\n\n1. Mở ứng dụng VNeID.\n2. Chọn “Kích hoạt tài khoản”.\n"
        ),
    )


# certificate_pdf


def test_certificate_pdf_shows_name_course_ward_and_date_with_diacritics(certificate):
    pdf = documents.certificate_pdf(certificate=certificate, base_url=BASE_URL)

    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Nguyễn Thị Hường" in text
    assert "Định danh điện tử VNeID" in text
    assert "GIẤY CHỨNG NHẬN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Ủy ban nhân dân phường Hải Dương" in text
    assert "ngày 26 tháng 11 năm 2026" in text
    assert certificate.code in text
    assert "binhdanhocvuso.gov.vn" in text and "VNeID" in text


def test_certificate_pdf_is_one_a4_landscape_page(certificate):
    pdf = documents.certificate_pdf(certificate=certificate, base_url=BASE_URL)

    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)


def test_certificate_qr_encodes_the_public_verification_url(certificate):
    context = documents.certificate_context(
        certificate=certificate, base_url=BASE_URL + "/"
    )

    expected = f"https://loa.example.vn/xac-minh/{certificate.code}/"
    assert context["verification_url"] == expected
    assert context["qr"] == documents.qr_data_uri(expected)
    assert context["qr"] != documents.qr_data_uri(expected + "x")
    assert expected in _text(
        documents.certificate_pdf(certificate=certificate, base_url=BASE_URL)
    )


def test_qr_code_is_an_svg_image():
    uri = documents.qr_data_uri("https://loa.example.vn/xac-minh/ABC/")

    assert uri.startswith("data:image/svg+xml;base64,")


def test_certificate_of_another_day_is_dated_in_vietnam_time(certificate):
    # 20:00 UTC on 25/11 is already 26/11 in Asia/Ho_Chi_Minh.
    certificate.issued_at = datetime.datetime(2026, 11, 25, 20, 0, tzinfo=datetime.UTC)

    context = documents.certificate_context(certificate=certificate, base_url=BASE_URL)

    assert context["issued_on_words"] == "ngày 26 tháng 11 năm 2026"


# handout_pdf


def test_handout_pdf_shows_lesson_course_and_rendered_body(lesson):
    pdf = documents.handout_pdf(lesson=lesson, base_url=BASE_URL)

    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Kích hoạt tài khoản định danh điện tử mức 2" in text
    # The course, upper-cased by the stylesheet; the body rendered from Markdown.
    assert "ĐỊNH DANH ĐIỆN TỬ VNEID" in text
    assert "Mang theo căn cước và điện thoại." in text
    assert "**" not in text and "##" not in text
    assert "https://loa.example.vn/hoc/bai/kich-hoat-vneid-muc-2/" in text


def test_handout_qr_points_to_the_lesson_page(lesson):
    context = documents.handout_context(lesson=lesson, base_url=BASE_URL)

    assert context["qr"] == documents.qr_data_uri(
        "https://loa.example.vn/hoc/bai/kich-hoat-vneid-muc-2/"
    )


# verification


def test_verification_of_a_valid_code_gives_name_course_date_and_ward_only(certificate):
    assert documents.verification(certificate.code) == {
        "name": "Nguyễn Thị Hường",
        "course": "Định danh điện tử VNeID",
        "issued_on": datetime.date(2026, 11, 26),
        "ward": "Ủy ban nhân dân phường Hải Dương",
    }


def test_verification_accepts_lowercase_code_with_spaces_and_dashes(certificate):
    typed = f"  {certificate.code[:4].lower()} {certificate.code[4:8].lower()}-{certificate.code[8:]} "

    assert documents.verification(typed)["name"] == "Nguyễn Thị Hường"


@pytest.mark.parametrize("code", ["", "   ", "ABCDEFGHJKLM", "X" * 500])
def test_verification_of_an_unknown_code_is_none(certificate, code):
    assert documents.verification(code) is None


def test_verification_of_a_revoked_certificate_is_none(certificate):
    certificate.is_revoked = True
    certificate.save()

    assert documents.verification(certificate.code) is None


def test_verify_page_shows_name_and_course_but_no_other_personal_data(
    client, certificate
):
    response = client.get(f"/xac-minh/{certificate.code}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Thị Hường" in html
    assert "Định danh điện tử VNeID" in html
    assert "26/11/2026" in html
    assert "0912345678" not in html
    assert "1958" not in html
    assert "Tổ dân phố số 7" not in html
    assert "no-store" in response["Cache-Control"]


def test_verify_page_accepts_lowercase_code_with_spaces(client, certificate):
    typed = f"{certificate.code[:6].lower()} {certificate.code[6:].lower()}"

    response = client.get(f"/xac-minh/{quote(typed)}/")

    assert response.status_code == 200
    assert "Nguyễn Thị Hường" in response.content.decode()


def test_verify_page_of_a_forged_code_is_404_with_a_clear_message(client, certificate):
    forged = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")

    response = client.get(f"/xac-minh/{forged}/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy giấy chứng nhận với mã này" in html
    assert "Nguyễn Thị Hường" not in html


def test_verify_page_of_a_revoked_certificate_is_404(client, certificate):
    certificate.is_revoked = True
    certificate.save()

    response = client.get(f"/xac-minh/{certificate.code}/")

    assert response.status_code == 404
    assert "Nguyễn Thị Hường" not in response.content.decode()


def test_verify_form_redirects_a_typed_code_to_its_page(client, certificate):
    response = client.get("/xac-minh/", {"ma": certificate.code.lower()})

    assert response.status_code == 302
    assert response["Location"] == f"/xac-minh/{certificate.code}/"


def test_verify_form_without_a_code_shows_the_form(client):
    response = client.get("/xac-minh/")

    assert response.status_code == 200
    assert 'name="ma"' in response.content.decode()


# downloads


def test_owner_downloads_their_certificate_as_pdf(client, certificate, learner):
    client.cookies[LEARNER_COOKIE] = learner.access_key

    response = client.get(f"/hoc/chung-nhan/{certificate.code}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        f'filename="Giay-chung-nhan-Dinh-danh-dien-tu-VNeID-{certificate.code}.pdf"'
        in disposition
    )
    assert "filename*=UTF-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20nh%E1%BA%ADn" in disposition
    assert (
        "no-store" in response["Cache-Control"]
        and "private" in response["Cache-Control"]
    )
    # The QR and the printed address point at the learner's ward's public address.
    expected = certificate.learner.ward.absolute_url(f"/xac-minh/{certificate.code}/")
    assert expected in _text(response.content)


def test_another_learner_cannot_download_the_certificate(client, certificate, ward):
    other = _learner(ward, name="Trần Văn Bình", phone="")
    client.cookies[LEARNER_COOKIE] = other.access_key

    response = client.get(f"/hoc/chung-nhan/{certificate.code}/pdf/")

    assert response.status_code == 404


def test_anonymous_visitor_cannot_download_the_certificate(client, certificate):
    response = client.get(f"/hoc/chung-nhan/{certificate.code}/pdf/")

    assert response.status_code == 404


def test_staff_of_the_learners_ward_downloads_the_certificate(
    client, certificate, ward
):
    client.force_login(staff_user(ward=ward))

    response = client.get(f"/hoc/chung-nhan/{certificate.code}/pdf/")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_staff_of_another_ward_cannot_download_the_certificate(client, certificate):
    client.force_login(staff_user(ward=WardFactory()))

    response = client.get(f"/hoc/chung-nhan/{certificate.code}/pdf/")

    assert response.status_code == 404


def test_revoked_certificate_cannot_be_downloaded_even_by_its_owner(
    client, certificate, learner
):
    certificate.is_revoked = True
    certificate.save()
    client.cookies[LEARNER_COOKIE] = learner.access_key

    response = client.get(f"/hoc/chung-nhan/{certificate.code}/pdf/")

    assert response.status_code == 404


def test_anyone_downloads_the_handout_of_a_published_lesson(client, lesson):
    response = client.get(f"/hoc/bai/{lesson.slug}/tai-lieu.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        'filename="Kich-hoat-tai-khoan-dinh-danh-dien-tu-muc-2.pdf"'
        in response["Content-Disposition"]
    )
    assert "Kích hoạt tài khoản định danh điện tử mức 2" in _text(response.content)


def test_handout_of_an_unpublished_course_is_404(client, lesson, course):
    course.is_published = False
    course.save()

    response = client.get(f"/hoc/bai/{lesson.slug}/tai-lieu.pdf")

    assert response.status_code == 404


def test_ascii_filename_folds_vietnamese():
    assert (
        documents.ascii_filename("Đăng ký ví điện tử?.pdf") == "Dang-ky-vi-dien-tu.pdf"
    )
