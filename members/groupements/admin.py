"""Staff queue in the Wagtail admin: groupements to check, their rows, approve or reject.

Groupements come from members only: staff cannot add or delete one here (the policy below),
may correct its name, and decide once, dated and attributed, through the services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, View
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from members.forms.decisions import DecisionForm
from members.models import Groupement

from . import selectors, services


class GroupementPermissionPolicy(ModelPermissionPolicy):
    """Members create groupements and nobody deletes one: the decisions must stay on record."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in ("add", "delete")])


register_permission_policy(Groupement, GroupementPermissionPolicy(Groupement))


class GroupementDecisionForm(DecisionForm):
    """The members' decision form, worded for a groupement."""

    missing_reason = "Indiquez le motif du refus : il est envoyé à l'adhérent."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (self.APPROVE, "Valider le groupement"),
            (self.REJECT, "Refuser le groupement"),
        ]
        self.fields["reason"].label = "Motif du refus"
        self.fields["reason"].help_text = "Obligatoire en cas de refus : il figure dans l'e-mail envoyé à l'adhérent."


class GroupementIndexView(IndexView):
    def get_edit_url(self, instance):
        # A groupement's name opens its rows and the decision, not the form to rename it.
        return None

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("parent", "market", "created_by", "decided_by")
            .annotate(member_count=Count("members", distinct=True))
        )


class GroupementInspectView(InspectView):
    template_name = "members/groupements/admin/inspect.html"
    decide_url_name = None
    original_url_name = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.groupement_members(groupement=self.object)
        context["original_url"] = (
            reverse(self.original_url_name, args=[self.object.pk]) if self.object.spreadsheet else ""
        )
        can_decide = self.object.is_pending and self.user_has_permission("change")
        context["decide_url"] = reverse(self.decide_url_name, args=[self.object.pk]) if can_decide else ""
        return context

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.object.is_pending and self.user_has_permission("change"):
            buttons.insert(
                0,
                Button(
                    "Valider ou refuser",
                    url=reverse(self.decide_url_name, args=[self.object.pk]),
                    icon_name="tick",
                    priority=5,
                ),
            )
        return buttons


class GroupementDecisionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "change"
    model = Groupement
    form_class = GroupementDecisionForm
    template_name = "members/groupements/admin/decide.html"
    page_title = "Valider ou refuser"
    header_icon = "group"
    index_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            Groupement.objects.select_related("parent", "created_by", "market"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.object.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": "Groupements"},
            {"url": reverse(self.inspect_url_name, args=[self.object.pk]), "label": self.object.name},
            {"url": "", "label": "Valider ou refuser"},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "object": self.object,
            "rows": selectors.groupement_members(groupement=self.object),
            "inspect_url": reverse(self.inspect_url_name, args=[self.object.pk]),
        }

    def form_valid(self, form):
        try:
            if form.cleaned_data["decision"] == form.APPROVE:
                services.groupement_approve(groupement=self.object, decided_by=self.request.user)
                messages.success(
                    self.request, f"Groupement « {self.object.name} » validé : l'adhérent est prévenu par e-mail."
                )
            else:
                services.groupement_reject(
                    groupement=self.object, decided_by=self.request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    self.request, f"Groupement « {self.object.name} » refusé : l'adhérent est prévenu par e-mail."
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        return redirect(self.index_url_name)


class GroupementOriginalDownloadView(PermissionCheckedMixin, View):
    """The file exactly as the member sent it, from private storage, for staff only."""

    any_permission_required = ["change", "view"]
    model = Groupement

    def get(self, request, pk):
        groupement = get_object_or_404(Groupement, pk=pk)
        if not groupement.spreadsheet:
            raise Http404
        try:
            handle = groupement.spreadsheet.open("rb")
        except FileNotFoundError:
            raise Http404
        return FileResponse(handle, as_attachment=True, filename=groupement.spreadsheet.name.rsplit("/", 1)[-1])


class GroupementViewSet(ModelViewSet):
    model = Groupement
    icon = "group"
    menu_label = "Groupements"
    menu_order = 160
    add_to_admin_menu = True
    url_prefix = "groupements"
    index_view_class = GroupementIndexView
    inspect_view_enabled = True
    inspect_view_class = GroupementInspectView
    inspect_view_fields = [
        "name",
        "parent",
        "market",
        "created_by",
        "created_at",
        "status",
        "decided_at",
        "decided_by",
        "rejection_reason",
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
    form_fields = ["name"]
    list_per_page = 50

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            decide_url_name=self.get_url_name("decide"), original_url_name=self.get_url_name("original"), **kwargs
        )

    @property
    def decide_view(self):
        return self.construct_view(
            GroupementDecisionView,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    @property
    def original_view(self):
        return self.construct_view(GroupementOriginalDownloadView)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("decide/<int:pk>/", self.decide_view, name="decide"),
            path("original/<int:pk>/", self.original_view, name="original"),
        ]


groupement_viewset = GroupementViewSet("groupements")


@hooks.register("register_admin_viewset")
def register_groupement_viewset():
    return groupement_viewset


class PendingGroupementsPanel(Component):
    """On the admin dashboard, beside the other validation queues: groupements waiting."""

    name = "members_pending_groupements"
    order = 55
    template_name = "members/groupements/admin/panel.html"

    def get_context_data(self, parent_context):
        count = Groupement.objects.filter(status=Groupement.Status.PENDING).count()
        url = reverse(groupement_viewset.get_url_name("index")) + "?status=pending"
        return {"queues": [("Groupements à valider", count, url)]}


@hooks.register("construct_homepage_panels")
def add_pending_groupements_panel(request, panels):
    if request.user.has_perm("members.change_groupement"):
        panels.append(PendingGroupementsPanel())
