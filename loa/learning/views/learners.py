"""Sign-up, continuing on another device, and the learner's own data."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from loa.core.ratelimit import client_key, limit_exceeded, too_many_requests
from loa.core.selectors import public_ward_or_404

from .. import services
from ..forms import NationalConfirmationForm, RegisterForm, ResumeForm

COOKIE_AGE = 60 * 60 * 24 * 365 * 2

# Sign-ups from one address in ten minutes. Well above one family: a class in the ward
# hall signs up over one Wi-Fi, and phones share their carrier's addresses. It stops a
# script from filling the ward's figures with made-up learners.
SIGN_UPS_PER_ADDRESS = 20
SIGN_UP_WINDOW = 10 * 60
SIGN_UP_TOO_MANY = (
    "Đã có nhiều lượt đăng ký từ mạng này, vui lòng đợi ít phút rồi thử lại."
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


def register_then(path: str) -> str:
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
