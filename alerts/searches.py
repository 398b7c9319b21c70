"""Saved searches: keep a member's search of "Tous les marchés" or "Produits et prix" under
a name, and manage them in "Mes alertes".

The criteria are read by the page's own parameter form (markets.catalogue.read_params,
prices.selectors.read_params), so a saved search means exactly what the page showed, and
junk in the query string is dropped the same way.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode

from markets import catalogue
from markets.models.market import MarketStatus
from prices import selectors as price_selectors

from .models import Frequency, SavedSearch, Source

MAX_QUERY_STRING = 2000


def limit() -> int:
    return settings.ALERTS_MAX_SAVED_SEARCHES


def criteria_from(source: str, query_string: str) -> dict:
    """The search's criteria as {parameter: [values]}, without the page number or sort."""
    params = QueryDict(query_string[:MAX_QUERY_STRING])
    if source == Source.MARKETS:
        read = catalogue.read_params(params)
        criteria = {
            "q": [read.query],
            "statut": [read.status],
            "titulaire": read.holder_slugs,
            "theme": read.theme_slugs,
        }
    elif source == Source.PRICES:
        read = price_selectors.read_params(params)
        criteria = {
            "q": [read.query],
            "statut": [read.status],
            "marche": read.markets,
            "titulaire": read.holders,
            "editeur": read.publishers,
            "categorie": read.categories,
        }
    else:
        raise ValidationError({"source": "Page de recherche inconnue."})
    return {name: [v for v in values if v] for name, values in criteria.items() if any(values)}


def saved_search_create(*, user, source: str, query_string: str, name: str, frequency: str) -> SavedSearch:
    if user.saved_searches.count() >= limit():
        raise ValidationError(
            f"Vous avez déjà {limit()} recherches enregistrées, le maximum : supprimez-en une dans "
            "« Mes alertes » pour enregistrer celle-ci."
        )
    search = SavedSearch(
        user=user,
        name=name.strip(),
        source=source,
        params=criteria_from(source, query_string),
        frequency=frequency,
        checked_until=timezone.now(),
    )
    search.full_clean()
    search.save()
    return search


def saved_search_update(*, search: SavedSearch, name: str, frequency: str, paused: bool) -> SavedSearch:
    if search.frequency == Frequency.NONE and frequency != Frequency.NONE or search.paused and not paused:
        # Turned back on: what appeared while it was off is not sent in a burst.
        search.checked_until = timezone.now()
    search.name, search.frequency, search.paused = name.strip(), frequency, paused
    search.full_clean()
    search.save()
    return search


def saved_search_url(search: SavedSearch, *, catalogue_url: str) -> str:
    """The page the search runs on, with its criteria."""
    base = catalogue_url if search.source == Source.MARKETS else _prices_url()
    query = urlencode(search.params, doseq=True)
    return f"{base}?{query}" if query else base


def _prices_url():
    from django.urls import reverse

    return reverse("prices:list")


def criteria_summary(search: SavedSearch) -> str:
    """The criteria in a few French words, for "Mes alertes" and the emails."""
    params, parts = search.params, []
    if params.get("q"):
        parts.append(f"« {params['q'][0]} »")
    labels = {
        "titulaire": "titulaire",
        "theme": "thème",
        "marche": "marché",
        "editeur": "éditeur",
        "categorie": "catégorie",
    }
    for name, label in labels.items():
        if params.get(name):
            parts.append(f"{label} : {', '.join(params[name])}")
    status = (params.get("statut") or [MarketStatus.CURRENT])[0]
    if status != MarketStatus.CURRENT:
        parts.append(dict(catalogue.STATUS_CHOICES).get(status, status).lower())
    return " ; ".join(parts) or "toute la page"
