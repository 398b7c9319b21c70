"""What the portal answers when a component it needs is down, and `/sante/` for load balancers.

While the database is unreachable every page that needs it gets the French 503 page
(`templates/503.html`, rendered without a query or a request context) with Retry-After;
nothing is kept from the failure: Django drops a broken connection at the end of the
request and checks a kept one before reusing it (`CONN_HEALTH_CHECKS`), so the first
request after the database is back is served normally.
"""

import logging
import sys
import time
import uuid

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache

from .storage import private_storage

logger = logging.getLogger(__name__)

UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE_ERRORS):
            logger.error("Database unavailable (%s): 503 for %s", type(exception).__name__, request.path)
            return unavailable_response()
        return None


def server_error(request):
    """handler500: a database that went away inside a middleware still gets the 503 page."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS):
        return unavailable_response()
    return defaults.server_error(request)


# Health check ---------------------------------------------------------------------------


def _timed(check):
    started = time.perf_counter()
    try:
        details = check() or {}
    except Exception as error:  # noqa: BLE001  (any failure is the answer, its text is not: it may hold a host)
        logger.warning("Health check %s failed: %r", check.__name__, error)
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **details}


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    key, value = "health-check", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache does not give back what it stored")


def check_storage():
    private_storage().exists("health-check")


def check_tasks():
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not backend.supports_defer:  # the immediate backend: nothing ever waits
        return {"backend": type(backend).__name__, "oldest_waiting_seconds": None, "waiting": 0}
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    oldest = waiting.order_by("run_after").values_list("run_after", flat=True).first()
    age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else None
    return {"backend": type(backend).__name__, "oldest_waiting_seconds": age, "waiting": waiting.count()}


@never_cache
def health(request):
    checks = {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "storage": _timed(check_storage),
    }
    # The queue needs the database: no second error when the first says it all.
    checks["tasks"] = _timed(check_tasks) if checks["database"]["ok"] else {"ok": False, "error": "database"}
    healthy = all(check["ok"] for name, check in checks.items() if name != "tasks")
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
