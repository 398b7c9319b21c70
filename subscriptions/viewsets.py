"""Staff back-office for subscriptions (Wagtail admin, ModelViewSet).

No generic add/edit/delete form: members create subscriptions, and staff move them through
dated steps (received, countersigned = finalized, cancelled) with one small form each
(core.actions), so the dates and files — hence the status — stay consistent.
"""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views import View
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateInput, Button, HeaderButton
from wagtail.admin.widgets.button import MenuItem

from core.actions import PROCESS, ObjectActionView, ObjectActionViewSetMixin
from core.dates import display_value
from core.downloads import private_download, stored_name
from core.queues import QueueMixin, ReadableInspectView, SafeExportIndexView, StaffViewSet
from markets.models import MarketPage
from members.models import Establishment

from . import services
from .models import Subscription, SubscriptionStatus


class SubscriptionFilterSet(WagtailFilterSet):
    market = django_filters.ModelChoiceFilter(
        label="Marché", queryset=MarketPage.objects.order_by("title"), field_name="market"
    )
    status = django_filters.ChoiceFilter(
        label="Statut",
        choices=SubscriptionStatus.choices,
        method="filter_status",
        widget=forms.RadioSelect,
        empty_label="Tous",
    )
    establishment = django_filters.ModelChoiceFilter(
        label="Établissement", queryset=Establishment.objects.order_by("name"), field_name="establishment"
    )
    sent_on = django_filters.DateFromToRangeFilter(label="Convention envoyée", widget=DateRangePickerWidget)
    received_on = django_filters.DateFromToRangeFilter(label="Convention reçue", widget=DateRangePickerWidget)
    finalized_on = django_filters.DateFromToRangeFilter(label="Convention finalisée", widget=DateRangePickerWidget)

    class Meta:
        model = Subscription
        fields = ["market", "status", "establishment", "sent_on", "received_on", "finalized_on"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status_in([value]) if value else queryset


def action_buttons(subscription, user, policy, cls=Button):
    """The steps staff may take on `subscription` now."""
    if not policy.user_has_permission(user, PROCESS) or not subscription.is_live:
        return []
    buttons = []
    if not subscription.finalized_on:
        if not subscription.received_on:
            url = reverse("subscriptions_admin:received", args=[subscription.pk])
            buttons.append(cls("Marquer la convention reçue", url=url, icon_name="tick", priority=10))
        url = reverse("subscriptions_admin:finalize", args=[subscription.pk])
        buttons.append(cls("Déposer la convention contresignée", url=url, icon_name="upload", priority=20))
    url = reverse("subscriptions_admin:cancel", args=[subscription.pk])
    buttons.append(cls("Annuler la souscription", url=url, icon_name="cross", priority=30))
    return buttons


def status_with_date(subscription):
    """ "Convention reçue le 12/03/2026": the status and when the subscription reached it."""
    reached_on = {
        SubscriptionStatus.CANCELLED: subscription.cancelled_on,
        SubscriptionStatus.FINALIZED: subscription.finalized_on,
        SubscriptionStatus.RECEIVED: subscription.received_on,
    }.get(subscription.status, subscription.sent_on)
    return f"{subscription.get_status_display()} le {display_value(reached_on)}"


def sent_on_display(subscription):
    return display_value(subscription.sent_on)  # the status column's format, not Wagtail's "28 novembre 2026"


class SubscriptionIndexView(SafeExportIndexView):
    def _get_title_column(self, field_name, *args, **kwargs):
        # The market's name is what staff scan for: it keeps a readable width (admin.css).
        return super()._get_title_column(field_name, *args, classname="listing-title-wide", **kwargs)

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("market", "establishment", "groupement")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for button in action_buttons(instance, self.request.user, self.permission_policy):
            buttons.append(
                MenuItem(button.label, url=button.url, icon_name=button.icon_name, priority=40 + button.priority)
            )
        return buttons


SUBSCRIPTION_BUTTONS_HOOK = "subscription_inspect_buttons"
DOWNLOADS = {"convention": "convention", "countersigned_convention": "countersigned"}


class SubscriptionInspectView(ReadableInspectView):
    @cached_property
    def header_buttons(self):
        buttons = action_buttons(self.object, self.request.user, self.permission_policy, cls=HeaderButton)
        # Steps other apps add (signatures: countersign with the seal); they cannot be imported here.
        for hook in hooks.get_hooks(SUBSCRIPTION_BUTTONS_HOOK):
            buttons += hook(subscription=self.object, user=self.request.user, policy=self.permission_policy)
        return buttons

    def get_field_label(self, field_name, field):
        return "Statut" if field_name == "status" else super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        # The conventions, sent and countersigned, are links to their files (private downloads).
        if field_name in DOWNLOADS:
            file = getattr(self.object, field_name)
            if not file:
                return None
            url = reverse(f"subscriptions_admin:{DOWNLOADS[field_name]}", args=[self.object.pk])
            return format_html('<a href="{}" download>{}</a>', url, stored_name(file))
        return super().get_field_display_value(field_name, field)


class ReceivedForm(forms.Form):
    received_on = forms.DateField(label="Date de réception", widget=AdminDateInput, initial=timezone.localdate)


class FinalizeForm(forms.Form):
    countersigned = forms.FileField(
        label="Convention contresignée",
        help_text="Fichier PDF (.pdf) ou Word (.docx), 10 Mo au plus. Le membre est prévenu par e-mail.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    finalized_on = forms.DateField(label="Date de finalisation", widget=AdminDateInput, initial=timezone.localdate)

    def clean_countersigned(self):
        file = self.cleaned_data["countersigned"]
        services.validate_countersigned_file(file)
        return file


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label="Motif d'annulation",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Les utilisateurs de l'établissement perdent l'accès aux pièces du marché.",
    )


class SubscriptionActionView(ObjectActionView):
    def get_queryset(self):
        return Subscription.objects.select_related("market", "establishment")

    def refusal(self):
        return "" if self.object.is_live else "Cette souscription est annulée."

    def summary(self):
        subscription = self.object
        status = f"{subscription.get_status_display()} — convention envoyée le {display_value(subscription.sent_on)}"
        if subscription.received_on:
            status += f", reçue le {display_value(subscription.received_on)}"
        return [
            ("Marché", subscription.market.title),
            ("Établissement", f"{subscription.establishment.name} (SIRET {subscription.establishment.siret})"),
            ("Statut", status),
        ]


class MarkReceivedView(SubscriptionActionView):
    page_title = "Marquer la convention reçue"
    form_class = ReceivedForm

    def perform(self, form):
        services.subscription_mark_received(
            subscription=self.object, on=form.cleaned_data["received_on"], by=self.request.user
        )
        return "Convention marquée comme reçue."


class FinalizeView(SubscriptionActionView):
    page_title = "Déposer la convention contresignée"
    form_class = FinalizeForm

    def perform(self, form):
        services.subscription_finalize(
            subscription=self.object,
            countersigned=form.cleaned_data["countersigned"],
            on=form.cleaned_data["finalized_on"],
            by=self.request.user,
        )
        return "Convention contresignée déposée : la souscription est finalisée et le membre prévenu."


class CancelView(SubscriptionActionView):
    page_title = "Annuler la souscription"
    form_class = CancelForm

    def perform(self, form):
        services.subscription_cancel(
            subscription=self.object, reason=form.cleaned_data["cancel_reason"], by=self.request.user
        )
        return "Souscription annulée : l'accès aux pièces est retiré."


class StaffConventionDownloadView(View):
    permission_policy = None
    field = "convention"

    def get(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        file = getattr(get_object_or_404(Subscription, pk=pk), self.field)
        if not file:
            raise Http404
        return private_download(file, filename=stored_name(file))


class SubscriptionViewSet(ObjectActionViewSetMixin, QueueMixin, StaffViewSet):
    model = Subscription
    icon = "doc-full-inverse"
    menu_label = "Souscriptions"
    menu_order = 300
    add_to_admin_menu = True
    url_prefix = "souscriptions"
    name = "subscriptions_admin"
    index_view_class = SubscriptionIndexView
    inspect_view_class = SubscriptionInspectView
    filterset_class = SubscriptionFilterSet
    list_per_page = 20
    search_fields = ["market__title", "establishment__name", "establishment__siret", "groupement__name"]
    list_display = [
        "market",
        "establishment",
        Column("groupement", label="Groupement", accessor="groupement"),
        # One column for the status and the date it was reached, instead of four date
        # columns that squeezed the market's name at 1280 px.
        Column("status", label="Statut", accessor=status_with_date),
        Column("sent_on", label="Convention envoyée le", accessor=sent_on_display, sort_key="sent_on"),
    ]
    list_export = [
        "market",
        "establishment",
        "establishment.siret",
        "get_status_display",
        "requested_by",
        "get_association_standing_display",
        "sent_on",
        "received_on",
        "finalized_on",
        "cancelled_on",
        "cancel_reason",
        "groupement",
    ]
    export_headings = {
        "market": "Marché",
        "establishment": "Établissement",
        "establishment.siret": "SIRET",
        "groupement": "Groupement",
        "get_status_display": "Statut",
        "requested_by": "Demandée par",
        "get_association_standing_display": "Adhésion à l'association",
        "sent_on": "Convention envoyée",
        "received_on": "Convention reçue",
        "finalized_on": "Convention finalisée",
        "cancelled_on": "Annulée le",
        "cancel_reason": "Motif d'annulation",
    }
    export_filename = "souscriptions"
    inspect_view_fields = [
        "status",
        "market",
        "establishment",
        "groupement",
        "requested_by",
        "association_standing",
        "requested_at",
        "sent_on",
        "convention",
        "received_on",
        "finalized_on",
        "countersigned_convention",
        "cancelled_on",
        "cancel_reason",
    ]

    # Returned conventions wait for staff to countersign them: a line on the admin home.
    queue_label = "Conventions reçues à contresigner"

    def queue_visible_to(self, user):
        return self.permission_policy.user_has_permission(user, PROCESS)

    def pending_count(self):
        return Subscription.objects.with_status_in([SubscriptionStatus.RECEIVED]).count()

    def pending_url(self):
        return reverse(self.get_url_name("index")) + f"?status={SubscriptionStatus.RECEIVED}"

    def get_urlpatterns(self):
        download = StaffConventionDownloadView.as_view
        return super().get_urlpatterns() + [
            self.action_path("recue/", MarkReceivedView, "received"),
            self.action_path("contresignee/", FinalizeView, "finalize"),
            self.action_path("annuler/", CancelView, "cancel"),
            path("<int:pk>/convention/", download(permission_policy=self.permission_policy), name="convention"),
            path(
                "<int:pk>/convention-contresignee/",
                download(permission_policy=self.permission_policy, field="countersigned_convention"),
                name="countersigned",
            ),
        ]
