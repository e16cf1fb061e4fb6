"""Settings shared by every environment; everything site-specific comes from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # the loa package
DATA_DIR = Path(os.environ.get("LOA_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def secret_key_from_data_dir(path: Path) -> str:
    """The install's own key: made once at random, kept in LOA_DATA_DIR with mode 0600.

    Never a key written in the code: anyone who knows the key can forge every signed
    link (approvals, sessions, password resets).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) >= 50:
            return key
        raise ImproperlyConfigured(
            f"Tệp khóa bí mật {path} bị rỗng hoặc hỏng: hãy xóa tệp để Loa tạo khóa "
            "mới (mọi người sẽ phải đăng nhập lại) hoặc đặt biến môi trường SECRET_KEY."
        ) from None
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key


# SECRET_KEY from the environment (production), else the install's generated key file.
LOA_SECRET_KEY_FILE = DATA_DIR / "secret_key"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or secret_key_from_data_dir(
    LOA_SECRET_KEY_FILE
)
DEBUG = env_bool("DEBUG", False)
# Set by loa.settings.production: checks then warn about a ward address only this
# machine reaches.
LOA_PRODUCTION = False
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,.localhost").split(
        ","
    )
    if h.strip()
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

INSTALLED_APPS = [
    "loa.core",
    "loa.plans",
    "loa.assistant",
    "loa.learning",
    "loa.content",
    "loa.channels",
    "loa.reports",
    "loa.library",
    "loa.ops",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Security (issue 7): login lockout, optional TOTP two-factor for staff.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Form widgets render through the template engine, so loa.core's templates can
    # word what Django leaves in English (a blank choice reads "— Chọn —", not "---------").
    "django.forms",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Pages go to phones over 3G: compress HTML (CSRF tokens are masked per response).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy; Wagtail's admin (/cms/) gets a relaxed one (loa.core.security).
    "loa.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A user with a TOTP device enters the code before any page (loa.core.security).
    "loa.core.security.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Cached portal pages for anonymous visitors, before routing (loa.content.cache).
    "loa.content.middleware.PageCacheMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "loa.core.middleware.CurrentWardMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a login refused by django-axes into the login page with a Vietnamese message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "loa.urls"
WSGI_APPLICATION = "loa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "loa.core.context_processors.ward",
                "loa.channels.context_processors.channels_menu",
                "loa.assistant.context_processors.assistant_menu",
            ],
        },
    },
]

# SQLite in WAL mode under LOA_DATA_DIR by default; PostgreSQL through DATABASE_URL.
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        # Health checks: a connection kept across requests that broke meanwhile (the
        # database restarted) is replaced at the next request instead of failing it.
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "loa.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff_home"  # loa.core.views.home: each role's landing
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): 5 wrong passwords for one username from one address lock
# that pair out for 15 minutes, on /dang-nhap/, /cms/login/ and /django-admin/login/.
# Records live in the database, so it works without Redis and across web processes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOA_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("LOA_LOGIN_LOCKOUT_MINUTES", 15))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries while locked do not push the end of the lock further out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "loa.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "loa.core.security.client_ip"
# Behind nginx every request comes from 127.0.0.1: the client is then the last
# X-Forwarded-For entry, the one nginx added (production turns this on).
LOA_BEHIND_PROXY = env_bool("LOA_BEHIND_PROXY", False)

# Two-factor (django-otp, TOTP): optional per user (/tai-khoan/xac-thuc-hai-buoc/);
# LOA_REQUIRE_2FA=1 makes every signed-in user enrol before anything else.
LOA_REQUIRE_2FA = env_bool("LOA_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("LOA_OTP_ISSUER", "Loa")

# Content-Security-Policy (django-csp 4). Portal, staff pages and the API: scripts only
# from our own static files, or an inline <script nonce="{{ request.csp_nonce }}"> (the
# LED screen; the nonce enters the header only on pages that use it). style-src keeps
# 'unsafe-inline': templates carry style="" attributes and <style> blocks, the pygal
# charts are inline <svg> with a <style> element, and htmx adds its indicator <style>.
# Only Wagtail's admin (/cms/) gets LOA_CSP_ADMIN_DIRECTIVES (loa.core.security.
# ContentSecurityPolicyMiddleware); Django's admin runs under the strict policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
LOA_CSP_ADMIN_PREFIXES = ("/cms/",)
LOA_CSP_ADMIN_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    # Wagtail 8 still writes inline <script> (page listing, date/time choosers, panels).
    "script-src": ["'self'", "'unsafe-inline'"],
    # Image choosers preview uploads from blob: URLs.
    "img-src": ["'self'", "data:", "blob:"],
    # The page preview is a same-origin iframe of /cms/.
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Loa's own screens are written in Vietnamese; USE_I18N gives Django's and Wagtail's
# screens their bundled Vietnamese. Wagtail's Vietnamese covers a few hundred of its
# strings: the editor's screens (page editor, workflow, messages, sidebar) get ours from
# loa/content/locale (django.po and djangojs.po; the .mo files are committed and a test
# checks they match). LOCALE_PATHS wins over every app's catalogue, and Wagtail's
# JavaScript catalogue (/cms/jsi18n/) reads only Wagtail's own and LOCALE_PATHS.
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "content" / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Serve the portal's Wagtail images (media/original_images/, media/images/) from Loa
# itself, for `loa serve` without nginx. Behind nginx (deploy/nginx/loa.conf) set it off.
# Other media (plan files, evidence, documents, radio) are never served this way.
LOA_SERVE_MEDIA = env_bool("LOA_SERVE_MEDIA", True)
STORAGES = {
    # FileSystemStorage that refuses an upload cleanly (in Vietnamese) when the disk is full.
    "default": {"BACKEND": "loa.core.storage.LoaFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Plan files and activity evidence: refused above this size with a Vietnamese message.
# Chat transcripts keep their words this many days, then only their counts (0: forever).
LOA_CHAT_RETENTION_DAYS = int(os.environ.get("LOA_CHAT_RETENTION_DAYS", 180))
# Seconds nginx may keep a public portal page for anonymous visitors (X-Accel-Expires;
# deploy/nginx/loa-page-cache.conf). A publish reaches visitors within this time. 0: off.
LOA_EDGE_CACHE_SECONDS = int(os.environ.get("LOA_EDGE_CACHE_SECONDS", 10))
LOA_MAX_UPLOAD_BYTES = int(os.environ.get("LOA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Redis (REDIS_URL) for deployments with several web and worker processes: the cache,
# the sessions and the task queue live there, and `loa worker` runs RQ workers. Without
# it everything stays embedded: DatabaseCache, database sessions, django-tasks-db.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
# The queue may use another Redis database than the cache (e.g. redis://host:6379/1), so
# that flushing the cache can never drop queued jobs; default: REDIS_URL.
LOA_QUEUE_REDIS_URL = os.environ.get("LOA_QUEUE_REDIS_URL", "").strip() or REDIS_URL
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    # Long jobs (reports, knowledge-base ingest) get half an hour before RQ stops them.
    RQ_QUEUES = {"default": {"URL": LOA_QUEUE_REDIS_URL, "DEFAULT_TIMEOUT": 1800}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /readyz answers 503 when a due job of the database queue has waited this many seconds
# without a worker taking it (the worker is dead or stuck; loa.ops.health). 0: no check.
LOA_READY_MAX_JOB_DELAY_SECONDS = int(
    os.environ.get("LOA_READY_MAX_JOB_DELAY_SECONDS", 300)
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Loa <loa@localhost>")

WAGTAIL_SITE_NAME = "Loa"
# The CMS talks to no outside service (also kept out by its Content-Security-Policy):
# no Gravatar avatars (staff e-mail hashes), no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = os.environ.get("LOA_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# The admin in Vietnamese only: no language choice in the account settings (a profile
# set to English would bring the English screens back).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt")]
# Wagtail's "Sign in to Wagtail" is not used: a signed-out officer opening /cms/… goes to
# Loa's Vietnamese login and back (loa.content.views.editor.cms_login answers /cms/login/).
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
# Page slugs in ASCII (folded Vietnamese, loa.content.slugs): a shared link is then
# readable instead of hundreds of percent escapes.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# LOA_LOG_FORMAT=json: one JSON object per line (python-json-logger) for log collectors.
# Either way, phone and ID-card numbers are redacted from every message on the console.
LOA_LOG_FORMAT = os.environ.get("LOA_LOG_FORMAT", "text").strip().lower()
from loa.core.logs import JSON_FORMAT as LOG_JSON_FORMAT  # noqa: E402

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "loa.core.logs.RedactFilter"}},
    "formatters": {"json": {"()": "loa.core.logs.JsonFormatter", **LOG_JSON_FORMAT}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            **({"formatter": "json"} if LOA_LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOA_LOG_LEVEL", "INFO")},
    # PDF rendering logs every step at INFO; only its warnings matter.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# A task without any activity for this many days is "silent" and gets urged.
LOA_SILENT_DAYS = int(os.environ.get("LOA_SILENT_DAYS", 30))
# Local time of day the daily urging job runs.
LOA_REMINDER_HOUR = int(os.environ.get("LOA_REMINDER_HOUR", 7))
# How long a signed approval link (/duyet/<token>/) stays valid.
LOA_APPROVAL_LINK_HOURS = int(os.environ.get("LOA_APPROVAL_LINK_HOURS", 72))

# The assistant. An OpenAI-compatible endpoint is optional; without it answers are extractive.
LOA_LLM_URL = os.environ.get("LOA_LLM_URL", "")
LOA_LLM_MODEL = os.environ.get("LOA_LLM_MODEL", "")
LOA_LLM_API_KEY = os.environ.get("LOA_LLM_API_KEY", "")
LOA_LLM_TIMEOUT = float(os.environ.get("LOA_LLM_TIMEOUT", 8))
# A local sentence-transformers model directory for dense retrieval (never downloaded).
LOA_EMBEDDING_MODEL = os.environ.get("LOA_EMBEDDING_MODEL", "")
LOA_ASSISTANT_INDEX_DIR = DATA_DIR / "indexes" / "assistant"
# Who residents are pointed to when the assistant does not know.
LOA_CONTACT = os.environ.get(
    "LOA_CONTACT",
    "Phòng Văn hóa - Xã hội, Ủy ban nhân dân phường (trong giờ hành chính)",
)
# Questions a client may ask per minute (web, API and webhooks alike).
LOA_ASSISTANT_RATE_PER_MINUTE = int(os.environ.get("LOA_ASSISTANT_RATE_PER_MINUTE", 20))
# Looking up an officer's answer by ticket code: codes are 32^8, out of reach at this pace.
LOA_TICKET_LOOKUPS_PER_MINUTE = int(os.environ.get("LOA_TICKET_LOOKUPS_PER_MINUTE", 10))

# Names for one cache. "default" only speeds things up (Wagtail's site lookups, the
# content version) and "pages" holds rendered portal pages: with Redis, a Redis that does
# not answer counts as empty and pages are served from the database. "memo" is the same
# for the small reads of every staff page (roles, unread count, two-factor state), and
# nothing without Redis: a database cache would cost the very query it saves. "strict" is for what must not be
# skipped silently (sessions, forgetting a memo, /readyz): there a Redis failure fails
# the request. "counters" (loa.core.ratelimit, the webhooks' duplicate check) is strict
# too, and apart from the page cache so that page churn can never evict a counter.
if REDIS_URL:
    _REDIS_CACHE = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "loa",
        # A Redis that stops answering fails the request quickly instead of hanging it.
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 3, "SOCKET_TIMEOUT": 3},
    }
    _SOFT_REDIS_CACHE = {
        **_REDIS_CACHE,
        "OPTIONS": {**_REDIS_CACHE["OPTIONS"], "IGNORE_EXCEPTIONS": True},
    }
    CACHES = {
        "default": _SOFT_REDIS_CACHE,
        "pages": _SOFT_REDIS_CACHE,
        "memo": _SOFT_REDIS_CACHE,
        "strict": _REDIS_CACHE,
        "counters": _REDIS_CACHE,
    }
    # Sessions read from Redis and written through to the database: a Redis restart or
    # outage logs nobody out (loa.core.sessions).
    SESSION_ENGINE = "loa.core.sessions"
    SESSION_CACHE_ALIAS = "strict"
else:
    _DB_CACHE = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "loa_cache",
    }
    CACHES = {
        "default": _DB_CACHE,
        # Rendered portal pages in their own table: however many pages visitors make
        # it cull, nothing else is evicted with them.
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "loa_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "memo": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        "strict": _DB_CACHE,
        # Rate-limit counters and the webhooks' duplicate keys: a table of their own,
        # large enough that no flood of other keys culls them.
        "counters": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "loa_counters",
            "OPTIONS": {"MAX_ENTRIES": 200000, "CULL_FREQUENCY": 10},
        },
    }

# Chat channels of the assistant (Facebook Messenger, Zalo OA). A channel whose secret is
# empty is switched off: its webhook answers 404.
LOA_MESSENGER_APP_SECRET = os.environ.get("LOA_MESSENGER_APP_SECRET", "")
LOA_MESSENGER_VERIFY_TOKEN = os.environ.get("LOA_MESSENGER_VERIFY_TOKEN", "")
LOA_MESSENGER_PAGE_TOKEN = os.environ.get("LOA_MESSENGER_PAGE_TOKEN", "")
LOA_MESSENGER_API_URL = os.environ.get(
    "LOA_MESSENGER_API_URL", "https://graph.facebook.com/v21.0"
)
LOA_ZALO_APP_ID = os.environ.get("LOA_ZALO_APP_ID", "")
LOA_ZALO_OA_SECRET = os.environ.get("LOA_ZALO_OA_SECRET", "")
LOA_ZALO_ACCESS_TOKEN = os.environ.get("LOA_ZALO_ACCESS_TOKEN", "")
LOA_ZALO_API_URL = os.environ.get("LOA_ZALO_API_URL", "https://openapi.zalo.me")
# Slug of the ward the channels belong to; empty: the single ward of the deployment.
LOA_WEBHOOK_WARD = os.environ.get("LOA_WEBHOOK_WARD", "")
# Webhook events whose platform timestamp is further than this from now are ignored, so
# that a captured, validly signed event cannot be replayed later (loa.assistant.webhooks).
LOA_WEBHOOK_MAX_AGE_SECONDS = int(os.environ.get("LOA_WEBHOOK_MAX_AGE_SECONDS", 3600))

# Outbox of the channels (Zalo OA, Facebook Page, YouTube). A channel without its token
# runs in manual mode: staff get a copy-ready package and record the post's URL.
LOA_ZALO_OA_ACCESS_TOKEN = os.environ.get(
    "LOA_ZALO_OA_ACCESS_TOKEN", LOA_ZALO_ACCESS_TOKEN
)
LOA_ZALO_OA_API_URL = os.environ.get("LOA_ZALO_OA_API_URL", LOA_ZALO_API_URL)
# Promotional (truyền thông) messages the OA may send per month: the OA's Zalo quota.
LOA_ZALO_PROMO_MONTHLY_QUOTA = int(os.environ.get("LOA_ZALO_PROMO_MONTHLY_QUOTA", 1000))
LOA_FACEBOOK_PAGE_ID = os.environ.get("LOA_FACEBOOK_PAGE_ID", "")
LOA_FACEBOOK_PAGE_TOKEN = os.environ.get("LOA_FACEBOOK_PAGE_TOKEN", "")
LOA_FACEBOOK_API_URL = os.environ.get(
    "LOA_FACEBOOK_API_URL", "https://graph.facebook.com/v21.0"
)
LOA_YOUTUBE_ACCESS_TOKEN = os.environ.get("LOA_YOUTUBE_ACCESS_TOKEN", "")
LOA_YOUTUBE_API_URL = os.environ.get(
    "LOA_YOUTUBE_API_URL", "https://www.googleapis.com"
)
# Channels every published article goes to when the editor chose none. A channel with
# no access token is delivered by hand ("manual": staff copy the package and paste the
# post's link). LOA_CHANNELS_DEFAULT="" in the environment turns the default off.
LOA_CHANNELS_DEFAULT = [
    c.strip()
    for c in os.environ.get("LOA_CHANNELS_DEFAULT", "zalo,facebook,youtube,led").split(
        ","
    )
    if c.strip()
]
# Minutes a delivery waits after publishing so an editor can adjust its text.
LOA_CHANNELS_HOLD_MINUTES = int(os.environ.get("LOA_CHANNELS_HOLD_MINUTES", 10))
# Tries per delivery before it is left "failed" for staff; backoff doubles from the base.
LOA_CHANNELS_MAX_ATTEMPTS = int(os.environ.get("LOA_CHANNELS_MAX_ATTEMPTS", 5))
LOA_CHANNELS_BACKOFF_SECONDS = int(os.environ.get("LOA_CHANNELS_BACKOFF_SECONDS", 60))

# Image uploads through the CMS: the site-wide upload limit, refusals in Vietnamese.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = LOA_MAX_UPLOAD_BYTES
WAGTAILIMAGES_MAX_IMAGE_PIXELS = (
    50_000_000  # decompression bombs refused (loa.core.uploads)
)
WAGTAILDOCS_DOCUMENT_FORM_BASE = "loa.content.document_forms.LoaDocumentForm"
# Stop keeping an upload once it passes LOA_MAX_UPLOAD_BYTES, before any form reads it.
FILE_UPLOAD_HANDLERS = [
    "loa.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
WAGTAILIMAGES_IMAGE_FORM_BASE = "loa.content.image_forms.LoaImageForm"

# Smart-radio (IP/4G loudspeaker) platforms: the folder the vendor's agent watches for
# the approved segment, and the token they post their airing log back with
# (/kenh/phat-thanh/nhat-ky/).
LOA_SMART_RADIO_TOKEN = os.environ.get("LOA_SMART_RADIO_TOKEN", "")
LOA_SMART_RADIO_DIR = os.environ.get("LOA_SMART_RADIO_DIR", "")
