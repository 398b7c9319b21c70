"""Price imports in the Wagtail admin: registration only (the classes are in viewsets.py)."""

from core.admin_registry import register_admin

from .viewsets import PriceImportViewSet

register_admin(PriceImportViewSet)
