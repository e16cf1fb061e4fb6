"""Reads of the learning app: a learner's progress and the ward's figures.

Each figure is defined once here (learners registered, certificates issued, support
visits and the people they helped), for any wards and, optionally, a period; the
learning pages and the reports both count through these functions.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from loa.core.models import ResidentialGroup, Ward

from .models import (
    Certificate,
    Course,
    Learner,
    LessonProgress,
    QuizAttempt,
    SkillArea,
    SupportVisit,
    TargetGroup,
)


def course_list_published() -> QuerySet[Course]:
    return Course.objects.filter(is_published=True).annotate(
        lesson_count=Count("lessons")
    )


def course_progress(*, learner: Learner | None, course: Course) -> dict:
    """Which lessons the learner finished, whether they passed, their certificate."""
    lessons = list(course.lessons.all())
    done = set()
    certificate = None
    attempts_used = 0
    if learner is not None:
        done = set(
            LessonProgress.objects.filter(
                learner=learner, lesson__course=course
            ).values_list("lesson_id", flat=True)
        )
        certificate = Certificate.objects.filter(
            learner=learner, course=course, is_revoked=False
        ).first()
        attempts_used = learner.attempts.filter(
            course=course, submitted_at__isnull=False
        ).count()
    return {
        "lessons": lessons,
        "done": done,
        "all_done": bool(lessons) and done >= {x.pk for x in lessons},
        "certificate": certificate,
        "attempts_used": attempts_used,
        "attempts_left": max(course.max_attempts - attempts_used, 0),
    }


# --- the figures: one definition each, for the learning pages and the reports ------


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    # [start 00:00, end+1 00:00) in the ward's time zone, so timestamp indexes are used.
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def learner_list_registered(
    *, wards: Iterable[Ward], start: date | None = None, end: date | None = None
) -> QuerySet[Learner]:
    """List the learners of the wards, registered within [start, end] when given."""
    learners = Learner.objects.filter(ward__in=list(wards))
    if start is not None and end is not None:
        lo, hi = _day_bounds(start, end)
        learners = learners.filter(created_at__gte=lo, created_at__lt=hi)
    return learners


def certificate_list_issued(
    *, wards: Iterable[Ward], start: date | None = None, end: date | None = None
) -> QuerySet[Certificate]:
    """List the certificates issued to the wards' learners (revoked ones left out),
    within [start, end] when given."""
    certificates = Certificate.objects.filter(
        learner__ward__in=list(wards), is_revoked=False
    )
    if start is not None and end is not None:
        lo, hi = _day_bounds(start, end)
        certificates = certificates.filter(issued_at__gte=lo, issued_at__lt=hi)
    return certificates


def support_visit_list(
    *, wards: Iterable[Ward], start: date | None = None, end: date | None = None
) -> QuerySet[SupportVisit]:
    """List the community digital teams' support visits in the wards, dated within
    [start, end] when given."""
    visits = SupportVisit.objects.filter(team__ward__in=list(wards))
    if start is not None and end is not None:
        visits = visits.filter(date__range=(start, end))
    return visits


def learning_totals(
    *, wards: Iterable[Ward], start: date | None = None, end: date | None = None
) -> dict:
    """Count learners registered, certificates issued, support visits and the people
    they helped in the wards (over [start, end] when given)."""
    wards = list(wards)
    period = {"wards": wards, "start": start, "end": end}
    visits = support_visit_list(**period).aggregate(n=Count("id"), people=Sum("people"))
    return {
        "learners": learner_list_registered(**period).count(),
        "certificates": certificate_list_issued(**period).count(),
        "visits": visits["n"],
        "people_helped": visits["people"] or 0,
    }


def learning_by_residential_group(
    *, wards: Iterable[Ward], start: date | None = None, end: date | None = None
) -> list[dict]:
    """The learning totals of every tổ dân phố of the wards, ward by ward."""
    wards = list(wards)
    period = {"wards": wards, "start": start, "end": end}
    learners = dict(
        learner_list_registered(**period)
        .values_list("residential_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    certificates = dict(
        certificate_list_issued(**period)
        .values_list("learner__residential_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    visits = {
        row["team__residential_group"]: row
        for row in support_visit_list(**period)
        .values("team__residential_group")
        .annotate(visits=Count("id"), people=Sum("people"))
        .order_by()
    }
    rows = []
    for group in (
        ResidentialGroup.objects.filter(ward__in=wards)
        .select_related("ward")
        .order_by("ward__name", "order", "name")
    ):
        visit = visits.get(group.pk, {})
        rows.append(
            {
                "ward": group.ward.display_name,
                "group": group.name,
                "learners": learners.get(group.pk, 0),
                "certificates": certificates.get(group.pk, 0),
                "visits": visit.get("visits", 0),
                "people": visit.get("people") or 0,
            }
        )
    return rows


def learning_figures(*, ward: Ward) -> dict:
    """Enrolled, completed, certificates and pass rate by tổ dân phố, target group and course;
    support visits by kind. Every figure is counted from records, none typed in."""
    learners = learner_list_registered(wards=[ward])
    certificates = certificate_list_issued(wards=[ward])
    visit_list = support_visit_list(wards=[ward])
    attempts = QuizAttempt.objects.filter(
        learner__ward=ward, submitted_at__isnull=False
    )

    by_group = {
        row["residential_group"]: row
        for row in learners.values("residential_group").annotate(
            learners=Count("id", distinct=True),
            completed=Count(
                "id", filter=Q(certificates__is_revoked=False), distinct=True
            ),
        )
    }
    cert_by_group = dict(
        certificates.values_list("learner__residential_group").annotate(n=Count("id"))
    )
    groups = []
    for group in ResidentialGroup.objects.filter(ward=ward).order_by("order", "name"):
        row = by_group.get(group.pk, {"learners": 0, "completed": 0})
        groups.append(
            {
                "name": group.name,
                "learners": row["learners"],
                "completed": row["completed"],
                "certificates": cert_by_group.get(group.pk, 0),
            }
        )

    by_target = {
        row["target_group"]: row
        for row in learners.values("target_group").annotate(
            learners=Count("id", distinct=True),
            completed=Count(
                "id", filter=Q(certificates__is_revoked=False), distinct=True
            ),
        )
    }
    targets = [
        {
            "code": code,
            "name": label,
            "learners": by_target.get(code, {}).get("learners", 0),
            "completed": by_target.get(code, {}).get("completed", 0),
        }
        for code, label in TargetGroup.choices
    ]

    progress_learners = dict(
        LessonProgress.objects.filter(learner__ward=ward)
        .values_list("lesson__course")
        .annotate(n=Count("learner", distinct=True))
    )
    attempt_rows = {
        row["course"]: row
        for row in attempts.values("course").annotate(
            attempts=Count("id"),
            passed=Count("id", filter=Q(passed=True)),
            learners=Count("learner", distinct=True),
        )
    }
    cert_by_course = dict(certificates.values_list("course").annotate(n=Count("id")))
    courses = []
    for course in Course.objects.order_by("order", "title"):
        row = attempt_rows.get(course.pk, {"attempts": 0, "passed": 0, "learners": 0})
        courses.append(
            {
                "slug": course.slug,
                "title": course.title,
                "enrolled": max(progress_learners.get(course.pk, 0), row["learners"]),
                "completed": cert_by_course.get(course.pk, 0),
                "certificates": cert_by_course.get(course.pk, 0),
                "attempts": row["attempts"],
                "pass_rate": round(row["passed"] / row["attempts"], 3)
                if row["attempts"]
                else None,
            }
        )

    assisted = dict(
        LessonProgress.objects.filter(
            learner__ward=ward, mode=LessonProgress.Mode.ASSISTED
        )
        .values_list("learner__residential_group")
        .annotate(n=Count("id"))
    )
    for row, group in zip(
        groups,
        ResidentialGroup.objects.filter(ward=ward).order_by("order", "name"),
        strict=True,
    ):
        row["assisted_lessons"] = assisted.get(group.pk, 0)
    # From the ward's progress rows to the areas (not the other way): only this ward is read.
    learned = dict(
        LessonProgress.objects.filter(
            learner__ward=ward, lesson__skill_areas__isnull=False
        )
        .values_list("lesson__skill_areas")
        .annotate(n=Count("learner", distinct=True))
    )
    areas = [
        {"code": area.code, "name": area.name, "learners": learned.get(area.pk, 0)}
        for area in SkillArea.objects.all()
    ]

    visits = Counter()
    households = set()
    for helps, household in visit_list.values_list("helps", "household_code"):
        visits.update(helps or [])
        households.add(household)
    labels = dict(SupportVisit.Help.choices)
    return {
        "ward": ward.display_name,
        # learners, certificates, visits, people_helped: as the reports count them
        **learning_totals(wards=[ward]),
        "national_confirmed": learners.filter(
            national_confirmed_at__isnull=False
        ).count(),
        "by_residential_group": groups,
        "by_target_group": targets,
        "by_course": courses,
        "by_skill_area": areas,
        "households_helped": len(households),
        "visits_by_kind": [
            {"code": code, "name": labels[code], "count": visits.get(code, 0)}
            for code in labels
        ],
    }


def _period_words(start: date | None, end: date | None) -> str:
    if start is None or end is None:
        return "từ trước đến nay"
    return f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"


def learning_definitions(*, start: date | None = None, end: date | None = None) -> dict:
    """How each figure of `learning_totals` is counted, in the words shown beside it."""
    period = _period_words(start, end)
    return {
        "learners": f"tính từ: lượt học viên đăng ký “Bình dân học vụ số” {period} "
        "(học trực tuyến hoặc tại lớp)",
        "certificates": f"tính từ: giấy chứng nhận hoàn thành khóa học cấp {period}, "
        "không tính giấy đã thu hồi",
        "visits": f"tính từ: phiếu hỗ trợ tại nhà của Tổ công nghệ số cộng đồng, "
        f"ngày hỗ trợ {period}; số người là tổng số người ghi trên phiếu",
    }
