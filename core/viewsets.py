"""Core's own listing in the Wagtail admin (registered in wagtail_hooks.py)."""

from wagtail.admin.ui.tables import Column, DateColumn

from .models import EmailFailure
from .queues import StaffViewSet


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
