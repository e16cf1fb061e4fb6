"""Options are shuffled per attempt and the starter bank's right answers are spread, so
ticking the first option everywhere no longer passes a quiz."""

import json
import random
import re
from collections import Counter

import pytest
from django.urls import reverse

from loa.learning import services
from loa.learning.models import Certificate, Choice, Course, Question
from loa.learning.starter import DATA_DIR

INPUT = re.compile(r'name="q(\d+)" value="(\d+)"')


@pytest.fixture
def four_option_course(db):
    """Ten questions whose right answer was stored first, like the old starter bank."""
    course = Course.objects.create(
        slug="lua-dao",
        title="Phòng chống lừa đảo",
        pass_mark=70,
        questions_per_quiz=10,
        max_attempts=3,
    )
    for n in range(10):
        question = Question.objects.create(course=course, text=f"Tình huống số {n}")
        Choice.objects.create(question=question, text="Gọi 113 để báo", is_correct=True)
        for wrong in ("Chuyển tiền ngay", "Đọc mã OTP", "Bấm vào đường link"):
            Choice.objects.create(question=question, text=wrong, is_correct=False)
    return course


@pytest.fixture
def seeded(monkeypatch):
    """New attempts draw from a fixed generator, so the test is reproducible."""
    generator = random.Random(2026)  # noqa: S311 - reproducible draws in tests
    monkeypatch.setattr(services, "attempt_random", lambda: generator)


def displayed(client, attempt) -> list[tuple[int, int]]:
    """(question id, option id) in the order the quiz page shows them."""
    page = client.get(reverse("learning:quiz", args=[attempt.pk])).content.decode()
    return [(int(q), int(c)) for q, c in INPUT.findall(page)]


def first_displayed(rows: list[tuple[int, int]]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for question_id, choice_id in rows:
        answers.setdefault(f"q{question_id}", str(choice_id))
    return answers


def start(client, learner, course):
    client.cookies[services.LEARNER_COOKIE] = learner.access_key
    client.post(reverse("learning:quiz_start", args=[course.slug]))
    return learner.attempts.order_by("-pk").first()


def test_learner_who_always_picks_the_first_option_shown_fails_the_quiz(
    client, learner, four_option_course, seeded
):
    attempt = start(client, learner, four_option_course)
    rows = displayed(client, attempt)
    assert len({q for q, _ in rows}) == 10

    client.post(reverse("learning:quiz", args=[attempt.pk]), first_displayed(rows))

    attempt.refresh_from_db()
    assert attempt.submitted_at and not attempt.passed
    assert attempt.score < four_option_course.pass_mark
    assert not Certificate.objects.filter(learner=learner).exists()
    page = client.get(reverse("learning:quiz", args=[attempt.pk])).content.decode()
    assert "Chưa đạt" in page


def test_learner_who_picks_the_right_options_shown_passes_whatever_their_position(
    client, learner, four_option_course, seeded
):
    attempt = start(client, learner, four_option_course)
    rows = displayed(client, attempt)
    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    shown: dict[int, list[int]] = {}
    for question_id, choice_id in rows:
        shown.setdefault(question_id, []).append(choice_id)
    answers, positions = {}, Counter()
    for question_id, choice_ids in shown.items():
        index = next(i for i, c in enumerate(choice_ids) if c in right)
        answers[f"q{question_id}"] = str(choice_ids[index])
        positions[index] += 1
    assert len(positions) > 1  # the right answer is not always shown in the same place

    client.post(reverse("learning:quiz", args=[attempt.pk]), answers)

    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100
    assert Certificate.objects.filter(learner=learner).exists()


def test_a_reload_shows_the_options_of_an_attempt_in_the_same_order(
    client, learner, four_option_course
):
    attempt = start(client, learner, four_option_course)

    assert displayed(client, attempt) == displayed(client, attempt)


def test_two_attempts_show_the_options_in_different_orders(learner, four_option_course):
    first = services.quiz_start(learner=learner, course=four_option_course)
    second = services.quiz_start(learner=learner, course=four_option_course)
    questions = list(four_option_course.questions.prefetch_related("choices"))

    def order(attempt):
        return [[c.pk for c in services.quiz_choices(attempt, q)] for q in questions]

    assert order(first) != order(second)
    assert all(
        sorted(shown) == sorted(c.pk for c in q.choices.all())
        for shown, q in zip(order(first), questions, strict=True)
    )


def test_starter_bank_spreads_its_right_answers_over_the_positions():
    right_at = Counter()
    single_right_at = Counter()
    for path in sorted((DATA_DIR / "courses").glob("*.json")):
        for question in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            flags = [choice["correct"] for choice in question["choices"]]
            right_at.update(i for i, correct in enumerate(flags) if correct)
            if question["kind"] == "single":
                single_right_at[flags.index(True)] += 1

    for counts in (right_at, single_right_at):
        total = sum(counts.values())
        assert total and max(counts.values()) <= 0.4 * total, counts
    assert len(single_right_at) == 3
