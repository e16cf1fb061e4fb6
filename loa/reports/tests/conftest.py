"""Two wards with hand-counted work: every figure in the tests is counted by hand below."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from loa.assistant.models import Conversation, Exchange
from loa.core import roles
from loa.core.models import Unit, Ward
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans.models import Activity, Plan, Task
from loa.plans.tests.factories import ActivityFactory, PlanFactory, TaskFactory
from loa.reports.budget import allocation_set, expense_record
from loa.reports.models import FundingSource

K, C = Activity.Kind, Activity.Channel


@dataclass
class WardData:
    ward: Ward
    plan: Plan
    culture: Unit
    service: Unit
    culture_task: Task
    service_task: Task
    late_task: Task


def _ask(ward, when: date, answered: bool):
    moment = datetime.combine(
        when,
        datetime.min.time().replace(hour=9),
        tzinfo=timezone.get_current_timezone(),
    )
    conversation = Conversation.objects.create(ward=ward, created_at=moment)
    Exchange.objects.create(
        conversation=conversation,
        question="Hỏi",
        answer="Đáp",
        answered=answered,
        created_at=moment,
    )


@pytest.fixture
def ward_a(db) -> WardData:
    """Phường Hải Dương, period 01/01–30/06/2026. Hand count, inside the period:
    articles 3 (reach 100 + 200), conference 2 (attendees 50 + 70), visual 1 (20 copies),
    radio 1 (reach 1000), other-on-Zalo 1 (a digital platform) → 8 activities.
    Outside: one article on 31/12/2025, one conference on 01/07/2026.
    Assistant: 3 questions in the period, 2 answered; one in July.
    """
    ward = WardFactory(name="Hải Dương", slug="hai-duong-test")
    plan = PlanFactory(
        ward=ward,
        number="77/KH-UBND",
        signer="Phạm Thị Thanh Vân",
        signer_position="Chủ tịch",
        place="Hải Dương",
    )
    culture = UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội")
    service = UnitFactory(ward=ward, name="Trung tâm Dịch vụ sự nghiệp công")
    culture_task = TaskFactory(
        plan=plan, unit=culture, text="Tổ chức hội nghị quán triệt"
    )
    service_task = TaskFactory(plan=plan, unit=service, text="Đăng tin bài hằng tháng")
    late_task = TaskFactory(
        plan=plan,
        unit=culture,
        text="Treo pa-nô trước 31/05/2026",
        due_date=date(2026, 5, 31),
    )

    def act(task, kind, day, **kw):
        return ActivityFactory(task=task, kind=kind, date=day, **kw)

    act(
        service_task,
        K.ARTICLE,
        date(2026, 1, 10),
        channel=C.PORTAL,
        reach=100,
        title="Tin tháng 1",
    )
    act(
        service_task,
        K.ARTICLE,
        date(2026, 2, 12),
        channel=C.FACEBOOK,
        reach=200,
        title="Tin tháng 2",
    )
    act(
        service_task,
        K.ARTICLE,
        date(2026, 2, 20),
        channel=C.PORTAL,
        title="Tin tháng 2 số hai",
    )
    act(
        culture_task,
        K.CONFERENCE,
        date(2026, 3, 5),
        channel=C.IN_PERSON,
        attendees=50,
        title="Hội nghị quán triệt",
    )
    act(
        culture_task,
        K.CONFERENCE,
        date(2026, 6, 30),
        channel=C.IN_PERSON,
        attendees=70,
        title="Tọa đàm cuối quý",
    )
    act(
        culture_task,
        K.VISUAL,
        date(2026, 4, 2),
        channel=C.PRINT,
        copies=20,
        title="Treo 20 băng-rôn",
    )
    act(
        service_task,
        K.RADIO,
        date(2026, 4, 9),
        channel=C.RADIO,
        reach=1000,
        title="Chuyên mục phát thanh",
    )
    act(service_task, K.OTHER, date(2026, 5, 15), channel=C.ZALO, title="Bản tin Zalo")
    act(
        service_task,
        K.ARTICLE,
        date(2025, 12, 31),
        channel=C.PORTAL,
        reach=999,
        title="Tin năm trước",
    )
    act(
        culture_task,
        K.CONFERENCE,
        date(2026, 7, 1),
        channel=C.IN_PERSON,
        attendees=400,
        title="Hội nghị tháng 7",
    )
    _ask(ward, date(2026, 2, 1), True)
    _ask(ward, date(2026, 3, 1), True)
    _ask(ward, date(2026, 6, 30), False)
    _ask(ward, date(2026, 7, 2), True)
    return WardData(ward, plan, culture, service, culture_task, service_task, late_task)


@pytest.fixture
def ward_b(db) -> WardData:
    """Another ward with a lot of work that must never show in ward A's figures."""
    ward = WardFactory(name="Thành Đông", slug="thanh-dong-test")
    plan = PlanFactory(ward=ward, number="81/KH-UBND")
    unit = UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội phường Thành Đông")
    task = TaskFactory(plan=plan, unit=unit, text="Nhiệm vụ của phường khác")
    for day in range(1, 29):
        ActivityFactory(
            task=task,
            kind=K.CONFERENCE,
            date=date(2026, 2, day),
            attendees=1000,
            channel=C.IN_PERSON,
            title="Hội nghị phường khác",
        )
    _ask(ward, date(2026, 2, 3), True)
    allocation_set(
        ward=ward,
        year=2026,
        unit=unit,
        source=FundingSource.STATE_BUDGET,
        amount=Decimal(77_000_000),
    )
    return WardData(ward, plan, unit, unit, task, task, task)


@pytest.fixture
def money_a(ward_a):
    """10.000.000 đ allocated to the culture unit; 1.000.000 spent in January (by the
    service centre, which has no allocation: confirmed overspend), 2.500.000 in April,
    400.000 in July."""
    allocation_set(
        ward=ward_a.ward,
        year=2026,
        unit=ward_a.culture,
        source=FundingSource.STATE_BUDGET,
        amount=Decimal(10_000_000),
    )
    activities = Activity.objects.filter(ward=ward_a.ward)
    january = activities.get(title="Tin tháng 1")
    april = activities.get(title="Treo 20 băng-rôn")
    july = activities.get(title="Hội nghị tháng 7")
    expense_record(
        activity=january,
        source=FundingSource.STATE_BUDGET,
        amount=Decimal(1_000_000),
        description="Viết bài",
        # The service centre has no allocation: spending on it is an overspend.
        overspend_confirmed=True,
    )
    expense_record(
        activity=april,
        source=FundingSource.STATE_BUDGET,
        amount=Decimal(2_500_000),
        description="In băng-rôn",
    )
    expense_record(
        activity=july,
        source=FundingSource.STATE_BUDGET,
        amount=Decimal(400_000),
        description="Nước uống",
    )
    return ward_a


@pytest.fixture
def manager_a(ward_a):
    return staff_user(ward=ward_a.ward, unit=ward_a.culture, role=roles.CULTURE_STAFF)


@pytest.fixture
def service_staff_a(ward_a):
    return staff_user(ward=ward_a.ward, unit=ward_a.service, role=roles.UNIT_STAFF)


H1 = (date(2026, 1, 1), date(2026, 6, 30))
