"""`/sante/` for load balancers, and the French 503 page while the database is unreachable."""

import json
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.emails import send_email
from tests.servers import free_port

# Transactional: the database goes away under the test, which a test transaction would not survive.
# It builds what it reads (home_page rebuilds the tree): no need to reload the migrations' rows.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_down():
    """PostgreSQL: the connection goes to a port nothing listens on, as when the server is
    down. SQLite's in-memory test database cannot go away: its queries fail as a lost one does."""
    if connection.vendor == "postgresql":
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict["PORT"] = str(free_port())
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.update(saved)
    else:

        def refuse(execute, sql, params, many, context):
            raise OperationalError("unable to open database file")

        with connection.execute_wrapper(refuse):
            yield


def test_health_says_what_works_and_no_secret(client, settings):
    response = client.get("/sante/")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "storage": True,
        "tasks": True,
    }
    assert body["checks"]["tasks"]["oldest_waiting_seconds"] is None  # immediate backend: nothing waits
    text = response.text
    for secret in (settings.SECRET_KEY, str(settings.PRIVATE_MEDIA_ROOT), settings.DATABASES["default"]["NAME"]):
        assert str(secret) not in text


def test_health_gives_the_age_of_the_oldest_waiting_task(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _ in range(2):
        send_email.enqueue(to=["a@nyons.fr"], template="members/emails/account_approved", context={}, attachments=[])
    DBTaskResult.objects.filter(pk=DBTaskResult.objects.first().pk).update(
        run_after=timezone.now() - timedelta(minutes=5)
    )
    tasks = client.get("/sante/").json()["checks"]["tasks"]
    assert tasks["backend"] == "DatabaseBackend" and tasks["waiting"] == 2
    assert 299 <= tasks["oldest_waiting_seconds"] < 330


def test_while_the_database_is_down_pages_answer_503_in_french_and_recover_by_themselves(
    client, home_page, member, settings
):
    client.force_login(member)
    assert client.get("/").status_code == 200
    # A middleware that reads the user (holders.access) meets the failure before any view:
    # handler500 answers the 503, which the test client would otherwise raise instead.
    client.raise_request_exception = False
    with database_down():
        for path in ("/", "/compte/tableau-de-bord/", "/recherche/?q=logiciels"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert "Service momentanément indisponible" in response.text and response["Retry-After"] == "30"
        health = client.get("/sante/")
        assert health.status_code == 503
        checks = json.loads(health.content)["checks"]
        assert checks["database"] == {"ok": False, "error": "OperationalError"}
        assert checks["storage"]["ok"] and checks["cache"]["ok"]
    assert client.get("/").status_code == 200
    assert client.get("/compte/tableau-de-bord/").status_code == 200
    assert client.get("/sante/").status_code == 200
