"""One settings module, configured from the environment.

Defaults make development work with no configuration (SQLite, local media, Celery tasks run
in-process). Production: DEBUG=false plus SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL;
it passes `manage.py check --deploy`.
"""

import datetime
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
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address, for QR codes, signs, e-mail links and the ITAP sheet. Required in production
# (a system check refuses the default); in development, when unset, it follows the address served
# (ita_portal.middleware.site_url_from_request), so `make run PORT=8080` links to 8080 — and so do the
# commands and jobs that run outside a request (invitations printed by `create_national_admin`, the
# import's): `make run` writes the address it serves on into RUN_SITE_URL_FILE.
SITE_URL_DEFAULT = "http://127.0.0.1:8000"
RUN_SITE_URL_FILE = Path(env("RUN_SITE_URL_FILE", default=str(BASE_DIR / ".run-site-url")))


def _served_in_development() -> str:
    try:
        return RUN_SITE_URL_FILE.read_text(encoding="utf-8").strip() if DEBUG else ""
    except OSError:
        return ""


SITE_URL = env("SITE_URL", default=_served_in_development() or SITE_URL_DEFAULT).rstrip("/")
SITE_URL_FOLLOWS_REQUEST = DEBUG and not env("SITE_URL", default="")

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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
    "django_filters",
    "ita_portal",
    "units",
    "oit_items",
    "oit_items.channels",
    "oit_items.assessment",
    "reports",
    "measures",
    "oit_items.overview",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita_portal.middleware.ThaiFirstLocaleMiddleware",
    "ita_portal.middleware.record_unsafe_upload_names",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "units.two_factor.require_second_factor",
    "ita_portal.middleware.staff_session_timeout",
    "ita_portal.middleware.site_url_from_request",
    "simple_history.middleware.HistoryRequestMiddleware",  # history records name the user of the request
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
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
                "units.context_processors.line_enabled",
            ],
            "builtins": ["ita_portal.templatetags.thai", "ita_portal.templatetags.languages"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections kept open between requests (a new one per request costs more than a cached page), checked
# before reuse so that a database restart costs one failed check, not a failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that does not answer fails a request (and /readyz/) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default (`make run`): a write transaction takes SQLite's write lock when it begins,
    # so two saves at once wait for each other (up to `timeout` seconds) instead of one failing with
    # "database is locked" when both try to upgrade a read lock (see evidence/edits.py `_claim`).
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Password guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that account is locked for that address — the others behind the same address (a station's
# NAT) keep logging in; after AXES_ACCOUNT_FAILURE_LIMIT for one account from any addresses, the
# account is locked everywhere (units/lockout.py). An admin unlocks in the Django admin (Access
# attempts) or with `manage.py axes_reset_username <name>`; the lock also lifts after AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# A "forgot your password" link works once and for this long (seconds).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_MINUTES", default=120) * 60
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=10)
AXES_HANDLER = "units.lockout.AccountCeilingHandler"
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "units.two_factor.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ita_portal.lib.http.client_ip"  # the one client address (USE_X_FORWARDED_FOR, below)
AXES_VERBOSE = False
# Second factor (TOTP with recovery codes, django-otp): required for admins, commanders and
# supervisors when TWO_FACTOR_REQUIRED (default: on in production, off in development so that the
# README's demo logins work; it is offered there all the same).
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
# Paths a logged-in user may open before the second factor (the lead adds the invitation pages).
TWO_FACTOR_EXEMPT_PATHS = ["/account/2fa/", "/logout/", "/lang/", "/i18n/", "/static/", "/healthz/", "/readyz/", "/invite/",
                           "/password-reset/"]
OTP_TOTP_ISSUER = "ITA Portal"
# Staff sessions end after this many minutes without a request (and when the browser closes).
SESSION_COOKIE_AGE = env.int("SESSION_MINUTES", default=60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"  # every staff user starts on what waits for them
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
# The cache degrades to "no cache" when Redis does not answer (ita_portal/cache.py): short timeouts.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "ita_portal.lib.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_IGNORE_RESULT = True  # state lives on the models (jobs, PendingTask), not in results
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Jobs survive killed workers: a message is acknowledged only when its task finished, and handed
# back to the queue when the pool process running it died (the out-of-memory killer); the broker
# redelivers an unacknowledged message after the visibility timeout, set above the longest job.
# The work is idempotent, so a redelivered job replaces its files, never adds a second set.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
RENDER_JOB_TIME_LIMIT = env.int("RENDER_JOB_TIME_LIMIT", default=600)  # seconds; the longest job
# A job "running" longer than this lost its worker: the sweeper marks it failed, with a Retry button.
RENDER_JOB_DEADLINE = env.int("RENDER_JOB_DEADLINE", default=RENDER_JOB_TIME_LIMIT + 120)
# Publishing gives up after one quick try (1 s to connect, 2 s to answer): a web request never hangs
# on a broker that is down, and enqueue() keeps the task for the sweeper.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * RENDER_JOB_TIME_LIMIT + 600,
                                   "socket_connect_timeout": 1, "socket_timeout": 2,
                                   "max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# Publishing a task never waits on a broker that is down: enqueue() keeps it for the sweeper.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
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
    "sweep-queue": {  # tasks the broker refused, jobs whose worker died
        "task": "ita_portal.tasks.sweep",
        "schedule": 60.0,
    },
    # The new fiscal year's frameworks appear on 1 October; running daily (idempotent) also catches
    # a 1 October on which beat was down.
    "current-fiscal-year": {
        "task": "oit_items.tasks.ensure_current_fiscal_year",
        "schedule": crontab(hour=0, minute=20),
    },
    # Predicted OIT scores move with time alone (a month of complaint statistics ends): every night,
    # after the new fiscal year's frameworks have appeared.
    "predicted-scores": {
        "task": "oit_items.tasks.refresh_predicted_scores",
        "schedule": crontab(hour=1, minute=0),
    },
    # The record as submitted to ITAP of every unit not frozen once the OIT reporting phase ended.
    "freeze-itap-records": {
        "task": "oit_items.tasks.freeze_due_records",
        "schedule": crontab(hour=0, minute=40),
    },
}

# LINE Messaging API (issue 23): the unit's Official Account. Without the secret and the token the
# LINE parts are hidden and every message goes by e-mail. Register https://<site>/line/webhook/ as
# the channel's webhook URL.
LINE_CHANNEL_SECRET = env("LINE_CHANNEL_SECRET", default="")
LINE_CHANNEL_ACCESS_TOKEN = env("LINE_CHANNEL_ACCESS_TOKEN", default="")
LINE_BOT_BASIC_ID = env("LINE_BOT_BASIC_ID", default="")  # "@123abcde": the add-friend link and its QR code
# Supervising units that run their own Official Account, as JSON: {"<unit slug>": {"secret": ..., "token":
# ..., "basic_id": "@..."}}; each serves the units below it, its webhook is /line/webhook/<unit slug>/.
LINE_CHANNELS = env.json("LINE_CHANNELS", default={})
LINE_API_HOST = env("LINE_API_HOST", default="https://api.line.me")
LINE_MAX_PER_SECOND = env.int("LINE_MAX_PER_SECOND", default=200)  # per worker; the API allows 2,000/s
LINE_REQUEUE_AFTER = datetime.timedelta(minutes=env.int("LINE_REQUEUE_AFTER_MINUTES", default=15))
# Reminders before each monthly and item deadline: days before, and on the day it becomes overdue.
DEADLINE_REMINDER_DAYS = (7, 1)
CELERY_BEAT_SCHEDULE["deadline-reminders"] = {
    "task": "oit_items.tasks.send_deadline_reminders",
    "schedule": crontab(hour=env.int("DIGEST_HOUR", default=7), minute=5),
}
CELERY_BEAT_SCHEDULE["line-release"] = {  # quiet hours over, jobs lost
    "task": "units.tasks.release_line_messages",
    "schedule": 300.0,
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

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from the portal
# itself; no inline scripts anywhere. Inline *style attributes* stay allowed: progress bars set
# their width with one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"client_errors_on_one_line": {"()": "ita_portal.lib.logs.ClientErrorsOnOneLine"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},  # one line per login is noise; lockouts still show
        "django.request": {"filters": ["client_errors_on_one_line"]},  # a 403 is one line; a 500 keeps its traceback
    },
}

# Evidence uploads and deadlines.
# 50 MB: a 100-page scanned PDF (about 38 MB) fits (lib/upload_base.DEFAULT_MAX_UPLOAD_BYTES).
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_MB", default=50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files are limited above
# An uploaded file over 2.5 MB is written to a temporary file as it arrives, never held whole in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
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
# Open data (/api/v1/): the licence every dataset carries, and the catalogue's description.
OPEN_DATA_LICENSE = env("OPEN_DATA_LICENSE", default="https://creativecommons.org/licenses/by/4.0/")
OPEN_DATA_DESCRIPTION = env("OPEN_DATA_DESCRIPTION", default=(
    "ข้อมูลสาธารณะตามแบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ของหน่วยงานที่เผยแพร่ในระบบนี้ เฉพาะข้อมูลที่ได้รับอนุมัติแล้ว / "
    "The OIT disclosures of the units publishing here; approved evidence only."))
# The CKAN-compatible API and DCAT: who answers for the data where a unit has no e-mail of its own
# (empty: the unit's page for questions is the only contact), the access conditions the national
# catalogue's thai_gdc metadata asks for, and how many datasets a page of the RDF catalogue holds.
OPEN_DATA_CONTACT_EMAIL = env("OPEN_DATA_CONTACT_EMAIL", default="")
OPEN_DATA_ACCESSIBLE_CONDITION = env("OPEN_DATA_ACCESSIBLE_CONDITION", default=(
    "เปิดเผยต่อสาธารณะโดยไม่ต้องลงทะเบียน ใช้ได้ตามสัญญาอนุญาตที่ระบุ เฉพาะหลักฐานที่ผู้บังคับบัญชาอนุมัติแล้ว "
    "ข้อมูลส่วนบุคคลที่ถอดออกตาม PDPA ไม่รวมอยู่ / Open to anyone without registration under the stated licence; "
    "approved evidence only, without what was taken down under the PDPA."))
OPEN_DATA_PAGE_SIZE = env.int("OPEN_DATA_PAGE_SIZE", default=100)
# Behind a reverse proxy that sets X-Forwarded-For, take the client address from it (audit log,
# rate limits, login throttling). The header is believed only from the proxies named in
# TRUSTED_PROXIES (their addresses): the client is the right-most address in it that is not one of
# them, so a client cannot pick its own address by sending the header. USE_X_FORWARDED_FOR without
# TRUSTED_PROXIES is refused at start (ita_portal.E004). Off, every citizen behind the proxy shares one rate limit.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# The public forms' rate limits count per client address, found the same way as for the audit log.
RATELIMIT_IP_META_KEY = "ita_portal.lib.http.client_ip"
# With the cache down the limit cannot be counted: let the citizen through rather than refuse.
RATELIMIT_FAIL_OPEN = True
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]  # our Redis cache wrapper is Django's Redis cache

# Invitations (onboarding): the one-time link to choose a password is valid for this many days.
INVITATION_TIMEOUT_DAYS = env.int("INVITATION_TIMEOUT_DAYS", default=7)
# Spreadsheet imports: the largest file accepted (a national file of ~20,000 rows is ~2 MB).
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=20)

# Demo logins exist only for development and the demo; `load_demo` refuses to run without DEBUG.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="ita-demo-2567")
