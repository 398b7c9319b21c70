"""Holders and themes in the Wagtail admin (snippets)."""

from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from core.queues import SafeExportMixin

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


class HolderIndexView(SafeExportMixin, IndexView):
    """The holders' export through the safe writer: a name typed "=1+1" stays text."""


class HolderViewSet(SnippetViewSet):
    model = Holder
    icon = "group"
    menu_label = "Titulaires"
    index_view_class = HolderIndexView
    list_display = ["name", "siren", "website"]
    search_fields = ["name", "siren"]
    search_backend_name = None  # a filter on the columns: the search index holds no SIREN
    list_export = ["name", "siren", "website"]
    add_to_admin_menu = True
    menu_order = 200
