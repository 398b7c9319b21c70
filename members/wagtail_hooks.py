"""Staff back-office: the validation queues (accounts, establishments, pending changes),
the directory, and their counts on the admin dashboard."""

from django.contrib.admin import display
from django.contrib.admin.utils import quote
from django.db.models import Prefetch
from django.urls import re_path, reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from members.groupements import admin as groupements_admin  # noqa: F401  (registers the groupements staff queue)
from members.subscriptions import admin  # noqa: F401  (registers the subscriptions back-office)

from . import services
from .admin_views import DecisionView
from .models import DirectoryEntry, Establishment, PendingChange, User
from .selectors import validation_queue_counts


class QueuePermissionHelper(PermissionHelper):
    """Queue items are created by members, never in the admin; deciding needs "change"."""

    def user_can_create(self, user):
        return False

    def user_can_decide(self, user, obj):
        return getattr(obj, "status", None) == "pending" and self.user_has_specific_permission(user, "change")


class ReadOnlyQueuePermissionHelper(QueuePermissionHelper):
    def user_can_edit_obj(self, user, obj):
        return False


class DecisionButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_decide(self.request.user, obj):
            buttons.insert(
                0,
                {
                    "url": self.url_helper.get_action_url("decide", quote(obj.pk)),
                    "label": "Valider ou refuser",
                    "classname": self.finalise_classname(["button-small"]),
                    "title": f"Valider ou refuser : {obj}",
                },
            )
        return buttons


class QueueAdmin(ModelAdmin):
    """A validation queue: pending first, filters, search, a decision page per item."""

    button_helper_class = DecisionButtonHelper
    permission_helper_class = QueuePermissionHelper
    inspect_view_enabled = True
    add_to_settings_menu = False
    list_per_page = 50

    def decide(self, obj, *, approve, decided_by, reason):
        raise NotImplementedError

    def decide_view(self, request, instance_pk):
        return DecisionView.as_view(model_admin=self, instance_pk=instance_pk)(request)

    def get_admin_urls_for_registration(self):
        return super().get_admin_urls_for_registration() + (
            re_path(
                self.url_helper.get_action_url_pattern("decide"),
                self.decide_view,
                name=self.url_helper.get_action_url_name("decide"),
            ),
        )


class AccountQueueAdmin(QueueAdmin):
    model = User
    menu_label = "Comptes"
    menu_icon = "user"
    permission_helper_class = ReadOnlyQueuePermissionHelper
    list_display = (
        "email",
        "full_name",
        "function",
        "establishment_names",
        "status",
        "date_joined",
        "decided_at",
        "decided_by",
    )
    list_filter = ("status", "date_joined")
    search_fields = ("email", "first_name", "last_name", "establishments__name", "establishments__siret")
    inspect_view_fields = (
        "email",
        "first_name",
        "last_name",
        "function",
        "establishment_phone",
        "professional_phone",
        "status",
        "date_joined",
        "decided_at",
        "decided_by",
        "decision_reason",
    )
    list_export = ("email", "first_name", "last_name", "function", "status", "date_joined", "decided_at")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(is_staff=False)
            .select_related("decided_by")
            .prefetch_related(Prefetch("establishments", queryset=Establishment.objects.only("id", "name")))
        )

    @display(description="nom")
    def full_name(self, obj):
        return obj.get_full_name()

    @display(description="établissement(s)")
    def establishment_names(self, obj):
        return ", ".join(e.name for e in obj.establishments.all())

    def decide(self, obj, *, approve, decided_by, reason):
        if approve:
            return services.account_approve(user=obj, decided_by=decided_by, reason=reason)
        return services.account_reject(user=obj, decided_by=decided_by, reason=reason)


class EstablishmentQueueAdmin(QueueAdmin):
    model = Establishment
    menu_label = "Établissements"
    menu_icon = "home"
    list_display = ("name", "siret", "postcode", "city", "status", "created_at", "decided_at", "decided_by")
    list_filter = ("status", "created_at")
    search_fields = ("name", "siret", "siren", "city", "postcode")
    form_fields_exclude = ("decided_at", "decided_by", "decision_reason", "created_by", "status", "users")
    list_export = ("name", "siren", "siret", "ape_code", "chorus_code", "postcode", "city", "status", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decided_by")

    def decide(self, obj, *, approve, decided_by, reason):
        if approve:
            return services.establishment_approve(establishment=obj, decided_by=decided_by, reason=reason)
        return services.establishment_reject(establishment=obj, decided_by=decided_by, reason=reason)


class PendingChangeQueueAdmin(QueueAdmin):
    model = PendingChange
    menu_label = "Modifications"
    menu_icon = "edit"
    permission_helper_class = ReadOnlyQueuePermissionHelper
    list_display = (
        "kind",
        "requested_by",
        "establishment",
        "summary",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    )
    list_filter = ("status", "kind", "created_at")
    search_fields = ("requested_by__email", "requested_by__last_name", "establishment__name", "establishment__siret")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by", "establishment", "decided_by")

    @display(description="changements")
    def summary(self, obj):
        return (
            "; ".join(
                f"{label} : {current or '—'} → {proposed or '—'}" for label, current, proposed in obj.changed_fields()
            )
            or "—"
        )

    def decide(self, obj, *, approve, decided_by, reason):
        if approve:
            return services.pending_change_approve(change=obj, decided_by=decided_by, reason=reason)
        return services.pending_change_reject(change=obj, decided_by=decided_by, reason=reason)


class DirectoryAdmin(ModelAdmin):
    model = DirectoryEntry
    menu_label = "Annuaire"
    menu_icon = "list-ul"
    inspect_view_enabled = True
    list_display = ("name", "siret", "postcode", "city", "ape_code", "legal_category", "updated_at")
    list_filter = ("legal_category",)
    search_fields = ("siret", "name", "postcode")
    list_per_page = 50


@modeladmin_register
class ValidationGroup(ModelAdminGroup):
    menu_label = "Validation CANUT"
    menu_icon = "tick-inverse"
    menu_order = 150
    items = (AccountQueueAdmin, EstablishmentQueueAdmin, PendingChangeQueueAdmin, DirectoryAdmin)


class ValidationQueuesPanel(Component):
    name = "members_validation_queues"
    order = 50
    template_name = "members/admin/validation_panel.html"

    def get_context_data(self, parent_context):
        counts = validation_queue_counts()
        pending = "?status__exact=pending"
        return {
            "queues": [
                ("Comptes à valider", counts["accounts"], reverse("members_user_modeladmin_index") + pending),
                (
                    "Établissements à valider",
                    counts["establishments"],
                    reverse("members_establishment_modeladmin_index") + pending,
                ),
                (
                    "Modifications à valider",
                    counts["changes"],
                    reverse("members_pendingchange_modeladmin_index") + pending,
                ),
            ]
        }


@hooks.register("construct_homepage_panels")
def add_validation_queues_panel(request, panels):
    if request.user.has_perm("members.change_user") or request.user.has_perm("members.change_establishment"):
        panels.insert(0, ValidationQueuesPanel())


@hooks.register("register_log_actions")
def register_decision_log_actions(actions):
    actions.register_action("members.approve", "Valider", "Validé par la CANUT")

    @actions.register_action("members.reject")
    class RejectFormatter(LogFormatter):
        label = "Refuser"

        def format_message(self, log_entry):
            return f"Refusé par la CANUT : {log_entry.data.get('reason', '')}"
