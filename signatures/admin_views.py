"""Staff side: countersign a returned convention with the seal, download it, import a trusted list."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from core.actions import PROCESS, ObjectActionView, staff_policy
from core.downloads import private_download
from subscriptions.models import Subscription, SubscriptionStatus

from . import services
from .forms import TrustedListForm
from .models import SignedConvention, TrustedList
from .seal import seal_configured
from .trust import TrustedListError

COUNTERSIGN_LABEL = "Contresigner avec le cachet de la CANUT"


def subscription_policy():
    return staff_policy(Subscription)


def inspect_buttons(*, subscription, user, policy):
    """On the subscription's admin page: the returned file, and the seal while it waits."""
    signed = SignedConvention.objects.filter(subscription=subscription).first()
    if signed is None:
        return []
    buttons = [
        HeaderButton(
            "Convention signée déposée",
            url=reverse("signatures_admin:file", args=[subscription.pk]),
            icon_name="download",
            priority=15,
        )
    ]
    if policy.user_has_permission(user, PROCESS) and subscription.status == SubscriptionStatus.RECEIVED:
        url = reverse("signatures_admin:countersign", args=[subscription.pk])
        buttons.append(HeaderButton(COUNTERSIGN_LABEL, url=url, icon_name="tick", priority=5))
    return buttons


class CountersignForm(forms.Form):
    confirm = forms.BooleanField(
        label="J'ai lu le rapport de vérification et j'appose le cachet de la CANUT",
        help_text="La convention contresignée porte les deux signatures ; la souscription est finalisée "
        "et le membre reçoit la convention par e-mail.",
    )


class CountersignView(ObjectActionView):
    page_title = COUNTERSIGN_LABEL
    form_class = CountersignForm
    model = Subscription
    index_url_name = "subscriptions_admin:index"
    inspect_url_name = "subscriptions_admin:inspect"
    header_icon = "doc-full-inverse"

    @property
    def permission_policy(self):
        return subscription_policy()

    def get_queryset(self):
        return Subscription.objects.select_related("market", "establishment", "signed_convention")

    def refusal(self):
        subscription = self.object
        if not subscription.is_live:
            return "Cette souscription est annulée."
        if subscription.finalized_on:
            return "Cette souscription est déjà finalisée."
        if not SignedConvention.objects.filter(subscription=subscription).exists():
            return "Aucune convention signée n'a été déposée dans le portail pour cette souscription."
        if not seal_configured():
            return (
                "Le cachet de la CANUT n'est pas configuré (SIGNATURES_SEAL_PATH) : contresignez hors du portail "
                "puis déposez la convention contresignée."
            )
        return ""

    def summary(self):
        subscription = self.object
        signed = subscription.signed_convention
        rows = [
            ("Marché", subscription.market.title),
            ("Établissement", f"{subscription.establishment.name} (SIRET {subscription.establishment.siret})"),
            (
                "Convention signée",
                format_html(
                    '<a href="{}" download>Déposée le {}</a>',
                    reverse("signatures_admin:file", args=[subscription.pk]),
                    signed.uploaded_at.strftime("%d/%m/%Y"),
                ),
            ),
            ("Verdict", signed.verdict),
        ]
        for signature in signed.report.get("signatures", []):
            for point in signature.get("points", []):
                label = f"Signature {signature['index']} — {point['number']}. {point['label']}"
                rows.append((label, " · ".join(point["lines"])))
        return rows

    def perform(self, form):
        services.signed_convention_countersign(subscription=self.object, by=self.request.user)
        return "Cachet apposé : la convention contresignée porte les deux signatures, la souscription est finalisée."


class SignedConventionFileView(View):
    def get(self, request, pk):
        if not subscription_policy().user_has_permission(request.user, "view"):
            raise PermissionDenied
        signed = get_object_or_404(
            SignedConvention.objects.select_related("subscription__establishment"), subscription_id=pk
        )
        if not signed.file:
            raise Http404
        return private_download(
            signed.file, filename=f"convention-signee-{signed.subscription.establishment.siret}.pdf"
        )


class TrustedListView(WagtailAdminTemplateMixin, FormView):
    """The trusted list in force, and the form to import a newer one."""

    template_name = "signatures/admin/trusted_list.html"
    form_class = TrustedListForm
    page_title = "Liste de confiance"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("signatures.add_trustedlist"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(current=TrustedList.objects.first(), **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            form.add_error("file", "Ce fichier est trop volumineux pour une liste de confiance (20 Mo au plus).")
            return self.form_invalid(form)
        try:
            imported = services.trusted_list_import(
                data=upload.read(), source=f"Import manuel : {upload.name}", by=self.request.user
            )
        except (ValidationError, TrustedListError) as error:
            form.add_error("file", error.messages[0] if hasattr(error, "messages") else str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Liste importée : {imported.service_count} services, dont {imported.qualified_count} qualifiés.",
        )
        return redirect("signatures_admin:trusted_list")
