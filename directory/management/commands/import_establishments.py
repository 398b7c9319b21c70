"""Loads INSEE's SIRENE stock files into the establishment directory.

    manage.py import_establishments --units StockUniteLegale_utf8.csv \
        --establishments StockEtablissement_utf8.csv

Both files are read as streams (the national ones hold tens of millions of rows), columns
by their header name (INSEE adds columns from one vintage to the next). Legal units are
read first and only those of the kept legal categories (7xxx, public-sector bodies, by
default) are remembered; then each active establishment of a kept unit is upserted, by
batches. Running it twice changes nothing the second time.
"""

import csv
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.validators import validate_siret
from directory.models import DirectoryEntry
from directory.services import directory_upsert

NOT_DISCLOSED = "[ND]"
# INSEE's street-type codes, spelled out as the register's addresses read.
STREET_TYPES = {
    "ALL": "ALLEE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "CAR": "CARREFOUR",
    "CHE": "CHEMIN",
    "CHS": "CHAUSSEE",
    "CITE": "CITE",
    "COR": "CORNICHE",
    "CRS": "COURS",
    "DOM": "DOMAINE",
    "DSC": "DESCENTE",
    "ECA": "ECART",
    "ESP": "ESPLANADE",
    "FG": "FAUBOURG",
    "GR": "GRANDE RUE",
    "HAM": "HAMEAU",
    "HLE": "HALLE",
    "IMP": "IMPASSE",
    "LD": "LIEU-DIT",
    "LOT": "LOTISSEMENT",
    "MAR": "MARCHE",
    "MTE": "MONTEE",
    "PAS": "PASSAGE",
    "PL": "PLACE",
    "PLN": "PLAINE",
    "PLT": "PLATEAU",
    "PRO": "PROMENADE",
    "PRV": "PARVIS",
    "QUA": "QUARTIER",
    "QUAI": "QUAI",
    "RES": "RESIDENCE",
    "RLE": "RUELLE",
    "ROC": "ROCADE",
    "RPT": "ROND-POINT",
    "RTE": "ROUTE",
    "RUE": "RUE",
    "SEN": "SENTIER",
    "SQ": "SQUARE",
    "TPL": "TERRE-PLEIN",
    "TRA": "TRAVERSE",
    "VLA": "VILLA",
    "VLGE": "VILLAGE",
}
UNIT_COLUMNS = ("siren", "categorieJuridiqueUniteLegale", "denominationUniteLegale")
ESTABLISHMENT_COLUMNS = ("siren", "siret", "etatAdministratifEtablissement")


def _value(row, column):
    value = (row.get(column) or "").strip()
    return "" if value == NOT_DISCLOSED else value


def _open(path):
    try:
        return open(path, newline="", encoding="utf-8-sig")
    except OSError as error:
        raise CommandError(f"Impossible de lire {path} : {error.strerror}.") from error


def _reader(handle, required, path):
    reader = csv.DictReader(handle)
    missing = [column for column in required if column not in (reader.fieldnames or [])]
    if missing:
        raise CommandError(f"{path} : colonnes absentes ({', '.join(missing)}) ; est-ce bien un fichier stock SIRENE ?")
    return reader


class Command(BaseCommand):
    help = "Importe les fichiers stock SIRENE (unités légales et établissements) dans l'annuaire."

    def add_arguments(self, parser):
        parser.add_argument("--units", required=True, help="StockUniteLegale (CSV)")
        parser.add_argument("--establishments", required=True, help="StockEtablissement (CSV)")
        parser.add_argument(
            "--categories",
            default="7",
            help="préfixes de catégories juridiques retenus, séparés par des virgules (défaut : 7, le secteur public)",
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options):
        prefixes = tuple(p.strip() for p in options["categories"].split(",") if p.strip())
        units = self.read_units(options["units"], prefixes)
        self.stdout.write(f"{len(units)} unités légales retenues (catégories {', '.join(prefixes)}…).")
        counts, rejected = self.read_establishments(options["establishments"], units, options["batch_size"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['imported']} établissements importés, {counts['updated']} mis à jour, "
                f"{counts['unchanged']} inchangés, {sum(rejected.values())} rejetés, "
                f"{counts['skipped']} hors champ (autres catégories)."
            )
        )
        for reason, count in rejected.most_common():
            self.stdout.write(f"  rejetés — {reason} : {count}")

    def read_units(self, path, prefixes):
        units = {}
        with _open(path) as handle:
            for row in _reader(handle, UNIT_COLUMNS, path):
                category = _value(row, "categorieJuridiqueUniteLegale")
                if not category.startswith(prefixes):
                    continue
                name = _value(row, "denominationUniteLegale") or _value(row, "denominationUsuelle1UniteLegale")
                units[_value(row, "siren")] = (name, category)
        return units

    def read_establishments(self, path, units, batch_size):
        counts = Counter(imported=0, updated=0, unchanged=0, skipped=0)
        rejected = Counter()
        batch = []
        with _open(path) as handle:
            for row in _reader(handle, ESTABLISHMENT_COLUMNS, path):
                unit = units.get(_value(row, "siren"))
                if unit is None:
                    counts["skipped"] += 1
                    continue
                entry, reason = self.build_entry(row, unit)
                if reason:
                    rejected[reason] += 1
                    continue
                batch.append(entry)
                if len(batch) >= batch_size:
                    counts.update(directory_upsert(entries=batch))
                    batch = []
        counts.update(directory_upsert(entries=batch))
        return counts, rejected

    def build_entry(self, row, unit):
        unit_name, category = unit
        siret = _value(row, "siret")
        try:
            validate_siret(siret)
        except ValidationError:
            return None, "SIRET invalide"
        if _value(row, "etatAdministratifEtablissement") != "A":
            return None, "établissement fermé"
        own_name = _value(row, "denominationUsuelleEtablissement") or _value(row, "enseigne1Etablissement")
        name = unit_name or own_name
        if not name:
            return None, "nom non diffusé"
        if own_name and unit_name and own_name != unit_name:
            name = f"{unit_name} - {own_name}"
        street_type = _value(row, "typeVoieEtablissement")
        street = " ".join(
            p for p in (STREET_TYPES.get(street_type, street_type), _value(row, "libelleVoieEtablissement")) if p
        )
        entry = DirectoryEntry(
            siret=siret,
            siren=siret[:9],
            name=name[:255],
            ape_code=_value(row, "activitePrincipaleEtablissement")[:6],
            legal_category=category[:4],
            is_head_office=_value(row, "etablissementSiege").lower() == "true",
            street_number=(_value(row, "numeroVoieEtablissement") + _value(row, "indiceRepetitionEtablissement"))[:20],
            street_name=street[:255],
            address_complement=_value(row, "complementAdresseEtablissement")[:255],
            postcode=_value(row, "codePostalEtablissement")[:5],
            city=_value(row, "libelleCommuneEtablissement")[:255],
            special_distribution=_value(row, "distributionSpecialeEtablissement")[:255],
            cedex_code=_value(row, "codeCedexEtablissement")[:9],
            cedex_label=_value(row, "libelleCedexEtablissement")[:255],
        )
        return entry, None
