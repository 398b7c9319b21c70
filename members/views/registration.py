from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView, TemplateView

from core.forms import add_service_error
from members.forms import EstablishmentForm, PersonalInfoForm
from members.services import EmailAlreadyRegistered, user_register, user_registration_duplicate_notify

from . import limits
from .search import EstablishmentSearchMixin

SESSION_KEY = "members.registration"
DONE_KEY = "members.registration_done"


def _registration(request):
    return request.session.get(SESSION_KEY, {})


def _store(request, **parts):
    request.session[SESSION_KEY] = {**_registration(request), **parts}


class AnonymousOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("members:establishments")
        return super().dispatch(request, *args, **kwargs)


class RegistrationEstablishmentView(AnonymousOnlyMixin, EstablishmentSearchMixin, FormView):
    """Step 1, "Informations sur l'établissement"."""

    template_name = "members/registration_establishment.html"
    form_class = EstablishmentForm
    success_url = reverse_lazy("members:register_personal")

    def get_initial(self):
        return {**_registration(self.request).get("establishment", {}), **self.search_initial()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.search_context(), "step": 1}

    def form_valid(self, form):
        _store(self.request, establishment=form.cleaned_data)
        return super().form_valid(form)


class RegistrationPersonalView(AnonymousOnlyMixin, FormView):
    """Step 2, "Informations personnelles"; "< Étape précédente" keeps what was typed."""

    template_name = "members/registration_personal.html"
    form_class = PersonalInfoForm
    success_url = reverse_lazy("members:register_done")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        if "establishment" not in _registration(request):
            if request.method == "POST" and request.session.get(DONE_KEY):
                return redirect(self.success_url)  # a second "Soumettre" of a finished registration
            return redirect("members:register")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return _registration(self.request).get("personal", {})

    def get_context_data(self, **kwargs):
        establishment = _registration(self.request).get("establishment", {})
        return {**super().get_context_data(**kwargs), "step": 2, "establishment": establishment}

    def post(self, request, *args, **kwargs):
        if "previous" in request.POST:
            _store(request, personal=self.get_form().typed_values())
            return redirect("members:register")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        if not limits.client_allowed(self.request, "register"):
            form.add_error(None, limits.TOO_MANY)
            return self.form_invalid(form)
        try:
            user_register(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                function=data["function"],
                establishment_phone=data["establishment_phone"],
                professional_phone=data["professional_phone"],
                establishment=_registration(self.request)["establishment"],
            )
        except EmailAlreadyRegistered:
            if not self._same_submission(data) and limits.address_allowed(data["email"]):
                user_registration_duplicate_notify(email=data["email"])
            return self._done()
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return self._done()

    def _same_submission(self, data):
        """A double "Soumettre" racing the first: same email, same password, still pending.
        Either way the answer is the thanks page; only the email sent differs. One password
        hash is computed either way, as a new account costs one: the time taken does not
        tell whether the address has an account."""
        user = get_user_model().objects.filter(email__iexact=data["email"]).first()
        if user and user.status == user.Status.PENDING:
            return user.check_password(data["password1"])
        make_password(data["password1"])
        return False

    def _done(self):
        self.request.session.pop(SESSION_KEY, None)
        self.request.session[DONE_KEY] = True
        return redirect(self.success_url)


class RegistrationDoneView(TemplateView):
    template_name = "members/registration_done.html"
