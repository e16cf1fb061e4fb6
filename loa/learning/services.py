"""Writes of the learning app: learners, progress, quizzes, certificates, classes."""

import random
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from loa.core.models import AuditLog, ResidentialGroup, Ward
from loa.core.services import audit_record

from .models import (
    Attendance,
    Certificate,
    ClassRegistration,
    ClassSession,
    Course,
    Learner,
    Lesson,
    LessonProgress,
    Question,
    QuizAnswer,
    QuizAttempt,
)

LEARNER_COOKIE = "loa_hoc_vien"
CONSENT_TEXT = (
    "Tôi đồng ý để Ủy ban nhân dân phường lưu họ tên, năm sinh, tổ dân phố, đối tượng và (nếu có) số điện "
    "thoại của tôi để theo dõi việc học \u201cBình dân học vụ số\u201d và cấp giấy chứng nhận. Tôi có thể xem, "
    "tải về hoặc xóa dữ liệu của mình bất cứ lúc nào (Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân)."
)


def learner_from_request(request) -> Learner | None:
    """The learner whose access key is in the browser's cookie, if any."""
    key = request.COOKIES.get(LEARNER_COOKIE, "")
    if not key:
        return None
    return (
        Learner.objects.select_related("ward", "residential_group")
        .filter(access_key=key)
        .first()
    )


def learner_register(
    *,
    ward: Ward,
    name: str,
    birth_year: int,
    residential_group: ResidentialGroup,
    target_group: str,
    phone: str = "",
    consent: bool,
) -> Learner:
    """Register a learner with the minimum data, only with consent."""
    if not consent:
        raise ValidationError(
            "Vui lòng đồng ý với điều khoản lưu dữ liệu để đăng ký học.",
            code="no_consent",
        )
    if residential_group.ward_id != ward.pk:
        raise ValidationError("Tổ dân phố không thuộc phường này.", code="other_ward")
    learner = Learner(
        ward=ward,
        name=" ".join(name.split()),
        birth_year=birth_year,
        residential_group=residential_group,
        target_group=target_group,
        phone=phone.strip(),
        consent_at=timezone.now(),
    )
    learner.full_clean()
    learner.save()
    return learner


def learner_export(*, learner: Learner) -> dict:
    """Everything the ward keeps about a learner, for them to download."""
    return {
        "ho_ten": learner.name,
        "nam_sinh": learner.birth_year,
        "to_dan_pho": learner.residential_group.name,
        "doi_tuong": learner.get_target_group_display(),
        "so_dien_thoai": learner.phone,
        "dong_y_luc": timezone.localtime(learner.consent_at).isoformat(),
        "xac_nhan_nen_tang_quoc_gia": learner.national_confirmed_at.isoformat()
        if learner.national_confirmed_at
        else None,
        "bai_hoc_da_hoan_thanh": [
            {
                "bai": p.lesson.title,
                "luc": timezone.localtime(p.completed_at).isoformat(),
                "hinh_thuc": p.get_mode_display(),
            }
            for p in learner.progress.select_related("lesson")
        ],
        "bai_kiem_tra": [
            {
                "khoa_hoc": a.course.title,
                "diem": a.score,
                "dat": a.passed,
                "luc": timezone.localtime(a.submitted_at).isoformat()
                if a.submitted_at
                else None,
            }
            for a in learner.attempts.select_related("course")
        ],
        "giay_chung_nhan": [
            {"khoa_hoc": c.course.title, "ma": c.code}
            for c in learner.certificates.select_related("course")
        ],
    }


@transaction.atomic
def learner_delete(*, learner: Learner) -> None:
    """Delete a learner and everything about them (their certificates stop verifying)."""
    audit_record(
        action=AuditLog.Action.DELETE,
        obj=learner,
        ward=learner.ward,
        object_repr=f"Học viên #{learner.pk} (đã xóa theo yêu cầu)",
    )
    learner.delete()


def lesson_complete(
    *,
    learner: Learner,
    lesson: Lesson,
    mode: str = LessonProgress.Mode.SELF,
    assisted_by=None,
) -> LessonProgress:
    """Mark a lesson done (idempotent); assisted completion records who helped."""
    if mode == LessonProgress.Mode.ASSISTED and assisted_by is None:
        raise ValidationError(
            "Học có người hỗ trợ cần ghi rõ người hỗ trợ.", code="no_helper"
        )
    progress, created = LessonProgress.objects.get_or_create(
        learner=learner,
        lesson=lesson,
        defaults={"mode": mode, "assisted_by": assisted_by},
    )
    if not created and mode == LessonProgress.Mode.ASSISTED and progress.mode != mode:
        progress.mode, progress.assisted_by = mode, assisted_by
        progress.save(update_fields=["mode", "assisted_by"])
    return progress


def quiz_start(
    *, learner: Learner, course: Course, rng: random.Random | None = None
) -> QuizAttempt:
    """Draw the questions of a new attempt from the course's bank."""
    used = learner.attempts.filter(course=course, submitted_at__isnull=False).count()
    if used >= course.max_attempts:
        raise ValidationError(
            "Bạn đã làm hết %(n)s lượt kiểm tra của khóa học này. Vui lòng liên hệ Tổ công nghệ "
            "số cộng đồng để được hướng dẫn.",
            code="no_attempts",
            params={"n": course.max_attempts},
        )
    bank = list(course.questions.values_list("pk", flat=True))
    if not bank:
        raise ValidationError("Khóa học chưa có câu hỏi kiểm tra.", code="no_questions")
    rng = rng or attempt_random()
    drawn = rng.sample(bank, min(course.questions_per_quiz, len(bank)))
    return QuizAttempt.objects.create(
        learner=learner,
        course=course,
        question_ids=drawn,
        choice_seed=rng.randrange(2**31),
    )


def attempt_random() -> random.Random:
    """Where a new attempt's draw of questions and order of options come from."""
    return random.SystemRandom()


def quiz_choices(attempt: QuizAttempt, question: Question) -> list:
    """The question's options in the order this attempt shows them.

    Shuffled from the attempt's seed and the question's id, so a reload shows the same
    order and answers are graded by the options' ids, whatever their position.
    """
    choices = sorted(question.choices.all(), key=lambda choice: choice.pk)
    random.Random(f"{attempt.choice_seed}:{question.pk}").shuffle(choices)  # noqa: S311
    return choices


def answer_is_correct(question: Question, chosen: set[int]) -> bool:
    """Right only when exactly the correct choices were picked (single or multiple)."""
    correct = {c.pk for c in question.choices.all() if c.is_correct}
    return bool(chosen) and chosen == correct


@transaction.atomic
def quiz_submit(*, attempt: QuizAttempt, answers: dict[int, set[int]]) -> QuizAttempt:
    """Score an attempt; passing issues the course certificate."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.submitted_at:
        raise ValidationError("Bài kiểm tra này đã được nộp.", code="already_submitted")
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_ids).prefetch_related(
            "choices"
        )
    }
    correct = 0
    rows = []
    for question_id in attempt.question_ids:
        question = questions.get(question_id)
        if question is None:
            continue
        valid = {c.pk for c in question.choices.all()}
        chosen = set(answers.get(question_id, set())) & valid
        ok = answer_is_correct(question, chosen)
        correct += ok
        rows.append(
            QuizAnswer(
                attempt=attempt,
                question=question,
                choice_ids=sorted(chosen),
                is_correct=ok,
            )
        )
    QuizAnswer.objects.bulk_create(rows)
    total = len(rows) or 1
    attempt.score = round(100 * correct / total)
    attempt.passed = attempt.score >= attempt.course.pass_mark
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["score", "passed", "submitted_at"])
    if attempt.passed:
        certificate_issue(learner=attempt.learner, course=attempt.course)
    return attempt


def certificate_issue(*, learner: Learner, course: Course) -> Certificate:
    """The learner's certificate for the course (one per course; issuing again returns it)."""
    certificate, _ = Certificate.objects.get_or_create(learner=learner, course=course)
    return certificate


def national_confirmation_record(*, learner: Learner, on: date) -> Learner:
    """The learner says they got the national platform's confirmation on VNeID."""
    if on > timezone.localdate():
        raise ValidationError("Ngày xác nhận không được ở tương lai.", code="future")
    learner.national_confirmed_at = on
    learner.save(update_fields=["national_confirmed_at"])
    return learner


def class_session_create(
    *,
    ward: Ward,
    course: Course,
    date: date,
    place: str,
    by=None,
    lesson: Lesson | None = None,
    team=None,
    residential_group: ResidentialGroup | None = None,
) -> ClassSession:
    session = ClassSession(
        ward=ward,
        course=course,
        lesson=lesson,
        date=date,
        place=place.strip(),
        team=team,
        residential_group=residential_group,
        created_by=by,
    )
    session.full_clean()
    session.save()
    transaction.on_commit(lambda: _class_activity(session, by))
    return session


def _class_activity(session: ClassSession, by) -> None:
    """Each class counts as an Activity of the plan task set for the ward's classes."""
    from .teams import class_session_record_activity

    class_session_record_activity(session=session, by=by)


def class_register(*, learner: Learner, session: ClassSession) -> ClassRegistration:
    """Sign a learner up for an upcoming class of their ward (idempotent)."""
    if session.ward_id != learner.ward_id:
        raise ValidationError("Lớp học không thuộc phường của bạn.", code="other_ward")
    if session.date < timezone.localdate():
        raise ValidationError("Buổi học này đã diễn ra.", code="past")
    registration, _ = ClassRegistration.objects.get_or_create(
        session=session, learner=learner
    )
    return registration


def attendance_check_in(*, learner: Learner, code: str) -> Attendance:
    """A learner checks in to today's class with its six-digit code (or its QR)."""
    code = "".join(ch for ch in code if ch.isdigit())
    session = ClassSession.objects.filter(
        ward=learner.ward, attendance_code=code, date=timezone.localdate()
    ).first()
    if session is None:
        raise ValidationError(
            "Mã điểm danh không đúng hoặc buổi học không diễn ra hôm nay.",
            code="bad_code",
        )
    attendance, created = Attendance.objects.get_or_create(
        session=session, learner=learner
    )
    if created:
        transaction.on_commit(lambda: _class_activity(session, None))
    if session.lesson_id:
        lesson_complete(
            learner=learner, lesson=session.lesson, mode=LessonProgress.Mode.CLASS
        )
    return attendance
