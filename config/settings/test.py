"""Tests: fast hashing, plain static files, immediate tasks, emails kept in memory."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ["DEBUG"] = "false"
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="canut-test-"))

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},  # noqa: F405
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ROUTING_CACHE = True  # one process: its memory cache is every request's

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise looks for it)
# The database search only: the engine's tests configure it themselves, each session with
# its own indexes (tests/search/conftest.py), so OPENSEARCH_URL never sends the rest of the
# suite's pages to a developer's engine.
WAGTAILSEARCH_BACKENDS = search_backends()  # noqa: F405
SEARCH_ENGINE_RETRY_SECONDS = 0
