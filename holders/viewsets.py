"""Staff back-office for the holders' side (registered in wagtail_hooks.py): holder
contacts (invite, revoke), campaigns (open), the reports queue (accept or send back
through core.decisions, internal notes), and the sales figures."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup

from core.actions import PROCESS, ObjectActionView, ObjectActionViewSetMixin, PolicyViewSet, staff_policy
from core.downloads import private_download
from core.forms import BaseForm, DecisionForm, add_service_error
from core.queues import ReviewViewSet, SafeExportIndexView, StaffViewSet
from core.spreadsheets import table_workbook, workbook_bytes, xlsx_response
from markets.models import Holder, MarketPage

from . import campaigns, figures, invitations, reports
from .models import Campaign, Half, HolderContact, Report


class AdminFormView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A staff form that is not about one object (invite, open a campaign)."""

    template_name = "core/admin/object_action.html"
    permission_required = PROCESS
    index_url_name = None
    header_icon = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summary=[], submit_label=self.get_page_title(), back_url=reverse(self.index_url_name), **kwargs
        )

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.index_url_name)


class InviteForm(BaseForm):
    holder = forms.ModelChoiceField(label="Titulaire", queryset=Holder.objects.order_by("name"))
    email = forms.EmailField(label="Adresse e-mail du contact", max_length=254)


class InviteView(AdminFormView):
    page_title = "Inviter un contact titulaire"
    form_class = InviteForm

    def get_initial(self):
        holder = self.request.GET.get("titulaire", "")
        return {"holder": holder} if holder.isdigit() and len(holder) < 12 else {}

    def perform(self, form):
        contact = invitations.contact_invite(
            holder=form.cleaned_data["holder"], email=form.cleaned_data["email"], invited_by=self.request.user
        )
        return f"Invitation envoyée à {contact.email} ({contact.holder})."


class RevokeForm(BaseForm):
    confirm = forms.BooleanField(label="Je confirme : ce contact ne pourra plus se connecter.")


class RevokeView(ObjectActionView):
    page_title = "Révoquer l'accès"
    form_class = RevokeForm

    def refusal(self):
        return "Ce contact est déjà révoqué." if self.object.revoked_at else ""

    def summary(self):
        return [("Contact", self.object.email), ("Titulaire", self.object.holder)]

    def perform(self, form):
        invitations.contact_revoke(contact=self.object, revoked_by=self.request.user)
        return f"Accès de {self.object.email} révoqué."


class ContactIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("holder")


class CampaignIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("opened_by")


class HolderContactViewSet(ObjectActionViewSetMixin, StaffViewSet):
    model = HolderContact
    icon = "user"
    menu_label = "Contacts titulaires"
    url_prefix = "titulaires/contacts"
    name = "holder_contacts"
    list_display = [
        "email",
        "holder",
        Column("state", label="État", accessor="state"),
        DateColumn("invited_at", label="Invité le"),
        DateColumn("accepted_at", label="Acceptée le"),
        DateColumn("revoked_at", label="Révoqué le"),
    ]
    list_filter = ["holder"]
    search_fields = ["email", "holder__name", "holder__siren"]
    list_export = ["email", "holder", "state", "invited_at", "accepted_at", "revoked_at"]
    export_filename = "contacts-titulaires"
    inspect_view_fields = ["email", "holder", "invited_by", "invited_at", "accepted_at", "revoked_at", "revoked_by"]

    index_view_class = ContactIndexView

    def get_urlpatterns(self):
        invite = self.construct_view(
            InviteView,
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            header_icon=self.icon,
        )
        return super().get_urlpatterns() + [
            path("inviter/", invite, name="invite"),
            self.action_path("revoquer/", RevokeView, "revoke"),
        ]


class OpenCampaignForm(BaseForm):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(label="Semestre", choices=Half.choices, coerce=int)
    deadline = forms.DateField(
        label="Date limite",
        required=False,
        help_text="Par défaut : le dernier jour du mois qui suit le semestre.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class OpenCampaignView(AdminFormView):
    page_title = "Ouvrir une campagne"
    form_class = OpenCampaignForm

    def perform(self, form):
        campaign = campaigns.campaign_open(
            year=form.cleaned_data["year"],
            half=form.cleaned_data["half"],
            deadline=form.cleaned_data["deadline"],
            opened_by=self.request.user,
        )
        return f"Campagne {campaign} ouverte : {campaign.reports.count()} rapport(s) attendu(s)."


class CampaignViewSet(StaffViewSet):
    model = Campaign
    icon = "date"
    menu_label = "Campagnes"
    url_prefix = "titulaires/campagnes"
    name = "holder_campaigns"
    list_display = ["__str__", "deadline", DateColumn("opened_at", label="Ouverte le"), "opened_by"]
    list_export = ["year", "half", "deadline", "opened_at"]
    export_filename = "campagnes"

    index_view_class = CampaignIndexView

    def get_urlpatterns(self):
        view = self.construct_view(
            OpenCampaignView,
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            header_icon=self.icon,
        )
        return super().get_urlpatterns() + [path("ouvrir/", view, name="open")]


class ReportDecisionForm(DecisionForm):
    missing_reason = "Indiquez le motif du renvoi : il est envoyé au titulaire."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (self.APPROVE, "Accepter le rapport"),
            (self.REJECT, "Renvoyer pour correction"),
        ]
        self.fields["reason"].label = "Motif du renvoi"
        self.fields["reason"].help_text = "Obligatoire pour un renvoi : il figure dans l'e-mail envoyé au titulaire."


class AttachmentDownloadView(PermissionCheckedMixin, View):
    permission_required = "view"

    def get(self, request, pk, attachment):
        report = get_object_or_404(Report, pk=pk)
        found = get_object_or_404(report.attachments, pk=attachment)
        return private_download(found.file, filename=found.name)


class ReportQueue(ReviewViewSet):
    model = Report
    name = "holder_reports"
    url_prefix = "titulaires/rapports"
    icon = "doc-full"
    menu_label = "Rapports semestriels"
    queue_label = "Rapports semestriels à examiner"
    decision_form_class = ReportDecisionForm
    editable = True
    form_fields = ["staff_notes"]
    list_display = [
        Column("market", label="Accord-cadre", accessor="market"),
        Column("holder", label="Titulaire", accessor="holder"),
        Column("campaign", label="Semestre", accessor="campaign"),
        Column("state", label="État", accessor="state_label"),
        "volume",
        DateColumn("submitted_at", label="Soumis le"),
    ]
    list_filter = ["status", "campaign", "holder"]
    search_fields = ["market__title", "holder__name"]
    list_export = ["market", "holder", "campaign", "status", "volume", "submitted_at", "decided_at"]
    export_filename = "rapports-semestriels"
    inspect_view_fields = [
        "campaign",
        "market",
        "holder",
        "status",
        *reports.FORM_FIELDS,
        "staff_notes",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
        "decision_reason",
    ]

    def get_queryset(self):
        return Report.objects.select_related("campaign", "market", "holder", "submitted_by", "decided_by")

    def decide(self, obj, **decision):
        return reports.report_decide(report=obj, **decision)

    def extra_context(self, report):
        lines = list(report.sales_lines.all())
        return {
            "extra_template": "holders/admin/report_extra.html",
            "lines": lines,
            "total": reports.sales_total(report),
            "out_of_subscription": [line for line in lines if line.out_of_subscription],
            "attachments": [
                (a, reverse(self.get_url_name("attachment"), args=[report.pk, a.pk])) for a in report.attachments.all()
            ],
            "versions": list(report.versions.select_related("submitted_by", "decided_by")),
        }

    def get_urlpatterns(self):
        download = self.construct_view(AttachmentDownloadView, permission_policy=self.permission_policy)
        return super().get_urlpatterns() + [path("<int:pk>/pieces/<int:attachment>/", download, name="attachment")]


class FiguresFilter(forms.Form):
    marche = forms.ModelChoiceField(
        label="Accord-cadre", queryset=MarketPage.objects.order_by("title"), required=False, empty_label="Tous"
    )


class FiguresView(WagtailAdminTemplateMixin, TemplateView):
    """Sales from accepted reports: tables, a chart per agreement, the late reports."""

    page_title = "Ventes déclarées par les titulaires"
    header_icon = "table"
    template_name = "holders/admin/figures.html"

    def dispatch(self, request, *args, **kwargs):
        if not staff_policy(Report).user_has_permission(request.user, "view"):
            raise PermissionDenied
        self.filter = FiguresFilter(request.GET or None)
        market = self.filter.cleaned_data["marche"] if self.filter.is_valid() else None
        self.market_id = market.pk if market else None
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        query = f"?marche={self.market_id}" if self.market_id else ""
        return super().get_context_data(
            filter=self.filter,
            figures=figures.sales_figures(market_id=self.market_id),
            charts=figures.market_charts(market_id=self.market_id),
            export_url=reverse("holder_figures:export") + query,
            **kwargs,
        )


class FiguresExportView(FiguresView):
    def get(self, request, *args, **kwargs):
        workbook = table_workbook(
            headers=figures.HEADERS, rows=figures.export_rows(market_id=self.market_id), title="Ventes déclarées"
        )
        return xlsx_response(workbook_bytes(workbook), "ventes-declarees.xlsx")


class FiguresViewSet(PolicyViewSet):
    policy_model = Report
    name = "holder_figures"
    url_prefix = "titulaires/ventes"
    icon = "table"
    menu_label = "Ventes déclarées"

    def get_urlpatterns(self):
        return [
            path("", FiguresView.as_view(), name="index"),
            path("export.xlsx", FiguresExportView.as_view(), name="export"),
        ]


class HoldersGroup(ViewSetGroup):
    # Beside the holders' own snippets ("Titulaires"): what they report.
    menu_label = "Rapports des titulaires"
    menu_icon = "group"
    menu_order = 170
    items = (ReportQueue, FiguresViewSet, CampaignViewSet, HolderContactViewSet)
