import django_filters
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.active_filters import register_filter_adapter_class
from wagtail.log_actions import LogFormatter

from .admin_registry import register_admin
from .decisions import APPROVE_ACTION, REJECT_ACTION
from .queues import BooleanFilterAdapter, ReviewQueuesPanel, review_queues_for
from .viewsets import EmailFailureViewSet


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


register_admin(EmailFailureViewSet)
# "Adresse e-mail confirmée : Oui", not ": True", on a listing's active filter.
register_filter_adapter_class(django_filters.BooleanFilter, BooleanFilterAdapter)
