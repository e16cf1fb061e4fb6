"""Login protection and browser policies (issue 7).

- Lockout of repeated wrong passwords (django-axes, database handler): the refused login
  page comes back with a Vietnamese message instead of axes' bare error.
- Optional TOTP two-factor (django-otp): enrolment page, the code page after the
  password, and a middleware that lets a user with a device go nowhere else until the
  code is entered.
- Content-Security-Policy (django-csp 4): one strict policy for the portal, staff pages
  and the API (Django's admin included); a relaxed one for Wagtail's admin, /cms/.
"""

from base64 import b32encode

from axes.helpers import get_cool_off
from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .qr import qr_svg

# --- Login lockout -----------------------------------------------------------------


def lockout_message(request=None) -> str:
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    wait = (
        f"tạm khóa trong {minutes} phút; hãy thử lại sau {minutes} phút"
        if minutes
        else "đã bị khóa; hãy liên hệ quản trị viên để mở khóa"
    )
    return (
        "Đăng nhập sai quá nhiều lần. Để bảo vệ tài khoản, việc đăng nhập bằng tên "
        f"này từ máy của bạn {wait}, hoặc nhờ quản trị viên mở khóa sớm."
    )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the same login page, its form showing why it refused.

    Works for every login view built on Django's LoginView (/dang-nhap/, /cms/login/,
    /django-admin/login/): their response is a TemplateResponse with the bound form.
    """
    message = lockout_message(request)
    status = settings.AXES_HTTP_RESPONSE_CODE  # 429 Too Many Requests
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse({"detail": message}, status=status)
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and isinstance(
        form, forms.BaseForm
    ):
        form.errors.clear()
        form.add_error(None, ValidationError(message, code="locked_out"))
        response = TemplateResponse(
            request,
            original_response.template_name,
            context,
            status=status,
            using=original_response.using,
        )
        return response.render()
    return render(request, "core/lockout.html", {"message": message}, status=status)


def client_ip(request) -> str:
    """AXES_CLIENT_IP_CALLABLE. Behind nginx the last X-Forwarded-For entry is the
    address nginx itself saw; entries before it come from the client and can be forged."""
    if settings.LOA_BEHIND_PROXY:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


# --- Content-Security-Policy ---------------------------------------------------------


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """CONTENT_SECURITY_POLICY everywhere; LOA_CSP_ADMIN_DIRECTIVES under the admins.

    A view can still set its own policy with django-csp's decorators (csp_override, ...).
    """

    @staticmethod
    def _in_admin(request) -> bool:
        return request.path_info.startswith(tuple(settings.LOA_CSP_ADMIN_PREFIXES))

    def process_response(self, request, response):
        # Wagtail renders a page preview by running a fake request for the page's own
        # URL through the middleware: that inner pass put the portal policy (with
        # frame-ancestors 'none') on the response, which would block the preview iframe.
        if self._in_admin(request) and CSP_HEADER in response:
            del response[CSP_HEADER]
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and self._in_admin(request):
            parts.config = default_config(settings.LOA_CSP_ADMIN_DIRECTIVES)
        return parts


# --- Two-factor (TOTP) ---------------------------------------------------------------


ENROL_KEY_SESSION = "loa_2fa_enrol_key"


def _device_cache_key(user_id) -> str:
    return f"loa:2fa:has-device:{user_id}"


def _has_device(user) -> bool:
    """Whether the user has a confirmed device, asked on every page of a signed-in user
    without a verified session: kept in the cache, forgotten whenever a device of the
    user is saved or deleted (signal_handlers), so enrolling takes effect at once."""
    return caches["memo"].get_or_set(
        _device_cache_key(user.pk),
        lambda: user_has_device(user, confirmed=True),
        timeout=600,  # bounds any missed forgetting
    )


def device_changed(user_id) -> None:
    # Must not be missed: a cache that does not answer fails the change loudly.
    caches["strict"].delete(_device_cache_key(user_id))


class TwoFactorMiddleware:
    """A signed-in user with a confirmed TOTP device who has not entered a code in this
    session is sent to the code page from every page; with LOA_REQUIRE_2FA a user
    without a device is sent to the enrolment page. Users who never enrolled (and 2FA
    not required) are not affected. Must come after django_otp's OTPMiddleware."""

    ALWAYS_OPEN = ("/healthz", "/readyz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._open_path(request.path_info)
            and not user.is_verified()
        ):
            if _has_device(user):
                target = reverse("two_factor_verify")
            elif settings.LOA_REQUIRE_2FA:
                target = reverse("two_factor_setup")
            else:
                target = None
            if target and request.path_info != target:
                return self._send_to(request, target)
        return self.get_response(request)

    def _open_path(self, path: str) -> bool:
        prefixes = [p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p]
        prefixes += self.ALWAYS_OPEN
        if path.startswith(tuple(prefixes)):
            return True
        logout_paths = {
            reverse("logout"),
            reverse("wagtailadmin_logout"),
            reverse("admin:logout"),
        }
        return path in logout_paths

    def _send_to(self, request, target: str):
        message = "Cần nhập mã xác thực hai bước trước khi tiếp tục."
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        url = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


class CodeForm(forms.Form):
    ma = forms.CharField(
        label="Mã 6 chữ số",
        min_length=6,
        max_length=6,
        strip=True,
        validators=[RegexValidator(r"^\d{6}$", "Mã gồm đúng 6 chữ số.")],
        error_messages={
            "required": "Hãy nhập mã 6 chữ số.",
            "min_length": "Mã gồm đúng 6 chữ số.",
            "max_length": "Mã gồm đúng 6 chữ số.",
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "maxlength": "6",
                "autofocus": True,
            }
        ),
    )

    def check(self, device: TOTPDevice) -> bool:
        """Verify the code against `device`; add a Vietnamese error when it fails."""
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            self.add_error(
                "ma",
                "Nhập sai quá nhiều lần. Hãy đợi một lát rồi nhập mã mới.",
            )
            return False
        if device.verify_token(self.cleaned_data["ma"]):
            return True
        self.add_error(
            "ma",
            "Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trong ứng dụng.",
        )
        return False


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)


@login_required
def two_factor_verify(request):
    """/dang-nhap/ma-xac-thuc/: the second step of the login for enrolled users."""
    if request.user.is_verified() or not _has_device(request.user):
        return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
        for device in devices:
            if form.check(device):
                otp_login(request, device)
                return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
            break  # one device per user; errors are on the form
    return render(
        request,
        "core/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@login_required
def two_factor_setup(request):
    """/tai-khoan/xac-thuc-hai-buoc/: turn TOTP two-factor on (QR code + a first code)
    or off (with a current code)."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = CodeForm(request.POST or None)

    if confirmed is not None:
        if request.method == "POST" and request.POST.get("action") == "disable":
            if settings.LOA_REQUIRE_2FA:
                messages.error(
                    request, "Phường yêu cầu mọi tài khoản bật xác thực hai bước."
                )
                return redirect("two_factor_setup")
            if form.is_valid() and form.check(confirmed):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, "Đã tắt xác thực hai bước.")
                return redirect("two_factor_setup")
        return render(
            request,
            "core/two_factor_setup.html",
            {"device": confirmed, "form": form, "required": settings.LOA_REQUIRE_2FA},
        )

    # Opening the page stores nothing: the new key waits in the session until a first
    # code proves the app has it (a wrong code stores the device, to count the failures).
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        key = request.session.get(ENROL_KEY_SESSION) or random_hex(20)
        request.session[ENROL_KEY_SESSION] = key
        device = TOTPDevice(user=user, name="Loa", key=key, confirmed=False)
    if request.method == "POST" and form.is_valid() and form.check(device):
        request.session.pop(ENROL_KEY_SESSION, None)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(
            request,
            "Đã bật xác thực hai bước. Từ lần đăng nhập sau, nhập thêm mã trong ứng dụng.",
        )
        return redirect(_safe_next(request, "two_factor_setup"))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "core/two_factor_setup.html",
        {
            "device": None,
            "form": form,
            "qr_svg": mark_safe(qr_svg(device.config_url)),  # noqa: S308 - our own SVG
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": settings.LOA_REQUIRE_2FA,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )
