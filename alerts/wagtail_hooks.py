from django.contrib import messages
from wagtail import hooks

from .admin import AlertsPanel
from .usage import subscribers_count


@hooks.register("construct_homepage_panels")
def add_alerts_panel(request, panels):
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(AlertsPanel())


@hooks.register("before_edit_page")
def tell_publication_reach(request, page):
    """Before publishing, the editor knows how many members a new piece will email."""
    if request.method != "GET" or page.specific_class.__name__ != "MarketPage" or not page.live:
        return
    count = subscribers_count(page)
    if count:
        messages.info(
            request,
            f"À la publication, une pièce ou un avenant ajouté sera annoncé par e-mail à {count} "
            f"utilisateur{'s' if count > 1 else ''} des établissements souscripteurs.",
        )
    else:
        messages.info(request, "Aucun établissement souscripteur ne sera prévenu des pièces ajoutées.")
