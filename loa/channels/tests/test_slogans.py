"""Slogans ("Khẩu hiệu", /kenh/khau-hieu/): the ward's staff who prepare its content
propose, plan managers approve (audited); other wards and unit officers change nothing."""

import pytest
from django.urls import reverse

from loa.channels.models import Slogan
from loa.core import roles
from loa.core.models import AuditLog
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user

pytestmark = pytest.mark.django_db

LIST = reverse("loa_channels:slogan_list")


@pytest.fixture
def ward(db):
    return WardFactory(name="Hải Dương", slug="hai-duong")


@pytest.fixture
def other_ward(db):
    return WardFactory(name="Thành Đông", slug="thanh-dong")


def _signed_in(client, ward, role):
    client.force_login(staff_user(ward=ward, unit=UnitFactory(ward=ward), role=role))
    return client


def _approve_url(slogan):
    return reverse("loa_channels:slogan_approve", args=[slogan.pk])


@pytest.mark.parametrize("role", [roles.CULTURE_STAFF, roles.LEADER, roles.EDITOR])
def test_staff_who_prepare_content_propose_a_slogan_that_waits(client, ward, role):
    client = _signed_in(client, ward, role)
    response = client.post(LIST, {"text": "  Chuyển đổi số   vì người dân  "})
    assert response.status_code == 302
    slogan = Slogan.objects.get(ward=ward)
    assert slogan.text == "Chuyển đổi số vì người dân"
    assert not slogan.is_approved
    assert AuditLog.objects.filter(
        action=AuditLog.Action.CREATE, object_id=str(slogan.pk), ward=ward
    ).exists()
    page = client.get(LIST).content.decode()
    assert "Chuyển đổi số vì người dân" in page and "Chờ duyệt" in page


def test_a_duplicate_slogan_is_refused_in_vietnamese(client, ward):
    Slogan.objects.create(ward=ward, text="Chuyển đổi số vì người dân")
    client = _signed_in(client, ward, roles.CULTURE_STAFF)
    response = client.post(LIST, {"text": "chuyển đổi số vì người dân"})
    assert response.status_code == 400
    assert "đã có trong thư viện" in response.content.decode()
    assert Slogan.objects.filter(ward=ward).count() == 1


@pytest.mark.parametrize("role", [roles.UNIT_STAFF, roles.DIGITAL_TEAM])
def test_unit_officers_neither_see_nor_add_slogans(client, ward, role):
    client = _signed_in(client, ward, role)
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"text": "Khẩu hiệu"}).status_code == 403
    assert not Slogan.objects.exists()


@pytest.mark.parametrize("role", [roles.CULTURE_STAFF, roles.LEADER])
def test_plan_managers_approve_and_the_approval_is_audited(client, ward, role):
    slogan = Slogan.objects.create(ward=ward, text="Người dân số, phường số")
    client = _signed_in(client, ward, role)
    assert "Duyệt</button>" in client.get(LIST).content.decode()
    response = client.post(_approve_url(slogan))
    assert response.status_code == 302
    slogan.refresh_from_db()
    assert slogan.is_approved and slogan.approved_at and slogan.approved_by
    entry = AuditLog.objects.get(action=AuditLog.Action.APPROVE, ward=ward)
    assert entry.object_id == str(slogan.pk)
    assert "Duyệt khẩu hiệu" in entry.object_repr


@pytest.mark.parametrize("role", [roles.EDITOR, roles.APPROVER])
def test_editors_and_approvers_do_not_approve_slogans(client, ward, role):
    slogan = Slogan.objects.create(ward=ward, text="Người dân số, phường số")
    client = _signed_in(client, ward, role)
    assert "Duyệt</button>" not in client.get(LIST).content.decode()
    assert client.post(_approve_url(slogan)).status_code == 403
    slogan.refresh_from_db()
    assert not slogan.is_approved
    assert not AuditLog.objects.filter(action=AuditLog.Action.APPROVE).exists()


def test_another_wards_slogan_is_neither_listed_nor_approved(client, ward, other_ward):
    foreign = Slogan.objects.create(ward=other_ward, text="Khẩu hiệu phường bạn")
    client = _signed_in(client, ward, roles.CULTURE_STAFF)
    assert "Khẩu hiệu phường bạn" not in client.get(LIST).content.decode()
    assert client.post(_approve_url(foreign)).status_code == 404
    foreign.refresh_from_db()
    assert not foreign.is_approved


def test_an_approved_slogan_links_to_its_banner(client, ward):
    slogan = Slogan.objects.create(
        ward=ward, text="Khẩu hiệu đã duyệt", is_approved=True
    )
    client = _signed_in(client, ward, roles.CULTURE_STAFF)
    html = client.get(LIST).content.decode()
    assert f"nguon=s{slogan.pk}&amp;loai=banner" in html
