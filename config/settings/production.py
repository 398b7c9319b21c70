"""Production: no default secret, HTTPS everywhere."""

from .base import *  # noqa: F403
from .env import env, env_bool, env_int, env_list

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The TLS proxy on the same machine unless told otherwise (see core/proxy.py): forwarded
# headers from any other address are ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ("127.0.0.1", "::1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Serving, queueing, connections (docs/operations.md) ---------------------------
# Tasks (every email) wait in the database for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Load balancers ask /sante/ over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {
            # A query longer than this is cancelled (0: no limit, for a long maintenance command).
            # No parallel workers by default: the portal's queries take milliseconds, starting
            # workers took longer (a catalogue facet: 6 ms of work, 16 ms with two workers).
            "options": f"-c statement_timeout={env_int('DATABASE_STATEMENT_TIMEOUT_MS', 30000)}"
            f" -c max_parallel_workers_per_gather={env_int('DATABASE_PARALLEL_WORKERS', 0)}",
            "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5),
        }
    )
