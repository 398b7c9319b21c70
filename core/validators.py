"""Validators with messages a member understands: SIREN and SIRET (python-stdnum does the
maths), professional emails, APE codes, control characters."""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def _check(module, value, label, length):
    number = module.compact(value or "")
    try:
        module.validate(number)
    # InvalidLength is a subclass of InvalidFormat in python-stdnum: test it first.
    except stdnum_errors.InvalidLength:
        raise ValidationError(f"Le {label} compte {length} chiffres ({len(number)} saisis).", code="length")
    except stdnum_errors.InvalidFormat:
        raise ValidationError(f"Le {label} ne doit contenir que des chiffres.", code="format")
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(f"Ce {label} n'existe pas : vérifiez les chiffres saisis.", code="checksum")
    return number


def validate_siren(value):
    return _check(stdnum_siren, value, "SIREN", 9)


def validate_siret(value):
    return _check(stdnum_siret, value, "SIRET", 14)


def _personal_domain(domain):
    """True when `domain` is a personal webmail (settings.PERSONAL_EMAIL_DOMAINS).

    An entry with a dot ("orange.fr") matches that domain and its subdomains; an entry
    without one ("gmail") matches the brand under any suffix (gmail.com, yahoo.co.uk…).
    """
    domain = domain.lower().strip().rstrip(".")
    labels = domain.split(".")
    for entry in settings.PERSONAL_EMAIL_DOMAINS:
        entry = entry.lower()
        if "." in entry:
            if domain == entry or domain.endswith("." + entry):
                return True
        elif entry in labels[:-1]:
            return True
    return False


def validate_professional_email(value):
    domain = (value or "").rpartition("@")[2]
    if domain and _personal_domain(domain):
        raise ValidationError(
            "Seules les adresses e-mail professionnelles sont acceptées : utilisez l'adresse "
            "de votre établissement, pas une messagerie personnelle (%(domain)s).",
            code="personal_email",
            params={"domain": domain},
        )


def validate_ape_code(value):
    """Normalises an APE/NAF code to 84.11Z; refuses what cannot be one."""
    compact = re.sub(r"[\s.]", "", value or "").upper()
    if not compact:
        return ""
    if not re.fullmatch(r"\d{4}[A-Z]", compact):
        raise ValidationError("Le code APE s'écrit 4 chiffres et une lettre, par exemple 84.11Z.", code="ape")
    return f"{compact[:2]}.{compact[2:]}"


# Control characters ----------------------------------------------------------------------

CONTROL_MESSAGE = (
    "Ce champ contient un caractère invisible non autorisé (caractère de contrôle, souvent venu "
    "d'un copier-coller) : retirez-le."
)
# What a multi-line field may hold besides text: a tab, the line breaks.
MULTI_LINE_CONTROLS = "\t\n\r\x85"


def control_characters(value: str, allowed: str = "") -> list[str]:
    """The control characters (Unicode category Cc) of `value` other than `allowed`."""
    return [char for char in value if unicodedata.category(char) == "Cc" and char not in allowed]


@deconstructible
class NoControlCharacters:
    """Refuses control characters (\\x00–\\x1f, \\x7f–\\x9f) but `allowed`: they break
    spreadsheets (openpyxl refuses them), PostgreSQL (NUL) and emails, and no one types them."""

    def __init__(self, allowed: str = ""):
        self.allowed = allowed

    def __call__(self, value):
        if isinstance(value, str) and control_characters(value, self.allowed):
            raise ValidationError(CONTROL_MESSAGE, code="control_character")

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and other.allowed == self.allowed


# Dates -----------------------------------------------------------------------------------

FIRST_PLAUSIBLE_YEAR = 1900


def validate_plausible_date(value):
    """A date the portal can compute with: computing a month before 01/01/0001, or turning
    it into UTC, leaves the calendar (a 500)."""
    if value is not None and value.year < FIRST_PLAUSIBLE_YEAR:
        raise ValidationError(
            "Cette date n'est pas plausible : indiquez une date postérieure à 1900.", code="implausible_date"
        )
