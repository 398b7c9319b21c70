"""The assistance in the Wagtail admin, one menu "Assistance": the support queue, its
figures, and the subjects and questions editors write (snippets, ordered by drag and drop)."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.queues import SafeExportIndexView, StaffViewSet
from members.models import Establishment

from . import reports
from .admin_views import ReportExportView, ReportView, StaffAttachmentView, SupportRequestInspectView
from .models import FaqEntry, Severity, Status, Subject, SupportRequest
from .models.requests import OPEN_STATUSES
from .permissions import SupportPermissionPolicy

permission_policy = SupportPermissionPolicy(SupportRequest)

AGES = [("1", "Moins d'un jour"), ("3", "Plus de 3 jours"), ("7", "Plus de 7 jours"), ("30", "Plus de 30 jours")]


class SupportRequestFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label="Statut", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    subject = django_filters.ModelChoiceFilter(label="Sujet", queryset=Subject.objects.order_by("sort_order", "name"))
    severity = django_filters.ChoiceFilter(label="Gravité", choices=Severity.choices)
    assignee = django_filters.ModelChoiceFilter(
        label="Suivie par", queryset=get_user_model().objects.filter(is_staff=True).order_by("first_name")
    )
    establishment = django_filters.ModelChoiceFilter(
        label="Établissement",
        field_name="establishments",
        queryset=Establishment.objects.filter(support_requests__isnull=False).distinct().order_by("name"),
    )
    age = django_filters.ChoiceFilter(label="Ancienneté", choices=AGES, method="filter_age")
    created_at = django_filters.DateFromToRangeFilter(label="Créée le", widget=DateRangePickerWidget)

    class Meta:
        model = SupportRequest
        fields = ["status", "subject", "severity", "assignee", "establishment", "age", "created_at"]

    def filter_age(self, queryset, name, value):
        limit = timezone.now() - datetime.timedelta(days=int(value))
        return queryset.filter(created_at__gte=limit) if value == "1" else queryset.filter(created_at__lt=limit)


def _requester(support_request):
    return support_request.organisation or ", ".join(e.name for e in support_request.establishments.all())


class SupportRequestIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        # What each row shows, fetched with the page: a constant number of queries.
        return super().get_base_queryset().select_related("subject", "assignee").prefetch_related("establishments")


class SupportRequestViewSet(StaffViewSet):
    model = SupportRequest
    name = "assistance_admin"
    url_prefix = "assistance/demandes"
    icon = "help"
    menu_label = "Demandes"
    index_view_class = SupportRequestIndexView
    inspect_view_class = SupportRequestInspectView
    filterset_class = SupportRequestFilterSet
    search_fields = ["reference", "contact_name", "contact_email", "organisation", "message", "concerns_label"]
    list_display = [
        Column("reference", label="Référence", accessor="reference"),
        Column("subject", label="Sujet", accessor="subject"),
        Column("contact_name", label="Demandeur", accessor="contact_name"),
        Column("organisation", label="Établissement", accessor=_requester),
        Column("status", label="Statut", accessor="get_status_display"),
        Column("severity", label="Gravité", accessor="get_severity_display"),
        Column("assignee", label="Suivie par", accessor="assignee"),
        DateColumn("created_at", label="Créée le"),
    ]
    list_export = [
        "reference",
        "subject",
        "get_status_display",
        "get_severity_display",
        "get_frequency_display",
        "contact_name",
        "contact_email",
        "organisation",
        "concerns_label",
        "page_path",
        "assignee",
        "created_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
    ]
    export_headings = {
        "reference": "Référence",
        "subject": "Sujet",
        "get_status_display": "Statut",
        "get_severity_display": "Gravité",
        "get_frequency_display": "Fréquence",
        "contact_name": "Demandeur",
        "contact_email": "E-mail",
        "organisation": "Établissement (saisi)",
        "concerns_label": "Objet concerné",
        "page_path": "Page d'origine",
        "assignee": "Suivie par",
        "created_at": "Créée le",
        "first_response_at": "Première réponse le",
        "resolved_at": "Résolue le",
        "closed_at": "Fermée le",
    }
    export_filename = "demandes-assistance"

    @cached_property
    def review_policy(self):
        return permission_policy

    def get_urlpatterns(self):
        attachment = StaffAttachmentView.as_view(permission_policy=permission_policy)
        return super().get_urlpatterns() + [path("piece/<int:pk>/", attachment, name="attachment")]


class PermittedMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_permission(request.user, "view")


class ReportViewSet(ViewSet):
    name = "assistance_report"
    url_prefix = "assistance/indicateurs"
    icon = "table"
    menu_label = "Indicateurs"

    def get_urlpatterns(self):
        return [
            path("", ReportView.as_view(permission_policy=permission_policy), name="index"),
            path("export.xlsx", ReportExportView.as_view(permission_policy=permission_policy), name="export"),
        ]

    def get_menu_item(self, order=None):
        return PermittedMenuItem(
            self.menu_label, self.menu_url, name=self.name, icon_name=self.icon, order=self.get_menu_item_order(order)
        )


class SubjectViewSet(SnippetViewSet):
    model = Subject
    icon = "list-ul"
    menu_label = "Sujets de demande"
    list_display = ["name", "active"]
    search_fields = ["name"]


class FaqEntryViewSet(SnippetViewSet):
    model = FaqEntry
    icon = "help"
    menu_label = "Questions fréquentes"
    list_display = ["question", "subject", "live"]
    list_filter = ["subject", "live"]
    search_fields = ["question"]

    def get_queryset(self, request):
        return FaqEntry.objects.select_related("subject")


class AssistanceGroup(ViewSetGroup):
    menu_label = "Assistance"
    menu_icon = "help"
    menu_order = 170
    items = (SupportRequestViewSet, ReportViewSet, SubjectViewSet, FaqEntryViewSet)


register_snippet(AssistanceGroup)


class AssistancePanel(Component):
    """The admin home: open requests by subject and severity."""

    name = "assistance"
    order = 60
    template_name = "assistance/admin/panel.html"

    def get_context_data(self, parent_context):
        return {
            "table": reports.open_by_subject_and_severity(),
            "queue_url": reverse("assistance_admin:index"),
            "open_statuses": OPEN_STATUSES,
            "report_url": reverse("assistance_report:index"),
        }


@hooks.register("construct_homepage_panels")
def add_assistance_panel(request, panels):
    if permission_policy.user_has_permission(request.user, "view"):
        panels.append(AssistancePanel())
