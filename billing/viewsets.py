"""Staff back-office for fees and invoices: the yearly schedules, markets "sans frais",
establishments' sizes, the invoices (filters, export, mark paid, credit notes, PDF), the
runs (preview, then issue) and the figures on the admin home."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.admin.widgets.button import MenuItem
from wagtail.snippets.views.snippets import SnippetViewSet

from core.actions import PROCESS, ObjectActionView, ObjectActionViewSetMixin, staff_policy
from core.dates import display_value
from core.downloads import private_download
from core.queues import SafeExportIndexView, StaffViewSet
from markets.models import MarketPage
from members.models import Establishment

from . import payments, selectors, services
from .forms import BankStatementForm, CreditNoteForm, FeeScheduleForm, MarkPaidForm, RunForm
from .models import (
    ChorusStatus,
    CreditNote,
    EstablishmentSize,
    FeeSchedule,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    MarketFee,
)
from .pdf import credit_note_pdf, invoice_pdf
from .templatetags.billing_tags import euros

# "view" lists, inspects, exports and downloads invoices; "process" (the change permission)
# runs, marks paid and credits.
permission_policy = staff_policy(Invoice)

MONTHS = [
    (1, "janvier"),
    (2, "février"),
    (3, "mars"),
    (4, "avril"),
    (5, "mai"),
    (6, "juin"),
    (7, "juillet"),
    (8, "août"),
    (9, "septembre"),
    (10, "octobre"),
    (11, "novembre"),
    (12, "décembre"),
]


class FeeScheduleViewSet(SnippetViewSet):
    model = FeeSchedule
    icon = "table"
    menu_label = "Barèmes des frais"
    url_prefix = "facturation/baremes"
    list_display = ["year", "vat_rate", "second_discount", "later_discount"]
    edit_handler = ObjectList(FeeSchedule.panels, base_form_class=FeeScheduleForm)


class MarketFeeViewSet(SnippetViewSet):
    model = MarketFee
    icon = "tag"
    menu_label = "Marchés sans frais"
    url_prefix = "facturation/marches-sans-frais"
    list_display = ["market", "free", "note"]


class EstablishmentSizeViewSet(SnippetViewSet):
    model = EstablishmentSize
    icon = "group"
    menu_label = "Tailles des établissements"
    url_prefix = "facturation/tailles"
    list_display = ["establishment", Column("size", label="Taille", accessor="size_label"), "updated_at"]
    search_fields = ["establishment__name", "establishment__siret"]


class InvoiceFilterSet(WagtailFilterSet):
    year = django_filters.NumberFilter(label="Année d'émission", field_name="issued_on", lookup_expr="year")
    month = django_filters.ChoiceFilter(
        label="Mois d'émission", choices=MONTHS, field_name="issued_on", lookup_expr="month"
    )
    status = django_filters.ChoiceFilter(
        label="Statut", choices=InvoiceStatus.choices, widget=forms.RadioSelect, empty_label="Tous"
    )
    establishment = django_filters.ModelChoiceFilter(
        label="Établissement", queryset=Establishment.objects.order_by("name"), field_name="establishment"
    )
    market = django_filters.ModelChoiceFilter(
        label="Marché", queryset=MarketPage.objects.order_by("title"), field_name="market"
    )

    class Meta:
        model = Invoice
        fields = ["year", "month", "status", "establishment", "market", "kind"]


class InvoiceIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("market", "establishment")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem("PDF", url=reverse("billing_invoices:pdf", args=[instance.pk]), icon_name="download", priority=5)
        )
        if instance.status == InvoiceStatus.ISSUED and self.permission_policy.user_has_permission(
            self.request.user, PROCESS
        ):
            url = reverse("billing_invoices:mark_paid", args=[instance.pk])
            buttons.append(MenuItem("Marquer payée", url=url, icon_name="tick", priority=6))
        return buttons


class InvoiceInspectView(InspectView):
    @cached_property
    def header_buttons(self):
        buttons = [
            HeaderButton("PDF", url=reverse("billing_invoices:pdf", args=[self.object.pk]), icon_name="download")
        ]
        if self.permission_policy.user_has_permission(self.request.user, PROCESS):
            if self.object.status == InvoiceStatus.ISSUED:
                url = reverse("billing_invoices:mark_paid", args=[self.object.pk])
                buttons.append(HeaderButton("Marquer payée", url=url, icon_name="tick"))
            url = reverse("billing_invoices:credit_note", args=[self.object.pk])
            buttons.append(HeaderButton("Émettre un avoir", url=url, icon_name="undo"))
            if self.object.chorus_status in (ChorusStatus.FAILED, ChorusStatus.REJECTED):
                url = reverse("billing_invoices:chorus_retry", args=[self.object.pk])
                buttons.append(HeaderButton("Redéposer sur Chorus Pro", url=url, icon_name="upload"))
        return buttons


class InvoiceViewSet(ObjectActionViewSetMixin, StaffViewSet):
    model = Invoice
    icon = "doc-full"
    menu_label = "Factures"
    url_prefix = "facturation/factures"
    name = "billing_invoices"
    index_view_class = InvoiceIndexView
    inspect_view_class = InvoiceInspectView
    filterset_class = InvoiceFilterSet
    search_fields = ["number", "buyer_name", "buyer_siret"]
    list_display = [
        "number",
        "issued_on",
        "establishment",
        "market",
        Column("kind", label="Type", accessor="get_kind_display"),
        "fee_year",
        "total_incl_vat",
        Column("status", label="Statut", accessor="get_status_display"),
        "paid_on",
        Column("chorus_status", label="Chorus Pro", accessor="get_chorus_status_display"),
    ]
    list_export = [
        "number",
        "issued_on",
        "due_on",
        "buyer_name",
        "buyer_siret",
        "buyer_chorus_code",
        "market",
        "get_kind_display",
        "fee_year",
        "months",
        "total_excl_vat",
        "vat_amount",
        "total_incl_vat",
        "get_status_display",
        "paid_on",
        "buyer_engagement_number",
        "get_chorus_status_display",
        "chorus_reason",
        "reminder_sent_on",
    ]
    export_headings = {
        "number": "Numéro",
        "issued_on": "Émise le",
        "due_on": "Échéance",
        "buyer_name": "Acheteur",
        "buyer_siret": "SIRET",
        "buyer_chorus_code": "Code service Chorus Pro",
        "market": "Marché",
        "get_kind_display": "Type",
        "fee_year": "Année facturée",
        "months": "Mois facturés",
        "total_excl_vat": "Total HT",
        "vat_amount": "TVA",
        "total_incl_vat": "Total TTC",
        "get_status_display": "Statut",
        "paid_on": "Payée le",
        "buyer_engagement_number": "N° d'engagement juridique",
        "get_chorus_status_display": "Chorus Pro",
        "chorus_reason": "Motif Chorus Pro",
        "reminder_sent_on": "Relance envoyée le",
    }
    export_filename = "factures"
    inspect_view_fields = [
        "number",
        "kind",
        "status",
        "issued_on",
        "due_on",
        "paid_on",
        "subscription",
        "buyer_name",
        "buyer_siret",
        "buyer_chorus_code",
        "buyer_address",
        "buyer_engagement_number",
        "chorus_status",
        "chorus_flow_number",
        "chorus_reason",
        "chorus_checked_at",
        "reminder_sent_on",
        "fee_year",
        "months",
        "total_excl_vat",
        "vat_amount",
        "total_incl_vat",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("campagne/", RunView.as_view(), name="run"),
            path("releve/", BankStatementView.as_view(), name="statement"),
            path("<id:pk>/pdf/", StaffInvoicePdfView.as_view(), name="pdf"),
            self.action_path("payee/", MarkPaidView, "mark_paid"),
            self.action_path("avoir/", CreditNoteView, "credit_note"),
            self.action_path("chorus/", ChorusRetryView, "chorus_retry"),
            path("avoirs/<id:pk>/pdf/", StaffCreditNotePdfView.as_view(), name="credit_note_pdf"),
        ]


class StaffInvoicePdfView(View):
    def get(self, request, pk):
        if not permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        invoice = get_object_or_404(Invoice, pk=pk)
        return private_download(invoice_pdf(invoice), filename=invoice.pdf_filename, content_type="application/pdf")


class StaffCreditNotePdfView(View):
    def get(self, request, pk):
        if not permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        note = get_object_or_404(CreditNote.objects.select_related("invoice"), pk=pk)
        pdf = credit_note_pdf(note)
        return private_download(pdf, filename=f"avoir-{note.number}.pdf", content_type="application/pdf")


class InvoiceStep(ObjectActionView):
    def get_queryset(self):
        return Invoice.objects.select_related("establishment", "market")

    def get_page_subtitle(self):
        return f"Facture {self.object.number}"

    def summary(self):
        invoice = self.object
        return [
            (
                "Facture",
                f"{invoice.number} du {display_value(invoice.issued_on)} — {euros(invoice.total_incl_vat)} TTC",
            ),
            ("Acheteur", f"{invoice.buyer_name} (SIRET {invoice.buyer_siret})"),
            ("Marché", invoice.market.title),
        ]


class MarkPaidView(InvoiceStep):
    page_title = "Marquer payée"
    form_class = MarkPaidForm

    def get_initial(self):
        return {"paid_on": timezone.localdate()}

    def perform(self, form):
        services.invoice_mark_paid(invoice=self.object, paid_on=form.cleaned_data["paid_on"], by=self.request.user)
        return f"Facture {self.object.number} marquée payée."


class CreditNoteView(InvoiceStep):
    page_title = "Émettre un avoir"
    form_class = CreditNoteForm

    def perform(self, form):
        note = services.credit_note_issue(
            invoice=self.object, today=timezone.localdate(), by=self.request.user, **form.cleaned_data
        )
        return f"Avoir {note.number} émis sur la facture {self.object.number}."


class ChorusRetryView(InvoiceStep):
    """A deposit given up (Chorus down for hours, an account fixed since) or rejected then
    corrected on Chorus's side (a service code activated): deposited again by the worker."""

    page_title = "Redéposer sur Chorus Pro"
    form_class = forms.Form

    def perform(self, form):
        services.chorus_redeposit(invoice=self.object, by=self.request.user)
        return f"Facture {self.object.number} remise en file pour Chorus Pro."


class RunView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A run: "Prévisualiser" lists what would be issued with the totals; "Émettre" issues it."""

    template_name = "billing/admin/run.html"
    page_title = "Campagne de facturation"
    header_icon = "doc-full"
    form_class = RunForm
    permission_policy = permission_policy
    permission_required = PROCESS

    def get_initial(self):
        return {"kind": InvoiceKind.FIRST, "today": timezone.localdate()}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET" and "kind" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        context = {"form": form}
        if form.is_bound and form.is_valid():
            context.update(preview(**form.cleaned_data))
        return self.render_to_response(self.get_context_data(**context))

    def form_valid(self, form):
        issued = services.invoices_issue(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"{len(issued)} facture(s) émise(s).")
        return redirect("billing_invoices:index")


class BankStatementView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Payments from a bank statement: matched lines mark their invoice paid, the others are listed."""

    template_name = "billing/admin/statement.html"
    page_title = "Rapprocher un relevé bancaire"
    header_icon = "doc-full"
    form_class = BankStatementForm
    permission_policy = permission_policy
    permission_required = PROCESS

    def get_initial(self):
        return {"paid_on": timezone.localdate()}

    def form_valid(self, form):
        try:
            lines = payments.match(payments.read_statement(form.cleaned_data["statement"]))
        except ValidationError as error:
            form.add_error("statement", error)
            return self.form_invalid(form)
        paid = services.statement_apply(lines=lines, paid_on=form.cleaned_data["paid_on"], by=self.request.user)
        unmatched = [line for line in lines if line.invoice is None]
        messages.success(
            self.request, f"{len(paid)} facture(s) marquée(s) payée(s), {len(unmatched)} ligne(s) non rapprochée(s)."
        )
        return self.render_to_response(
            self.get_context_data(
                form=self.get_form_class()(initial=self.get_initial()), paid=paid, unmatched=unmatched
            )
        )


def preview(*, kind, today):
    drafts = services.invoices_due(kind=kind, today=today)
    ready = [d for d in drafts if d.fee is not None and not d.problem]
    return {
        "drafts": drafts,
        "ready_count": len(ready),
        "total_excl_vat": sum((d.fee.total_excl_vat for d in ready), 0),
        "total_incl_vat": sum((d.fee.total_incl_vat for d in ready), 0),
    }


class BillingGroup(ViewSetGroup):
    menu_label = "Facturation"
    menu_icon = "doc-full"
    menu_order = 310
    items = (InvoiceViewSet, FeeScheduleViewSet, MarketFeeViewSet, EstablishmentSizeViewSet)


class BillingPanel(Component):
    """The admin home: invoices to issue this month, issued, unpaid over 30 days."""

    name = "billing"
    order = 70
    template_name = "billing/admin/panel.html"

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        due_first = len(services.due_first_subscriptions(today=today))
        due_yearly = len(services.due_yearly_subscriptions(year=today.year)) if today.month <= 3 else 0
        return {
            "figures": selectors.invoice_figures(today=today, due_first=due_first, due_yearly=due_yearly),
            "run_url": reverse("billing_invoices:run"),
            "statement_url": reverse("billing_invoices:statement")
            if permission_policy.user_has_permission(parent_context["request"].user, PROCESS)
            else "",
            "index_url": reverse("billing_invoices:index"),
        }
