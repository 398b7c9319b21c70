"""Writes of the directory: imports, and establishments staff validated."""

from django.db import transaction
from django.utils import timezone

from core.text import fold_name

from .models import REFERENCE_FIELDS, DirectoryEntry, DirectoryWord


def directory_upsert(*, entries: list[DirectoryEntry]) -> dict[str, int]:
    """Inserts new entries, updates changed ones, leaves the same ones alone; keeps each
    entry's search words in step. Returns {"imported", "updated", "unchanged"}."""
    counts = {"imported": 0, "updated": 0, "unchanged": 0}
    if not entries:
        return counts
    by_siret = {entry.siret: entry for entry in entries}
    with transaction.atomic():
        existing = {e.siret: e for e in DirectoryEntry.objects.filter(siret__in=list(by_siret))}
        to_create, to_update = [], []
        for siret, entry in by_siret.items():
            entry.name_folded = fold_name(entry.name)
            current = existing.get(siret)
            if current is None:
                to_create.append(entry)
            elif any(getattr(current, f) != getattr(entry, f) for f in DirectoryEntry.DATA_FIELDS):
                for name in DirectoryEntry.DATA_FIELDS:
                    setattr(current, name, getattr(entry, name))
                current.name_folded = entry.name_folded
                current.updated_at = timezone.now()
                to_update.append(current)
            else:
                counts["unchanged"] += 1
        DirectoryEntry.objects.bulk_create(to_create)
        if to_create and to_create[0].pk is None:  # databases that return no ids
            ids = dict(DirectoryEntry.objects.filter(siret__in=[e.siret for e in to_create]).values_list("siret", "pk"))
            for entry in to_create:
                entry.pk = ids[entry.siret]
        DirectoryEntry.objects.bulk_update(to_update, [*DirectoryEntry.DATA_FIELDS, "name_folded", "updated_at"])
        DirectoryWord.objects.filter(entry__in=to_update).delete()
        DirectoryWord.objects.bulk_create(
            [
                DirectoryWord(entry_id=entry.pk, word=word[:60])
                for entry in (*to_create, *to_update)
                for word in entry.words()
            ]
        )
    counts["imported"] = len(to_create)
    counts["updated"] = len(to_update)
    return counts


def directory_learn(*, establishment) -> None:
    """A validated establishment the directory did not know joins it: the next member
    searching for it finds it there, without asking the register."""
    if DirectoryEntry.objects.filter(siret=establishment.siret).exists():
        return
    directory_upsert(entries=[DirectoryEntry(**{name: getattr(establishment, name) for name in REFERENCE_FIELDS})])
