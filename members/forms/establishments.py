from django import forms
from django.core.exceptions import ValidationError

from members.validators import validate_ape_code, validate_siren, validate_siret

from .base import BaseForm


class EstablishmentSearchForm(BaseForm):
    q = forms.CharField(
        label="Saisissez le nom, ville, code postal ou SIRET de l'établissement",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )


class EstablishmentForm(BaseForm):
    """Regulatory information and address of an establishment, as the member types it."""

    name = forms.CharField(label="Nom de l'établissement", max_length=255)
    siren = forms.CharField(
        label="SIREN", max_length=20, help_text="9 chiffres", widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    siret = forms.CharField(
        label="SIRET",
        max_length=30,
        help_text="14 chiffres : le SIREN suivi de 5 chiffres",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    ape_code = forms.CharField(label="Code APE", max_length=10, required=False, help_text="Par exemple 84.11Z")
    chorus_code = forms.CharField(label="Code Chorus", max_length=50, required=False)
    street_number = forms.CharField(label="Numéro de voie", max_length=20, required=False)
    street_name = forms.CharField(label="Libellé voie", max_length=255, required=False)
    address_complement = forms.CharField(label="Complément d'adresse", max_length=255, required=False)
    postcode = forms.RegexField(
        label="Code postal",
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": "Le code postal compte 5 chiffres."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    city = forms.CharField(label="Commune", max_length=255, required=False)
    special_distribution = forms.CharField(label="Distribution spéciale", max_length=255, required=False)
    cedex_code = forms.CharField(label="Code Cedex", max_length=9, required=False)
    cedex_label = forms.CharField(label="Libellé Cedex", max_length=255, required=False)
    billing_address = forms.CharField(
        label="Adresse de facturation", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    REGULATORY_FIELDS = ("name", "siren", "siret", "ape_code", "chorus_code")

    def clean_siren(self):
        return validate_siren(self.cleaned_data["siren"])

    def clean_siret(self):
        return validate_siret(self.cleaned_data["siret"])

    def clean_ape_code(self):
        return validate_ape_code(self.cleaned_data["ape_code"])

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        siren, siret = cleaned.get("siren"), cleaned.get("siret")
        if siren and siret and not siret.startswith(siren):
            self.add_error(
                "siret",
                ValidationError(
                    "Le SIRET doit commencer par le SIREN (ses 9 premiers chiffres).", code="siren_mismatch"
                ),
            )
        return cleaned

    def regulatory_fields(self):
        return [self[name] for name in self.REGULATORY_FIELDS]

    def address_fields(self):
        return [self[name] for name in self.fields if name not in self.REGULATORY_FIELDS]
