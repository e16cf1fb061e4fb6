import random

import pytest

from loa.core.models import ResidentialGroup
from loa.core.tests.factories import WardFactory
from loa.learning.models import Choice, Course, Lesson, Question
from loa.learning.tests.factories import LearnerFactory


@pytest.fixture
def ward(db):
    return WardFactory(name="Hải Dương", slug="hai-duong")


@pytest.fixture
def group(ward):
    return ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố số 3", order=3)


@pytest.fixture
def course(db):
    course = Course.objects.create(
        slug="vneid",
        title="Định danh điện tử VNeID",
        pass_mark=70,
        questions_per_quiz=4,
        max_attempts=2,
    )
    Lesson.objects.create(
        course=course,
        slug="vneid-muc-1",
        title="Mức 1",
        order=1,
        body="## Mức 1\nTự đăng ký.",
    )
    Lesson.objects.create(
        course=course,
        slug="vneid-muc-2",
        title="Mức 2",
        order=2,
        body="## Mức 2\nĐến công an.",
    )
    for n in range(6):
        kind = Question.Kind.MULTIPLE if n % 3 == 0 else Question.Kind.SINGLE
        question = Question.objects.create(
            course=course, text=f"Câu hỏi số {n}", kind=kind
        )
        Choice.objects.create(question=question, text="Đúng A", is_correct=True)
        Choice.objects.create(question=question, text="Sai", is_correct=False)
        if kind == Question.Kind.MULTIPLE:
            Choice.objects.create(question=question, text="Đúng B", is_correct=True)
    return course


@pytest.fixture
def learner(ward, group):
    return LearnerFactory(
        ward=ward,
        residential_group=group,
        name="Nguyễn Thị Lan",
        birth_year=1958,
        phone="0912345678",
    )


def correct_answers(attempt) -> dict[int, set[int]]:
    return {
        q.pk: {c.pk for c in q.choices.all() if c.is_correct}
        for q in Question.objects.filter(pk__in=attempt.question_ids)
    }


@pytest.fixture
def rng():
    return random.Random(7)  # noqa: S311 - reproducible draws in tests
