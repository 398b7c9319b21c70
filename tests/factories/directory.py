from stdnum import luhn

from directory.models import DirectoryEntry
from directory.services import directory_upsert


def valid_siren(n):
    base = f"{21000000 + n:08d}"
    return base + luhn.calc_check_digit(base)


def siret_of(siren, establishment=1):
    base = siren + f"{establishment:04d}"
    return base + luhn.calc_check_digit(base)


def valid_siret(n, establishment=1):
    return siret_of(valid_siren(n), establishment)


def directory_entries(*rows):
    """Directory entries with their search words, as the import writes them."""
    entries = [DirectoryEntry(**{"legal_category": "7210", **row}) for row in rows]
    directory_upsert(entries=entries)
    return list(DirectoryEntry.objects.filter(siret__in=[e.siret for e in entries]).order_by("name_folded"))
