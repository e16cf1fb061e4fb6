"""A resident's path: register, learn, take the quiz, get a certificate; and their data rights."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from loa.core import roles
from loa.core.tests.factories import WardFactory, staff_user
from loa.learning import services
from loa.learning.models import (
    Certificate,
    ClassSession,
    Learner,
    LessonProgress,
    QuizAnswer,
)
from loa.learning.selectors import learning_figures
from loa.learning.tests.conftest import correct_answers
from loa.learning.tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def test_quiz_draws_questions_from_the_bank(learner, course, rng):
    attempt = services.quiz_start(learner=learner, course=course, rng=rng)
    assert len(attempt.question_ids) == 4 and len(set(attempt.question_ids)) == 4
    assert set(attempt.question_ids) <= set(
        course.questions.values_list("pk", flat=True)
    )


def test_all_correct_passes_and_issues_a_certificate(learner, course, rng):
    attempt = services.quiz_start(learner=learner, course=course, rng=rng)
    attempt = services.quiz_submit(attempt=attempt, answers=correct_answers(attempt))
    assert attempt.score == 100 and attempt.passed
    assert Certificate.objects.get(learner=learner, course=course).code
    assert QuizAnswer.objects.filter(attempt=attempt, is_correct=True).count() == 4


def test_multiple_choice_needs_every_right_choice_and_no_wrong_one(learner, course):
    question = course.questions.filter(kind="multiple").first()
    right = {c.pk for c in question.choices.all() if c.is_correct}
    wrong = {c.pk for c in question.choices.all() if not c.is_correct}
    assert services.answer_is_correct(question, right)
    assert not services.answer_is_correct(question, {next(iter(right))})
    assert not services.answer_is_correct(question, right | wrong)
    assert not services.answer_is_correct(question, set())


def test_below_the_pass_mark_fails_without_certificate(learner, course, rng):
    attempt = services.quiz_start(learner=learner, course=course, rng=rng)
    answers = correct_answers(attempt)
    for question_id in list(answers)[:2]:  # 2 of 4 right = 50% < 70%
        answers[question_id] = set()
    attempt = services.quiz_submit(attempt=attempt, answers=answers)
    assert attempt.score == 50 and not attempt.passed
    assert not Certificate.objects.exists()


def test_answers_to_choices_of_other_questions_do_not_count(learner, course, rng):
    attempt = services.quiz_start(learner=learner, course=course, rng=rng)
    other = course.questions.exclude(pk__in=attempt.question_ids).first()
    forged = {q: {c.pk for c in other.choices.all()} for q in attempt.question_ids}
    assert services.quiz_submit(attempt=attempt, answers=forged).score == 0


def test_attempts_are_limited(learner, course, rng):
    for _ in range(2):
        services.quiz_submit(
            attempt=services.quiz_start(learner=learner, course=course, rng=rng),
            answers={},
        )
    with pytest.raises(ValidationError):
        services.quiz_start(learner=learner, course=course, rng=rng)


def test_an_attempt_cannot_be_submitted_twice(learner, course, rng):
    attempt = services.quiz_start(learner=learner, course=course, rng=rng)
    services.quiz_submit(attempt=attempt, answers={})
    with pytest.raises(ValidationError):
        services.quiz_submit(attempt=attempt, answers=correct_answers(attempt))


def test_registration_needs_consent_and_keeps_the_minimum(client, ward, group):
    url = reverse("learning:register")
    refused = client.post(
        url,
        {
            "name": "Trần Văn Ba",
            "birth_year": "1950",
            "residential_group": group.pk,
            "target_group": "nguoi_dan",
        },
    )
    assert refused.status_code == 400 and Learner.objects.count() == 0
    client.post(
        url,
        {
            "name": "  Trần   Văn Ba ",
            "birth_year": "1950",
            "residential_group": group.pk,
            "target_group": "nguoi_dan",
            "consent": "on",
        },
    )
    learner = Learner.objects.get()
    assert learner.name == "Trần Văn Ba" and learner.phone == "" and learner.consent_at
    assert client.cookies[services.LEARNER_COOKIE].value == learner.access_key


def test_resident_learns_a_lesson_and_passes_the_quiz_through_the_pages(
    client, learner, course
):
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    client.post(reverse("learning:lesson_by_slug", args=["vneid-muc-1"]))
    assert LessonProgress.objects.filter(
        learner=learner, lesson__slug="vneid-muc-1"
    ).exists()
    response = client.post(reverse("learning:quiz_start", args=[course.slug]))
    attempt = learner.attempts.get()
    assert response["Location"] == reverse("learning:quiz", args=[attempt.pk])
    form = {
        f"q{q}": [str(c) for c in choices]
        for q, choices in correct_answers(attempt).items()
    }
    client.post(reverse("learning:quiz", args=[attempt.pk]), form)
    page = client.get(reverse("learning:quiz", args=[attempt.pk])).content.decode()
    assert "100%" in page and Certificate.objects.get(learner=learner).code in page


def test_another_learner_cannot_open_my_quiz(client, learner, course, group, rng):
    attempt = services.quiz_start(learner=learner, course=course, rng=rng)
    other = LearnerFactory(
        ward=learner.ward, residential_group=group, name="Khác", birth_year=1990
    )
    client.cookies[services.LEARNER_COOKIE] = other.access_key
    assert client.get(reverse("learning:quiz", args=[attempt.pk])).status_code == 404


def test_learner_exports_and_deletes_their_data(client, learner, course, rng):
    services.quiz_submit(
        attempt=services.quiz_start(learner=learner, course=course, rng=rng), answers={}
    )
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    exported = json.loads(client.get(reverse("learning:my_data_export")).content)
    assert (
        exported["ho_ten"] == "Nguyễn Thị Lan"
        and exported["so_dien_thoai"] == "0912345678"
    )
    assert len(exported["bai_kiem_tra"]) == 1
    client.post(reverse("learning:my_data_delete"))  # without the confirmation box
    assert Learner.objects.filter(pk=learner.pk).exists()
    client.post(reverse("learning:my_data_delete"), {"xac_nhan": "xoa"})
    assert not Learner.objects.filter(pk=learner.pk).exists()


def test_check_in_with_todays_code_completes_the_class_lesson(learner, course, ward):
    session = services.class_session_create(
        ward=ward,
        course=course,
        lesson=course.lessons.first(),
        date=timezone.localdate(),
        place="Nhà văn hóa tổ 3",
    )
    services.attendance_check_in(learner=learner, code=f" {session.attendance_code} ")
    progress = LessonProgress.objects.get(learner=learner)
    assert progress.mode == LessonProgress.Mode.CLASS
    old = ClassSession.objects.create(
        ward=ward,
        course=course,
        date=timezone.localdate().replace(year=2020),
        place="x",
        attendance_code="111111",
    )
    with pytest.raises(ValidationError):
        services.attendance_check_in(learner=learner, code=old.attendance_code)


def test_assisted_completion_records_who_helped(learner, course, ward):
    helper = staff_user(ward=ward, role=roles.DIGITAL_TEAM)
    lesson = course.lessons.last()
    services.lesson_complete(
        learner=learner,
        lesson=lesson,
        mode=LessonProgress.Mode.ASSISTED,
        assisted_by=helper,
    )
    progress = LessonProgress.objects.get(learner=learner, lesson=lesson)
    assert (
        progress.mode == LessonProgress.Mode.ASSISTED and progress.assisted_by == helper
    )


def test_figures_count_learners_certificates_and_pass_rate_by_group(
    learner, course, ward, rng
):
    services.quiz_submit(
        attempt=services.quiz_start(learner=learner, course=course, rng=rng), answers={}
    )
    attempt = services.quiz_start(learner=learner, course=course, rng=rng)
    services.quiz_submit(attempt=attempt, answers=correct_answers(attempt))
    WardFactory()  # another ward's data never counts
    f = learning_figures(ward=ward)
    assert f["learners"] == 1 and f["certificates"] == 1
    assert f["by_residential_group"][0] == {
        "name": "Tổ dân phố số 3",
        "learners": 1,
        "completed": 1,
        "certificates": 1,
        "assisted_lessons": 0,
    }
    row = next(r for r in f["by_course"] if r["slug"] == "vneid")
    assert row["attempts"] == 2 and row["pass_rate"] == 0.5 and row["enrolled"] == 1


def test_figures_xlsx_has_a_sheet_per_table(client, ward, learner):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(staff_user(ward=ward, role=roles.CULTURE_STAFF))
    book = load_workbook(BytesIO(client.get(reverse("learning:figures_xlsx")).content))
    assert book.sheetnames == [
        "Theo tổ dân phố",
        "Theo đối tượng",
        "Theo khóa học",
        "Hỗ trợ người dân",
    ]
    assert book["Theo tổ dân phố"]["A2"].value == "Tổ dân phố số 3"


def test_stats_command_prints_the_wards_figures(learner, course, ward):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("learning", "stats", "--json", "--ward", ward.slug, stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["learners"] == 1 and figures["ward"] == "phường Hải Dương"
    assert {
        "by_residential_group",
        "by_target_group",
        "by_course",
        "visits_by_kind",
    } <= set(figures)


def test_a_class_and_its_attendance_are_counted_as_an_activity(
    learner, course, ward, django_capture_on_commit_callbacks
):
    from loa.plans.models import Activity
    from loa.plans.tests.factories import PlanFactory, TaskFactory

    TaskFactory(
        plan=PlanFactory(ward=ward), text="Phổ biến phong trào Bình dân học vụ số"
    )
    with django_capture_on_commit_callbacks(execute=True):
        session = services.class_session_create(
            ward=ward,
            course=course,
            date=timezone.localdate(),
            place="Nhà văn hóa tổ 3",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_check_in(learner=learner, code=session.attendance_code)
    activity = Activity.objects.get(ward=ward, kind="lop_hoc")
    assert activity.attendees == 1 and "Bình dân học vụ số" in activity.task.text


def test_learner_signs_up_for_an_upcoming_class_once(client, learner, course, ward):
    session = services.class_session_create(
        ward=ward, course=course, date=timezone.localdate(), place="Nhà văn hóa"
    )
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    for _ in range(2):
        client.post(reverse("learning:class_upcoming"), {"buoi": session.pk})
    assert session.registrations.count() == 1
    other_ward_session = services.class_session_create(
        ward=WardFactory(), course=course, date=timezone.localdate(), place="x"
    )
    assert (
        client.post(
            reverse("learning:class_upcoming"), {"buoi": other_ward_session.pk}
        ).status_code
        == 404
    )


def test_skill_areas_count_who_learned_them(learner, course, ward):
    from loa.learning.models import SkillArea

    area = SkillArea.objects.create(code="4", name="An toàn số")
    course.lessons.first().skill_areas.add(area)
    services.lesson_complete(learner=learner, lesson=course.lessons.first())
    row = next(
        r for r in learning_figures(ward=ward)["by_skill_area"] if r["code"] == "4"
    )
    assert row["learners"] == 1
