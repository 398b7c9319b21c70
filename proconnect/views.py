"""The ProConnect sign-in: the button's start, the callback, the registration and the
account link that may follow it, and the return from ProConnect's sign-out.

Every failure after the start (forged or replayed state, refused code, a token that does
not check out) is a failed login django-axes counts for the client, and a locked-out
client is refused before anything reaches ProConnect.
"""

import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import authenticate, login, user_login_failed
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.models import Site

from core.forms import add_service_error
from core.validators import validate_professional_email
from members.forms.auth import PENDING_MESSAGE, REJECTED_MESSAGE
from members.services import EmailAlreadyRegistered
from members.views import limits

from . import client
from .forms import LinkPasswordForm, ProConnectEstablishmentForm, ProConnectPersonalForm
from .identity import Identity, identity_forget, identity_from_session, identity_store
from .models import ProConnectSettings
from .services import (
    account_for_identity,
    agent_register,
    callback_uri,
    establishment_for_siret,
    identity_link,
    link_by_token,
    link_email_send,
)

logger = logging.getLogger(__name__)

FLOW_KEY = "proconnect.flow"
ID_TOKEN_KEY = "proconnect.id_token"
LOGOUT_SALT = "proconnect.logout"
FAILED = (
    "La connexion avec ProConnect n'a pas abouti. Réessayez ; si le problème persiste, "
    "connectez-vous avec votre adresse e-mail et votre mot de passe."
)
UNAVAILABLE = (
    "ProConnect ne répond pas pour le moment : réessayez dans quelques minutes, "
    "ou connectez-vous avec votre mot de passe."
)
CANCELLED = "Vous avez annulé la connexion avec ProConnect."
PERSONAL_EMAIL = (
    "ProConnect nous a transmis l'adresse {email}, qui est une messagerie personnelle : le portail n'accepte que "
    "les adresses professionnelles. Demandez à votre employeur une adresse professionnelle, ou inscrivez-vous "
    "avec le formulaire."
)


class ConfiguredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not client.configured():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure()):
        return value
    return ""


def _fail(request, reason, *, email="", status=400, message=FAILED):
    logger.warning("ProConnect sign-in refused: %s", reason)
    user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
    if getattr(request, "axes_locked_out", False):
        return get_lockout_response(request, None, {"username": email})
    return render(request, "proconnect/failed.html", {"message": message}, status=status)


def _site_settings(request):
    site = Site.find_for_request(request)
    return ProConnectSettings.for_site(site) if site else ProConnectSettings()


class StartView(ConfiguredMixin, View):
    """ "S'identifier avec ProConnect": a form's POST (CSRF-checked), then off to ProConnect."""

    http_method_names = ["post"]

    def post(self, request):
        if not AxesProxyHandler.is_allowed(request):
            return get_lockout_response(request, None, None)
        try:
            url, flow = client.authorization(redirect_uri=callback_uri())
        except client.ProConnectError as error:
            logger.warning("ProConnect unavailable: %s", error.reason)
            messages.error(request, UNAVAILABLE)
            return redirect("members:login")
        flow["next"] = _safe_next(request, request.POST.get("next", ""))
        request.session[FLOW_KEY] = flow
        return HttpResponseRedirect(url)


class CallbackView(ConfiguredMixin, View):
    """ProConnect sends the agent back here with a code and the state."""

    def get(self, request):
        flow = request.session.pop(FLOW_KEY, None)  # one use: a replayed callback finds none
        state = request.GET.get("state", "")
        if not AxesProxyHandler.is_allowed(request):
            return get_lockout_response(request, None, None)
        if not isinstance(flow, dict) or not state or state != flow.get("state"):
            return _fail(request, "state")
        if request.GET.get("error"):
            messages.info(request, CANCELLED)
            return redirect("members:login")
        code = request.GET.get("code", "")
        if not code or len(code) > 512:
            return _fail(request, "code")
        try:
            claims, id_token = client.identity_fetch(code=code, flow=flow, redirect_uri=callback_uri())
            identity = Identity.from_claims(claims)
        except client.ProConnectError as error:
            return _fail(request, error.reason)
        except ValueError as error:
            return _fail(request, f"claim {error}")
        return self.signed_in(request, identity, id_token, flow.get("next", ""))

    def signed_in(self, request, identity, id_token, next_url):
        kind, user = account_for_identity(identity)
        if kind == "linked":
            return _login(request, identity, id_token, next_url)
        if kind == "unknown":
            try:
                validate_professional_email(identity.email)
            except ValidationError:
                return _fail(
                    request,
                    "personal email",
                    email=identity.email,
                    status=403,
                    message=PERSONAL_EMAIL.format(email=identity.email),
                )
        identity_store(request.session, identity)
        request.session[ID_TOKEN_KEY] = id_token
        return redirect("proconnect:link" if kind == "known" else "proconnect:register")


def _login(request, identity, id_token, next_url):
    user = authenticate(request, proconnect_sub=identity.sub)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            return get_lockout_response(request, None, {"username": identity.email})
        kind, known = account_for_identity(identity)
        message = (
            REJECTED_MESSAGE
            if known and known.status == known.Status.REJECTED
            else PENDING_MESSAGE.format(delay=_validation_delay(request))
        )
        return render(request, "proconnect/failed.html", {"message": message, "refused": True}, status=403)
    login(request, user, backend="proconnect.backends.ProConnectBackend")
    request.session[ID_TOKEN_KEY] = id_token  # for ProConnect's end of session at sign-out
    identity_forget(request.session)
    return redirect(next_url or reverse("subscriptions:dashboard"))


def _validation_delay(request):
    from django.apps import apps
    from django.conf import settings

    model = apps.get_model(settings.SITE_SETTINGS_MODEL)
    site = Site.find_for_request(request)
    return model.for_site(site).validation_delay if site else model._meta.get_field("validation_delay").default


class IdentityRequiredMixin(ConfiguredMixin):
    """Pages reached after the callback only, for the identity it verified."""

    expected = "unknown"

    def dispatch(self, request, *args, **kwargs):
        if not client.configured():
            raise Http404
        self.identity = identity_from_session(request.session)
        if self.identity is None:
            messages.info(request, "Votre connexion avec ProConnect a expiré : identifiez-vous à nouveau.")
            return redirect("members:login")
        kind, self.account = account_for_identity(self.identity)
        if kind != self.expected:
            identity_forget(request.session)
            return redirect("members:login")
        return super().dispatch(request, *args, **kwargs)


class RegisterView(IdentityRequiredMixin, TemplateView):
    """First sign-in of an unknown agent: what ProConnect said, prefilled; the agent confirms
    function and phones, and completes the establishment if the directory does not know it."""

    template_name = "proconnect/register.html"

    def forms(self, data=None):
        known = establishment_for_siret(self.identity.siret)
        personal = ProConnectPersonalForm(data=data, prefix="agent")
        establishment = None
        if known is None:
            initial = {"siret": self.identity.siret, "siren": self.identity.siret[:9]} if self.identity.siret else {}
            establishment = ProConnectEstablishmentForm(data=data, initial=initial, prefix="etablissement")
        return personal, establishment, known

    def get(self, request):
        personal, establishment, known = self.forms()
        return self.render_to_response(self.context(personal, establishment, known))

    def context(self, personal, establishment, known):
        return {"identity": self.identity, "form": personal, "establishment_form": establishment, "known": known}

    def post(self, request):
        personal, establishment_form, known = self.forms(request.POST)
        valid = personal.is_valid() & (establishment_form is None or establishment_form.is_valid())
        if valid and not limits.client_allowed(request, "register"):
            personal.add_error(None, limits.TOO_MANY)
            valid = False
        if not valid:
            return self.render_to_response(self.context(personal, establishment_form, known), status=400)
        data = personal.cleaned_data
        try:
            user, joined = agent_register(
                identity=self.identity,
                function=data["function"],
                establishment_phone=data["establishment_phone"],
                professional_phone=data["professional_phone"],
                establishment=known if establishment_form is None else establishment_form.cleaned_data,
                trust_siret=_site_settings(request).trust_siret,
            )
        except EmailAlreadyRegistered:
            return redirect("proconnect:link")
        except ValidationError as error:
            add_service_error(personal, error)
            return self.render_to_response(self.context(personal, establishment_form, known), status=400)
        identity_forget(request.session)
        request.session["proconnect.registered"] = {"joined": joined}
        return redirect("proconnect:registered")


class RegisteredView(TemplateView):
    template_name = "proconnect/registered.html"

    def get_context_data(self, **kwargs):
        done = self.request.session.get("proconnect.registered") or {}
        return {**super().get_context_data(**kwargs), "joined": done.get("joined", False)}


class LinkView(IdentityRequiredMixin, FormView):
    """An account has the address ProConnect gave: its owner proves it once (password, or a
    link emailed to that address), then ProConnect signs them in to it."""

    expected = "known"
    template_name = "proconnect/link.html"
    form_class = LinkPasswordForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "identity": self.identity}

    def post(self, request, *args, **kwargs):
        if "send_link" in request.POST:
            if limits.client_allowed(request, "proconnect-link") and limits.address_allowed(self.identity.email):
                link_email_send(user=self.account, identity=self.identity)
            messages.success(
                request,
                f"Un lien vient d'être envoyé à {self.identity.email}. Il est valable une heure ; "
                "pensez à regarder dans vos courriers indésirables.",
            )
            return redirect("proconnect:link")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        request = self.request
        user = authenticate(request, username=self.identity.email, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return get_lockout_response(request, None, {"username": self.identity.email})
        proved = user is not None or (
            self.account.is_active and self.account.check_password(form.cleaned_data["password"])
        )
        if not proved:
            form.add_error("password", "Mot de passe incorrect.")
            return self.form_invalid(form)
        try:
            identity_link(user=self.account, identity=self.identity)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(request, "Votre compte est désormais lié à ProConnect.")
        return _login(request, self.identity, request.session.get(ID_TOKEN_KEY, ""), "")


class LinkConfirmView(ConfiguredMixin, TemplateView):
    """The emailed link: a button (a mail scanner's GET links nothing), then the link."""

    template_name = "proconnect/link_confirm.html"

    def post(self, request, token):
        try:
            link_by_token(token=token)
        except ValidationError as error:
            return self.render_to_response({"error": error.messages[0]}, status=400)
        identity_forget(request.session)
        return self.render_to_response({"linked": True})


class LoggedOutView(View):
    """ProConnect's sign-out sends the agent back here with the state we gave it."""

    def get(self, request):
        try:
            signing.loads(request.GET.get("state", ""), salt=LOGOUT_SALT, max_age=600)
        except signing.BadSignature:
            return redirect("/")
        messages.success(request, "Vous êtes déconnecté du portail et de ProConnect.")
        return redirect("/")


def logout_state() -> str:
    return signing.dumps({"logout": True}, salt=LOGOUT_SALT)
