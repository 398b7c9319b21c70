from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from core.forms import BaseForm
from core.validators import validate_plausible_date

from .fees import validate_bands
from .models import FeeBand, Invoice, InvoiceKind

YEAR_INVOICED = (
    "Des factures ont déjà été émises pour {year} : ce barème ne peut plus changer. Corrigez une facture par un avoir."
)
BAND_FIELDS = ("basis", "low", "high", "amount", "non_member_amount")


class FeeScheduleForm(WagtailAdminModelForm):
    """The schedule with its bands, checked as a whole: no overlap, no gap, one default
    band, and never a change once the year has invoices."""

    def clean(self):
        cleaned = super().clean()
        years = {self.instance.year} if self.instance.pk else set()
        if cleaned.get("year"):
            years.add(cleaned["year"])
        for year in sorted(y for y in years if y and self.instance.pk):
            if Invoice.objects.filter(fee_year=year).exists():
                raise ValidationError(YEAR_INVOICED.format(year=year), code="year_invoiced")
        formset = self.formsets.get("bands")
        if formset is not None and formset.is_valid():
            bands = [
                FeeBand(**{name: form.cleaned_data.get(name) for name in BAND_FIELDS})
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            for error in validate_bands(bands):
                self.add_error(None, error)
        return cleaned


class RunForm(forms.Form):
    kind = forms.ChoiceField(
        label="Campagne",
        choices=[
            (InvoiceKind.FIRST, "Premières factures (au prorata, le mois qui suit la finalisation)"),
            (InvoiceKind.YEARLY, "Factures annuelles (premier trimestre, souscriptions des années précédentes)"),
        ],
        widget=forms.RadioSelect,
        initial=InvoiceKind.FIRST,
    )
    today = forms.DateField(label="Date d'émission", widget=AdminDateInput, validators=[validate_plausible_date])


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(label="Payée le", widget=AdminDateInput, validators=[validate_plausible_date])


class CreditNoteForm(forms.Form):
    amount_excl_vat = forms.DecimalField(label="Montant HT crédité (€)", max_digits=12, decimal_places=2, min_value=0)
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))


REFERENCE_CHARACTERS = RegexValidator(
    r"^[0-9A-Za-z _./-]*$", "Lettres sans accent, chiffres, espaces et « - _ . / » seulement."
)


class BuyerReferenceForm(BaseForm):
    service_code = forms.CharField(
        label="Code service Chorus Pro",
        max_length=100,
        required=False,
        validators=[REFERENCE_CHARACTERS],
        help_text="Le service destinataire de vos factures sur Chorus Pro, s'il en exige un.",
    )
    engagement_number = forms.CharField(
        label="Numéro d'engagement juridique",
        max_length=50,
        required=False,
        validators=[REFERENCE_CHARACTERS],
        help_text="Le numéro de bon de commande ou d'engagement que votre comptable attend sur la facture.",
    )


class BankStatementForm(forms.Form):
    statement = forms.FileField(
        label="Relevé bancaire (.csv)",
        help_text="Colonnes « Référence » et « Montant », « Date » si possible ; 2 Mo au plus.",
    )
    paid_on = forms.DateField(
        label="Date de paiement par défaut",
        widget=AdminDateInput,
        validators=[validate_plausible_date],
        help_text="Pour les lignes sans date.",
    )
