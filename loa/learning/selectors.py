"""Reads of the learning app: a learner's progress and the ward's figures."""

from collections import Counter

from django.db.models import Count, Q, QuerySet

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


def learning_figures(*, ward: Ward) -> dict:
    """Enrolled, completed, certificates and pass rate by tổ dân phố, target group and course;
    support visits by kind. Every figure is counted from records, none typed in."""
    learners = Learner.objects.filter(ward=ward)
    certificates = Certificate.objects.filter(learner__ward=ward, is_revoked=False)
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
    for helps, household in SupportVisit.objects.filter(team__ward=ward).values_list(
        "helps", "household_code"
    ):
        visits.update(helps or [])
        households.add(household)
    labels = dict(SupportVisit.Help.choices)
    return {
        "ward": ward.display_name,
        "learners": learners.count(),
        "certificates": certificates.count(),
        "national_confirmed": learners.filter(
            national_confirmed_at__isnull=False
        ).count(),
        "by_residential_group": groups,
        "by_target_group": targets,
        "by_course": courses,
        "by_skill_area": areas,
        "visits": SupportVisit.objects.filter(team__ward=ward).count(),
        "households_helped": len(households),
        "visits_by_kind": [
            {"code": code, "name": labels[code], "count": visits.get(code, 0)}
            for code in labels
        ],
    }
