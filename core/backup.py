"""Backup and restore: the database as Django fixtures plus every file of the storages.

A backup folder holds `database.json.gz` (dumpdata with natural keys for content types and
permissions, so it loads into any freshly migrated database, SQLite or PostgreSQL),
`files/<storage>/<name>` for the private and the default (images) storages, and
`manifest.json` with each file's size and SHA-256. Restoring empties the target database
(`flush`), loads the dump, copies the files back through the storage API (local disk or
S3) and checks every checksum.

A backup holds personal data: it is written owner-only (folders 0700, files 0600) into a
hidden sibling folder, renamed to its name only once complete, so a failed backup leaves
nothing behind. It holds no live secret: sessions, login attempts and the task queue (whose
email tasks carry password-reset links) are left out.

Wagtail keeps the history of a deleted page (its log entries point to a page that no longer
exists): such a reference is written as the plain id it holds (`Serializer`), which loads
back as it was, where dumpdata's natural keys would fetch the page and fail.
"""

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.serializers import json as json_serializer
from django.db import connection

STORAGE_ALIASES = ("private", "default")
# Rebuilt by the application itself: content types and permissions (post_migrate), search
# index rows (manage.py update_index). Left out as live secrets or short-lived state:
# sessions (members log in again), login attempts, hourly limits, the task queue (an email
# task's arguments hold its links: a password reset's token).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "wagtailsearch.indexentry",
    "axes",
    "django_tasks_database",
    "core.ratecounter",
]
# The format name settings.SERIALIZATION_MODULES gives this module (JSON, read back by "json").
FORMAT = "backup_json"
CHUNK = 1024 * 1024


class Serializer(json_serializer.Serializer):
    """dumpdata's JSON, except that a reference to a row that no longer exists (a deleted
    page's log entries) is written as its id instead of failing the whole dump."""

    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = getattr(obj, field.get_attname())


Deserializer = json_serializer.Deserializer


def walk(storage, folder=""):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage nothing was ever saved to
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from walk(storage, f"{folder}/{directory}" if folder else directory)


def sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def owner_only():
    """Files and folders created meanwhile are readable by their owner alone."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def backup(target: Path, *, database=True) -> dict:
    """Write a backup to `target` (absent or empty), complete or not at all."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} n'est pas vide : choisissez un nouveau dossier.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with owner_only():
        partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-partiel-"))
        try:
            manifest = _write(partial, database=database)
            if target.exists():
                target.rmdir()
            partial.rename(target)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    return manifest


def _write(target: Path, *, database) -> dict:
    manifest = {"files": {}}
    if database:
        call_command(
            "dumpdata",
            format=FORMAT,
            natural_foreign=True,
            exclude=EXCLUDED,
            output=str(target / "database.json.gz"),
            verbosity=0,
        )
        manifest["database"] = "database.json.gz"
    for alias in STORAGE_ALIASES:
        storage = storages[alias]
        entries = manifest["files"][alias] = {}
        for name in walk(storage):
            destination = target / "files" / alias / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, open(destination, "wb") as copy:
                shutil.copyfileobj(source, copy, CHUNK)
            with open(destination, "rb") as copy:
                entries[name] = {"size": destination.stat().st_size, "sha256": sha256(copy)}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def restore(source: Path) -> dict:
    manifest = json.loads((source / "manifest.json").read_text())
    if manifest.get("database"):
        call_command("flush", interactive=False, verbosity=0)
        # loaddata reads a .gz fixture by itself; sequences are reset after it on PostgreSQL.
        call_command("loaddata", str(source / manifest["database"]), verbosity=0)
    for alias, entries in manifest["files"].items():
        storage = storages[alias]
        for name, expected in entries.items():
            if storage.exists(name):
                storage.delete(name)
            with open(source / "files" / alias / name, "rb") as handle:
                saved = storage.save(name, File(handle, name=name))
            if saved != name:
                raise RuntimeError(f"{alias}:{name} was stored as {saved}")
            with storage.open(name, "rb") as handle:
                if sha256(handle) != expected["sha256"]:
                    raise RuntimeError(f"{alias}:{name} does not match its checksum")
    return manifest


def database_is_empty() -> bool:
    """No member account yet: nothing a restore would overwrite."""
    from django.contrib.auth import get_user_model

    return "members_user" not in connection.introspection.table_names() or not get_user_model().objects.exists()
