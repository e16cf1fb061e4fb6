""" "Đôn đốc" from the task page and from a unit of a plan: the unit's notice with the
optional message, the audit entry, the confirmation, and plain words when the unit has
no account on Loa to read it."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from loa.core import roles
from loa.core.models import AuditLog, Notification
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans.models import Task
from loa.plans.tests.factories import PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Đề nghị đồng chí gửi báo cáo trước thứ Sáu."


@pytest.fixture
def ward():
    return WardFactory(name="Hải Dương")


@pytest.fixture
def plan(ward):
    return PlanFactory(ward=ward, number="77/KH-UBND")


@pytest.fixture
def service(ward):
    return UnitFactory(ward=ward, name="Trung tâm Dịch vụ sự nghiệp công")


@pytest.fixture
def officer(ward, service):
    return staff_user(ward=ward, unit=service, first_name="Nguyễn Văn Dịch")


@pytest.fixture
def overdue(plan, service):
    return TaskFactory(
        plan=plan,
        unit=service,
        text="Phát chuyên mục Chuyển đổi số trên đài truyền thanh",
        due_date=date(2026, 1, 15),
    )


@pytest.fixture
def culture(ward):
    return staff_user(
        ward=ward,
        unit=UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội"),
        role=roles.CULTURE_STAFF,
        first_name="Trần Thị Văn",
    )


def _page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_lead_unit_urges_an_overdue_task_with_a_message_and_the_unit_sees_it(
    client, culture, overdue, officer
):
    client.force_login(culture)
    assert "Đôn đốc" in _page(client, "plans:task_detail", overdue.pk)

    response = client.post(
        reverse("plans:task_urge", args=[overdue.pk]),
        {"message": MESSAGE},
        follow=True,
    )

    page = response.content.decode()
    assert "Đã đôn đốc Trung tâm Dịch vụ sự nghiệp công" in page
    assert "1 tài khoản của đơn vị nhận được thông báo" in page
    note = Notification.objects.get()
    assert note.unit == overdue.unit and note.url == f"/nhiem-vu/{overdue.pk}/"
    assert note.title == "Đôn đốc: nhiệm vụ quá hạn — Kế hoạch số 77/KH-UBND"
    assert MESSAGE in note.body and "Trần Thị Văn" in note.body
    entry = AuditLog.objects.get(action=AuditLog.Action.REMIND)
    assert entry.actor == culture and entry.object_id == str(overdue.pk)
    assert entry.changes["message"] == MESSAGE

    client.force_login(officer)
    notices = _page(client, "core:notification_list")
    assert "Đôn đốc: nhiệm vụ quá hạn" in notices and MESSAGE in notices
    task_page = _page(client, "plans:task_detail", overdue.pk)
    assert MESSAGE in task_page and "Trần Thị Văn" in task_page
    assert reverse("plans:task_urge", args=[overdue.pk]) not in task_page  # no form


def test_every_press_sends_one_more_notice_and_email_goes_to_the_unit(
    client, culture, overdue, officer
):
    overdue.unit.email = "dichvu@haiduong.gov.vn"
    overdue.unit.save()
    client.force_login(culture)
    url = reverse("plans:task_urge", args=[overdue.pk])

    client.post(url, {"message": ""})
    client.post(url, {"message": MESSAGE})

    assert Notification.objects.filter(unit=overdue.unit).count() == 2
    assert AuditLog.objects.filter(action=AuditLog.Action.REMIND).count() == 2
    assert len(mail.outbox) == 2
    assert sorted(mail.outbox[1].to) == sorted(
        ["dichvu@haiduong.gov.vn", officer.email]
    )
    assert MESSAGE in mail.outbox[1].body


@pytest.mark.parametrize("role", [roles.UNIT_STAFF, roles.EDITOR, roles.APPROVER])
def test_staff_who_are_not_plan_managers_cannot_urge_and_nothing_is_sent(
    client, ward, overdue, role
):
    client.force_login(staff_user(ward=ward, unit=overdue.unit, role=role))

    task_response = client.post(
        reverse("plans:task_urge", args=[overdue.pk]), {"message": "x"}
    )
    unit_response = client.post(
        reverse("plans:unit_urge", args=[overdue.plan.pk, overdue.unit.pk]),
        {"message": "x"},
    )

    assert task_response.status_code == 403 and unit_response.status_code == 403
    assert not Notification.objects.exists()
    assert not AuditLog.objects.filter(action=AuditLog.Action.REMIND).exists()
    page = _page(client, "plans:task_detail", overdue.pk)
    assert reverse("plans:task_urge", args=[overdue.pk]) not in page


def test_a_manager_of_another_ward_gets_404_and_nothing_is_sent(client, overdue):
    other = WardFactory(name="Lê Thanh Nghị")
    client.force_login(staff_user(ward=other, role=roles.LEADER))

    assert client.post(reverse("plans:task_urge", args=[overdue.pk])).status_code == 404
    assert (
        client.post(
            reverse("plans:unit_urge", args=[overdue.plan.pk, overdue.unit.pk])
        ).status_code
        == 404
    )
    assert not Notification.objects.exists()


def test_a_unit_of_another_ward_cannot_be_urged_through_this_wards_plan(
    client, culture, overdue
):
    foreign = UnitFactory(ward=WardFactory(name="Thành Đông"))
    client.force_login(culture)

    response = client.post(
        reverse("plans:unit_urge", args=[overdue.plan.pk, foreign.pk])
    )

    assert response.status_code == 404 and not Notification.objects.exists()


def test_urging_is_posted_only(client, culture, overdue):
    client.force_login(culture)

    assert client.get(reverse("plans:task_urge", args=[overdue.pk])).status_code == 405


def test_a_unit_with_no_account_is_named_plainly_before_and_after_urging(
    client, culture, overdue
):
    client.force_login(culture)
    no_account = (
        "Đơn vị này chưa có tài khoản nào trên Loa: thông báo không đến được ai"
    )

    assert no_account in _page(client, "plans:task_detail", overdue.pk)
    assert no_account in _page(client, "plans:plan_detail", overdue.plan.pk)
    listed = client.get(reverse("plans:task_list"), {"don_vi": "tat_ca"})
    assert "chưa có tài khoản trên Loa" in listed.content.decode()

    response = client.post(
        reverse("plans:task_urge", args=[overdue.pk]), {"message": MESSAGE}, follow=True
    )

    page = response.content.decode()
    assert (
        "đơn vị này chưa có tài khoản nào trên Loa: thông báo không đến được ai" in page
    )
    assert "Hãy liên hệ trực tiếp" in page


def test_a_unit_with_an_account_is_not_flagged(client, culture, overdue, officer):
    client.force_login(culture)

    assert "chưa có tài khoản" not in _page(client, "plans:task_detail", overdue.pk)
    assert "chưa có tài khoản" not in _page(
        client, "plans:plan_detail", overdue.plan.pk
    )


def test_urging_a_unit_sends_one_notice_about_its_unfinished_tasks_late_ones_first(
    client, culture, plan, service, overdue, officer
):
    on_time = TaskFactory(
        plan=plan,
        unit=service,
        text="Cập nhật tin bài hằng tuần",
        due_date=date(2099, 1, 1),
    )
    TaskFactory(
        plan=plan,
        unit=service,
        text="Việc đã xong",
        completed_at=overdue.plan.confirmed_at,
    )
    client.force_login(culture)
    assert "Đôn đốc Trung tâm Dịch vụ sự nghiệp công" in _page(
        client, "plans:plan_detail", plan.pk
    )

    response = client.post(
        reverse("plans:unit_urge", args=[plan.pk, service.pk]),
        {"message": MESSAGE},
        follow=True,
    )

    assert "Đã đôn đốc Trung tâm Dịch vụ sự nghiệp công về 2 nhiệm vụ" in (
        response.content.decode()
    )
    note = Notification.objects.get()
    assert note.unit == service and note.url == "/nhiem-vu/"
    assert note.title == "Đôn đốc: 2 nhiệm vụ chưa hoàn thành — Kế hoạch số 77/KH-UBND"
    assert "Việc đã xong" not in note.body and MESSAGE in note.body
    assert note.body.index(overdue.text) < note.body.index(on_time.text)
    assert f"{overdue.text} (quá hạn)" in note.body
    entry = AuditLog.objects.get(action=AuditLog.Action.REMIND)
    assert entry.object_type == "core.unit" and entry.actor == culture
    assert entry.changes["plan"] == plan.pk

    client.force_login(officer)
    assert MESSAGE in _page(client, "core:notification_list")
    assert MESSAGE in _page(client, "plans:task_detail", on_time.pk)


def test_a_finished_task_is_not_urged(client, culture, overdue):
    overdue.completed_at = overdue.plan.confirmed_at
    overdue.save()
    client.force_login(culture)

    response = client.post(reverse("plans:task_urge", args=[overdue.pk]), follow=True)

    assert "Nhiệm vụ đã hoàn thành, không cần đôn đốc." in response.content.decode()
    assert not Notification.objects.exists()


def test_a_too_long_message_is_refused_in_vietnamese(client, culture, overdue):
    client.force_login(culture)

    response = client.post(
        reverse("plans:task_urge", args=[overdue.pk]),
        {"message": "a" * 1001},
        follow=True,
    )

    assert "Lời nhắn dài quá 1000 ký tự." in response.content.decode()
    assert not Notification.objects.exists()


def test_the_daily_urging_still_sends_its_notice_once_a_day(overdue):
    from loa.plans.services import reminders_send

    assert reminders_send(today=date(2026, 3, 20)) == 1
    assert reminders_send(today=date(2026, 3, 20)) == 0
    note = Notification.objects.get()
    assert note.title == "Đôn đốc: nhiệm vụ quá hạn — Kế hoạch số 77/KH-UBND"
    assert "Hạn hoàn thành ngày 15 tháng 01 năm 2026 đã qua." in note.body
    assert Task.objects.get(pk=overdue.pk).completed_at is None
