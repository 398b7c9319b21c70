"""Quantities and amounts as a French buyer types them: "3", "12,5", "1 000", "1 234,50 €".

Read before anything else touches them: at most MAX_CHARS characters, digits and one decimal
separator only, two decimals at most, within bounds. Every refusal is a French sentence.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

MAX_CHARS = 24
MAX_QUANTITY = Decimal("1000000")
MAX_AMOUNT = Decimal("100000000")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
NUMBER = re.compile(r"\d+(\.\d+)?")
EXAMPLE = "par exemple 3, 12,5 ou 1 000"


def parse_decimal(text: str, *, maximum: Decimal, allow_zero: bool, what: str = "La quantité") -> Decimal:
    """The Decimal `text` writes, or ValidationError saying what is wrong with it.

    `what` names the value in the messages ("La quantité", "Le montant": the adjectives agree)."""
    e = "e" if what.startswith("La ") else ""
    negative, long = ("négative", "longue") if e else ("négatif", "long")
    text = str(text).strip()
    if len(text) > MAX_CHARS:
        raise ValidationError(f"{what} est trop {long} : {MAX_CHARS} caractères au plus ({EXAMPLE}).", code="long")
    text = SPACES.sub("", text).removesuffix("€")
    if text.startswith("-"):
        raise ValidationError(f"{what} ne peut pas être {negative}.", code="negative")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # 1.000,5: the dot groups thousands
    if not NUMBER.fullmatch(text):
        raise ValidationError(f"Saisissez un nombre, {EXAMPLE}.", code="invalid")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise ValidationError(f"Saisissez un nombre, {EXAMPLE}.", code="invalid") from None
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"{what} a au plus deux décimales (par exemple 12,5).", code="decimals")
    if value == 0 and not allow_zero:
        raise ValidationError(f"{what} doit être supérieur{e} à zéro.", code="zero")
    if value > maximum:
        limit = f"{maximum:,.0f}".replace(",", "\u202f")
        raise ValidationError(f"{what} ne peut pas dépasser {limit}.", code="huge")
    return value.quantize(Decimal("0.01"))


class FrenchDecimalField(forms.Field):
    """A text input read by `parse_decimal` (a number input would refuse "12,5" in some browsers)."""

    widget = forms.TextInput

    def __init__(self, *, maximum=MAX_QUANTITY, allow_zero=False, what="La quantité", **kwargs):
        self.maximum, self.allow_zero, self.what = maximum, allow_zero, what
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 10})

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        return parse_decimal(value, maximum=self.maximum, allow_zero=self.allow_zero, what=self.what)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value)
        return value


def format_number(value: Decimal) -> str:
    """12,5 — 1 000 — 3 (as a member types it back)."""
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return "\u202f".join(groups) + ("," + decimals if decimals else "")
