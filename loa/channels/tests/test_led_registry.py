"""The registry of the ward's LED screens (/kenh/led/man-hinh/): where each screen stands,
its public page and playlist; the ward's content staff add and edit, other staff only
read, another ward's screen is a 404."""

import pytest
from django.urls import reverse

from loa.channels.models import LedScreen
from loa.core import roles
from loa.core.models import AuditLog
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user

pytestmark = pytest.mark.django_db

LIST = reverse("loa_channels:led_screen_list")
ADD = reverse("loa_channels:led_screen_add")
FORM = {
    "name": "Màn hình cổng UBND",
    "location": "Cổng trụ sở UBND phường, số 1 Trần Hưng Đạo",
    "slug": "",
    "layout": "strip",
    "size": "4 × 1 m",
    "note": "",
    "is_active": "on",
}


@pytest.fixture
def ward(db):
    return WardFactory(name="Hải Dương", slug="hai-duong")


@pytest.fixture
def other_ward(db):
    return WardFactory(name="Thành Đông", slug="thanh-dong")


def _signed_in(client, ward, role):
    client.force_login(staff_user(ward=ward, unit=UnitFactory(ward=ward), role=role))
    return client


def _edit_url(screen):
    return reverse("loa_channels:led_screen_edit", args=[screen.pk])


def test_culture_staff_register_a_screen_listed_with_its_public_page(client, ward):
    client = _signed_in(client, ward, roles.CULTURE_STAFF)
    response = client.post(ADD, FORM)
    assert response.status_code == 302
    screen = LedScreen.objects.get(ward=ward)
    assert screen.slug == "man-hinh-cong-ubnd"  # folded from the name
    assert AuditLog.objects.filter(
        action=AuditLog.Action.CREATE, object_id=str(screen.pk)
    ).exists()
    html = client.get(LIST).content.decode()
    assert "Cổng trụ sở UBND phường, số 1 Trần Hưng Đạo" in html
    assert ward.absolute_url("/led/man-hinh-cong-ubnd/?layout=strip") in html
    assert ward.absolute_url("/led/man-hinh-cong-ubnd/playlist.json") in html
    assert reverse("loa_channels:led_playlist") in html


def test_editing_a_screen_changes_its_address_and_is_audited(client, ward):
    screen = LedScreen.objects.create(
        ward=ward, name="Chợ", slug="cho", location="Chợ Hải Dương"
    )
    client = _signed_in(client, ward, roles.EDITOR)
    response = client.post(
        _edit_url(screen), {**FORM, "name": "Chợ trung tâm", "slug": "cho-trung-tam"}
    )
    assert response.status_code == 302
    screen.refresh_from_db()
    assert (screen.name, screen.slug, screen.layout) == (
        "Chợ trung tâm",
        "cho-trung-tam",
        "strip",
    )
    assert AuditLog.objects.filter(
        action=AuditLog.Action.UPDATE, object_id=str(screen.pk)
    ).exists()


def test_a_code_already_used_in_the_ward_is_refused(client, ward, other_ward):
    LedScreen.objects.create(ward=ward, name="Cổng", slug="cong", location="Cổng")
    LedScreen.objects.create(ward=other_ward, name="Cổng", slug="cong-b", location="B")
    client = _signed_in(client, ward, roles.CULTURE_STAFF)
    response = client.post(ADD, {**FORM, "slug": "cong"})
    assert response.status_code == 400
    assert "đã có màn hình mã" in response.content.decode()
    # Another ward may use any code: codes are per ward address.
    assert client.post(ADD, {**FORM, "slug": "cong-b"}).status_code == 302


def test_unit_officers_read_the_list_but_change_nothing(client, ward):
    screen = LedScreen.objects.create(ward=ward, name="Cổng", slug="cong", location="X")
    client = _signed_in(client, ward, roles.UNIT_STAFF)
    html = client.get(LIST).content.decode()
    assert "Cổng" in html and "Thêm màn hình" not in html
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, FORM).status_code == 403
    assert client.post(_edit_url(screen), FORM).status_code == 403
    screen.refresh_from_db()
    assert screen.name == "Cổng"
    assert LedScreen.objects.count() == 1


def test_another_wards_screen_is_not_listed_nor_edited(client, ward, other_ward):
    foreign = LedScreen.objects.create(
        ward=other_ward, name="Màn hình phường bạn", slug="ban", location="B"
    )
    client = _signed_in(client, ward, roles.CULTURE_STAFF)
    assert "Màn hình phường bạn" not in client.get(LIST).content.decode()
    assert client.get(_edit_url(foreign)).status_code == 404
    assert client.post(_edit_url(foreign), FORM).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Màn hình phường bạn"


def test_the_public_screen_opens_in_its_registered_layout(client, ward, settings):
    LedScreen.objects.create(
        ward=ward, name="Băng chữ", slug="bang-chu", location="X", layout="strip"
    )
    page = reverse("loa_channels:led_screen", args=["bang-chu"])
    response = client.get(page, {"phuong": ward.slug})
    assert response.status_code == 200
    assert response.context["layout"] == "strip"
    assert (
        client.get(page, {"phuong": ward.slug, "layout": "169"}).context["layout"]
        == "169"
    )
