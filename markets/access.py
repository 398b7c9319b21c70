"""Who may see which part of a market. The one place that answers it."""

from django.db import models
from django.db.models import Q

from core.routing import view_restrictions

# Granted per MarketPage (django-guardian) to the users of a subscribing establishment.
PIECES_PERMISSION = "markets.view_market_pieces"


class Audience(models.TextChoices):
    PUBLIC = "public", "Tout public"
    MEMBERS = "members", "Adhérents connectés"
    SUBSCRIBERS = "subscribers", "Souscripteurs du marché"


def is_member(user):
    return bool(getattr(user, "is_active_member", False))


def is_editor(user):
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def audiences_for(user, market):
    """The audiences whose pieces `user` may read on `market`."""
    if is_editor(user):
        return set(Audience.values)
    audiences = {Audience.PUBLIC}
    if is_member(user):
        audiences.add(Audience.MEMBERS)
        if user.has_perm(PIECES_PERMISSION, market):
            audiences.add(Audience.SUBSCRIBERS)
    return audiences


def pieces_for(user, market, audiences=None):
    """(the pieces of `market` `user` may download, in the editors' order; how many others).
    `audiences`: `audiences_for(user, market)` when the caller has it (two queries fewer)."""
    audiences = audiences_for(user, market) if audiences is None else audiences
    pieces = list(market.pieces.select_related("document", "holder").order_by("sort_order"))
    visible = [piece for piece in pieces if piece.audience in audiences]
    return visible, len(pieces) - len(visible)


# Wagtail page privacy (password, login, groups) ------------------------------------------


def hidden_paths(request):
    """The tree paths of the pages whose privacy restriction `request` fails, sorted (the
    restrictions are read once per request: core.routing)."""
    return sorted({r.page.path for r in view_restrictions(request) if not r.accept_request(request)})


def privacy_filter(request):
    """A filter on pages: those under no privacy restriction `request` fails.

    Wagtail checks a restriction when the page itself is served; every list, search and
    download of the catalogue applies this too, so a private market shows nowhere else.
    """
    return outside(hidden_paths(request))


def outside(paths, prefix=""):
    """A filter on pages: those below none of the tree `paths` (`path`, which every search
    backend can filter on). `prefix` names the relation to the page ("market__")."""
    lookup = f"{prefix}path__startswith"
    return ~Q(*(Q(**{lookup: path}) for path in paths), _connector=Q.OR) if paths else Q()


def readable_markets(request, prefix=""):
    """A filter on markets: the live ones `request` may read, under no page privacy
    restriction it fails (password, login, groups).

    The one rule for "may this reader see this market" behind every list built on markets
    outside the page tree's own serving: the prices and their export, and what comes next
    (the API, the feeds). `prefix` names the relation to the market ("market__").
    """
    return Q(**{f"{prefix}live": True}) & outside(hidden_paths(request), prefix)


def passes_privacy(request, page):
    """True when `request` passes every privacy restriction on `page` and its ancestors."""
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())
