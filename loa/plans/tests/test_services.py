from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from loa.core.models import AuditLog, Notification, Unit
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans import services
from loa.plans.models import Plan, Task
from loa.plans.tests.factories import ActivityFactory, TaskFactory

pytestmark = pytest.mark.django_db
SEED = (
    Path(__file__).resolve().parents[2]
    / "data"
    / "seed"
    / "ke-hoach-77-KH-UBND-2026.ocr.txt"
)


def test_importing_the_seed_plan_assigns_its_tasks_to_five_units():
    ward = WardFactory()
    plan = services.plan_import(ward=ward, data=SEED.read_bytes(), filename=SEED.name)
    assert plan.number == "77/KH-UBND"
    assert plan.issued_date == date(2026, 3, 4)
    assert plan.signer == "Phạm Thị Thanh Vân"
    counts = [
        plan.tasks.filter(unit=u).count()
        for u in Unit.objects.filter(ward=ward).order_by("pk")
    ]
    assert counts == [5, 1, 3, 1, 1]
    assert plan.source_file.read() == SEED.read_bytes()
    assert "Nghị quyết" in plan.restored_text


def test_upload_keeps_the_plan_in_review_without_tasks():
    plan = services.plan_upload(
        ward=WardFactory(), data=SEED.read_bytes(), filename=SEED.name
    )
    assert plan.status == Plan.Status.REVIEW
    assert plan.tasks.count() == 0
    assert AuditLog.objects.filter(
        action=AuditLog.Action.IMPORT, object_id=str(plan.pk)
    ).exists()


def test_unreadable_upload_is_refused_in_vietnamese_and_saves_nothing():
    with pytest.raises(ValidationError) as exc:
        services.plan_upload(
            ward=WardFactory(), data=b"%PDF-1.4 garbage", filename="hong.pdf"
        )
    assert exc.value.messages[0][0].isupper()
    assert Plan.objects.count() == 0


def test_confirm_maps_units_to_existing_ones_and_creates_the_rest():
    ward = WardFactory()
    existing = UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội")
    plan = services.plan_upload(ward=ward, data=SEED.read_bytes(), filename=SEED.name)
    tasks = [
        services.ReviewedTask(unit_name="VHXH", text="Treo băng-rôn"),
        services.ReviewedTask(
            unit_name="Công an phường",
            text="Tuyên truyền phòng chống lừa đảo",
            due_date=date(2026, 12, 15),
        ),
    ]
    services.plan_confirm(
        plan=plan,
        header=plan.parsed,
        unit_map={"VHXH": existing, "Công an phường": None},
        tasks=tasks,
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert [t.unit.name for t in plan.tasks.order_by("order")] == [
        "Phòng Văn hóa - Xã hội",
        "Công an phường",
    ]
    assert (
        Unit.objects.get(ward=ward, name="Công an phường").kind
        == Unit.Kind.POLICE_MILITARY
    )


def test_confirm_refuses_a_unit_of_another_ward():
    plan = services.plan_upload(
        ward=WardFactory(), data=SEED.read_bytes(), filename=SEED.name
    )
    foreign = UnitFactory()
    with pytest.raises(ValidationError):
        services.plan_confirm(
            plan=plan,
            header=plan.parsed,
            unit_map={"X": foreign},
            tasks=[services.ReviewedTask(unit_name="X", text="Việc")],
        )
    assert plan.tasks.count() == 0


def test_a_ward_cannot_have_two_plans_with_the_same_number():
    ward = WardFactory()
    services.plan_import(ward=ward, data=SEED.read_bytes(), filename=SEED.name)
    with pytest.raises(ValidationError) as exc:
        services.plan_import(ward=ward, data=SEED.read_bytes(), filename=SEED.name)
    assert "77/KH-UBND" in exc.value.messages[0]


def test_activity_in_the_future_is_refused():
    task = TaskFactory()
    with pytest.raises(ValidationError):
        services.activity_record(
            task=task,
            unit=task.unit,
            kind="tin_bai",
            date=timezone.localdate() + timedelta(days=1),
            title="Tin",
        )


def test_recording_an_activity_is_audited():
    task = TaskFactory()
    activity = services.activity_record(
        task=task,
        unit=task.unit,
        kind="hoi_nghi",
        date=date(2026, 3, 12),
        title="Hội nghị quán triệt",
        attendees=80,
    )
    assert activity.ward == task.plan.ward
    assert AuditLog.objects.filter(
        action=AuditLog.Action.CREATE, object_id=str(activity.pk)
    ).exists()


def test_recurring_tasks_cannot_be_marked_done():
    task = TaskFactory(recurrence=Task.Recurrence.WEEKLY)
    with pytest.raises(ValidationError):
        services.task_complete(task=task)


def test_reminders_notify_each_unit_once_a_day_and_email_its_staff():
    task = TaskFactory(due_date=date(2026, 5, 1))
    staff_user(ward=task.plan.ward, unit=task.unit, email="vhxh@phuong.example")
    TaskFactory(plan=task.plan, due_date=date(2026, 12, 1))  # not due yet, was started
    ActivityFactory(task=task.plan.tasks.last(), date=date(2026, 5, 1))

    assert services.reminders_send(today=date(2026, 5, 2)) == 1
    assert services.reminders_send(today=date(2026, 5, 2)) == 0
    note = Notification.objects.get()
    assert note.unit == task.unit and "quá hạn" in note.title
    assert mail.outbox[0].to == ["vhxh@phuong.example"]
    assert "ngày 01 tháng 5 năm 2026" in note.body  # Nghị định 30: no zero on May
    assert services.reminders_send(today=date(2026, 5, 3)) == 1


def test_reminder_job_runs_through_the_task_backend():
    from loa.plans.jobs import reminders_send_job

    TaskFactory(due_date=date(2020, 1, 1))
    result = reminders_send_job.enqueue(reschedule=False)
    assert result.return_value == 1


def test_demo_data_loads_twice_without_duplicates():
    from loa.plans.demo import demo_load

    first = demo_load()
    second = demo_load()
    assert first["plan"].pk == second["plan"].pk
    assert Plan.objects.count() == 1 and Task.objects.count() == 11
    assert second["users"]["vhxh"].membership.unit.name == "Phòng Văn hóa - Xã hội"
