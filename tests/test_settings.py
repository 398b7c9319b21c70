"""Settings come from the environment, parsed one way; production refuses to start unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env, env_bool, env_list

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("Yes", True), ("false", False), ("0", False), ("off", False), ("", False)],
)
def test_booleans_parse_one_way(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG") is expected


def test_unreadable_boolean_is_an_error(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG")


def test_required_value(monkeypatch):
    monkeypatch.delenv("MISSING_VALUE", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env("MISSING_VALUE", required=True)


def test_lists(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.fr, b.fr,,")
    assert env_list("HOSTS") == ["a.fr", "b.fr"]


def run_manage(*args, **extra_env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_without_secret_key_does_not_start():
    result = run_manage("check", "--settings=config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings=config.settings.production",
        SECRET_KEY="a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="portail.canut.org",
    )
    assert result.returncode == 0, result.stderr


def test_french_locale(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.DATE_FORMAT == "d/m/Y"


def test_gunicorn_workers_freeze_what_they_inherit_and_collect_young_objects_less_often():
    # In a process of its own: the hooks change the collector of the process they run in.
    script = (
        "import gc; from config import gunicorn as g; g.on_starting(None); assert not gc.isenabled();"
        "g.post_fork(None, None); print(gc.isenabled(), gc.get_freeze_count() > 0, gc.get_threshold())"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.split() == ["True", "True", "(10000,", "10,", "10)"]
    env = {**os.environ, "GUNICORN_GC_FREEZE": "false"}
    script = "import gc; from config import gunicorn as g; g.post_fork(None, None); print(gc.get_threshold())"
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert run.stdout.strip() == "(700, 10, 10)"
