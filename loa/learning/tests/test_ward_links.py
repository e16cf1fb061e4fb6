"""Certificates, lesson handouts and class check-in codes link to the learner's, the
address's or the staff's own ward.

Two wards at their own addresses; the request comes in on another host ("testserver"),
which no link may carry. QR codes are read the way a phone reads them: the PDF page is
rasterised and decoded (the helper of loa/channels/tests/test_printing.py).
"""

import io
import unicodedata
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from loa.channels.tests.test_printing import _qr_texts
from loa.core.models import ResidentialGroup
from loa.core.services import ward_address_set
from loa.core.tests.factories import WardFactory, staff_user
from loa.learning import services
from loa.learning.models import Certificate, Learner
from loa.learning.tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db

ADDRESSES = ("https://phuonga.example.gov.vn", "https://phuongb.example.gov.vn")


@pytest.fixture
def wards():
    made = [
        WardFactory(name="Hải An", slug="hai-an"),
        WardFactory(name="Lê Chân", slug="le-chan"),
    ]
    for ward, address in zip(made, ADDRESSES, strict=True):
        ward_address_set(ward=ward, address=address)
    return made


def each(wards):
    """Each ward with the other one: (a, b), then (b, a)."""
    return [(wards[0], wards[1]), (wards[1], wards[0])]


def assert_not_foreign(text: str, other) -> None:
    assert other.public_url not in text
    for host in ("127.0.0.1", "localhost", "testserver"):
        assert host not in text


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _learner(ward) -> Learner:
    group = ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố số 3", order=3)
    return LearnerFactory(
        ward=ward, residential_group=group, name="Nguyễn Thị Lan", birth_year=1958
    )


def test_certificate_pdf_verification_link_is_on_the_learners_ward_address(
    wards, course, client
):
    for ward, other in each(wards):
        certificate = Certificate.objects.create(learner=_learner(ward), course=course)
        client.force_login(staff_user(ward=ward))

        response = client.get(f"/hoc/chung-nhan/{certificate.code}/pdf/")

        assert response.status_code == 200
        text = _text(response.content)
        assert ward.absolute_url(f"/xac-minh/{certificate.code}/") in text
        assert_not_foreign(text, other)


def test_class_check_in_qr_is_on_the_staff_members_ward_address(wards, course, client):
    for ward, other in each(wards):
        session = services.class_session_create(
            ward=ward,
            course=course,
            lesson=course.lessons.first(),
            date=timezone.localdate(),
            place="Nhà văn hóa tổ 3",
        )
        client.force_login(staff_user(ward=ward))

        response = client.get(reverse("learning:class_detail", args=[session.pk]))

        assert response.status_code == 200
        url = response.context["checkin_url"]
        assert url == ward.absolute_url(f"/hoc/diem-danh/?ma={session.attendance_code}")
        assert_not_foreign(url, other)


def test_certificate_pdf_qr_leads_to_the_verification_page_on_the_learners_ward_address(
    wards, course, client, tmp_path
):
    for ward, other in each(wards):
        certificate = Certificate.objects.create(learner=_learner(ward), course=course)
        client.force_login(staff_user(ward=ward))

        response = client.get(f"/hoc/chung-nhan/{certificate.code}/pdf/")

        assert response.status_code == 200
        [qr] = _qr_texts(response.content, tmp_path)
        assert qr.startswith(ward.public_url + "/")
        assert qr == ward.absolute_url(f"/xac-minh/{certificate.code}/")
        assert_not_foreign(qr, other)


def _portal(ward, address: str) -> None:
    """The ward's own Wagtail site, at the host of its address."""
    from wagtail.models import Page, Site

    root = Page.get_first_root_node().add_child(
        instance=Page(title=f"Cổng thông tin {ward.name}", slug=f"cong-{ward.slug}")
    )
    ward.site = Site.objects.create(hostname=f"{ward.slug}.invalid", root_page=root)
    ward.save(update_fields=["site"])
    ward_address_set(ward=ward, address=address)  # moves the site to the address's host


def test_lesson_handout_qr_leads_to_the_lesson_on_the_wards_address_it_was_taken_at(
    wards, course, client, settings, tmp_path
):
    """Lessons are shared by every ward: a handout printed from a ward's portal leads
    back to that ward's lesson page."""
    hosts = [urlsplit(address).hostname for address in ADDRESSES]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, *hosts]
    for ward, address in zip(wards, ADDRESSES, strict=True):
        _portal(ward, address)
    lesson = course.lessons.first()
    for (ward, other), host in zip(each(wards), hosts, strict=True):
        response = client.get(
            f"/hoc/bai/{lesson.slug}/tai-lieu.pdf", HTTP_HOST=host, secure=True
        )

        assert response.status_code == 200
        [qr] = _qr_texts(response.content, tmp_path)
        assert qr.startswith(ward.public_url + "/")
        assert qr == ward.absolute_url(f"/hoc/bai/{lesson.slug}/")
        assert_not_foreign(qr, other)
