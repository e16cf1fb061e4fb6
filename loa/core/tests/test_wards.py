from datetime import date

import pytest

from loa.core.models import AuditLog, Unit, Ward
from loa.core.services import ward_merge, ward_rename
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_renamed_ward_keeps_its_former_name_and_its_records():
    ward = WardFactory(name="Trần Phú")
    plan = PlanFactory(ward=ward)
    ward_rename(ward=ward, new_name="Hải Dương", on=date(2025, 6, 30))
    plan.refresh_from_db()
    assert plan.ward.name == "Hải Dương"
    assert list(ward.former_names.values_list("name", flat=True)) == ["Trần Phú"]
    assert AuditLog.objects.filter(action=AuditLog.Action.RENAME).exists()


def test_merged_ward_takes_over_the_records_of_the_wards_it_was_formed_from():
    old_a, old_b = WardFactory(name="Quang Trung"), WardFactory(name="Nguyễn Trãi")
    UnitFactory(ward=old_a, name="Công an phường")
    UnitFactory(ward=old_b, name="Công an phường")
    plan_a, plan_b = PlanFactory(ward=old_a), PlanFactory(ward=old_b)
    user = staff_user(ward=old_b)

    new = ward_merge(
        sources=[old_a, old_b],
        name="Hải Dương",
        slug="hai-duong-moi",
        on=date(2025, 7, 1),
    )

    assert {p.ward_id for p in [plan_a, plan_b] if not p.refresh_from_db()} == {new.pk}
    assert Unit.objects.filter(ward=new).count() == 2
    user.membership.refresh_from_db()
    assert user.membership.ward == new
    assert set(new.formed_from.values_list("name", flat=True)) == {
        "Quang Trung",
        "Nguyễn Trãi",
    }
    assert set(new.former_names.values_list("name", flat=True)) == {
        "Quang Trung",
        "Nguyễn Trãi",
    }
    assert not Ward.objects.get(pk=old_a.pk).is_active


def test_ward_display_names_are_written_as_in_documents():
    ward = WardFactory(name="Hải Dương")
    assert ward.display_name == "phường Hải Dương"
    assert ward.authority_name == "Ủy ban nhân dân phường Hải Dương"


def test_deleting_a_unit_in_the_django_admin_is_audited(admin_client):
    unit = UnitFactory(name="Tổ công tác cũ")
    response = admin_client.post(
        f"/django-admin/core/unit/{unit.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    row = AuditLog.objects.get(action=AuditLog.Action.DELETE)
    assert row.object_repr == "Tổ công tác cũ" and row.actor is not None


def test_the_public_ward_is_looked_up_afresh_when_wards_change(settings):
    from django.core.cache import caches

    from loa.core.selectors import ward_for_public
    from loa.core.tests.factories import shared_memo

    shared_memo(settings)  # kept between requests, as with Redis
    first = WardFactory(slug="phuong-mot")
    assert ward_for_public(None) == first  # the only ward
    assert ward_for_public("phuong-hai") is None
    second = WardFactory(slug="phuong-hai")
    assert ward_for_public(None) is None  # two wards: the visitor must say which
    assert ward_for_public("phuong-hai") == second
    second.is_active = False
    second.save()
    assert ward_for_public(None) == first
    assert ward_for_public("phuong-hai") is None
    # Whatever a client types is answered but leaves nothing in the cache.
    assert ward_for_public("Xã hội <script>\x7f") is None
    assert not any("script" in key for key in caches["memo"]._cache)
