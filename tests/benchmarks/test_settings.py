"""The benchmarks are installed by config.settings.bench only: the portal's settings load none of it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
REPORT = (
    "import sys, django; django.setup(); from django.apps import apps; "
    "print(apps.is_installed('benchmarks'), any(name.startswith('benchmarks') for name in sys.modules))"
)

pytestmark = pytest.mark.bench


def installed_and_loaded(settings_module):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY="settings-test-only")
    result = subprocess.run(
        [sys.executable, "-c", REPORT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize("settings_module", [f"config.settings.{name}" for name in ("production", "dev", "test")])
def test_the_portals_settings_neither_install_nor_import_the_benchmarks(settings_module):
    assert installed_and_loaded(settings_module) == ["False", "False"]


def test_the_bench_settings_install_them():
    assert installed_and_loaded("config.settings.bench") == ["True", "True"]
