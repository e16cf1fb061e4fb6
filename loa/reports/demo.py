"""Demo data for the dashboard and reports: months of recorded work, money and a city.

Loaded by `loa setup` after the seed plan. Deterministic (fixed random seed) and
idempotent: it does nothing once the seed plan has indicators.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from loa.assistant.models import Conversation, Exchange
from loa.core import roles
from loa.core.models import Membership, ResidentialGroup, Unit, Ward
from loa.learning.models import Certificate, Course, Learner, Team
from loa.learning.services import certificate_issue, learner_register
from loa.learning.teams import visit_record
from loa.plans.models import Activity, Plan, Task
from loa.vn import fold_lower

from .models import (
    BudgetAllocation,
    Commendation,
    Expense,
    FundingSource,
    Indicator,
    ReportDraft,
    UnitNarrative,
)

CITY = "Thành phố Hải Phòng"
# Wards of the city beside the seed ward (names of wards formed on 1 July 2025).
CITY_WARDS = [
    ("le-thanh-nghi", "Lê Thanh Nghị", "68/KH-UBND", 0.7),
    ("thanh-dong", "Thành Đông", "81/KH-UBND", 0.45),
]
K, C = Activity.Kind, Activity.Channel
M, P = Indicator.Measure, Indicator.Period

INDICATORS = [
    (
        "Tin, bài đăng trên Cổng thông tin điện tử và mạng xã hội",
        M.ACTIVITIES,
        [K.ARTICLE],
        8,
        P.MONTH,
    ),
    (
        "Chuyên mục phát thanh \u201cChuyển đổi số\u201d",
        M.ACTIVITIES,
        [K.RADIO],
        4,
        P.MONTH,
    ),
    ("Hội nghị, tọa đàm tuyên truyền", M.ACTIVITIES, [K.CONFERENCE], 2, P.QUARTER),
    ("Lượt người dự hội nghị", M.ATTENDEES, [K.CONFERENCE], 300, P.QUARTER),
    (
        "Sản phẩm tuyên truyền trực quan (băng-rôn, pa-nô, tờ rơi)",
        M.COPIES,
        [K.VISUAL],
        60,
        P.QUARTER,
    ),
    ("Lượt hỏi - đáp của trợ lý ảo", M.ASSISTANT_QUESTIONS, [], 40, P.MONTH),
    ("Học viên \u201cBình dân học vụ số\u201d", M.LEARNERS, [], 40, P.QUARTER),
    (
        "Hộ, người dân được Tổ công nghệ số hỗ trợ",
        M.HOUSEHOLDS,
        [K.RESIDENT_SUPPORT],
        25,
        P.MONTH,
    ),
]

# (unit words, kind, channel, per month, title, numbers)
MONTHLY_WORK = [
    (
        "dich vu",
        K.RADIO,
        C.RADIO,
        4,
        "Chuyên mục \u201cChuyển đổi số\u201d trên Đài truyền thanh phường, số {n}",
        {"reach": (2800, 4200)},
    ),
    (
        "dich vu",
        K.ARTICLE,
        C.PORTAL,
        5,
        "Tin bài trên Cổng thông tin điện tử phường về chuyển đổi số, số {n}",
        {"reach": (300, 1500)},
    ),
    (
        "dich vu",
        K.ARTICLE,
        C.ZALO,
        2,
        "Bản tin Zalo OA của phường: hướng dẫn dịch vụ công trực tuyến, số {n}",
        {"reach": (900, 2600)},
    ),
    (
        "dich vu",
        K.ARTICLE,
        C.FACEBOOK,
        2,
        "Bài đăng Fanpage phường về Nghị quyết 57-NQ/TW, số {n}",
        {"reach": (500, 3000)},
    ),
    (
        "van hoa",
        K.VISUAL,
        C.PRINT,
        1,
        "Treo băng-rôn, pa-nô tuyên truyền Nghị quyết 57-NQ/TW, đợt {n}",
        {"copies": (8, 30)},
    ),
    (
        "van hoa",
        K.CONFERENCE,
        C.IN_PERSON,
        0.7,
        "Hội nghị, tọa đàm tuyên truyền khoa học, công nghệ và chuyển đổi số, lần {n}",
        {"attendees": (60, 220)},
    ),
    (
        "mat tran",
        K.CONFERENCE,
        C.IN_PERSON,
        0.35,
        "Sinh hoạt chuyên đề \u201cNgười dân với chuyển đổi số\u201d tại khu dân cư, lần {n}",
        {"attendees": (40, 120)},
    ),
    (
        "mat tran",
        K.RESIDENT_SUPPORT,
        C.IN_PERSON,
        1,
        "Đoàn viên, hội viên hỗ trợ người dân cài đặt VNeID, đợt {n}",
        {"households_helped": (10, 35)},
    ),
    (
        "cac phong",
        K.ARTICLE,
        C.PORTAL,
        0.5,
        "Tin hoạt động chuyển đổi số của các phòng, ban, đợt {n}",
        {"reach": (150, 600)},
    ),
    (
        "kinh te",
        K.OTHER,
        "",
        0.34,
        "Tham mưu bố trí, điều chỉnh kinh phí thực hiện Kế hoạch, lần {n}",
        {},
    ),
]

QUESTIONS = [
    ("Làm sao kích hoạt tài khoản định danh điện tử mức 2?", True),
    ("Nộp hồ sơ cấp giấy khai sinh trực tuyến ở đâu?", True),
    ("Lớp Bình dân học vụ số học ở đâu, có mất tiền không?", True),
    ("Làm thế nào để nhận biết cuộc gọi lừa đảo giả danh công an?", True),
    ("Thanh toán tiền điện bằng mã QR thế nào?", True),
    ("Nghị quyết 57 nói gì về chuyển đổi số?", True),
    ("Giờ làm việc của bộ phận một cửa phường?", True),
    ("Phường có hỗ trợ người cao tuổi dùng điện thoại thông minh không?", True),
    ("Giá vé xe buýt đi Hà Nội bao nhiêu?", False),
    ("Khi nào sửa đường trong ngõ nhà tôi?", False),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Thanh"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hải",
    "Hoa",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Trang",
    "Tuấn",
    "Yến",
]


def _aware(day: date, rng: random.Random) -> datetime:
    moment = time(rng.randint(7, 20), rng.randint(0, 59))
    return datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def _months(start: date, end: date):
    cursor = start.replace(day=1)
    while cursor <= end:
        nxt = (cursor + timedelta(days=32)).replace(day=1)
        yield max(cursor, start), min(nxt - timedelta(days=1), end)
        cursor = nxt


def _unit_tasks(plan: Plan) -> dict[str, tuple[Unit, list[Task]]]:
    result = {}
    for task in plan.tasks.select_related("unit"):
        result.setdefault(fold_lower(task.unit.name), (task.unit, []))[1].append(task)
    return result


def _find(unit_tasks, words):
    for name, value in unit_tasks.items():
        if words in name:
            return value
    return None, []


def _activities(
    plan: Plan, start: date, end: date, rng: random.Random, scale=1.0
) -> list[Activity]:
    unit_tasks = _unit_tasks(plan)
    made = []
    counters: dict[str, int] = {}
    for month_start, month_end in _months(start, end):
        for words, kind, channel, per_month, title, numbers in MONTHLY_WORK:
            unit, tasks = _find(unit_tasks, words)
            if unit is None:
                continue
            expected = per_month * scale
            count = int(expected) + (rng.random() < expected - int(expected))
            for _ in range(count):
                counters[title] = counters.get(title, 0) + 1
                day = month_start + timedelta(
                    days=rng.randint(0, (month_end - month_start).days)
                )
                values = {
                    field: rng.randint(*bounds) for field, bounds in numbers.items()
                }
                made.append(
                    Activity(
                        ward=plan.ward,
                        task=rng.choice(tasks),
                        unit=unit,
                        kind=kind,
                        channel=channel,
                        date=day,
                        title=title.format(n=counters[title]),
                        created_at=_aware(day, rng),
                        **values,
                    )
                )
    return Activity.objects.bulk_create(made)


def _assistant(
    ward: Ward, start: date, end: date, rng: random.Random, scale=1.0
) -> None:
    for month_start, month_end in _months(start, end):
        span = (month_end - month_start).days
        for _ in range(int(rng.randint(35, 70) * scale)):
            when = _aware(month_start + timedelta(days=rng.randint(0, span)), rng)
            question, answerable = rng.choice(QUESTIONS)
            conversation = Conversation.objects.create(
                ward=ward, channel=rng.choice(["web", "zalo", "web"]), created_at=when
            )
            answered = answerable and rng.random() < 0.92
            Exchange.objects.create(
                conversation=conversation,
                question=question,
                answer="(câu trả lời từ kho tri thức)"
                if answered
                else "Phường chưa có thông tin về việc này.",
                answered=answered,
                kind="faq" if answered else "khong_biet",
                created_at=when,
            )


def _learners(
    ward: Ward, start: date, end: date, rng: random.Random, count: int
) -> None:
    groups = list(ResidentialGroup.objects.filter(ward=ward))
    courses = list(Course.objects.filter(is_published=True)[:4])
    if not groups:
        return
    span = (end - start).days
    for _ in range(count):
        when = _aware(start + timedelta(days=rng.randint(0, span)), rng)
        # Registered and certified by the learning services (their checks), then dated
        # back to the day in the past the demo says it happened: the services stamp "now".
        learner = learner_register(
            ward=ward,
            name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            birth_year=rng.randint(1950, 2008),
            residential_group=rng.choice(groups),
            target_group=rng.choice(
                ["nguoi_dan", "nguoi_dan", "nguoi_dan", "cong_chuc", "doanh_nghiep"]
            ),
            consent=True,
        )
        Learner.objects.filter(pk=learner.pk).update(consent_at=when, created_at=when)
        if courses and rng.random() < 0.45:
            issued = min(when + timedelta(days=rng.randint(3, 30)), timezone.now())
            certificate = certificate_issue(learner=learner, course=rng.choice(courses))
            Certificate.objects.filter(pk=certificate.pk).update(issued_at=issued)


def _visits(ward: Ward, start: date, end: date, rng: random.Random) -> None:
    teams = list(Team.objects.filter(ward=ward))
    helps = ["vneid_muc_2", "dvc_truc_tuyen", "thanh_toan_qr", "lua_dao"]
    for month_start, month_end in _months(start, end):
        for _ in range(rng.randint(4, 9)):
            if not teams:
                return
            day = month_start + timedelta(
                days=rng.randint(0, (month_end - month_start).days)
            )
            visit_record(
                team=rng.choice(teams),
                household_code=f"HO-{rng.randint(100, 999)}",
                date=day,
                helps=rng.sample(helps, rng.randint(1, 2)),
                people=rng.randint(1, 4),
            )


def _budget(ward: Ward, plan: Plan, year: int, rng: random.Random) -> None:
    unit_tasks = _unit_tasks(plan)
    lines = [
        ("van hoa", FundingSource.STATE_BUDGET, 60_000_000),
        ("dich vu", FundingSource.STATE_BUDGET, 35_000_000),
        ("dich vu", FundingSource.SOCIALISED, 12_000_000),
        ("mat tran", FundingSource.INTEGRATED, 15_000_000),
        ("kinh te", FundingSource.STATE_BUDGET, 5_000_000),
    ]
    for words, source, amount in lines:
        unit, _ = _find(unit_tasks, words)
        if unit is not None:
            BudgetAllocation.objects.get_or_create(
                ward=ward,
                year=year,
                unit=unit,
                source=source,
                defaults={"amount": Decimal(amount)},
            )
    paid = Activity.objects.filter(
        ward=ward, kind__in=[K.VISUAL, K.CONFERENCE, K.RADIO], date__year=year
    ).order_by("date", "pk")
    expenses = []
    for activity in paid:
        if activity.kind == K.RADIO and rng.random() > 0.25:
            continue
        source = (
            FundingSource.INTEGRATED
            if "mat tran" in fold_lower(activity.unit.name)
            else FundingSource.STATE_BUDGET
        )
        amount = {
            K.VISUAL: (activity.copies or 10) * 350_000,
            K.CONFERENCE: 2_500_000 + 15_000 * (activity.attendees or 0),
            K.RADIO: 800_000,
        }[activity.kind]
        expenses.append(
            Expense(
                ward=ward,
                activity=activity,
                source=source,
                amount=Decimal(amount),
                date=activity.date,
                description={
                    K.VISUAL: "In, treo băng-rôn, pa-nô",
                    K.CONFERENCE: "Hội trường, tài liệu, nước uống",
                    K.RADIO: "Biên tập, thu âm chuyên mục",
                }[activity.kind],
            )
        )
    Expense.objects.bulk_create(expenses)


def _indicators(plan: Plan) -> None:
    for order, (name, measure, kinds, target, period) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            plan=plan,
            name=name,
            defaults={
                "measure": measure,
                "kinds": kinds,
                "target": target,
                "period": period,
                "order": order,
            },
        )


def _draft(plan: Plan, year: int) -> None:
    from .document import draft_defaults

    start, end = date(year, 1, 1), date(year, 6, 30)
    draft, created = ReportDraft.objects.get_or_create(
        plan=plan,
        period_from=start,
        period_to=end,
        defaults={"ward": plan.ward}
        | draft_defaults(plan, start, end)
        | {
            "difficulties": "Một bộ phận người cao tuổi chưa có điện thoại thông minh, còn e ngại khi dùng dịch vụ công trực tuyến.\n"
            "Kinh phí cho tuyên truyền trực quan còn hạn chế; hệ thống loa truyền thanh ở một số tổ dân phố đã xuống cấp.",
            "proposals": "Đề nghị Thành phố hỗ trợ kinh phí nâng cấp hệ thống truyền thanh thông minh.\n"
            "Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn kỹ năng số cho thành viên Tổ công nghệ số cộng đồng.",
            "next_steps": "Tiếp tục duy trì chuyên mục \u201cChuyển đổi số\u201d hằng tuần; mở thêm lớp \u201cBình dân học vụ số\u201d cho người cao tuổi tại các tổ dân phố.",
        },
    )
    if not created:
        return
    unit_tasks = _unit_tasks(plan)
    texts = {
        "van hoa": "Phòng Văn hóa - Xã hội đã tham mưu UBND phường tổ chức hội nghị quán triệt, phối hợp các đơn vị treo băng-rôn, pa-nô trên các tuyến phố chính và theo dõi, đôn đốc việc thực hiện Kế hoạch.",
        "dich vu": "Trung tâm Dịch vụ sự nghiệp công duy trì chuyên mục phát thanh hằng tuần và cập nhật tin bài trên Cổng thông tin điện tử, Zalo OA, Fanpage của phường.",
        "mat tran": "Ủy ban MTTQ phường chỉ đạo các tổ chức thành viên lồng ghép tuyên truyền trong sinh hoạt khu dân cư; đoàn viên thanh niên hỗ trợ người dân cài đặt và sử dụng VNeID.",
    }
    for words, text in texts.items():
        unit, _ = _find(unit_tasks, words)
        if unit is not None:
            UnitNarrative.objects.create(draft=draft, unit=unit, text=text)
    radio_unit, _ = _find(unit_tasks, "dich vu")
    Commendation.objects.create(
        draft=draft,
        kind=Commendation.Kind.UNIT,
        name="Tổ công nghệ số cộng đồng tổ dân phố số 1",
        reason="Hỗ trợ nhiều hộ dân kích hoạt tài khoản định danh điện tử mức 2 và sử dụng dịch vụ công trực tuyến.",
    )
    Commendation.objects.create(
        draft=draft,
        kind=Commendation.Kind.PERSON,
        name="Bà Nguyễn Thị Hoa",
        unit=radio_unit,
        reason="Biên tập đều đặn chuyên mục \u201cChuyển đổi số\u201d trên Đài truyền thanh phường.",
    )


def _city(seed_plan: Plan, rng: random.Random, start: date, end: date) -> None:
    """Two more wards of the city with their own plan and work, and a city account."""
    for slug, name, number, scale in CITY_WARDS:
        ward, _ = Ward.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": Ward.Kind.WARD, "province": CITY}
        )
        if Plan.objects.filter(ward=ward).exists():
            continue
        for i in range(1, 7):
            ResidentialGroup.objects.get_or_create(
                ward=ward, name=f"Tổ dân phố số {i}", defaults={"order": i}
            )
        plan = Plan.objects.create(
            ward=ward,
            status=Plan.Status.ACTIVE,
            number=number,
            issued_date=seed_plan.issued_date + timedelta(days=rng.randint(2, 20)),
            issuer=f"Ủy ban nhân dân phường {name}",
            place=name,
            title=seed_plan.title.replace(seed_plan.ward.name, name),
            signer=rng.choice(["Nguyễn Văn Hùng", "Trần Thị Mai"]),
            signer_position="Phó Chủ tịch",
            confirmed_at=timezone.now(),
        )
        units = {}
        for task in seed_plan.tasks.select_related("unit").order_by("order", "pk"):
            unit = units.get(task.unit.name)
            if unit is None:
                unit = units[task.unit.name] = Unit.objects.create(
                    ward=ward, name=task.unit.name, kind=task.unit.kind
                )
            Task.objects.create(
                plan=plan,
                unit=unit,
                text=task.text,
                role=task.role,
                recurrence=task.recurrence,
                due_date=task.due_date,
                order=task.order,
            )
        _activities(plan, start, end, rng, scale=scale)
        _assistant(ward, start, end, rng, scale=scale / 2)
        _learners(ward, start, end, rng, count=int(90 * scale))
        _indicators(plan)
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="thanhpho", defaults={"first_name": "Cán bộ Sở Văn hóa, Thành phố"}
    )
    if created:
        from loa.plans.demo import DEMO_PASSWORD

        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=roles.CITY_STAFF))
    Membership.objects.update_or_create(
        user=user, defaults={"ward": None, "city": CITY}
    )


@transaction.atomic
def reports_demo_load(*, plan: Plan) -> bool:
    """Months of work for the seed plan, its indicators, budget, a draft report, a city."""
    if plan.indicators.exists():
        return False
    rng = random.Random(57)  # noqa: S311 - demo data, reproducible on purpose
    ward = plan.ward
    today = timezone.localdate()
    start = (plan.issued_date or date(today.year, 1, 1)) + timedelta(days=3)
    end = today - timedelta(days=1)
    # The demo plan has been worked on since it was issued, not since `loa setup` ran.
    Plan.objects.filter(pk=plan.pk).update(confirmed_at=_aware(start, rng))
    if not ward.province:
        Ward.objects.filter(pk=ward.pk).update(province=CITY)
    _activities(plan, start, end, rng)
    _assistant(ward, start, end, rng)
    _learners(ward, start, end, rng, count=160)
    _visits(ward, start, end, rng)
    _budget(ward, plan, start.year, rng)
    # The budget task is done once the money was arranged; the board shows one finished task.
    _, budget_tasks = _find(_unit_tasks(plan), "kinh te")
    if budget_tasks:
        Task.objects.filter(pk=budget_tasks[0].pk).update(
            completed_at=_aware(start + timedelta(days=45), rng)
        )
    _indicators(plan)
    _draft(plan, start.year)
    _city(plan, rng, start, end)
    return True
