"""Who may see which part of a market. The one place that answers it."""

from django.db import models

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


def pieces_for(user, market):
    """(the pieces of `market` `user` may download, in the editors' order; how many others)."""
    audiences = audiences_for(user, market)
    pieces = list(market.pieces.select_related("document", "holder").order_by("sort_order"))
    visible = [piece for piece in pieces if piece.audience in audiences]
    return visible, len(pieces) - len(visible)
