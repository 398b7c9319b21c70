from django import forms
from django.contrib.auth import password_validation

from core.forms import BaseForm
from core.validators import validate_professional_email
from members.models import User

PHONE_REGEX = r"^\+?[\d\s.\-()]{10,20}$"
PHONE_ERROR = "Saisissez un numéro de téléphone, par exemple 04 72 00 00 00."


class PersonalFieldsMixin(forms.Form):
    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    function = forms.CharField(
        label="Fonction", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "organization-title"})
    )
    email = forms.EmailField(
        label="Email",
        help_text="Adresse professionnelle uniquement (pas de messagerie personnelle).",
        validators=[validate_professional_email],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    establishment_phone = forms.RegexField(
        label="Téléphone établissement",
        regex=PHONE_REGEX,
        error_messages={"invalid": PHONE_ERROR},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    professional_phone = forms.RegexField(
        label="Téléphone professionnel",
        regex=PHONE_REGEX,
        required=False,
        error_messages={"invalid": PHONE_ERROR},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PersonalInfoForm(PersonalFieldsMixin, BaseForm):
    """Step 2 of the registration."""

    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        help_text="Au moins 10 caractères, ni trop courant, ni uniquement des chiffres, ni proche de votre nom.",
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-password-strength": "password-strength"}
        ),
    )
    password2 = forms.CharField(
        label="Confirmer le mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    KEPT_FIELDS = ("first_name", "last_name", "function", "email", "establishment_phone", "professional_phone")

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                forms.ValidationError("Les deux mots de passe ne sont pas identiques.", code="password_mismatch"),
            )
        elif password1:
            user = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def typed_values(self):
        """What the member typed, passwords excepted (never kept in the session)."""
        return {name: self.data.get(self.add_prefix(name), "") for name in self.KEPT_FIELDS}
