from django import forms
from django.contrib.auth import forms as auth_forms

from core.emails import email_send
from core.forms import AccessibleFormMixin
from members.models import User

PENDING_MESSAGE = (
    "Votre compte est en attente de validation par les équipes de la CANUT (sous 3 heures "
    "ouvrées). Vous recevrez un e-mail dès qu'il sera activé : vous pourrez alors vous connecter."
)
REJECTED_MESSAGE = (
    "Votre demande de compte n'a pas été acceptée ; l'e-mail que nous vous avons envoyé en "
    "donne la raison. Pour toute question, écrivez-nous à canut@canut.org."
)


class LoginForm(AccessibleFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def confirm_login_allowed(self, user):
        # Reached only with the right password: nobody learns an account's state without it.
        super().confirm_login_allowed(user)
        if user.status == User.Status.PENDING and not user.is_staff:
            raise forms.ValidationError(PENDING_MESSAGE, code="pending")
        if user.status == User.Status.REJECTED:
            raise forms.ValidationError(REJECTED_MESSAGE, code="rejected")


class PasswordResetForm(AccessibleFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        # Through the one email path like every other email, links from PORTAL_BASE_URL
        # (never from the request's Host); the answer page is the same whether the address
        # exists or not.
        context = {"email": context["email"], "uid": context["uid"], "token": context["token"]}
        email_send(to=[to_email], template="members/emails/password_reset", context=context)


class SetPasswordForm(AccessibleFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(AccessibleFormMixin, auth_forms.PasswordChangeForm):
    pass
