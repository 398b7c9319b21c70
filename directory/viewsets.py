"""The directory in the Wagtail admin: read-only (imports write it, with its search words)."""

from core.queues import StaffViewSet

from .models import DirectoryEntry


class DirectoryViewSet(StaffViewSet):
    model = DirectoryEntry
    name = "directory_admin"
    url_prefix = "members/directoryentry"
    icon = "list-ul"
    menu_label = "Annuaire"
    list_display = ["name", "siret", "postcode", "city", "ape_code", "legal_category", "updated_at"]
    list_filter = ["legal_category"]
    search_fields = ["siret", "name", "postcode"]
    list_export = ["siret", "name", "ape_code", "legal_category", "postcode", "city"]
