from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import forms as auth_forms

from core.emails import email_send
from core.forms import AccessibleFormMixin
from members.models import User

PENDING_MESSAGE = (
    "Votre compte est en attente de validation par les équipes de la CANUT ({delay}). "
    "Vous recevrez un e-mail dès qu'il sera activé : vous pourrez alors vous connecter."
)
UNCONFIRMED_MESSAGE = (
    "Confirmez d'abord votre adresse e-mail en cliquant sur le lien que nous vous avons envoyé ; "
    "votre compte sera ensuite soumis à la validation de la CANUT. Lien perdu ou expiré ? "
    "Utilisez « Renvoyer le lien de confirmation » ci-dessous."
)
REJECTED_MESSAGE = (
    "Votre demande de compte n'a pas été acceptée ; l'e-mail que nous vous avons envoyé en "
    "donne la raison. Pour toute question, écrivez-nous à canut@canut.org."
)


class LoginForm(AccessibleFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    refusal = ""  # why a known account with the right password may not log in (yet)

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login" and (reason := self._refusal_reason()):
                # Not a mistake in the form: the page says it as news, not under "contient une erreur".
                self.refusal = reason
                raise forms.ValidationError(reason, code="refused") from None
            raise

    def _refusal_reason(self):
        """Why the backend (members.backends) refused an account, told only to whoever knows
        its password, and never past a lockout."""
        if getattr(self.request, "axes_locked_out", False):
            return None
        user = User.objects.filter(email__iexact=self.cleaned_data.get("username") or "").first()
        if user is None or not user.is_active or not user.check_password(self.cleaned_data.get("password") or ""):
            return None
        if user.status == User.Status.REJECTED:
            return REJECTED_MESSAGE
        if user.status == User.Status.PENDING:
            if not user.email_confirmed:
                return UNCONFIRMED_MESSAGE
            return PENDING_MESSAGE.format(delay=self._validation_delay())
        return None

    def _validation_delay(self):
        """The site settings' promise (home's model, named by the setting: members imports nothing above it)."""
        from wagtail.models import Site

        model = apps.get_model(settings.SITE_SETTINGS_MODEL)
        site = Site.find_for_request(self.request) if self.request is not None else None
        return model.for_site(site).validation_delay if site else model._meta.get_field("validation_delay").default


class PasswordResetForm(AccessibleFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        # Django's form mails every active account; only one that may log in gets a link.
        return (user for user in super().get_users(email) if user.may_authenticate)

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


class EmailForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class JoinObjectionForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label="Pourquoi vous opposez-vous à ce rattachement ?",
        max_length=2000,
        help_text="Par exemple : cette personne ne travaille pas dans notre établissement. La CANUT lit votre message.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PasswordChangeForm(AccessibleFormMixin, auth_forms.PasswordChangeForm):
    pass
