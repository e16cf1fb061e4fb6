from datetime import date

import factory
from django.utils import timezone

from loa.core.tests.factories import UnitFactory, WardFactory
from loa.plans.models import Activity, Plan, Task


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    ward = factory.SubFactory(WardFactory)
    status = Plan.Status.ACTIVE
    number = factory.Sequence(lambda n: f"{n + 1}/KH-UBND")
    issued_date = date(2026, 3, 4)
    title = "Tuyên truyền thực hiện Nghị quyết số 57-NQ/TW năm 2026"
    confirmed_at = factory.LazyFunction(
        lambda: timezone.make_aware(timezone.datetime(2026, 3, 5, 8, 0))
    )


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    unit = factory.LazyAttribute(lambda t: UnitFactory(ward=t.plan.ward))
    text = factory.Sequence(lambda n: f"Thực hiện nhiệm vụ tuyên truyền số {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    task = factory.SubFactory(TaskFactory)
    ward = factory.LazyAttribute(lambda a: a.task.plan.ward)
    unit = factory.LazyAttribute(lambda a: a.task.unit)
    kind = Activity.Kind.ARTICLE
    date = date(2026, 3, 10)
    title = "Đăng tin trên Cổng thông tin điện tử phường"
