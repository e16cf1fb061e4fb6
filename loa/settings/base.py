"""Settings shared by every environment; everything site-specific comes from the environment."""

import os
from pathlib import Path

import dj_database_url

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


SECRET_KEY = os.environ.get("SECRET_KEY", "loa-dev-only-secret-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "loa.core",
    "loa.plans",
    "loa.assistant",
    "loa.learning",
    "loa.content",
    "loa.channels",
    "loa.reports",
    "loa.library",
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Pages go to phones over 3G: compress HTML (CSRF tokens are masked per response).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "loa.core.middleware.CurrentWardMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
            ],
        },
    },
]

# SQLite in WAL mode under LOA_DATA_DIR by default; PostgreSQL through DATABASE_URL.
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:plan_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Plan files and activity evidence: refused above this size with a Vietnamese message.
LOA_MAX_UPLOAD_BYTES = int(os.environ.get("LOA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Loa <loa@localhost>")

WAGTAIL_SITE_NAME = "Loa"
WAGTAILADMIN_BASE_URL = os.environ.get("LOA_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
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

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "loa_cache",
    }
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
WAGTAILIMAGES_IMAGE_FORM_BASE = "loa.content.image_forms.LoaImageForm"

# Smart-radio (IP/4G loudspeaker) platforms: where the approved segment is handed over
# (an HTTP endpoint, or a folder the vendor's agent watches) and the token they post
# their airing log back with (/kenh/phat-thanh/nhat-ky/).
LOA_SMART_RADIO_URL = os.environ.get("LOA_SMART_RADIO_URL", "")
LOA_SMART_RADIO_TOKEN = os.environ.get("LOA_SMART_RADIO_TOKEN", "")
LOA_SMART_RADIO_DIR = os.environ.get("LOA_SMART_RADIO_DIR", "")
