"""Django settings for the DTI web application.

SQLite (var/dti.sqlite3) by default; PostgreSQL when DATABASE_URL is set.
Environment: DTI_SECRET_KEY (required unless DTI_DEBUG=1), DTI_DEBUG=1, DTI_ALLOWED_HOSTS,
DATABASE_URL, DTI_MEDIA_ROOT, DTI_SERVE_STATIC=0 (when a reverse proxy serves /static/);
behind HTTPS: DTI_SECURE_COOKIES=1, DTI_SSL_REDIRECT=1, DTI_HSTS_SECONDS, DTI_HSTS_PRELOAD=1,
DTI_PROXY_SSL_HEADER=1 (trust X-Forwarded-Proto from the reverse proxy); sign-in lockout:
DTI_LOGIN_FAILURE_LIMIT (5), DTI_LOGIN_COOLOFF_MINUTES (15).
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("DTI_VAR_DIR", BASE_DIR / "var"))

DEBUG = os.environ.get("DTI_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("DTI_SECRET_KEY", "")
if not SECRET_KEY:
    # A key everyone can read signs sessions and password-reset links anyone could forge:
    # only a development server (DTI_DEBUG=1) or the test suites (pytest is loaded) run on it.
    if not (DEBUG or "pytest" in sys.modules):
        raise ImproperlyConfigured(
            "DTI_SECRET_KEY is not set. Set it to a long random secret kept out of the repository "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DTI_DEBUG=1 for a local development server."
        )
    SECRET_KEY = "dti-insecure-key-for-development-servers-and-tests-only-0123456789"
ALLOWED_HOSTS = [h for h in os.environ.get("DTI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DTI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_rq",
    "dti.site.apps.SiteConfig",
    "dti.organisations",
    "dti.accounts",
    "dti.methodologies",
    "dti.campaigns",
    "dti.submissions",
    "dti.review",
    "dti.results",
    "dti.audit",
    "axes",
    "dti.api",
    "dti.notifications",
    "dti.connectors",
    "dti.kpi",
    "dti.public",
    "dti.published",
    "dti.plans",
    "dti.excel",
    "dti.recognition",
    "dti.documents",
]

MIDDLEWARE = [
    "dti.api.middleware.JsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dti.site.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dti.site.middleware.NotAllowedPageMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dti.site.urls"
WSGI_APPLICATION = "dti.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dti" / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dti.accounts.context_processors.access",
                "dti.notifications.context_processors.unread",
            ],
            "builtins": ["django.templatetags.i18n", "dti.site.templatetags.dti"],
        },
    }
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(
        conn_max_age=int(os.environ.get("DTI_CONN_MAX_AGE", "60")), conn_health_checks=True
    )}
else:
    SQLITE_PATH = Path(os.environ.get("DTI_SQLITE_PATH", VAR_DIR / "dti.sqlite3"))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet
    DATABASES = {
        "default": {
            "ENGINE": "dti.site.sqlite",
            "NAME": str(SQLITE_PATH),
            # Tests run on an in-memory copy (Django's default, said out loud so that
            # pytest-xdist keeps one per worker instead of deriving a file name from the path).
            "TEST": {"NAME": ":memory:"},
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Rendered fragments only, keyed by versions read from the database on each request
    # (Campaign.scores_version, Submission.updated_at): a process never serves a fragment
    # older than the data another process committed.  Nothing here is a source of truth, so
    # a per-process cache is correct under several workers; never put sessions or
    # sign-in counts in it.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dti-default"},
    # Score runs (numpy arrays, compiled frameworks) kept in process, keyed by
    # (campaign, scores_version): any process recomputes after a change.
    "scores": {"BACKEND": "dti.site.cache.ObjectCache", "OPTIONS": {"MAX_ENTRIES": 24}},
}
if os.environ.get("DTI_REDIS_URL"):
    # Several app servers share the rendered fragments (same keys, same versions): one render each.
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                         "LOCATION": os.environ["DTI_REDIS_URL"], "KEY_PREFIX": "dti"}
    # Score runs' parsed data shared between processes (dti/results/shared.py): a new worker
    # loads the latest one and re-reads only what changed since, instead of rebuilding.
    CACHES["runs"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": os.environ["DTI_REDIS_URL"], "KEY_PREFIX": "dti-runs",
                      "TIMEOUT": 7 * 24 * 3600}

# Server-side sessions, read from the database on every request: signing out (or an
# administrator deleting a session) ends it in every server process at once.  Not
# "cached_db": its cache is per process here (LocMemCache), so a session ended by one
# gunicorn worker stayed signed in on the others for up to SESSION_COOKIE_AGE.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_SECURE = os.environ.get("DTI_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "dti.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): after DTI_LOGIN_FAILURE_LIMIT wrong passwords for one
# account, that account cannot sign in for DTI_LOGIN_COOLOFF_MINUTES, whatever the password.
# Counted per username, not per address: behind a reverse proxy every request comes from the
# proxy's address, and an address lock would shut everyone out.  Attempts are kept in the database,
# so every server process sees the same count.  Unlock early: manage.py axes_reset_username NAME.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DTI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DTI_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address too: a government office signs in from one shared address,
# and five typos there would lock the whole office out; rotating user agents or cookies does
# not get round a per-username count.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# Internationalisation: Vietnamese first, English catalogue in dti/locale.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dti" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["dti.site.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "dti" / "site" / "static"]
DTI_SERVE_STATIC = os.environ.get("DTI_SERVE_STATIC", "1") == "1"

# Uploaded evidence: through the storage API, never under a public URL
# (served by a permission-checked view).
MEDIA_ROOT = Path(os.environ.get("DTI_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def s3_storage(*, bucket: str, endpoint_url: str | None = None, access_key: str | None = None,
               secret_key: str | None = None, region: str | None = None) -> dict:
    """Files on an S3-compatible object store (django-storages): what several app servers share."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint_url or None, "access_key": access_key or None,
        "secret_key": secret_key or None, "region_name": region or None,
        "default_acl": None, "file_overwrite": False, "querystring_auth": True,
        # A self-hosted store (MinIO, Ceph) on an address: path-style URLs.
        "addressing_style": "path" if endpoint_url else None,
    }}


if os.environ.get("DTI_S3_BUCKET"):
    STORAGES["default"] = s3_storage(
        bucket=os.environ["DTI_S3_BUCKET"], endpoint_url=os.environ.get("DTI_S3_ENDPOINT_URL"),
        access_key=os.environ.get("DTI_S3_ACCESS_KEY"), secret_key=os.environ.get("DTI_S3_SECRET_KEY"),
        region=os.environ.get("DTI_S3_REGION"),
    )
DTI_EVIDENCE_MAX_BYTES = int(os.environ.get("DTI_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
# Trust anchors for the certificates of signed PDF evidence: PEM files or folders, ":"-separated. Unset = the
# chain is not checked (it cannot be offline) and the reviewer is told so.
DTI_TRUST_ROOTS = [p for p in os.environ.get("DTI_TRUST_ROOTS", "").split(":") if p]
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (see the README's "Production"): off by default so that `make run` works on http.
SECURE_SSL_REDIRECT = os.environ.get("DTI_SSL_REDIRECT", "0") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("DTI_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("DTI_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("DTI_HSTS_PRELOAD", "0") == "1"
if os.environ.get("DTI_PROXY_SSL_HEADER", "0") == "1":  # only when the proxy sets the header on every request
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# REST API limits (django-ninja throttles, counted in the default cache): per token, and per
# address for the password exchange.  "N/s|m|h|d".
DTI_API_RATES = {
    "token": os.environ.get("DTI_API_RATE", "600/m"),
    "login": os.environ.get("DTI_API_LOGIN_RATE", "10/m"),
}
NINJA_PAGINATION_PER_PAGE = 100

# Background jobs (dti/site/jobs.py): RQ on Redis when DTI_REDIS_URL is set (`make worker`,
# `make cron`); without it jobs run in process (`make run` needs no Redis).
DTI_REDIS_URL = os.environ.get("DTI_REDIS_URL", "")
RQ_QUEUES = {"default": {"URL": DTI_REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}

# Notifications: e-mail through Django's backend (the console unless DTI_EMAIL_HOST is set).
DTI_SITE_URL = os.environ.get("DTI_SITE_URL", "http://127.0.0.1:8000")
DTI_REMINDER_DAYS = [int(d) for d in os.environ.get("DTI_REMINDER_DAYS", "7,1").split(",") if d.strip()]
DEFAULT_FROM_EMAIL = os.environ.get("DTI_EMAIL_FROM", "DTI <khong-tra-loi@dti.local>")
if os.environ.get("DTI_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["DTI_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("DTI_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("DTI_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DTI_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("DTI_EMAIL_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DTI_LOG_LEVEL", "WARNING")},
}
