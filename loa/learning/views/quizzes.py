"""Taking a course's quiz, and its result."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import services
from ..models import Course, Question, QuizAttempt
from .learners import register_then


@require_POST
def quiz_start(request, slug: str):
    course = get_object_or_404(Course, slug=slug, is_published=True)
    learner = services.learner_from_request(request)
    if learner is None:
        return redirect(register_then(reverse("learning:course", args=[course.slug])))
    try:
        attempt = services.quiz_start(learner=learner, course=course)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("learning:course", slug=course.slug)
    return redirect("learning:quiz", pk=attempt.pk)


def quiz(request, pk: int):
    learner = services.learner_from_request(request)
    attempt = (
        get_object_or_404(
            QuizAttempt.objects.select_related("course"), pk=pk, learner=learner
        )
        if learner
        else None
    )
    if attempt is None:
        raise Http404("Không tìm thấy bài kiểm tra.")
    if attempt.submitted_at:
        return render(request, "learning/quiz_result.html", _result_context(attempt))
    questions = sorted(
        Question.objects.filter(pk__in=attempt.question_ids).prefetch_related(
            "choices"
        ),
        key=lambda q: attempt.question_ids.index(q.pk),
    )
    for question in questions:
        question.shown_choices = services.quiz_choices(attempt, question)
    if request.method == "POST":
        answers = {
            q.pk: {int(v) for v in request.POST.getlist(f"q{q.pk}") if v.isdigit()}
            for q in questions
        }
        try:
            attempt = services.quiz_submit(attempt=attempt, answers=answers)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("learning:quiz", pk=attempt.pk)
    return render(
        request, "learning/quiz.html", {"attempt": attempt, "questions": questions}
    )


def _result_context(attempt: QuizAttempt) -> dict:
    answers = {
        a.question_id: a
        for a in attempt.answers.select_related("question").prefetch_related(
            "question__choices"
        )
    }
    certificate = (
        attempt.learner.certificates.filter(course=attempt.course).first()
        if attempt.passed
        else None
    )
    return {
        "attempt": attempt,
        "answers": [answers[q] for q in attempt.question_ids if q in answers],
        "certificate": certificate,
    }
