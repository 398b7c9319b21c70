"""Price imports in the Wagtail admin: registration only (the classes are in viewsets.py)."""

from wagtail import hooks

from core.admin_registry import register_admin

from .imports import APPLY_ACTION, CHECK_ACTION
from .viewsets import PriceImportViewSet

register_admin(PriceImportViewSet)


@hooks.register("register_log_actions")
def register_step_log_actions(actions):
    actions.register_action(CHECK_ACTION, "Vérification du fichier", "Vérification du fichier de prix lancée")
    actions.register_action(APPLY_ACTION, "Application des prix", "Application des prix lancée")
