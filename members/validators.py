"""SIREN and SIRET checks with messages a member understands (python-stdnum does the maths)."""

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def _check(module, value, label, length):
    number = module.compact(value or "")
    try:
        module.validate(number)
    except stdnum_errors.InvalidFormat:
        raise ValidationError(f"Le {label} ne doit contenir que des chiffres.", code="format")
    except stdnum_errors.InvalidLength:
        raise ValidationError(f"Le {label} compte {length} chiffres ({len(number)} saisis).", code="length")
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(f"Ce {label} n'existe pas : vérifiez les chiffres saisis.", code="checksum")
    return number


def validate_siren(value):
    return _check(stdnum_siren, value, "SIREN", 9)


def validate_siret(value):
    return _check(stdnum_siret, value, "SIRET", 14)
