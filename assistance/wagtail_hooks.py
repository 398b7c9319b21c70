"""The assistance in the Wagtail admin: registration only (the classes are in viewsets.py)."""

from wagtail import hooks

from core.admin_registry import register_admin

from .viewsets import AssistanceGroup, AssistancePanel, permission_policy

register_admin(AssistanceGroup)


@hooks.register("construct_homepage_panels")
def add_assistance_panel(request, panels):
    if permission_policy.user_has_permission(request.user, "view"):
        panels.append(AssistancePanel())
