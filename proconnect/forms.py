from django import forms

from core.forms import BaseForm
from members.forms import EstablishmentForm
from members.forms.registration import PersonalFieldsMixin

_PERSONAL = PersonalFieldsMixin.base_fields


class ProConnectPersonalForm(BaseForm):
    """What ProConnect does not say: the agent's function and phones (the same fields and
    rules as the registration form)."""

    function = _PERSONAL["function"]
    establishment_phone = _PERSONAL["establishment_phone"]
    professional_phone = _PERSONAL["professional_phone"]


class ProConnectEstablishmentForm(EstablishmentForm):
    """The manual establishment form, when the directory does not know the `siret` claim."""


class LinkPasswordForm(BaseForm):
    password = forms.CharField(
        label="Mot de passe de votre compte",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
