"""Production: HTTPS behind nginx. `manage.py check --deploy` must report no issues."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
LOA_PRODUCTION = True

# Production keeps its key with the rest of its secrets (/etc/loa/loa.env), never a key
# file written on first start, and never a default.
if not os.environ.get("SECRET_KEY", "").strip():
    raise ImproperlyConfigured(
        "Thiếu biến môi trường SECRET_KEY: cấu hình production không chạy khi chưa có "
        "khóa bí mật riêng. Tạo một khóa ngẫu nhiên (ví dụ: python3 -c "
        "'import secrets; print(secrets.token_urlsafe(64))') rồi đặt SECRET_KEY=... "
        "trong /etc/loa/loa.env (xem deploy/env.example)."
    )

# nginx terminates TLS and sets X-Forwarded-Proto; trust it for request.is_secure().
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The login lockout counts per client address: take the one nginx saw (X-Forwarded-For).
LOA_BEHIND_PROXY = env_bool("LOA_BEHIND_PROXY", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Probes of the load balancer / orchestrator may speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# check --deploy warns (security.W021) without it. The header alone submits nothing:
# the domain joins browsers' preload lists only once submitted at hstspreload.org,
# which is hard to undo. SECURE_HSTS_PRELOAD=false turns it off.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True

# Wagtail's preview views send their own SAMEORIGIN header; everything else is DENY.
X_FRAME_OPTIONS = "DENY"
