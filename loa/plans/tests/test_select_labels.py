"""Select boxes of the plans pages say what to choose in Vietnamese, never Django's
"---------"."""

import pytest
from django.urls import reverse

from loa.core import roles
from loa.core.models import Unit
from loa.core.tests.factories import UnitFactory, staff_user
from loa.plans.forms import ActivityForm, UnitMappingForm
from loa.plans.tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

DASHES = "---------"


def test_activity_form_of_a_plan_manager_asks_for_a_unit_a_kind_and_a_channel(client):
    task = TaskFactory()
    UnitFactory(ward=task.plan.ward, name="Phòng Kinh tế, Hạ tầng và Đô thị")
    client.force_login(staff_user(ward=task.plan.ward, role=roles.LEADER))

    page = client.get(reverse("plans:activity_create", args=[task.pk])).content.decode()

    assert DASHES not in page
    assert "— Chọn đơn vị —" in page
    assert "— Chọn loại hoạt động —" in page
    assert "— Không qua kênh cụ thể —" in page


def test_activity_form_of_a_unit_officer_has_no_dashes_either(client):
    task = TaskFactory()
    client.force_login(staff_user(ward=task.plan.ward, unit=task.unit))

    page = client.get(reverse("plans:activity_create", args=[task.pk])).content.decode()

    assert DASHES not in page and "— Chọn loại hoạt động —" in page


def test_every_choice_field_of_the_plans_forms_has_a_vietnamese_blank():
    task = TaskFactory()
    UnitFactory(ward=task.plan.ward)
    forms = [
        ActivityForm(units=Unit.objects.filter(ward=task.plan.ward)),
        UnitMappingForm(ward=task.plan.ward),
    ]
    for form in forms:
        for name, field in form.fields.items():
            labels = [str(label) for _, label in getattr(field, "choices", [])]
            assert DASHES not in labels, f"{type(form).__name__}.{name}"


def test_review_page_shows_no_dashes(client):
    plan = PlanFactory(
        status="review",
        confirmed_at=None,
        parsed={"units": [{"name": "Công an phường", "tasks": []}], "warnings": []},
    )
    client.force_login(staff_user(ward=plan.ward, role=roles.LEADER))

    page = client.get(reverse("plans:plan_review", args=[plan.pk])).content.decode()

    assert DASHES not in page and "— Tạo đơn vị mới với tên bên cạnh —" in page
