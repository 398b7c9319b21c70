"""The assistance in the Wagtail admin, one menu "Assistance": the support queue (a
request's page shows the whole exchange, internal notes included; each thing staff do with
it is a step of its own, core.actions), its figures, and the subjects and questions editors
write (snippets, ordered by drag and drop)."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.views.snippets import SnippetViewSet

from core.actions import PROCESS, ObjectActionView, ObjectActionViewSetMixin, PolicyViewSet, staff_policy
from core.queues import SafeExportIndexView, StaffViewSet
from core.spreadsheets import table_workbook, workbook_bytes, xlsx_response
from members.models import Establishment

from . import reports, selectors, services
from .forms import AttachmentsField
from .models import Attachment, FaqEntry, Severity, Status, Subject, SupportRequest
from .models.requests import OPEN_STATUSES
from .views import attachment_response

# "view" lists, reads, exports and sees the figures; "process" (the model's change
# permission) replies, notes, assigns and moves a request. Requesters create them.
permission_policy = staff_policy(SupportRequest)

# The buttons staff see for each status a request may move to.
TRANSITION_LABELS = {
    Status.IN_PROGRESS: "Prendre en charge",
    Status.WAITING: "En attente du demandeur",
    Status.RESOLVED: "Marquer résolue",
    Status.CLOSED: "Fermer",
}
REOPEN_LABEL = "Rouvrir"


class ReplyForm(forms.Form):
    body = forms.CharField(label="Réponse au demandeur", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    attachments = AttachmentsField(label="Pièces jointes")
    wait_for_requester = forms.BooleanField(
        label="En attente du demandeur", required=False, help_text="La réponse demande un complément au demandeur."
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note interne",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Visible de l'équipe seulement : jamais montrée ni envoyée au demandeur.",
    )
    attachments = AttachmentsField(label="Pièces jointes internes")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Suivie par", queryset=get_user_model().objects.none(), required=False, empty_label="Personne"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model().objects.filter(is_staff=True, is_active=True).order_by("first_name", "last_name")
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Nouveau statut", choices=Status.choices)
    comment = forms.CharField(
        label="Commentaire pour le demandeur (facultatif)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Envoyé par e-mail avec le nouveau statut.",
    )


def transitions_for(support_request):
    """[(status, label)] staff may choose now, in the machine's order."""
    allowed = services.TRANSITIONS[support_request.status]
    reopening = support_request.status in (Status.RESOLVED, Status.CLOSED)
    return [
        (status, REOPEN_LABEL if status == Status.IN_PROGRESS and reopening else TRANSITION_LABELS[status])
        for status in TRANSITION_LABELS
        if status in allowed
    ]


class SupportRequestInspectView(InspectView):
    """A request as staff see it: context, exchange with internal notes, and a form for
    each step (each posts to its own ObjectActionView)."""

    template_name = "assistance/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(SupportRequest.objects.select_related("subject", "requester", "assignee"), pk=self.pk)

    def get_context_data(self, **kwargs):
        initial, exchange = selectors.request_exchange(support_request=self.object, internal=True)
        pk = self.object.pk
        return super().get_context_data(
            reply_form=ReplyForm(),
            note_form=NoteForm(),
            assign_form=AssignForm(initial={"assignee": self.object.assignee_id}),
            status_form=StatusForm(),
            step_urls={name: reverse(f"assistance_admin:{name}", args=[pk]) for name in STEPS},
            support_request=self.object,
            initial_attachments=initial,
            exchange=exchange,
            can_process=self.permission_policy.user_has_permission(self.request.user, PROCESS),
            transitions=transitions_for(self.object),
            **kwargs,
        )


class SupportRequestStep(ObjectActionView):
    def get_queryset(self):
        return SupportRequest.objects.select_related("subject")

    def summary(self):
        request = self.object
        return [
            ("Demande", f"{request.reference} — {request.subject.name if request.subject_id else ''}"),
            ("Demandeur", request.contact_name),
            ("Statut", request.get_status_display()),
        ]


class ReplyView(SupportRequestStep):
    page_title = "Répondre au demandeur"
    submit_label = "Envoyer la réponse"
    form_class = ReplyForm

    def perform(self, form):
        data = form.cleaned_data
        services.request_reply(
            support_request=self.object,
            author=self.request.user,
            body=data["body"],
            files=data["attachments"],
            wait_for_requester=data["wait_for_requester"],
        )
        return "Réponse envoyée : le demandeur est prévenu par e-mail."


class NoteView(SupportRequestStep):
    page_title = "Note interne"
    submit_label = "Ajouter la note"
    form_class = NoteForm

    def perform(self, form):
        data = form.cleaned_data
        services.request_note(
            support_request=self.object, author=self.request.user, body=data["body"], files=data["attachments"]
        )
        return "Note interne ajoutée."


class AssignView(SupportRequestStep):
    page_title = "Suivi"
    submit_label = "Enregistrer"
    form_class = AssignForm

    def perform(self, form):
        services.request_assign(
            support_request=self.object, assignee=form.cleaned_data["assignee"], by=self.request.user
        )
        return "Suivi mis à jour."


class StatusView(SupportRequestStep):
    page_title = "Statut"
    form_class = StatusForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["status"].choices = transitions_for(self.object)
        return form

    def perform(self, form):
        updated = services.request_set_status(
            support_request=self.object,
            status=form.cleaned_data["status"],
            by=self.request.user,
            comment=form.cleaned_data["comment"],
        )
        return f"Demande « {updated.get_status_display()} » : le demandeur est prévenu par e-mail."


STEPS = {
    "reply": ("repondre/", ReplyView),
    "note": ("note/", NoteView),
    "assign": ("suivi/", AssignView),
    "status": ("statut/", StatusView),
}


class StaffAttachmentView(View):
    """Any attachment of any request, internal ones included, for staff who may view requests."""

    permission_policy = None

    def get(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        return attachment_response(get_object_or_404(Attachment, pk=pk))


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Indicateurs de l'assistance"
    header_icon = "table"
    template_name = "assistance/admin/report.html"
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            months=reports.monthly_figures(),
            open_table=reports.open_by_subject_and_severity(),
            export_url=reverse("assistance_report:export"),
            **kwargs,
        )


class ReportExportView(ReportView):
    def get(self, request, *args, **kwargs):
        rows = [month.row() for month in reports.monthly_figures()]
        workbook = table_workbook(headers=reports.HEADERS, rows=rows, title="Assistance par mois")
        return xlsx_response(workbook_bytes(workbook), "indicateurs-assistance.xlsx")


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


class SupportRequestViewSet(ObjectActionViewSetMixin, StaffViewSet):
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

    def get_urlpatterns(self):
        attachment = StaffAttachmentView.as_view(permission_policy=permission_policy)
        steps = [self.action_path(route, view, name) for name, (route, view) in STEPS.items()]
        return super().get_urlpatterns() + steps + [path("piece/<int:pk>/", attachment, name="attachment")]


class ReportViewSet(PolicyViewSet):
    policy_model = SupportRequest
    name = "assistance_report"
    url_prefix = "assistance/indicateurs"
    icon = "table"
    menu_label = "Indicateurs"

    def get_urlpatterns(self):
        return [
            path("", ReportView.as_view(permission_policy=permission_policy), name="index"),
            path("export.xlsx", ReportExportView.as_view(permission_policy=permission_policy), name="export"),
        ]


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
