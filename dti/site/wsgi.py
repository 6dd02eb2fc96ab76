"""WSGI entry point: gunicorn/uwsgi `dti.site.wsgi:application` (and `manage.py runserver`)."""
import os

from django.core.wsgi import get_wsgi_application

from dti.memory import keep_freed_memory

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.site.settings")
keep_freed_memory()  # the server owns its process: malloc keeps freed memory for the next scoring run
application = get_wsgi_application()
