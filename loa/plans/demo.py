"""Starter data loaded by `loa setup`: the seed ward, its seed plan, demo staff and activities.

Idempotent: running it again changes nothing that is already there.
"""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from loa.core import roles
from loa.core.models import Membership, ResidentialGroup, Unit, Ward
from loa.core.services import roles_ensure, unit_get_or_create
from loa.vn import fold_lower

from .models import Activity, Plan
from .services import activity_record, plan_import

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SEED_PLAN = DATA_DIR / "seed" / "ke-hoach-77-KH-UBND-2026.ocr.txt"
DEMO_PASSWORD = "loa-demo-2026"  # noqa: S105 - demo accounts only, printed by `loa setup`
SEED_WARD = {
    "slug": "hai-duong",
    "name": "Hải Dương",
    "kind": Ward.Kind.WARD,
    "province": "Thành phố Hải Phòng",
}

# (username, full name, role, words that identify the unit in its folded name or None)
DEMO_STAFF = [
    ("lanhdao", "Lãnh đạo UBND phường", roles.LEADER, None),
    ("vhxh", "Cán bộ Phòng Văn hóa - Xã hội", roles.CULTURE_STAFF, "van hoa"),
    ("kinhte", "Cán bộ Phòng Kinh tế, Hạ tầng và Đô thị", roles.UNIT_STAFF, "kinh te"),
    ("dichvu", "Cán bộ Trung tâm Dịch vụ sự nghiệp công", roles.UNIT_STAFF, "dich vu"),
    ("mattran", "Cán bộ Ủy ban MTTQ phường", roles.UNIT_STAFF, "mat tran"),
    ("bientap", "Biên tập viên", roles.EDITOR, "dich vu"),
    ("duyet", "Người duyệt", roles.APPROVER, "van hoa"),
    ("tocds", "Thành viên Tổ công nghệ số cộng đồng", roles.DIGITAL_TEAM, "mat tran"),
]


def _find_unit(ward: Ward, words: str | None) -> Unit | None:
    if words is None:
        return None
    for unit in Unit.objects.filter(ward=ward):
        if words in fold_lower(unit.name):
            return unit
    return None


@transaction.atomic
def demo_load(*, stdout=None) -> dict:
    """Create the seed ward, import the seed plan, add demo accounts and a few activities."""
    roles_ensure()
    ward, _ = Ward.objects.get_or_create(slug=SEED_WARD["slug"], defaults=SEED_WARD)
    for i in range(1, 11):
        ResidentialGroup.objects.get_or_create(
            ward=ward, name=f"Tổ dân phố số {i}", defaults={"order": i}
        )
    unit_get_or_create(
        ward=ward, name="Lãnh đạo UBND phường", kind=Unit.Kind.LEADERSHIP
    )

    plan = (
        Plan.objects.filter(ward=ward, number="77/KH-UBND")
        .exclude(status=Plan.Status.REVIEW)
        .first()
    )
    if plan is None:
        plan = plan_import(
            ward=ward, data=SEED_PLAN.read_bytes(), filename=SEED_PLAN.name
        )

    users = _demo_users(ward)
    if not Activity.objects.filter(ward=ward).exists():
        _demo_activities(plan, users)
    return {"ward": ward, "plan": plan, "users": users}


def _demo_users(ward: Ward) -> dict:
    User = get_user_model()
    users = {}
    for username, full_name, role, unit_words in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        unit = _find_unit(ward, unit_words) or (
            Unit.objects.filter(ward=ward, kind=Unit.Kind.LEADERSHIP).first()
            if role == roles.LEADER
            else None
        )
        Membership.objects.update_or_create(
            user=user, defaults={"ward": ward, "unit": unit}
        )
        users[username] = user
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "first_name": "Quản trị hệ thống",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    Membership.objects.get_or_create(user=admin, defaults={"ward": ward})
    users["admin"] = admin
    return users


def _demo_activities(plan: Plan, users: dict) -> None:
    """A few recorded activities so the task board shows work in progress."""
    today = timezone.localdate()
    tasks = list(plan.tasks.select_related("unit"))
    by_unit = {}
    for task in tasks:
        by_unit.setdefault(fold_lower(task.unit.name), []).append(task)

    def first_task(words: str, index: int = 0):
        for name, items in by_unit.items():
            if words in name and len(items) > index:
                return items[index]
        return None

    samples = [
        (
            "van hoa",
            1,
            "vhxh",
            {
                "kind": Activity.Kind.VISUAL,
                "title": "Treo 20 băng-rôn tuyên truyền Nghị quyết 57-NQ/TW trên các tuyến phố chính",
                "channel": Activity.Channel.PRINT,
                "copies": 20,
                "days_ago": 12,
            },
        ),
        (
            "van hoa",
            0,
            "vhxh",
            {
                "kind": Activity.Kind.CONFERENCE,
                "title": "Hội nghị quán triệt Kế hoạch tuyên truyền Nghị quyết 57-NQ/TW",
                "channel": Activity.Channel.IN_PERSON,
                "attendees": 120,
                "days_ago": 20,
            },
        ),
        (
            "dich vu",
            1,
            "dichvu",
            {
                "kind": Activity.Kind.RADIO,
                "title": "Chuyên mục \u201cChuyển đổi số\u201d: hướng dẫn kích hoạt tài khoản định danh điện tử mức 2",
                "channel": Activity.Channel.RADIO,
                "reach": 3500,
                "days_ago": 3,
            },
        ),
        (
            "dich vu",
            2,
            "dichvu",
            {
                "kind": Activity.Kind.ARTICLE,
                "title": "Tin bài: phường triển khai phong trào \u201cBình dân học vụ số\u201d",
                "channel": Activity.Channel.PORTAL,
                "reach": 820,
                "days_ago": 5,
            },
        ),
    ]
    for words, index, username, fields in samples:
        task = first_task(words, index)
        if task is None:
            continue
        days_ago = fields.pop("days_ago")
        activity_record(
            task=task,
            unit=task.unit,
            by=users.get(username),
            date=today - timedelta(days=days_ago),
            **fields,
        )
