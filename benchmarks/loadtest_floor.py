"""The load test's floor: the portal's production settings and middleware, one view that does nothing.

Served by benchmarks/loadtest.py as `gunicorn benchmarks.loadtest_floor:application`:
this module is the settings, the URLconf and the WSGI entry point at once.
"""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.loadtest_floor"

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from config.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "benchmarks.loadtest_floor"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
