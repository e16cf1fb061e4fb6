"""Reviewing a plan issued by another body than the ward: a warning at the top, the
units that would be created with no account, and an explicit tick before confirming."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from loa.core import roles
from loa.core.models import Unit, WardFormerName
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans import services
from loa.plans.models import Plan
from loa.plans.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

SEED = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "seed"
    / "ke-hoach-77-KH-UBND-2026.ocr.txt"
)
WARNING = "Kế hoạch này không phải của phường Lê Thanh Nghị"
TICK = "co_quan_khac"


def _manager(ward):
    return staff_user(
        ward=ward,
        unit=UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội"),
        role=roles.CULTURE_STAFF,
    )


def _upload_seed(client, ward) -> Plan:
    client.force_login(_manager(ward))
    upload = SimpleUploadedFile(SEED.name, SEED.read_bytes(), content_type="text/plain")
    assert (
        client.post(reverse("plans:plan_upload"), {"file": upload}).status_code == 302
    )
    return Plan.objects.get(ward=ward)


def _as_rendered(context) -> dict:
    """The review forms as the page renders them (what pressing a button posts)."""
    data = {}
    for form in [
        context["header_form"],
        *context["unit_formset"],
        *context["task_formset"],
    ]:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            if hasattr(value, "pk"):
                value = value.pk
            data[form.add_prefix(name)] = (
                value.isoformat() if hasattr(value, "isoformat") else value
            )
    for formset in (context["unit_formset"], context["task_formset"]):
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    data["action"] = "confirm"
    return data


def test_plan_of_another_ward_is_flagged_at_the_top_with_the_units_it_would_create(
    client,
):
    ward = WardFactory(name="Lê Thanh Nghị")
    plan = _upload_seed(client, ward)

    page = client.get(reverse("plans:plan_review", args=[plan.pk])).content.decode()

    assert plan.issuer == "Ủy ban nhân dân phường Hải Dương"
    assert WARNING in page
    assert page.index(WARNING) < page.index("Thông tin văn bản")
    assert "Ủy ban nhân dân phường Hải Dương</strong>, không phải" in page
    assert "đơn vị sau sẽ được tạo mới, chưa có tài khoản nào trên Loa" in page
    new_units = services.plan_review_new_units(plan=plan)
    assert "Phòng Văn hóa - Xã hội" not in new_units  # the ward's own unit is reused
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in new_units
    assert all(f"<li>{name}</li>" in page for name in new_units)
    assert f'name="{TICK}"' in page


def test_plan_of_another_ward_is_not_confirmed_without_the_tick(client):
    ward = WardFactory(name="Lê Thanh Nghị")
    plan = _upload_seed(client, ward)
    review = client.get(reverse("plans:plan_review", args=[plan.pk]))
    units_before = Unit.objects.filter(ward=ward).count()

    response = client.post(
        reverse("plans:plan_review", args=[plan.pk]),
        _as_rendered(review.context),
        follow=True,
    )

    plan.refresh_from_db()
    assert plan.status == Plan.Status.REVIEW and not plan.tasks.exists()
    assert Unit.objects.filter(ward=ward).count() == units_before
    page = response.content.decode()
    assert "Kế hoạch do Ủy ban nhân dân phường Hải Dương ban hành" in page
    assert "Tôi đã kiểm tra cơ quan ban hành" in page


def test_plan_of_another_ward_is_confirmed_once_the_leader_ticks_the_box(client):
    ward = WardFactory(name="Lê Thanh Nghị")
    plan = _upload_seed(client, ward)
    data = _as_rendered(
        client.get(reverse("plans:plan_review", args=[plan.pk])).context
    )
    data[TICK] = "1"

    response = client.post(reverse("plans:plan_review", args=[plan.pk]), data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE and plan.tasks.exists()


def test_own_wards_plan_has_no_warning_and_confirms_without_a_tick(client):
    ward = WardFactory(name="Hải Dương")
    plan = _upload_seed(client, ward)
    review = client.get(reverse("plans:plan_review", args=[plan.pk]))
    page = review.content.decode()
    assert "không phải của phường" not in page and f'name="{TICK}"' not in page

    response = client.post(
        reverse("plans:plan_review", args=[plan.pk]), _as_rendered(review.context)
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE


@pytest.mark.parametrize(
    "issuer",
    [
        "Ủy ban nhân dân phường Hải Dương",
        "ỦY BAN NHÂN DÂN PHƯỜNG HẢI DƯƠNG",
        "UBND phuong Hai Duong",
        "Ủy ban nhân dân phường Hải Dương, thành phố Hải Phòng",
        "",  # not read: the parser's own warning says so
    ],
)
def test_issuer_is_the_ward_whatever_its_case_and_diacritics(issuer):
    ward = WardFactory(name="Hải Dương")

    assert services.plan_issuer_is_ward(PlanFactory(ward=ward, issuer=issuer))


@pytest.mark.parametrize(
    "issuer",
    [
        "Ủy ban nhân dân phường Lê Thanh Nghị",
        "UBND thành phố Hải Dương",  # the former city, not the ward
        "Ủy ban nhân dân phường Hải Dương Mới",
    ],
)
def test_issuer_of_another_body_is_not_the_ward(issuer):
    ward = WardFactory(name="Hải Dương")

    assert not services.plan_issuer_is_ward(PlanFactory(ward=ward, issuer=issuer))


def test_a_plan_under_the_wards_former_name_is_its_own():
    ward = WardFactory(name="Hải Dương")
    WardFormerName.objects.create(ward=ward, name="Trần Phú", kind="phuong")

    assert services.plan_issuer_is_ward(
        PlanFactory(ward=ward, issuer="Ủy ban nhân dân phường Trần Phú")
    )
