from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.log_actions import LogFormatter

from .decisions import APPROVE_ACTION, REJECT_ACTION
from .models import EmailFailure
from .queues import ReviewQueuesPanel, StaffViewSet, review_queues_for


@hooks.register("construct_homepage_panels")
def add_review_queues_panel(request, panels):
    if queues := review_queues_for(request.user):
        panels.insert(0, ReviewQueuesPanel(queues))


@hooks.register("register_log_actions")
def register_decision_log_actions(actions):
    actions.register_action(APPROVE_ACTION, "Valider", "Validé par la CANUT")

    @actions.register_action(REJECT_ACTION)
    class RejectFormatter(LogFormatter):
        label = "Refuser"

        def format_message(self, log_entry):
            return f"Refusé par la CANUT : {log_entry.data.get('reason', '')}"


@hooks.register("insert_global_admin_css")
def admin_contrast_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


class EmailFailureViewSet(StaffViewSet):
    """Emails given up on (core.emails), with why: read-only, for staff with the view permission."""

    model = EmailFailure
    name = "email_failures"
    url_prefix = "emails-en-echec"
    icon = "warning"
    menu_label = "Emails en échec"
    menu_order = 900
    add_to_admin_menu = True
    search_fields = ["recipients", "subject", "template", "reason"]
    list_filter = ["template"]
    list_display = [
        DateColumn("failed_at", label="Abandonné le"),
        Column("recipients", label="Destinataires", accessor="recipients"),
        Column("subject", label="Objet", accessor="subject"),
        Column("attempts", label="Tentatives", accessor="attempts"),
        Column("reason", label="Motif", accessor="reason"),
    ]
    list_export = ["failed_at", "recipients", "subject", "template", "attempts", "reason"]
    inspect_view_fields = ["failed_at", "recipients", "subject", "template", "attempts", "reason"]


@hooks.register("register_admin_viewset")
def register_email_failures():
    return EmailFailureViewSet()
