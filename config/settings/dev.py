"""Local development: debug on, emails printed, a throwaway key unless one is given."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402,F403

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
