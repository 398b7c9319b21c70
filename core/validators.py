"""SIREN and SIRET checks with messages a member understands (python-stdnum does the maths)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
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
