"""Ward isolation and unit rights across the staff pages."""

from datetime import date

import pytest
from django.urls import reverse

from loa.core import roles
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans.models import Activity
from loa.plans.tests.factories import ActivityFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_wards():
    ward_a, ward_b = WardFactory(), WardFactory()
    unit_a = UnitFactory(ward=ward_a, name="Phòng Văn hóa - Xã hội")
    unit_b = UnitFactory(ward=ward_b, name="Phòng Văn hóa - Xã hội")
    task_a = TaskFactory(plan=PlanFactory(ward=ward_a), unit=unit_a)
    task_b = TaskFactory(plan=PlanFactory(ward=ward_b), unit=unit_b)
    return {
        "task_a": task_a,
        "task_b": task_b,
        "unit_a": unit_a,
        "activity_b": ActivityFactory(task=task_b),
        "manager_a": staff_user(ward=ward_a, unit=unit_a, role=roles.CULTURE_STAFF),
    }


def test_user_of_ward_a_does_not_see_ward_b_plans_in_the_list(client, two_wards):
    client.force_login(two_wards["manager_a"])
    page = client.get(reverse("plans:plan_list")).content.decode()
    assert two_wards["task_a"].plan.number in page
    assert two_wards["task_b"].plan.number not in page


@pytest.mark.parametrize(
    "name,key",
    [
        ("plans:plan_detail", "plan"),
        ("plans:plan_review", "plan"),
        ("plans:task_detail", "task"),
        ("plans:activity_create", "task_pk"),
    ],
)
def test_user_of_ward_a_cannot_open_ward_b_records(client, two_wards, name, key):
    client.force_login(two_wards["manager_a"])
    task_b = two_wards["task_b"]
    pk = task_b.plan.pk if key == "plan" else task_b.pk
    kwargs = {"task_pk": pk} if key == "task_pk" else {"pk": pk}
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_user_of_ward_a_cannot_record_or_delete_on_ward_b(client, two_wards):
    client.force_login(two_wards["manager_a"])
    task_b, activity_b = two_wards["task_b"], two_wards["activity_b"]
    response = client.post(
        reverse("plans:activity_create", kwargs={"task_pk": task_b.pk}),
        {"kind": "tin_bai", "date": "2026-03-10", "title": "Xâm nhập"},
    )
    assert response.status_code == 404
    assert (
        client.post(
            reverse("plans:activity_delete", kwargs={"pk": activity_b.pk})
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("plans:task_complete", kwargs={"pk": task_b.pk})
        ).status_code
        == 404
    )
    assert Activity.objects.filter(pk=activity_b.pk).exists()
    assert task_b.activities.count() == 1


def test_unit_staff_record_activities_only_for_their_own_unit(client, two_wards):
    task_a = two_wards["task_a"]
    other_unit = UnitFactory(
        ward=task_a.plan.ward, name="Trung tâm Dịch vụ sự nghiệp công"
    )
    other_staff = staff_user(
        ward=task_a.plan.ward, unit=other_unit, role=roles.UNIT_STAFF
    )
    own_staff = staff_user(
        ward=task_a.plan.ward, unit=task_a.unit, role=roles.UNIT_STAFF
    )
    form = {
        "kind": "tin_bai",
        "date": "2026-03-10",
        "title": "Đăng tin về chuyển đổi số",
    }
    url = reverse("plans:activity_create", kwargs={"task_pk": task_a.pk})

    client.force_login(other_staff)
    assert client.post(url, form).status_code == 403
    client.force_login(own_staff)
    assert client.post(url, form).status_code == 302
    assert list(task_a.activities.values_list("unit__name", flat=True)) == [
        "Phòng Văn hóa - Xã hội"
    ]


def test_unit_staff_cannot_import_plans(client, two_wards):
    staff = staff_user(
        ward=two_wards["task_a"].plan.ward,
        unit=two_wards["unit_a"],
        role=roles.UNIT_STAFF,
    )
    client.force_login(staff)
    assert client.get(reverse("plans:plan_upload")).status_code == 403


def test_unit_staff_cannot_delete_another_units_activity(client, two_wards):
    task_a = two_wards["task_a"]
    activity = ActivityFactory(task=task_a, date=date(2026, 3, 10))
    other_unit = UnitFactory(ward=task_a.plan.ward)
    client.force_login(staff_user(ward=task_a.plan.ward, unit=other_unit))
    assert (
        client.post(
            reverse("plans:activity_delete", kwargs={"pk": activity.pk})
        ).status_code
        == 403
    )
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_anonymous_visitor_is_sent_to_login(client, two_wards):
    response = client.get(
        reverse("plans:task_detail", kwargs={"pk": two_wards["task_a"].pk})
    )
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
