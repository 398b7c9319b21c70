from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.views.generic import FormView, RedirectView, TemplateView

from core.forms import add_service_error
from members.forms import AccountChangeForm
from members.forms.auth import PasswordChangeForm
from members.models import PendingChange, User
from members.selectors import pending_change_for
from members.services import account_change_request

CHANGE_SENT_MESSAGE = "Vos modifications ont été transmises : elles seront appliquées après validation par la CANUT."


class MemberHomeView(LoginRequiredMixin, RedirectView):
    """/compte/: the member's home is the dashboard."""

    pattern_name = "subscriptions:dashboard"


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "members/account.html"

    def get_context_data(self, **kwargs):
        change = pending_change_for(user=self.request.user, kind=PendingChange.Kind.ACCOUNT)
        return {**super().get_context_data(**kwargs), "pending_change": change}


class PasswordChangeView(auth_views.PasswordChangeView):
    """ "Changer mon mot de passe": the session stays open (Django updates its hash)."""

    template_name = "members/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("members:account")

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été changé.")
        return super().form_valid(form)


class AccountEditView(LoginRequiredMixin, FormView):
    template_name = "members/account_edit.html"
    form_class = AccountChangeForm
    success_url = reverse_lazy("members:account")

    def get_initial(self):
        user = self.request.user
        initial = {name: getattr(user, name) for name in User.CHANGEABLE_FIELDS}
        change = pending_change_for(user=user, kind=PendingChange.Kind.ACCOUNT)
        return {**initial, **(change.data if change else {})}

    def form_valid(self, form):
        try:
            change = account_change_request(user=self.request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, CHANGE_SENT_MESSAGE if change else "Aucune modification à transmettre.")
        return super().form_valid(form)
