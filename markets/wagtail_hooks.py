"""Holders and themes in the Wagtail admin (registration only: viewsets.py), and the
check on every download of a market piece."""

from django.contrib.auth.views import redirect_to_login
from wagtail import hooks

from core.admin_registry import register_admin

from .documents_access import can_download, download_refusal
from .viewsets import HolderViewSet, ThemeViewSet

register_admin(ThemeViewSet)
register_admin(HolderViewSet)


@hooks.register("before_serve_document")
def check_document_access(document, request):
    """Every download of a market piece goes through here: no public file URL exists."""
    if can_download(request, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise download_refusal(request, document)
