"""The CPV 2008 nomenclature (common procurement vocabulary), read once from the CSV kept in
the repository: opendata/data/cpv_2008_fr.csv (docs/features.md, "Données ouvertes", names its source)."""

import csv
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

CSV_PATH = Path(__file__).parent / "data" / "cpv_2008_fr.csv"


@cache
def cpv_labels() -> dict[str, str]:
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["label"] for row in csv.DictReader(f)}


def cpv_choices():
    return [(code, f"{code} — {label}") for code, label in sorted(cpv_labels().items())]


def validate_cpv(value):
    if value and value not in cpv_labels():
        raise ValidationError("Code CPV inconnu de la nomenclature CPV 2008 (8 chiffres, par exemple 72000000).")
