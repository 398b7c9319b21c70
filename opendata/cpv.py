"""The CPV 2008 nomenclature (common procurement vocabulary), 9,454 codes with their French labels.

Source: Commission Regulation (EC) No 213/2008, annex I, as the EU publishes it in
`cpv_2008_ver_2013.xlsx` (Publications Office / SIMAP; reuse is free with the source
acknowledged, Commission Decision 2011/833/EU). The French column of that workbook is kept
byte for byte, gzipped, in opendata/data/cpv_2008_ver_2013_fr.csv.gz ("CODE,FR", codes with
their check digit), taken from the public repository RonanB400/decp_ml
(docs/cpv_2008_ver_2013_FR.csv, commit a9518b5); opendata/data/README.md gives its checksum.

Codes are stored as their eight digits, without the check digit, as the DECP schema prefers.
"""

import csv
import gzip
import re
from functools import cache
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from core.text import fold

CSV_PATH = Path(__file__).parent / "data" / "cpv_2008_ver_2013_fr.csv.gz"
CODE_COUNT = 9454
MAX_RESULTS = 20
_TYPED = re.compile(r"^(\d{8})(?:-(\d))?$")


@cache
def _nomenclature() -> tuple[dict[str, str], dict[str, str]]:
    """({eight digits: French label}, {eight digits: check digit})."""
    labels, checks = {}, {}
    with gzip.open(CSV_PATH, "rt", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            code, check = row["CODE"].split("-")
            labels[code], checks[code] = row["FR"], check
    return labels, checks


def cpv_labels() -> dict[str, str]:
    return _nomenclature()[0]


@cache
def _folded() -> list[tuple[str, str, str]]:
    return [(code, label, fold(label)) for code, label in cpv_labels().items()]


def normalize_cpv(value) -> str:
    """ "30200000-1" or " 30200000 " as typed → "30200000"; anything else is returned as it came
    (stripped), for the validator to refuse."""
    value = (value or "").strip()
    match = _TYPED.match(value)
    if match and (match[2] is None or _nomenclature()[1].get(match[1]) == match[2]):
        return match[1]
    return value


def validate_cpv(value):
    if value and value not in cpv_labels():
        raise ValidationError(
            "Code CPV inconnu de la nomenclature CPV 2008 : 8 chiffres, par exemple 30200000 "
            "(Matériel et fournitures informatiques)."
        )


def cpv_search(query: str, limit: int = MAX_RESULTS) -> list[tuple[str, str]]:
    """Codes starting with the digits typed, or whose label holds every word typed (folded)."""
    query = (query or "")[:100].strip()
    if not query:
        return []
    digits = query.replace("-", "")
    if digits.isdigit():
        return [(code, label) for code, label in cpv_labels().items() if code.startswith(digits[:8])][:limit]
    words = fold(query).split()
    if not words:
        return []
    found = [
        (not folded.startswith(words[0]), len(code.rstrip("0")), code, label)
        for code, label, folded in _folded()
        if all(word in folded for word in words)
    ]
    # Labels opening with the first word first, then the broader codes (fewer significant digits).
    return [(code, label) for *_, code, label in sorted(found)[:limit]]


class CpvInput(forms.TextInput):
    """A text box for the code, its label shown under it; static/js/cpv-input.js suggests codes
    as you type from the admin's search view, so no page carries the 9,454 codes."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "search", "autocomplete": "off", "size": 12, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        # Drawn here rather than from a template: Django's form renderer reads only the apps' templates.
        attrs = {**(attrs or {}), "data-cpv-url": reverse("opendata_cpv_search")}
        box = super().render(name, value, attrs, renderer)
        field_id = attrs.get("id") or f"id_{name}"
        return format_html(
            '<div class="cpv-input">{}<datalist id="{}-cpv-list"></datalist>'
            '<p class="help cpv-input__label" id="{}-cpv-label" aria-live="polite">{}</p></div>',
            box,
            field_id,
            field_id,
            cpv_labels().get(normalize_cpv(value), ""),
        )

    class Media:
        js = ["js/cpv-input.js"]


class CpvFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs["max_length"] = None  # "30200000-1" as typed is longer than what is stored
        kwargs.setdefault("widget", CpvInput)
        super().__init__(**kwargs)
        self.validators.append(validate_cpv)  # one message, before the model's length check

    def to_python(self, value):
        return normalize_cpv(super().to_python(value))


class CpvCodeField(models.CharField):
    """A CPV 2008 code (eight digits), refused when the nomenclature does not hold it."""

    default_validators = [validate_cpv]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 8)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CpvFormField, **kwargs})
