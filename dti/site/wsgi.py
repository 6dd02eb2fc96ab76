"""WSGI entry point: gunicorn/uwsgi `dti.site.wsgi:application`."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.site.settings")
application = get_wsgi_application()
