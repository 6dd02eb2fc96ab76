"""Production settings: no start without a secret key (debug off); `check --deploy` clean as the README says."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The settings the README's "Production" section documents.
PRODUCTION = {
    "DATABASE_URL": "postgres://dti:secret@db.example/dti",  # not connected to: check --deploy only reads it
    "DTI_ALLOWED_HOSTS": "dti.example.gov.vn",
    "DTI_CSRF_TRUSTED_ORIGINS": "https://dti.example.gov.vn",
    "DTI_SECURE_COOKIES": "1",
    "DTI_SSL_REDIRECT": "1",
    "DTI_HSTS_SECONDS": "31536000",
    "DTI_HSTS_PRELOAD": "1",
    "DTI_PROXY_SSL_HEADER": "1",
    "DTI_MEDIA_ROOT": "/srv/dti/media",
    "DTI_SERVE_STATIC": "0",
}


def run(args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DTI_") and k != "DATABASE_URL"}
    clean.update(DJANGO_SETTINGS_MODULE="dti.site.settings", PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=300)


def test_app_refuses_to_start_with_debug_off_and_no_secret_key():
    done = run(["manage.py", "check"])
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "DTI_SECRET_KEY is not set" in done.stderr


def test_wsgi_application_refuses_too():
    done = run(["-c", "import dti.site.wsgi"])
    assert done.returncode != 0 and "DTI_SECRET_KEY is not set" in done.stderr


def test_debug_server_starts_without_a_key():
    assert run(["manage.py", "check"], DTI_DEBUG="1").returncode == 0


def test_check_deploy_is_clean_under_the_documented_production_settings():
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
               DTI_SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_warns_without_them():
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DTI_SECRET_KEY=secrets.token_urlsafe(50))
    assert done.returncode != 0
    assert "security.W004" in done.stderr and "security.W008" in done.stderr  # HSTS, SSL redirect
