"""A backup restored into a new database and new storage has every subscription and file."""

import gzip
import json
import os
import subprocess
import sys
import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.actions.delete_page import DeletePageAction

from core.storage import private_storage
from markets.access import Audience
from subscriptions import services
from subscriptions.models import Subscription
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece
from tests.factories.members import EstablishmentFactory, StaffFactory, UserFactory
from tests.factories.subscriptions import blank_convention_document

pytestmark = pytest.mark.django_db

REPORT = """
import hashlib, json
from django.core.files.storage import storages
from wagtail.models import PageLogEntry
from core.backup import walk
from subscriptions.models import Subscription
storage = storages["private"]
print("RAPPORT " + json.dumps({
    "subscriptions": sorted(
        [s.pk, s.market_id, s.establishment.siret, s.convention.name, s.requested_by.email]
        for s in Subscription.objects.select_related("establishment", "requested_by")
    ),
    "page_history": sorted([e.page_id, e.action, e.label] for e in PageLogEntry.objects.all()),
    "files": {name: hashlib.sha256(storage.open(name).read()).hexdigest() for name in walk(storage)},
}))
"""


@pytest.fixture
def new_database(tmp_path):
    """An empty database of the suite's own kind: a SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    params = connection.settings_dict
    password = f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
    yield f"postgres://{params['USER']}{password}@{params['HOST']}:{params['PORT']}/{name}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, database_url, private_root, var_dir):
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=400,
    )


@pytest.fixture(autouse=True)
def own_private_storage(settings, tmp_path):
    """A private storage of this test's own: the backup holds these files and no other test's."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "core.storage.PrivateFileSystemStorage", "OPTIONS": {"location": tmp_path / "prive"}},
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


def test_dump_then_restore_into_a_new_database_and_storage(market_index, tmp_path, new_database):
    convention_piece = blank_convention_document()
    ccap = MarketDocumentFactory(title="CCAP", file=ContentFile(b"%PDF-1.4 CCAP", name="ccap.pdf"))
    markets = [
        MarketPageFactory(
            parent=market_index,
            title=f"Marché {n}",
            documents=[
                piece(convention_piece, "convention", Audience.SUBSCRIBERS),
                piece(ccap, "ccap", Audience.SUBSCRIBERS),
            ],
        )
        for n in range(2)
    ]
    for n in range(3):
        user = UserFactory(email=f"agent{n}@mairie{n}.fr")
        establishment = EstablishmentFactory(users=[user])
        for market in markets:
            services.subscription_request(user=user, market=market, establishment=establishment)
    assert Subscription.objects.count() == 6
    # A deleted page keeps its history in Wagtail's log, pointing to a page that is gone.
    deleted = MarketPageFactory(parent=market_index, title="Marché retiré")
    DeletePageAction(deleted, user=StaffFactory()).execute(skip_permission_checks=True)
    before = json.loads(_report_here())
    assert ["wagtail.delete", "Marché retiré"] in [entry[1:] for entry in before["page_history"]]
    assert len(before["files"]) == 6 + 2  # six conventions, the blank one and the CCAP

    call_command("backup", str(tmp_path / "sauvegarde"), stdout=open(os.devnull, "w"))
    manifest = json.loads((tmp_path / "sauvegarde" / "manifest.json").read_text())
    assert set(manifest["files"]["private"]) == set(before["files"])

    paths = {"database_url": new_database, "private_root": tmp_path / "prive-neuf", "var_dir": tmp_path / "var"}
    migrated = manage("migrate", "--noinput", **paths)
    assert migrated.returncode == 0, migrated.stderr
    restored = manage("restore", str(tmp_path / "sauvegarde"), **paths)
    assert restored.returncode == 0, restored.stderr
    assert "sommes de contrôle vérifiées" in restored.stdout
    after = manage("shell", "-c", REPORT, **paths)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout.split("RAPPORT ", 1)[1]) == before, after.stdout

    again = manage("restore", str(tmp_path / "sauvegarde"), **paths)  # never over live data by mistake
    assert again.returncode != 0 and "--force" in again.stderr


def _report_here():
    import contextlib
    import io

    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(REPORT, {})
    assert private_storage().exists(Subscription.objects.first().convention.name)
    return output.getvalue().split("RAPPORT ", 1)[1]


def modes(folder):
    return {str(path.relative_to(folder)): path.stat().st_mode & 0o777 for path in [folder, *folder.rglob("*")]}


def test_a_backup_is_readable_by_its_owner_only(market_index, tmp_path):
    MarketDocumentFactory(title="CCAP", file=ContentFile(b"%PDF-1.4 CCAP", name="ccap.pdf"))
    call_command("backup", str(tmp_path / "sauvegarde"), stdout=open(os.devnull, "w"))
    found = modes(tmp_path / "sauvegarde")
    assert len(found) > 4 and all(mode & 0o077 == 0 for mode in found.values()), found


def test_a_failed_backup_leaves_nothing_behind(market_index, tmp_path, settings):
    not_a_folder = tmp_path / "images"
    not_a_folder.write_text("un fichier, pas un dossier")  # the images' storage cannot be listed
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": not_a_folder}},
    }
    with pytest.raises(NotADirectoryError):
        call_command("backup", str(tmp_path / "sauvegarde"), stdout=open(os.devnull, "w"))
    assert [path.name for path in tmp_path.iterdir()] == ["images"]  # no folder, no partial one


def test_a_backup_holds_no_password_reset_link(
    market_index, tmp_path, settings, client, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(email="anne@nyons.fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:password_reset"), {"email": "anne@nyons.fr"})
    # The queued email carries the link (other tasks may be queued beside it: indexing).
    assert any("token" in str(task.args_kwargs) for task in DBTaskResult.objects.all())
    call_command("backup", str(tmp_path / "sauvegarde"), stdout=open(os.devnull, "w"))
    with gzip.open(tmp_path / "sauvegarde" / "database.json.gz", "rt") as dump:
        models = {row["model"] for row in json.load(dump)}
    assert "django_tasks_database.dbtaskresult" not in models and "members.user" in models
