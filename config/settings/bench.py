"""Benchmarks and load runs: production settings plus the `benchmarks` app, never served.

    DJANGO_SETTINGS_MODULE=config.settings.bench .venv/bin/python manage.py benchmark_catalogue

Production's values (DEBUG off, HTTPS redirects, the database options), so the figures are
those of the product; a throwaway key unless one is given. Wagtail's search promotions app
serves wagtail/bakerydemo's search view, measured beside the catalogue's keyword search
(benchmarks/bakerydemo.py). Production, base, dev and test settings load none of this.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key-never-used-to-serve-the-portal")

from .production import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks", "wagtail.contrib.search_promotions"]  # noqa: F405
