from django import forms

from core.forms import AccessibleFormMixin, BaseForm
from core.validators import validate_ape_code, validate_siren, validate_siret
from directory.models import ADDRESS_FIELDS
from members.models import Establishment


class EstablishmentSearchForm(BaseForm):
    q = forms.CharField(
        label="Saisissez le nom, ville, code postal ou SIRET de l'établissement",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )


class EstablishmentForm(AccessibleFormMixin, forms.ModelForm):
    """Regulatory information and address of an establishment, as the member types it.

    The model's rules apply (SIRET starting with the SIREN…), but not its uniqueness: a
    SIRET already registered names the establishment to join.
    """

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
    postcode = forms.RegexField(
        label="Code postal",
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": "Le code postal compte 5 chiffres."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    class Meta:
        model = Establishment
        fields = Establishment.CHANGEABLE_FIELDS
        widgets = {"billing_address": forms.Textarea(attrs={"rows": 3})}

    def clean_siren(self):
        return validate_siren(self.cleaned_data["siren"])

    def clean_siret(self):
        return validate_siret(self.cleaned_data["siret"])

    def clean_ape_code(self):
        return validate_ape_code(self.cleaned_data["ape_code"])

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def validate_unique(self):
        pass

    def regulatory_fields(self):
        return [self[name] for name in Establishment.REGULATORY_FIELDS]

    def address_fields(self):
        return [self[name] for name in (*ADDRESS_FIELDS, "billing_address")]
