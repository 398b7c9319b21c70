"""The seller's bank account and VAT number, checked with python-stdnum, and how they print:
groups of four joined by no-break spaces, so an IBAN never breaks across two lines."""

from django.core.exceptions import ValidationError
from stdnum import bic, iban
from stdnum.eu import vat
from stdnum.exceptions import ValidationError as StdnumError


def validate_iban(value):
    try:
        iban.validate(value)
    except StdnumError as error:
        message = "Cet IBAN n'est pas valide : vérifiez-le caractère par caractère."
        raise ValidationError(message, code="iban") from error


def validate_bic(value):
    try:
        bic.validate(value)
    except StdnumError as error:
        message = "Ce BIC n'est pas valide (8 ou 11 caractères, par exemple AGRIFRPP)."
        raise ValidationError(message, code="bic") from error


def validate_french_vat(value):
    try:
        number = vat.validate(value)
    except StdnumError as error:
        raise ValidationError("Ce numéro de TVA intracommunautaire n'est pas valide.", code="vat") from error
    if not number.startswith("FR"):
        raise ValidationError("Le numéro de TVA doit être français (FR…).", code="vat")


def compact_iban(value: str) -> str:
    return iban.compact(value)


def printed_iban(value: str) -> str:
    return iban.format(value).replace(" ", "\u00a0")
