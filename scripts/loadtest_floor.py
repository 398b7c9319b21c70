"""The load test's floor: the portal's production settings and middleware, one view that does nothing.

Served by scripts/loadtest.py as `gunicorn --pythonpath scripts loadtest_floor:application`:
this module is the settings, the URLconf and the WSGI entry point at once.
"""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "loadtest_floor"

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from config.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "loadtest_floor"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
