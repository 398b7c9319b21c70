"""The validation queues in the Wagtail admin: registration only (the classes are in viewsets.py)."""

from core.admin_registry import register_admin

from .viewsets import ValidationGroup

register_admin(ValidationGroup)
