"""The member's side: "Préparer sa souscription", "Mes marchés", "Gérer mon marché", dashboard."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail import hooks

from core.downloads import private_download, stored_name
from core.errors import Refusal
from core.spreadsheets import table_workbook, workbook_bytes, xlsx_response
from groupements.selectors import groupement_validated_for_user
from markets.access import pieces_for, privacy_filter
from markets.models import MarketPage
from members.mixins import ActiveMemberRequiredMixin

from . import selectors, services
from .forms import SubscriptionMode, SubscriptionRequestForm


class SubscriptionRequestView(ActiveMemberRequiredMixin, FormView):
    """ "Préparer sa souscription" for one market."""

    template_name = "subscriptions/subscription_request.html"
    form_class = SubscriptionRequestForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.market = None

    def get_market(self):
        if self.market is None:
            self.market = get_object_or_404(
                MarketPage.objects.live().filter(privacy_filter(self.request)), pk=self.kwargs["market_id"]
            )
            if closed := self.market.subscription_closed_reason:  # the service refuses it too
                raise Refusal(closed, action_url=self.market.url, action_label="Voir le marché")
        return self.market

    def get_establishments(self):
        if not hasattr(self, "_establishments"):
            self._establishments = list(selectors.member_establishments(user=self.request.user))
        return self._establishments

    def get_groupements(self):
        if not hasattr(self, "_groupements"):
            self._groupements = list(groupement_validated_for_user(user=self.request.user))
        return self._groupements

    def _data(self):
        return self.request.POST if self.request.method == "POST" else self.request.GET

    def get_mode(self):
        """The mode asked (the radio, posted or in the URL); a groupement only for who has one."""
        data = self._data()
        mode = data.get("mode")
        if mode not in (SubscriptionMode.ESTABLISHMENT, SubscriptionMode.GROUPEMENT):
            mode = SubscriptionMode.GROUPEMENT if data.get("groupement") else SubscriptionMode.ESTABLISHMENT
        if mode == SubscriptionMode.GROUPEMENT and not self.get_groupements():
            return SubscriptionMode.ESTABLISHMENT
        return mode

    def get_chosen_groupement(self):
        """The validated groupement named (404 unless it is the user's), or the only one, whatever the mode."""
        raw = self._data().get("groupement")
        groupements = self.get_groupements()
        if raw:
            by_id = {str(g.pk): g for g in groupements}
            if raw not in by_id:
                raise Http404("Groupement introuvable.")
            return by_id[raw]
        return groupements[0] if len(groupements) == 1 else None

    def get_chosen_establishment(self):
        """The establishment named (404 unless it is one of the user's), or the only one, whatever the mode."""
        raw = (
            self.request.POST.get("establishment")
            if self.request.method == "POST"
            else self.request.GET.get("etablissement")
        )
        establishments = self.get_establishments()
        if raw:
            by_id = {str(e.pk): e for e in establishments}
            if raw not in by_id:
                raise Http404("Établissement introuvable.")
            return by_id[raw]
        return establishments[0] if len(establishments) == 1 else None

    def get_selected_groupement(self):
        if self.get_mode() != SubscriptionMode.GROUPEMENT:
            return None
        return self.get_chosen_groupement()

    def get_selected_establishment(self):
        """The establishment that signs: the one chosen, or for a groupement its parent."""
        if self.get_mode() == SubscriptionMode.GROUPEMENT:
            groupement = self.get_selected_groupement()
            return groupement.parent if groupement else None
        return self.get_chosen_establishment()

    def get_initial(self):
        establishment = self.get_chosen_establishment()
        groupement = self.get_chosen_groupement()
        return {
            "mode": self.get_mode(),
            "establishment": establishment.pk if establishment else None,
            "groupement": groupement.pk if groupement else None,
            "association_standing": self._data().get("association_standing"),
        }

    def post(self, request, *args, **kwargs):
        # Without JavaScript, "Afficher" posts the mode only: the page comes back with that
        # mode's fields, nothing is checked yet.
        if request.POST.get("action") == "mode":
            return self.render_to_response(
                self.get_context_data(form=self.get_form_class()(initial=self.get_initial()))
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        market = self.get_market()
        selected = self.get_selected_establishment()
        groupement = self.get_selected_groupement()
        existing = None
        if selected and (groupement or self.get_mode() == SubscriptionMode.ESTABLISHMENT):
            existing = selectors.live_subscription(market=market, establishment=selected, groupement=groupement)
        establishments = self.get_establishments()
        return super().get_context_data(
            market=market,
            establishments=establishments,
            pending_establishments=[] if establishments else selectors.pending_establishments(user=self.request.user),
            groupements=self.get_groupements(),
            mode=self.get_mode(),
            selected=selected,
            selected_groupement=groupement,
            chosen_establishment=self.get_chosen_establishment(),
            chosen_groupement=self.get_chosen_groupement(),
            existing=existing,
            **kwargs,
        )

    def form_valid(self, form):
        groupement = self.get_selected_groupement()
        establishment = self.get_selected_establishment()
        if establishment is None:
            form.add_error(None, "Sélectionnez l'établissement pour lequel vous souscrivez.")
            return self.form_invalid(form)
        result = services.subscription_request(
            user=self.request.user,
            market=self.get_market(),
            establishment=establishment,
            association_standing=form.cleaned_data["association_standing"],
            groupement=groupement,
        )
        if result.created:
            messages.success(self.request, "Votre demande de souscription a bien été prise en compte.")
            return redirect("subscriptions:my_markets")
        who = f"Le groupement « {groupement.name} »" if groupement else "Votre établissement"
        messages.info(self.request, f"{who} a déjà une souscription à ce marché : la voici.")
        return redirect("subscriptions:subscription_detail", pk=result.subscription.pk)


class MyMarketsView(ActiveMemberRequiredMixin, TemplateView):
    template_name = "subscriptions/my_markets.html"

    def get_context_data(self, **kwargs):
        page = selectors.my_markets_page(user=self.request.user, page=self.request.GET.get("page"))
        return super().get_context_data(subscriptions=page, page=page, **kwargs)


class DashboardView(LoginRequiredMixin, TemplateView):
    """ "Tableau de bord". Accounts awaiting validation see a notice only."""

    template_name = "subscriptions/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        dashboard = selectors.dashboard_for(user=user) if user.is_active_member else None
        return super().get_context_data(dashboard=dashboard, **kwargs)


class MarketManageView(ActiveMemberRequiredMixin, View):
    """ "Gérer mon marché" from a market page: the user's subscription, or the form to ask for one."""

    def get(self, request, market_id):
        subscription = selectors.member_subscription_for_market(user=request.user, market_id=market_id)
        if subscription is None:
            return redirect("subscriptions:subscription_request", market_id=market_id)
        return redirect("subscriptions:subscription_detail", pk=subscription.pk)


class SubscriptionTabView(ActiveMemberRequiredMixin, TemplateView):
    """One tab of "Gérer mon marché"; each tab is its own URL, so it works without JavaScript."""

    tab = "adhesion"
    template_name = "subscriptions/subscription_detail.html"

    def get_context_data(self, **kwargs):
        subscription = selectors.member_subscription(user=self.request.user, pk=self.kwargs["pk"])
        context = super().get_context_data(
            subscription=subscription,
            market=subscription.market,
            tab=self.tab,
            tabs=subscription_tabs(subscription),
            # A groupement child's users see the subscription and its pieces; the parent signs.
            is_signatory=subscription.establishment.users.filter(pk=self.request.user.pk).exists(),
            **kwargs,
        )
        context.update(self.get_tab_context(subscription))
        return context

    def get_tab_context(self, subscription):
        # Sections other apps add to the tab (they cannot be imported here): each
        # `subscription_tab_sections` hook returns (template, context) or None.
        sections = [
            section
            for hook in hooks.get_hooks("subscription_tab_sections")
            if (section := hook(user=self.request.user, subscription=subscription, tab=self.tab))
        ]
        return {"extra_sections": sections}


class SubscriptionContactsView(SubscriptionTabView):
    tab = "contacts"

    def get_tab_context(self, subscription):
        return {"contacts": selectors.market_contacts(market=subscription.market)}


class SubscriptionPiecesView(SubscriptionTabView):
    tab = "pieces"

    def get_tab_context(self, subscription):
        market = subscription.market
        return {"piece_groups": market.piece_groups(pieces_for(self.request.user, market)[0])}


CONTACT_COLUMNS = [
    ("Lot", "lot"),
    ("Intitulé du lot", "lot_title"),
    ("Fenêtre de commande", "ordering_window"),
    ("Titulaire", "holder"),
    ("Contact", "name"),
    ("E-mail", "email"),
    ("Téléphone", "phone"),
]


class ContactsSpreadsheetView(ActiveMemberRequiredMixin, View):
    """The commercial contacts of the market, as an .xlsx file."""

    def get(self, request, pk):
        subscription = selectors.member_subscription(user=request.user, pk=pk)
        workbook = table_workbook(
            title="Contacts commerciaux",
            headers=[label for label, _ in CONTACT_COLUMNS],
            rows=[
                [getattr(contact, attr) for _, attr in CONTACT_COLUMNS]
                for contact in selectors.market_contacts(market=subscription.market)
            ],
        )
        filename = f"contacts-{slugify(subscription.market.title)[:60] or 'marche'}.xlsx"
        return xlsx_response(workbook_bytes(workbook), filename)


class ConventionDownloadView(ActiveMemberRequiredMixin, View):
    """The convention sent, or the countersigned one: for the establishment's users only (404)."""

    field = "convention"

    def get(self, request, pk):
        subscription = selectors.member_subscription(user=request.user, pk=pk, signatories_only=True)
        file = getattr(subscription, self.field)
        if not file:
            raise Http404("Aucune convention à télécharger.")
        return private_download(file, filename=stored_name(file))


def subscription_tabs(subscription):
    return [
        ("adhesion", "Mon adhésion", reverse("subscriptions:subscription_detail", args=[subscription.pk])),
        ("contacts", "Contacts commerciaux", reverse("subscriptions:subscription_contacts", args=[subscription.pk])),
        ("pieces", "Pièces du marché", reverse("subscriptions:subscription_pieces", args=[subscription.pk])),
    ]
