from django.contrib.auth.views import redirect_to_login
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from core.queues import SafeExportMixin

from .documents_access import can_download, download_refusal
from .models import Holder, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Thèmes"
    list_display = ["name", "parent", "sort_order"]
    list_filter = ["parent"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 210


class HolderIndexView(SafeExportMixin, SnippetIndexView):
    """The export goes through the project's writer (text stays text, no control character)."""


class HolderViewSet(SnippetViewSet):
    model = Holder
    index_view_class = HolderIndexView
    icon = "group"
    menu_label = "Titulaires"
    list_display = ["name", "siren", "website"]
    search_fields = ["name", "siren"]
    # Searched in the database: the search index holds the holder's name only (any search
    # here was a 500, SearchFieldError on "siren").
    search_backend_name = None
    list_export = ["name", "siren", "website"]
    add_to_admin_menu = True
    menu_order = 200


register_snippet(ThemeViewSet)
register_snippet(HolderViewSet)


@hooks.register("before_serve_document")
def check_document_access(document, request):
    """Every download of a market piece goes through here: no public file URL exists."""
    if can_download(request, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise download_refusal(request, document)
