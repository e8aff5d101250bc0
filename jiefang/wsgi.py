"""WSGI entry point for gunicorn and other servers."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiefang.settings")

if not settings.SECRET_KEY_FROM_ENVIRONMENT and not settings.DEBUG:
    raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")

application = get_wsgi_application()
