"""The import → review → confirm flow and activity recording, through the staff pages."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from loa.core import roles
from loa.core.models import Unit
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans.models import Activity, Plan, Task
from loa.plans.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
SEED = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "seed"
    / "ke-hoach-77-KH-UBND-2026.ocr.txt"
)


@pytest.fixture
def manager():
    ward = WardFactory(name="Hải Dương")
    return staff_user(
        ward=ward,
        unit=UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội"),
        role=roles.CULTURE_STAFF,
    )


def _formset_post(page_context) -> dict:
    """Submit the review forms exactly as rendered (what a user does pressing the button)."""
    data = {}
    for form in [
        page_context["header_form"],
        *page_context["unit_formset"],
        *page_context["task_formset"],
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
    for formset in (page_context["unit_formset"], page_context["task_formset"]):
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    return data


def test_staff_import_review_and_confirm_the_seed_plan(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile(SEED.name, SEED.read_bytes(), content_type="text/plain")
    response = client.post(reverse("plans:plan_upload"), {"file": upload})
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.status == Plan.Status.REVIEW

    review = client.get(reverse("plans:plan_review", args=[plan.pk]))
    page = review.content.decode()
    assert "S6:77 IKH-UBND" in page  # the original, beside the parse
    assert "Trung tâm Dịch vụ sự nghiệp công" in page
    data = _formset_post(review.context)
    data["tasks-0-DELETE"] = "on"  # staff drop one task before confirming
    response = client.post(reverse("plans:plan_review", args=[plan.pk]), data)

    assert response.status_code == 302, (
        response.context and response.context["task_formset"].errors
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert plan.tasks.count() == 10
    assert (
        Unit.objects.filter(ward=plan.ward).count() == 5
    )  # the existing VHXH unit was reused
    detail = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in detail and "Chưa thực hiện" in detail


def test_corrupt_upload_gets_a_vietnamese_message_and_nothing_is_saved(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile(
        "ke-hoach.docx",
        b"PK\x03\x04 not really a docx",
        content_type="application/octet-stream",
    )
    response = client.post(reverse("plans:plan_upload"), {"file": upload})
    assert response.status_code == 400
    assert Plan.objects.count() == 0
    errors = response.context["form"].errors["file"]
    assert errors and all(any(ch in e for ch in "ăâêôơưđ") for e in errors)


def test_oversized_upload_is_refused_before_reading(client, manager, settings):
    settings.LOA_MAX_UPLOAD_BYTES = 1000
    client.force_login(manager)
    upload = SimpleUploadedFile("lon.txt", b"x" * 2000)
    response = client.post(reverse("plans:plan_upload"), {"file": upload})
    assert response.status_code == 400
    assert "quá lớn" in response.context["form"].errors["file"][0]


def test_unit_staff_record_an_activity_with_evidence(client):
    task = TaskFactory(unit__name="Trung tâm Dịch vụ sự nghiệp công")
    staff = staff_user(ward=task.plan.ward, unit=task.unit)
    client.force_login(staff)
    photo = io.BytesIO()
    PILImage.new("RGB", (48, 32), (200, 30, 30)).save(photo, "JPEG")
    # A real photo: evidence images are decoded and re-encoded (loa.core.uploads).
    evidence = SimpleUploadedFile(
        "anh.jpg", photo.getvalue(), content_type="image/jpeg"
    )
    response = client.post(
        reverse("plans:activity_create", args=[task.pk]),
        {
            "kind": "phat_thanh",
            "date": "2026-03-12",
            "title": "Chuyên mục Chuyển đổi số tuần 2",
            "channel": "dai_truyen_thanh",
            "reach": "3500",
            "evidence_file": evidence,
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.reach == 3500 and activity.created_by == staff
    page = client.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "Chuyên mục Chuyển đổi số tuần 2" in page and "Đang thực hiện" in page
    assert (
        client.get(reverse("plans:activity_evidence", args=[activity.pk])).status_code
        == 200
    )


def test_activity_form_errors_are_in_vietnamese_and_keep_the_input(client):
    task = TaskFactory()
    client.force_login(staff_user(ward=task.plan.ward, unit=task.unit))
    response = client.post(
        reverse("plans:activity_create", args=[task.pk]),
        {"kind": "tin_bai", "date": "", "title": "Tin đã soạn"},
    )
    assert response.status_code == 400
    assert "Tin đã soạn" in response.content.decode()
    assert Activity.objects.count() == 0


def test_plan_detail_filters_tasks_by_status_with_htmx(client):
    task = TaskFactory(due_date=__import__("datetime").date(2026, 1, 1))
    TaskFactory(
        plan=task.plan,
        unit=task.unit,
        text="Nhiệm vụ khác chưa đến hạn",
        due_date=__import__("datetime").date(2099, 1, 1),
    )
    client.force_login(staff_user(ward=task.plan.ward, role=roles.LEADER))
    response = client.get(
        reverse("plans:plan_detail", args=[task.plan.pk]),
        {"trang_thai": Task.Status.OVERDUE},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert task.text in body and "Nhiệm vụ khác chưa đến hạn" not in body


def test_a_busy_tasks_activities_come_newest_first_a_page_at_a_time(client):
    from datetime import date, timedelta

    from loa.plans.tests.factories import ActivityFactory

    task = TaskFactory()
    for n in range(20):
        ActivityFactory(
            task=task,
            date=date(2026, 3, 1) + timedelta(days=n),
            title=f"Buổi số {n:02d}",
        )
    client.force_login(staff_user(ward=task.plan.ward, unit=task.unit))
    first = client.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "Hoạt động đã thực hiện (20)" in first
    assert "Buổi số 19" in first and "Buổi số 04" not in first  # newest first, 15 shown
    assert "Trang 1/2" in first
    second = client.get(reverse("plans:task_detail", args=[task.pk]), {"trang": 2})
    assert "Buổi số 04" in second.content.decode()
