from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from . import limits


class PasswordResetView(auth_views.PasswordResetView):
    """ "Mot de passe oublié ?", limited per client address (told on screen, whatever the
    address) and per address (silently: the answer page is the same)."""

    def form_valid(self, form):
        if not limits.client_allowed(self.request, "password-reset"):
            form.add_error(None, limits.TOO_MANY)
            return self.form_invalid(form)
        if not limits.address_allowed(form.cleaned_data["email"]):
            return redirect(self.get_success_url())
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """Django's, then where a `user_logged_out` receiver asked (`request.logout_redirect_url`):
    ProConnect's end of session for an agent who signed in with it."""

    def get_success_url(self):
        return getattr(self.request, "logout_redirect_url", None) or super().get_success_url()
