"""Backup and restore: the database as Django fixtures plus every file of the storages.

A backup folder holds `database.json.gz` (dumpdata with natural keys for content types and
permissions, so it loads into any freshly migrated database, SQLite or PostgreSQL),
`files/<storage>/<name>` for the private and the default (images) storages, and
`manifest.json` with each file's size and SHA-256. Restoring empties the target database
(`flush`), loads the dump, copies the files back through the storage API (local disk or
S3) and checks every checksum.
"""

import hashlib
import json
import shutil
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection

STORAGE_ALIASES = ("private", "default")
# Rebuilt by the application itself: content types and permissions (post_migrate), search
# index rows (manage.py update_index), sessions (members log in again).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "wagtailsearch.indexentry", "axes"]
CHUNK = 1024 * 1024


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


def backup(target: Path, *, database=True) -> dict:
    target.mkdir(parents=True, exist_ok=True)
    manifest = {"files": {}}
    if database:
        call_command(
            "dumpdata",
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
