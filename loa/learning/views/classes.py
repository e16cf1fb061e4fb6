"""Face-to-face classes: residents sign up and check in; staff run the sessions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from loa.core.access import is_plan_manager
from loa.core.qr import qr_svg
from loa.core.ratelimit import client_key, failure_record, is_paused, too_many_requests
from loa.core.selectors import ward_for_request

from .. import services
from ..forms import AssistedCompletionForm, CheckInForm, ClassSessionForm
from ..models import ClassSession, LessonProgress
from .access import require_ward
from .learners import register_then

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


def class_upcoming(request):
    """Upcoming face-to-face classes of the learner's ward, to sign up for."""
    learner = services.learner_from_request(request)
    ward = learner.ward if learner else ward_for_request(request)
    if request.method == "POST":
        if learner is None:
            return redirect(register_then(request.path))
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
            register_then(
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


def _can_run_classes(user) -> bool:
    """Plan managers and members of a community digital team run classes."""
    return is_plan_manager(user) or hasattr(user, "digital_team_member")


@login_required
def class_list(request):
    require_ward(request)
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
    require_ward(request)
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
