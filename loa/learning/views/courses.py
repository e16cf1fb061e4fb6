"""The course list, a course and a lesson."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from .. import services
from ..models import Course, Lesson, LessonProgress, Track
from ..selectors import course_list_published, course_progress
from .learners import register_then


def home(request):
    learner = services.learner_from_request(request)
    tracks = Track.objects.prefetch_related("courses")
    return render(
        request,
        "learning/home.html",
        {"learner": learner, "courses": course_list_published(), "tracks": tracks},
    )


def course_detail(request, slug: str):
    course = get_object_or_404(Course, slug=slug, is_published=True)
    learner = services.learner_from_request(request)
    return render(
        request,
        "learning/course.html",
        {
            "course": course,
            "learner": learner,
            **course_progress(learner=learner, course=course),
        },
    )


def lesson_detail(request, slug: str):
    from loa.core.markdown import render_document

    lesson = get_object_or_404(
        Lesson.objects.select_related("course"), slug=slug, course__is_published=True
    )
    learner = services.learner_from_request(request)
    if request.method == "POST":
        if learner is None:
            return redirect(register_then(request.path))
        services.lesson_complete(learner=learner, lesson=lesson)
        messages.success(request, "Đã ghi nhận bạn học xong bài này.")
        following = lesson.course.lessons.filter(order__gt=lesson.order).first()
        return (
            redirect("learning:lesson_by_slug", slug=following.slug)
            if following
            else redirect("learning:course", slug=lesson.course.slug)
        )
    done = (
        learner is not None
        and LessonProgress.objects.filter(learner=learner, lesson=lesson).exists()
    )
    return render(
        request,
        "learning/lesson.html",
        {
            "lesson": lesson,
            "html": render_document(lesson.body),
            "learner": learner,
            "done": done,
        },
    )
