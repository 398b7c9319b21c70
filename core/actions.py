"""Staff steps on one object, one way in every app: one permission policy ("view" to read,
"process" to act), one recorder of the step (row lock, who and when in Wagtail's history)
and one admin view (the object, a form, the service, errors next to the fields).

A viewset adds a step with `ObjectActionViewSetMixin.action_path("recue/", MarkReceivedView,
"received")`; the view names its form and calls its service in `perform`; the service wraps
its write in `record_step`, as a decision goes through `core.decisions.decide`.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .forms import add_service_error

PROCESS = "process"


class StaffPermissionPolicy(ModelPermissionPolicy):
    """What staff may do with what members or imports create. "view" lists, inspects,
    exports and downloads; "process" (the model's `process_permission`, "change" unless
    said) takes a step on an object or decides it, and lets its holder read too. Nobody
    adds or deletes one in the admin; the generic edit form opens only where `editable`."""

    def __init__(self, model, *, editable=False, process_permission="change"):
        super().__init__(model)
        self.editable = editable
        self.process_permission = process_permission

    def _may_process(self, user):
        return super().user_has_permission(user, self.process_permission)

    def user_has_permission(self, user, action):
        if action == PROCESS:
            return self._may_process(user)
        if action == "view":
            return super().user_has_permission(user, "view") or self._may_process(user)
        if action in ("add", "delete") or (action == "change" and not self.editable):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        codenames = set()
        for action in actions:
            if action in (PROCESS, "view"):
                codenames.add(self.process_permission)
            if action == "view" or (action == "change" and self.editable):
                codenames.add(action)
        return super().users_with_any_permission(sorted(codenames))


def staff_policy(model, **options) -> StaffPermissionPolicy:
    """`model`'s StaffPermissionPolicy, registered with Wagtail (its views, menus and
    listings find it there); the one already registered if there is one."""
    policy = policy_registry.get_by_type(model, fallback=False)
    if not isinstance(policy, StaffPermissionPolicy):
        policy = StaffPermissionPolicy(model, **options)
        register_permission_policy(model, policy, exact_class=True)
    return policy


class PolicyMenuItem(MenuItem):
    """A menu item shown to whoever `policy` lets view (a plain ViewSet has no model to ask)."""

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy

    def is_shown(self, request):
        return self.policy.user_has_permission(request.user, "view")


class PolicyViewSet(ViewSet):
    """A plain ViewSet (reports, figures, imports) whose menu item shows to whoever
    `policy_model`'s staff policy lets view (read when the menu is built: the model's own
    viewset registers it first)."""

    policy_model = None

    def get_menu_item(self, order=None):
        return PolicyMenuItem(
            self.menu_label,
            self.menu_url,
            name=self.name,
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            policy=staff_policy(self.policy_model),
        )


def record_step(*, instance, action: str, by, perform: Callable, data: dict | None = None, queryset=None):
    """Lock `instance`'s row, run `perform(locked)` on the locked copy (its ValidationError
    undoes everything, log included), then write the step in Wagtail's history: who (`by`,
    None for a scheduled run) and when. `instance` is refreshed, so the caller sees the
    step; returns what `perform` returns."""
    queryset = queryset if queryset is not None else type(instance)._default_manager.all()
    with transaction.atomic():
        locked = queryset.select_for_update(of=("self",)).get(pk=instance.pk)
        result = perform(locked)
        log(instance=locked, action=action, user=by, data=data or {})
    instance.refresh_from_db()
    return result


class ObjectActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """One staff step on one object: checks `permission_required` against the viewset's
    policy, fetches the object, shows `summary()` and the form, runs `perform(form)` (the
    service), puts a service's ValidationError next to its field, then goes back to the
    object's page with `perform`'s message. `refusal()` says why the step is closed now."""

    template_name = "core/admin/object_action.html"
    permission_policy = None
    permission_required = PROCESS
    model = None
    index_url_name = None
    inspect_url_name = None
    header_icon = ""
    submit_label = ""

    def get_queryset(self):
        return self.model._default_manager.all()

    def dispatch(self, request, *args, **kwargs):
        # The permission first (PermissionCheckedMixin), then the object, then whether the step is open.
        if self.permission_policy is None or not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if refusal := self.refusal():
            messages.error(request, refusal)
            return redirect(self.object_url())
        return super(PermissionCheckedMixin, self).dispatch(request, *args, **kwargs)

    def refusal(self) -> str:
        return ""

    def summary(self):
        """[(label, value)] shown above the form: what the step is taken on."""
        return []

    def perform(self, form) -> str:
        raise NotImplementedError

    def object_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.index_url_name:
            items.append({"url": reverse(self.index_url_name), "label": self.model._meta.verbose_name_plural})
        return items + [
            {"url": self.object_url(), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object,
            summary=self.summary(),
            submit_label=self.submit_label or self.get_page_title(),
            back_url=self.object_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if message:
            messages.success(self.request, message)
        return redirect(self.object_url())


class ObjectActionViewSetMixin:
    """For a ModelViewSet: `action_path` builds a step's URL with the viewset's policy and names."""

    def action_path(self, route, view_class, name):
        view = self.construct_view(
            view_class,
            model=self.model,
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
            header_icon=self.icon,
        )
        return path(f"<int:pk>/{route}", view, name=name)
