"""The project's form base: accessible errors, and services' errors shown where they belong."""

from django import forms
from django.core.exceptions import ValidationError

from .decisions import MISSING_REASON
from .validators import MULTI_LINE_CONTROLS, NoControlCharacters

LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
LINE_BREAK_MESSAGE = "Ce champ tient sur une seule ligne : retirez les retours à la ligne."


def validate_single_line(value):
    """A one-line field (a name, a phone number…) holds no line break: it ends up in email
    headers, file names and spreadsheets, where a line break breaks or forges something."""
    if isinstance(value, str) and any(char in LINE_BREAKS for char in value):
        raise ValidationError(LINE_BREAK_MESSAGE, code="line_break")


def is_single_line(field):
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea)


def is_typed_text(field):
    """A text field a person types into (not a password: whatever it holds is only hashed)."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


# A one-line field's line breaks have their own message (validate_single_line).
SINGLE_LINE_TEXT = NoControlCharacters(allowed=LINE_BREAKS)
MULTI_LINE_TEXT = NoControlCharacters(allowed=MULTI_LINE_CONTROLS)


class AccessibleFormMixin:
    """Ties each field in error to its message (aria-invalid, aria-describedby) and puts the
    focus on the first one, so a screen-reader or keyboard user lands where to correct
    (RGAA 11.10, 11.11). templates/includes/form.html renders the ids used here.

    Every text field not drawn as a textarea refuses line breaks (`validate_single_line`);
    every text field refuses control characters but a textarea's line breaks and tabs
    (`core.validators.NoControlCharacters`): what a stranger types ends in spreadsheets,
    emails and PostgreSQL, which each break on one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # each form instance has its own copies
            if not is_typed_text(field):
                continue
            single = is_single_line(field)
            for validator in (validate_single_line, SINGLE_LINE_TEXT) if single else (MULTI_LINE_TEXT,):
                if validator not in field.validators:
                    field.validators.append(validator)

    def full_clean(self):
        super().full_clean()
        in_error = [name for name in self.errors if name in self.fields]
        if not in_error:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        for name in in_error:
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.insert(0, f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})
        self.fields[in_error[0]].widget.attrs["autofocus"] = True


class BaseForm(AccessibleFormMixin, forms.Form):
    """The project's base form: accessible errors; subclasses add fields only."""


def add_service_error(form, error: ValidationError) -> None:
    """A service refused the form's data: its messages go next to the fields they name,
    the others above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DecisionForm(BaseForm):
    """Staff approve or reject a queue item; a rejection says why (the requester reads it)."""

    APPROVE = "approve"
    REJECT = "reject"
    missing_reason = MISSING_REASON  # the service's own words, worded again by some queues

    decision = forms.ChoiceField(
        label="Décision", choices=[(APPROVE, "Valider"), (REJECT, "Refuser")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Motif",
        required=False,
        help_text="Obligatoire pour un refus : il est envoyé par e-mail au demandeur.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", self.missing_reason)
        return cleaned

    @property
    def approve(self):
        return self.cleaned_data["decision"] == self.APPROVE


# GET parameters --------------------------------------------------------------------------


class ParamsForm(forms.Form):
    """Reads a page's GET parameters before anything reaches the database.

    A value that does not validate (a NUL byte, an unknown choice, a number out of range)
    is dropped for its field's `initial`: a crafted URL shows the default page, never an
    error. `values()` gives every field's value.
    """

    def values(self):
        self.is_valid()
        return {
            name: self.cleaned_data[name] if name in self.cleaned_data else field.initial
            for name, field in self.fields.items()
        }


class TruncatedCharField(forms.CharField):
    """Search words: cut at max_length rather than refused; NUL bytes are refused."""

    def __init__(self, *, length, **kwargs):
        self.length = length
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value)[: self.length].strip()


class ListField(forms.Field):
    """A repeated parameter (?theme=a&theme=b): the values `item` accepts, the others dropped."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, item, max_items=100, **kwargs):
        self.item = item
        self.max_items = max_items
        kwargs.setdefault("initial", ())
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        kept = []
        for raw in (value or [])[: self.max_items]:
            try:
                cleaned = self.item.clean(raw)
            except ValidationError:
                continue
            if cleaned not in kept:
                kept.append(cleaned)
        return kept


# The largest id a database key holds (a signed 64-bit integer): past it, SQLite overflows.
MAX_ID = 2**63 - 1


class IdListField(ListField):
    """Repeated ids (?ligne=12&ligne=15): positive integers a key can hold, the others dropped."""

    def __init__(self, *, max_items=100, **kwargs):
        super().__init__(item=forms.IntegerField(min_value=1, max_value=MAX_ID), max_items=max_items, **kwargs)
