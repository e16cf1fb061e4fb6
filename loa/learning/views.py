"""Pages for residents (light, large text, work without JavaScript) and for ward staff."""

import io
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from loa.core.access import is_plan_manager, user_ward
from loa.core.qr import qr_svg
from loa.core.ratelimit import (
    client_key,
    failure_record,
    is_paused,
    limit_exceeded,
    too_many_requests,
)
from loa.core.selectors import public_ward_or_404, ward_for_request

from . import services
from .forms import (
    AssistedCompletionForm,
    CheckInForm,
    ClassSessionForm,
    NationalConfirmationForm,
    RegisterForm,
    ResumeForm,
)
from .models import (
    ClassSession,
    Course,
    Lesson,
    LessonProgress,
    Question,
    QuizAttempt,
    Track,
)
from .selectors import course_list_published, course_progress, learning_figures

COOKIE_AGE = 60 * 60 * 24 * 365 * 2

# Sign-ups from one address in ten minutes. Well above one family: a class in the ward
# hall signs up over one Wi-Fi, and phones share their carrier's addresses. It stops a
# script from filling the ward's figures with made-up learners.
SIGN_UPS_PER_ADDRESS = 20
SIGN_UP_WINDOW = 10 * 60
SIGN_UP_TOO_MANY = (
    "Đã có nhiều lượt đăng ký từ mạng này, vui lòng đợi ít phút rồi thử lại."
)

# Wrong check-in codes before a minute's pause. A code is six digits, valid one day in
# one ward: the limit per address slows one guesser, the limit per ward many addresses
# guessing together (30 a minute keeps a million codes out of reach). Right codes are
# not counted: a whole class checks in over the hall's Wi-Fi within a minute.
CHECK_IN_FAILURES_PER_ADDRESS = 10
CHECK_IN_FAILURES_PER_WARD = 30
CHECK_IN_PAUSE = 60
CHECK_IN_TOO_MANY = (
    "Có quá nhiều lượt nhập sai mã điểm danh, vui lòng đợi một phút rồi thử lại."
)


def _set_learner_cookie(response, learner):
    response.set_cookie(
        services.LEARNER_COOKIE,
        learner.access_key,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _register_then(path: str) -> str:
    """The sign-up page, coming back to `path` (a local path) once signed up."""
    return f"{reverse('learning:register')}?{urlencode({'tiep': path})}"


def _next_local(request) -> str:
    """Where to go after signing up: the `tiep` path if it stays on this site."""
    target = request.GET.get("tiep", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("learning:home")


def _learner_or_register(request):
    learner = services.learner_from_request(request)
    if learner is None:
        messages.info(
            request, "Vui lòng đăng ký (chỉ mất một phút) để lưu kết quả học."
        )
    return learner


def home(request):
    learner = services.learner_from_request(request)
    tracks = Track.objects.prefetch_related("courses")
    return render(
        request,
        "learning/home.html",
        {"learner": learner, "courses": course_list_published(), "tracks": tracks},
    )


def register(request):
    ward = public_ward_or_404(request)
    form = RegisterForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        if limit_exceeded(
            scope="learning-sign-up",
            key=client_key(request),
            limit=SIGN_UPS_PER_ADDRESS,
            seconds=SIGN_UP_WINDOW,
        ):
            return too_many_requests(request, SIGN_UP_TOO_MANY)
        try:
            learner = services.learner_register(ward=ward, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request, f"Chào mừng {learner.name}! Bạn đã đăng ký học thành công."
            )
            return _set_learner_cookie(redirect(_next_local(request)), learner)
    return render(
        request,
        "learning/register.html",
        {"form": form, "ward": ward},
        status=400 if form.errors else 200,
    )


# The access key opens the learner's personal data: it is typed into a form (POST), never
# put in a URL, where access logs, browser history and shared screens would keep it.


@never_cache
def resume(request):
    """Continue on another device: the learner enters their access key."""
    form = ResumeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _resumed(request, form.learner)
    return render(
        request,
        "learning/resume.html",
        {"form": form, "learner": services.learner_from_request(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@require_GET
def resume_link(request, key: str):
    """An old link with the key in it: continue, then leave the key out of the address."""
    form = ResumeForm({"key": key})
    if form.is_valid():
        return _resumed(request, form.learner)
    messages.error(request, " ".join(form.errors["key"]))
    return redirect("learning:resume")


def _resumed(request, learner):
    messages.success(
        request, f"Chào {learner.name}, bạn tiếp tục học trên thiết bị này."
    )
    return _set_learner_cookie(redirect("learning:home"), learner)


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
    from loa.assistant.rendering import render_document

    lesson = get_object_or_404(
        Lesson.objects.select_related("course"), slug=slug, course__is_published=True
    )
    learner = services.learner_from_request(request)
    if request.method == "POST":
        if learner is None:
            return redirect(_register_then(request.path))
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


@require_POST
def quiz_start(request, slug: str):
    course = get_object_or_404(Course, slug=slug, is_published=True)
    learner = services.learner_from_request(request)
    if learner is None:
        return redirect(_register_then(reverse("learning:course", args=[course.slug])))
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


def my_data(request):
    learner = services.learner_from_request(request)
    if learner is None:
        return redirect("learning:register")
    form = NationalConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.national_confirmation_record(
                learner=learner, on=form.cleaned_data["confirmed_on"]
            )
        except ValidationError as exc:
            form.add_error("confirmed_on", " ".join(exc.messages))
        else:
            messages.success(
                request, "Đã ghi nhận xác nhận hoàn thành trên nền tảng quốc gia."
            )
            return redirect("learning:my_data")
    return render(
        request,
        "learning/my_data.html",
        {
            "learner": learner,
            "data": services.learner_export(learner=learner),
            "form": form,
        },
    )


def my_data_export(request):
    learner = services.learner_from_request(request)
    if learner is None:
        raise Http404("Chưa đăng ký.")
    body = json.dumps(
        services.learner_export(learner=learner), ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-hoc-vien.json"'
    return response


@require_POST
def my_data_delete(request):
    learner = services.learner_from_request(request)
    if learner is None:
        raise Http404("Chưa đăng ký.")
    if request.POST.get("xac_nhan") != "xoa":
        messages.error(request, "Vui lòng đánh dấu xác nhận trước khi xóa.")
        return redirect("learning:my_data")
    services.learner_delete(learner=learner)
    response = redirect("learning:home")
    response.delete_cookie(services.LEARNER_COOKIE)
    messages.success(request, "Đã xóa toàn bộ dữ liệu học tập của bạn.")
    return response


def class_upcoming(request):
    """Upcoming face-to-face classes of the learner's ward, to sign up for."""
    learner = services.learner_from_request(request)
    ward = learner.ward if learner else ward_for_request(request)
    if request.method == "POST":
        if learner is None:
            return redirect(_register_then(request.path))
        session = get_object_or_404(
            ClassSession, pk=request.POST.get("buoi"), ward=learner.ward
        )
        try:
            services.class_register(learner=learner, session=session)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Đã đăng ký buổi học ngày {session.date:%d/%m/%Y} tại {session.place}.",
            )
        return redirect("learning:class_upcoming")
    sessions = (
        ClassSession.objects.filter(ward=ward, date__gte=timezone.localdate())
        .select_related("course")
        .order_by("date")[:50]
        if ward
        else []
    )
    mine = (
        set(learner.class_registrations.values_list("session_id", flat=True))
        if learner
        else set()
    )
    return render(
        request,
        "learning/class_upcoming.html",
        {"sessions": sessions, "mine": mine, "learner": learner},
    )


def check_in(request):
    learner = services.learner_from_request(request)
    if learner is None:
        code = request.GET.get("ma", "")
        return redirect(
            _register_then(
                request.path + (f"?{urlencode({'ma': code})}" if code else "")
            )
        )
    form = CheckInForm(
        request.POST or None, initial={"code": request.GET.get("ma", "")}
    )
    if request.method == "POST" and form.is_valid():
        limits = (
            ("learning-check-in", client_key(request), CHECK_IN_FAILURES_PER_ADDRESS),
            (
                "learning-check-in-ward",
                str(learner.ward_id),
                CHECK_IN_FAILURES_PER_WARD,
            ),
        )
        if any(is_paused(scope=scope, key=key) for scope, key, _ in limits):
            return too_many_requests(request, CHECK_IN_TOO_MANY)
        try:
            attendance = services.attendance_check_in(
                learner=learner, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            for scope, key, limit in limits:
                failure_record(
                    scope=scope, key=key, limit=limit, seconds=CHECK_IN_PAUSE
                )
            form.add_error("code", " ".join(exc.messages))
        else:
            messages.success(request, f"Đã điểm danh buổi học {attendance.session}.")
            return redirect("learning:home")
    return render(request, "learning/check_in.html", {"form": form})


# ---------------------------------------------------------------- staff


def _require_staff(request):
    if user_ward(request.user) is None:
        raise PermissionDenied("Tài khoản chưa được gán vào phường nào.")


def _can_run_classes(user) -> bool:
    """Plan managers and members of a community digital team run classes."""
    return is_plan_manager(user) or hasattr(user, "digital_team_member")


@login_required
def figures(request):
    _require_staff(request)
    return render(
        request, "learning/figures.html", {"f": learning_figures(ward=request.ward)}
    )


@login_required
def figures_xlsx(request):
    """The figures as a workbook, one sheet per table."""
    from openpyxl import Workbook

    from loa.core.spreadsheets import append_row

    _require_staff(request)
    f = learning_figures(ward=request.ward)
    book = Workbook()
    sheet = book.active
    sheet.title = "Theo tổ dân phố"
    append_row(sheet, ["Tổ dân phố", "Học viên", "Hoàn thành", "Giấy chứng nhận"])
    for row in f["by_residential_group"]:
        append_row(
            sheet, [row["name"], row["learners"], row["completed"], row["certificates"]]
        )
    sheet = book.create_sheet("Theo đối tượng")
    append_row(sheet, ["Đối tượng", "Học viên", "Hoàn thành"])
    for row in f["by_target_group"]:
        append_row(sheet, [row["name"], row["learners"], row["completed"]])
    sheet = book.create_sheet("Theo khóa học")
    append_row(
        sheet,
        [
            "Khóa học",
            "Đã tham gia",
            "Hoàn thành",
            "Giấy chứng nhận",
            "Lượt kiểm tra",
            "Tỉ lệ đạt",
        ],
    )
    for row in f["by_course"]:
        append_row(
            sheet,
            [
                row["title"],
                row["enrolled"],
                row["completed"],
                row["certificates"],
                row["attempts"],
                row["pass_rate"],
            ],
        )
    sheet = book.create_sheet("Hỗ trợ người dân")
    append_row(sheet, ["Nội dung hỗ trợ", "Số lượt"])
    for row in f["visits_by_kind"]:
        append_row(sheet, [row["name"], row["count"]])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="binh-dan-hoc-vu-so.xlsx"'
    return response


@login_required
def class_list(request):
    _require_staff(request)
    form = ClassSessionForm(request.POST or None, ward=request.ward)
    if request.method == "POST":
        if not _can_run_classes(request.user):
            raise PermissionDenied(
                "Chỉ cán bộ và Tổ công nghệ số cộng đồng tạo được buổi học."
            )
        if form.is_valid():
            session = services.class_session_create(
                ward=request.ward, by=request.user, **form.cleaned_data
            )
            messages.success(request, "Đã tạo buổi học.")
            return redirect("learning:class_detail", pk=session.pk)
    sessions = ClassSession.objects.filter(ward=request.ward).select_related("course")[
        :100
    ]
    return render(
        request, "learning/class_list.html", {"form": form, "sessions": sessions}
    )


@login_required
def class_detail(request, pk: int):
    _require_staff(request)
    session = get_object_or_404(
        ClassSession.objects.select_related("course", "lesson"),
        pk=pk,
        ward=request.ward,
    )
    form = AssistedCompletionForm(request.POST or None, ward=request.ward)
    if request.method == "POST" and not _can_run_classes(request.user):
        raise PermissionDenied(
            "Chỉ cán bộ và Tổ công nghệ số cộng đồng ghi nhận hoàn thành có hỗ trợ."
        )
    if request.method == "POST" and form.is_valid():
        services.lesson_complete(
            learner=form.cleaned_data["learner"],
            lesson=form.cleaned_data["lesson"],
            mode=LessonProgress.Mode.ASSISTED,
            assisted_by=request.user,
        )
        messages.success(
            request, "Đã ghi nhận học viên hoàn thành bài học với sự hỗ trợ."
        )
        return redirect("learning:class_detail", pk=session.pk)
    # The QR is scanned by residents' phones: the ward's public address, not the host
    # the staff member's browser happens to use (an office IP address).
    url = request.ward.absolute_url(f"/hoc/diem-danh/?ma={session.attendance_code}")
    qr = qr_svg(url)
    return render(
        request,
        "learning/class_detail.html",
        {
            "session": session,
            "attendance": session.attendance.select_related(
                "learner__residential_group"
            ),
            "registrations": session.registrations.select_related(
                "learner__residential_group"
            ),
            "form": form,
            "qr_svg": qr,
            "checkin_url": url,
            "today": timezone.localdate(),
        },
    )
