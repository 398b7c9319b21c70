"""Staff back-office for subscriptions (Wagtail admin, ModelViewSet).

No generic add/edit/delete form: members create subscriptions, and staff move them through
dated steps (received, countersigned = finalized, cancelled) with one small form each, so
the dates and files — hence the status — stay consistent.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, View
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput, Button, HeaderButton
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.dates import display_value
from core.forms import add_service_error
from core.queues import QueueMixin, ReadableInspectMixin, SafeExportIndexView
from markets.models import MarketPage
from members.models import Establishment

from . import selectors, services
from .models import Subscription, SubscriptionStatus

PROCESS = "process"


class SubscriptionPermissionPolicy(ModelPermissionPolicy):
    """ "view" to list, inspect and export; "process" (the model's change permission) to act."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        if action == PROCESS:
            return user.has_perm("subscriptions.change_subscription")
        return super().user_has_permission(user, action)


permission_policy = SubscriptionPermissionPolicy(Subscription)
register_permission_policy(Subscription, permission_policy)


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


def action_urls(subscription):
    return {
        "received": reverse("subscriptions_admin:received", args=[subscription.pk]),
        "finalize": reverse("subscriptions_admin:finalize", args=[subscription.pk]),
        "cancel": reverse("subscriptions_admin:cancel", args=[subscription.pk]),
    }


def action_buttons(subscription, user, cls=Button):
    """The steps staff may take on `subscription` now."""
    if not permission_policy.user_has_permission(user, PROCESS) or not subscription.is_live:
        return []
    urls, buttons = action_urls(subscription), []
    if not subscription.finalized_on:
        if not subscription.received_on:
            buttons.append(cls("Marquer la convention reçue", url=urls["received"], icon_name="tick", priority=10))
        buttons.append(cls("Déposer la convention contresignée", url=urls["finalize"], icon_name="upload", priority=20))
    buttons.append(cls("Annuler la souscription", url=urls["cancel"], icon_name="cross", priority=30))
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
        for button in action_buttons(instance, self.request.user):
            buttons.append(
                MenuItem(button.label, url=button.url, icon_name=button.icon_name, priority=40 + button.priority)
            )
        return buttons


class SubscriptionInspectView(ReadableInspectMixin, InspectView):
    @cached_property
    def header_buttons(self):
        return action_buttons(self.object, self.request.user, cls=HeaderButton)

    @cached_property
    def header_more_buttons(self):
        buttons = []
        if self.object.convention:
            url = reverse("subscriptions_admin:convention", args=[self.object.pk])
            buttons.append(Button("Télécharger la convention envoyée", url=url, icon_name="download"))
        if self.object.countersigned_convention:
            url = reverse("subscriptions_admin:countersigned", args=[self.object.pk])
            buttons.append(Button("Télécharger la convention contresignée", url=url, icon_name="download"))
        return buttons

    def get_field_label(self, field_name, field):
        return "Statut" if field_name == "status" else super().get_field_label(field_name, field)


class SubscriptionViewSet(QueueMixin, ModelViewSet):
    model = Subscription
    icon = "doc-full-inverse"
    menu_label = "Souscriptions"
    menu_order = 300
    add_to_admin_menu = True
    url_prefix = "souscriptions"
    name = "subscriptions_admin"
    index_view_class = SubscriptionIndexView
    inspect_view_class = SubscriptionInspectView
    inspect_view_enabled = True
    filterset_class = SubscriptionFilterSet
    # The generic add/edit forms exist but the permission policy refuses them to everyone.
    form_fields = ["association_standing"]
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
        "received_on",
        "finalized_on",
        "cancelled_on",
        "cancel_reason",
    ]

    # Returned conventions wait for staff to countersign them: a line on the admin home.
    queue_label = "Conventions reçues à contresigner"

    def queue_visible_to(self, user):
        return permission_policy.user_has_permission(user, PROCESS)

    def pending_count(self):
        return Subscription.objects.with_status_in([SubscriptionStatus.RECEIVED]).count()

    def pending_url(self):
        return reverse(self.get_url_name("index")) + f"?status={SubscriptionStatus.RECEIVED}"

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/recue/", MarkReceivedView.as_view(), name="received"),
            path("<int:pk>/contresignee/", FinalizeView.as_view(), name="finalize"),
            path("<int:pk>/annuler/", CancelView.as_view(), name="cancel"),
            path("<int:pk>/convention/", StaffConventionDownloadView.as_view(), name="convention"),
            path(
                "<int:pk>/convention-contresignee/",
                StaffConventionDownloadView.as_view(field="countersigned_convention"),
                name="countersigned",
            ),
        ]


# Action views ---------------------------------------------------------------------------


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


class SubscriptionActionView(WagtailAdminTemplateMixin, FormView):
    template_name = "subscriptions/admin/action.html"
    header_icon = "doc-full-inverse"
    success_message = ""

    def dispatch(self, request, *args, **kwargs):
        if not permission_policy.user_has_permission(request.user, PROCESS):
            raise PermissionDenied
        self.subscription = get_object_or_404(
            Subscription.objects.select_related("market", "establishment"), pk=kwargs["pk"]
        )
        if not self.subscription.is_live:
            messages.error(request, "Cette souscription est annulée.")
            return redirect("subscriptions_admin:inspect", self.subscription.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.subscription)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("subscriptions_admin:index"), "label": "Souscriptions"},
            {
                "url": reverse("subscriptions_admin:inspect", args=[self.subscription.pk]),
                "label": str(self.subscription),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(subscription=self.subscription, submit_label=self.page_title, **kwargs)

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("subscriptions_admin:inspect", self.subscription.pk)


class MarkReceivedView(SubscriptionActionView):
    page_title = "Marquer la convention reçue"
    form_class = ReceivedForm
    success_message = "Convention marquée comme reçue."

    def perform(self, form):
        services.subscription_mark_received(subscription=self.subscription, on=form.cleaned_data["received_on"])


class FinalizeView(SubscriptionActionView):
    page_title = "Déposer la convention contresignée"
    form_class = FinalizeForm
    success_message = "Convention contresignée déposée : la souscription est finalisée et le membre prévenu."

    def perform(self, form):
        services.subscription_finalize(
            subscription=self.subscription,
            countersigned=form.cleaned_data["countersigned"],
            on=form.cleaned_data["finalized_on"],
        )


class CancelView(SubscriptionActionView):
    page_title = "Annuler la souscription"
    form_class = CancelForm
    success_message = "Souscription annulée : l'accès aux pièces est retiré."

    def perform(self, form):
        services.subscription_cancel(subscription=self.subscription, reason=form.cleaned_data["cancel_reason"])


class StaffConventionDownloadView(View):
    field = "convention"

    def get(self, request, pk):
        if not permission_policy.user_has_any_permission(request.user, {"view", PROCESS}):
            raise PermissionDenied
        subscription = get_object_or_404(Subscription, pk=pk)
        file = getattr(subscription, self.field)
        if not file:
            raise Http404
        return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1])


subscription_viewset = SubscriptionViewSet()


@hooks.register("before_delete_page")
def keep_markets_with_subscriptions(request, page):
    """Subscriptions protect their market (conventions are contracts): say so instead of a 500."""
    count = Subscription.objects.filter(market_id=page.pk).count()
    if count:
        messages.error(
            request,
            f"« {page.title} » a {count} souscription(s) : il ne peut pas être supprimé. Dépubliez-le plutôt.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("register_admin_viewset")
def register_subscription_viewset():
    return subscription_viewset


@hooks.register("assistance_request_concerns")
def subscription_concerned_by_help_request(*, user, match):
    """The subscription a "Gérer mon marché" page shows, when `user` may see it: the
    assistance records it with a help request sent from there (it cannot import us)."""
    if match.namespace != "subscriptions" or "pk" not in match.kwargs or not user.is_authenticated:
        return None
    return selectors.member_subscriptions(user=user).filter(pk=match.kwargs["pk"]).first()
