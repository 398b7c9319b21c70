from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView, TemplateView

from members import confirmation
from members.forms import EmailForm
from members.services import email_confirmation_resend, user_confirm_email

from . import limits

RESENT_MESSAGE = (
    "Si un compte attend la confirmation de cette adresse, un nouveau lien vient de lui être envoyé. "
    "Pensez à regarder dans vos courriers indésirables."
)


class EmailConfirmView(TemplateView):
    """The link emailed at registration: confirms the address once, then the account
    waits for staff."""

    template_name = "members/email_confirm.html"

    def get(self, request, token):
        try:
            user_confirm_email(token=token)
        except confirmation.LinkInvalid as error:
            used = isinstance(error, confirmation.LinkUsed)
            return self.render_to_response({"error": error.message, "used": used}, status=200 if used else 400)
        return self.render_to_response({"confirmed": True})


class EmailConfirmResendView(FormView):
    """ "Renvoyer le lien": the same answer whether or not the address waits for one."""

    template_name = "members/email_confirm_resend.html"
    form_class = EmailForm
    success_url = reverse_lazy("members:email_confirm_resend")

    def form_valid(self, form):
        if not limits.client_allowed(self.request, "resend"):
            form.add_error(None, limits.TOO_MANY)
            return self.form_invalid(form)
        email = form.cleaned_data["email"]
        if limits.address_allowed(email):
            email_confirmation_resend(email=email)
        messages.success(self.request, RESENT_MESSAGE)
        return redirect(self.success_url)
