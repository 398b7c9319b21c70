"""The benchmarks run with config.settings.bench; the suite's settings (config.settings.test)
install neither the `benchmarks` app nor Wagtail's search promotions, so each module here
adds both to the app registry for its own tests and takes them out after."""

import pytest
from django.apps import AppConfig, apps
from django.conf import settings
from django.test.signals import setting_changed

BENCH_APPS = [
    name for name in ("benchmarks", "wagtail.contrib.search_promotions") if name not in settings.INSTALLED_APPS
]


def _registry_changed():
    # What override_settings(INSTALLED_APPS=…) signals: management commands, template folders
    # and tag libraries read again. Not override_settings itself: it would run every app's
    # ready() a second time, which Wagtail refuses.
    apps.clear_cache()
    setting_changed.send(sender=settings._wrapped.__class__, setting="INSTALLED_APPS", value=None, enter=True)


@pytest.fixture(autouse=True, scope="module")
def bench_apps_installed(django_db_setup):
    """After the test database is made (by the suite's settings: no search promotions tables)."""
    configs = [AppConfig.create(name) for name in BENCH_APPS]
    for config in configs:
        config.apps = apps
        apps.app_configs[config.label] = config
        config.import_models()
    _registry_changed()
    yield
    for config in configs:
        del apps.app_configs[config.label]
    _registry_changed()
