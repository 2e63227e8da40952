"""One settings module, configured from the environment.

Defaults make development work with no configuration (SQLite, local media, Celery tasks run
in-process). Production: DEBUG=false plus SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL;
it passes `manage.py check --deploy`.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET = "dev-only-not-secret-ita-portal"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is false.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "ita_portal",
    "units",
    "oit_items",
    "oit_items.channels",
    "reports",
    "measures",
    "overview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita_portal.middleware.ThaiFirstLocaleMiddleware",
    "ita_portal.middleware.record_unsafe_upload_names",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"
WSGI_APPLICATION = "ita_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["ita_portal.templatetags.thai"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Thai first, English beside it. The user's choice (cookie) wins; the browser's
# Accept-Language does not, because most officers' browsers are set to English.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/sarabun", NODE_MODULES / "@fontsource" / "sarabun"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Every stored file (evidence, thumbnails, photos, rendered documents, attachments) goes through
# the default storage: the file system under MEDIA_ROOT, or S3-compatible object storage when
# S3_BUCKET is set — what several web servers and workers need to share their files.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
        "region_name": env("S3_REGION", default="") or None,
        "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
        "location": env("S3_PREFIX", default=""),
        "addressing_style": env("S3_ADDRESSING_STYLE", default="") or None,
        "default_acl": None,           # objects stay private; downloads go through the views
        "querystring_auth": True,
        "signature_version": "s3v4",
        "file_overwrite": False,
    }}
MEDIA_URL = "/media/"  # never served directly; files go through permission-checking views

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Redis, when configured, is the cache and the Celery broker; without it tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Monthly reports: on this day of each month, last month's documents are rendered for every unit
# with data and attached as drafts (1–28, so that every month has the day).
REPORTS_RENDER_DAY = env.int("REPORTS_RENDER_DAY", default=28)
# Reminders of ITA calendar deadlines go out this many days before.
MEASURES_REMINDER_DAYS = env.int("MEASURES_REMINDER_DAYS", default=7)
if not 1 <= REPORTS_RENDER_DAY <= 28:
    raise ImproperlyConfigured("REPORTS_RENDER_DAY must be a day from 1 to 28.")
# Where the patched Thai PDF fonts are built (default: a directory in the system's temp dir).
REPORTS_FONT_CACHE = env("REPORTS_FONT_CACHE", default="")
CELERY_BEAT_SCHEDULE = {
    "daily-digest": {
        "task": "oit_items.tasks.send_daily_digest",
        "schedule": crontab(hour=env.int("DIGEST_HOUR", default=7), minute=0),
    },
    "reports-previous-month": {
        "task": "reports.tasks.render_previous_month",
        "schedule": crontab(day_of_month=REPORTS_RENDER_DAY, hour=1, minute=30),
    },
    "measures-reminders": {
        "task": "measures.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ITA Portal <no-reply@ita-portal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Evidence uploads and deadlines.
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_MB", default=25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files are limited above
FILE_UPLOAD_PERMISSIONS = 0o640
# A month's evidence is due on this day of the following month (the seed's internal deadline: the 28th).
ITA_MONTHLY_DUE_DAY = env.int("ITA_MONTHLY_DUE_DAY", default=28)
# Whole-year items are due by the end of OIT reporting (30 April of the fiscal year's end year).
ITA_ITEM_DUE_MONTH, ITA_ITEM_DUE_DAY = 4, 30
# How permission-checked files reach the browser: "django" streams them; "nginx" answers with
# X-Accel-Redirect to FILE_SERVING_INTERNAL_URL (an `internal` location aliased to MEDIA_ROOT);
# "sendfile" answers with X-Sendfile (Apache mod_xsendfile, lighttpd); "redirect" sends a
# short-lived signed URL of the object (object storage). See oit_items/files.py.
FILE_SERVING = env("FILE_SERVING", default="django")
if FILE_SERVING not in ("django", "nginx", "sendfile", "redirect"):
    raise ImproperlyConfigured("FILE_SERVING must be django, nginx, sendfile or redirect.")
FILE_SERVING_INTERNAL_URL = env("FILE_SERVING_INTERNAL_URL", default="/protected-media/")
# Object storage: "nginx" hands the web server a signed URL under this internal location;
# "redirect" (and "sendfile", which needs a local file) send the browser a signed URL valid this long.
FILE_SERVING_REMOTE_URL = env("FILE_SERVING_REMOTE_URL", default="/protected-remote/")
FILE_SERVING_URL_SECONDS = env.int("FILE_SERVING_URL_SECONDS", default=60)
# Public pages: each worker remembers publication stamps this many seconds (and the pages of those
# stamps) instead of asking Redis every request; another worker's approval shows within it.
PUBLIC_LOCAL_CACHE_SECONDS = env.float("PUBLIC_LOCAL_CACHE_SECONDS", default=2)
# Behind a reverse proxy that sets X-Forwarded-For, take the client address from it for the audit log.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)
# The public forms' rate limits count per client address, found the same way as for the audit log.
RATELIMIT_IP_META_KEY = "oit_items.audit.client_ip"

# Demo logins exist only for development and the demo; `load_demo` refuses to run without DEBUG.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="ita-demo-2567")
