""" "Mes alertes" (saved searches and the alerts received), saving a search from a
catalogue page, and the signed stop link of every alert email."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from members.mixins import ActiveMemberRequiredMixin

from . import searches, stopping
from .forms import PreferencesForm, SavedSearchCreateForm, SavedSearchUpdateForm
from .models import SavedSearch
from .preferences import preferences_set, received_kinds
from .selectors import catalogue_url


class AlertListView(ActiveMemberRequiredMixin, TemplateView):
    template_name = "alerts/alert_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        url = catalogue_url()
        rows = [
            {
                "search": search,
                "form": SavedSearchUpdateForm(
                    prefix=f"s{search.pk}",
                    initial={"name": search.name, "frequency": search.frequency, "paused": search.paused},
                ),
                "criteria": searches.criteria_summary(search),
                "url": searches.saved_search_url(search, catalogue_url=url),
            }
            for search in user.saved_searches.all()
        ]
        preferences = PreferencesForm(initial={"kinds": received_kinds(user=user)})
        return super().get_context_data(rows=rows, limit=searches.limit(), preferences=preferences, **kwargs)


def _back(request, fallback):
    target = request.POST.get("retour", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


class SavedSearchCreateView(ActiveMemberRequiredMixin, View):
    def post(self, request):
        form = SavedSearchCreateForm(request.POST)
        back = _back(request, reverse("alerts:list"))
        if not form.is_valid():
            errors = "; ".join(str(message) for field in form.errors.values() for message in field)
            messages.error(request, f"Recherche non enregistrée : {errors}")
            return HttpResponseRedirect(back)
        data = form.cleaned_data
        try:
            search = searches.saved_search_create(
                user=request.user,
                source=data["source"],
                query_string=data["criteria"],
                name=data["name"],
                frequency=data["frequency"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(back)
        messages.success(request, f"Recherche « {search.name} » enregistrée : retrouvez-la dans « Mes alertes ».")
        return HttpResponseRedirect(back)


class SavedSearchUpdateView(ActiveMemberRequiredMixin, View):
    def post(self, request, pk):
        search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
        form = SavedSearchUpdateForm(request.POST, prefix=f"s{search.pk}")
        if form.is_valid():
            try:
                searches.saved_search_update(search=search, **form.cleaned_data)
                messages.success(request, f"Recherche « {search.name} » modifiée.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            errors = "; ".join(str(message) for field in form.errors.values() for message in field)
            messages.error(request, f"Recherche non modifiée : {errors}")
        return redirect("alerts:list")


class SavedSearchDeleteView(ActiveMemberRequiredMixin, View):
    def post(self, request, pk):
        search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
        search.delete()
        messages.success(request, f"Recherche « {search.name} » supprimée.")
        return redirect("alerts:list")


class PreferencesView(ActiveMemberRequiredMixin, View):
    def post(self, request):
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences_set(user=request.user, kinds=form.cleaned_data["kinds"])
            messages.success(request, "Vos choix d'alertes sont enregistrés.")
        else:
            messages.error(request, "Choix d'alertes inconnu.")
        return HttpResponseRedirect(_back(request, reverse("alerts:list")))


@method_decorator(csrf_exempt, name="dispatch")  # the signed token is the credential (RFC 8058 one-click POST)
class StopView(View):
    """Works logged out: the page asks for one click (a mail scanner opening the link stops nothing)."""

    def dispatch(self, request, token):
        read = stopping.read_token(token)
        if read is None:
            return TemplateResponse(request, "alerts/stop.html", {"invalid": True}, status=400)
        self.user_id, self.kind, self.search_id = read
        self.search = SavedSearch.objects.filter(pk=self.search_id, user_id=self.user_id).first()
        account_gone = not get_user_model().objects.filter(pk=self.user_id).exists()
        if account_gone or self.search_id and self.search is None:
            return TemplateResponse(request, "alerts/stop.html", {"gone": True}, status=404)
        return super().dispatch(request, token)

    def get(self, request, token):
        return TemplateResponse(request, "alerts/stop.html", {"what": stopping.describe(self.kind, self.search)})

    def post(self, request, token):
        stopping.stop(user_id=self.user_id, kind=self.kind, search_id=self.search_id)
        return TemplateResponse(
            request, "alerts/stop.html", {"what": stopping.describe(self.kind, self.search), "done": True}
        )
