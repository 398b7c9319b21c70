from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from simulations.numbers import MAX_AMOUNT, MAX_QUANTITY, format_number, parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", "3"),
        ("12,5", "12.5"),
        ("1 000", "1000"),
        ("1\u202f000", "1000"),
        ("1\u00a0000,25", "1000.25"),
        ("1.000,5", "1000.5"),
        ("12.5", "12.5"),
        (" 7 ", "7"),
    ],
)
def test_french_formats_are_read(text, expected):
    assert parse_decimal(text, maximum=MAX_QUANTITY, allow_zero=False) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "La quantité doit être supérieure à zéro."),
        ("0,00", "La quantité doit être supérieure à zéro."),
        ("-3", "La quantité ne peut pas être négative."),
        ("10000001", "La quantité ne peut pas dépasser 1\u202f000\u202f000."),
        ("9" * 30, "La quantité est trop longue : 24 caractères au plus"),
        ("trois", "Saisissez un nombre, par exemple 3, 12,5 ou 1 000."),
        ("1e5", "Saisissez un nombre"),
        ("NaN", "Saisissez un nombre"),
        ("Infinity", "Saisissez un nombre"),
        ("1\x00", "Saisissez un nombre"),
        ("1,2,3", "Saisissez un nombre"),
        ("12,345", "La quantité a au plus deux décimales"),
    ],
)
def test_bad_quantities_get_a_clear_french_message(text, message):
    with pytest.raises(ValidationError) as raised:
        parse_decimal(text, maximum=MAX_QUANTITY, allow_zero=False)
    assert raised.value.messages[0].startswith(message)


def test_an_amount_agrees_in_the_masculine_and_may_be_zero():
    assert parse_decimal("0", maximum=MAX_AMOUNT, allow_zero=True, what="Le montant") == Decimal("0")
    with pytest.raises(ValidationError, match="Le montant ne peut pas être négatif."):
        parse_decimal("-1", maximum=MAX_AMOUNT, allow_zero=True, what="Le montant")


def test_numbers_are_written_back_as_a_french_buyer_types_them():
    assert [format_number(Decimal(v)) for v in ("3.00", "12.50", "1000.00", "1234567.25")] == [
        "3",
        "12,5",
        "1\u202f000",
        "1\u202f234\u202f567,25",
    ]
