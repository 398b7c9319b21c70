"""Staff queue in the Wagtail admin (registered in wagtail_hooks.py): groupements to check,
their rows, approve or reject.

Groupements come from members only: staff cannot add or delete one here, may correct its
name, and decide once, dated and attributed, through the services.
"""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views import View
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from core.downloads import private_download
from core.forms import DecisionForm
from core.queues import ReviewViewSet
from core.spreadsheets import XLSX_CONTENT_TYPE

from . import selectors, services
from .models import Groupement


class GroupementDecisionForm(DecisionForm):
    """The decision form, worded for a groupement."""

    missing_reason = "Indiquez le motif du refus : il est envoyé à l'adhérent."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (self.APPROVE, "Valider le groupement"),
            (self.REJECT, "Refuser le groupement"),
        ]
        self.fields["reason"].label = "Motif du refus"
        self.fields["reason"].help_text = "Obligatoire en cas de refus : il figure dans l'e-mail envoyé à l'adhérent."


class OriginalDownloadView(PermissionCheckedMixin, View):
    """The spreadsheet as the member sent it, for staff only (private storage)."""

    permission_required = "view"
    model = Groupement

    def get(self, request, pk):
        groupement = get_object_or_404(Groupement, pk=pk)
        if not groupement.spreadsheet:
            raise Http404
        name = groupement.spreadsheet_name or f"groupement-{groupement.pk}.xlsx"
        if not name.lower().endswith(".xlsx"):
            name += ".xlsx"  # the content is a workbook, whatever the member named it
        return private_download(groupement.spreadsheet, filename=name, content_type=XLSX_CONTENT_TYPE)


class GroupementQueue(ReviewViewSet):
    model = Groupement
    name = "groupements_admin"
    url_prefix = "groupements"
    icon = "group"
    menu_label = "Groupements"
    menu_order = 160
    add_to_admin_menu = True
    queue_label = "Groupements à valider"
    decision_form_class = GroupementDecisionForm
    editable = True
    form_fields = ["name"]
    inspect_view_fields = [
        "name",
        "spreadsheet_name",
        "parent",
        "market",
        "created_by",
        "created_at",
        "status",
        "decided_at",
        "decided_by",
        "decision_reason",
    ]
    list_display = [
        "name",
        Column("parent", label="Établissement parent", accessor="parent"),
        Column("market", label="Accord-cadre", accessor="market"),
        Column("member_count", label="Établissements", accessor="member_count"),
        Column("created_by", label="Déposé par", accessor="created_by"),
        DateColumn("created_at", label="Déposé le"),
        Column("status", label="Statut", accessor="get_status_display"),
        DateColumn("decided_at", label="Décidé le"),
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "parent__name", "parent__siret", "members__establishment__siret", "members__name"]
    list_export = [
        "name",
        "parent",
        "market",
        "member_count",
        "created_by",
        "created_at",
        "status",
        "decided_at",
        "decided_by",
    ]
    export_filename = "groupements"

    def get_queryset(self):
        return Groupement.objects.select_related("parent", "market", "created_by", "decided_by").annotate(
            member_count=Count("members", distinct=True)
        )

    def decide(self, obj, **decision):
        return services.groupement_decide(groupement=obj, **decision)

    def decision_details(self, groupement):
        return [
            ("Établissement parent", f"{groupement.parent} (SIRET {groupement.parent.siret})"),
            ("Accord-cadre souhaité", groupement.market.title if groupement.market_id else ""),
            ("Déposé par", groupement.created_by),
            ("Déposé le", groupement.created_at),
        ]

    def extra_context(self, groupement):
        original = reverse(self.get_url_name("original"), args=[groupement.pk]) if groupement.spreadsheet else ""
        return {
            "extra_template": "groupements/admin/rows.html",
            "rows": selectors.groupement_members(groupement=groupement),
            "original_url": original,
        }

    def get_urlpatterns(self):
        original = self.construct_view(OriginalDownloadView, permission_policy=self.permission_policy)
        return super().get_urlpatterns() + [path("original/<int:pk>/", original, name="original")]
