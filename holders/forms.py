from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.validators import MaxLengthValidator

from core.forms import AccessibleFormMixin, BaseForm

from .models import Report
from .reports import FORM_FIELDS


class AcceptForm(BaseForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        elif first:
            from django.contrib.auth import get_user_model

            probe = get_user_model()(email=self.email, first_name=cleaned.get("first_name", ""))
            try:
                validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ReportForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = FORM_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in FORM_FIELDS if name != "volume"}
        help_texts = {
            "volume": "En euros hors taxes, par exemple 125000,50.",
            "gap_explanation": "Seulement si le total du détail des ventes s'écarte du volume déclaré.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volume"].min_value = 0
        self.fields["volume"].widget.attrs.update({"min": "0", "step": "0.01"})
        self.fields["volume"].validators.append(_non_negative)
        for name in FORM_FIELDS:
            if name != "volume":
                self.fields[name].validators.append(MaxLengthValidator(10_000))
                self.fields[name].widget.attrs["maxlength"] = 10_000


def _non_negative(value):
    if value is not None and value < 0:
        raise forms.ValidationError("Le volume ne peut pas être négatif.")


class SalesUploadForm(BaseForm):
    file = forms.FileField(
        label="Détail des ventes (.xlsx)",
        help_text="Le modèle complété : 2 Mo au plus. Il remplace le détail déposé avant.",
    )


class AttachmentForm(BaseForm):
    file = forms.FileField(label="Pièce jointe (PDF ou .xlsx)", help_text="10 Mo au plus, 10 pièces par rapport.")
