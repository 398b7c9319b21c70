"""Staff pages in the Wagtail admin: a request's page (the whole exchange, internal notes
included, and what staff do with it), attachments, and the figures."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.forms import add_service_error
from core.spreadsheets import table_workbook, workbook_bytes, xlsx_response

from . import reports, selectors, services
from .forms import AttachmentsField
from .models import Attachment, Status, SupportRequest
from .permissions import PROCESS
from .views import attachment_response

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
    status = forms.ChoiceField(choices=Status.choices)
    comment = forms.CharField(
        label="Commentaire pour le demandeur (facultatif)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Envoyé par e-mail avec le nouveau statut.",
    )


FORMS = {"reply": ReplyForm, "note": NoteForm, "assign": AssignForm, "status": StatusForm}


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
    """A request as staff see it: context, exchange with internal notes, and the actions."""

    template_name = "assistance/admin/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(SupportRequest.objects.select_related("subject", "requester", "assignee"), pk=self.pk)

    @cached_property
    def can_process(self):
        return self.permission_policy.user_has_permission(self.request.user, PROCESS)

    def post(self, request, *args, **kwargs):
        if not self.can_process:
            raise PermissionDenied
        action = request.POST.get("action")
        form_class = FORMS.get(action)
        if form_class is None:
            return redirect(self.request.path)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = self.perform(action, form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return redirect(self.request.path)
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))

    def perform(self, action, data):
        user, support_request = self.request.user, self.object
        if action == "reply":
            services.request_reply(
                support_request=support_request,
                author=user,
                body=data["body"],
                files=data["attachments"],
                wait_for_requester=data["wait_for_requester"],
            )
            return "Réponse envoyée : le demandeur est prévenu par e-mail."
        if action == "note":
            services.request_note(
                support_request=support_request, author=user, body=data["body"], files=data["attachments"]
            )
            return "Note interne ajoutée."
        if action == "assign":
            services.request_assign(support_request=support_request, assignee=data["assignee"], by=user)
            return "Suivi mis à jour."
        updated = services.request_set_status(
            support_request=support_request, status=data["status"], by=user, comment=data["comment"]
        )
        return f"Demande « {updated.get_status_display()} » : le demandeur est prévenu par e-mail."

    def get_context_data(self, **kwargs):
        initial, exchange = selectors.request_exchange(support_request=self.object, internal=True)
        forms_ = {
            "reply_form": ReplyForm(),
            "note_form": NoteForm(),
            "assign_form": AssignForm(initial={"assignee": self.object.assignee_id}),
            "status_form": StatusForm(),
        }
        return super().get_context_data(
            **{
                **forms_,
                **kwargs,
                "support_request": self.object,
                "initial_attachments": initial,
                "exchange": exchange,
                "can_process": self.can_process,
                "transitions": transitions_for(self.object),
            }
        )


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
