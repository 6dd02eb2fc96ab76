"""Django settings for the DTI web application.

SQLite (var/dti.sqlite3) by default; PostgreSQL when DATABASE_URL is set.
Environment: DTI_SECRET_KEY, DTI_DEBUG=1, DTI_ALLOWED_HOSTS, DATABASE_URL,
DTI_MEDIA_ROOT, DTI_SERVE_STATIC=0 (when a reverse proxy serves /static/).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("DTI_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DTI_SECRET_KEY", "dti-dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = os.environ.get("DTI_DEBUG", "0") == "1"
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
    "dti.site.apps.SiteConfig",
    "dti.organisations",
    "dti.accounts",
    "dti.methodologies",
    "dti.campaigns",
    "dti.submissions",
    "dti.review",
    "dti.results",
    "dti.audit",
    "dti.kpi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dti.site.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dti-default"},
    # Score runs (numpy arrays, compiled frameworks) kept in process, keyed by
    # (campaign, scores_version): any process recomputes after a change.
    "scores": {"BACKEND": "dti.site.cache.ObjectCache", "OPTIONS": {"MAX_ENTRIES": 24}},
}

# Server-side sessions (logout really ends them), read through the per-process cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_SECURE = os.environ.get("DTI_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

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
DTI_EVIDENCE_MAX_BYTES = int(os.environ.get("DTI_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DTI_LOG_LEVEL", "WARNING")},
}
